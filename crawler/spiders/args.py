"""The ``timesca`` spider's arguments, declared once and checked before any request.

    scrapy crawl timesca [-a base_url=URL] [-a listings=PATH[,PATH...]] [-a max_pages=N]
                         [-a full=1] [-a source=auto|api|html]

A bad value raises ``ValueError`` with one line naming it (the ``crawl`` command exits 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.urls import BadURLError, check_base_url, normalize_listing

DEFAULT_BASE_URL = "https://timesca.com"
DEFAULT_LISTINGS = "latest"
_TRUE = {"1", "true", "yes", "on"}
SOURCES = ("auto", "api", "html")


def _positive_int(name: str, value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}") from None
    if number < 1:
        raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    return number


@dataclass(frozen=True)
class SpiderArgs:
    """Checked spider arguments."""

    #: the site's root URL, normalized (no trailing slash, no credentials)
    base_url: str = DEFAULT_BASE_URL
    #: archive paths relative to ``base_url`` ("latest", "category/kazakhstan", "")
    listings: tuple[str, ...] = (DEFAULT_LISTINGS,)
    #: pages read at most per archive (None: to its end)
    max_pages: int | None = None
    #: True with ``-a full=1`` (None otherwise, so the runs log records it only when set)
    full: bool | None = None
    #: where posts come from: ``auto`` (the REST API where the site announces it, else the
    #: HTML pages), ``api`` (the API, no fallback) or ``html``
    source: str = "auto"

    @classmethod
    def parse(cls, base_url: Any = DEFAULT_BASE_URL, listings: Any = DEFAULT_LISTINGS,
              max_pages: Any = None, full: Any = None, source: Any = "auto") -> SpiderArgs:
        """The arguments as ``-a`` gives them (strings), checked."""
        try:
            url = check_base_url(str(base_url))
            paths = tuple(normalize_listing(p) for p in str(listings).split(","))
        except BadURLError as exc:
            raise ValueError(str(exc)) from None
        if not str(listings).strip():
            raise ValueError("listings must name at least one archive path, e.g. 'latest'")
        mode = str(source).strip().lower()
        if mode not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
        return cls(base_url=url, listings=paths,
                   max_pages=_positive_int("max_pages", max_pages),
                   full=True if str(full).strip().lower() in _TRUE else None, source=mode)


__all__ = ["DEFAULT_BASE_URL", "DEFAULT_LISTINGS", "SpiderArgs"]
