"""The header ticker of the ``timesca`` spider's pages as rate items.

Every page of the site repeats the same header: archive pages always read it, article
pages only until a ticker was found (``self._ticker_seen``). The day a rate is observed
comes from the header's date line, else the response's ``Date`` (site time zone).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import TextResponse

from crawler.items import RateItem, now_text
from crawler.observation import observed_on
from crawler.parsers import parse_dateline, parse_ticker
from crawler.timing import parsing


class HeaderRates:
    """Spider part that turns a page's ticker into :class:`RateItem` (mixed in)."""

    crawler: Any
    config: Any
    logger: Any
    #: a ticker was read this run: article pages need not read the header again
    _ticker_seen: bool

    def header_items(self, response: TextResponse) -> Iterator[RateItem]:
        """One RateItem per pair in the page's ticker (marquee copies collapsed)."""
        with parsing(self.crawler.stats):
            ticker = parse_ticker(response)
        stats = self.crawler.stats
        if not ticker.quotes:
            stats.inc_value("ticker/pages_without")
            return
        self._ticker_seen = True
        if ticker.conflicts:
            stats.inc_value("ticker/conflicting_copies", ticker.conflicts)
            self.logger.warning("Ticker on %s shows one pair with different values", response.url)
        with parsing(self.crawler.stats):
            dateline = parse_dateline(response)
        day, source = observed_on(dateline.value, response.headers.get(b"Date"),
                                  self.config.site_timezone)
        stats.inc_value(f"ticker/observed_on/{source}")
        fetched_at = now_text()
        for quote in ticker.quotes:
            yield RateItem(base=quote.base, quote=quote.quote, rate_text=quote.rate_text,
                           change_text=quote.change_text, observed_on=day.isoformat(),
                           observed_on_source=source, page_url=response.url,
                           fetched_at=fetched_at)


__all__ = ["HeaderRates"]
