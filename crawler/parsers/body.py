"""Article body: a standard signal's content container, cross-checked, else the generic
extractor.

1. The content containers WordPress and themes mark (``.entry-content``,
   ``[itemprop=articleBody]``, ``.wp-block-post-content``, then known theme classes), rendered
   by :func:`blocks.render`: exact paragraphs on a WordPress page.
2. A cheap look at that body (:func:`suspicion`): too short, mostly links, a form left in
   it, or far less than the text its page holds. Only then does the generic extractor run,
   and the better of the two wins (:func:`cross_check`).
3. No container: the generic extractor (:mod:`crawler.parsers.generic`, trafilatura).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from lxml import etree

from .blocks import Block, render, texts
from .css import Css
from .dom import is_hidden
from .furniture import in_furniture
from .generic import generic_blocks
from .index import PageIndex
from .sources import GENERIC, NONE
from .text import normalize_ws, visible_text

#: The cross-check's outcomes, counted by the spider as ``body_check/<outcome>``.
#: Not run: the standard body looked right. Kept / replaced: it looked wrong, the generic
#: extractor ran, and the standard body (or the generic one) won. Generic: no standard body.
NOT_RUN, KEPT, REPLACED, FALLBACK = "not-run", "kept", "replaced", "generic"
CHECKS = (NOT_RUN, KEPT, REPLACED, FALLBACK)

#: A standard body shorter than this (words) is compared with the generic extractor's.
SHORT_WORDS = 80
#: ... or one whose text is more than this share link text,
LINK_SHARE = 0.3
#: ... or one holding less than this share of the text outside links in its page's main
#: region (the container may have missed part of the article).
PAGE_SHARE = 0.4
#: The generic body replaces a standard one it holds when it is this many times longer,
MORE = 1.5
#: ... and at least this many words longer.
MORE_WORDS = 30
#: The page's named clutter may take at most this share of the generic body's words.
CLUTTER_CAP = 0.5
#: A generic body is an article's only with this many letters in all (a table of results
#: is not prose), or with a paragraph of running text: this many letters (a sentence, in
#: any script),
ARTICLE_LETTERS = 500
PROSE_LETTERS = 40
#: ... making this share of its characters (spaces aside), with at most this share of
#: its words capitalized (German capitalizes every noun: about a third)
PROSE_SHARE = 0.7
MAX_CAPITALIZED = 0.5
_FORM = Css("form, input, textarea, select")
#: The content containers WordPress core marks (theme ones: :data:`themes.BODY`).
WP_BODY = Css("[itemprop=articleBody], .entry-content, .wp-block-post-content")


@dataclass(frozen=True)
class Body:
    """The body text, the source that supplied it, and how the cross-check went."""

    text: str | None
    source: str
    check: str
    reason: str = ""


def best_container(index: PageIndex, scopes: list[etree._Element], css: Css,
                   article: etree._Element) -> tuple[etree._Element, list[Block]] | None:
    """The match of ``css`` with the most kept text, in the first scope that has one.

    Matches inside page furniture are skipped unless they are the ``article`` element.
    """
    best: tuple[etree._Element, list[Block]] | None = None
    best_size = 0
    for scope in scopes:
        for el in index.select(css, scope):
            if el is not article and in_furniture(el, index):
                continue
            blocks = render(el, index)
            size = sum(len(t) for t in texts(blocks))
            if size > best_size:
                best, best_size = (el, blocks), size
        if best:
            return best
    return None


def suspicion(index: PageIndex, container: etree._Element, blocks: list[Block],
              region: etree._Element) -> str:
    """Why a standard body looks wrong ("" when it looks right), from the page alone."""
    if _words(texts(blocks)) < SHORT_WORDS:
        return "short"
    if index.link_share(container) > LINK_SHARE:
        return "links"
    if any(not in_furniture(f, index, container) for f in index.select(_FORM, container)):
        return "form"
    if index.weight(container) < PAGE_SHARE * index.weight(region):
        return "page-text"
    return ""


def _tokens(paragraphs: list[str]) -> Counter[str]:
    return Counter(w.casefold() for p in paragraphs for w in p.split())


def cross_check(standard: list[str], generic: list[str], reason: str) -> bool:
    """Does the generic body win over a standard one that looked wrong for ``reason``?

    Compared as bags of words: the standard body (exact paragraphs) stays unless the generic
    one holds it and finds far more (the container missed part of the article), holds far
    less of a standard body full of links or a form (the container held clutter), or finds
    a different text altogether (the container was not the article).
    """
    if not generic:
        return False
    ours, theirs = _tokens(standard), _tokens(generic)
    n_ours, n_theirs = sum(ours.values()), sum(theirs.values())
    if not n_ours:
        return True
    shared = sum((ours & theirs).values())
    if shared >= 0.8 * n_ours:  # the generic body holds the standard one
        return n_theirs >= MORE * n_ours and n_theirs - n_ours >= MORE_WORDS
    if shared >= 0.8 * n_theirs:  # the standard body holds the generic one, and more
        return reason in {"links", "form"} and n_theirs * MORE <= n_ours
    return shared < 0.5 * min(n_ours, n_theirs)


def generic_body(index: PageIndex, url: str, html: str | None = None,
                 ) -> tuple[list[str], list[str]]:
    """The generic extractor's paragraphs: as a body (less the lines that are clutter of
    the page by the same rules as a content container's: a "promo" box, the breadcrumbs,
    a line that is only a link, which the extractor does not see, unless that would take
    away more than :data:`CLUTTER_CAP` of its words), and with every clutter line out (to
    compare with a content container's body)."""
    found = texts(generic_blocks(html if html is not None else index.root, url))
    if not found:
        return found, found
    hinted: list[etree._Element] = []
    refused = render(index.body(), index, hinted, sweep=True)
    clutter = {normalize_ws(b.text) for b in refused if not b.kept}
    clutter.update(normalize_ws(b.text) for el in hinted for b in render(el))
    clutter.update(normalize_ws(visible_text(el)) for el in hinted if is_hidden(el))
    clean = [p for p in found if normalize_ws(p) not in clutter]
    removed = _words(found) - _words(clean)
    body = clean if removed <= CLUTTER_CAP * _words(found) else found
    if not any(map(is_prose, body)) and _letters(body) < ARTICLE_LETTERS:
        # a few lines of the page's furniture (breadcrumbs, the header's ticker, a skip
        # link, a byline) and no sentence of an article: the page has no article text
        return [], clean
    return body, clean


def _letters(paragraphs: list[str]) -> int:
    return sum(1 for p in paragraphs for c in p if c.isalpha())


def is_prose(paragraph: str) -> bool:
    """A paragraph of running text, in any script: at least :data:`PROSE_LETTERS` letters,
    making most of its characters (not ``KZT/USD = 0.00190 -0%``), and not a line of
    capitalized words (a headline with its byline: "Kazakhstan Launches Platform ... By
    Sofia Lindqvist")."""
    letters = sum(1 for c in paragraph if c.isalpha())
    if letters < PROSE_LETTERS:
        return False
    if letters < PROSE_SHARE * sum(1 for c in paragraph if not c.isspace()):
        return False
    words = [w for w in paragraph.split() if w[:1].isalpha()]
    capitalized = sum(1 for w in words if w[0].isupper())
    return capitalized <= MAX_CAPITALIZED * len(words)


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def extract_body(index: PageIndex, scopes: list[etree._Element], article: etree._Element,
                 region: etree._Element, url: str, standard: list[tuple[str, Css]],
                 html: str | None = None) -> Body:
    """The page's body: the first ``standard`` (label, selector) container that yields
    text, cross-checked when it looks wrong; else the generic extractor's (reading the
    page's ``html`` when given, else its tree)."""
    for label, css in standard:
        found = best_container(index, scopes, css, article)
        if found is None:
            continue
        container, blocks = found
        kept = texts(blocks)
        reason = suspicion(index, container, blocks, region)
        if not reason:
            return Body("\n\n".join(kept), label, NOT_RUN)
        generic, clean = generic_body(index, url, html)
        # compared without the page's clutter: a short article's container is not
        # "missing" the breadcrumbs and the header the extractor kept around it
        if cross_check(kept, clean, reason):
            return Body("\n\n".join(generic), GENERIC, REPLACED, reason)
        return Body("\n\n".join(kept), label, KEPT, reason)
    generic, _ = generic_body(index, url, html)
    if generic:
        return Body("\n\n".join(generic), GENERIC, FALLBACK)
    return Body(None, NONE, FALLBACK)
