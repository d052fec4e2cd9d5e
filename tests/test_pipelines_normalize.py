"""NormalizePipeline: text, lists, URLs, dates and rates, driven through a real Crawler."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem, RateItem, RejectItem
from pipelines.normalize import NormalizePipeline
from pipelines.records import Article, Rate


class _Spider(Spider):
    name = "test"


def make_pipeline(**settings: object) -> tuple[NormalizePipeline, Crawler]:
    crawler = get_crawler(_Spider, dict(settings))
    return NormalizePipeline.from_crawler(crawler), crawler


def article(**fields: object) -> ArticleItem:
    base: dict[str, object] = {
        "url": "https://timesca.com/some-post/",
        "post_id": 101,
        "title": "Title",
        "body_text": "Body text.",
        "published_at": "2025-01-10T08:15:00+05:00",
        "fetched_at": "2025-01-10T06:00:00+00:00",
    }
    base.update(fields)
    return ArticleItem(**base)  # type: ignore[arg-type]


def rate(**fields: object) -> RateItem:
    base: dict[str, object] = {
        "base": "KZT",
        "quote": "USD",
        "rate_text": "0.00190",
        "change_text": "0%",
        "observed_on": "2025-01-10",
        "observed_on_source": "dateline",
        "page_url": "https://timesca.com/latest/",
        "fetched_at": "2025-01-10T06:00:00+00:00",
    }
    base.update(fields)
    return RateItem(**base)  # type: ignore[arg-type]


def test_text_nfc_nbsp_zero_width_and_paragraphs() -> None:
    pipeline, _ = make_pipeline()
    out = pipeline.process_item(article(
        title="  Caf\u0065\u0301\u00a0in\u200b Almaty\ufeff \u2060 ",
        summary="One\n  two\u00a0\u00a0three ",
        body_text=(
            "  First\u00a0 line\u200c of  para.\nSecond line \r\n\r\n \u00a0\n\n\n"
            "Next\u200d para.  "
        ),
        authors=[" Jane\u00a0Doe ", "", "Jane Doe", "\u200b", "John  Roe"],
        categories=["Kazakhstan", "Kazakhstan", " Business "],
        tags=["Oil\u00a0", "oil"],
        word_count=999,
    ))
    assert isinstance(out, Article)
    assert out.title == "Café in Almaty"
    assert out.title == "Caf\u00e9 in Almaty"  # NFC: one precomposed code point
    assert out.summary == "One two three"
    assert out.body_text == "First line of para.\nSecond line\n\nNext para."
    assert out.word_count == 8
    assert out.authors == ["Jane Doe", "John Roe"]
    assert out.categories == ["Kazakhstan", "Business"]
    assert out.tags == ["Oil", "oil"]


def test_empty_text_becomes_none() -> None:
    pipeline, _ = make_pipeline()
    out = pipeline.process_item(article(summary=" \u00a0\u200b ", body_text="\n\n \n"))
    assert out.summary is None
    assert out.body_text is None
    assert out.word_count is None
    assert out.unparsed == {}


def test_urls_safe_and_without_fragment() -> None:
    pipeline, _ = make_pipeline()
    out = pipeline.process_item(article(
        url=" https://timesca.com/a b/#comments ",
        image_url="https://timesca.com/wp-content/uploads/2025/01/фото.jpg#x",
        fetched_url="https://timesca.com/a%20b/",
    ))
    assert out.url == "https://timesca.com/a%20b/"
    assert out.image_url == (
        "https://timesca.com/wp-content/uploads/2025/01/%D1%84%D0%BE%D1%82%D0%BE.jpg"
    )
    assert out.fetched_url == "https://timesca.com/a%20b/"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-01-10T08:15:00+05:00", datetime(2025, 1, 10, 3, 15, tzinfo=UTC)),
        ("2025-01-10T08:15:00Z", datetime(2025, 1, 10, 8, 15, tzinfo=UTC)),
        ("2025-01-10T08:15Z", datetime(2025, 1, 10, 8, 15, tzinfo=UTC)),
        ("2025-01-10T08:15+06:00", datetime(2025, 1, 10, 2, 15, tzinfo=UTC)),
        ("2025-01-10T08:15:00.123456+05:00", datetime(2025, 1, 10, 3, 15, 0, 123456, tzinfo=UTC)),
        ("2025-01-10T08:15:00.5-03:00", datetime(2025, 1, 10, 11, 15, 0, 500000, tzinfo=UTC)),
        ("2025-01-10T08:15:00.1234567+00:00", datetime(2025, 1, 10, 8, 15, 0, 123456, tzinfo=UTC)),
        # naive: read in the site zone, Asia/Almaty (UTC+5 since March 2024)
        ("2025-01-10 08:15:00", datetime(2025, 1, 10, 3, 15, tzinfo=UTC)),
        ("2025-01-10T08:15", datetime(2025, 1, 10, 3, 15, tzinfo=UTC)),
        # ... which was UTC+6 before 2024-03-01
        ("2023-06-01 08:15:00", datetime(2023, 6, 1, 2, 15, tzinfo=UTC)),
    ],
)
def test_dates_to_utc(raw: str, expected: datetime) -> None:
    pipeline, _ = make_pipeline()
    out = pipeline.process_item(article(published_at=raw, modified_at=raw))
    assert out.published_at == expected
    assert out.published_at.utcoffset().total_seconds() == 0
    assert out.modified_at == expected
    assert out.unparsed == {}


def test_site_timezone_setting() -> None:
    pipeline, _ = make_pipeline(SITE_TIMEZONE="Europe/London")
    out = pipeline.process_item(article(published_at="2025-07-10 08:15:00"))
    assert out.published_at == datetime(2025, 7, 10, 7, 15, tzinfo=UTC)


def test_unknown_site_timezone_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        make_pipeline(SITE_TIMEZONE="Mars/Olympus")


@pytest.mark.parametrize("raw", ["January 3, 2025", "3 January 2025", "03 Jan 2025",
                                 "Jan. 3, 2025", "2025-01-03"])
def test_a_date_shown_without_time_is_midnight_site_time(raw: str) -> None:
    pipeline, _ = make_pipeline()
    out = pipeline.process_item(article(published_at=raw))
    # 00:00 in Almaty (UTC+5) is 19:00 UTC the day before
    assert out.published_at == datetime(2025, 1, 2, 19, 0, tzinfo=UTC)
    assert out.unparsed == {}
    assert out.flags == ["published_at:date-only"]


def test_flags_of_the_parse_are_kept_and_counted() -> None:
    pipeline, crawler = make_pipeline()
    item = article(published_at="3rd January 2025", modified_at="2025-01-04T10:00:00+05:00")
    item.flags = ["published_at:unreadable", "body_text:replaced"]
    out = pipeline.process_item(item)
    assert out.flags == ["published_at:unreadable", "body_text:replaced",
                         "published_at:date-only"]
    assert crawler.stats.get_value("article_flags/published_at:date-only") == 1
    assert crawler.stats.get_value("article_flags/modified_at:date-only") is None


@pytest.mark.parametrize("raw", ["31 February 2025", "Smarch 3, 2025", "2025-13-40T08:15:00Z",
                                 "2025-13-40", "soon", "3/1/2025"])
def test_unparseable_dates_are_not_guessed(raw: str) -> None:
    pipeline, crawler = make_pipeline()
    out = pipeline.process_item(article(published_at=raw, modified_at="yesterday"))
    assert out.published_at is None
    assert out.modified_at is None
    assert out.unparsed == {"published_at": raw, "modified_at": "yesterday"}
    assert crawler.stats.get_value("normalize/unparsed/published_at") == 1
    assert crawler.stats.get_value("normalize/unparsed/modified_at") == 1


def test_post_id() -> None:
    pipeline, _ = make_pipeline()
    assert pipeline.process_item(article(post_id="12345")).post_id == 12345
    assert pipeline.process_item(article(post_id=None)).post_id is None
    bad = pipeline.process_item(article(post_id="p-12"))
    assert bad.post_id is None
    assert bad.unparsed == {"post_id": "p-12"}


def test_content_hash_covers_content_not_fetch_metadata() -> None:
    pipeline, _ = make_pipeline()
    one = pipeline.process_item(article())
    again = pipeline.process_item(article(fetched_at="2026-01-01T00:00:00Z",
                                          sources={"title": "meta"}, title=" Title\u00a0"))
    changed = pipeline.process_item(article(title="Other title"))
    assert one.content_hash is not None and len(one.content_hash) == 64
    assert again.content_hash == one.content_hash
    assert changed.content_hash != one.content_hash


def test_sources_and_fetched_at() -> None:
    pipeline, _ = make_pipeline()
    out = pipeline.process_item(article(sources={"title": "jsonld", "body_text": "theme"}))
    assert out.sources == {"title": "jsonld", "body_text": "theme"}
    assert out.fetched_at == datetime(2025, 1, 10, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change_text", "change", "signed", "direction"),
    [
        ("0%", "0", False, "flat"),
        ("-0%", "-0", True, "down"),
        ("0.2%", "0.2", False, "up"),
        ("-0.1%", "-0.1", True, "down"),
        ("0.76%", "0.76", False, "up"),
        ("2.23%", "2.23", False, "up"),
        ("\u22120.1%", "-0.1", True, "down"),  # Unicode minus sign
    ],
)
def test_rate_change(change_text: str, change: str, signed: bool, direction: str) -> None:
    pipeline, _ = make_pipeline()
    out = pipeline.process_item(rate(change_text=change_text))
    assert isinstance(out, Rate)
    assert str(out.change_pct) == change
    assert out.change_pct.is_signed() is signed
    assert out.direction == direction
    assert out.change_text == change_text


def test_rate_exact_decimal_and_fields() -> None:
    pipeline, crawler = make_pipeline()
    out = pipeline.process_item(rate(base=" kzt ", quote="usd", rate_text=" 0.00008 ",
                                     change_text="-0%"))
    assert out.rate == Decimal("0.00008")
    assert str(out.rate) == "0.00008"
    assert out.rate_text == "0.00008"
    assert (out.base, out.quote, out.pair) == ("KZT", "USD", "KZT/USD")
    assert out.observed_on == date(2025, 1, 10)
    assert out.observed_on_source == "dateline"
    assert out.fetched_at == datetime(2025, 1, 10, 6, 0, tzinfo=UTC)
    assert out.unparsed == {}
    assert crawler.stats.get_value("normalize/rate") == 1


@pytest.mark.parametrize(
    ("fields", "unparsed"),
    [
        ({"rate_text": "n/a"}, {"rate_text": "n/a"}),
        ({"rate_text": "0,00190"}, {"rate_text": "0,00190"}),
        ({"rate_text": "0.000000001"}, {"rate_text": "0.000000001"}),  # beyond decimal(18,8)
        ({"change_text": "2.23"}, {"change_text": "2.23"}),
        ({"change_text": "up"}, {"change_text": "up"}),
        ({"observed_on": "10 January 2025"}, {"observed_on": "10 January 2025"}),
        ({"observed_on": "2025-02-30"}, {"observed_on": "2025-02-30"}),
    ],
)
def test_rate_unparseable(fields: dict[str, str], unparsed: dict[str, str]) -> None:
    pipeline, _ = make_pipeline()
    out = pipeline.process_item(rate(**fields))
    assert out.unparsed == unparsed
    for name in unparsed:
        attr = {"rate_text": "rate", "change_text": "change_pct"}.get(name, name)
        assert getattr(out, attr) is None


def test_rejects_and_other_items_pass() -> None:
    pipeline, _ = make_pipeline()
    reject = RejectItem(url="https://timesca.com/x/#y", kind="http", reason=" HTTP\u00a0404 ",
                        raw_value="  raw  ")
    out = pipeline.process_item(reject)
    assert out == RejectItem(url="https://timesca.com/x/", kind="http", reason="HTTP 404",
                             raw_value="  raw  ")
    other = {"anything": 1}
    assert pipeline.process_item(other) is other
