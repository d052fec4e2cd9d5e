"""A real crawl killed (SIGKILL) at several points of the commit protocol, and at a
random moment while staging: the dataset stays consistent, and a rerun completes it."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from pipelines.store.crashpoints import ENV
from tests.crawlrun import PROJECT_ROOT, crawl_command, run_crawl
from tests.replica import ReplicaConfig, ReplicaSite, serve

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

#: staging, mid-prepare, after the commit point, mid-publish, before cleanup
POINTS = ("staged-part-3", "prepared-articles-2024", "prepared", "published-2", "published")


def articles(out: Path) -> dict[int, dict]:
    """post_id -> row, asserting the dataset is readable and has no duplicate key."""
    table = ds.dataset(out / "articles", partitioning="hive").to_table()
    rows = table.to_pylist()
    ids = [r["post_id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate post_id"
    for row in rows:
        assert row["year"] == row["published_at"].year
    sql = (f"SELECT count(*), count(DISTINCT url) FROM read_parquet("
           f"'{out}/articles/**/*.parquet', hive_partitioning=true)")
    assert duckdb.sql(sql).fetchall() == [(len(rows), len(rows))]
    for path in (out / "articles").rglob("*"):
        assert path.is_dir() or path.name == "part-0.parquet", path
    return {r["post_id"]: r for r in rows}


def assert_kept(before: dict[int, dict], after: dict[int, dict]) -> None:
    assert set(before) <= set(after)
    for post_id, row in before.items():
        assert after[post_id]["first_seen_at"] == row["first_seen_at"]


def test_killed_crawls_leave_a_consistent_dataset_and_a_rerun_completes_it(tmp_path: Path):
    site = ReplicaSite(ReplicaConfig(seed=1, posts=120))
    out = tmp_path / "out"
    batches = ("-s", "PARQUET_BATCH_ROWS=20")
    with serve(site) as server:
        expected = {p["post_id"] for p in site.ground_truth(server.base_url)["posts"]
                    if p["reachable"]}
        first = run_crawl(server.base_url, out, "-a", "max_pages=2", *batches)
        assert first.returncode == 0, first.stderr[-2000:]
        before = articles(out)
        assert 0 < len(before) < len(expected)

        for point in POINTS:
            killed = subprocess.run(crawl_command(server.base_url, out, *batches),
                                    cwd=PROJECT_ROOT, env={**os.environ, ENV: point},
                                    capture_output=True, text=True, timeout=120)
            assert killed.returncode == -9, (point, killed.stderr[-2000:])
            now = articles(out)
            assert_kept(before, now)
            before = now

        # and once at a moment nobody chose: as soon as batches are being staged
        proc = subprocess.Popen(crawl_command(server.base_url, out, "-s",
                                              "PARQUET_BATCH_ROWS=5"),
                                cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not list((out / ".staging").glob("*/articles/year=*/part-*.parquet")):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        proc.kill()
        proc.wait(timeout=30)
        assert_kept(before, articles(out))

        rerun = run_crawl(server.base_url, out, *batches)
        assert rerun.returncode == 0, rerun.stderr[-2000:]

    final = articles(out)
    assert set(final) == expected
    assert_kept(before, final)
    assert not (out / ".staging").exists()
    for name in ("articles", "rates"):
        for part in (out / name).iterdir():
            assert [p.name for p in part.iterdir()] == ["part-0.parquet"]
    runs = ds.dataset(out / "runs").to_table().to_pylist()
    assert [r["finish_reason"] for r in runs] == ["finished", "finished"]  # killed: no row
    assert runs[-1]["recovered_runs"] == 1
    assert runs[-1]["articles_total"] == len(expected)
