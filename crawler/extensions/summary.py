"""End-of-run summary: what the crawl fetched, wrote, rejected, and where fields came from.

Logged as readable text at INFO when the spider closes, written as JSON to
``OUTPUT_DIR/last_run.json`` for schedulers and the demo, and appended as one row to
the ``OUTPUT_DIR/runs`` dataset (see :mod:`pipelines.store.runs`). Where the time and memory
went (``timings``, see :func:`run_timings`) is in the log and ``last_run.json`` only.
Not loaded when ``WRITE_OUTPUT`` is off (:func:`crawler.config.writes_output`).
"""

from __future__ import annotations

import json
import logging
import os
import resource
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from crawler import __version__
from crawler import signals as project_signals
from crawler.config import is_secret, output_dir, writes_output
from crawler.timing import PARSE_CPU, PARSED_PAGES, WRITE_CPU, WRITE_WALL, vm_hwm_mb
from pipelines.store import append_run, run_row

logger = logging.getLogger(__name__)


def build_summary(stats: dict[str, Any], archives: list[dict[str, Any]], reason: str) -> dict:
    """A JSON-ready run summary from Scrapy stats and the spider's archive reports."""

    def prefixed(prefix: str) -> dict[str, int]:
        return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}

    def shares(prefix: str) -> dict[str, dict[str, float]]:
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for key, count in prefixed(prefix).items():
            field, _, source = key.partition("/")
            counts[field][source] = count
        return {
            field: {s: round(n / sum(by.values()), 4) for s, n in sorted(by.items())}
            for field, by in sorted(counts.items())
        }

    return {
        "run_id": stats.get("run/id"),
        "finish_reason": reason,
        "outcome": stats.get("run/outcome"),  # set by extensions.outcome.RunOutcome
        "exit_code": stats.get("run/exit_code"),
        "error_rate": stats.get("run/error_rate"),
        "requests": stats.get("downloader/request_count", 0),
        "pages_fetched": stats.get("response_received_count", 0),
        "responses_by_status": prefixed("downloader/response_status_count/"),
        "articles_written": stats.get("output/articles_written", 0),
        "articles_new": stats.get("output/articles_new", 0),
        "articles_updated": stats.get("output/articles_updated", 0),
        "articles_unchanged": stats.get("output/articles_unchanged", 0),
        "rate_rows": stats.get("output/rates_written", 0),
        "rejects": stats.get("output/rejects_written", 0),
        # refetched articles far shorter than their stored copy, which was kept
        "worse_copies": stats.get("output/worse_copies", 0),
        "duplicates_collapsed": prefixed("dedupe/"),
        "retries": stats.get("retry/count", 0),
        "errors_by_kind": prefixed("errors/"),
        # pages or items that became rejects on an error: callback, pipeline, not_stored
        "item_errors": prefixed("item_errors/"),
        "archives": archives,
        "field_sources": shares("extract/"),
        "listing_sources": shares("listing/"),
        # the article body's cross-check: not-run (the standard body looked right), kept,
        # replaced (by the generic extractor's), generic (no standard body)
        "body_check": prefixed("body_check/"),
        # why the cross-check ran: short, links, form, page-text
        "body_suspicion": prefixed("body_suspicion/"),
        # what the parsers noticed: published_at:unreadable, body_text:replaced ...
        "article_flags": prefixed("article_flags/"),
        # the site's boilerplate (pipelines.boilerplate): blocks, blocks_new, threshold,
        # articles_stripped, paragraphs_stripped, articles_rejected, stored_rows_cleaned
        "boilerplate": prefixed("boilerplate/"),
        # incremental decisions: mode, known_posts, known_skipped, sitemap_refetch,
        # sitemap_new, removal_check, refresh_window, retry_failed, removed,
        # not_modified, caught_up_archives, sitemaps_fetched/unchanged/failed
        "incremental": prefixed("incremental/"),
    }


