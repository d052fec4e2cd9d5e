"""The ``timesca`` spider: paginated archives -> article pages, plus each page's ticker.

    scrapy crawl timesca [-a base_url=URL] [-a listings=PATH[,PATH...]] [-a max_pages=N]

The spider only decides where to go; what a page says comes from
:mod:`crawler.parsers`, what an item becomes from :mod:`pipelines`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.archives import ArchiveTracker
from crawler.items import ArticleItem, RateItem, RejectItem
from crawler.observation import observed_on
from crawler.parsers import parse_article, parse_dateline, parse_listing, parse_ticker
from crawler.urls import (
    BadURLError,
    canonical_url,
    check_base_url,
    host_of,
    listing_url,
    normalize_listing,
    page_number,
    same_site,
)

DEFAULT_BASE_URL = "https://timesca.com"
DEFAULT_LISTINGS = "latest"


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def failure_kind(failure: Failure) -> tuple[str, str, int | None]:
    """(stats kind, human reason, HTTP status or None) of a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}", f"HTTP {status}", status
    name = type(exc).__name__
    kinds = {
        "TimeoutError": "timeout",
        "TCPTimedOutError": "timeout",
        "DNSLookupError": "dns",
        "ConnectionRefusedError": "connection_refused",
        "ConnectionLost": "connection_lost",
        "ResponseFailed": "response_failed",
        "ResponseNeverReceived": "response_failed",
        "_DataLoss": "data_loss",
        "IgnoreRequest": "ignored",
    }
    kind = kinds.get(name, name.lower())
    detail = str(exc) or name
    if kind == "ignored" and "robots.txt" in detail.lower():
        kind = "robots_forbidden"
    return kind, f"{name}: {detail}"[:500], None


class TimescaSpider(scrapy.Spider):
    """Crawl archives of a WordPress news site into articles and header rates."""

    name = "timesca"

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        listings: str = DEFAULT_LISTINGS,
        max_pages: str | int | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        try:
            self.base_url = check_base_url(base_url)
            self.listings = [normalize_listing(p) for p in str(listings).split(",")]
        except BadURLError as exc:
            raise ValueError(str(exc)) from None
        if not str(listings).strip():
            raise ValueError("listings must name at least one archive path, e.g. 'latest'")
        self.max_pages = self._positive_int("max_pages", max_pages)
        self.allowed_domains = [host_of(self.base_url)]
        self.archives = ArchiveTracker()

    @staticmethod
    def _positive_int(name: str, value: str | int | None) -> int | None:
        if value in (None, ""):
            return None
        try:
            number = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}") from None
        if number < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
        return number

    @property
    def site_tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.get("SITE_TIMEZONE", "Asia/Almaty"))

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for archive in dict.fromkeys(self.listings):
            yield self._listing_request(listing_url(self.base_url, archive), archive)

    # -- archives ---------------------------------------------------------------

    def _listing_request(self, url: str, archive: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"archive": archive},
            meta={"archive": archive},
        )

    def parse_listing(self, response: Response, archive: str) -> Iterator[Any]:
        """An archive page: its ticker, its posts, and the next page if it links one."""
        if not isinstance(response, TextResponse):
            yield self._reject(response.url, "extraction", "listing page is not text/HTML")
            self.archives[archive].finish("not-html")
            return
        yield from self.header_items(response)
        page = parse_listing(response, response.url)
        number = page_number(response.url)
        posts = []
        for url in page.post_urls:
            canonical = canonical_url(url)
            if not same_site(canonical, self.base_url):
                self.crawler.stats.inc_value("links/offsite_skipped")
                continue
            posts.append(canonical)
        report = self.archives[archive]
        report.add_page(number, posts, page.results)
        self.crawler.stats.inc_value(f"listing/post_links/{page.post_source}")
        if not posts:
            report.finish("empty-page")
            return
        for url in posts:
            yield scrapy.Request(
                url,
                callback=self.parse_article,
                errback=self.article_failed,
                priority=1,
                meta={"archive": archive},
            )
        if page.next_url is None:
            report.finish("no-next-link")
        elif not same_site(page.next_url, self.base_url):
            self.crawler.stats.inc_value("links/offsite_skipped")
            report.finish("next-link-offsite")
        elif self.max_pages is not None and report.pages >= self.max_pages:
            report.finish("max-pages")
        else:
            self.crawler.stats.inc_value(f"listing/next_link/{page.next_source}")
            yield self._listing_request(canonical_url(page.next_url), archive)

    def listing_failed(self, failure: Failure) -> Iterator[RejectItem]:
        """A listing page failed for good: a 404 past the last page ends the
        archive normally; anything else is recorded as a reject."""
        request = failure.request
        archive = request.cb_kwargs.get("archive", request.meta.get("archive", "?"))
        kind, reason, status = failure_kind(failure)
        report = self.archives[archive]
        if status == 404 and report.pages > 0:
            report.finish("404-past-last-page")
            return
        report.finish(f"error:{kind}")
        self.crawler.stats.inc_value(f"errors/{kind}")
        self.logger.error("Archive %s stopped at %s: %s", archive, request.url, reason)
        yield self._reject(
            request.url, "http", f"listing page failed, archive incomplete: {reason}"
        )

    # -- articles ---------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        """An article page: the article and the page's ticker."""
        if not isinstance(response, TextResponse):
            yield self._reject(response.url, "extraction", "article page is not text/HTML")
            return
        yield from self.header_items(response)
        page = parse_article(response, response.url)
        stats = self.crawler.stats
        for field, source in page.sources.items():
            stats.inc_value(f"extract/{field}/{source}")
        yield ArticleItem(
            **page.fields,
            sources=dict(page.sources),
            fetched_url=response.url,
            fetched_at=_utc_now(),
        )

    def article_failed(self, failure: Failure) -> Iterator[RejectItem]:
        """An article that failed after retries: recorded, the crawl goes on."""
        kind, reason, _ = failure_kind(failure)
        self.crawler.stats.inc_value(f"errors/{kind}")
        self.logger.warning("Article failed: %s (%s)", failure.request.url, reason)
        yield self._reject(failure.request.url, "http", reason)

    # -- header -----------------------------------------------------------------

    def header_items(self, response: TextResponse) -> Iterator[RateItem]:
        """One RateItem per pair in the page's ticker (marquee copies collapsed)."""
        ticker = parse_ticker(response)
        stats = self.crawler.stats
        if not ticker.quotes:
            stats.inc_value("ticker/pages_without")
            return
        if ticker.conflicts:
            stats.inc_value("ticker/conflicting_copies", ticker.conflicts)
            self.logger.warning("Ticker on %s shows one pair with different values", response.url)
        dateline = parse_dateline(response)
        day, source = observed_on(
            dateline.value, response.headers.get(b"Date"), self.site_tz
        )
        stats.inc_value(f"ticker/observed_on/{source}")
        fetched_at = _utc_now()
        for quote in ticker.quotes:
            yield RateItem(
                base=quote.base,
                quote=quote.quote,
                rate_text=quote.rate_text,
                change_text=quote.change_text,
                observed_on=day.isoformat(),
                observed_on_source=source,
                page_url=response.url,
                fetched_at=fetched_at,
            )

    def _reject(self, url: str, kind: str, reason: str) -> RejectItem:
        return RejectItem(url=url, kind=kind, reason=reason, recorded_at=_utc_now())
