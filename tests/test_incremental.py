"""Incremental reruns, end to end: real crawls of the replica over loopback, one output
directory reused across runs, successive replica states served on the same port (so the
URLs stay the same), compared with the replica's ground truth."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow.parquet as pq
import pytest

from crawler.archives import ArchiveReport
from crawler.incremental.sitemaps import SitemapCheck
from pipelines.records import article_keys
from pipelines.store.seen import retry_urls
from tests.conftest import CrawlRun
from tests.crawlrun import PROJECT_ROOT, crawl_command, run_crawl
from tests.merge_oracle import apply_marks
from tests.replica import ReplicaConfig, ReplicaSite, serve

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

FAULTS = frozenset({"503", "slow", "truncated", "500", "removed"})


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


class Replica:
    """Replica states served one after another on one port, crawled into one output."""

    def __init__(self, output: Path, port: int | None = None) -> None:
        self.output = output
        self.port = port

    def crawl(self, *extra: str, **config: Any) -> CrawlRun:
        site = ReplicaSite(ReplicaConfig(**config))
        with serve(site, port=self.port or 0) as server:
            self.port = server.httpd.server_address[1]
            result = run_crawl(server.base_url, self.output, *extra)
            requests = list(server.requests)
            truth = site.ground_truth(server.base_url)
        run = CrawlRun(self.output, result.returncode, result.stderr, truth, requests,
                       server.base_url)
        assert run.returncode == 0, run.log[-3000:]
        assert "Traceback" not in run.log, run.log[-3000:]
        return run

    def copy(self, output: Path) -> Replica:
        shutil.copytree(self.output, output)
        return Replica(output, self.port)


def paths(run: CrawlRun, status: int | None = None) -> Counter:
    return Counter(urlsplit(r["path"]).path for r in run.requests
                   if status is None or r["status"] == status)


def by_id(run: CrawlRun) -> dict[int, dict]:
    rows = run.table("articles")
    ids = [r["post_id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate post_id"
    assert len({r["url"] for r in rows}) == len(rows), "duplicate url"
    return {r["post_id"]: r for r in rows}


def path_of(url: str) -> str:
    return urlsplit(url).path


SITE = dict(seed=1, posts=120)
LISTINGS = ("-a", "listings=latest,category/kazakhstan")


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> tuple[Replica, CrawlRun]:
    """A complete first crawl of two archives (initial state), to be copied by tests."""
    replica = Replica(tmp_path_factory.mktemp("incremental") / "first")
    run = replica.crawl(*LISTINGS, **SITE)
    return replica, run


def test_first_crawl_is_complete_and_records_the_sitemaps(first):
    replica, run = first
    reachable = {p["post_id"] for p in run.truth["posts"] if p["reachable"]}
    assert set(by_id(run)) == reachable
    assert (replica.output / "state" / "sitemaps.json").is_file()
    assert {a["end"] for a in run.summary["archives"]} <= {"no-next-link",
                                                            "404-past-last-page"}


def test_no_change_rerun_costs_robots_one_page_per_archive_and_the_sitemap_index(
        first, tmp_path):
    replica = first[0].copy(tmp_path / "out")
    tables = {p: pq.read_table(p) for p in (replica.output / "articles").rglob("*.parquet")}
    run = replica.crawl(*LISTINGS, **SITE)
    assert sorted(r["path"] for r in run.requests) == sorted(
        ["/robots.txt", "/latest/", "/category/kazakhstan/", "/sitemap_index.xml"])
    for path, table in tables.items():  # the articles are not even rewritten
        assert pq.read_table(path).equals(table)
    summary = run.summary
    assert summary["articles_written"] == 0 and summary["rejects"] == 0
    assert summary["incremental"]["caught_up_archives"] == 2
    for archive in summary["archives"]:
        assert (archive["end"], archive["complete"], archive["flags"]) == (
            "caught-up", None, []), archive


def test_later_state_with_faults_updates_in_place_flags_the_removed_and_duplicates_nothing(
        first, tmp_path):
    replica = first[0].copy(tmp_path / "out")
    old = by_id(first[1])
    run = replica.crawl(*LISTINGS, faults=FAULTS, state="later", **SITE)
    truth = {p["post_id"]: p for p in run.truth["posts"]}
    rows = by_id(run)
    new = {i for i in truth if i not in old}
    edited = {i for i, p in truth.items() if p["edited"]}
    removed = {i for i, p in truth.items() if p["removed"] and i in old
               and path_of(p["url"]) not in run.truth["faults"]["removed"]}
    assert len(new) == 3 and len(edited) == 3 and len(removed) == 1

    # only what changed was fetched: the new posts, the edited ones, the removed one
    articles = {path_of(p["url"]) for p in truth.values()}
    fetched = {p for p in paths(run) if p in articles}
    assert fetched == {path_of(truth[i]["url"]) for i in new | edited | removed}
    listing = {p for p in paths(run) if p.startswith(("/latest/", "/category/"))}
    assert listing == {"/latest/", "/latest/page/2/", "/category/kazakhstan/"}

    # every live reachable post is exactly the later ground truth
    for post_id, post in truth.items():
        if not post["reachable"]:
            continue
        row = rows[post_id]
        assert row["removed_at"] is None
        for name in ("url", "title", "authors", "body_text"):
            assert row[name] == post[name], (name, post_id)
        assert row["published_at"] == utc(post["published_at"])
        assert row["modified_at"] == utc(post["modified_at"])
    for post_id in edited:  # updated in place
        assert rows[post_id]["title"].endswith(": Update")
        assert rows[post_id]["content_hash"] != old[post_id]["content_hash"]
        assert rows[post_id]["first_seen_at"] == old[post_id]["first_seen_at"]
        assert rows[post_id]["last_seen_at"] > old[post_id]["last_seen_at"]
    for post_id in new:
        assert rows[post_id]["first_seen_at"] > max(r["last_seen_at"] for r in old.values())
    (gone,) = removed  # kept, flagged, last seen alive by the first run
    assert rows[gone]["removed_at"] is not None
    assert rows[gone]["last_seen_at"] == old[gone]["last_seen_at"]
    assert rows[gone]["title"] == old[gone]["title"]
    assert set(rows) == set(old) | new

    summary = run.summary
    assert (summary["articles_new"], summary["articles_updated"]) == (3, 3)
    incremental = summary["incremental"]
    assert incremental["sitemap_refetch"] == 3
    assert incremental["removal_check"] == 1 and incremental["removed"] == 1

    # and once more, nothing changed since: back to the constant cost, flag kept
    again = replica.crawl(*LISTINGS, state="later", **SITE)
    assert len(again.requests) == 4, [r["path"] for r in again.requests]
    assert by_id(again)[gone]["removed_at"] == rows[gone]["removed_at"]


def test_full_rerun_fetches_everything_and_changes_nothing(first, tmp_path):
    replica = first[0].copy(tmp_path / "out")
    run = replica.crawl("-a", "listings=latest", "-a", "full=1", **SITE)
    reachable = {path_of(p["url"]) for p in run.truth["posts"] if p["reachable"]}
    assert reachable <= set(paths(run, status=200))
    summary = run.summary
    assert summary["incremental"]["mode"] == "full"
    assert (summary["articles_new"], summary["articles_updated"]) == (0, 0)
    assert summary["articles_unchanged"] == len(reachable)
    assert summary["archives"][0]["end"] == "no-next-link"


def test_a_failed_fetch_is_retried_by_the_next_run_without_rereading_its_listing(tmp_path):
    replica = Replica(tmp_path / "out")
    site = dict(seed=1, posts=60)
    first = replica.crawl("-s", "RETRY_TIMES=1", faults=frozenset({"500"}), **site)
    (failed,) = [path_of(u) for u in first.truth["faults"]["500"]]
    assert failed in {path_of(r["url"]) for r in first.table("rejects")}
    assert failed not in {path_of(r["url"]) for r in first.table("articles")}

    second = replica.crawl(**site)
    assert paths(second, status=200)[failed] == 1
    assert set(paths(second)) == {"/robots.txt", "/latest/", "/sitemap_index.xml", failed}
    assert second.summary["incremental"]["retry_failed"] == 1
    reachable = {p["post_id"] for p in second.truth["posts"] if p["reachable"]}
    assert set(by_id(second)) == reachable

    third = replica.crawl(**site)  # stored now: no longer retried
    assert len(third.requests) == 3


def staged_paths(out: Path) -> set[str]:
    found = set()
    for part in (out / ".staging").glob("*/articles/year=*/part-*.parquet"):
        found.update(path_of(u) for u in pq.read_table(part, columns=["url"])["url"].to_pylist())
    return found


def test_first_crawl_killed_halfway_resumes_without_refetching_what_is_stored(tmp_path):
    out = tmp_path / "out"
    site = ReplicaSite(ReplicaConfig(seed=1, posts=120))
    with serve(site) as server:
        proc = subprocess.Popen(crawl_command(server.base_url, out, "-s",
                                              "PARQUET_BATCH_ROWS=5"),
                                cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(list((out / ".staging").glob("*/articles/year=*/part-*.parquet"))) < 6:
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        proc.kill()
        proc.wait(timeout=30)
        staged = staged_paths(out)
        truth = site.ground_truth(server.base_url)
        assert 0 < len(staged) < len(truth["posts"])
        site.requests.clear()

        rerun = run_crawl(server.base_url, out, "-s", "PARQUET_BATCH_ROWS=5")
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        requested = Counter(path_of(r["path"]) for r in site.requests)
    run = CrawlRun(out, 0, rerun.stderr, truth, [], server.base_url)
    assert not staged & set(requested), "stored articles fetched again"
    assert max(requested.values()) == 1
    reachable = {p["post_id"] for p in truth["posts"] if p["reachable"]}
    assert set(by_id(run)) == reachable
    latest = run.summary["archives"][0]  # never completed before: read to its end
    assert latest["end"] == "no-next-link" and latest["pages"] == truth["archives"][
        "latest"]["pages"]
    assert run.summary["incremental"]["known_skipped"] == len(staged)
    assert pq.read_table(out / "runs").column("recovered_runs").to_pylist() == [1]


REFRESH_SITE = dict(seed=3, posts=60, sitemaps=False)


@pytest.mark.parametrize("days", [28, 0])
def test_refresh_window_without_sitemaps(tmp_path, days):
    replica = Replica(tmp_path / "out")
    first = replica.crawl(**REFRESH_SITE)
    assert "/sitemap_index.xml" in paths(first, status=404)
    old = by_id(first)
    run = replica.crawl("-s", f"REFRESH_DAYS={days}", state="later", **REFRESH_SITE)
    truth = {p["post_id"]: p for p in run.truth["posts"]}
    now = utc(run.truth["now"])
    window = {i for i in old if utc(truth[i]["published_at"]) >= now - timedelta(days=28)}
    edited = sorted((i for i in truth if truth[i]["edited"]),
                    key=lambda i: truth[i]["published_at"], reverse=True)
    assert edited[0] in window and not window & set(edited[1:])  # one edit within 28 days
    recent = window if days else set()
    rows = by_id(run)
    fetched = {p for p in paths(run) if p in {path_of(t["url"]) for t in truth.values()}}
    new = {i for i in truth if i not in old}
    assert fetched == {path_of(truth[i]["url"]) for i in new | recent}
    assert run.summary["incremental"].get("refresh_window", 0) == len(recent)
    if days:
        assert rows[edited[0]]["title"] == truth[edited[0]]["title"]
        assert rows[edited[0]]["body_text"] == truth[edited[0]]["body_text"]
        assert rows[edited[0]]["first_seen_at"] == old[edited[0]]["first_seen_at"]
    else:
        assert rows[edited[0]]["title"] == old[edited[0]]["title"]
    # documented: without sitemaps or validators, an old post's edit waits for a full crawl
    for post_id in edited[1:]:
        assert rows[post_id]["title"] == old[post_id]["title"]


def test_validators_turn_refetches_into_304s(tmp_path):
    replica = Replica(tmp_path / "out")
    site = dict(seed=3, posts=60, sitemaps=False, validators=True)
    first = replica.crawl(**site)
    old = by_id(first)
    assert all(r["http_etag"] and r["http_last_modified"] for r in old.values())
    run = replica.crawl("-s", "REFRESH_DAYS=28", **site)
    truth = {p["post_id"]: p for p in run.truth["posts"]}
    now = utc(run.truth["now"])
    recent = {path_of(truth[i]["url"]) for i in old
              if utc(truth[i]["published_at"]) >= now - timedelta(days=28)}
    assert recent and set(paths(run, status=304)) == recent
    assert not paths(run, status=200).keys() & recent
    assert run.summary["incremental"]["not_modified"] == len(recent)
    rows = by_id(run)
    for post_id, row in rows.items():
        for name in ("content_hash", "title", "body_text", "first_seen_at", "http_etag"):
            assert row[name] == old[post_id][name]
        moved = path_of(row["url"]) in recent
        assert (row["last_seen_at"] > old[post_id]["last_seen_at"]) == moved


# -- units -----------------------------------------------------------------------------


def test_caught_up_archive_is_not_reported_incomplete():
    report = ArchiveReport("latest")
    report.add_page(1, [f"u{i}" for i in range(6)], None)
    report.reported_total = 120
    report.finish("caught-up")
    assert (report.as_dict()["complete"], report.as_dict()["flags"]) == (None,
                                                                         ["no-results-line"])


def test_retry_urls_until_stored_and_within_the_window():
    now = datetime(2025, 1, 10, tzinfo=UTC)
    rejects = [
        {"url": "a", "kind": "http", "reason": "HTTP 500", "recorded_at": now},
        {"url": "b", "kind": "http", "reason": "HTTP 500", "recorded_at": now},
        {"url": "c", "kind": "http", "reason": "HTTP 500",
         "recorded_at": now - timedelta(days=31)},
        {"url": "d", "kind": "http", "reason": "listing page failed, archive incomplete",
         "recorded_at": now},
        {"url": "e", "kind": "http", "reason": "HTTP 503", "recorded_at": now},
    ]
    stored = {"b": now + timedelta(hours=1), "e": now - timedelta(hours=1)}
    assert retry_urls(rejects, stored, now, 30) == ["a", "e"]


def test_sitemap_check_keeps_unchanged_sitemaps_and_finds_unlisted_urls():
    base = "https://x.org"
    old = {"version": 1, "base_url": base, "sitemaps": {
        f"{base}/post-sitemap.xml": {"lastmod": "1", "urls": {f"{base}/a/": "1",
                                                              f"{base}/b/": "1"}},
        f"{base}/post-sitemap2.xml": {"lastmod": "2", "urls": {f"{base}/c/": "2"}},
    }}
    check = SitemapCheck(base, old)
    fetch = check.plan([(f"{base}/post-sitemap.xml", "1"), (f"{base}/post-sitemap2.xml", "3"),
                        (f"{base}/page-sitemap.xml", "3")])
    assert fetch == [f"{base}/post-sitemap2.xml"]
    check.add(fetch[0], "3", [(f"{base}/d", "3"), (f"{base}/a/", "1")])
    assert check.done and check.unlisted() == {f"{base}/c/"}
    state = check.state()["sitemaps"]
    assert state[f"{base}/post-sitemap2.xml"]["urls"] == {f"{base}/d/": "3", f"{base}/a/": "1"}
    failed = SitemapCheck(base, old)  # a failed sitemap keeps its old entry
    failed.fail(failed.plan([(f"{base}/post-sitemap.xml", "9"),
                             (f"{base}/post-sitemap2.xml", "2")])[0])
    assert failed.unlisted() == set() and failed.state() == old


def test_marks_flag_removed_and_304_moves_last_seen():
    t0, t1 = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 1, 2, tzinfo=UTC)
    rows = [{"post_id": 1, "url": "https://x.org/a/", "last_seen_at": t0, "removed_at": None},
            {"post_id": 2, "url": "https://x.org/b/", "last_seen_at": t0, "removed_at": t0}]
    marks = [{"post_id": 1, "url": "https://x.org/a/", "event": "removed", "at": t1},
             {"post_id": 2, "url": "https://x.org/b/", "event": "not-modified", "at": t1}]
    keys = lambda r: article_keys(r["post_id"], r["url"])  # noqa: E731
    assert apply_marks(rows, marks, keys) == 2
    assert (rows[0]["removed_at"], rows[0]["last_seen_at"]) == (t1, t0)
    assert (rows[1]["removed_at"], rows[1]["last_seen_at"]) == (None, t1)
