"""Downloader middlewares."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import urljoin

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.http import HtmlResponse, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import get_meta_refresh, response_status_message
from twisted.internet.task import deferLater
from w3lib.url import safe_url_string

from crawler.config import config_of
from crawler.dates import http_date
from crawler.errors import OffsiteRedirect, RedirectLoop
from crawler.urls import canonical_url, same_site

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (delta-seconds or HTTP-date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    when = http_date(text)
    if when is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retry, waiting as long as the server's ``Retry-After`` asks.

    The wait is capped by ``RETRY_AFTER_MAX`` seconds (default 120): a server
    asking for longer gets the cap, and the retry budget still applies.
    """

    def __init__(self, crawler: Crawler):
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_wait = config_of(crawler.settings).retry_after_max

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        assert self.crawler.spider is not None
        retry = get_retry_request(
            request, spider=self.crawler.spider, reason=response_status_message(response.status),
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust))
        if retry is None:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait:
            wait = min(wait, self.max_wait)
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("retry/retry_after_waits")
            logger.info("Waiting %.1fs (Retry-After) before retrying %s", wait, request.url)
            from twisted.internet import reactor  # the one Scrapy installed

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return retry


class StayOnSite:
    """Redirects never leave the site: an HTTP redirect or a ``<meta refresh>`` to another
    host or another port, or back to a URL of its own chain (a loop), is dropped with a
    reason naming the URLs, which the request's errback records as a reject (kinds
    ``offsite_redirect``, ``redirect_loop``).

    It sees responses before Scrapy's redirect middlewares: their offsite requests would
    otherwise be filtered when scheduled, silently (no errback, no reject), and Scrapy's
    offsite filter compares host names only, so a redirect to the same host on another
    port would be followed and the post stored under that port.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StayOnSite:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        target = None
        if 300 <= response.status < 400 and b"Location" in response.headers:
            location = response.headers[b"Location"].decode("latin-1")
            target = urljoin(request.url, safe_url_string(location))
        elif response.status == 200 and isinstance(response, HtmlResponse):
            target = get_meta_refresh(response)[1]
        if target is None:
            return response
        assert self.stats is not None
        if not same_site(target, request.url):
            self.stats.inc_value("redirects/offsite")
            raise OffsiteRedirect(f"redirected off the site: {request.url} -> {target}")
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if canonical_url(target) in {canonical_url(u) for u in chain}:
            # Scrapy would schedule it again and its duplicate filter drop it unsaid
            self.stats.inc_value("redirects/loop")
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}")
        return response
