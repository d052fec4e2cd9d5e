"""The project's own crawl, measured: a full crawl into an empty output directory, then a
rerun with nothing changed."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from .measure import run_measured, throughput
from .quality import body_f1, project_bodies
from .server import Replica


def crawl_command(base_url: str, output_dir: Path, source: str = "html") -> list[str]:
    """``scrapy crawl timesca`` on the replica, politeness off, posts from ``source``
    (``html`` pages or the REST ``api``)."""
    return [sys.executable, "-m", "scrapy", "crawl", "timesca", "-a", f"base_url={base_url}",
            "-a", f"source={source}", "-s", f"OUTPUT_DIR={output_dir}", "-s", "POLITE=0",
            "-s", "LOG_LEVEL=INFO"]


def _last_run(output_dir: Path) -> dict[str, Any]:
    path = output_dir / "last_run.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def run_project(site: Replica, workdir: Path, source: str = "html") -> dict[str, Any]:
    """One full crawl and one no-change rerun from ``source``; the figures of both."""
    output = workdir / "output"
    shutil.rmtree(output, ignore_errors=True)
    site.mark()
    full = run_measured(crawl_command(site.base_url, output, source),
                        log_path=workdir / "full.log")
    pages, statuses = site.requests_since_mark()
    summary = _last_run(output)
    if full.returncode != 0:
        raise RuntimeError(f"project crawl exited {full.returncode}; see {full.log}")
    timings = summary.get("timings", {})
    articles = summary.get("articles_written", 0)
    parse_cpu = timings.get("parse_cpu_s")
    write_s = timings.get("parquet_write_s")
    truth = site.ground_truth()
    site.mark()
    rerun = run_measured(crawl_command(site.base_url, output, source),
                         log_path=workdir / "rerun.log")
    rerun_requests, _ = site.requests_since_mark()
    return {
        **throughput(full, pages, articles),
        "parse_cpu_ms_per_page": None if parse_cpu is None else 1000 * parse_cpu / pages,
        "other_cpu_ms_per_page": (None if parse_cpu is None
                                  else 1000 * (full.cpu_s - parse_cpu) / pages),
        "peak_rss_mb": timings.get("peak_rss_mb") or full.peak_rss_mb,
        "parquet_write_s": write_s,
        "parquet_write_share": None if write_s is None else write_s / full.wall_s,
        "rerun_requests": rerun_requests,
        "rerun_wall_s": rerun.wall_s,
        "rerun_exit": rerun.returncode,
        "body_f1": body_f1(project_bodies(output), truth),
        "statuses": statuses,
    }


def run_project_api(site: Replica, workdir: Path) -> dict[str, Any]:
    """The project through the site's REST API (rates from one HTML page)."""
    return run_project(site, workdir, "api")

