"""Structure helpers shared by the parsers: class/id hints, page regions, link tests.

The hints work on *parts* of class and id tokens (``td-post-sharing`` -> td, post, sharing), so
that they recognise page furniture by meaning rather than by one theme's exact class names.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import urljoin, urlsplit

from cssselect import GenericTranslator
from lxml import etree

from .text import NON_VISIBLE_TAGS, _tag

_SPLIT = re.compile(r"[-_\s]+")


def tag_of(el: etree._Element) -> str:
    """Lower-case local tag name ('' for comments and processing instructions)."""
    return _tag(el)


def tokens(el: etree._Element) -> frozenset[str]:
    """Whole class tokens and the id, lower-cased."""
    return class_tokens(el.get("class"), el.get("id"))


def parts(el: etree._Element) -> frozenset[str]:
    """Class and id tokens split on - and _ (``jp-relatedposts`` -> jp, relatedposts)."""
    return class_parts(el.get("class"), el.get("id"))


# Pages of one site repeat a few hundred class strings thousands of times: both sets are
# computed once per distinct (class, id) pair.
@lru_cache(maxsize=8192)
def class_tokens(classes: str | None, ident: str | None) -> frozenset[str]:
    out = {t.lower() for t in (classes or "").split()}
    if ident:
        out.add(ident.lower())
    return frozenset(out)


@lru_cache(maxsize=8192)
def class_parts(classes: str | None, ident: str | None) -> frozenset[str]:
    return frozenset(p for tok in class_tokens(classes, ident) for p in _SPLIT.split(tok) if p)


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
    if chrome_parts(p):
        return True
    return el.get("role") in CHROME_ROLES


#: ARIA landmark roles of site furniture.
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary"})


@lru_cache(maxsize=4096)
def chrome_parts(p: frozenset[str]) -> bool:
    """Do these class/id parts name furniture (a part, or a stem inside a part)?"""
    return bool(p & CHROME_PARTS) or any(stem in tok for tok in p for stem in CHROME_STEMS)


def _inside_article(el: etree._Element) -> bool:
    return any(tag_of(a) == "article" or tokens(a) & {"hentry", "type-post"}
               for a in ancestors(el))


#: Class prefixes that negate what follows (JNews ``entry-content no-share``: a content
#: container *without* share buttons is not a share bar).
_NEGATIONS = ("no-", "no_", "not-", "non-", "without-")


def is_furniture(el: etree._Element) -> bool:
    """:func:`is_chrome`, except that negated class tokens (``no-share``) do not count."""
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


# -- page index: class/tag/attribute queries without XPath string functions -------------
#
# libxml2 evaluates ``contains(concat(' ', normalize-space(@class), ' '), ' x ')`` on every
# element for every class test of a query, which made class-based selectors the parsers'
# main cost. A PageIndex lists a page's elements once (document order, by tag, by class
# token); a query is then a couple of bisections per step. Results are exactly those of the
# equivalent XPath (tests/test_parsers_index.py checks them against cssselect's translation).

_XML_SPACE = re.compile(r"[ \t\n\r]+")

#: Share of a page's text outside links that makes a region the page's content
#: (:meth:`PageIndex.dominant`), whatever its class names say.
DOMINANT_SHARE = 0.4


@lru_cache(maxsize=8192)
def xml_tokens(value: str) -> frozenset[str]:
    """An attribute's tokens as XPath ``normalize-space`` splits them (XML whitespace only)."""
    return frozenset(t for t in _XML_SPACE.split(value) if t)


@lru_cache(maxsize=1024)
def folded_tokens(value: str, fold: str) -> frozenset[str]:
    """Tokens of XPath ``translate(value, FOLD, fold)``: the letters of ``fold`` lower-cased."""
    return xml_tokens(value.translate(str.maketrans(fold, fold.lower())))


def has_token(el: etree._Element, name: str) -> bool:
    """``name`` is a class token of ``el``, split the way XPath's class tests split them."""
    return name in xml_tokens(el.get("class") or "")


_PART = re.compile(r"\.([\w-]+)|\[([\w-]+)(?:([~*]?=)([\w-]+))?\]|:not\(\.([\w-]+)\)")
_TAG_NAME = re.compile(r"\*|[a-z][a-z0-9]*")


