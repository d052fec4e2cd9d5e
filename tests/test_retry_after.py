"""Retry-After parsing (the waiting itself is exercised by the fault crawl tests)."""

from datetime import UTC, datetime

from crawler.middlewares import retry_after_seconds

NOW = datetime(2025, 1, 10, 6, 0, 0, tzinfo=UTC)


def test_delta_seconds():
    assert retry_after_seconds(b"1") == 1.0
    assert retry_after_seconds(" 120 ") == 120.0


def test_http_date():
    assert retry_after_seconds(b"Fri, 10 Jan 2025 06:00:30 GMT", now=NOW) == 30.0
    assert retry_after_seconds(b"Fri, 10 Jan 2025 05:00:00 GMT", now=NOW) == 0.0


def test_missing_or_garbage():
    assert retry_after_seconds(None) is None
    assert retry_after_seconds(b"") is None
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(b"-5") is None
