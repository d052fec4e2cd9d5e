"""DedupePipeline: one article per post, one rate per day and pair, duplicates quiet."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem, RateItem
from pipelines.dedupe import DedupePipeline, DuplicateItem
from pipelines.normalize import NormalizePipeline


class _Spider(Spider):
    name = "test"


class Chain:
    """Normalize then dedupe, with one crawler's stats."""

    def __init__(self) -> None:
        self.crawler: Crawler = get_crawler(_Spider, {})
        self.normalize = NormalizePipeline.from_crawler(self.crawler)
        self.dedupe = DedupePipeline.from_crawler(self.crawler)

    def __call__(self, item: Any) -> Any:
        return self.dedupe.process_item(self.normalize.process_item(item))

    def stat(self, key: str) -> Any:
        return self.crawler.stats.get_value(key)


def article(**fields: object) -> ArticleItem:
    base: dict[str, object] = {
        "url": "https://timesca.com/some-post/", "post_id": 101, "title": "Title",
        "body_text": "Body.", "published_at": "2025-01-10T08:15:00+05:00",
    }
    base.update(fields)
    return ArticleItem(**base)  # type: ignore[arg-type]


def rate(**fields: object) -> RateItem:
    base: dict[str, object] = {
        "base": "KZT", "quote": "USD", "rate_text": "0.00190", "change_text": "-0%",
        "observed_on": "2025-01-10", "observed_on_source": "dateline",
        "page_url": "https://timesca.com/latest/", "fetched_at": "2025-01-10T06:00:00Z",
    }
    base.update(fields)
    return RateItem(**base)  # type: ignore[arg-type]


def test_article_duplicate_by_post_id() -> None:
    chain = Chain()
    first = chain(article())
    assert first.title == "Title"
    with pytest.raises(DuplicateItem):
        chain(article(url="https://timesca.com/?p=101", title="Other"))
    assert chain(article(post_id=102, url="https://timesca.com/other/")).post_id == 102
    assert chain.stat("dedupe/articles_duplicate") == 1


def test_article_duplicate_by_canonical_url_without_post_id() -> None:
    chain = Chain()
    chain(article(post_id=None, url="https://timesca.com/some-post"))
    for url in ("https://TIMESCA.com/some-post/?utm_source=x",
                "https://timesca.com/some-post/#comments"):
        with pytest.raises(DuplicateItem):
            chain(article(post_id=None, url=url))
    # the id-less copy was seen first: a later copy carrying the id is the same post
    with pytest.raises(DuplicateItem):
        chain(article(post_id=101, url="https://timesca.com/some-post/"))
    assert chain.stat("dedupe/articles_duplicate") == 3


def test_rate_duplicates_and_conflicts(caplog: pytest.LogCaptureFixture) -> None:
    chain = Chain()
    caplog.set_level(logging.DEBUG, logger="pipelines")
    kept = chain(rate())
    assert kept.rate_text == "0.00190"
    with pytest.raises(DuplicateItem):
        chain(rate(page_url="https://timesca.com/page/2/"))  # same values: plain duplicate
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    for change in ("0%", "0.2%"):
        with pytest.raises(DuplicateItem):
            chain(rate(change_text=change))
    with pytest.raises(DuplicateItem):
        chain(rate(base="kzt", rate_text="0.00191"))
    assert chain(rate(observed_on="2025-01-11")).observed_on.isoformat() == "2025-01-11"
    assert chain(rate(base="UZS", rate_text="0.00008")).pair == "UZS/USD"
    assert chain.stat("dedupe/rates_duplicate") == 4
    assert chain.stat("dedupe/rates_conflict") == 3
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # once per key
    assert "KZT/USD" in warnings[0].getMessage()
    assert "kept 0.00190 -0%" in warnings[0].getMessage()


def test_other_items_pass() -> None:
    chain = Chain()
    other = {"x": 1}
    assert chain.dedupe.process_item(other) is other


def test_duplicates_are_dropped_at_debug_other_drops_at_scrapys_level() -> None:
    assert DuplicateItem("x").log_level == "DEBUG"
    assert DropItem("bad").log_level is None  # Scrapy's DEFAULT_DROPITEM_LOG_LEVEL
