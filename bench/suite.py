"""One benchmark run: every contender at every size, repeated, summarised as medians."""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import parse_only
from .ceiling import run_ceiling
from .measure import run_measured, throughput
from .project import run_project, run_project_api
from .server import Replica, replica


def run_peer(site: Replica, workdir: Path, discovery: str = "explore") -> dict[str, Any]:
    """trafilatura collecting the articles (:mod:`bench.peer`), measured like the others:
    ``explore`` finds them in the sitemaps (its CLI's --explore), ``crawl`` with its
    focused crawler."""
    out = workdir / "peer.json"
    site.mark()
    run = run_measured([sys.executable, "-m", "bench.peer", site.base_url, "--ground-truth",
                        str(site.ground_truth_path), "--json", str(out),
                        "--discovery", discovery],
                       log_path=workdir / "peer.log")
    if run.returncode != 0:
        raise RuntimeError(f"trafilatura peer exited {run.returncode}; see {run.log}")
    requests, _ = site.requests_since_mark()
    data = json.loads(out.read_text(encoding="utf-8"))
    found = data["articles_found"]
    return {
        **throughput(run, requests, found),
        "body_f1": data["body_f1"],
        "discovery": data.get("discovery"),
    }

Runner = Callable[[Replica, Path], dict[str, Any]]
CONTENDERS: dict[str, Runner] = {}  # filled below


def run_peer_crawler(site: Replica, workdir: Path) -> dict[str, Any]:
    """trafilatura's focused crawler (page by page through the archives), then extraction."""
    return run_peer(site, workdir, "crawl")


CONTENDERS.update({"project": run_project, "project-api": run_project_api,
                   "bare-scrapy": run_ceiling,
                   "trafilatura": run_peer, "trafilatura-crawler": run_peer_crawler})
#: contenders that run once per size whatever --runs says (one run takes minutes)
SINGLE_RUN = frozenset({"trafilatura-crawler"})
PEERS = frozenset({"trafilatura", "trafilatura-crawler"})


@dataclass
class Plan:
    """What to run (the command line, validated)."""

    sizes: list[int]
    runs: int
    large_runs: int
    large_from: int
    peer_sizes: list[int]
    contenders: list[str]
    parse_variants: list[tuple[str, str]]
    workdir: Path
    log: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr))

    def repeats(self, size: int) -> int:
        """Runs at ``size``: fewer at large sizes, where one run takes minutes."""
        return self.large_runs if size >= self.large_from else self.runs


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per key, the median of the runs' numbers (nested dicts too); other values from run 1."""
    out: dict[str, Any] = {}
    for key, first in runs[0].items():
        values = [r.get(key) for r in runs]
        if isinstance(first, dict) and all(isinstance(v, dict) for v in values):
            out[key] = median_of(values)
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            out[key] = statistics.median(values)
        else:
            out[key] = first
    return out


def run_plan(plan: Plan) -> dict[str, Any]:
    """Run the plan; results keyed by size then contender, each the median of its runs,
    with every run's figures kept under ``runs``."""
    results: dict[str, dict[str, Any]] = {}
    for size in plan.sizes:
        plan.log(f"replica: {size} posts")
        with replica(size, plan.workdir / f"site-{size}") as site:
            per: dict[str, list[dict[str, Any]]] = {}
            for number in range(1, plan.repeats(size) + 1):
                for name in plan.contenders:
                    if name in PEERS and size not in plan.peer_sizes:
                        continue
                    if name in SINGLE_RUN and number > 1:
                        continue
                    plan.log(f"  {size} posts, run {number}: {name}")
                    work = plan.workdir / f"{name}-{size}-{number}"
                    figures = CONTENDERS[name](site, work)
                    plan.log(f"    {figures['wall_s']:.1f} s, "
                             f"{figures['pages_per_s']:.0f} pages/s")
                    per.setdefault(name, []).append(figures)
            results[str(size)] = {name: {**median_of(runs), "runs": runs}
                                  for name, runs in per.items()}
    parse = None
    if plan.parse_variants:
        plan.log("parse-only")
        parse = parse_only.run(plan.parse_variants, articles=200, listings=30, repeat=5)
    return {"sizes": results, "parse_only": parse}
