"""Page header: the currency ticker and the header date line.

Both are recognised by their text, not by markup: the ticker as ``KGS/USD = 0.01149 0%``
entries (repeated for a scrolling marquee), the date line as a text node that is exactly
a date such as ``10 January 2025``, found before the page's main content starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import Any

from lxml import etree

from crawler.dates import read_date

from .dom import class_parts, class_tokens, is_hidden, tag_of
from .regions import body_of, main_region
from .sources import NONE, TEXT, as_selector
from .text import NON_VISIBLE_TAGS, iter_text, normalize_ws

# -- ticker ----------------------------------------------------------------------------

_MINUS = "-\u2212\u2013"
TICKER_RE = re.compile(
    r"(?<![A-Za-z])([A-Z]{3})\s*/\s*([A-Z]{3})\s*[=:]\s*"
    r"(\d+(?:[.,]\d+)?)\s*"
    r"([+" + _MINUS + r"]?\s*\d+(?:[.,]\d+)?\s*%)"
)


@dataclass(frozen=True)
class Quote:
    """One ticker entry as shown: ``base/quote = rate_text change_text``."""

    base: str
    quote: str
    rate_text: str
    change_text: str


@dataclass(frozen=True)
class Ticker:
    """The header ticker: unique pairs in first-seen order, marquee copies collapsed."""

    quotes: tuple[Quote, ...]
    #: how many times the block is repeated (the most frequent pair's count); 0 without ticker.
    copies: int
    #: "text" when found, "none" otherwise.
    source: str
    #: occurrences of an already-seen pair showing a different value (first value kept).
    conflicts: int = 0


def _is_content(el: etree._Element) -> bool:
    """Article text (a post body, a teaser) where ticker-like text is not the ticker."""
    return _content_attrs(tag_of(el), el.get("class"), el.get("id"), el.get("itemprop"))


@lru_cache(maxsize=8192)
def _content_attrs(tag: str, classes: str | None, ident: str | None,
                   itemprop: str | None) -> bool:
    if tag in {"article", "blockquote"}:
        return True
    if class_tokens(classes, ident) & {
            "hentry", "type-post", "entry-content", "entry-summary", "td-post-content",
            "post-content", "article-content", "article-body", "td-excerpt"}:
        return True
    if class_parts(classes, ident) & {"excerpt", "teaser", "entry", "summary"}:
        return True
    return itemprop in {"articleBody", "text"}


def _outside_content_text(el: etree._Element) -> list[str]:
    """Text pieces (every element boundary a space) with article-content subtrees left out."""
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or tag_of(node) in NON_VISIBLE_TAGS - {"title"}:
            return
        if _is_content(node):
            out.append(" \u00b6 ")  # a hard break: no match may straddle content
            return
        out.append(" ")
        if node.text:
            out.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                out.append(child.tail)
        out.append(" ")

    walk(el)
    return out


def parse_ticker(page: Any) -> Ticker:
    """Find the currency ticker by its text pattern anywhere outside article content."""
    sel = as_selector(page)
    body = body_of(sel.root) if isinstance(sel.root, etree._Element) else None
    if body is None:
        return Ticker((), 0, NONE)
    text = normalize_ws("".join(_outside_content_text(body)))
    first: dict[tuple[str, str], Quote] = {}
    counts: dict[tuple[str, str], int] = {}
    conflicts = 0
    for m in TICKER_RE.finditer(text):
        base, quote, rate, change = m.groups()
        key = (base, quote)
        found = Quote(base, quote, rate, re.sub(r"\s+", "", change))
        counts[key] = counts.get(key, 0) + 1
        if key not in first:
            first[key] = found
        elif first[key] != found:
            conflicts += 1
    if not first:
        return Ticker((), 0, NONE)
    return Ticker(tuple(first.values()), max(counts.values()), TEXT, conflicts)


# -- date line -------------------------------------------------------------------------

@dataclass(frozen=True)
class DateLine:
    """The header date line: its date, the source label and the text as shown."""

    value: date | None
    source: str
    raw: str | None


def parse_date_text(text: str) -> date | None:
    """The day a short text is (``"08 September 2024"``, ``"Sunday, September 8, 2024"``,
    any form :func:`crawler.dates.read_date` reads); None otherwise."""
    text = normalize_ws(text)
    if len(text) > 40:
        return None
    found = read_date(text)
    return found.day if found else None


_HEADING_TAGS = {"h1", "h2", "h3", "h4"}
_DIGIT = re.compile(r"\d")


def _content_starts(el: etree._Element) -> bool:
    """Has the page's main content begun at this element (the header region is over)?"""
    tag = tag_of(el)
    if _content_start_attrs(tag, el.get("class"), el.get("id")):
        return True
    if tag in _HEADING_TAGS and el.xpath(".//a[@href]"):
        return True  # a teaser title
    text = (el.text or "").lower()
    return "results" in text and "viewing" in text


@lru_cache(maxsize=8192)
def _content_start_attrs(tag: str, classes: str | None, ident: str | None) -> bool:
    if tag in {"h1", "article", "main"}:
        return True
    toks = class_tokens(classes, ident)
    if toks & {"hentry", "type-post", "entry-content", "entry-title", "post", "td_module_wrap"}:
        return True
    if re.match(r"post-\d+$", ident or ""):
        return True
    if any(t.startswith("td_module_") for t in toks):
        return True
    return "byline" in class_parts(classes, ident)


def _small(node: etree._Element) -> bool:
    return len(list(islice(node.iter(), 6))) <= 5


def parse_dateline(page: Any) -> DateLine:
    """The header date line: the first text that is entirely a date, before the content."""
    sel = as_selector(page)
    if not isinstance(sel.root, etree._Element):
        return DateLine(None, NONE, None)
    body = body_of(sel.root)
    main = main_region(sel.root)
    found: list[tuple[date, str]] = []

    def check(text: str | None) -> bool:
        if text and _DIGIT.search(text):  # every date has a day and a year
            value = parse_date_text(text)
            if value is not None:
                found.append((value, normalize_ws(text)))
                return True
        return False

    def walk(node: etree._Element) -> bool:
        """Return True to stop (a date was found or the content began)."""
        if not isinstance(node.tag, str) or tag_of(node) in NON_VISIBLE_TAGS:
            return False
        if _content_starts(node) or (node is main and main is not body):
            return True
        whole = (len(node) and _small(node) and _DIGIT.search("".join(node.itertext()))
                 and not is_hidden(node)
                 and not any(d is main or _content_starts(d) for d in node.iterdescendants()
                             if isinstance(d.tag, str)))
        if whole and check(normalize_ws("".join(iter_text(node)))):
            return True
        if check(node.text):
            return True
        for child in node:
            if walk(child):
                return True
            if check(child.tail):
                return True
        return False

    walk(body)
    if not found:
        return DateLine(None, NONE, None)
    value, raw = found[0]
    return DateLine(value, TEXT, raw)
