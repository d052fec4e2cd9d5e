"""Which day a page's ticker was observed on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from crawler.dates import http_date as read_http_date


def observed_on(
    dateline: date | None,
    http_date: bytes | str | None,
    site_tz: ZoneInfo,
    now: datetime | None = None,
) -> tuple[date, str]:
    """The day rates on a page hold for, and where that day came from.

    The page's header date line wins; without one, the response's ``Date``
    header read in the site's zone; without that, the local clock in the site's
    zone. The second value is ``"dateline"``, ``"http-date"`` or ``"fetch-time"``.
    """
    if dateline is not None:
        return dateline, "dateline"
    when = read_http_date(http_date)
    if when is not None:
        return when.astimezone(site_tz).date(), "http-date"
    return (now or datetime.now(UTC)).astimezone(site_tz).date(), "fetch-time"
