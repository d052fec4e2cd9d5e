"""Where things are on a page: the <body>, the main content region, the WordPress posts."""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from .css import Css
from .dom import tag_of
from .furniture import is_furniture
from .index import PageIndex

_POST_MARKS = frozenset({"type-post", "hentry"})
_POST_ID = re.compile(r"post-\d+$")


@lru_cache(maxsize=4096)
def _post_classes(classes: str) -> bool:
    """Does a class attribute (split on any whitespace) mark a post: hentry, type-post, post-N?"""
    found = set(classes.split())
    return bool(found & _POST_MARKS or any(_POST_ID.match(c) for c in found))


def post_containers(index: PageIndex, itemtypes: tuple[str, ...] = ()) -> list[etree._Element]:
    """Elements marked as a WordPress post, in page order: post classes (hentry, type-post,
    post-N), a ``post-N`` id, or an itemtype ending in one of ``itemtypes``.

    Only elements in the subtree of the index's root count, never <body> or <html>.
    """
    found = [el for classes, els in index.by_class_attr.items() if _post_classes(classes)
             for el in els]
    found += [el for el in index.having("id") if _POST_ID.match(el.get("id") or "")]
    if itemtypes:
        found += [el for el in index.having("itemtype")
                  if (el.get("itemtype") or "").rstrip("/").endswith(itemtypes)]
    return index.in_order(el for el in found if tag_of(el) not in {"body", "html"}
                          and index.contains(index.root, el))


#: Where a page's main content lives, most specific first.
_MAIN_SELECTORS = ("main", "[role=main]", "[id=main]", "[id=primary]", "[id=content]",
                   ".site-main", ".content-area")
_MAIN_CSS = tuple(Css(s) for s in _MAIN_SELECTORS)


def body_of(root: etree._Element) -> etree._Element:
    """The <body> (or the root when the document has none)."""
    found = root.xpath("//body")
    return found[0] if found else root


def main_region(root: etree._Element, index: PageIndex | None = None) -> etree._Element:
    """The page's main content region (<main>, role=main, #main, #primary...), else <body>.
    A candidate whose class or id names furniture (read literally) is passed over.

    With the page's ``index`` the candidates come from it, else from XPath (usually the first
    selector finds the region: cheaper than indexing a page for it).
    """
    for css in _MAIN_CSS:
        for el in index.select(css) if index is not None else root.xpath(css.xpath):
            if not is_furniture(el, negations=False):
                return el
    return index.body() if index is not None else body_of(root)
