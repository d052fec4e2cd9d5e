"""The sitemap walk of the ``timesca`` spider: where the site's sitemaps lead a rerun.

Once, on the first archive answer, the spider fixes "now" and reads the sitemap index
(robots.txt ``Sitemap:`` lines, else ``/sitemap_index.xml`` then ``/sitemap.xml``), the
post sitemaps that changed since the last run (at most ``SITEMAP_MAX_FILES``, below the
archives' priority so that a flood of sitemaps never holds them up), then the removal
checks and the refresh window. What each URL leads to is the
:class:`~crawler.incremental.planner.Planner`'s decision.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.dates import http_date
from crawler.errors import failure_kind
from crawler.incremental.planner import Planner
from crawler.incremental.sitemaps import (
    SitemapCheck,
    read_sitemap,
    sitemap_body,
    sitemap_urls_from_robots,
)
from crawler.timing import parsing
from crawler.urls import same_site


class SitemapWalk:
    """Spider callbacks of the sitemap walk (mixed into the spider)."""

    base_url: str
    planner: Planner
    sitemaps: SitemapCheck
    robots_sitemaps: list[str] | None
    now: datetime | None
    crawler: Any
    config: Any
    logger: Any
    _after_sitemaps_done: bool

    #: provided by the spider: the request of a planned article page
    _article_request: Any

    def _response_received(self, response: Response, request: scrapy.Request,
                           spider: Any = None) -> None:
        """Catch the robots.txt the robots middleware fetched: its ``Sitemap:`` lines."""
        if (self.robots_sitemaps is None and response.status == 200
                and response.url == f"{self.base_url}/robots.txt"
                and isinstance(response, TextResponse)):
            self.robots_sitemaps = [u for u in sitemap_urls_from_robots(response.body,
                                                                        response.url)
                                    if same_site(u, self.base_url)]

    def _begin_checks(self, response: Response | None) -> Iterator[scrapy.Request]:
        """Once, on the first listing answer: fix "now", then read the sitemaps."""
        if self.sitemaps.started:
            return
        self.sitemaps.started = True
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

    def _read(self, response: Response) -> tuple[str, list[tuple[str, str | None]]]:
        with parsing(self.crawler.stats, page=True):
            return read_sitemap(sitemap_body(response, self.config.download_maxsize))

    def parse_sitemap_root(self, response: Response) -> Iterator[Any]:
        """The sitemap index (or a single sitemap): fetch the post sitemaps that changed."""
        kind, entries = self._read(response)
        stats = self.crawler.stats
        if kind == "sitemapindex":
            fetch = self.sitemaps.plan(entries)
            stats.inc_value("incremental/sitemaps_unchanged", len(self.sitemaps.current))
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
        """One post sitemap: posts it dates after the stored copy, and (when the
        archives will not reach them) posts never stored."""
        _, entries = self._read(response)
        yield from self._post_sitemap(loc, lastmod, entries)

    def _post_sitemap(self, loc: str, lastmod: str | None,
                      entries: list[tuple[str, str | None]]) -> Iterator[Any]:
        self.sitemaps.add(loc, lastmod, entries)
        stats = self.crawler.stats
        stats.inc_value("incremental/sitemaps_fetched")
        plan = self.planner.sitemap(self.sitemaps.current[loc]["urls"])
        if plan.capped:
            stats.inc_value("incremental/sitemap_urls_capped", plan.capped)
        for fetch in plan.fetches:
            yield self._article_request(fetch)
        if self.sitemaps.done:
            yield from self._after_sitemaps()

    def post_sitemap_failed(self, failure: Failure) -> Iterator[Any]:
        loc = failure.request.cb_kwargs.get("loc", failure.request.url)
        _, reason, _ = failure_kind(failure)
        self.logger.warning("Sitemap %s failed (%s); read again next run", loc, reason)
        self.sitemaps.fail(loc)
        self.crawler.stats.inc_value("incremental/sitemaps_failed")
        if self.sitemaps.done:
            yield from self._after_sitemaps()

    def _after_sitemaps(self) -> Iterator[scrapy.Request]:
        """Once the sitemaps are read: removal candidates, then the refresh window."""
        if self._after_sitemaps_done:
            return
        self._after_sitemaps_done = True
        assert self.now is not None
        fetches, vouched = self.planner.after_sitemaps(self.sitemaps, self.now)
        if vouched:
            self.crawler.stats.inc_value("incremental/refresh_vouched_by_sitemap", vouched)
        for fetch in fetches:
            yield self._article_request(fetch)


__all__ = ["SitemapWalk"]
