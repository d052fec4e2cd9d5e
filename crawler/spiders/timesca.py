"""The ``timesca`` spider: paginated archives -> article pages, plus each page's ticker.

    scrapy crawl timesca [-a base_url=URL] [-a listings=PATH[,PATH...]] [-a max_pages=N]
                         [-a full=1]
    scrapy parse --spider timesca URL        (the site: URL's, unless -a base_url is given)
    scrapy check timesca -a base_url=URL     (the contracts below; docs/DEBUGGING.md)

The spider decides where to go. What a page says comes from :mod:`crawler.parsers`,
which stored posts a rerun fetches again from :mod:`crawler.incremental` (the planner,
the state loaded at open as ``self.seen``, conditional GETs), the sitemap walk from
:mod:`crawler.spiders.sitemap_checks`, and what an item becomes from :mod:`pipelines`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.archives import ArchiveReport, ArchiveTracker
from crawler.canonical import CanonicalCheck
from crawler.config import Config, config_of
from crawler.errors import failure_kind, reject_of
from crawler.incremental.planner import Fetch, Planner
from crawler.incremental.state import SeenState
from crawler.items import ArticleMark, RejectItem
from crawler.parsers import parse_article, parse_listing
from crawler.spiders.api_walk import ApiWalk
from crawler.spiders.args import SpiderArgs
from crawler.spiders.article_items import ArticleItems
from crawler.spiders.header_rates import HeaderRates
from crawler.spiders.sitemap_checks import SitemapWalk
from crawler.timing import parsing
from crawler.urls import (
    canonical_url,
    is_archive_path,
    listing_url,
    normalize_listing,
    page_number,
    same_site,
    site_host,
    site_of,
)


class TimescaSpider(ApiWalk, SitemapWalk, HeaderRates, ArticleItems, scrapy.Spider):
    """Crawl archives of a WordPress news site into articles and header rates."""

    name = "timesca"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = ("base_url", "listings", "max_pages", "full", "source")
        given = {name: kwargs.pop(name) for name in names if name in kwargs}
        super().__init__(*args, **kwargs)
        self.args = SpiderArgs.parse(**given)
        #: False when base_url is the default (the contracts want a site named)
        self.base_url_given = "base_url" in given
        self.base_url, self.max_pages, self.full = (self.args.base_url, self.args.max_pages,
                                                    self.args.full)
        self.listings = list(self.args.listings)
        #: recorded in the runs log only when given
        self.source = given.get("source") and self.args.source
        # the bare host: Scrapy's offsite filter then takes "www." links too
        self.allowed_domains = [site_host(self.base_url)]
        self.archives = ArchiveTracker()
        self.seen: SeenState  # set when the spider opens (crawler.incremental.state)
        self.config: Config  # set by from_crawler
        self.robots_sitemaps: list[str] | None = None
        self.now: datetime | None = None
        self._after_sitemaps_done = False
        self._ticker_seen = False
        self.api_seen: dict[str, set[str]] = {}
        self.api_off: str | None = None
        self.api_root = f"{self.base_url}/wp-json/"
        self.held: dict[str, Response] = {}
        self._prepared = False

    @classmethod
    def args_for_url(cls, url: str, spargs: dict[str, str]) -> dict[str, str]:
        """The arguments ``scrapy parse`` creates the spider with for ``url``: without
        ``-a base_url``, the site is the URL's (scheme, host and port)."""
        return spargs if "base_url" in spargs else {**spargs, "base_url": site_of(url)}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> TimescaSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # every project setting is checked here, before the engine exists: a bad value stops
        # the crawl before any request (the crawl command exits 2 naming it)
        spider.config = config_of(crawler.settings)
        crawler.signals.connect(spider._response_received, signal=signals.response_received)
        return spider

    @property
    def incremental(self) -> bool:
        """Whether this run skips what the dataset already holds (not with -a full=1)."""
        return self.config.incremental and not self.full

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self._prepare()
        for archive in dict.fromkeys(self.listings):
            yield self._listing_request(listing_url(self.base_url, archive), archive)
        for fetch in self.planner.start():
            yield self._article_request(fetch)

    def _prepare(self) -> None:
        """The walk's plan from the stored state (``self.seen``), once: by :meth:`start`,
        or by the first callback when ``scrapy parse``/``check`` replaced it."""
        if self._prepared:
            return
        self._prepared = True
        self.sitemaps = self.seen.sitemaps
        self.planner = Planner(self.seen.index, incremental=self.incremental,
                               refresh_days=self.config.refresh_days, listings=self.listings,
                               max_pages=self.max_pages,
                               sitemap_max_urls=self.config.sitemap_max_urls)
        self.canonicals = CanonicalCheck(self.base_url, self.seen.index,
                                         self.planner.requested)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """``scrapy parse`` without ``-c``: the home page, ``/latest/``, ``/category/...``,
        ``/tag/...``, ``/page/N/``... are read as archive pages (their own links, unless
        ``-a source`` is given), any other as an article."""
        path = urlsplit(response.url).path
        if not path.strip("/") or is_archive_path(path):
            if self.source is None:
                response.meta.setdefault("source", "html")
            first = path[:path.rfind("/page/") + 1] if page_number(response.url) > 1 else path
            yield from self.parse_listing(response, normalize_listing(first))
        else:
            yield from self.parse_article(response)

    def _article_request(self, fetch: Fetch) -> scrapy.Request:
        """The request for a planned article page (a stored post's request is made
        conditional by :class:`crawler.incremental.conditional.ConditionalGet`)."""
        self.crawler.stats.inc_value("articles/requested")
        if fetch.reason != "listing":
            self.crawler.stats.inc_value(f"incremental/{fetch.reason}")
        meta: dict[str, Any] = {"why": fetch.reason}
        if fetch.known is not None:
            meta["known_url"] = fetch.url
        return scrapy.Request(fetch.url, callback=self.parse_article,
                              errback=self.article_failed, priority=1, meta=meta)

    # -- archives ---------------------------------------------------------------

    def _listing_request(self, url: str, archive: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_listing, errback=self.listing_failed,
                              cb_kwargs={"archive": archive}, meta={"archive": archive})

    def parse_listing(self, response: Response, archive: str) -> Iterator[Any]:
        """An archive page: its ticker, its posts, and the next page if it links one.
        (``meta={"source": "html"}``: the page's own links even where the API is used.)

        @site_url /latest/
        @cb_kwargs {"archive": "latest"}
        @meta {"source": "html"}
        @items_of RateItem 1
        @fields_of RateItem base quote rate_text observed_on
        @requests_to /latest/page/2/ 1 1
        @returns requests 2
        """
        self._prepare()
        report = self.archives[archive]
        try:
            yield from self._listing(response, archive, report)
        finally:
            self.crawler.stats.set_value("summary/archives", self.archives.as_list())

    def _listing(self, response: Response, archive: str, report: ArchiveReport,
                 header: bool = True) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            yield reject_of(response.url, "extraction", "listing page is not text/HTML")
            report.finish("not-html")
            return
        if header:
            yield from self.header_items(response)
            if (report.pages == 0 and response.meta.get("source") != "html"
                    and (api := self._api_start(response, archive)) is not None):
                yield api  # the posts come from the REST API (crawler.spiders.api_walk)
                return
        yield from self._begin_checks(response)
        with parsing(self.crawler.stats, page=True):
            page = parse_listing(response, response.url)
        stats = self.crawler.stats
        stats.inc_value("archives/pages_read")
        stats.inc_value("archives/posts_found", len(page.post_urls))
        posts = [u for u in map(canonical_url, page.post_urls) if same_site(u, self.base_url)]
        if len(posts) < len(page.post_urls):
            stats.inc_value("links/offsite_skipped", len(page.post_urls) - len(posts))
        new = report.add_page(page_number(response.url), posts, page.results)
        stats.inc_value(f"listing/post_links/{page.post_source}")
        if not posts:
            report.finish("empty-page")
            return
        if not new and report.pages > 1:
            # the same posts again: an archive that repeats itself has nothing more to give
            self._end_archive(report, "no-new-posts",
                              "the page lists no post the walk had not seen", response.url)
            return
        plan = self.planner.listing(archive, posts)
        if plan.known_skipped:
            stats.inc_value("incremental/known_skipped", plan.known_skipped)
        for fetch in plan.fetches:
            request = self._article_request(fetch)
            request.meta["archive"] = archive
            yield request
        if plan.caught_up:
            # every post on this page is stored: the rest of the archive was seen
            report.finish("caught-up")
            stats.inc_value("incremental/caught_up_archives")
        elif page.next_url is None:
            report.finish("no-next-link")
        elif not same_site(page.next_url, self.base_url):
            stats.inc_value("links/offsite_skipped")
            report.finish("next-link-offsite")
        elif (bound := report.bound(self.max_pages, self.config.archive_max_pages,
                                    self.config.archive_overrun)) is not None:
            self._end_archive(report, *bound, response.url)
        else:
            stats.inc_value(f"listing/next_link/{page.next_source}")
            yield self._listing_request(canonical_url(page.next_url), archive)

    def _end_archive(self, report: ArchiveReport, reason: str, why: str | None,
                     url: str) -> None:
        """End an archive; one the site would have paginated forever is said out loud."""
        report.finish(reason)
        if why is not None:
            self.crawler.stats.inc_value(f"archives/ended/{reason}")
            self.logger.warning("Archive %s ended at %s (%s): %s", report.path, url, reason,
                                why)

    def listing_failed(self, failure: Failure) -> Iterator[RejectItem]:
        """A listing page failed for good: a 404 past the last page ends the
        archive normally; anything else is recorded as a reject."""
        request = failure.request
        archive = request.cb_kwargs.get("archive", request.meta.get("archive", "?"))
        yield from self._begin_checks(getattr(failure.value, "response", None))
        kind, reason, status = failure_kind(failure)
        report = self.archives[archive]
        if status == 404 and report.pages > 0:
            report.finish("404-past-last-page")
        else:
            report.finish(f"error:{kind}")
            self.crawler.stats.inc_value(f"errors/{kind}")
            self.logger.error("Archive %s stopped at %s: %s", archive, request.url, reason)
            yield reject_of(
                request.url, "http", f"listing page failed, archive incomplete: {reason}")
        self.crawler.stats.set_value("summary/archives", self.archives.as_list())

    # -- articles ---------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        """An article page: the article and the page's ticker. For a stored post, a 304
        (not modified) or a 404/410 (removed) becomes an :class:`ArticleMark`.

        @site_url /government-addresses-electricity-generation/
        @items_of ArticleItem 1 1
        @fields_of ArticleItem url post_id title published_at body_text authors
        @returns requests 0 0
        """
        self._prepare()
        known_url = response.meta.get("known_url")
        known = self.seen.index.get(known_url) if known_url else None
        if known is not None and response.status in (304, 404, 410):
            removed = response.status != 304
            self.crawler.stats.inc_value(f"incremental/{'removed' if removed else 'not_modified'}")
            if removed:
                self.logger.info("Stored post %s now answers %d: flagged removed", known.url,
                                 response.status)
            yield ArticleMark.answer(known, response.status)
            return
        if not isinstance(response, TextResponse):
            yield reject_of(response.url, "extraction", "article page is not text/HTML")
            return
        stats = self.crawler.stats
        if self._ticker_seen:
            # the header is the same on every page: archive pages keep reading it
            stats.inc_value("ticker/article_pages_not_read")
        else:
            yield from self.header_items(response)
        with parsing(self.crawler.stats, page=True):
            page = parse_article(response, response.url)
        yield self._article_item(page, response.url, response)

    def article_failed(self, failure: Failure) -> Iterator[RejectItem]:
        """An article that failed after retries: recorded, the crawl goes on."""
        kind, reason, _ = failure_kind(failure)
        self.crawler.stats.inc_value(f"errors/{kind}")
        self.logger.warning("Article failed: %s (%s)", failure.request.url, reason)
        yield reject_of(failure.request.url, "http", reason)
