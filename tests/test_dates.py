"""crawler.dates: the project's one date parser, on the forms real pages and servers use."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.dates import find_date, http_date, read_date, read_datetime
from crawler.incremental import parse_lastmod
from crawler.middlewares import retry_after_seconds
from crawler.observation import observed_on
from crawler.parsers import parse_date_text
from pipelines.normalize import Unparsed, read_moment

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.mark.parametrize(("text", "iso"), [
    # ISO 8601, extended and basic, offsets, fractions beyond microseconds
    ("2025-01-03T10:00:00+05:00", "2025-01-03T10:00:00+05:00"),
    ("20200316T13:00:00Z", "2020-03-16T13:00:00+00:00"),
    ("20200316T130000Z", "2020-03-16T13:00:00+00:00"),
    ("2020-03-16T13:00:00 +03:00", "2020-03-16T13:00:00+03:00"),
    ("2025-01-03T10:00:00.123456789Z", "2025-01-03T10:00:00.123456+00:00"),
    ("2019-11-18 17:19:53 GMT", "2019-11-18T17:19:53+00:00"),
    ("2025-01-03 10:00", "2025-01-03T10:00:00"),
    ("2025-01-03", "2025-01-03"),
    # RFC 2822 / HTTP
    ("Sun, 11 Oct 2020 07:34:36 GMT", "2020-10-11T07:34:36+00:00"),
    ("Mon, 18 Nov 2019 16:07:38 -0600", "2019-11-18T16:07:38-06:00"),
    ("12 Jan 2025 10:00 -0000", "2025-01-12T10:00:00"),  # -0000: zone unknown
    # English text
    ("3rd January 2025", "2025-01-03"),
    ("3 January, 2025", "2025-01-03"),
    ("January 3, 2025", "2025-01-03"),
    ("Friday, 10 January 2025", "2025-01-10"),
    ("08 September 2024", "2024-09-08"),
    ("Sept 8, 2024", "2024-09-08"),
    ("Jan. 3rd 2025 at 10:32 am EST", "2025-01-03T10:32:00-05:00"),
    ("November 19, 2019, 07:47 PM EST", "2019-11-19T19:47:00-05:00"),
    ("Nov 20, 2019 12:38 am", "2019-11-20T00:38:00"),
    ("3 January 2025 | 14:05", "2025-01-03T14:05:00"),
    ("Tue Nov 19 2019 03:05:46 GMT+0000 (Coordinated Universal Time)",
     "2019-11-19T03:05:46+00:00"),
    # numbers
    ("11.11.2021", "2021-11-11"),
    ("2021/11/30", "2021-11-30"),
    ("11/30/2021", "2021-11-30"),
    ("30/11/2021", "2021-11-30"),
    ("  3 January 2025. ", "2025-01-03"),
])
def test_forms_read(text: str, iso: str) -> None:
    found = read_date(text)
    assert found is not None and found.isoformat() == iso


@pytest.mark.parametrize("text", [
    "", "soon", "2025", "Monday", "31 February 2025", "2025-13-01", "Smarch 3, 2025",
    "3/1/2025",  # March 1 or 3 January: not guessed
    "0001-01-01", "9999-12-31T23:59:59+14:00",  # outside any page's years
    "20 Nov 2019 08:02 IST",  # a zone name that names several zones
    "Nov 20, 2019 1:38 pm IST",
    "25:00 3 January 2025",
])
def test_not_dates(text: str) -> None:
    assert read_date(text) is None


def test_a_day_only_is_midnight_site_time_and_says_so() -> None:
    when, day_only = read_datetime("3rd January 2025", ALMATY) or (None, None)
    assert (when, day_only) == (datetime(2025, 1, 2, 19, 0, tzinfo=UTC), True)
    when, day_only = read_datetime("2025-01-03T10:00:00", ALMATY) or (None, None)
    assert (when, day_only) == (datetime(2025, 1, 3, 5, 0, tzinfo=UTC), False)


def test_found_inside_text() -> None:
    found = find_date("Posted on 3rd January 2025 by Jane Doe")
    assert found is not None and (found.day, found.date_only) == (date(2025, 1, 3), True)
    found = find_date("Updated: 2025-01-04T08:00:00Z, 3 comments")
    assert found is not None and found.isoformat() == "2025-01-04T08:00:00+00:00"
    assert find_date("No date here, 12 comments") is None


def test_every_caller_reads_the_same_forms() -> None:
    """The normalizer, the header date line, sitemaps and HTTP headers share the parser."""
    assert read_moment("3rd January 2025", ALMATY) == (datetime(2025, 1, 2, 19, tzinfo=UTC),
                                                       True)
    assert read_moment("20200316T13:00:00Z", ALMATY) == (
        datetime(2020, 3, 16, 13, tzinfo=UTC), False)
    with pytest.raises(Unparsed):
        read_moment("3/1/2025", ALMATY)
    assert parse_date_text("3rd January 2025") == date(2025, 1, 3)
    assert parse_lastmod("2025-01-03") == datetime(2025, 1, 3, tzinfo=UTC)
    assert http_date(b"Sun, 11 Oct 2020 07:34:36 GMT") == datetime(2020, 10, 11, 7, 34, 36,
                                                                   tzinfo=UTC)
    assert http_date("not a date") is None and http_date(None) is None
    assert http_date("2025-01-03") is None  # an HTTP date has a time
    now = datetime(2020, 10, 11, 7, 34, 0, tzinfo=UTC)
    assert retry_after_seconds("Sun, 11 Oct 2020 07:34:36 GMT", now) == 36.0
    assert observed_on(None, b"Sun, 11 Oct 2020 20:00:00 GMT", ALMATY) == (
        date(2020, 10, 12), "http-date")
