"""Normalized records: what NormalizePipeline turns the spider's items into.

The spider's items hold values as the page states them (strings); these hold typed
values (UTC datetimes, Decimals, dates). A value that could not be parsed is left
``None`` and its raw form is kept in ``unparsed`` (field -> raw value) so that the
validator can reject with the exact raw value instead of guessing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from crawler.items import ARTICLE_CONTENT_FIELDS as CONTENT_FIELDS
from crawler.urls import canonical_url

#: Fields whose values define an article's content (and so its ``content_hash``).
ARTICLE_CONTENT_FIELDS = CONTENT_FIELDS


@dataclass
class Article:
    """A normalized article (see :class:`crawler.items.ArticleItem` for the raw form)."""

    url: str | None = None
    post_id: int | None = None
    title: str | None = None
    summary: str | None = None
    body_text: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    #: category term paths, parents first (``kazakhstan/kazakhstan-features``)
    category_paths: list[str] = field(default_factory=list)
    #: derived from the paths (:mod:`pipelines.taxonomy`): country names, section labels
    countries: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    image_url: str | None = None
    word_count: int | None = None
    sources: dict[str, str] = field(default_factory=dict)
    fetched_url: str | None = None
    fetched_at: datetime | None = None
    #: sha256 (hex) of the content fields, see :func:`article_content_hash`.
    content_hash: str | None = None
    #: field -> raw value that was present but could not be parsed.
    unparsed: dict[str, str] = field(default_factory=dict)
    #: HTTP validators as received (not content: they do not enter the hash).
    http_etag: str | None = None
    http_last_modified: str | None = None
    #: what extraction and normalization noticed about the values (``published_at:date-only``,
    #: ``published_at:unreadable``, ``body_text:replaced``, ``body_text:boilerplate``); not
    #: content: they do not enter the hash.
    flags: list[str] = field(default_factory=list)

    @property
    def ref_url(self) -> str:
        """Best URL to identify the article in rejects and logs ("" if none)."""
        return self.url or self.fetched_url or ""


@dataclass
class Rate:
    """A normalized currency pair observation (see :class:`crawler.items.RateItem`)."""

    base: str | None
    quote: str | None
    rate: Decimal | None
    rate_text: str | None
    change_pct: Decimal | None
    change_text: str | None
    observed_on: date | None
    observed_on_source: str | None
    page_url: str | None
    fetched_at: datetime | None
    unparsed: dict[str, str] = field(default_factory=dict)

    @property
    def pair(self) -> str | None:
        """"BASE/QUOTE", e.g. "KZT/USD"."""
        return f"{self.base}/{self.quote}" if self.base and self.quote else None

    @property
    def direction(self) -> str | None:
        """"up", "down" or "flat"; a negative zero ("-0%") is a fall, so "down"."""
        if self.change_pct is None:
            return None
        if self.change_pct.is_signed():
            return "down"
        return "flat" if self.change_pct == 0 else "up"


def _jsonable(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def article_content_hash(article: Article) -> str:
    """sha256 hex digest of the article's normalized content fields (canonical JSON)."""
    return article_content_hash_of(vars(article))


def article_content_hash_of(values: Mapping[str, Any]) -> str:
    """:func:`article_content_hash` of an article's values (a record's or a stored row's)."""
    payload = {name: _jsonable(values.get(name)) for name in ARTICLE_CONTENT_FIELDS}
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_keys(post_id: int | None, url: str | None) -> list[tuple[str, object]]:
    """Identity keys of an article, strongest first: its post id, then its canonical URL."""
    keys: list[tuple[str, object]] = []
    if post_id is not None:
        keys.append(("post_id", post_id))
    if url:
        keys.append(("url", canonical_url(url)))
    return keys


def article_identity(post_id: int | None, url: str | None) -> tuple[str, object]:
    """An article's strongest key (:func:`article_keys`), without canonicalizing the URL of
    a post that has an id."""
    if post_id is not None:
        return ("post_id", post_id)
    return ("url", canonical_url(url) if url else None)