def run_timings(stats: dict[str, Any]) -> dict[str, Any]:
    """Where the run's time and memory went, read when called (call it last).

    ``wall_s``: seconds from the spider's start to now; ``cpu_s``: the process's user +
    system CPU seconds; ``peak_rss_mb``: its peak resident memory (``VmHWM``, which
    starts afresh at exec, unlike ``ru_maxrss``: a crawl started by a large parent, such as
    Scrapyd or the benchmark, would otherwise report the parent's size);
    ``parse_cpu_s`` and ``parsed_pages``: CPU seconds in the page parsers and pages
    parsed; ``parquet_write_s``/``parquet_write_cpu_s``: wall/CPU seconds of the Parquet
    writer's storage work, ``parquet_write_share`` its share of ``wall_s``.
    """
    usage = resource.getrusage(resource.RUSAGE_SELF)
    started = stats.get("start_time")
    if isinstance(started, datetime):
        wall = (datetime.now(UTC) - started.astimezone(UTC)).total_seconds()
    else:
        wall = float(stats.get("elapsed_time_seconds") or 0.0)
    write = float(stats.get(WRITE_WALL, 0.0))
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(vm_hwm_mb() or usage.ru_maxrss / 1024, 1),
        "parse_cpu_s": round(float(stats.get(PARSE_CPU, 0.0)), 3),
        "parsed_pages": int(stats.get(PARSED_PAGES, 0)),
        "parquet_write_s": round(write, 3),
        "parquet_write_cpu_s": round(float(stats.get(WRITE_CPU, 0.0)), 3),
        "parquet_write_share": round(write / wall, 4) if wall > 0 else None,
    }


def format_summary(summary: dict[str, Any]) -> str:
    """The summary as a few aligned lines a person can read."""
    lines = [
        f"run {summary['run_id']} finished: {summary['finish_reason']}",
        f"  requests {summary['requests']}, pages fetched {summary['pages_fetched']}, "
        f"by status {summary['responses_by_status']}",
        f"  articles written {summary['articles_written']} (new {summary['articles_new']}, "
        f"updated {summary['articles_updated']}, unchanged {summary['articles_unchanged']}), "
        f"rate rows {summary['rate_rows']}, rejects {summary['rejects']}",
        f"  retries {summary['retries']}, errors {summary['errors_by_kind'] or 'none'}"
        + (f", item errors {summary['item_errors']}" if summary.get("item_errors") else ""),
    ]
    if summary.get("worse_copies"):
        lines.append(f"  WARNING: {summary['worse_copies']} refetched articles were far shorter "
                     "than their stored copy, which was kept (rejects of kind regression)")
    incremental = dict(summary.get("incremental") or {})
    if incremental:
        mode = incremental.pop("mode", "?")
        detail = ", ".join(f"{k} {v}" for k, v in incremental.items())
        lines.append(f"  {mode} run: {detail or 'nothing to decide'}")
    for title, key in (("body cross-check", "body_check"), ("why it ran", "body_suspicion"),
                       ("article flags", "article_flags"), ("site boilerplate", "boilerplate")):
        found = summary.get(key)
        if found:
            lines.append(f"  {title}: " + ", ".join(f"{k} {v}" for k, v in found.items()))
    timings = summary.get("timings")
    if timings:
        share = timings.get("parquet_write_share")
        lines.append(
            f"  time: wall {timings['wall_s']:.1f} s, cpu {timings['cpu_s']:.1f} s, "
            f"peak RSS {timings['peak_rss_mb']:.1f} MB; parsing {timings['parse_cpu_s']:.1f} "
            f"s cpu for {timings['parsed_pages']} pages; Parquet writing "
            f"{timings['parquet_write_s']:.1f} s"
            f"{f' ({share:.1%} of wall)' if share is not None else ''}, "
            f"{timings['parquet_write_cpu_s']:.1f} s cpu")
    lines.append("  archives (found / reported):")
    for a in summary["archives"]:
        flags = f"  [{', '.join(a['flags'])}]" if a["flags"] else ""
        lines.append(
            f"    {a['archive'] or '(home)'}: {a['found']} / {a['reported_total']} "
            f"in {a['pages']} pages, stopped: {a['end']}{flags}"
        )
    for title, key in (("article field sources (share of article pages)", "field_sources"),
                       ("listing sources (share of archive pages)", "listing_sources")):
        if not summary[key]:  # e.g. no HTML archive page parsed: posts from the REST API
            continue
        lines.append(f"  {title}:")
        for field, by_source in summary[key].items():
            text = ", ".join(f"{s} {v:.0%}" for s, v in by_source.items())
            lines.append(f"    {field}: {text}")
    return "\n".join(lines)


