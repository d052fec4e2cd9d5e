"""The project's own settings, read and checked in one place.

:func:`config_of` reads every setting the project defines (README, "settings") from a
Scrapy ``Settings`` object once and checks it; a bad value is a :class:`ValueError` whose
message names the setting and the value, which the ``crawl`` command turns into exit code
2 before any request (the spider reads the config when it is created).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scrapy.settings import BaseSettings

from crawler.dates import read_date

T = TypeVar("T")

#: Defaults of the limits (see docs/SCHEDULING.md, "Limits").
ARCHIVE_MAX_PAGES = 10_000
ARCHIVE_OVERRUN = 4.0
SITEMAP_MAX_FILES = 1_000
SITEMAP_MAX_URLS = 200_000
BODY_MAX_CHARS = 1_000_000


@dataclass(frozen=True)
class Config:
    """The project's settings, checked."""

    output_dir: Path
    site_timezone: ZoneInfo
    incremental: bool
    sitemaps: bool
    refresh_days: float
    refresh_now: datetime | None
    retry_failed_days: float
    max_error_rate: float
    retry_after_max: float
    parquet_batch_rows: int
    boilerplate: bool
    boilerplate_min_articles: int
    boilerplate_min_share: float
    #: an archive stops after this many pages
    archive_max_pages: int
    #: ... or once it has given this many times more posts than it reports (plus 60)
    archive_overrun: float
    #: post sitemaps read at most per run, and post URLs taken from them
    sitemap_max_files: int
    sitemap_max_urls: int
    #: an article whose body has more characters is a reject
    body_max_chars: int
    #: Scrapy's own, checked here: the largest response (bytes, after decompression) and
    #: the run-time ceiling (seconds, 0: none)
    download_maxsize: int
    run_time_limit: float
    #: REST API runs: posts per run also fetched as HTML and compared; the overlap (hours)
    #: taken back from the stored high-water mark for ``modified_after``
    api_html_sample: int = 3
    api_overlap_hours: float = 24.0
    #: whether this process may change the output directory (:func:`writes_output`)
    write_output: bool = True


def _read(settings: BaseSettings, name: str, default: T, convert: Callable[[Any], T],
          check: Callable[[T], bool] = lambda value: True, expected: str = "") -> T:
    raw = settings.get(name, default)
    if raw is None or raw == "":
        return default
    try:
        value = convert(raw)
    except (TypeError, ValueError, OverflowError):
        value = None  # type: ignore[assignment]
    if value is None or not check(value):
        raise ValueError(f"setting {name} must be {expected}, got {raw!r}")
    return value


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise ValueError(text)


def _moment(raw: Any) -> datetime | None:
    if isinstance(raw, datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=UTC)
    found = read_date(str(raw))
    return found.to_datetime(UTC) if found else None


def _zone(raw: Any) -> ZoneInfo | None:
    try:
        return ZoneInfo(str(raw))
    except (ZoneInfoNotFoundError, ValueError):
        return None


#: setting and argument names that look like they hold a secret (their values are never
#: logged or recorded): the one list
SECRET_NAME = re.compile(r"PASS|SECRET|TOKEN|KEY|AUTH|CREDENTIAL|COOKIE|PROXY", re.IGNORECASE)


def is_secret(name: str) -> bool:
    """Whether a setting or argument name looks like it holds a secret."""
    return SECRET_NAME.search(name) is not None


def output_dir(settings: BaseSettings) -> Path:
    """``OUTPUT_DIR`` as an absolute path (``~`` expanded, relative to the working
    directory)."""
    return (Path(settings.get("OUTPUT_DIR") or "output").expanduser()).absolute()


def writes_output(settings: BaseSettings) -> bool:
    """Whether this process may change ``OUTPUT_DIR`` (setting ``WRITE_OUTPUT``).

    The project's settings say no; the ``crawl`` command alone turns it on
    (:mod:`crawler.commands.crawl`), so ``scrapy shell``, ``parse``, ``check``, ``fetch``...
    never take the lock, stage, publish or record a run. Off, the writer, the run outcome
    and summary are not loaded and the incremental state is empty (nothing is read either).
    Settings without the project's (a pipeline built in a test) leave it on.
    """
    return boolean_setting(settings, "WRITE_OUTPUT", True)


def boolean_setting(settings: BaseSettings, name: str, default: bool) -> bool:
    """A yes/no setting (1/0, true/false, yes/no, on/off); ValueError naming it otherwise."""
    return _read(settings, name, default, _bool, expected="0 or 1 (or true/false)")


def config_of(settings: BaseSettings) -> Config:
    """Every project setting of ``settings``, checked (ValueError naming a bad one)."""
    def boolean(name: str, default: bool) -> bool:
        return boolean_setting(settings, name, default)

    def number(name: str, default: float, low: float = 0.0, high: float = float("inf"),
               whole: bool = False) -> Any:
        convert: Callable[[Any], Any] = int if whole else float
        kind = "a whole number" if whole else "a number"
        bounds = f">= {low:g}" if high == float("inf") else f"from {low:g} to {high:g}"
        return _read(settings, name, default, convert, lambda v: low <= v <= high,
                     f"{kind} {bounds}")

    return Config(
        output_dir=output_dir(settings),
        site_timezone=_read(settings, "SITE_TIMEZONE", ZoneInfo("Asia/Almaty"), _zone,
                            expected="an IANA time zone such as Asia/Almaty"),
        incremental=boolean("INCREMENTAL", True),
        sitemaps=boolean("SITEMAPS", True),
        refresh_days=number("REFRESH_DAYS", 3.0),
        refresh_now=_read(settings, "REFRESH_NOW", None, _moment,
                          expected="a date and time such as 2025-01-10T06:00:00Z"),
        retry_failed_days=number("RETRY_FAILED_DAYS", 30.0),
        max_error_rate=number("MAX_ERROR_RATE", 0.25, 0.0, 1.0),
        retry_after_max=number("RETRY_AFTER_MAX", 120.0),
        parquet_batch_rows=number("PARQUET_BATCH_ROWS", 1000, 1, whole=True),
        boilerplate=boolean("BOILERPLATE", True),
        boilerplate_min_articles=number("BOILERPLATE_MIN_ARTICLES", 5, 2, whole=True),
        boilerplate_min_share=number("BOILERPLATE_MIN_SHARE", 0.01, 0.0, 0.99),
        archive_max_pages=number("ARCHIVE_MAX_PAGES", ARCHIVE_MAX_PAGES, 1, whole=True),
        archive_overrun=number("ARCHIVE_OVERRUN", ARCHIVE_OVERRUN, 1.0),
        sitemap_max_files=number("SITEMAP_MAX_FILES", SITEMAP_MAX_FILES, 1, whole=True),
        sitemap_max_urls=number("SITEMAP_MAX_URLS", SITEMAP_MAX_URLS, 1, whole=True),
        body_max_chars=number("BODY_MAX_CHARS", BODY_MAX_CHARS, 1, whole=True),
        download_maxsize=number("DOWNLOAD_MAXSIZE", 0, 0, whole=True),
        run_time_limit=number("CLOSESPIDER_TIMEOUT", 0.0),
        api_html_sample=number("API_HTML_SAMPLE", 3, 0, whole=True),
        api_overlap_hours=number("API_OVERLAP_HOURS", 24.0, 0.0),
        write_output=writes_output(settings),
    )
