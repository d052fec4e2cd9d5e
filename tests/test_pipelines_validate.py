"""ValidatePipeline: invalid records come back as RejectItems with reason and raw value."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem, RateItem, RejectItem
from pipelines.normalize import NormalizePipeline
from pipelines.records import Article, Rate
from pipelines.validate import ValidatePipeline


class _Spider(Spider):
    name = "test"


@pytest.fixture
def crawler() -> Crawler:
    return get_crawler(_Spider, {})


def run(crawler: Crawler, item: Any) -> Any:
    """The item after NormalizePipeline then ValidatePipeline."""
    for pipeline in (NormalizePipeline.from_crawler(crawler),
                     ValidatePipeline.from_crawler(crawler)):
        item = pipeline.process_item(item)
    return item


def article(**fields: object) -> ArticleItem:
    base: dict[str, object] = {
        "url": "https://timesca.com/some-post/",
        "post_id": 101,
        "title": "Title",
        "body_text": "Body text.",
        "published_at": "2025-01-10T08:15:00+05:00",
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


def test_valid_records_pass(crawler: Crawler) -> None:
    assert isinstance(run(crawler, article()), Article)
    assert isinstance(run(crawler, rate()), Rate)
    assert crawler.stats.get_value("validate/articles_ok") == 1
    assert crawler.stats.get_value("validate/rates_ok") == 1
    assert crawler.stats.get_value("validate/articles_rejected") is None


def test_optional_unparseable_field_keeps_the_article(crawler: Crawler) -> None:
    out = run(crawler, article(modified_at="last week"))
    assert isinstance(out, Article)
    assert out.modified_at is None
    assert crawler.stats.get_value("normalize/unparsed/modified_at") == 1


@pytest.mark.parametrize(
    ("fields", "field", "reason", "raw"),
    [
        ({"title": None}, "title", "missing title", None),
        ({"title": " \u00a0\u200b"}, "title", "missing title", None),
        ({"url": None}, "url", "missing url", None),
        ({"body_text": ""}, "body_text", "missing body_text", None),
        ({"published_at": None}, "published_at", "missing published_at", None),
        ({"published_at": "10/01/2025"}, "published_at", "unparseable published_at",
         "10/01/2025"),
        ({"published_at": "31 February 2025"}, "published_at", "unparseable published_at",
         "31 February 2025"),
    ],
)
def test_article_rejects(crawler: Crawler, fields: dict[str, Any], field: str, reason: str,
                         raw: str | None) -> None:
    out = run(crawler, article(**fields))
    assert isinstance(out, RejectItem)
    expected_url = "" if field == "url" else "https://timesca.com/some-post/"
    assert (out.url, out.kind, out.reason, out.field, out.raw_value) == (
        expected_url, "validation", reason, field, raw)
    assert out.recorded_at is not None
    assert crawler.stats.get_value(f"validate/rejected/{field}") == 1
    assert crawler.stats.get_value("validate/articles_rejected") == 1


def test_article_without_url_uses_fetched_url(crawler: Crawler) -> None:
    out = run(crawler, article(url=None, fetched_url="https://timesca.com/fetched/"))
    assert (out.url, out.reason) == ("https://timesca.com/fetched/", "missing url")


def test_several_problems_in_one_reject(crawler: Crawler) -> None:
    out = run(crawler, article(title=None, published_at="tomorrow"))
    assert isinstance(out, RejectItem)
    assert out.reason == "missing title; unparseable published_at"
    assert (out.field, out.raw_value) == ("title", None)
    assert crawler.stats.get_value("validate/rejected/title") == 1


@pytest.mark.parametrize(
    ("fields", "field", "reason", "raw"),
    [
        ({"rate_text": "n/a"}, "rate_text", "unparseable rate_text", "n/a"),
        ({"rate_text": ""}, "rate_text", "missing rate_text", None),
        ({"change_text": "+-1%"}, "change_text", "unparseable change_text", "+-1%"),
        ({"observed_on": "2025-02-30"}, "observed_on", "unparseable observed_on", "2025-02-30"),
        ({"observed_on": None}, "observed_on", "missing observed_on", None),
        ({"base": " "}, "base", "missing base", None),
    ],
)
def test_rate_rejects(crawler: Crawler, fields: dict[str, Any], field: str, reason: str,
                      raw: str | None) -> None:
    out = run(crawler, rate(**fields))
    assert isinstance(out, RejectItem)
    assert (out.url, out.kind, out.reason, out.field, out.raw_value) == (
        "https://timesca.com/latest/", "validation", reason, field, raw)
    assert crawler.stats.get_value(f"validate/rejected/{field}") == 1
    assert crawler.stats.get_value("validate/rates_rejected") == 1


def test_spider_rejects_pass_through(crawler: Crawler) -> None:
    reject = RejectItem(url="https://timesca.com/gone/", kind="http", reason="HTTP 404")
    assert run(crawler, reject) == reject
