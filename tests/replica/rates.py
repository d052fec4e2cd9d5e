"""Header ticker rates and per-page header variations (copies, TMT, date line)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import stable_hash

PAIRS = ("KGS", "KZT", "TJS", "UZS", "TMT")

#: Rates shown on each simulated day (rate text, change text). 2025-01-10 is the seed page's day.
DAILY_RATES: dict[date, tuple[tuple[str, str], ...]] = {
    date(2025, 1, 10): (
        ("0.01149", "0%"),
        ("0.00190", "-0%"),
        ("0.09150", "0%"),
        ("0.00008", "0%"),
        ("0.28571", "0%"),
    ),
    date(2025, 1, 11): (
        ("0.01151", "0.17%"),
        ("0.00191", "0.76%"),
        ("0.09141", "-0.1%"),
        ("0.00008", "-0%"),
        ("0.28571", "0%"),
    ),
}


@dataclass(frozen=True)
class Quote:
    """One ticker entry."""

    base: str
    quote: str
    rate_text: str
    change_text: str

    @property
    def direction(self) -> str:
        """'up', 'down' or 'flat' (for CSS classes)."""
        if self.change_text.startswith("-"):
            return "down"
        return "flat" if self.change_text == "0%" else "up"


@dataclass(frozen=True)
class HeaderSpec:
    """What a page's header shows: ticker quotes (or none), copies, date line."""

    quotes: tuple[Quote, ...]
    copies: int
    dateline: str | None
    uncategorized: bool = False


def quotes_for(day: date) -> tuple[Quote, ...]:
    """All five quotes of a simulated day."""
    return tuple(Quote(b, "USD", r, c) for b, (r, c) in zip(PAIRS, DAILY_RATES[day], strict=True))


def header_spec(
    path: str,
    day: date,
    *,
    no_ticker: bool = False,
    force_dateline: bool = False,
    uncategorized: bool = False,
) -> HeaderSpec:
    """Deterministic header variation for a page path (query strings ignored)."""
    h = stable_hash("header", path)
    dateline = f"{day:%d %B %Y}" if (h % 2 == 0 or force_dateline) else None
    if no_ticker:
        return HeaderSpec((), 0, dateline, uncategorized)
    quotes = quotes_for(day)
    if (h >> 3) % 10 == 0:
        quotes = quotes[:4]
    copies = 2 if (h >> 7) % 9 == 0 else 8
    return HeaderSpec(quotes, copies, dateline, uncategorized)
