"""Author names as a byline prints them: "By A and B", "A, B & C", a "By ..." line in text."""

from __future__ import annotations

import re

from lxml import etree

from .dom import tag_of
from .text import BLOCK_TAGS, NON_VISIBLE_TAGS, normalize_ws, unique

_BY_LINE = re.compile(r"^(?:by|written by|words by|author:)\s+(.{2,120})$", re.IGNORECASE)
_NAME = re.compile(r"^[A-ZÀ-ÖØ-ÞА-ЯЁ][\w'’.\-]*(?:\s+[\w'’.\-]+){0,4}$")


def _raw_texts(top: etree._Element) -> dict[etree._Element, str]:
    """``"".join(iter_text(el))`` for ``top`` and every node below it, built bottom-up.

    One pass instead of one walk per element (``visible_text(el)`` is ``normalize_ws`` of it).
    """
    raw: dict[etree._Element, str] = {}
    for el in reversed(list(top.iter())):  # children before their parent
        tag = tag_of(el)
        if not tag or tag in NON_VISIBLE_TAGS:  # comments, scripts: no text of their own
            raw[el] = ""
            continue
        pieces = [el.text or ""]
        for child in el:
            pieces += (raw[child], child.tail or "")
        text = "".join(pieces)
        raw[el] = f" {text} " if tag in BLOCK_TAGS else text
    return raw


def _min_length(raw: str) -> int:
    """A lower bound of ``len(normalize_ws(raw))``: its non-space ASCII characters (NFC never
    merges an ASCII character into the one before it, nor drops it)."""
    return len("".join(raw.split()).encode("ascii", "ignore"))


def byline_names(article: etree._Element) -> list[str]:
    """The names of the first "By ..." line in ``article`` (a line of at most 120
    characters: "By Jane Doe and John Roe on 3 January" -> ["Jane Doe", "John Roe"])."""
    raw_texts = _raw_texts(article)
    for el in article.iter():
        if not isinstance(el.tag, str) or tag_of(el) in NON_VISIBLE_TAGS:
            continue
        raw_text = raw_texts[el]
        if raw_text.isascii():  # normalize_ws only collapses its spaces
            text = " ".join(raw_text.split())
        elif _min_length(raw_text) > 120:
            continue
        else:
            text = normalize_ws(normalize_ws(raw_text))  # normalize_ws(visible_text(el))
        if not text or len(text) > 120:
            continue
        m = _BY_LINE.match(text)
        if not m:
            continue
        raw = re.split(r"\s+(?:on|\||·|—|–|-)\s+|\s+\d", m.group(1))[0]
        names = [n for n in split_names(raw) if _NAME.match(n)]
        if names:
            return names
    return []


def split_names(text: str | None) -> list[str]:
    """``"A and B"``, ``"A & B"``, ``"A, B"`` -> ["A", "B"]; a leading "By" is dropped."""
    if not text:
        return []
    text = re.sub(r"^(?:by|written by|words by|author:?)\s+", "", normalize_ws(text),
                  flags=re.IGNORECASE)
    pieces = re.split(r"\s*,\s*(?:and\s+)?|\s+&\s+|\s+and\s+", text)
    return unique(normalize_ws(p).strip(" .;|") for p in pieces)
