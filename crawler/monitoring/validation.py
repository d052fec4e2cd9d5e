"""Spidermon's item validation of what the writer stores, which never drops or alters it.

:class:`StoredItemValidation` runs between the dedupe pipeline and the writer, so it sees
the normalized :class:`~pipelines.records.Article` and :class:`~pipelines.records.Rate`
records that are stored (a record the project's own validation rejected is a
:class:`~crawler.items.RejectItem` by then, which no schema applies to). Errors go on
Spidermon's stats (``spidermon/validation/...``) for the Item Validation Monitor and are
logged at INFO; the record goes on to the writer whatever the result, and an error in the
validation itself is logged, never a lost record.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from itemadapter import ItemAdapter
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline

logger = logging.getLogger(__name__)


def jsonable(value: Any) -> Any:
    """``value`` as JSON would hold it: datetimes and dates as ISO 8601 text, Decimals as
    numbers, tuples as lists (what the schemas in :mod:`crawler.monitoring.schemas`
    describe)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


class StoredItemValidation(ItemValidationPipeline):
    """Spidermon's ``ItemValidationPipeline`` over the records as stored; never drops one."""

    def process_item(self, item: Any, spider: Any = None) -> Any:
        try:
            self._validate(item)
        except Exception:
            logger.exception("Item validation failed on a %s (it is stored anyway)",
                             type(item).__name__)
        return item

    def _validate(self, item: Any) -> None:
        validators = self.find_validators(item)
        if not validators:
            return
        data = jsonable(ItemAdapter(item).asdict())
        self.stats.add_item()
        self.stats.add_fields(len(data))
        for validator in validators:
            ok, errors = validator.validate(data)
            if ok:
                continue
            self._add_error_stats(errors)
            logger.info("Item validation: %s %s: %s", type(item).__name__,
                        data.get("url") or data.get("page_url") or "",
                        "; ".join(f"{field}: {', '.join(messages)}"
                                  for field, messages in errors.items()))
