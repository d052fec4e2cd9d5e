"""Structure helpers shared by the parsers: class/id hints, page regions, link tests.

The hints work on *parts* of class and id tokens (``td-post-sharing`` -> td, post, sharing), so
that they recognise page furniture by meaning rather than by one theme's exact class names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .text import NON_VISIBLE_TAGS, _tag

_SPLIT = re.compile(r"[-_\s]+")


def tag_of(el: etree._Element) -> str:
    """Lower-case local tag name ('' for comments and processing instructions)."""
    return _tag(el)


def tokens(el: etree._Element) -> set[str]:
    """Whole class tokens and the id, lower-cased."""
    out = {t.lower() for t in (el.get("class") or "").split()}
    if el.get("id"):
        out.add(el.get("id", "").lower())
    return out


def parts(el: etree._Element) -> set[str]:
    """Class and id tokens split on - and _ (``jp-relatedposts`` -> jp, relatedposts)."""
    out: set[str] = set()
    for tok in tokens(el):
        out.update(p for p in _SPLIT.split(tok) if p)
    return out


def has_class(el: etree._Element, name: str) -> bool:
    """True if ``name`` is one of the element's class tokens."""
    return name in (el.get("class") or "").split()


def ancestors(el: etree._Element) -> Iterator[etree._Element]:
    """Parents of ``el`` up to the root."""
    parent = el.getparent()
    while parent is not None:
        yield parent
        parent = parent.getparent()


def is_hidden(el: etree._Element) -> bool:
    """Hidden by attribute or inline style (screen-reader-only text included)."""
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = (el.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    toks = tokens(el)
    return bool(toks & {"screen-reader-text", "sr-only", "visually-hidden", "hidden"})


#: Parts of class/id tokens that mark site furniture (not an archive's posts or an article).
CHROME_PARTS = frozenset({
    "sidebar", "widget", "widgets", "widgetarea", "comments", "comment", "respond",
    "menu", "navigation", "nav", "navbar", "breadcrumb", "breadcrumbs", "masthead",
    "footer", "copyright", "share", "sharing", "social", "sharedaddy", "related",
    "relatedposts", "yarpp", "newsletter", "subscribe", "subscription", "sponsor", "sponsored",
    "advert", "advertisement", "ads", "promo", "popup", "cookie", "offcanvas",
})
#: Stems that mark furniture even inside a compound token (``sharebar``, ``adwidget``).
CHROME_STEMS = ("share", "social", "sponsor", "advert", "newsletter", "subscribe", "sidebar",
                "widget", "relatedpost", "promo")
CHROME_TAGS = frozenset({"nav", "aside", "footer", "form", "dialog"})
#: Parts that make a "header" a post's own header rather than the site header.
_POST_HEADER_PARTS = frozenset({"entry", "post", "article", "page", "single", "archive"})


def is_chrome(el: etree._Element) -> bool:
    """Is this element site furniture: header, navigation, sidebar, footer, comments, ads...?"""
    tag = tag_of(el)
    if tag in {"body", "html"}:
        return False
    p = parts(el)
    if tag in CHROME_TAGS:
        return not (tag == "footer" and _inside_article(el))
    if tag == "header" or "header" in p:
        return not (p & _POST_HEADER_PARTS) and not _inside_article(el)
    if p & CHROME_PARTS or any(stem in tok for tok in p for stem in CHROME_STEMS):
        return True
    return el.get("role") in {"navigation", "banner", "contentinfo",
                                                          "complementary"}


def _inside_article(el: etree._Element) -> bool:
    return any(tag_of(a) == "article" or tokens(a) & {"hentry", "type-post"}
               for a in ancestors(el))


def in_chrome(el: etree._Element, stop: etree._Element | None = None) -> bool:
    """True if ``el`` or an ancestor below ``stop`` is furniture or non-visible markup."""
    node: etree._Element | None = el
    while node is not None and node is not stop:
        if tag_of(node) in NON_VISIBLE_TAGS or is_chrome(node):
            return True
        node = node.getparent()
    return False


_MAIN_XPATHS = (
    "//main", "//*[@role='main']", "//*[@id='main']", "//*[@id='primary']",
    "//*[@id='content']", "//*[contains(concat(' ', normalize-space(@class), ' '), ' site-main ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' content-area ')]",
)


def body_of(root: etree._Element) -> etree._Element:
    """The <body> (or the root when the document has none)."""
    found = root.xpath("//body")
    return found[0] if found else root


def main_region(root: etree._Element) -> etree._Element:
    """The page's main content region (<main>, role=main, #main, #primary...), else <body>."""
    for xp in _MAIN_XPATHS:
        for el in root.xpath(xp):
            if not is_chrome(el):
                return el
    return body_of(root)


def css_class_xpath(name: str) -> str:
    """XPath predicate: element has class token ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def host_of(url: str) -> str:
    """Host without a leading www., lower-cased."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def same_host(url: str, base: str) -> bool:
    """Same host as ``base`` (www. ignored); relative URLs count as same host."""
    return host_of(url) == host_of(base) if urlsplit(url).hostname else True


def absolute(href: str | None, base: str) -> str | None:
    """``href`` resolved against ``base``; None for empty, javascript:, mailto: and fragments."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def unique(items: Iterable[str]) -> list[str]:
    """Unique non-empty strings, first occurrence order kept."""
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out
