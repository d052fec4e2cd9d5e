"""Article body text: the paragraphs of a content container, clutter left out.

Clutter is recognized by generic hints (tags, class/id word parts, link density, known
prefixes such as "Read also:"), not by the class names of one theme.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from .dom import (
    CHROME_PARTS,
    CHROME_TAGS,
    Css,
    PageIndex,
    ancestors,
    is_chrome,
    is_hidden,
    parts,
    tag_of,
    tokens,
)
from .text import NON_VISIBLE_TAGS, normalize_ws, strip_shortcodes, visible_text

#: Subtrees inside a content container that are never article text.
_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "figure", "figcaption", "iframe", "form",
    "aside", "nav", "button", "svg", "video", "audio", "object", "embed", "canvas", "select",
    "textarea", "input", "footer", "ul", "ol", "dl", "table", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "pre", "picture", "map", "head", "title", "label",
})
_NOISE_PARTS = CHROME_PARTS | frozenset({
    "caption", "sd", "jp", "mc4wp", "ad", "adsbygoogle", "rec", "banner", "tags", "meta",
    "bio", "authorbox", "donate", "addtoany", "a2a", "heateor", "sassy", "shariff", "print",
    "embed", "video", "audio", "player", "gallery", "slider", "carousel", "readmore",
    "read-more", "alsoread", "twitter", "tweet", "instagram", "tiktok", "facebook", "fb",
    "signup", "optin", "cta", "paywall", "toc", "inline-related",
})
_CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "blockquote", "center",
                             "span", "font", "details"})
#: Children that make an inline-looking container (span, font) a block of paragraphs.
_BLOCK_CHILDREN = frozenset({"p", "div", "blockquote", "section"})
_PREFIX = re.compile(
    r"^(?:read also|also read|read more|see also|related(?: articles?| posts?| stories| news|"
    r" reading| coverage)?|more on this|more on the topic|recommended|read next|"
    r"you may also like|also see|also on tca|more from tca)\s*[:：]",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"^(?:continue reading|register to read more|share this:?|like this:?|"
    r"click to share on|subscribe to our newsletter|sign up for our newsletter)\b",
    re.IGNORECASE,
)


#: Class prefixes that negate what follows (JNews ``entry-content no-share``: a content
#: container *without* share buttons is not a share bar).
_NEGATIONS = ("no-", "no_", "not-", "non-", "without-")


def is_furniture(el: etree._Element) -> bool:
    """:func:`dom.is_chrome`, except that negated class tokens (``no-share``) do not count."""
    if not is_chrome(el):
        return False
    classes = (el.get("class") or "").split()
    if tag_of(el) in CHROME_TAGS or not any(c.lower().startswith(_NEGATIONS) for c in classes):
        return True
    probe = etree.Element(tag_of(el) or "div")
    kept = " ".join(c for c in classes if not c.lower().startswith(_NEGATIONS))
    if kept:
        probe.set("class", kept)
    for name in ("id", "role"):
        if el.get(name):
            probe.set(name, el.get(name, ""))
    return is_chrome(probe)


def _furniture_mark(el: etree._Element) -> bool:
    return tag_of(el) in NON_VISIBLE_TAGS or is_furniture(el)


def in_furniture(el: etree._Element, stop: etree._Element | None = None,
                 index: PageIndex | None = None) -> bool:
    """True if ``el`` or an ancestor below ``stop`` is furniture or non-visible markup.

    With the page's ``index`` the answer is memoized per element.
    """
    if index is not None:
        return index.inside(el, _furniture_mark, stop)
    node: etree._Element | None = el
    while node is not None and node is not stop:
        if _furniture_mark(node):
            return True
        node = node.getparent()
    return False


def _is_noise(el: etree._Element) -> bool:
    tag = tag_of(el)
    if tag in _SKIP_TAGS or is_hidden(el):
        return True
    if parts(el) & _NOISE_PARTS:
        return True
    return tag == "blockquote" and bool(tokens(el) & {"twitter-tweet", "instagram-media",
                                                       "tiktok-embed", "wp-embedded-content"})


def _link_density(el: etree._Element, text: str) -> float:
    linked = sum(len(normalize_ws(visible_text(a))) for a in el.iterdescendants("a"))
    return linked / max(len(text), 1)


def _keep_paragraph(text: str, el: etree._Element | None) -> bool:
    if not text or _PREFIX.match(text):
        return False
    words = len(text.split())
    if words <= 12 and _BOILERPLATE.match(text):
        return False
    return not (el is not None and words <= 25 and _link_density(el, text) >= 0.8)


def paragraphs(container: etree._Element) -> list[str]:
    """Paragraph-level texts of a content container, furniture and clutter left out."""
    out: list[str] = []
    loose: list[str] = []

    def flush() -> None:
        joined = "".join(loose)
        loose.clear()
        for chunk in re.split(r"\n\s*\n|\u2028{2,}", joined):
            text = strip_shortcodes(chunk)
            if _keep_paragraph(text, None):
                out.append(text)

    def walk(el: etree._Element) -> None:
        if el.text:
            loose.append(el.text)
        for child in el:
            if not isinstance(child.tag, str):  # comment
                if child.tail:
                    loose.append(child.tail)
                continue
            tag = tag_of(child)
            if _is_noise(child):
                if tag not in {"br", "img"} and tag not in {"span", "a", "em", "strong", "b", "i"}:
                    flush()
            elif tag == "p":
                flush()
                text = strip_shortcodes(visible_text(child))
                if _keep_paragraph(text, child):
                    out.append(text)
            elif tag in _CONTAINER_TAGS and any(c.tag in _BLOCK_CHILDREN for c in child):
                flush()
                walk(child)
                flush()
            elif tag == "br":
                loose.append("\u2028")
            elif tag in _CONTAINER_TAGS - {"span", "font"}:
                flush()
                walk(child)
                flush()
            else:
                loose.append(" " + visible_text(child) + " " if tag == "img" else
                             "".join(_inline_text(child)))
            if child.tail:
                loose.append(child.tail)

    walk(container)
    flush()
    return out


def _inline_text(el: etree._Element) -> Iterable[str]:
    if tag_of(el) in NON_VISIBLE_TAGS or (tag_of(el) != "br" and _is_noise(el)):
        return
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            yield "\u2028" if tag_of(child) == "br" else "".join(_inline_text(child))
        if child.tail:
            yield child.tail


def best_container(
    index: PageIndex, scopes: list[etree._Element], css: Css, article: etree._Element
) -> tuple[etree._Element, list[str]] | None:
    """The match of ``css`` with the most paragraph text, in the first scope that has one.

    Matches inside page furniture are skipped unless they are the ``article`` element.
    """
    best: tuple[etree._Element, list[str]] | None = None
    for scope in scopes:
        for el in index.select(css, scope):
            if in_furniture(el, index=index) and el is not article:
                continue
            paras = paragraphs(el)
            if paras and (best is None or sum(map(len, paras)) > sum(map(len, best[1]))):
                best = (el, paras)
        if best:
            return best
    return None


def densest(region: etree._Element, index: PageIndex | None = None,
            ) -> tuple[etree._Element, list[str]] | None:
    """Generic fallback: the parent of the most paragraph text in ``region``."""
    scores: dict[etree._Element, int] = {}
    for p in region.iter("p"):
        if in_furniture(p, index=index) or any(_is_noise(a) for a in ancestors(p)
                                               if a is not region):
            continue
        parent = p.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + len(normalize_ws(visible_text(p)))
    if not scores:
        return None
    container = max(scores, key=lambda el: scores[el])
    paras = paragraphs(container)
    return (container, paras) if paras else None
