"""ValidatePipeline: a record missing a required value becomes a RejectItem.

The reject is returned in place of the record, so the writer stores it and nothing
disappears silently. Its ``reason`` is "missing <field>" or "unparseable <field>"
(all problems, "; "-joined, the first one first), ``field``/``raw_value`` those of
the first problem.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler

from crawler.config import BODY_MAX_CHARS, config_of
from crawler.errors import rejecting
from crawler.items import RejectItem
from pipelines.records import Article, Rate

logger = logging.getLogger(__name__)

#: Required fields, in the order problems are reported.
ARTICLE_REQUIRED = ("url", "title", "published_at", "body_text")
#: Required rate fields: record attribute -> field name used in rejects (the item's field).
RATE_REQUIRED = {
    "base": "base",
    "quote": "quote",
    "rate": "rate_text",
    "change_pct": "change_text",
    "observed_on": "observed_on",
}


#: The largest post id the dataset holds (int64).
MAX_POST_ID = 2**63 - 1


def problems(record: Article | Rate, body_max_chars: int = BODY_MAX_CHARS,
             ) -> list[tuple[str, str, str | None]]:
    """(field, reason, raw value) of each required value that is missing or unparseable,
    and of a value out of what the dataset holds (a post id beyond int64, a body longer
    than ``body_max_chars``)."""
    found = _required(record)
    if isinstance(record, Article):
        if record.post_id is not None and not 0 < record.post_id <= MAX_POST_ID:
            found.append(("post_id", "post_id out of range (int64)", str(record.post_id)))
        if record.body_text is not None and len(record.body_text) > body_max_chars:
            found.append(("body_text", f"body_text over {body_max_chars:,} characters "
                          f"({len(record.body_text):,}; setting BODY_MAX_CHARS)",
                          record.body_text[:200]))
    return found


def _required(record: Article | Rate) -> list[tuple[str, str, str | None]]:
    if isinstance(record, Article):
        required = {name: name for name in ARTICLE_REQUIRED}
    else:
        required = RATE_REQUIRED
    found = []
    for attr, name in required.items():
        if getattr(record, attr) is not None:
            continue
        if name in record.unparsed:
            found.append((name, f"unparseable {name}", record.unparsed[name]))
        else:
            found.append((name, f"missing {name}", None))
    return found


def to_reject(record: Article | Rate, found: list[tuple[str, str, str | None]]) -> RejectItem:
    """The RejectItem that stands for ``record``."""
    url = record.ref_url if isinstance(record, Article) else (record.page_url or "")
    name, _, raw = found[0]
    return RejectItem(
        url=url,
        kind="validation",
        reason="; ".join(reason for _, reason, _ in found),
        field=name,
        raw_value=raw,
        recorded_at=datetime.now(UTC).isoformat(),
    )


class ValidatePipeline:
    """Replaces invalid :class:`Article`/:class:`Rate` records by rejects.

    Stats: ``validate/<kind>s_ok``, ``validate/<kind>s_rejected`` (kind "article" or
    "rate") and ``validate/rejected/<field>`` (the reject's field).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.body_max_chars = config_of(crawler.settings).body_max_chars

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    @rejecting
    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, Article | Rate):
            return item
        kind = "article" if isinstance(item, Article) else "rate"
        found = problems(item, self.body_max_chars)
        if not found:
            self.stats.inc_value(f"validate/{kind}s_ok")
            return item
        reject = to_reject(item, found)
        self.stats.inc_value(f"validate/{kind}s_rejected")
        self.stats.inc_value(f"validate/rejected/{reject.field}")
        logger.info("Rejected %s %s: %s (raw %r)", kind, reject.url, reject.reason,
                    reject.raw_value)
        return reject
