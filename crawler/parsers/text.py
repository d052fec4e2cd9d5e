"""Text cleaning: whitespace, zero-width characters, WordPress shortcodes, visible text,
unique strings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from urllib.parse import unquote

from lxml import etree

from .dom import tag_of

#: Characters that render as nothing: zero-width space/joiners, word joiner, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

#: Elements whose text is never shown.
NON_VISIBLE_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})

#: Elements that break a line when rendered (a space is put between their texts).
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul", "option", "select", "button", "img", "time",
})


def normalize_ws(text: str | None) -> str:
    """NFC, drop zero-width characters, collapse all whitespace (NBSP too) to one space."""
    if not text:
        return ""
    if not text.isascii():  # ASCII text is NFC and has no zero-width characters
        text = unicodedata.normalize("NFC", text)
        if _HAS_INVISIBLE.search(text):  # str.translate with a dict is slow on non-ASCII
            text = text.translate(_INVISIBLE)
    return " ".join(text.split())


# -- shortcodes ---------------------------------------------------------------------

#: Shortcode names seen in WordPress content (core, Jetpack and common page builders).
KNOWN_SHORTCODES = frozenset({
    "caption", "wp_caption", "video", "audio", "gallery", "embed", "playlist",
    "vc_row", "vc_column", "vc_column_text", "vc_row_inner", "vc_column_inner", "vc_single_image",
    "vc_separator", "vc_empty_space", "vc_video", "row", "column", "columns", "one_half",
    "one_third", "two_third", "one_fourth", "three_fourth", "dropcap", "button", "youtube",
    "vimeo", "tweet", "instagram", "googlemaps", "contact-form-7", "mc4wp_form", "gravityform",
    "rev_slider", "pullquote", "quote", "toc", "box", "tabs", "tab", "accordion", "spacer",
})
#: Shortcodes whose enclosed content is itself not article text (a caption, a media URL).
_ENCLOSING_DROP = ("caption", "wp_caption", "video", "audio", "embed", "playlist")

_DROP_BLOCK = re.compile(
    r"\[(" + "|".join(_ENCLOSING_DROP) + r")\b[^\[\]]*\].*?\[/\1\s*\]", re.DOTALL | re.IGNORECASE
)
_TAG = re.compile(r"\[(/)?([A-Za-z][\w-]*)((?:\s[^\[\]]*)?)(/)?\]")
_DANGLING_TAIL = re.compile(r"\[/?([A-Za-z][\w-]*)(?:\s[^\[\]]*)?$")
_LONE_BRACKET = re.compile(r"\[(?=\s|$)")


def _is_shortcode(closing: bool, name: str, attrs: str) -> bool:
    lname = name.lower()
    return (
        closing
        or lname in KNOWN_SHORTCODES
        or "_" in lname
        or "=" in attrs
    )


def strip_shortcodes(text: str | None) -> str:
    """Remove WordPress shortcodes left in text, keep ordinary bracketed text.

    ``[caption …]…[/caption]`` and media shortcodes go with their content (a caption is not
    article text); ``[vc_row]``, ``[/vc_column_text]``, ``[video …]`` go as tags; a dangling
    ``[/vc_column_text][`` at a cut is removed; ``[sic]``, ``[1]`` and ``[…]`` stay.
    """
    if not text:
        return ""
    text = _DROP_BLOCK.sub(" ", text)

    def tag(m: re.Match[str]) -> str:
        return " " if _is_shortcode(bool(m.group(1)), m.group(2), m.group(3) or "") else m.group(0)

    previous = None
    while previous != text:  # "[a][/b]" style runs: repeat until stable (bounded by length)
        previous = text
        text = _TAG.sub(tag, text)
    m = _DANGLING_TAIL.search(text)
    if m and (m.group(1).lower() in KNOWN_SHORTCODES or "_" in m.group(1)):
        text = text[: m.start()]
    text = _LONE_BRACKET.sub(" ", text)
    return normalize_ws(text)


# -- element text --------------------------------------------------------------------


def iter_text(el: etree._Element, *, blocks_as_space: bool = True,
              all_as_space: bool = False) -> Iterator[str]:
    """Text pieces of ``el`` in document order, skipping non-visible subtrees and comments.

    With ``blocks_as_space`` a space is yielded around block-level elements (so
    ``<li>a</li><li>b</li>`` reads "a b" while ``Kaz<b>akh</b>stan`` stays one word);
    ``all_as_space`` separates every element (for token patterns such as the ticker).
    """
    tag = tag_of(el)
    if tag and tag not in NON_VISIBLE_TAGS and isinstance(el.tag, str):
        sep = all_as_space or (blocks_as_space and tag in BLOCK_TAGS)
        if sep:
            yield " "
        if el.text:
            yield el.text
        for child in el:
            yield from iter_text(child, blocks_as_space=blocks_as_space,
                                 all_as_space=all_as_space)
            if child.tail:
                yield child.tail
        if sep:
            yield " "


def visible_text(el: etree._Element | None, *, all_as_space: bool = False) -> str:
    """Normalized visible text of an element (script/style/noscript/template excluded)."""
    if el is None:
        return ""
    return normalize_ws("".join(iter_text(el, all_as_space=all_as_space)))


def humanize(slug: str) -> str:
    """A WordPress slug as words: ``business-economy`` -> ``Business Economy`` (percent-escapes
    decoded, each word's first letter upper-cased, "" for a slug of dashes only)."""
    words = unquote(slug).replace("_", "-").split("-")
    return " ".join(w[:1].upper() + w[1:] for w in words if w)


def unique(items: Iterable[str]) -> list[str]:
    """Unique non-empty strings, first occurrence order kept."""
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out
