"""Run a command in a child process and measure it from outside (wall, CPU, peak RSS)."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.timing import vm_hwm_mb

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Measured:
    """One child process: wall time, CPU seconds (user + system), peak RSS, exit code."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    log: str


def run_measured(cmd: Sequence[str], *, log_path: Path, timeout: float = 3600,
                 env: dict[str, str] | None = None) -> Measured:
    """Run ``cmd`` from the project root, its output into ``log_path``.

    ``os.wait4`` gives the CPU time of exactly this child, not a running total over
    earlier children; its peak RSS is sampled from ``/proc`` while it runs (``ru_maxrss``
    would count the size of this process at the fork).
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=PROJECT_ROOT, stdout=log,
                                stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        deadline = start + timeout
        peak = 0.0
        while True:
            peak = max(peak, vm_hwm_mb(proc.pid) or 0.0)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        # sampled every 20 ms; a child that reports its own VmHWM at exit is exact
        peak_rss_mb=peak,
        returncode=proc.returncode,
        log=str(log_path),
    )


def throughput(run: Measured, pages: int, articles: int) -> dict[str, Any]:
    """The figures every crawler reports, from its run and its counts (pages = requests
    answered by the replica)."""
    return {
        "pages": pages,
        "articles": articles,
        "wall_s": run.wall_s,
        "pages_per_s": pages / run.wall_s,
        "articles_per_s": articles / run.wall_s,
        "cpu_ms_per_page": 1000 * run.cpu_s / max(pages, 1),
        "requests_per_article": pages / max(articles, 1),
        "peak_rss_mb": run.peak_rss_mb,
    }
