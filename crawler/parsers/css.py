"""The CSS subset the parsers' selectors are written in, and class tokens split like XPath.

A :class:`Css` is matched through a page's :class:`~crawler.parsers.index.PageIndex`;
its answers are exactly those of cssselect's XPath translation of the same selector
(tests/test_parsers_index.py checks them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from cssselect import GenericTranslator
from lxml import etree

_XML_SPACE = re.compile(r"[ \t\n\r]+")


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
class Compound:
    """One compound selector: ``tag.class[attr][attr=v][attr~=v][attr*=v]:not(.class)``."""

    tag: str | None
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str, str], ...]  # (name, operator or "" for presence, value)
    nots: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Compound:
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
        self.chains = tuple(tuple(Compound.parse(c) for c in sel.split())
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
