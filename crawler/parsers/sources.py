"""Extraction source labels and the first-signal-wins chain.

Every extracted value is tagged with the label of the signal that supplied it (see
docs/ARCHITECTURE.md, "Extraction sources"); the spider counts them as
``extract/<field>/<label>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from parsel import Selector

#: the WordPress REST API (a post object of /wp-json/wp/v2/posts)
API = "api"
JSONLD = "jsonld"
META = "meta"
LINK = "link"
WP = "wp"
TEXT = "text"
THEME = "theme"
GENERIC = "generic"
URL = "url"
NONE = "none"

#: All labels, most standard signal first.
LABELS: tuple[str, ...] = (API, JSONLD, META, LINK, WP, TEXT, THEME, GENERIC, URL, NONE)

T = TypeVar("T")

#: One step of a chain: the label it reports and a thunk computing its value.
Step = tuple[str, Callable[[], Any]]


def is_empty(value: Any) -> bool:
    """True for None, blank strings and empty collections (0 and False are values)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset | dict):
        return len(value) == 0
    return False


def first_of(chain: Iterable[Step]) -> tuple[Any, str]:
    """Run ``(label, thunk)`` steps in order; return the first non-empty value and its label.

    A step that raises is treated as empty: one odd signal must never sink a page.
    Returns ``(None, "none")`` when no step yields a value.
    """
    for label, thunk in chain:
        try:
            value = thunk()
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            continue
        if not is_empty(value):
            return value, label
    return None, NONE


def as_selector(page: Any) -> Selector:
    """Accept a :class:`parsel.Selector` or anything with one (a Scrapy ``TextResponse``)."""
    if isinstance(page, Selector):
        return page
    inner = getattr(page, "selector", None)
    if isinstance(inner, Selector):
        return inner
    if isinstance(page, str):
        return Selector(text=page)
    raise TypeError(f"cannot make a Selector from {type(page).__name__}")
