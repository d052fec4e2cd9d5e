"""The project's Spidermon monitors and the suite run when the spider closes.

:class:`CloseMonitorSuite` (``SPIDERMON_SPIDER_CLOSE_MONITORS``) runs Spidermon's own
Finish Reason, Error Count, Item Validation and Field Coverage monitors, and two of the
project's: :class:`RejectsMonitor` (a ceiling on the run's rejects) and
:class:`SourceMonitor` (the share of article pages whose field came from a given extraction
source). :class:`RecordResults` puts the results on the crawl stats (``monitors/...``);
the actions named in ``MONITOR_FAILED_ACTIONS`` run when a monitor fails. A failed monitor
does not change the exit code (docs/MONITORING.md).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any, ClassVar

from scrapy.utils.misc import load_object
from spidermon import Monitor, monitors
from spidermon.contrib.scrapy.monitors import (
    ErrorCountMonitor,
    FieldCoverageMonitor,
    FinishReasonMonitor,
    ItemValidationMonitor,
    SpiderCloseMonitorSuite,
)
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor
from spidermon.core.actions import Action
from spidermon.exceptions import NotConfigured

from crawler import monitoring

logger = logging.getLogger(__name__)

#: the writer's count of the rejects it staged, per kind (pipelines/writer.py)
REJECT_KINDS = "output/rejects/"


@monitors.name("Rejects Monitor")
class RejectsMonitor(BaseScrapyMonitor):
    """Check that the run's rejects stay under their ceilings.

    ``MONITOR_MAX_REJECT_SHARE`` (default 0.05): rejects / (articles written + rejects);
    ``MONITOR_MAX_REJECTS`` (default -1, none): their count; ``MONITOR_MAX_REJECTS_BY_KIND``
    (default none): the count of each kind. Skipped when the datasets were not written.
    """

    @monitors.name("Rejects should stay under their ceilings")
    def test_rejects_under_ceiling(self) -> None:
        stats = self.data.stats
        if "output/rejects_written" not in stats:
            self.skipTest("no output/rejects_written: the datasets were not written")
        settings = self.crawler.settings
        rejects = int(stats.get("output/rejects_written") or 0)
        written = int(stats.get("output/articles_written") or 0)
        share = rejects / (rejects + written) if rejects else 0.0
        kinds = {k[len(REJECT_KINDS):]: int(v) for k, v in sorted(stats.items())
                 if k.startswith(REJECT_KINDS)}
        by_kind = ", ".join(f"{k} {n}" for k, n in kinds.items()) or "none counted"
        failures = []
        ceiling = monitoring.max_reject_share(settings)
        if share > ceiling:
            failures.append(f"{rejects} rejects are {share:.1%} of {rejects + written} rows, "
                            f"over MONITOR_MAX_REJECT_SHARE {ceiling:g}")
        most = monitoring.max_rejects(settings)
        if most >= 0 and rejects > most:
            failures.append(f"{rejects} rejects, over MONITOR_MAX_REJECTS {most}")
        for kind, limit in monitoring.max_rejects_by_kind(settings).items():
            if kinds.get(kind, 0) > limit:
                failures.append(f"{kinds[kind]} rejects of kind {kind}, over "
                                f"MONITOR_MAX_REJECTS_BY_KIND[{kind!r}] {limit}")
        self.assertFalse(failures, msg="; ".join(failures) + f" (by kind: {by_kind})")


def source_shares(stats: dict[str, Any]) -> tuple[dict[tuple[str, str], float], int]:
    """(field, source) -> share of the article pages parsed, from ``extract/<field>/<source>``
    stats; and the number of article pages (the most pages any field was counted in)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for key, value in stats.items():
        if key.startswith("extract/"):
            field, _, source = key[len("extract/"):].partition("/")
            counts[field][source] = int(value)
    totals = {field: sum(by.values()) for field, by in counts.items()}
    shares = {(field, source): n / totals[field]
              for field, by in counts.items() for source, n in by.items() if totals[field]}
    return shares, max(totals.values(), default=0)


@monitors.name("Extraction Source Monitor")
class SourceMonitor(BaseScrapyMonitor):
    """Check which extraction sources the article fields came from.

    ``MONITOR_SOURCE_RULES`` maps ``"field/source"`` to the largest share of the article
    pages parsed in which that field came from that source (stats ``extract/<field>/<source>``,
    the run summary's ``field_sources``): ``"title/none": 0`` means every page had a title,
    ``"body_text/generic": 0.2`` that at most a fifth of the bodies needed the generic
    extractor. Skipped below ``MONITOR_SOURCE_MIN_PAGES`` article pages (default 10).
    """

    @monitors.name("Fields should come from the expected sources")
    def test_source_shares(self) -> None:
        settings = self.crawler.settings
        shares, pages = source_shares(dict(self.data.stats))
        least = monitoring.source_min_pages(settings)
        if pages < max(least, 1):
            self.skipTest(f"{pages} article pages parsed, fewer than "
                          f"MONITOR_SOURCE_MIN_PAGES {least}")
        failures = [
            f"{field}/{source}: {shares[field, source]:.1%} of the pages, over {limit:.1%}"
            for (field, source), limit in sorted(monitoring.source_rules(settings).items())
            if shares.get((field, source), 0.0) > limit
        ]
        self.assertFalse(failures, msg=f"of {pages} article pages, " + "; ".join(failures))


class RecordResults(Action):
    """Puts the monitors' results on the crawl stats: ``monitors/passed``,
    ``monitors/failed``, ``monitors/skipped`` (counts) and ``monitors/failed_names``
    (``Monitor Name/test name`` of each failed one)."""

    def run_action(self) -> None:
        counts = {"passed": 0, "failed": 0, "skipped": 0}
        failed = []
        for result in self.result.monitor_results:
            if result.status in ("FAIL", "ERROR"):
                counts["failed"] += 1
                failed.append(result.monitor.name)
            elif result.status == "SKIPPED":
                counts["skipped"] += 1
            else:
                counts["passed"] += 1
        stats = self.data.crawler.stats
        for name, count in counts.items():
            stats.inc_value(f"monitors/{name}", count)
        stats.set_value("monitors/failed_names",
                        sorted({*(stats.get_value("monitors/failed_names") or []), *failed}))
        if failed:
            logger.warning("Monitors failed (the exit code stays the run's outcome): %s",
                           ", ".join(failed))


class CloseMonitorSuite(SpiderCloseMonitorSuite):
    """The project's monitors, run when the spider closes (after the run's outcome)."""

    monitors: ClassVar[list[type[Monitor]]] = [
        FinishReasonMonitor,
        ErrorCountMonitor,
        ItemValidationMonitor,
        FieldCoverageMonitor,
        RejectsMonitor,
        SourceMonitor,
    ]
    monitors_finished_actions: ClassVar[list[Any]] = [RecordResults]

    def __init__(self, *args: Any, crawler: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, crawler=crawler, **kwargs)
        if crawler is None:
            return
        for path in monitoring.failed_actions(crawler.settings):
            try:
                self.add_monitors_failed_action(load_object(path))
            except NotConfigured as exc:  # a start-up error (exit code 2), not a lost alert
                raise ValueError(f"setting MONITOR_FAILED_ACTIONS: {path} is not "
                                 f"configured: {exc}") from None
