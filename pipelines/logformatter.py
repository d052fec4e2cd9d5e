"""QuietDropLogFormatter: duplicate drops at DEBUG, other drops at WARNING.

Set ``LOG_FORMATTER = "pipelines.logformatter.QuietDropLogFormatter"``.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure

from pipelines.dedupe import DuplicateItem

DUPLICATE_MSG = "Dropped duplicate: %(exception)s"
DROPPED_MSG = "Dropped: %(exception)s\n%(item)s"


class QuietDropLogFormatter(LogFormatter):
    """Logs :class:`~pipelines.dedupe.DuplicateItem` drops at DEBUG without the item
    (a whole article is too long for a log line), every other drop at WARNING."""

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider | None = None,
    ) -> LogFormatterResult:
        if isinstance(exception, DuplicateItem):
            return {"level": logging.DEBUG, "msg": DUPLICATE_MSG,
                    "args": {"exception": exception}}
        return {"level": logging.WARNING, "msg": DROPPED_MSG,
                "args": {"exception": exception, "item": item}}
