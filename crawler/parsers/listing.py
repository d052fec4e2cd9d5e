"""Archive (listing) pages: the post links, the next page, the "Viewing results" line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from lxml import etree

from crawler.urls import absolute, same_host

from . import themes
from .css import Css, folded_tokens
from .dom import ancestors, tag_of, tokens
from .furniture import in_furniture, is_furniture
from .index import PageIndex
from .regions import main_region, post_containers
from .sources import GENERIC, LINK, NONE, THEME, WP, as_selector, first_of
from .text import normalize_ws, unique, visible_text


@dataclass(frozen=True)
class ResultsLine:
    """``Viewing results FIRST - LAST of TOTAL``; ``total`` None when the page omits it."""

    first: int
    last: int
    total: int | None


@dataclass(frozen=True)
class ListingPage:
    """What an archive page links to."""

    post_urls: tuple[str, ...]
    post_source: str
    next_url: str | None
    next_source: str
    results: ResultsLine | None


# -- what a permalink looks like -------------------------------------------------------

#: First path segments that are archives or utility pages, never a post.
RESERVED = frozenset({
    "category", "categories", "tag", "tags", "author", "authors", "page", "feed", "rss",
    "wp-content", "wp-json", "wp-admin", "wp-includes", "wp-login.php", "xmlrpc.php",
    "latest", "search", "comments", "trackback", "embed", "attachment", "sitemap",
    "sitemap.xml", "cdn-cgi", "about", "about-us", "contact", "contact-us", "privacy-policy",
    "privacy", "terms", "terms-of-use", "terms-and-conditions", "terms-of-service",
    "cookie-policy", "advertise", "advertising", "subscribe", "subscription", "donate",
    "support", "login", "register", "account", "my-account", "cart", "checkout", "shop",
    "newsletter", "our-people", "team", "staff", "jobs", "careers", "events", "archives",
    "type", "topics", "series",
})
_FILE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|pdf|xml|zip|mp[34]|docx?|xlsx?|css|js)$",
                       re.IGNORECASE)
_DATED = re.compile(r"^(?:19|20)\d\d$")
_LEGACY = re.compile(r"^\d+-[\w%-]+$")


@lru_cache(maxsize=8192)
def looks_like_post(url: str) -> bool:
    """Does a URL's path look like a WordPress permalink (not an archive or utility page)?"""
    split = urlsplit(url)
    segments = [unquote(s) for s in split.path.split("/") if s]
    if "p" in parse_qs(split.query) and parse_qs(split.query)["p"][0].isdigit():
        return not segments or segments == ["index.php"]
    if not segments or segments[0].lower() in RESERVED or _FILE_EXT.search(split.path):
        return False
    if any(s.lower() in {"page", "feed", "category", "tag", "author"} for s in segments):
        return False
    last = segments[-1]
    if len(segments) == 1:
        return last.count("-") >= 2 and not last.replace("-", "").isdigit()
    if _LEGACY.match(last):  # /index.php/news/22364-some-slug
        return True
    if _DATED.match(segments[0]) and len(segments) in (3, 4):  # /YYYY/MM/(DD/)slug/
        return all(s.isdigit() for s in segments[1:-1]) and not last.isdigit()
    return False


# -- post links ------------------------------------------------------------------------

_TITLE_LINKS = (
    Css("a[rel~=bookmark][href]"),
    Css(".entry-title a[href]"),
    Css("h1 a[href], h2 a[href], h3 a[href], h4 a[href]"),
)


def _wp_post_links(index: PageIndex, url: str) -> list[str]:
    out: list[str] = []
    containers = post_containers(index)
    chosen = set(containers)
    for el in containers:
        if any(a in chosen for a in ancestors(el)) or in_furniture(el, index):
            continue
        for css in _TITLE_LINKS:
            hrefs = [absolute(a.get("href"), url) for a in index.select(css, el)]
            hrefs = [h for h in hrefs if h and _post_target(h, url)]
            if hrefs:
                out.append(hrefs[0])
                break
    return unique(out)


@lru_cache(maxsize=8192)
def _post_target(href: str, url: str) -> bool:
    """Same host and not an archive/utility path (the light filter for marked-up posts)."""
    if not same_host(href, url):
        return False
    segments = [s for s in urlsplit(href).path.split("/") if s]
    return not (segments and segments[0].lower() in RESERVED)


def _links(index: PageIndex, css: Css, url: str, *, strict: bool) -> list[str]:
    """Links matching ``css`` anywhere in the page, furniture out (up to the main region)."""
    region = main_region(index.root, index)
    stop = None if region is index.body() else region.getparent()
    out = []
    for a in index.select(css):
        if in_furniture(a, index, stop):
            continue
        href = absolute(a.get("href"), url)
        if not href or not same_host(href, url) or "#" in href:
            continue
        if (looks_like_post(href) if strict else _post_target(href, url)):
            out.append(href)
    return unique(out)


