"""Dates as pages and servers write them: the project's one date parser.

:func:`read_date` reads a value that is a date (a meta or JSON-LD value, a ``datetime``
attribute, a header date line, a sitemap ``lastmod``, an HTTP ``Date``) and
:func:`find_date` finds one inside a longer text ("Posted on 3rd January 2025 by ...").
Both give a :class:`Reading`: the date, the time of day when the text has one, and the UTC
offset when it states one. Read are:

- ISO 8601, extended or basic: ``2025-01-03T10:00:00+05:00``, ``20200316T13:00:00Z``,
  ``2025-01-03 10:00``, ``2025-01-03``;
- RFC 2822 / HTTP dates: ``Sun, 11 Oct 2020 07:34:36 GMT``;
- English text: ``3 January 2025``, ``3rd January, 2025``, ``January 3, 2025``,
  ``Friday, 10 January 2025``, ``Jan. 3rd 2025 at 10:32 am EST``;
- numbers: ``11.11.2021`` (day first), ``2021/11/11``, ``11/30/2021`` and ``30/11/2021``
  (but not ``3/1/2025``: which of the two is the month, the text does not say).

A value without a time of day is a date only (:attr:`Reading.date_only`): as a datetime it
is midnight in the site's zone, and the caller flags it. A value without an offset is read
in the site's zone. Years outside :data:`YEARS` are not dates (``0001``, ``9999``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

#: The years a page's date can fall in; outside, the text is not read as a date.
YEARS = range(1900, 2200)

_MONTHS = {
    name: number
    for number, names in enumerate((
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
        ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
        ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
        ("december", "dec"),
    ), start=1)
    for name in names
}
#: Zone names a page may print after a time, with their offsets in hours.
_ZONES = {"z": 0, "utc": 0, "gmt": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5,
          "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "bst": 1, "cet": 1, "cest": 2,
          "msk": 3}

_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?"
_ZONE = (r"(?P<zone>(?:gmt|utc)?[+-]\d{2}:?\d{2}|" + "|".join(_ZONES) + r")(?![a-z])"
         r"(?:\s*\([a-z ]+\))?")  # "GMT+0000 (Coordinated Universal Time)": a browser's
_TIME = (r"(?:(?:,|\s+at|\s*[-–|@])?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
         r"(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*" + _ZONE + r")?)?")
_FORMS = (
    _WEEKDAY + _DAY + r"(?:\s+|\s*-\s*)(?:of\s+)?" + _MONTH + r"(?:,?\s+|\s*-\s*)" + _YEAR,
    _WEEKDAY + _MONTH + r"\s+" + _DAY + r"(?:,?\s+|,)" + _YEAR,
    r"(?P<dday>\d{1,2})\.(?P<dmonth>\d{1,2})\.(?P<dyear>\d{4})",
    r"(?P<syear>\d{4})/(?P<smonth>\d{1,2})/(?P<sday>\d{1,2})",
    r"(?P<first>\d{1,2})/(?P<second_>\d{1,2})/(?P<nyear>\d{4})",
)
_TEXT_DATES = tuple(re.compile(r"(?<![\w.])(?:" + form + r")" + _TIME + r"(?!\w)", re.IGNORECASE)
                    for form in _FORMS)
_ISO_LIKE = re.compile(r"\d{4}-?\d{2}-?\d{2}(?:[T ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?)?"
                       r"\s*(?:Z|GMT|UTC|[+-]\d{2}(?::?\d{2})?)?", re.IGNORECASE)
#: RFC 2822 (e-mail, HTTP): "Sun, 11 Oct 2020 07:34:36 GMT"; the e-mail parser is lenient
#: (it reads "Nov 20, 2019 1:38 pm" as 01:38), so only this shape goes to it
_RFC2822 = re.compile(r"(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?"
                      r"(?:\s*(?:[+-]\d{4}|gmt|ut|utc|z|[ecmp][sd]t))?", re.IGNORECASE)
_FRACTION = re.compile(r"([.,]\d{6})\d+")


@dataclass(frozen=True)
class Reading:
    """A date as a text gave it: the day, the time of day if given, the offset if given."""

    day: date
    clock: time | None = None  # None: the text gave no time of day
    offset: tzinfo | None = None  # None: no offset given (site time)

    @property
    def date_only(self) -> bool:
        """The text gave a day, no time of day."""
        return self.clock is None

    def to_datetime(self, site_tz: tzinfo) -> datetime:
        """The moment in UTC: a date only is midnight in ``site_tz``, a time without an
        offset is in ``site_tz``."""
        when = datetime.combine(self.day, self.clock or time())
        return when.replace(tzinfo=self.offset or site_tz).astimezone(UTC)

    def isoformat(self) -> str:
        """``YYYY-MM-DD`` for a date only, else ISO 8601 (with the offset when given)."""
        if self.clock is None:
            return self.day.isoformat()
        when = datetime.combine(self.day, self.clock)
        return when.replace(tzinfo=self.offset).isoformat()


def _reading(when: datetime, has_time: bool = True) -> Reading | None:
    if when.year not in YEARS:
        return None
    return Reading(when.date(), when.timetz().replace(tzinfo=None) if has_time else None,
                   when.tzinfo)


def _iso(text: str) -> Reading | None:
    if not _ISO_LIKE.fullmatch(text):
        return None
    compact = _FRACTION.sub(r"\1", text.replace(",", ".")).upper()
    compact = re.sub(r"\s*(?:GMT|UTC)$", "Z", compact)
    compact = re.sub(r"\s+(?=[Z+-])", "", compact)  # "2025-01-03 10:00 +05:00"
    try:
        when = datetime.fromisoformat(compact)
    except ValueError:
        return None
    has_time = len(re.sub(r"\D", "", text)) > 8
    return _reading(when, has_time)


def _rfc2822(text: str) -> Reading | None:
    if not _RFC2822.fullmatch(text):
        return None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if re.search(r"-0000\s*$", text):  # RFC 2822: "no information about the local zone"
        when = when.replace(tzinfo=None)
    return _reading(when)


def _from_match(m: re.Match[str]) -> Reading | None:
    g = dict.fromkeys(("month", "dday", "syear", "ampm", "zone", "second"), None)
    g.update(m.groupdict())
    try:
        if g["month"]:
            day = date(int(g["year"]), _MONTHS[g["month"].lower()], int(g["day"]))
        elif g["dday"]:
            day = date(int(g["dyear"]), int(g["dmonth"]), int(g["dday"]))
        elif g["syear"]:
            day = date(int(g["syear"]), int(g["smonth"]), int(g["sday"]))
        else:
            first, second = int(g["first"]), int(g["second_"])
            if first <= 12 and second <= 12 and first != second:
                return None  # 3/1/2025: March 1 or 3 January, the page does not say
            month, dom = (second, first) if first > 12 else (first, second)
            day = date(int(g["nyear"]), month, dom)
    except (ValueError, KeyError):
        return None
    if day.year not in YEARS:
        return None
    if g["hour"] is None:
        return Reading(day)
    hour, minute, second = int(g["hour"]), int(g["minute"]), int(g["second"] or 0)
    ampm = (g["ampm"] or "").replace(".", "").lower()
    if ampm and not 1 <= hour <= 12:
        return None
    if ampm == "pm" and hour != 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        clock = time(hour, minute, second)
    except ValueError:
        return None
    return Reading(day, clock, _zone(g["zone"]))


def _zone(text: str | None) -> tzinfo | None:
    if not text:
        return None
    name = text.lower()
    if name in _ZONES:
        return timezone(timedelta(hours=_ZONES[name]))
    text = text.lstrip("GMTUCgmtuc")  # "GMT+0000"
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:])
    if minutes >= 24 * 60:
        return None
    return timezone(sign * timedelta(minutes=minutes))


def read_date(text: str | None) -> Reading | None:
    """The date ``text`` is (the whole text, surrounding space and a trailing period
    aside), or None when it is not one of the forms above."""
    if not text:
        return None
    value = " ".join(text.split()).strip(" .")
    if not value or len(value) > 64:
        return None
    found = _iso(value) or _rfc2822(value)
    if found:
        return found
    for pattern in _TEXT_DATES:
        m = pattern.fullmatch(value)
        if m:
            return _from_match(m)
    return None


def find_date(text: str | None) -> Reading | None:
    """The first date written inside ``text`` (as :func:`read_date` reads them)."""
    if not text:
        return None
    value = " ".join(text.split())
    matches = sorted((m for pattern in _TEXT_DATES for m in pattern.finditer(value)),
                     key=lambda m: m.start())
    for m in matches:
        found = _from_match(m)
        if found:
            return found
    for m in _ISO_LIKE.finditer(value):
        found = _iso(m.group(0).strip())
        if found:
            return found
    return None


def read_datetime(text: str | None, site_tz: tzinfo) -> tuple[datetime, bool] | None:
    """``text`` read as a moment in UTC, and whether it was a date only."""
    found = read_date(text)
    return (found.to_datetime(site_tz), found.date_only) if found else None


def http_date(value: bytes | str | None) -> datetime | None:
    """An HTTP date header (``Date``, ``Last-Modified``, ``Retry-After``) in UTC, None if
    missing or unusable. A date without a zone is UTC, as HTTP dates are."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    found = read_date(text)
    if found is None or found.date_only:
        return None
    return found.to_datetime(UTC)
