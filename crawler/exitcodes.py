"""Exit codes of ``scrapy crawl timesca`` and how a finished run's outcome is decided.

Stock ``scrapy crawl`` exits 0 whenever the spider could be started; this project's
``crawl`` command (:mod:`crawler.commands.crawl`) exits with one of these instead, so a
scheduler (cron, systemd, Scrapyd, CI) can act on the result. README and
docs/SCHEDULING.md document the same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: the run finished and is not a failure: its datasets are published
OK = 0
#: unexpected error: a bug or a crash (what Scrapy itself exits with)
UNEXPECTED = 1
#: bad arguments or configuration: a wrong ``-a``/``-s`` value, an unknown spider,
#: a bad command line (Scrapy's usage errors exit 2 too); retrying will not help
BAD_ARGUMENTS = 2
#: the run failed: no responses at all, too many requests failed for good
#: (``MAX_ERROR_RATE``), the run was interrupted, or the datasets could not be written
RUN_FAILED = 3
#: another run holds ``OUTPUT_DIR/.lock``: this one stopped before sending any request
LOCK_CONFLICT = 4

#: default of the ``MAX_ERROR_RATE`` setting
DEFAULT_MAX_ERROR_RATE = 0.25

#: error kinds that are the crawl's own decision, not a failure of the site
NOT_FAILURES = frozenset({"robots_forbidden", "ignored"})

#: Scrapy finish reasons of a run that did not end by itself or by a configured limit
INTERRUPTED = frozenset({"shutdown", "cancelled"})


@dataclass(frozen=True)
class Outcome:
    """How a run ended: ``name`` is one of ``success``, ``no-responses``,
    ``no-archive`` (no archive page read: robots.txt, errors), ``no-posts`` (the archives
    list none), ``nothing-stored`` (article pages requested, none stored), ``error-rate``,
    ``interrupted``, ``output-failed``."""

    name: str
    exit_code: int
    reason: str
    requests: int
    failures: int
    error_rate: float

    def stats(self) -> dict[str, Any]:
        """The outcome as crawl stats (``run/...``)."""
        return {
            "run/outcome": self.name,
            "run/exit_code": self.exit_code,
            "run/outcome_reason": self.reason,
            "run/error_rate": self.error_rate,
            "run/failed_requests": self.failures,
        }


def _causes(stats: Mapping[str, Any], most: int = 3) -> str:
    """The commonest reasons pages were not stored: error kinds and reject fields."""
    counts: dict[str, int] = {}
    for key, value in stats.items():
        for prefix, label in (("errors/", ""), ("item_errors/", "error: "),
                              ("validate/rejected/", "rejected: "),
                              ("dedupe/articles_collision", "collisions"),
                              ("output/worse_copies", "regression (worse copies kept out)"),
                              ("boilerplate/articles_rejected", "only boilerplate")):
            if key.startswith(prefix) and isinstance(value, int) and value:
                name = label + key[len(prefix):] if prefix.endswith("/") else label
                counts[name] = counts.get(name, 0) + value
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:most]
    return ", ".join(f"{name} {count}" for name, count in top)


def failed_requests(stats: Mapping[str, Any]) -> int:
    """Requests that failed for good (after retries): HTTP error or network failure,
    as counted by the spider under ``errors/<kind>``; robots.txt refusals excluded."""
    return sum(int(v) for k, v in stats.items()
               if k.startswith("errors/") and k[len("errors/"):] not in NOT_FAILURES)


def distinct_requests(stats: Mapping[str, Any]) -> int:
    """Requests sent, a retried request counted once (robots.txt included)."""
    sent = int(stats.get("downloader/request_count", 0) or 0)
    return max(sent - int(stats.get("retry/count", 0) or 0), 0)


def evaluate(stats: Mapping[str, Any], reason: str, max_error_rate: float) -> Outcome:
    """The outcome of a run that opened and closed, from its stats and finish reason.

    ``error rate = failed_requests / distinct_requests``; the run failed if it got no
    response at all, if the error rate is above ``max_error_rate``, if it was
    interrupted (``shutdown``), or if its datasets were not published.
    """
    requests = distinct_requests(stats)
    failures = failed_requests(stats)
    rate = round(min(failures / requests, 1.0), 4) if requests else 0.0

    def outcome(name: str, code: int, why: str) -> Outcome:
        return Outcome(name, code, why, requests, failures, rate)

    if stats.get("output/dir") is not None and "output/rejects_written" not in stats:
        # the writer opened the store but never recorded a commit: not published
        return outcome("output-failed", RUN_FAILED,
                       f"the datasets could not be written to {stats['output/dir']}")
    if reason in INTERRUPTED:
        return outcome("interrupted", RUN_FAILED, f"the run was interrupted ({reason})")
    if not stats.get("response_received_count"):
        return outcome("no-responses", RUN_FAILED,
                       f"no response at all to {requests} requests")
    why = _causes(stats)
    if not stats.get("archives/pages_read"):
        return outcome("no-archive", RUN_FAILED,
                       f"no archive page could be read ({why or 'no answer'})")
    if not stats.get("archives/posts_found"):
        return outcome("no-posts", RUN_FAILED, "the archives list no post (every page read "
                       "was empty or had no post link)")
    wanted = int(stats.get("articles/requested", 0) or 0)
    stored = int(stats.get("output/articles_written", 0) or 0) + sum(
        int(v) for k, v in stats.items() if k.startswith("output/article_marks/"))
    if wanted and not stored:
        return outcome("nothing-stored", RUN_FAILED,
                       f"none of the {wanted} article pages requested was stored "
                       f"({why or 'no reason recorded'})")
    if rate > max_error_rate:
        return outcome("error-rate", RUN_FAILED,
                       f"{failures} of {requests} requests failed for good: error rate "
                       f"{rate:.2f} > MAX_ERROR_RATE {max_error_rate:g}")
    return outcome("success", OK,
                   f"{failures} of {requests} requests failed for good (error rate "
                   f"{rate:.2f}, MAX_ERROR_RATE {max_error_rate:g})")
