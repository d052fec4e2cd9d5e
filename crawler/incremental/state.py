"""The incremental state of a run: loaded when the spider opens, published when it closes.

As Scrapy's ``SpiderState`` extension gives a spider ``spider.state``, this extension
gives the spider ``spider.seen`` (:class:`SeenState`) when it opens: what the output
directory holds (read after the writer recovered killed runs), as a
:class:`~crawler.incremental.index.SeenIndex` and the sitemap state of the last run. At
the end of a run that went to its natural end, it hands the sitemap state it read to
the writer (signal :data:`crawler.signals.state_to_commit`), which publishes it in the
same commit as the data.

When ``WRITE_OUTPUT`` is off (``scrapy shell``, ``parse``, ``check``; see
:func:`crawler.config.writes_output`) the output directory is not read at all: the spider
gets an empty state and sees the site as a first crawl would.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler import signals as project_signals
from crawler.config import config_of
from crawler.incremental.index import SeenIndex
from crawler.incremental.sitemaps import SitemapCheck
from crawler.urls import canonical_url, same_site
from pipelines.store import load_seen

logger = logging.getLogger(__name__)


@dataclass
class SeenState:
    """What a rerun knows before its first request."""

    index: SeenIndex
    sitemaps: SitemapCheck


class IncrementalState:
    """Loads ``spider.seen`` on open; offers its sitemap state for the commit at close."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.config = config_of(crawler.settings)
        self.state: SeenState | None = None
        self.finished = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalState:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.state_to_commit, signal=project_signals.state_to_commit)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        base_url = getattr(spider, "base_url", None)
        if base_url is None:  # not a spider of this project's kind
            return
        if not self.config.write_output:
            self.state = SeenState(SeenIndex(), SitemapCheck(base_url, None))
            spider.seen = self.state  # type: ignore[attr-defined]
            logger.info("Read-only (WRITE_OUTPUT off): %s is not read or written; pages "
                        "are parsed as by a first crawl", self.config.output_dir)
            return
        seen = load_seen(self.config.output_dir, base_url, url_key=canonical_url,
                         on_site=lambda url: same_site(url, base_url),
                         retry_days=self.config.retry_failed_days)
        index = SeenIndex(seen.articles, seen.retry_urls, seen.completed_archives)
        self.state = SeenState(index, SitemapCheck(base_url, seen.state.get("sitemaps")))
        spider.seen = self.state  # type: ignore[attr-defined]
        incremental = bool(getattr(spider, "incremental", True))
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("incremental/mode", "incremental" if incremental else "full")
        stats.set_value("incremental/known_posts", len(index))
        logger.info("%s crawl: %d posts stored, %d failed fetches to retry, "
                    "archives completed before: %s",
                    "Incremental" if incremental else "Full", len(index),
                    len(index.retry_urls), sorted(index.completed_archives) or "none")

    def spider_idle(self, spider: Spider) -> None:
        self.finished = True

    def state_to_commit(self) -> dict[str, Any]:
        """The sitemaps read, only when the run went to its natural end (a run cut short
        keeps the last complete reading)."""
        if not self.finished or self.state is None or not self.state.sitemaps.started:
            return {}
        return {"sitemaps": self.state.sitemaps.state()}


__all__ = ["IncrementalState", "SeenState"]
