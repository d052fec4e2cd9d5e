"""Page furniture: the site header, navigation, sidebars, footers, comments, share, related
and ad boxes — what is on every page of a site and is not a post's own content.

One test, :func:`is_furniture`, read at three strengths: class and id names with negated
tokens understood (the default), class and id names read literally, or tags and ARIA roles
only. :func:`in_furniture` asks it of an element's ancestors on a page, where a region
holding a large share of the page's text is never furniture.

Class and id tokens are read by their *parts* (``td-post-sharing`` -> td, post, sharing), so
that furniture is recognised by meaning rather than by one theme's exact class names.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from .dom import ancestors, parts, tag_of, tokens
from .index import Element, Mark, PageIndex
from .text import NON_VISIBLE_TAGS

#: Parts of class/id tokens that mark site furniture (not an archive's posts or an article).
FURNITURE_PARTS = frozenset({
    "sidebar", "widget", "widgets", "widgetarea", "comments", "comment", "respond",
    "menu", "navigation", "nav", "navbar", "breadcrumb", "breadcrumbs", "masthead",
    "footer", "copyright", "share", "sharing", "social", "sharedaddy", "related",
    "relatedposts", "yarpp", "newsletter", "subscribe", "subscription", "sponsor", "sponsored",
    "advert", "advertisement", "ads", "promo", "popup", "cookie", "offcanvas",
})
#: Stems that mark furniture even inside a compound token (``sharebar``, ``adwidget``).
FURNITURE_STEMS = ("share", "social", "sponsor", "advert", "newsletter", "subscribe",
                   "sidebar", "widget", "relatedpost", "promo")
#: Tags of furniture.
FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "form", "dialog"})
#: ARIA landmark roles of furniture.
FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary"})
#: Parts that make a "header" a post's own header rather than the site header.
_POST_HEADER_PARTS = frozenset({"entry", "post", "article", "page", "single", "archive"})
#: Class prefixes that negate what follows (JNews ``entry-content no-share``: a content
#: container *without* share buttons is not a share bar).
_NEGATIONS = ("no-", "no_", "not-", "non-", "without-")


@lru_cache(maxsize=4096)
def furniture_parts(p: frozenset[str]) -> bool:
    """Do these class/id parts name furniture (a part, or a stem inside a part)?"""
    return bool(p & FURNITURE_PARTS) or any(stem in tok for tok in p for stem in FURNITURE_STEMS)


def is_furniture(el: etree._Element, *, by_class: bool = True, negations: bool = True) -> bool:
    """Is ``el`` page furniture: the site header, navigation, a sidebar, a footer, comments,
    a share, related or ad box...?

    A <footer> or <header> inside a post (an <article>, ``hentry``, ``type-post``) is the
    post's own, as is a header named for the post (``entry-header``); <body> and <html>
    never are furniture.

    ``by_class``: class and id names count (default). Without, only the tags, the ARIA
    roles and the site's <header> do (a footer inside a post too): the strength to exclude
    a whole list of links, for which class-name hints are too loose.
    ``negations``: a negated class token (``no-share``) names nothing (default); without,
    class tokens are read literally.
    """
    if not by_class:
        tag = tag_of(el)
        return (tag in FURNITURE_TAGS or el.get("role") in FURNITURE_ROLES
                or (tag == "header" and _named(el)))
    if not _named(el):
        return False
    if not negations:
        return True
    classes = (el.get("class") or "").split()
    if tag_of(el) in FURNITURE_TAGS or not any(c.lower().startswith(_NEGATIONS)
                                               for c in classes):
        return True
    probe = etree.Element(tag_of(el) or "div")  # el without its negated tokens
    kept = " ".join(c for c in classes if not c.lower().startswith(_NEGATIONS))
    if kept:
        probe.set("class", kept)
    for name in ("id", "role"):
        if el.get(name):
            probe.set(name, el.get(name, ""))
    return _named(probe)


def _named(el: etree._Element) -> bool:
    """Do ``el``'s tag, class/id parts or role name furniture (tokens read literally)?"""
    tag = tag_of(el)
    if tag in {"body", "html"}:
        return False
    p = parts(el)
    if tag in FURNITURE_TAGS:
        return not (tag == "footer" and _inside_article(el))
    if tag == "header" or "header" in p:
        return not (p & _POST_HEADER_PARTS) and not _inside_article(el)
    if furniture_parts(p):
        return True
    return el.get("role") in FURNITURE_ROLES


def _inside_article(el: etree._Element) -> bool:
    return any(tag_of(a) == "article" or tokens(a) & {"hentry", "type-post"}
               for a in ancestors(el))


def _page_furniture(index: PageIndex, el: Element) -> bool:
    """Non-visible markup, or furniture (:func:`is_furniture`) that is not
    :meth:`~PageIndex.dominant` on its page."""
    if tag_of(el) in NON_VISIBLE_TAGS:
        return True
    return is_furniture(el) and not index.dominant(el)


def furniture_mark(index: PageIndex) -> Mark:
    """The page's furniture test as a :data:`~crawler.parsers.index.Mark`, for
    :meth:`PageIndex.inside`: non-visible markup, or furniture that is not dominant."""
    return index.mark(_page_furniture)


def in_furniture(el: Element, index: PageIndex, stop: Element | None = None) -> bool:
    """Is ``el``, or an ancestor below ``stop``, furniture or non-visible markup?

    Memoized per element of the page's ``index``. A region holding a large share of the
    page's text is never furniture (:meth:`PageIndex.dominant`): a class name is a hint,
    and a wrapper called ``sidebar`` may hold the whole article.
    """
    return index.inside(el, furniture_mark(index), stop)
