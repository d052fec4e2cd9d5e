"""The ``timesca`` spider: paginated archives -> article pages, plus each page's ticker.

    scrapy crawl timesca [-a base_url=URL] [-a listings=PATH[,PATH...]] [-a max_pages=N]
                         [-a full=1]

The spider only decides where to go; what a page says comes from
:mod:`crawler.parsers`, what an item becomes from :mod:`pipelines`.

Reruns are incremental (setting ``INCREMENTAL``, default on; ``-a full=1`` forces a full
crawl): what the output directory already holds is read once at start
(:func:`pipelines.store.seen.load_seen` -> :class:`crawler.incremental.SeenIndex`), and only
new posts, posts the site signals as changed (sitemap ``<lastmod>``, HTTP validators,
the ``REFRESH_DAYS`` window), failed fetches and removal candidates are fetched. See
the README's "Reruns" section.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.archives import ArchiveTracker
from crawler.config import Config, config_of
from crawler.dates import http_date
from crawler.errors import failure_kind
from crawler.incremental import (
    KnownPost,
    SeenIndex,
    SitemapCheck,
    parse_lastmod,
    read_sitemap,
    robots_sitemaps,
)
from crawler.items import ArticleItem, ArticleMark, RateItem, RejectItem
from crawler.observation import observed_on
from crawler.parsers import parse_article, parse_dateline, parse_listing, parse_ticker
from crawler.timing import PARSE_CPU, PARSED_PAGES, charged
from crawler.urls import (
    BadURLError,
    canonical_url,
    check_base_url,
    host_of,
    is_archive_path,
    is_permalink,
    listing_url,
    normalize_listing,
    page_number,
    same_site,
)
from pipelines.store import load_seen

DEFAULT_BASE_URL = "https://timesca.com"
DEFAULT_LISTINGS = "latest"


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() or None if value else None


class TimescaSpider(scrapy.Spider):
    """Crawl archives of a WordPress news site into articles and header rates."""

    name = "timesca"

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        listings: str = DEFAULT_LISTINGS,
        max_pages: str | int | None = None,
        full: str | int | bool | None = None,
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
        #: True with -a full=1 (None otherwise, so the runs log records it only when set)
        self.full = True if str(full).strip().lower() in {"1", "true", "yes", "on"} else None
        self.index = SeenIndex()
        self.sitemaps: SitemapCheck | None = None
        self.robots_sitemaps: list[str] | None = None
        self.now: datetime | None = None
        self.requested: set[str] = set()
        #: post URLs taken from the sitemaps this run (at most SITEMAP_MAX_URLS)
        self.sitemap_urls = 0
        #: canonical URL -> the post id that claimed it first this run
        self.canonical_holders: dict[str, int] = {}
        self.config: Config  # set by from_crawler
        self._checks_started = False
        self._after_sitemaps_done = False
        self._finished = False
        #: a ticker was read this run: article pages need not read the header again
        self._ticker_seen = False

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> TimescaSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # every project setting is checked here, before the engine exists: a bad value stops
        # the crawl before any request (the crawl command exits 2 naming it)
        spider.config = config_of(crawler.settings)
        crawler.signals.connect(spider._response_received, signal=signals.response_received)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    @property
    def incremental(self) -> bool:
        """Whether this run skips what the dataset already holds (not with -a full=1)."""
        return self.config.incremental and not self.full

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

    def _parsing(self, page: bool = False) -> AbstractContextManager[None]:
        """Counts the block's CPU time as parsing (stat ``timing/parse_cpu_s``) and,
        with ``page``, one more page parsed (``timing/parsed_pages``)."""
        if page:
            self.crawler.stats.inc_value(PARSED_PAGES)
        return charged(self.crawler.stats, PARSE_CPU)

    @property
    def site_tz(self) -> ZoneInfo:
        return self.config.site_timezone

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.index = self._load_index()
        for archive in dict.fromkeys(self.listings):
            yield self._listing_request(listing_url(self.base_url, archive), archive)
        for url in self.index.retry_urls:
            request = self._article_request(url, "retry_failed")
            if request is not None:
                yield request

    # -- incremental state ------------------------------------------------------------

    def _load_index(self) -> SeenIndex:
        """The output directory's memory (read after the writer recovered killed runs)."""
        seen = load_seen(self.config.output_dir, self.base_url, url_key=canonical_url,
                         on_site=lambda url: same_site(url, self.base_url),
                         retry_days=self.config.retry_failed_days)
        index = SeenIndex(seen.articles, seen.retry_urls, seen.completed_archives)
        self.sitemaps = SitemapCheck(self.base_url, seen.state.get("sitemaps"))
        stats = self.crawler.stats
        stats.set_value("incremental/mode", "incremental" if self.incremental else "full")
        stats.set_value("incremental/known_posts", len(index))
        self.logger.info("%s crawl: %d posts stored, %d failed fetches to retry, "
                         "archives completed before: %s",
                         "Incremental" if self.incremental else "Full", len(index),
                         len(index.retry_urls), sorted(index.completed_archives) or "none")
        return index

    def state_to_commit(self) -> dict[str, Any]:
        """State published with this run's data (by the writer, in the same commit):
        the sitemaps read, only when the run went to its natural end."""
        if not self._finished or self.sitemaps is None or not self._checks_started:
            return {}
        return {"sitemaps": self.sitemaps.state()}

    def _idle(self) -> None:
        self._finished = True

    def _response_received(self, response: Response, request: scrapy.Request,
                           spider: Any = None) -> None:
        """Catch the robots.txt the robots middleware fetched: its ``Sitemap:`` lines."""
        if (self.robots_sitemaps is None and response.status == 200
                and response.url == f"{self.base_url}/robots.txt"
                and isinstance(response, TextResponse)):
            self.robots_sitemaps = [u for u in robots_sitemaps(response.text)
                                    if same_site(u, self.base_url)]

    def _article_request(self, url: str, reason: str) -> scrapy.Request | None:
        """A request for an article page, once per run. A stored post's request takes
        404/410 (removed) and 304 (not modified) as answers and, in an incremental run,
        sends the validators the server gave last time."""
        if url in self.requested:
            return None
        self.requested.add(url)
        self.crawler.stats.inc_value("articles/requested")
        if reason != "listing":
            self.crawler.stats.inc_value(f"incremental/{reason}")
        known = self.index.get(url)
        meta: dict[str, Any] = {"why": reason}
        headers: dict[str, str] = {}
        if known is not None:
            meta["known_url"] = url
            meta["handle_httpstatus_list"] = [304, 404, 410]
            if self.incremental:
                if known.http_etag:
                    headers["If-None-Match"] = known.http_etag
                if known.http_last_modified:
                    headers["If-Modified-Since"] = known.http_last_modified
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                              priority=1, meta=meta, headers=headers or None)

    def _begin_checks(self, response: Response | None) -> Iterator[scrapy.Request]:
        """Once, on the first listing answer: fix "now", then read the sitemaps."""
        if self._checks_started:
            return
        self._checks_started = True
        self.now = self.config.refresh_now or (
            http_date(response.headers.get(b"Date")) if response is not None else None
        ) or datetime.now(UTC)
        if not self.config.sitemaps:
            yield from self._after_sitemaps()
            return
        candidates = self.robots_sitemaps or [f"{self.base_url}/sitemap_index.xml",
                                              f"{self.base_url}/sitemap.xml"]
        yield self._sitemap_root_request(candidates)

    def _sitemap_root_request(self, candidates: list[str]) -> scrapy.Request:
        return scrapy.Request(candidates[0], callback=self.parse_sitemap_root,
                              errback=self.sitemap_root_failed, priority=-1,
                              meta={"candidates": candidates[1:]}, dont_filter=True)

    def parse_sitemap_root(self, response: Response) -> Iterator[Any]:
        """The sitemap index (or a single sitemap): fetch the post sitemaps that changed."""
        assert self.sitemaps is not None
        with self._parsing(page=True):
            kind, entries = read_sitemap(response.body)
        stats = self.crawler.stats
        if kind == "sitemapindex":
            fetch = self.sitemaps.plan(entries)
            stats.inc_value("incremental/sitemaps_unchanged",
                            len(self.sitemaps.current))
            limit = self.config.sitemap_max_files
            if len(fetch) > limit:
                # the rest keep their state of the last run (read again by a later one)
                for loc in fetch[limit:]:
                    self.sitemaps.fail(loc)
                stats.set_value("incremental/sitemaps_capped", len(fetch) - limit)
                self.logger.warning("Sitemap index %s lists %d changed post sitemaps; %d "
                                    "read this run (SITEMAP_MAX_FILES)", response.url,
                                    len(fetch), limit)
                fetch = fetch[:limit]
            lastmods = dict(entries)
            for loc in fetch:
                # below the listings: a flood of sitemaps never holds up the archives
                yield scrapy.Request(loc, callback=self.parse_post_sitemap,
                                     errback=self.post_sitemap_failed, priority=-1,
                                     cb_kwargs={"loc": loc, "lastmod": lastmods.get(loc)})
            if not fetch:
                yield from self._after_sitemaps()
        elif kind == "urlset":
            yield from self._post_sitemap(response.url, None, entries)
        else:
            self.logger.warning("Sitemap %s is not a sitemap; no sitemap signals this run",
                                response.url)
            yield from self._after_sitemaps()

    def sitemap_root_failed(self, failure: Failure) -> Iterator[Any]:
        candidates = failure.request.meta.get("candidates") or []
        _, reason, status = failure_kind(failure)
        if status in (404, 410) and candidates:
            yield self._sitemap_root_request(candidates)
            return
        self.crawler.stats.inc_value("incremental/sitemap_missing")
        self.logger.info("No sitemap (%s: %s); refresh window only", failure.request.url,
                         reason)
        yield from self._after_sitemaps()

    def parse_post_sitemap(self, response: Response, loc: str,
                           lastmod: str | None) -> Iterator[Any]:
        """One post sitemap: fetch posts it dates after the stored copy, and (when the
        listings will not reach them) posts never stored."""
        with self._parsing(page=True):
            _, entries = read_sitemap(response.body)
        yield from self._post_sitemap(loc, lastmod, entries)

    def _post_sitemap(self, loc: str, lastmod: str | None,
                      entries: list[tuple[str, str | None]]) -> Iterator[Any]:
        assert self.sitemaps is not None
        self.sitemaps.add(loc, lastmod, entries)
        self.crawler.stats.inc_value("incremental/sitemaps_fetched")
        discover = self._sitemap_discovers()
        for url, text in self.sitemaps.current[loc]["urls"].items():
            if self.sitemap_urls >= self.config.sitemap_max_urls:
                self.crawler.stats.inc_value("incremental/sitemap_urls_capped")
                continue
            self.sitemap_urls += 1
            known = self.index.get(url)
            reason = None
            if known is not None:
                changed = parse_lastmod(text)
                if known.removed_at is not None or (
                        changed is not None and changed > known.changed_at):
                    reason = "sitemap_refetch"
            elif discover and not self.index.accounted_for(url):
                reason = "sitemap_new"
            if reason:
                request = self._article_request(url, reason)
                if request is not None:
                    yield request
        if self.sitemaps.done:
            yield from self._after_sitemaps()

    def post_sitemap_failed(self, failure: Failure) -> Iterator[Any]:
        assert self.sitemaps is not None
        loc = failure.request.cb_kwargs.get("loc", failure.request.url)
        _, reason, _ = failure_kind(failure)
        self.logger.warning("Sitemap %s failed (%s); read again next run", loc, reason)
        self.sitemaps.fail(loc)
        self.crawler.stats.inc_value("incremental/sitemaps_failed")
        if self.sitemaps.done:
            yield from self._after_sitemaps()

    def _sitemap_discovers(self) -> bool:
        """Whether posts never stored are fetched from the sitemaps: only when the run
        crawls the whole site (``latest`` or the home page, no max_pages) and those
        archives are caught up (a first crawl's pagination reaches every post anyway)."""
        whole = [a for a in self.listings if a in ("latest", "")]
        return (self.incremental and self.max_pages is None and bool(whole)
                and all(a in self.index.completed_archives for a in whole))

    def _after_sitemaps(self) -> Iterator[scrapy.Request]:
        """Once the sitemaps are read: removal candidates, then the refresh window."""
        if self._after_sitemaps_done:
            return
        self._after_sitemaps_done = True
        assert self.sitemaps is not None and self.now is not None
        for url in sorted(self.sitemaps.unlisted()):
            known = self.index.get(url)
            if known is not None and known.removed_at is None:
                request = self._article_request(url, "removal_check")
                if request is not None:
                    yield request
        if not self.incremental:
            return
        listed = self.sitemaps.listed()
        for known in self.index.recent(self.now, self.config.refresh_days):
            vouched = known.url in listed and (
                listed[known.url] is not None and listed[known.url] <= known.changed_at)
            if vouched:
                self.crawler.stats.inc_value("incremental/refresh_vouched_by_sitemap")
                continue
            request = self._article_request(known.url, "refresh_window")
            if request is not None:
                yield request

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
        yield from self._begin_checks(response)
        yield from self.header_items(response)
        with self._parsing(page=True):
            page = parse_listing(response, response.url)
        self.crawler.stats.inc_value("archives/pages_read")
        self.crawler.stats.inc_value("archives/posts_found", len(page.post_urls))
        number = page_number(response.url)
        posts = []
        for url in page.post_urls:
            canonical = canonical_url(url)
            if not same_site(canonical, self.base_url):
                self.crawler.stats.inc_value("links/offsite_skipped")
                continue
            posts.append(canonical)
        report = self.archives[archive]
        new = report.add_page(number, posts, page.results)
        self.crawler.stats.inc_value(f"listing/post_links/{page.post_source}")
        if not posts:
            report.finish("empty-page")
            return
        if not new and report.pages > 1:
            # the same posts again: an archive that repeats itself has nothing more to give
            self._end_archive(report, "no-new-posts", response.url)
            return
        for url in posts:
            known = self.index.get(url)
            if self.incremental and known is not None and known.removed_at is None:
                self.crawler.stats.inc_value("incremental/known_skipped")
                continue
            request = self._article_request(url, "listing")
            if request is not None:
                request.meta["archive"] = archive
                yield request
        if (self.incremental and archive in self.index.completed_archives
                and all(self.index.accounted_for(url) for url in posts)):
            # every post on this page is stored: the rest of the archive was seen
            report.finish("caught-up")
            self.crawler.stats.inc_value("incremental/caught_up_archives")
            return
        if page.next_url is None:
            report.finish("no-next-link")
        elif not same_site(page.next_url, self.base_url):
            self.crawler.stats.inc_value("links/offsite_skipped")
            report.finish("next-link-offsite")
        elif self.max_pages is not None and report.pages >= self.max_pages:
            report.finish("max-pages")
        elif report.pages >= self.config.archive_max_pages:
            self._end_archive(report, "page-limit", response.url)
        elif report.overran(self.config.archive_overrun):
            self._end_archive(report, "past-reported-end", response.url)
        else:
            self.crawler.stats.inc_value(f"listing/next_link/{page.next_source}")
            yield self._listing_request(canonical_url(page.next_url), archive)

    def _end_archive(self, report: Any, reason: str, url: str) -> None:
        """End an archive the site would have paginated forever, saying so."""
        report.finish(reason)
        self.crawler.stats.inc_value(f"archives/ended/{reason}")
        why = {"no-new-posts": "the page lists no post the walk had not seen",
               "page-limit": f"ARCHIVE_MAX_PAGES ({self.config.archive_max_pages}) reached",
               "past-reported-end": f"{len(report.posts)} posts found, the archive reports "
                                    f"{report.max_total} (ARCHIVE_OVERRUN "
                                    f"{self.config.archive_overrun:g})"}[reason]
        self.logger.warning("Archive %s ended at %s (%s): %s", report.path, url, reason, why)

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
            return
        report.finish(f"error:{kind}")
        self.crawler.stats.inc_value(f"errors/{kind}")
        self.logger.error("Archive %s stopped at %s: %s", archive, request.url, reason)
        yield self._reject(
            request.url, "http", f"listing page failed, archive incomplete: {reason}"
        )

    # -- articles ---------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        """An article page: the article and the page's ticker. For a stored post, a 304
        (not modified) or a 404/410 (removed) becomes an :class:`ArticleMark`."""
        known_url = response.meta.get("known_url")
        known = self.index.get(known_url) if known_url else None
        if known is not None and response.status in (304, 404, 410):
            yield self._mark(known, response.status)
            return
        if not isinstance(response, TextResponse):
            yield self._reject(response.url, "extraction", "article page is not text/HTML")
            return
        if self._ticker_seen:
            # the header is the same on every page: archive pages keep reading it
            self.crawler.stats.inc_value("ticker/article_pages_not_read")
        else:
            yield from self.header_items(response)
        with self._parsing(page=True):
            page = parse_article(response, response.url)
        flags = list(page.flags)
        if self._ignore_canonical(page, response.url):
            flags.append("url:canonical-ignored")
        stats = self.crawler.stats
        for field, source in page.sources.items():
            stats.inc_value(f"extract/{field}/{source}")
        stats.inc_value(f"body_check/{page.body_check}")
        if page.body_suspicion:
            stats.inc_value(f"body_suspicion/{page.body_suspicion}")
        for flag in flags:
            stats.inc_value(f"article_flags/{flag}")
        if "body_text:replaced" in page.flags:
            self.logger.info("Body of %s: the content container looked wrong, the generic "
                             "extractor's text was taken", response.url)
        yield ArticleItem(
            **page.fields,
            sources=dict(page.sources),
            flags=flags,
            fetched_url=response.url,
            fetched_at=_utc_now(),
            http_etag=_header(response, b"ETag"),
            http_last_modified=_header(response, b"Last-Modified"),
        )

    def _ignore_canonical(self, page: Any, fetched: str) -> bool:
        """A page's canonical URL is its identity in the dataset, so it is checked: one on
        another host or port, the home page, an archive, or one that another post id
        already holds (in this run or stored) gives way to the URL fetched (flag
        ``url:canonical-ignored``, stat ``canonical/ignored/<why>``). A lying SEO plugin
        can then neither merge posts nor overwrite another post's row."""
        url, post_id = page.fields["url"], page.fields["post_id"]
        if not url or page.sources["url"] == "url":
            return False
        canonical = canonical_url(url)
        path = urlsplit(canonical).path
        holder = self.canonical_holders.get(canonical)
        known = self.index.get(canonical)
        if not same_site(canonical, self.base_url):
            why = "offsite"
        elif path in ("", "/"):
            why = "home-page"
        elif is_archive_path(path):
            why = "archive"
        elif post_id is not None and (
                (holder is not None and holder != post_id)
                or (known is not None and known.post_id not in (None, post_id))):
            why = "other-post"
        elif canonical != canonical_url(fetched) and (canonical in self.requested
                                                      or is_permalink(fetched)):
            # a post answering at its own permalink is that URL, whatever the head says:
            # a canonical naming another post's permalink would store it under that post
            why = "not-this-page"
        else:
            if post_id is not None:
                self.canonical_holders.setdefault(canonical, post_id)
            return False
        self.crawler.stats.inc_value(f"canonical/ignored/{why}")
        self.logger.warning("Canonical URL of %s ignored (%s): %s", fetched, why, url)
        page.fields["url"] = canonical_url(fetched)
        page.sources["url"] = "url"
        return True

    def _mark(self, known: KnownPost, status: int) -> ArticleMark:
        event = "not-modified" if status == 304 else "removed"
        stats = self.crawler.stats
        stats.inc_value("incremental/not_modified" if status == 304 else "incremental/removed")
        if status != 304:
            self.logger.info("Stored post %s now answers %d: flagged removed", known.url, status)
        return ArticleMark(url=known.url, post_id=known.post_id,
                           published_at=known.published_at.isoformat(), event=event,
                           status=status, at=_utc_now())

    def article_failed(self, failure: Failure) -> Iterator[RejectItem]:
        """An article that failed after retries: recorded, the crawl goes on."""
        kind, reason, _ = failure_kind(failure)
        self.crawler.stats.inc_value(f"errors/{kind}")
        self.logger.warning("Article failed: %s (%s)", failure.request.url, reason)
        yield self._reject(failure.request.url, "http", reason)

    # -- header -----------------------------------------------------------------

    def header_items(self, response: TextResponse) -> Iterator[RateItem]:
        """One RateItem per pair in the page's ticker (marquee copies collapsed)."""
        with self._parsing():
            ticker = parse_ticker(response)
        stats = self.crawler.stats
        if not ticker.quotes:
            stats.inc_value("ticker/pages_without")
            return
        self._ticker_seen = True
        if ticker.conflicts:
            stats.inc_value("ticker/conflicting_copies", ticker.conflicts)
            self.logger.warning("Ticker on %s shows one pair with different values", response.url)
        with self._parsing():
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
