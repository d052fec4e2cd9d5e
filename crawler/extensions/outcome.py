"""Decides how a run ended (success or failed, and the exit code) when the spider closes.

The outcome goes on the stats (``run/outcome``, ``run/exit_code``, ``run/outcome_reason``,
``run/error_rate``, ``run/failed_requests``), where the run summary (``last_run.json``)
and the ``crawl`` command read it. Enabled before :class:`~crawler.extensions.summary.RunSummary`
so its ``spider_closed`` handler runs first. Rules: :func:`crawler.exitcodes.evaluate`.
Not loaded when ``WRITE_OUTPUT`` is off (:func:`crawler.config.writes_output`).
"""

from __future__ import annotations

import logging

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler import exitcodes
from crawler import signals as project_signals
from crawler.config import config_of, writes_output

logger = logging.getLogger(__name__)


def max_error_rate(crawler: Crawler) -> float:
    """The ``MAX_ERROR_RATE`` setting, checked (a share between 0 and 1)."""
    return config_of(crawler.settings).max_error_rate


class RunOutcome:
    """Puts the run's outcome on the stats and logs it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_error_rate = max_error_rate(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunOutcome:
        if crawler.stats is None:  # pragma: no cover
            raise NotConfigured("no stats collector")
        if not writes_output(crawler.settings):  # no run to judge: shell, parse, check
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        outcome = exitcodes.evaluate(self.crawler.stats.get_stats(), reason,
                                     self.max_error_rate)
        for key, value in outcome.stats().items():
            self.crawler.stats.set_value(key, value)
        log = logger.info if outcome.exit_code == exitcodes.OK else logger.error
        log("Run outcome: %s, exit code %d: %s", outcome.name, outcome.exit_code,
            outcome.reason)
        self.crawler.signals.send_catch_log(project_signals.outcome_decided, spider=spider,
                                            reason=reason)
