"""Where a run's time goes: wall and CPU seconds of parts of the run, as Scrapy stats.

Stats (all seconds, summed over the run; see :mod:`crawler.extensions.summary`):

- ``timing/parse_cpu_s``: CPU time inside the page parsers (spider), with
  ``timing/parsed_pages`` the pages parsed;
- ``timing/parquet_write_s`` and ``timing/parquet_write_cpu_s``: wall and CPU time of
  the Parquet writer's storage work (rows built and staged, recovery, merge, commit).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from scrapy.statscollectors import StatsCollector

PARSE_CPU = "timing/parse_cpu_s"
PARSED_PAGES = "timing/parsed_pages"
WRITE_WALL = "timing/parquet_write_s"
WRITE_CPU = "timing/parquet_write_cpu_s"


@contextmanager
def charged(stats: StatsCollector, cpu_key: str, wall_key: str | None = None) -> Iterator[None]:
    """Add the CPU seconds (``time.process_time``) of the block to stat ``cpu_key``
    and, given ``wall_key``, its wall seconds (``time.perf_counter``) to that stat."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        stats.inc_value(cpu_key, time.process_time() - cpu, start=0.0)
        if wall_key is not None:
            stats.inc_value(wall_key, time.perf_counter() - wall, start=0.0)


def parsing(stats: StatsCollector, page: bool = False) -> AbstractContextManager[None]:
    """Counts the block's CPU time as parsing (stat ``timing/parse_cpu_s``) and, with
    ``page``, one more page parsed (``timing/parsed_pages``)."""
    if page:
        stats.inc_value(PARSED_PAGES)
    return charged(stats, PARSE_CPU)


def vm_hwm_mb(pid: int | str = "self") -> float | None:
    """Peak resident set size of a process's current program, from ``/proc/PID/status``.

    Unlike ``ru_maxrss``, this high-water mark starts afresh at ``exec``: a child forked
    from a large parent does not inherit the parent's size.
    """
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None
