"""DedupePipeline: one article per post, one rate per (day, pair) within a run.

Duplicates are normal (a post is linked from many archives, every page repeats
the ticker), so they are dropped with :class:`DuplicateItem`, which Scrapy logs at DEBUG
(``DropItem(log_level=...)``).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.errors import rejecting
from crawler.items import RejectItem, now_text
from pipelines.records import Article, Rate, article_keys

logger = logging.getLogger(__name__)


class DuplicateItem(DropItem):
    """A later copy of something already passed on in this run (logged at DEBUG)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, log_level="DEBUG")


RateKey = tuple[date | None, str | None, str | None]


class DedupePipeline:
    """Drops later copies of an article (key: post id, else canonical URL) or a rate
    (key: observed_on, base, quote); the first copy wins.

    An article under the URL another post id came under first is not a copy: it becomes a
    reject (kind ``collision``).

    Stats: ``dedupe/articles_duplicate``, ``dedupe/articles_collision``,
    ``dedupe/rates_duplicate`` and ``dedupe/rates_conflict`` (a copy with other values;
    logged at WARNING once per key).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        #: key kind ("post_id", "url") -> values seen (sets of bare values: no tuple per key)
        self.article_seen: dict[str, set[object]] = {}
        self.rates_seen: dict[RateKey, tuple[str | None, str | None]] = {}
        #: canonical URL -> the post id of the article that came under it first
        self.url_holders: dict[object, int | None] = {}
        self.rates_warned: set[RateKey] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    @rejecting
    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if isinstance(item, Article):
            return self._article(item)
        if isinstance(item, Rate):
            return self._rate(item)
        return item

    def _article(self, article: Article) -> Article | RejectItem:
        keys = article_keys(article.post_id, article.url)
        url_key = next((value for kind, value in keys if kind == "url"), None)
        holder = self.url_holders.get(url_key) if url_key is not None else None
        if (holder is not None and article.post_id is not None
                and holder not in (article.post_id, None)):
            # another post already came under this URL: not a copy of it
            self.stats.inc_value("dedupe/articles_collision")
            logger.warning("Post %s has the URL of post %s (%s): rejected", article.post_id,
                           holder, article.url)
            return RejectItem(url=article.fetched_url or article.ref_url, kind="collision",
                              reason=f"post {article.post_id} has the URL of post {holder}: "
                                     f"{article.url}", field="url", raw_value=article.url,
                              recorded_at=now_text())
        if any(value in self.article_seen.get(kind, ()) for kind, value in keys):
            self.stats.inc_value("dedupe/articles_duplicate")
            raise DuplicateItem(f"duplicate article {article.post_id or article.url}")
        for kind, value in keys:
            self.article_seen.setdefault(kind, set()).add(value)
        if url_key is not None:
            self.url_holders.setdefault(url_key, article.post_id)
        return article

    def _rate(self, rate: Rate) -> Rate:
        key: RateKey = (rate.observed_on, rate.base, rate.quote)
        values = (rate.rate_text, rate.change_text)
        first = self.rates_seen.get(key)
        if first is None:
            self.rates_seen[key] = values
            return rate
        self.stats.inc_value("dedupe/rates_duplicate")
        if first != values:
            self.stats.inc_value("dedupe/rates_conflict")
            if key not in self.rates_warned:
                self.rates_warned.add(key)
                logger.warning(
                    "Conflicting rates for %s on %s: kept %s %s, dropped %s %s (from %s)",
                    rate.pair, rate.observed_on, first[0], first[1], values[0], values[1],
                    rate.page_url,
                )
        raise DuplicateItem(f"duplicate rate {rate.pair} on {rate.observed_on}")
