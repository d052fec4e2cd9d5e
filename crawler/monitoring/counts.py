"""Counts the rejects a run stores by kind, for the Rejects Monitor (no Spidermon needed).

Stats ``monitoring/rejects/<kind>`` (``http``, ``validation``, ``extraction``, ...), one per
:class:`~crawler.items.RejectItem` the pipelines passed on to be stored. Rejects the writer
makes itself (a worse copy, a body of boilerplate only, a value that does not fit the
schema) are in ``output/rejects_written`` but not here.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.items import RejectItem

PREFIX = "monitoring/rejects/"


class RejectKinds:
    """Extension: ``monitoring/rejects/<kind>`` per stored reject item."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RejectKinds:
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        return ext

    def item_scraped(self, item: Any, **kwargs: Any) -> None:
        if isinstance(item, RejectItem) and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{PREFIX}{item.kind}")


def reject_kinds(stats: dict[str, Any]) -> dict[str, int]:
    """Kind -> count of the run's reject items, from the stats."""
    return {k[len(PREFIX):]: int(v) for k, v in sorted(stats.items()) if k.startswith(PREFIX)}
