"""Which day a page's ticker is dated."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from crawler.observation import observed_on

ALMATY = ZoneInfo("Asia/Almaty")


def test_dateline_wins():
    assert observed_on(date(2025, 1, 10), b"Sat, 11 Jan 2025 00:00:00 GMT", ALMATY) == (
        date(2025, 1, 10), "dateline")


def test_http_date_is_read_in_the_site_zone():
    # 20:30 UTC on the 9th is already the 10th in Almaty (UTC+5).
    assert observed_on(None, b"Thu, 09 Jan 2025 20:30:00 GMT", ALMATY) == (
        date(2025, 1, 10), "http-date")
    assert observed_on(None, "Thu, 09 Jan 2025 18:30:00 GMT", ALMATY) == (
        date(2025, 1, 9), "http-date")


def test_fetch_time_when_nothing_else():
    now = datetime(2025, 1, 9, 19, 30, tzinfo=UTC)
    assert observed_on(None, None, ALMATY, now=now) == (date(2025, 1, 10), "fetch-time")
    assert observed_on(None, b"not a date", ALMATY, now=now) == (date(2025, 1, 10), "fetch-time")
