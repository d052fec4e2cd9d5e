"""Unattended runs against a hostile or broken site (tests/hostile): every crawl is bounded,
nothing is lost without a reject row, and failure is said out loud with an exit code.

Each test crawls one scenario over real HTTP on loopback with the real ``scrapy crawl``
command and checks the exit code, the rows kept, the rejects written and the crawl's peak
memory (its own ``VmHWM``, in ``last_run.json``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from tests.crawlrun import PROJECT_ROOT, CrawlOutput, crawl_command, run_crawl
from tests.hostile import serve_hostile

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

#: what a crawl of a small site may cost at most (MB): the size cases stay near it
PEAK_RSS_MB = 600


@dataclass
class HostileRun(CrawlOutput):
    """One crawl of a hostile scenario."""

    returncode: int
    log: str
    requests: list[dict[str, Any]]
    truth: dict[str, Any]

    def rejects(self) -> Counter[str]:
        """Rejects by kind."""
        return Counter(r["kind"] for r in self.table("rejects"))

    def reasons(self) -> list[str]:
        return [r["reason"] for r in self.table("rejects")]

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]

    def stderr_line(self) -> str:
        """The one line that says why the run failed (the outcome, or the command's)."""
        return next((line for line in reversed(self.log.splitlines())
                     if "Run outcome:" in line or "exiting with code" in line), "")


def crawl(tmp: Path, scenario: str, *extra: str, output: Path | None = None,
          port: int = 0, timeout: float = 300, **options: Any) -> HostileRun:
    output = output or tmp / "out"
    with serve_hostile(scenario, port=port, **options) as server:
        result = run_crawl(server.base_url, output, *extra, timeout=timeout)
        requests = list(server.requests)
        truth = server.scenario.ground_truth(server.base_url)
    run = HostileRun(output, result.returncode, result.stderr, requests, truth)
    peak = None
    if (output / "last_run.json").exists():
        peak = run.summary["timings"]["peak_rss_mb"]
        # every case, not only the huge ones, stays near a normal crawl's memory
        assert peak < PEAK_RSS_MB
    if os.environ.get("HOSTILE_REPORT"):
        _report(Path(os.environ["HOSTILE_REPORT"]), scenario, extra, options, run, peak)
    return run


def _report(path: Path, scenario: str, extra: tuple[str, ...], options: dict[str, Any],
            run: HostileRun, peak: float | None) -> None:
    """One JSON line per crawl (``HOSTILE_REPORT=FILE pytest tests/test_hostile.py``): the
    outcome of every hostile case, measured."""
    line: dict[str, Any] = {"scenario": scenario, "args": list(extra), "options": options,
                            "exit": run.returncode, "requests": len(run.requests),
                            "peak_rss_mb": peak, "outcome": run.stderr_line()[-160:]}
    try:
        line.update(articles=len(run.table("articles")), rejects=dict(run.rejects()))
    except pa.ArrowInvalid as exc:  # the damaged-file case: the dataset itself is unreadable
        line.update(articles=None, rejects=None, unreadable=str(exc)[:120])
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


def articles(run: HostileRun) -> dict[int, dict[str, Any]]:
    return {r["post_id"]: r for r in run.table("articles")}


def reachable(run: HostileRun) -> list[dict[str, Any]]:
    return [p for p in run.truth["posts"] if p["reachable"]]


# -- every crawl is bounded ---------------------------------------------------------------


def test_an_archive_repeating_itself_ends(tmp_path: Path) -> None:
    run = crawl(tmp_path, "endless-same")
    assert run.returncode == 0, run.log[-3000:]
    latest = run.summary["archives"][0]
    assert (latest["end"], latest["pages"]) == ("no-new-posts", 2)
    listing = [p for p in run.paths() if p.startswith("/latest/")]
    assert len(listing) == 2
    assert len(run.table("articles")) == 6
    assert "ended at" in run.log and "no-new-posts" in run.log


def test_an_endless_archive_of_new_posts_ends_past_its_reported_end(tmp_path: Path) -> None:
    run = crawl(tmp_path, "endless-new", "-s", "ARCHIVE_OVERRUN=2")
    assert run.returncode == 0, run.log[-3000:]
    latest = run.summary["archives"][0]
    # the archive reports 60 posts: it ends once it gave 2 x 60 + 60
    assert latest["end"] == "past-reported-end"
    assert latest["found"] == 2 * 60 + 60 + 6
    assert len(run.table("articles")) == latest["found"]
    limited = crawl(tmp_path, "endless-new", "-s", "ARCHIVE_MAX_PAGES=5",
                    output=tmp_path / "limited")
    assert limited.summary["archives"][0]["end"] == "page-limit"
    assert limited.summary["archives"][0]["pages"] == 5


def test_an_ended_archive_is_read_to_its_end_for_the_next_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = crawl(tmp_path, "endless-same", output=out)
    assert first.returncode == 0
    port = int(first.truth["posts"][0]["url"].split(":")[2].split("/")[0])
    again = crawl(tmp_path, "endless-same", "-s", "SITEMAPS=0", output=out, port=port)
    assert again.returncode == 0, again.log[-3000:]
    assert again.summary["archives"][0]["end"] == "caught-up"
    assert [p for p in again.paths() if p.startswith("/latest/")] == ["/latest/"]


def test_a_flood_of_sitemaps_is_capped_and_never_holds_up_the_archives(tmp_path: Path) -> None:
    run = crawl(tmp_path, "sitemap-flood", "-s", "SITEMAP_MAX_FILES=200", count=100_000)
    assert run.returncode == 0, run.log[-3000:]
    assert len(run.table("articles")) == len(reachable(run))
    sitemaps = [p for p in run.paths() if p.startswith("/post-sitemap")]
    assert len(sitemaps) == 200
    assert run.summary["incremental"]["sitemaps_capped"] == 100_000 - 200
    # the archive's pages went before the sitemaps queued behind them
    paths = run.paths()
    last_listing = max(i for i, p in enumerate(paths) if p.startswith("/latest/"))
    assert last_listing < paths.index(sitemaps[len(sitemaps) // 2])


# -- sizes are capped --------------------------------------------------------------------


@pytest.mark.parametrize("options", [{}, {"chunked": True}], ids=["length", "chunked"])
def test_a_200_mb_article_is_a_reject(tmp_path: Path, options: dict[str, Any]) -> None:
    run = crawl(tmp_path, "big-article", **options)
    assert run.returncode == 0, run.log[-3000:]
    assert len(run.table("articles")) == len(reachable(run)) - 1
    too_large = [r for r in run.table("rejects") if "DOWNLOAD_MAXSIZE" in r["reason"]]
    assert len(too_large) == 1
    assert run.summary["timings"]["peak_rss_mb"] < PEAK_RSS_MB


def test_a_gzip_bomb_is_a_reject(tmp_path: Path) -> None:
    run = crawl(tmp_path, "gzip-bomb")
    assert run.returncode == 0, run.log[-3000:]
    assert len(run.table("articles")) == len(reachable(run)) - 1
    assert sum("DOWNLOAD_MAXSIZE" in reason for reason in run.reasons()) == 1
    assert run.summary["timings"]["peak_rss_mb"] < PEAK_RSS_MB


def test_an_endless_response_is_cut_at_the_size_limit(tmp_path: Path) -> None:
    run = crawl(tmp_path, "endless-response", "-s", "DOWNLOAD_MAXSIZE=4000000")
    assert run.returncode == 0, run.log[-3000:]
    assert sum("DOWNLOAD_MAXSIZE" in reason for reason in run.reasons()) == 1
    assert len(run.table("articles")) == len(reachable(run)) - 1


def test_a_body_over_the_ceiling_is_a_reject(tmp_path: Path) -> None:
    run = crawl(tmp_path, "big-article", "-s", "BODY_MAX_CHARS=200000", size_mb=3)
    assert run.returncode == 0, run.log[-3000:]
    rejected = [r for r in run.table("rejects") if r["field"] == "body_text"]
    assert len(rejected) == 1 and "over 200,000 characters" in rejected[0]["reason"]


def test_a_page_that_never_finishes_times_out(tmp_path: Path) -> None:
    run = crawl(tmp_path, "slow-drip", "-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=0")
    assert run.returncode == 0, run.log[-3000:]
    assert run.rejects() == {"http": 1}
    assert "TimeoutError" in run.reasons()[0] or "timed out" in run.reasons()[0].lower()


# -- one bad page never sinks a run ------------------------------------------------------


def test_a_post_id_beyond_int64_is_one_reject(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = crawl(tmp_path, "huge-id", output=out)
    assert run.returncode == 0, run.log[-3000:]
    assert len(run.table("articles")) == len(reachable(run)) - 1
    rejects = run.table("rejects")
    assert [r["field"] for r in rejects] == ["post_id"]
    assert rejects[0]["raw_value"] == str(2**63)
    again = crawl(tmp_path, "huge-id", "-a", "full=1", output=out)
    assert again.returncode == 0, again.log[-3000:]  # every later run is not sunk either


def test_out_of_range_dates_and_deep_nesting_lose_no_post(tmp_path: Path) -> None:
    run = crawl(tmp_path, "bad-dates")
    assert run.returncode == 0, run.log[-3000:]
    stored = {r["url"] for r in run.table("articles")}
    rejected = {r["url"] for r in run.table("rejects")}
    for post in reachable(run):
        assert post["url"] in stored | rejected, post["url"]
    flagged = [r for r in run.table("articles") if "published_at:unreadable" in r["flags"]]
    assert len(flagged) == 3
    assert all(1990 < r["published_at"].year < 2030 for r in run.table("articles"))


# -- the stored copy survives a worse one ------------------------------------------------


@pytest.mark.parametrize("teaser", [False, True], ids=["one-line", "teaser-and-long-wall"])
def test_a_wall_does_not_overwrite_stored_bodies(tmp_path: Path, teaser: bool) -> None:
    out = tmp_path / "out"
    with serve_hostile("wall", state="before") as server:
        port = server.port
        first = run_crawl(server.base_url, out)
    assert first.returncode == 0, first.stderr[-3000:]
    before = {r["post_id"]: r["body_text"] for r in
              ds.dataset(out / "articles", partitioning="hive").to_table().to_pylist()}
    run = crawl(tmp_path, "wall", output=out, port=port, state="after", teaser=teaser)
    assert run.returncode == 3, run.log[-3000:]  # nothing stored: said out loud
    assert "regression" in run.stderr_line()
    after = {r["post_id"]: r["body_text"] for r in run.table("articles")}
    assert after == before
    posts = {urlsplit(p["url"]).path for p in run.truth["posts"]}
    refetched = len([p for p in run.paths() if p in posts])
    assert run.summary["worse_copies"] == run.rejects()["regression"] == refetched > 0
    assert run.table("history") == []
    if teaser:  # a body far from shrunk to a stub: the repeated wall gives it away
        assert any("text the site gives for" in r for r in run.reasons())


# -- canonical URLs are checked ----------------------------------------------------------


@pytest.mark.parametrize("target", ["home", "offsite", "other-post"])
def test_a_lying_canonical_neither_merges_nor_overwrites_posts(tmp_path: Path,
                                                               target: str) -> None:
    options = {} if target == "home" else {"target": target}
    run = crawl(tmp_path, "canonical-home", **options)
    assert run.returncode == 0, run.log[-3000:]
    rows = run.table("articles")
    assert len(rows) == len(reachable(run))
    assert {r["url"] for r in rows} == {p["url"] for p in reachable(run)}
    assert all("url:canonical-ignored" in r["flags"] for r in rows)
    assert run.rejects() == {}


# -- failure is said out loud ------------------------------------------------------------


@pytest.mark.parametrize(("scenario", "outcome"), [
    ("offsite-redirect", "nothing-stored"),
    ("robots-forbid", "no-archive"),
    ("empty-pages", "nothing-stored"),
    ("bodies-gone", "nothing-stored"),
])
def test_a_run_that_stores_nothing_fails(tmp_path: Path, scenario: str, outcome: str) -> None:
    run = crawl(tmp_path, scenario)
    assert run.returncode == 3, run.log[-3000:]
    assert run.summary["outcome"] == outcome
    assert run.stderr_line()
    assert run.table("articles") == []
    if outcome == "nothing-stored":
        assert sum(run.rejects().values()) == len(reachable(run))


def test_redirects_never_leave_host_and_port(tmp_path: Path) -> None:
    """A fifth of the posts each: 301 to another host, a redirect loop, a meta refresh to
    another host, 301 to this host on another port; the last fifth is served."""
    run = crawl(tmp_path, "redirects")
    assert run.returncode == 3  # four posts in five failed: over MAX_ERROR_RATE
    rows = run.table("articles")
    port = run.truth["posts"][0]["url"].split(":")[2].split("/")[0]
    assert len(rows) == len(reachable(run)) // 5
    assert all(f":{port}/" in r["url"] for r in rows)
    reasons = Counter("off the site" if "off the site" in r else
                      "loop" if "redirect loop" in r else r for r in run.reasons())
    assert reasons == {"off the site": 3 * len(rows), "loop": len(rows)}
    assert run.summary["errors_by_kind"] == {"offsite_redirect": 3 * len(rows),
                                             "redirect_loop": len(rows)}



@pytest.mark.parametrize(("scenario", "extra", "stored_all", "kinds"), [
    # bytes that are no UTF-8 under a charset nobody knows: read anyway
    ("bad-charset", (), True, set()),
    # an image served as text/html: a reject, no crash
    ("binary-200", (), False, {"validation"}),
    # a Content-Length that lies: a page cut short is a data loss; a page declaring half
    # its length is read as declared, and half a page has no body
    ("lying-length", ("-s", "RETRY_TIMES=0"), False, {"http", "validation"}),
    # the theme's "Nothing here" page with a 200: a reject, not an article
    ("soft-404", (), False, {"validation"}),
    # 429 asking for a day: waits at most RETRY_AFTER_MAX, then a reject
    ("throttled", ("-s", "RETRY_AFTER_MAX=0.2", "-s", "RETRY_TIMES=1"), False, {"http"}),
])
def test_broken_pages_are_stored_or_rejected_never_lost(
        tmp_path: Path, scenario: str, extra: tuple[str, ...], stored_all: bool,
        kinds: set[str]) -> None:
    run = crawl(tmp_path, scenario, *extra)
    assert run.returncode in (0, 3), run.log[-3000:]
    assert "Traceback" not in run.log
    stored = {r["url"] for r in run.table("articles")}
    rejected = {r["url"] for r in run.table("rejects")}
    for post in reachable(run):
        assert post["url"] in stored | rejected, post["url"]
    if stored_all:
        assert len(stored) == len(reachable(run))
    assert set(run.rejects()) == kinds


# -- arguments, damaged files, signals ----------------------------------------------------


def test_a_damaged_parquet_file_stops_the_run_naming_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = crawl(tmp_path, "endless-same", output=out)
    assert first.returncode == 0
    summary = (out / "last_run.json").read_bytes()
    damaged = sorted((out / "articles").rglob("*.parquet"))[0]
    damaged.write_bytes(damaged.read_bytes()[:1000])
    run = crawl(tmp_path, "endless-same", output=out)
    assert run.returncode == 3
    assert f"{damaged} is not a readable Parquet file" in run.log
    assert "Traceback" not in run.log
    assert (out / "last_run.json").read_bytes() == summary  # no bogus summary
    assert [p for p in run.paths() if p != "/robots.txt"] == []  # stopped before crawling


def test_a_second_sigterm_still_publishes_what_the_first_staged(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with serve_hostile("slow-drip", posts=200, interval=0.5) as server:
        proc = subprocess.Popen(crawl_command(server.base_url, out, "-s",
                                              "PARQUET_BATCH_ROWS=1000"),
                                cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(
                1 for r in server.requests if r["status"] == 200) < 40:
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)  # what `timeout` and service managers send
        _, log = proc.communicate(timeout=120)
    assert proc.returncode == 3, log[-3000:]  # interrupted: a failed run, said so
    assert "more stop signal(s) came while the run was stopping" in log
    summary = json.loads((out / "last_run.json").read_text(encoding="utf-8"))
    assert summary["outcome"] == "interrupted"
    stored = ds.dataset(out / "articles", partitioning="hive").count_rows()
    assert stored == summary["articles_written"] > 0


def test_no_remote_control_endpoint_in_unattended_runs(tmp_path: Path) -> None:
    run = crawl(tmp_path, "endless-same", "-s", "LOG_LEVEL=DEBUG")
    assert run.returncode == 0
    enabled = run.log.split("Enabled extensions:", 1)[1].split("]", 1)[0]
    assert "RemoteControl" not in enabled and "TelnetConsole" not in enabled