@dataclass(frozen=True)
class _Compound:
    """One compound selector: ``tag.class[attr][attr=v][attr~=v][attr*=v]:not(.class)``."""

    tag: str | None
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str, str], ...]  # (name, operator or "" for presence, value)
    nots: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> _Compound:
        m = _TAG_NAME.match(text)
        tag = m.group(0) if m else None
        pos = m.end() if m else 0
        classes: list[str] = []
        attrs: list[tuple[str, str, str]] = []
        nots: list[str] = []
        while pos < len(text):
            part = _PART.match(text, pos)
            if part is None:
                raise ValueError(f"unsupported selector {text!r}")
            klass, name, op, value, negated = part.groups()
            if klass:
                classes.append(klass)
            elif name:
                attrs.append((name, op or "", value or ""))
            else:
                nots.append(negated)
            pos = part.end()
        return cls(None if tag == "*" else tag, tuple(classes), tuple(attrs), tuple(nots))

    def matches(self, el: etree._Element) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.classes or self.nots:
            toks = xml_tokens(el.get("class") or "")
            if not toks.issuperset(self.classes) or not toks.isdisjoint(self.nots):
                return False
        return all(_attr_matches(el.get(name), op, value) for name, op, value in self.attrs)

    @cached_property
    def is_pool_test(self) -> bool:
        """Is this compound exactly what :meth:`PageIndex._pool` lists (one class, one tag, one
        attribute present, or a class attribute containing a string)?"""
        if self.nots or len(self.classes) + (self.tag is not None) + len(self.attrs) != 1:
            return False
        if not self.attrs:
            return True
        name, op, _ = self.attrs[0]
        return op == "" or (name == "class" and op == "*=")


def _attr_matches(got: str | None, op: str, value: str) -> bool:
    """XPath ``@a``, ``@a = 'v'``, ``contains(concat(' ', normalize-space(@a), ' '), ' v ')``,
    ``contains(@a, 'v')`` for the operators "", "=", "~=", "*="."""
    if got is None:
        return False
    if op == "=":
        return got == value
    if op == "~=":
        return value in xml_tokens(got)
    if op == "*=":
        return value in got
    return True