_ENTRY_TITLE_LINK = Css(".entry-title a[href]")
_ANY_LINK = Css("a[href]")


#: Navigation, a sidebar, a footer or the site header, judged by tags and roles only: the
#: subtrees that are never an archive's own post list (class-name hints are too loose to
#: exclude a list outright). One function, the memo key of :meth:`PageIndex.inside`.
_FURNITURE_BY_TAG = partial(is_furniture, by_class=False)


def _teaser_links(index: PageIndex, url: str) -> list[str]:
    """Generic post list: the largest, wordiest group of repeated teasers.

    Each permalink-like link is lifted to its *item*, the highest ancestor that links to
    no other post; items sharing a parent form a group. The group linking the most posts
    with the most text per item wins (a main list has excerpts, a "Recent posts" widget
    only titles); class-name hints of furniture lower a group's score instead of hiding
    it, so one odd class on a container cannot empty the list. Groups whose items look
    like the winner's (same tag and classes) are kept too, in page order.
    """
    body = index.body()
    anchors: list[tuple[etree._Element, str]] = []
    keys_below: dict[etree._Element, set[str]] = {}
    for a in body.iter("a"):
        href = absolute(a.get("href"), url)
        if not href or not same_host(href, url) or not looks_like_post(href):
            continue
        if index.inside(a, _FURNITURE_BY_TAG):
            continue
        key = urlsplit(href).path.rstrip("/").lower()
        anchors.append((a, href))
        node: etree._Element | None = a
        while node is not None:
            keys = keys_below.setdefault(node, set())
            if key in keys:  # added before, to this node's ancestors too
                break
            keys.add(key)
            node = node.getparent()
    groups: dict[etree._Element, list[tuple[etree._Element, str]]] = {}
    group_of: list[tuple[etree._Element, str]] = []  # (group parent, href) in page order
    for a, href in anchors:
        item = a
        parent = item.getparent()
        while parent is not None and parent is not body and len(keys_below[parent]) == 1:
            item, parent = parent, parent.getparent()
        if parent is not None:
            groups.setdefault(parent, []).append((item, href))
            group_of.append((parent, href))

    def signature(item: etree._Element) -> tuple[str, tuple[str, ...]]:
        return tag_of(item), tuple(sorted(tokens(item)))

    def score(parent: etree._Element) -> float:
        items = {id(i): i for i, _ in groups[parent]}
        posts = len({h for _, h in groups[parent]})
        if posts < 2:
            return 0.0
        words = sum(min(len(visible_text(i).split()), 120) for i in items.values())
        penalty = 0.5 if in_furniture(parent, index) else 1.0
        return posts * (2 + words / len(items)) * penalty

    scores = {g: score(g) for g in groups}
    ranked = sorted(groups, key=scores.__getitem__, reverse=True)
    if not ranked or scores[ranked[0]] == 0.0:
        return []
    best = ranked[0]
    wanted = {signature(i) for i, _ in groups[best]}
    chosen = {best} | {g for g in groups if scores[g] > 0
                       and all(signature(i) in wanted for i, _ in groups[g])}
    first_link: dict[str, str] = {}  # one URL per post: the first link to it wins
    for parent, href in group_of:
        if parent in chosen:
            first_link.setdefault(urlsplit(href).path.rstrip("/").lower(), href)
    return list(first_link.values())


def _post_links(index: PageIndex, url: str) -> tuple[list[str], str]:
    value, label = first_of((
        (WP, lambda: _wp_post_links(index, url)),
        (WP, lambda: _links(index, _ENTRY_TITLE_LINK, url, strict=False)),
        (THEME, lambda: _links(index, themes.POST_LINK, url, strict=False)),
        (GENERIC, lambda: _teaser_links(index, url)),
        (GENERIC, lambda: _links(index, _ANY_LINK, url, strict=True)),
    ))
    return (value or []), label


# -- next page -------------------------------------------------------------------------

_PAGE_IN_PATH = re.compile(r"^(.*?)/page/(\d+)/?$")
_NEXT_TEXT = re.compile(
    r"^(?:next|next page|next posts|older|older posts|older entries|older articles|"
    r"more posts|load more|»|›|→|>|>>|next\s*[»›→>]+|older posts\s*[»›→>]+)$",
    re.IGNORECASE,
)


def _first_href(links: list[etree._Element], url: str) -> str | None:
    for el in links:
        href = absolute(el.get("href"), url)
        if href and href.split("#")[0] != url.split("#")[0]:
            return href
    return None


