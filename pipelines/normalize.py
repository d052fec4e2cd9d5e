"""NormalizePipeline: raw spider items -> typed :mod:`pipelines.records`.

Text is NFC with whitespace collapsed (NBSP and other Unicode spaces become a
space, zero-width characters are removed); URLs are made safe and lose their
fragment; dates become UTC-aware datetimes (read by :mod:`crawler.dates`; a date shown
without a time is midnight site time, flagged ``<field>:date-only``); rates become exact
Decimals. Nothing else is guessed: a value that cannot be parsed becomes ``None`` and its
raw form is kept in the record's ``unparsed`` map for
:class:`pipelines.validate.ValidatePipeline`.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any
from urllib.parse import urldefrag
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from itemadapter import ItemAdapter
from scrapy import Spider
from scrapy.crawler import Crawler
from w3lib.url import safe_url_string

from crawler.config import config_of
from crawler.dates import read_datetime
from crawler.errors import rejecting
from crawler.items import ArticleItem, RateItem, RejectItem
from pipelines import taxonomy
from pipelines.records import Article, Rate, article_content_hash

logger = logging.getLogger(__name__)

DEFAULT_SITE_TIMEZONE = "Asia/Almaty"

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
#: C0/C1 control characters other than tab and newline (junk in page text).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")  # str patterns: includes NBSP and the other Unicode spaces
_BLANK_LINES = re.compile(r"\n{2,}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL = re.compile(r"[+-]?\d+(?:\.\d+)?")
_PERCENT = re.compile(r"([+-]?)(\d+(?:\.\d+)?)\s*%")
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-"})


def _prepare(value: str) -> str:
    value = _ZERO_WIDTH.sub("", value)
    value = unicodedata.normalize("NFC", value)
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_text(value: object) -> str | None:
    """One-line text: NFC, whitespace runs (newlines included) -> one space, stripped.

    Returns ``None`` for ``None`` and for text that is empty once cleaned.
    """
    if value is None:
        return None
    text = _SPACES.sub(" ", _prepare(str(value))).strip()
    return text or None


def clean_body(value: object) -> str | None:
    """Multi-line text: each line cleaned like :func:`clean_text`; line breaks kept and
    runs of blank lines collapsed to one paragraph break ("\\n\\n")."""
    if value is None:
        return None
    lines = [_SPACES.sub(" ", line).strip() for line in _prepare(str(value)).split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return text or None


def clean_list(values: object) -> list[str]:
    """Each value cleaned, empties dropped, duplicates removed keeping first order."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:  # type: ignore[union-attr]
        text = clean_text(value)
        if text is not None and text not in out:
            out.append(text)
    return out


def clean_url(value: object) -> str | None:
    """A safe (percent-encoded) absolute URL without its fragment, or ``None``."""
    text = clean_text(value)
    if text is None:
        return None
    return urldefrag(safe_url_string(text)).url or None


#: The flag of a date shown without a time of day (``published_at:date-only``).
DATE_ONLY = ":date-only"


class Unparsed(ValueError):
    """A value was present but could not be parsed."""


def read_moment(value: object, site_tz: tzinfo) -> tuple[datetime, bool] | None:
    """A date (any form :func:`crawler.dates.read_date` reads) as a UTC datetime, and
    whether it was a day only (then it is midnight in ``site_tz``; a time without an offset
    is in ``site_tz`` too). ``None``/empty -> ``None``; anything else raises
    :class:`Unparsed`."""
    if isinstance(value, datetime):
        when = value if value.tzinfo else value.replace(tzinfo=site_tz)
        return when.astimezone(UTC), False
    text = clean_text(value)
    if text is None:
        return None
    found = read_datetime(text, site_tz)
    if found is None:
        raise Unparsed(text)
    return found


def parse_datetime(value: object, site_tz: tzinfo) -> datetime | None:
    """:func:`read_moment` without the day-only mark."""
    found = read_moment(value, site_tz)
    return found[0] if found else None


def parse_date(value: object) -> date | None:
    """"YYYY-MM-DD" -> date; ``None``/empty -> ``None``; otherwise :class:`Unparsed`."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    text = clean_text(value)
    if text is None:
        return None
    if not _ISO_DATE.fullmatch(text):
        raise Unparsed(text)
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise Unparsed(text) from exc


def _fits(number: Decimal, text: str, precision: int, scale: int) -> Decimal:
    """``number`` if decimal128(precision, scale) holds it exactly, else :class:`Unparsed`."""
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > scale or number.adjusted() >= precision - scale:
        raise Unparsed(text)
    return number


def parse_rate(value: object, precision: int = 18, scale: int = 8) -> Decimal | None:
    """"0.00008" -> Decimal("0.00008") exactly; a value that does not fit
    decimal128(precision, scale) exactly, or is no number, raises :class:`Unparsed`."""
    text = clean_text(value)
    if text is None:
        return None
    if not _DECIMAL.fullmatch(text.translate(_MINUS_SIGNS)):
        raise Unparsed(text)
    return _fits(Decimal(text.translate(_MINUS_SIGNS)), text, precision, scale)


def parse_change(value: object, precision: int = 9, scale: int = 4) -> Decimal | None:
    """"-0.1%" -> Decimal("-0.1"); the sign is kept, so "-0%" -> Decimal("-0")."""
    text = clean_text(value)
    if text is None:
        return None
    match = _PERCENT.fullmatch(text.translate(_MINUS_SIGNS))
    if not match:
        raise Unparsed(text)
    return _fits(Decimal(match.group(1) + match.group(2)), text, precision, scale)


def parse_post_id(value: object) -> int | None:
    """A positive WordPress post id (int or digits) -> int; otherwise :class:`Unparsed`."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if value > 0:
            return value
        raise Unparsed(str(value))
    text = clean_text(value)
    if text is None:
        return None
    if not text.isdecimal() or int(text) <= 0:
        raise Unparsed(text)
    return int(text)