class Css:
    """A selector list in the CSS subset the parsers use, matched through a :class:`PageIndex`.

    Compounds ``tag.class[attr][attr=v][attr~=v][attr*=v]:not(.class)`` joined by spaces
    (descendant combinator), selectors joined by commas. ``.x`` is XPath's
    ``contains(concat(' ', normalize-space(@class), ' '), ' x ')``.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.chains = tuple(tuple(_Compound.parse(c) for c in sel.split())
                            for sel in text.split(","))

    @cached_property
    def xpath(self) -> str:
        """The same selector as a document-wide XPath (cssselect's translation), for a page
        that has no index."""
        return GenericTranslator().css_to_xpath(self.text, prefix="/descendant::")

    def __or__(self, other: Css) -> Css:
        return Css(f"{self.text}, {other.text}")

    def __repr__(self) -> str:
        return f"Css({self.text!r})"


Element = etree._Element
Mark = Callable[[Element], bool]


class PageIndex:
    """A page's elements in document order, by tag and by class token, built in one pass.

    Holding every element keeps lxml's proxies alive, so elements can be dict keys for the
    page's lifetime (their document order and memoized per-element facts).
    """

    def __init__(self, root: Element) -> None:
        #: the page's root element (a Selector's root: usually <html>, the document's root)
        self.root = root
        #: the document's root element: what "//" searches
        self.top: Element = root.getroottree().getroot()
        self.order: dict[Element, int] = {}  # every node (comments too: they end subtrees)
        self.elements: list[Element] = []
        self.by_tag: dict[str, list[Element]] = defaultdict(list)
        self.by_class: dict[str, list[Element]] = defaultdict(list)
        #: elements by their whole class attribute (for tests that do not split it like XPath)
        self.by_class_attr: dict[str, list[Element]] = defaultdict(list)
        self._ends: dict[Element, int] = {}
        self._lists: dict[str, list[Element]] = {}  # built on first use: see having()
        self._nearest: dict[Mark, dict[Element, Element | None]] = {}
        order, elements, by_tag, by_class, by_attr = (
            self.order, self.elements, self.by_tag, self.by_class, self.by_class_attr)
        for i, el in enumerate(self.top.iter()):
            order[el] = i
            tag = el.tag
            if not isinstance(tag, str):  # comment, processing instruction
                continue
            elements.append(el)
            by_tag[tag].append(el)
            classes = el.get("class")
            if classes:
                by_attr[classes].append(el)
                for tok in xml_tokens(classes):
                    by_class[tok].append(el)

    # -- document order ------------------------------------------------------------------

    def end(self, el: Element) -> int:
        """Document-order number of the last node in ``el``'s subtree."""
        end = self._ends.get(el)
        if end is None:
            last = el
            while len(last):
                last = last[-1]
            end = self._ends[el] = self.order[last]
        return end

    def contains(self, outer: Element, el: Element) -> bool:
        """Is ``el`` ``outer`` or one of its descendants?"""
        return self.order[outer] <= self.order[el] <= self.end(outer)

    def in_order(self, elements: Iterable[Element]) -> list[Element]:
        """``elements`` without duplicates, in document order."""
        return sorted(set(elements), key=self.order.__getitem__)

    def having(self, name: str) -> list[Element]:
        """Elements that have attribute ``name``, in document order."""
        found = self._lists.get(name)
        if found is None:
            found = self._lists[name] = [e for e in self.elements if e.get(name) is not None]
        return found

    def body(self) -> Element:
        """The first <body> (or the root when the document has none), like :func:`body_of`."""
        found = self.by_tag.get("body")
        return found[0] if found else self.root

    # -- queries -------------------------------------------------------------------------

    def select(self, css: Css, scope: Element | None = None) -> list[Element]:
        """Elements matching ``css`` below ``scope`` (XPath ``descendant::``), or in the whole
        document (``//``) without one; document order, no duplicates."""
        found: list[Element] = []
        for chain in css.chains:
            anchors: list[Element] | None = None if scope is None else [scope]
            for compound in chain:
                anchors = self._below(compound, anchors)
                if not anchors:
                    break
            found.extend(anchors or ())
        return self.in_order(found) if len(css.chains) > 1 else found

    def _below(self, compound: _Compound, anchors: list[Element] | None) -> list[Element]:
        """Matches of ``compound`` strictly below any of ``anchors`` (in document order)."""
        order = self.order
        if anchors is None:
            ranges = [(-1, len(order))]
        else:
            ranges = []
            for a in anchors:  # in document order: a nested anchor adds nothing
                lo = order[a]
                if not ranges or lo > ranges[-1][1]:
                    ranges.append((lo, self.end(a)))
        pool = self._pool(compound)
        test = None if compound.is_pool_test else compound.matches
        out: list[Element] = []
        for lo, hi in ranges:
            start = bisect_right(pool, lo, key=order.__getitem__)
            stop = bisect_right(pool, hi, key=order.__getitem__)
            out.extend(filter(test, pool[start:stop]) if test else pool[start:stop])
        return out

    def _pool(self, compound: _Compound) -> list[Element]:
        """The indexed elements a match of ``compound`` must be among (document order)."""
        if compound.classes:
            return self.by_class.get(compound.classes[0], [])
        if compound.tag is not None:
            return self.by_tag.get(compound.tag, [])
        if compound.attrs:
            name, op, value = compound.attrs[0]
            if name == "class" and op == "*=":
                return self._class_containing(value)
            return self.having(name)
        return self.elements

    def _class_containing(self, value: str) -> list[Element]:
        """Elements whose class attribute contains ``value`` (XPath ``contains(@class, v)``)."""
        key = f"[class*={value}]"
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = self.in_order(
                el for classes, els in self.by_class_attr.items() if value in classes
                for el in els)
        return found

    # -- text weight ---------------------------------------------------------------------

    @cached_property
    def _weights(self) -> tuple[dict[Element, int], dict[Element, int]]:
        """Characters of visible text in each element's subtree, and of those outside links
        (one pass, children before parents; whitespace around text nodes not counted)."""
        every: dict[Element, int] = {}
        unlinked: dict[Element, int] = {}
        for el in reversed(self.elements):
            tag = el.tag
            if tag in NON_VISIBLE_TAGS:
                every[el] = unlinked[el] = 0
                continue
            text = el.text
            total = free = len(text.strip()) if text else 0
            for child in el:
                if child.tag.__class__ is str:
                    total += every[child]
                    free += unlinked[child]
                tail = child.tail
                if tail:
                    size = len(tail.strip())
                    total += size
                    free += size
            every[el] = total
            unlinked[el] = 0 if tag == "a" else free
        return every, unlinked

    def weight(self, el: Element) -> int:
        """Visible text outside links in ``el`` (characters): what a reader reads there."""
        return self._weights[1].get(el, 0)

    def link_share(self, el: Element) -> float:
        """The share of ``el``'s visible text that is link text (0 for no text)."""
        every = self._weights[0].get(el, 0)
        return 1 - self._weights[1].get(el, 0) / every if every else 0.0

    def dominant(self, el: Element) -> bool:
        """Does ``el`` hold at least :data:`DOMINANT_SHARE` of the page's text outside links?
        Such a region is the page's content whatever its class names say."""
        return self.weight(el) >= DOMINANT_SHARE * max(self.weight(self.body()), 1)

    @cached_property
    def furniture_mark(self) -> Mark:
        """The page's furniture test for :meth:`inside`: non-visible markup, or an element
        :func:`is_furniture` names (a class or tag hint) that is not :meth:`dominant`."""
        def mark(el: Element) -> bool:
            if tag_of(el) in NON_VISIBLE_TAGS:
                return True
            return is_furniture(el) and not self.dominant(el)
        return mark

    # -- memoized ancestor tests ---------------------------------------------------------

    def inside(self, el: Element, mark: Mark, stop: Element | None = None) -> bool:
        """Does ``el`` or an ancestor below ``stop`` satisfy ``mark``?

        The same answer as walking up from ``el`` until ``stop`` (or the root), with ``mark``
        evaluated once per element and page: ``mark`` must depend on the tree only.
        """
        nearest = self._nearest_marked(el, mark)
        if nearest is None:
            return False
        if stop is None or stop not in self.order or not self.contains(stop, el):
            return True  # the walk from el never meets stop: every ancestor counts
        return self.order[nearest] > self.order[stop]

    def _nearest_marked(self, el: Element, mark: Mark) -> Element | None:
        """The closest of ``el`` and its ancestors that satisfies ``mark``."""
        memo = self._nearest.setdefault(mark, {})
        path: list[Element] = []
        node: Element | None = el
        found: Element | None = None
        while node is not None:
            if node in memo:
                found = memo[node]
                break
            path.append(node)
            if mark(node):
                found = node
                break
            node = node.getparent()
        for seen in path:
            memo[seen] = found
        return found


def in_furniture(el: Element, index: PageIndex, stop: Element | None = None) -> bool:
    """Is ``el``, or an ancestor below ``stop``, furniture or non-visible markup?

    Memoized per element of the page's ``index``. A region holding a large share of the
    page's text is never furniture (:meth:`PageIndex.dominant`): a class name is a hint,
    and a wrapper called ``sidebar`` may hold the whole article.
    """
    return index.inside(el, index.furniture_mark, stop)


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

    With the page's ``index`` the candidates come from it, else from XPath (usually the first
    selector finds the region: cheaper than indexing a page for it).
    """
    for css in _MAIN_CSS:
        for el in index.select(css) if index is not None else root.xpath(css.xpath):
            if not is_chrome(el):
                return el
    return index.body() if index is not None else body_of(root)


# URL helpers are pure functions of their strings, and a site's pages link to the same URLs
# over and over: they are memoized.


@lru_cache(maxsize=8192)
def host_of(url: str) -> str:
    """Host without a leading www., lower-cased."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=8192)
def same_host(url: str, base: str) -> bool:
    """Same host as ``base`` (www. ignored); relative URLs count as same host."""
    return host_of(url) == host_of(base) if urlsplit(url).hostname else True


@lru_cache(maxsize=8192)
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
