"""Element basics shared by the parsers: tag names, class/id tokens and parts, ancestors,
hidden elements.

Class and id tokens are lower-cased; their *parts* split them on - and _
(``td-post-sharing`` -> td, post, sharing), so that a hint is read by meaning rather than by
one theme's exact class names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

_SPLIT = re.compile(r"[-_\s]+")


def tag_of(el: etree._Element) -> str:
    """Lower-case local tag name ('' for comments and processing instructions)."""
    tag = el.tag
    if not isinstance(tag, str):  # comments, processing instructions
        return ""
    return _local_name(tag)


@lru_cache(maxsize=1024)
def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


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
    """:func:`tokens` of a class attribute and an id."""
    out = {t.lower() for t in (classes or "").split()}
    if ident:
        out.add(ident.lower())
    return frozenset(out)


@lru_cache(maxsize=8192)
def class_parts(classes: str | None, ident: str | None) -> frozenset[str]:
    """:func:`parts` of a class attribute and an id."""
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