def site_timezone(name: str) -> ZoneInfo:
    """The zone of setting SITE_TIMEZONE; an unknown name is a ValueError (not
    NotConfigured, which would make Scrapy silently skip normalization)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"SITE_TIMEZONE {name!r} is not a known IANA time zone") from exc


class _Collector:
    """Parses fields, remembering the raw value of each one that fails."""

    def __init__(self) -> None:
        self.unparsed: dict[str, str] = {}

    def __call__(self, name: str, parse: Any, value: object, *args: object) -> Any:
        try:
            return parse(value, *args)
        except Unparsed:
            self.unparsed[name] = value if isinstance(value, str) else repr(value)
            return None


def _category_terms(paths: Any, names: Any) -> tuple[list[str], list[str]]:
    """Term paths (cleaned, first of each kept) with the name each was linked with."""
    names = list(names or [])
    out: dict[str, str] = {}
    for i, raw in enumerate(paths or []):
        path = clean_text(raw) if isinstance(raw, str) else None
        if path:
            path = path.strip("/").lower()
        if path and path not in out:
            name = names[i] if i < len(names) and isinstance(names[i], str) else ""
            out[path] = clean_text(name) or ""
    return list(out), list(out.values())


def normalize_article(item: ArticleItem | Any, site_tz: tzinfo) -> Article:
    """Normalize one article item (any item type with ArticleItem's fields)."""
    raw = ItemAdapter(item)
    get = raw.get
    parse = _Collector()
    body = clean_body(get("body_text"))
    sources = {str(k): str(v) for k, v in (get("sources") or {}).items() if v is not None}
    flags = clean_list(get("flags"))
    categories = clean_list(get("categories"))
    paths, path_names = _category_terms(get("category_paths"), get("category_path_names"))
    moments = {}
    for name in ("published_at", "modified_at"):
        moments[name] = found = parse(name, read_moment, get(name), site_tz)
        if found and found[1]:
            flags.append(f"{name}{DATE_ONLY}")
    article = Article(
        url=clean_url(get("url")),
        post_id=parse("post_id", parse_post_id, get("post_id")),
        title=clean_text(get("title")),
        summary=clean_text(get("summary")),
        body_text=body,
        authors=clean_list(get("authors")),
        published_at=moments["published_at"][0] if moments["published_at"] else None,
        modified_at=moments["modified_at"][0] if moments["modified_at"] else None,
        categories=categories,
        tags=clean_list(get("tags")),
        category_paths=paths,
        countries=taxonomy.countries(paths, categories),
        sections=taxonomy.sections(paths, path_names),
        image_url=clean_url(get("image_url")),
        word_count=len(body.split()) if body else None,
        sources=sources,
        fetched_url=clean_url(get("fetched_url")),
        fetched_at=parse("fetched_at", parse_datetime, get("fetched_at"), UTC),
        unparsed=parse.unparsed,
        http_etag=get("http_etag") or None,
        http_last_modified=get("http_last_modified") or None,
        flags=flags,
    )
    article.content_hash = article_content_hash(article)
    return article


def normalize_rate(item: RateItem | Any) -> Rate:
    """Normalize one rate item (any item type with RateItem's fields)."""
    raw = ItemAdapter(item)
    get = raw.get
    parse = _Collector()
    base, quote = clean_text(get("base")), clean_text(get("quote"))
    return Rate(
        base=base.upper() if base else None,
        quote=quote.upper() if quote else None,
        rate=parse("rate_text", parse_rate, get("rate_text")),
        rate_text=clean_text(get("rate_text")),
        change_pct=parse("change_text", parse_change, get("change_text")),
        change_text=clean_text(get("change_text")),
        observed_on=parse("observed_on", parse_date, get("observed_on")),
        observed_on_source=clean_text(get("observed_on_source")),
        page_url=clean_url(get("page_url")),
        fetched_at=parse("fetched_at", parse_datetime, get("fetched_at"), UTC),
        unparsed=parse.unparsed,
    )


def normalize_reject(item: RejectItem) -> RejectItem:
    """Clean a reject's text fields (raw_value is kept exactly as recorded)."""
    return RejectItem(
        url=clean_url(item.url) or (item.url or ""),
        kind=clean_text(item.kind) or "unknown",
        reason=clean_text(item.reason) or "",
        field=clean_text(item.field),
        raw_value=item.raw_value,
        recorded_at=item.recorded_at,
    )


class NormalizePipeline:
    """Turns ArticleItem/RateItem into :class:`Article`/:class:`Rate`; cleans RejectItem.

    Setting ``SITE_TIMEZONE`` (default "Asia/Almaty") is the zone of naive dates.
    Stats: ``normalize/<kind>`` per item, ``normalize/unparsed/<field>`` and
    ``article_flags/<field>:date-only``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.site_tz = config_of(crawler.settings).site_timezone

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    @rejecting
    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if isinstance(item, ArticleItem):
            record: Any = normalize_article(item, self.site_tz)
            kind = "article"
        elif isinstance(item, RateItem):
            record = normalize_rate(item)
            kind = "rate"
        elif isinstance(item, RejectItem):
            return normalize_reject(item)
        else:
            return item
        self.stats.inc_value(f"normalize/{kind}")
        for flag in getattr(record, "flags", ()):
            if flag.endswith(DATE_ONLY):  # the parsers' own flags are counted by the spider
                self.stats.inc_value(f"article_flags/{flag}")
        for name, raw in record.unparsed.items():
            self.stats.inc_value(f"normalize/unparsed/{name}")
            logger.debug("Unparseable %s %s=%r", kind, name, raw)
        return record
