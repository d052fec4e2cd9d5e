"""Figures of incremental reruns against the replica (politeness off).

    .venv/bin/python -m tests.incremental_figures [--posts 2000] [--seed 1]

Three crawls into one fresh output directory, the replica served on one port: a first
full crawl (initial state), a rerun with nothing changed, and a rerun after the later
state (3 new posts, 3 edited, 1 removed, a sticky post, every fault on). Prints requests
and wall time of each, then compares the dataset with the later ground truth.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow.dataset as ds

from tests.crawlrun import run_crawl
from tests.replica import ReplicaConfig, ReplicaSite, serve

FAULTS = frozenset({"503", "slow", "truncated", "500", "removed"})


def _crawl(out: Path, port: int, cfg: ReplicaConfig) -> dict[str, Any]:
    site = ReplicaSite(cfg)
    with serve(site, port=port) as server:
        started = time.monotonic()
        result = run_crawl(server.base_url, out)
        wall = time.monotonic() - started
        requests = list(server.requests)
        truth = site.ground_truth(server.base_url)
    if result.returncode != 0:
        sys.exit(f"crawl failed:\n{result.stderr[-3000:]}")
    summary = json.loads((out / "last_run.json").read_text(encoding="utf-8"))
    return {"requests": requests, "wall": wall, "truth": truth, "summary": summary,
            "port": urlsplit(server.base_url).port}


def _rows(out: Path) -> list[dict[str, Any]]:
    return ds.dataset(out / "articles", format="parquet",
                      partitioning="hive").to_table().to_pylist()


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def compare(before: list[dict], after: list[dict], truth: dict) -> dict[str, Any]:
    """The later-state rerun against the ground truth: counts of what is right."""
    ids = [r["post_id"] for r in after]
    rows = {r["post_id"]: r for r in after}
    old = {r["post_id"]: r for r in before}
    posts = {p["post_id"]: p for p in truth["posts"]}
    fault_removed = {urlsplit(u).path for u in truth["faults"]["removed"]}
    new = [i for i in posts if i not in old]
    edited = [i for i, p in posts.items() if p["edited"]]
    removed = [i for i, p in posts.items()
               if p["removed"] and urlsplit(p["url"]).path not in fault_removed]
    fields = ("url", "title", "authors", "body_text")

    def exact(i: int) -> bool:
        row, post = rows.get(i), posts[i]
        return (row is not None and row["removed_at"] is None
                and all(row[f] == post[f] for f in fields)
                and row["published_at"] == _utc(post["published_at"])
                and row["modified_at"] == _utc(post["modified_at"]))

    reachable = [i for i, p in posts.items() if p["reachable"]]
    return {
        "rows": len(after),
        "duplicates": len(ids) - len(set(ids)) + len(after) - len({r["url"] for r in after}),
        "reachable_exact": f"{sum(exact(i) for i in reachable)}/{len(reachable)}",
        "new_exact": f"{sum(exact(i) for i in new if posts[i]['reachable'])}/{len(new)}",
        "edited_exact_in_place": "{}/{}".format(
            sum(exact(i) and rows[i]["first_seen_at"] == old[i]["first_seen_at"]
                for i in edited), len(edited)),
        "removed_flagged": "{}/{}".format(
            sum(rows.get(i, {}).get("removed_at") is not None
                and rows[i]["last_seen_at"] == old[i]["last_seen_at"] for i in removed),
            len(removed)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.incremental_figures")
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        base = dict(seed=args.seed, posts=args.posts)
        first = _crawl(out, 0, ReplicaConfig(**base))
        port = first["port"]
        before = _rows(out)
        same = _crawl(out, port, ReplicaConfig(**base))
        later = _crawl(out, port, ReplicaConfig(**base, state="later", faults=FAULTS))
        result = compare(before, _rows(out), later["truth"])
    print(f"replica: {args.posts} posts, seed {args.seed}, POLITE=0")
    print(f"{'run':<34}{'requests':>9}{'wall s':>8}  statuses")
    for name, run in (("first full crawl", first), ("rerun, nothing changed", same),
                      ("rerun, later state + faults", later)):
        statuses = dict(sorted(Counter(r["status"] for r in run["requests"]).items()))
        print(f"{name:<34}{len(run['requests']):>9}{run['wall']:>8.1f}  {statuses}")
    print("no-change rerun requested:", [r["path"] for r in same["requests"]])
    print("later-state incremental decisions:", later["summary"].get("incremental"))
    print("later state vs ground truth:", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
