"""A content region rendered as text blocks: paragraphs, headings, list items, table rows.

What is left out is decided by evidence first: non-visible markup, form controls, media,
hidden elements, embeds, short lines that are mostly links, "Read also:" style lines. Class
and tag hints (``share``, ``related``, ``player``, ``<aside>``...) come second, and a class
name is a hint, not evidence: a hinted element holding a large share of the region's text
always stays, and a unit of content (a paragraph, list item, table row or cell) goes only
with evidence of clutter inside it (a form or navigation, media or script, mostly link
text): ``<tr class="player-2020">`` is a row of a results table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from .css import Css
from .dom import class_parts, is_hidden, tag_of, tokens
from .furniture import FURNITURE_PARTS, FURNITURE_ROLES, furniture_parts
from .index import PageIndex
from .text import NON_VISIBLE_TAGS, normalize_ws, strip_shortcodes

#: Elements whose subtree is never article text.
DROP_TAGS = NON_VISIBLE_TAGS | frozenset({
    "iframe", "svg", "video", "audio", "object", "embed", "canvas", "map", "picture", "img",
    "figcaption", "input", "select", "textarea", "button", "option", "label", "h1", "dialog",
    "meter", "progress", "math",
})
#: Elements that say "not the article" by their tag: a hint, like a class name.
HINT_TAGS = frozenset({"nav", "aside", "footer", "header", "form"})
#: Class/id parts naming clutter inside a content container (furniture's and more).
NOISE_PARTS = FURNITURE_PARTS | frozenset({
    "caption", "sd", "jp", "mc4wp", "ad", "adsbygoogle", "rec", "banner", "tags", "meta",
    "bio", "authorbox", "donate", "addtoany", "a2a", "heateor", "sassy", "shariff", "print",
    "embed", "video", "audio", "player", "gallery", "slider", "carousel", "readmore",
    "read-more", "alsoread", "twitter", "tweet", "instagram", "tiktok", "facebook", "fb",
    "signup", "optin", "cta", "paywall", "toc", "inline-related",
})
_EMBEDS = frozenset({"twitter-tweet", "instagram-media", "tiktok-embed", "wp-embedded-content"})
#: Elements that end a block of text (the text before and after are separate blocks).
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "blockquote", "li", "ul", "ol", "dl", "dt",
    "dd", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "center", "details", "summary",
    "address", "table", "thead", "tbody", "tfoot", "tr", "caption", "hr", "figure",
    "fieldset", "header", "footer", "nav", "aside", "form", "legend",
})
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
#: Units of content (a paragraph, a list item, a table row or cell): a hint alone does not
#: drop one, only with evidence of clutter inside it.
UNITS = HEADINGS | frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "blockquote"})
_CELLS = frozenset({"td", "th"})
#: A hinted element holding at least this share of the region's text is kept.
KEEP_SHARE = 0.4
#: A hinted element whose text is at least this share link text is clutter.
LINKED_CLUTTER = 0.5
#: Markup that makes a hinted element clutter: interactive, media, script.
_CLUTTER_INSIDE = Css(
    "form, input, button, select, textarea, iframe, img, picture, video, audio, object, embed,"
    " svg, script, ins, canvas")

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
_LINE = "\u2028"  # a <br> while a block is being collected
_CELL = "\u001f"  # the start of a table cell
_PARAGRAPH_BREAK = re.compile(_LINE + r"[\s" + _LINE + r"]*" + _LINE)


@dataclass(frozen=True)
class Block:
    """One rendered block: its text, kind ("p", "heading", "item", "row") and whether the
    text rules kept it."""

    text: str
    kind: str
    kept: bool


def keep_text(text: str, linked: float = 0.0) -> bool:
    """The text rules: not empty, not a "Read also:" line, not a short share/subscribe call,
    not a short line that is mostly link text."""
    if not text or _PREFIX.match(text):
        return False
    words = len(text.split())
    if words <= 12 and _BOILERPLATE.match(text):
        return False
    return not (words <= 25 and linked >= 0.8)


def is_noise(el: etree._Element) -> bool:
    """Evidence that an element is not article text: its tag, hidden, an embed."""
    tag = tag_of(el)
    if tag in DROP_TAGS or is_hidden(el):
        return True
    return tag == "blockquote" and bool(tokens(el) & _EMBEDS)


def is_hinted(el: etree._Element) -> bool:
    """Names of clutter: a hint tag, or class/id parts (share, related, caption, ad...), or
    a furniture role. Read inside a content container only, it is wider than the page's
    furniture test (:func:`crawler.parsers.furniture.is_furniture`: captions, players,
    author bios...), and is a hint: :func:`render` asks evidence of it."""
    return tag_of(el) in HINT_TAGS or _hinted_attrs(el.get("class"), el.get("id"),
                                                    el.get("role"))


@lru_cache(maxsize=4096)
def _hinted_attrs(classes: str | None, ident: str | None, role: str | None) -> bool:
    found = class_parts(classes, ident)
    return bool(found & NOISE_PARTS) or furniture_parts(found) or role in FURNITURE_ROLES


def is_clutter(el: etree._Element, index: PageIndex) -> bool:
    """Evidence that a hinted element is clutter: a form or navigation, interactive or
    media markup or script inside, or mostly link text."""
    if tag_of(el) in {"form", "nav"} or index.link_share(el) >= LINKED_CLUTTER:
        return True
    return bool(index.select(_CLUTTER_INSIDE, el))


class _Collector:
    """Text of the block being read: pieces and how many of their characters are linked."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.linked = 0
        self.blocks: list[Block] = []

    def add(self, text: str | None, linked: bool) -> None:
        if text:
            self.pieces.append(text)
            if linked:
                self.linked += len(text.strip())

    def flush(self, kind: str) -> None:
        if not self.pieces:
            return
        raw = "".join(self.pieces)
        linked, self.pieces, self.linked = self.linked, [], 0
        chunks = _PARAGRAPH_BREAK.split(raw)
        share = linked / max(sum(len(c.strip()) for c in chunks), 1)
        for chunk in chunks:
            lines = [_cells(line) for line in chunk.split(_LINE)]
            text = "\n".join(line for line in lines if line)
            if text:
                self.blocks.append(Block(text, kind, keep_text(normalize_ws(text), share)))