def _current_page(url: str) -> tuple[str, int]:
    split = urlsplit(url)
    m = _PAGE_IN_PATH.match(split.path)
    if m:
        return m.group(1), int(m.group(2))
    paged = parse_qs(split.query).get("paged", [""])[0]
    path = split.path.rstrip("/")
    return path, int(paged) if paged.isdigit() else 1


def _generic_next(index: PageIndex, url: str) -> str | None:
    base, number = _current_page(url)
    wanted = f"{base.rstrip('/')}/page/{number + 1}"
    texts: list[str] = []
    for a in index.select(_ANY_LINK):
        href = absolute(a.get("href"), url)
        if not href or not same_host(href, url):
            continue
        split = urlsplit(href)
        if split.path.rstrip("/") == wanted:
            return href
        paged = parse_qs(split.query).get("paged", [""])[0]
        if paged == str(number + 1) and split.path.rstrip("/") == base.rstrip("/"):
            return href
        label = normalize_ws(visible_text(a) or a.get("aria-label") or a.get("title") or "")
        if _NEXT_TEXT.match(label) and not any(
                tag_of(x) != "nav" and is_furniture(x, negations=False) for x in ancestors(a)):
            texts.append(href)
    return texts[0] if texts else None


_LINK_REL = Css("link[rel]")
_WP_NEXT = Css("a.next.page-numbers, a[rel~=next], .nav-previous a")


def _next_url(index: PageIndex, url: str) -> tuple[str | None, str]:
    value, label = first_of((
        (LINK, lambda: _first_href([el for el in index.select(_LINK_REL)
                                    if "next" in folded_tokens(el.get("rel") or "", "NEXT")],
                                   url)),
        (WP, lambda: _first_href(index.select(_WP_NEXT), url)),
        (THEME, lambda: _first_href(index.select(themes.NEXT_PAGE), url)),
        (GENERIC, lambda: _generic_next(index, url)),
    ))
    return value, label


# -- "Viewing results" -----------------------------------------------------------------

_NUM = r"(\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+|\d+)"
RESULTS_RE = re.compile(
    r"(?:viewing|showing|displaying)\s+(?:results?|posts?|articles?)?\s*"
    + _NUM + r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2212]\s*" + _NUM
    + r"\s+of(?:\s+" + _NUM + r"(?![\d,.]\d))?",
    re.IGNORECASE,
)


def _int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def parse_results(text: str) -> ResultsLine | None:
    """``"Viewing results 97 - 102 of 118"`` -> ResultsLine(97, 102, 118); total may be None."""
    m = RESULTS_RE.search(normalize_ws(text))
    if not m:
        return None
    total = _int(m.group(3)) if m.group(3) else None
    return ResultsLine(_int(m.group(1)), _int(m.group(2)), total)


#: XPath ``contains(translate(., 'RESULTS', 'results'), 'results')`` on an element's text.
_SAYS_RESULTS = re.compile("[Rr][Ee][Ss][Uu][Ll][Tt][Ss]")


def _says_results(el: etree._Element) -> bool:
    text = etree.tostring(el, method="text", encoding=str, with_tail=False)  # string-value
    return _SAYS_RESULTS.search(text) is not None


def _results_holders(index: PageIndex) -> list[etree._Element]:
    """XPath ``//body//*[says results][not(*[says results])]``, searched from the top down.

    An element's text contains its children's, so only elements that say "results" can have
    descendants that do: the search never enters the rest of the page.
    """
    out: list[etree._Element] = []
    stack = [(index.top, False)] if _says_results(index.top) else []
    while stack:  # depth first, children in page order: the results come in page order
        el, below_body = stack.pop()
        saying = [c for c in el if isinstance(c.tag, str) and _says_results(c)]
        if not saying:
            if below_body:
                out.append(el)
            continue
        below_body = below_body or el.tag == "body"
        stack.extend((child, below_body) for child in reversed(saying))
    return out


def _results(index: PageIndex) -> ResultsLine | None:
    # the smallest element holding the line, so that the number after "of" is its own
    for el in _results_holders(index):
        if tag_of(el) in {"script", "style", "noscript", "template"}:
            continue
        found = parse_results(visible_text(el))
        if found:
            return found
    return None


def parse_listing(page: Any, url: str) -> ListingPage:
    """Post URLs (absolute, page order, unique, as linked), next page, results line."""
    sel = as_selector(page)
    root = sel.root
    if not isinstance(root, etree._Element):
        return ListingPage((), NONE, None, NONE, None)
    index = PageIndex(root)
    posts, post_source = _post_links(index, url)
    next_url, next_source = _next_url(index, url)
    results = _results(index)
    return ListingPage(tuple(posts), post_source, next_url, next_source, results)


