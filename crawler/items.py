"""Items the spider yields. Values are as the page states them; pipelines normalize.

Every item is a plain dataclass so that itemadapter, Scrapy feed exports and the
project pipelines all handle it without special casing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

#: field metadata of ArticleItem: filled by the page parse (``page``); part of the
#: article's content, so of its ``content_hash`` (``content``)
_PAGE = {"page": True}
_CONTENT = {"page": True, "content": True}
#: filled by the page parse for the pipelines, not a column of its own
_INPUT = {"page": True, "stored": False}


def now_text() -> str:
    """The time items are stamped with (``fetched_at``, ``recorded_at``, ``at``): UTC, ISO
    8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class ArticleItem:
    """One article page as extracted, before normalization.

    Dates are the page's own strings (ISO 8601 with offset, or whatever the
    winning source held); the normalize pipeline turns them into UTC datetimes
    and rejects what it cannot parse, keeping the raw value.
    """

    url: str | None = field(default=None, metadata=_CONTENT)
    post_id: int | None = field(default=None, metadata=_CONTENT)
    title: str | None = field(default=None, metadata=_CONTENT)
    summary: str | None = field(default=None, metadata=_CONTENT)
    body_text: str | None = field(default=None, metadata=_CONTENT)
    authors: list[str] = field(default_factory=list, metadata=_CONTENT)
    published_at: str | None = field(default=None, metadata=_CONTENT)
    modified_at: str | None = field(default=None, metadata=_CONTENT)
    categories: list[str] = field(default_factory=list, metadata=_CONTENT)
    tags: list[str] = field(default_factory=list, metadata=_CONTENT)
    #: the category terms' paths, parents first: ``kazakhstan/kazakhstan-business-economy``
    #: for /category/kazakhstan/kazakhstan-business-economy/ (the page's term links, or the
    #: API's term objects); the ``countries`` and ``sections`` columns derive from them
    category_paths: list[str] = field(default_factory=list, metadata=_CONTENT)
    #: the name each of ``category_paths`` is linked with ("" where the source gives none)
    category_path_names: list[str] = field(default_factory=list, metadata=_INPUT)
    image_url: str | None = field(default=None, metadata=_CONTENT)
    #: derived from the body: extracted, but not content of its own
    word_count: int | None = field(default=None, metadata=_PAGE)
    #: field name -> extraction source that supplied it (see crawler.parsers.sources).
    sources: dict[str, str] = field(default_factory=dict)
    #: URL actually fetched (after redirects), for rejects and debugging.
    fetched_url: str | None = None
    #: ISO 8601 UTC time the page was fetched.
    fetched_at: str | None = None
    #: HTTP validators as received (``ETag``, ``Last-Modified``), for conditional refetches.
    http_etag: str | None = None
    http_last_modified: str | None = None
    #: what the parse noticed about the values (``published_at:unreadable``,
    #: ``body_text:replaced``); normalization adds ``<field>:date-only``.
    flags: list[str] = field(default_factory=list)


@dataclass
class RateItem:
    """One currency pair as shown in a page's header ticker."""

    base: str
    quote: str
    #: the rate exactly as shown, e.g. "0.00190".
    rate_text: str
    #: the change exactly as shown, e.g. "-0%".
    change_text: str
    #: ISO date (YYYY-MM-DD) the rate was observed on, or None if unknown.
    observed_on: str | None
    #: "dateline" (the page's header date line) or "http-date" (response Date
    #: header, in the site's zone) or "fetch-time" (local clock, in the site's zone).
    observed_on_source: str
    page_url: str
    fetched_at: str


@dataclass
class RejectItem:
    """Something that could not become a row: kept with its reason, never dropped."""

    url: str
    #: "validation" (a required field missing or unparseable), "http" (a final
    #: HTTP error or network failure), "extraction" (a page that parsed to nothing).
    kind: str
    reason: str
    field: str | None = None
    raw_value: str | None = None
    recorded_at: str | None = None


@dataclass
class ArticleMark:
    """Something learnt about a stored article without a new copy of it.

    ``event`` is "removed" (a known post now answers 404 or 410: the row is kept and
    gets ``removed_at``) or "not-modified" (a conditional refetch answered 304: the
    row's ``last_seen_at`` moves and ``removed_at`` is cleared). ``published_at`` is
    the stored row's (it names the partition); ``at`` the ISO 8601 UTC time.
    """

    url: str
    post_id: int | None
    published_at: str
    event: str
    status: int
    at: str

    @classmethod
    def answer(cls, known: Any, status: int) -> ArticleMark:
        """The mark of a stored post (``known``: url, post_id, published_at) that answered
        ``status``: 304 not modified, 404/410 removed."""
        return cls(url=known.url, post_id=known.post_id,
                   published_at=known.published_at.isoformat(),
                   event="not-modified" if status == 304 else "removed", status=status,
                   at=now_text())


#: The article's fields, declared once (on :class:`ArticleItem`): those a page parse fills,
#: in order (``crawler.parsers.FIELDS``), and those that make its content
#: (``content_hash``, ``pipelines.records``). The stored schema is checked against them
#: (tests/test_schemas_fields.py).
ARTICLE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ArticleItem)
                                        if f.metadata.get("page"))
ARTICLE_CONTENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ArticleItem)
                                                if f.metadata.get("content"))
#: the parsed fields that are columns of the ``articles`` dataset as they are
ARTICLE_STORED_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ArticleItem)
                                               if f.metadata.get("page")
                                               and f.metadata.get("stored", True))