def _cells(line: str) -> str:
    """A line's text, shortcodes out; a table row's cells joined by " | "."""
    if _CELL not in line:
        return strip_shortcodes(line)
    return " | ".join(c for c in map(strip_shortcodes, line.split(_CELL)) if c)


def _kind(tag: str) -> str:
    if tag in HEADINGS:
        return "heading"
    if tag in {"li", "dt", "dd"}:
        return "item"
    return "row" if tag == "tr" else "p"


def render(region: etree._Element, index: PageIndex | None = None,
           hinted: list[etree._Element] | None = None, *, sweep: bool = False,
           ) -> list[Block]:
    """``region`` as text blocks in document order, clutter left out (``kept`` False for
    blocks the text rules refuse; subtrees of clutter are not rendered at all).

    With the page's ``index``, class and tag hints drop an element holding less than
    :data:`KEEP_SHARE` of the region's text (a unit of content only with evidence of
    clutter, :func:`is_clutter`); without one (a tree that is not a page), hints are not
    read. The elements dropped on a hint are appended to ``hinted`` when given.

    ``sweep`` renders what a page would be with every element a hint names taken out,
    whatever its share of text and without evidence asked of units, and appends the hidden
    ones to ``hinted`` too: the lines of clutter a generic extractor may have kept.
    """
    share: list[float] = []  # KEEP_SHARE of the region's weight, once a hint needs it
    out = _Collector()
    kinds: list[str] = []  # the block elements open around the current text
    link_depth = 0
    skipped: set[etree._Element] = set()
    walker = etree.iterwalk(region, events=("start", "end", "comment"))

    def dropped(el: etree._Element) -> bool:
        if is_noise(el):
            if sweep and hinted is not None and is_hidden(el):
                hinted.append(el)
            return True
        if index is None or not is_hinted(el):
            return False
        if not sweep:
            if not share:
                share.append(KEEP_SHARE * index.weight(region))
            if index.weight(el) >= share[0]:
                return False
            if tag_of(el) in UNITS and not is_clutter(el, index):
                return False
        if hinted is not None:
            hinted.append(el)
        return True

    for event, el in walker:
        if event == "comment":
            out.add(el.tail, link_depth > 0)
            continue
        tag = el.tag  # lower case from an HTML parser, and in a generic extractor's tree
        if event == "start":
            if el is not region and dropped(el):
                walker.skip_subtree()
                skipped.add(el)
                if tag in BLOCK_TAGS:
                    out.flush(kinds[-1] if kinds else "p")
                continue
            if tag == "br":
                out.add(_LINE, False)
                continue
            if tag in BLOCK_TAGS:
                out.flush(kinds[-1] if kinds else "p")
                kinds.append(_kind(tag))
            elif tag in _CELLS:
                out.add(_CELL, False)
            if tag == "a":
                link_depth += 1
            out.add(el.text, link_depth > 0)
            continue
        # end
        if el in skipped:
            skipped.discard(el)
        elif tag != "br":
            if tag == "a":
                link_depth -= 1
            if tag in BLOCK_TAGS:
                out.flush(kinds.pop())
        if el is not region:
            out.add(el.tail, link_depth > 0)
    out.flush(kinds[-1] if kinds else "p")
    return _drop_orphan_headings(out.blocks)


def _drop_orphan_headings(blocks: list[Block]) -> list[Block]:
    """A heading is not kept when what follows it is not kept text: another heading, a
    refused line (a "Related" heading over a list of links), or the end of the region."""
    out = list(blocks)
    for i, block in enumerate(out):
        if block.kind != "heading" or not block.kept:
            continue
        after = out[i + 1] if i + 1 < len(out) else None
        if after is None or after.kind == "heading" or not after.kept:
            out[i] = Block(block.text, block.kind, False)
    return out


def texts(blocks: list[Block]) -> list[str]:
    """The kept blocks' texts."""
    return [b.text for b in blocks if b.kept]


#: trafilatura's output elements, as the HTML elements :func:`render` reads.
_TRAFILATURA_TAGS = {
    "head": "h2", "list": "ul", "item": "li", "row": "tr", "cell": "td", "quote": "blockquote",
    "lb": "br", "code": "pre", "graphic": "img", "ref": "a", "hi": "span", "del": "s",
}


def render_extracted(body: etree._Element, rename: Callable[[str], str] | None = None,
                     ) -> list[Block]:
    """A generic extractor's result tree (trafilatura's XML: p, head, list/item,
    table/row/cell, quote, lb...) rendered like a content container, without class hints
    (the extractor has removed the page's clutter; the text rules still apply)."""
    for el in body.iter():
        if isinstance(el.tag, str):
            if el.tag == "head" and el.get("rend") == "h1":
                el.tag = "h1"  # the article's title, repeated
            else:
                el.tag = rename(el.tag) if rename else _TRAFILATURA_TAGS.get(el.tag, el.tag)
    return render(body)
