"""A page's element index: document order, selector queries, text weights, ancestor tests.

libxml2 evaluates ``contains(concat(' ', normalize-space(@class), ' '), ' x ')`` on every
element for every class test of a query, which made class-based selectors the parsers'
main cost. A PageIndex lists a page's elements once (document order, by tag, by class
token); a query (a :class:`~crawler.parsers.css.Css`) is then a couple of bisections per
step. Results are exactly those of the equivalent XPath (tests/test_parsers_index.py
checks them against cssselect's translation).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property, partial

from lxml import etree

from .css import Compound, Css, xml_tokens
from .text import NON_VISIBLE_TAGS

#: Share of a page's text outside links that makes a region the page's content
#: (:meth:`PageIndex.dominant`), whatever its class names say.
DOMINANT_SHARE = 0.4

Element = etree._Element
#: A test of one element, memoized per element by :meth:`PageIndex.inside`: it must depend
#: on the tree only.
Mark = Callable[[Element], bool]
#: A test of one element of a page, ``test(index, el)``: see :meth:`PageIndex.mark`.
PageTest = Callable[["PageIndex", Element], bool]


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
        self._marks: dict[PageTest, Mark] = {}
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
        """The first <body> (or the root when the document has none), like
        :func:`~crawler.parsers.regions.body_of`."""
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

    def _below(self, compound: Compound, anchors: list[Element] | None) -> list[Element]:
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

    def _pool(self, compound: Compound) -> list[Element]:
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

    # -- memoized ancestor tests ---------------------------------------------------------

    def mark(self, test: PageTest) -> Mark:
        """``test`` bound to this page, as one :data:`Mark` per test and page (the memo key
        of :meth:`inside`): for a test that depends on the page, not the element only."""
        bound = self._marks.get(test)
        if bound is None:
            bound = self._marks[test] = partial(test, self)
        return bound

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
