"""Run the real ``scrapy crawl timesca`` command in a subprocess (tests, demo, bench)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def crawl_command(base_url: str, output_dir: Path | str, *extra: str,
                  source: str | None = "html") -> list[str]:
    """The crawl command line for a site on loopback, politeness off. Tests of the HTML
    path say ``source=html`` (the replica announces its REST API); None: the default
    (``auto``), as a user runs it."""
    return [
        sys.executable, "-m", "scrapy", "crawl", "timesca",
        "-a", f"base_url={base_url}",
        *(("-a", f"source={source}") if source else ()),
        "-s", f"OUTPUT_DIR={output_dir}",
        "-s", "POLITE=0",
        *extra,
    ]


def run_crawl(
    base_url: str, output_dir: Path | str, *extra: str, timeout: float = 600,
    source: str | None = "html",
) -> subprocess.CompletedProcess[str]:
    """Run a crawl to completion from the project root and capture its log."""
    return subprocess.run(
        crawl_command(base_url, output_dir, *extra, source=source),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class CrawlOutput:
    """What a finished crawl left in its output directory."""

    output: Path

    def table(self, name: str) -> list[dict[str, Any]]:
        """One dataset's rows (none when the run published none)."""
        path = self.output / name
        if not path.exists():
            return []
        return ds.dataset(path, format="parquet", partitioning="hive").to_table().to_pylist()

    @property
    def summary(self) -> dict[str, Any]:
        """The run's ``last_run.json``."""
        return json.loads((self.output / "last_run.json").read_text(encoding="utf-8"))