class RunSummary:
    """Logs and saves the run summary when the spider closes."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.output_dir = output_dir(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        if not writes_output(crawler.settings):  # no run: shell, parse, check
            raise NotConfigured
        ext = cls(crawler)
        # written once the outcome is on the stats (crawler.extensions.outcome)
        crawler.signals.connect(ext.outcome_decided, signal=project_signals.outcome_decided)
        return ext

    def outcome_decided(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        # the spider keeps its archive reports on the stats as it goes
        archives = stats.get("summary/archives") or []
        summary = build_summary(stats, archives, reason)
        if "run/id" not in stats:
            # the writer never opened the output directory: the run never started, and
            # the last real run's summary and record stay as they are
            logger.info("Run summary (not saved: the run never started)\n%s",
                        format_summary(summary))
            return
        self.append_run(spider, stats, summary)
        summary["timings"] = run_timings(stats)  # last: the peak memory includes the above
        logger.info("Run summary\n%s", format_summary(summary))
        try:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            target = self.output_dir / "last_run.json"
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
            os.replace(tmp, target)
        except OSError as exc:
            logger.error("Could not write the run summary to %s: %s", self.output_dir, exc)

    def append_run(self, spider: Spider, stats: dict[str, Any], summary: dict) -> None:
        """Append this run's row to the ``runs`` dataset (errors are logged, not raised)."""

        started = stats.get("start_time")
        if not isinstance(started, datetime):
            text = stats.get("run/started_at")
            started = datetime.fromisoformat(text) if text else None
        row = run_row(
            {**summary,
             "articles_total": stats.get("output/articles_total"),
             "rates_new": stats.get("output/rates_new"),
             "recovered_runs": stats.get("output/recovered_runs", 0)},
            started_at=started, ended_at=datetime.now(UTC),
            spider_args=spider_arguments(spider),
            settings=command_line_settings(self.crawler.settings),
            version=__version__,
            is_secret=is_secret,
        )
        try:
            append_run(self.output_dir, row)
        except Exception as exc:
            logger.error("Could not append the run to %s/runs: %s", self.output_dir, exc)


#: spider arguments recorded in the runs dataset (those the timesca spider takes).
SPIDER_ARGUMENTS = ("base_url", "listings", "max_pages", "full", "source")


def spider_arguments(spider: Spider) -> dict[str, str]:
    """The spider's arguments as strings (lists comma-joined, unset ones left out)."""
    found = {}
    for name in SPIDER_ARGUMENTS:
        value = getattr(spider, name, None)
        if value is not None:
            found[name] = ",".join(map(str, value)) if isinstance(value, list) else str(value)
    return found


def command_line_settings(settings: BaseSettings) -> dict[str, str]:
    """Settings given on the command line (``-s NAME=VALUE``), as strings; values of
    settings whose names look secret (passwords, tokens, keys) are masked."""
    cmdline = SETTINGS_PRIORITIES["cmdline"]
    return {name: "***" if is_secret(name) else str(settings[name])
            for name in sorted(settings)
            if (settings.getpriority(name) or 0) >= cmdline}
