"""The page context of an article parse: what every field extractor reads, computed once.

The element index, the JSON-LD article and web page, the meta tags, the main region and the
article's own element, and the scoped searches the extractors share (furniture left out).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree
from parsel import Selector

from . import themes
from .body import WP_BODY, Body
from .css import Css
from .dom import ancestors, tag_of
from .furniture import in_furniture
from .index import PageIndex
from .jsonld import JsonLd, is_ld_json
from .regions import main_region, post_containers
from .text import normalize_ws, unique, visible_text

_META = Css("meta[content]")
_SCRIPT = Css("script")
H1 = Css("h1")
_ARTICLE = Css("article")
#: itemtypes of a post container (schema.org microdata)
_ARTICLE_TYPES = ("Article", "NewsArticle", "BlogPosting")
#: every content container, WordPress core's and the known themes'
_ANY_BODY = WP_BODY | themes.BODY


class PageContext:
    """Everything the field extractors share, computed once."""

    def __init__(self, sel: Selector, url: str) -> None:
        self.sel = sel
        self.url = url
        self.root: etree._Element = sel.root
        self.index = PageIndex(self.root)
        self.ld = JsonLd.from_scripts(el for el in self.select(_SCRIPT) if is_ld_json(el))
        self.art: dict[str, Any] = self.ld.article() or {}
        self.webpage: dict[str, Any] = self.ld.webpage() or {}
        self.meta: dict[str, list[str]] = {}
        for m in self.select(_META):
            key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
            value = normalize_ws(m.get("content"))
            if key and value:
                self.meta.setdefault(key, []).append(value)
        self.main = main_region(self.root, self.index)
        self.article_el = self._find_article()
        self.body: Body | None = None  # set by the body extractor
        self.html: str | None = None  # the page's text, when the caller has it
        #: field -> (label, raw text) of the first signal whose date text was unreadable
        self.unreadable: dict[str, tuple[str, str]] = {}
        #: what the parse noticed about its values (``published_at:unreadable`` ...)
        self.flags: list[str] = []

    def m(self, *keys: str) -> str | None:
        """First value of the first present meta key."""
        for key in keys:
            if self.meta.get(key):
                return self.meta[key][0]
        return None

    def select(self, css: Css, scope: etree._Element | None = None) -> list[etree._Element]:
        """Matches of ``css`` below ``scope``, or in the whole document without one."""
        return self.index.select(css, scope)

    def in_furniture(self, el: etree._Element, stop: etree._Element | None = None) -> bool:
        """:func:`furniture.in_furniture` on this page."""
        return in_furniture(el, self.index, stop)

    def _find_article(self) -> etree._Element:
        containers = [el for el in post_containers(self.index, _ARTICLE_TYPES)
                      if not self.in_furniture(el)]
        # the post that holds the page's heading or the most text
        for el in containers:
            if self.select(H1, el):
                return el
        # no post container holds the heading (block themes put post classes on the "More
        # posts" items only; JNews puts none): the smallest element around heading and body
        around = self._around_heading()
        if around is not None:
            return around
        if containers:
            return containers[0]
        articles = [a for a in self.select(_ARTICLE) if not self.in_furniture(a)]
        if articles:
            return max(articles, key=lambda a: len(visible_text(a)))
        return self.main

    def _around_heading(self) -> etree._Element | None:
        h1 = next((h for h in self.select(H1, self.main)
                   if not self.in_furniture(h) and visible_text(h)), None)
        if h1 is None:
            return None
        above_h1 = set(ancestors(h1))
        body = next((el for el in self.select(_ANY_BODY, self.root)
                     if not self.in_furniture(el) and el not in above_h1), None)
        if body is None:
            return None
        above = {h1, *ancestors(h1)}
        node: etree._Element | None = body
        while node is not None and node not in above:
            node = node.getparent()
        if node is None or tag_of(node) in {"body", "html"}:
            return None
        return node

    def scope(self) -> list[etree._Element]:
        """Where the article's own markup lives: the article element, then the main region."""
        out = [self.article_el]
        if self.main is not self.article_el:
            out.append(self.main)
        return out

    def find(self, css: Css, where: Callable[[etree._Element], bool] | None = None,
             ) -> list[etree._Element]:
        """Matches of ``css`` (and ``where``) in the first scope that has any (furniture out)."""
        for scope in self.scope():
            stop = scope.getparent()
            found = [el for el in self.select(css, scope)
                     if (where is None or where(el)) and not self.in_furniture(el, stop)]
            if found:
                return found
        return []

    def texts(self, css: Css, where: Callable[[etree._Element], bool] | None = None,
              ) -> list[str]:
        """Unique visible texts of matching elements."""
        return unique(normalize_ws(visible_text(el)) for el in self.find(css, where))
