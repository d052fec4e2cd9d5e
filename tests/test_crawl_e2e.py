"""End to end: `scrapy crawl timesca` against the replica over loopback HTTP, compared
field by field with the replica's ground truth, for both themes."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import pairwise
from urllib.parse import urlsplit

import pytest

from crawler import __version__
from crawler.parsers.sources import LABELS
from tests.conftest import CrawlRun, crawl_replica
from tests.crawlrun import PROJECT_ROOT
from tests.metrics import token_f1
from tests.replica import ReplicaConfig, ReplicaSite

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

ARTICLE_FIELDS = ("url", "title", "summary", "authors", "categories", "tags", "image_url",
                  "category_paths", "countries", "sections")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def reachable(truth: dict) -> dict[int, dict]:
    return {p["post_id"]: p for p in truth["posts"] if p["reachable"]}


def path_counts(run: CrawlRun, status: int | None = None) -> Counter:
    return Counter(
        urlsplit(r["path"]).path
        for r in run.requests
        if r["method"] == "GET" and (status is None or r["status"] == status)
    )


def test_crawl_exits_cleanly(full_crawl: CrawlRun):
    assert full_crawl.returncode == 0, full_crawl.log[-3000:]
    assert "Traceback" not in full_crawl.log


def test_every_reachable_post_exactly_once(full_crawl: CrawlRun):
    rows = full_crawl.table("articles")
    ids = [r["post_id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(reachable(full_crawl.truth))


def test_article_fields_match_ground_truth(full_crawl: CrawlRun):
    truth = reachable(full_crawl.truth)
    for row in full_crawl.table("articles"):
        expected = truth[row["post_id"]]
        for name in ARTICLE_FIELDS:
            assert row[name] == expected[name], (name, row["url"])
        assert row["published_at"] == utc(expected["published_at"]), row["url"]
        assert row["modified_at"] == utc(expected["modified_at"]), row["url"]
        assert row["body_text"] == expected["body_text"], row["url"]
        assert row["word_count"] == expected["word_count"], row["url"]
        assert set(row_sources(row)) <= set(LABELS)


def row_sources(row: dict) -> list[str]:
    sources = row["field_sources"]
    return [v for _, v in sources] if isinstance(sources, list) else list(sources.values())


def test_body_text_f1(full_crawl: CrawlRun):
    truth = reachable(full_crawl.truth)
    scores = [token_f1(r["body_text"], truth[r["post_id"]]["body_text"])
              for r in full_crawl.table("articles")]
    assert min(scores) >= 0.97


def test_one_rate_row_per_day_and_pair_with_values_shown(full_crawl: CrawlRun):
    rows = full_crawl.table("rates")
    got = sorted((r["observed_on"], r["base"], r["quote"], r["rate_text"], r["change_text"])
                 for r in rows)
    expected = sorted((date.fromisoformat(r["observed_on"]), r["base"], r["quote"],
                       r["rate_text"], r["change_text"]) for r in full_crawl.truth["rates"])
    assert got == expected
    for r in rows:
        assert r["rate"] == Decimal(r["rate_text"])
        assert r["pair"] == f"{r['base']}/{r['quote']}"


def test_no_rejects_on_a_healthy_site(full_crawl: CrawlRun):
    assert full_crawl.table("rejects") == []


def test_each_article_fetched_once_and_never_off_site(full_crawl: CrawlRun):
    fetched = path_counts(full_crawl, status=200)
    for post in reachable(full_crawl.truth).values():
        assert fetched[urlsplit(post["url"]).path] == 1, post["url"]
    assert all("utm_" not in r["path"] for r in full_crawl.requests)
    assert full_crawl.summary["requests"] == len(full_crawl.requests)


def test_polite_by_design_robots_first_and_honest_user_agent(full_crawl: CrawlRun):
    assert full_crawl.requests[0]["path"] == "/robots.txt"
    assert {r["user_agent"].split(" ")[0] for r in full_crawl.requests} == {
        f"timesca-crawler/{__version__}"
    }


def test_summary_reports_latest_archive_complete(full_crawl: CrawlRun):
    summary = full_crawl.summary
    latest = next(a for a in summary["archives"] if a["archive"] == "latest")
    assert latest["found"] == full_crawl.truth["archives"]["latest"]["posts"]
    assert latest["pages"] == full_crawl.truth["archives"]["latest"]["pages"]
    assert latest["end"] in {"404-past-last-page", "no-next-link"}
    assert summary["articles_written"] == len(reachable(full_crawl.truth))
    assert summary["rejects"] == 0
    shares = summary["field_sources"]["title"]
    assert abs(sum(shares.values()) - 1.0) < 1e-6
    # every WordPress content container looked right: the generic extractor never ran
    articles = len(reachable(full_crawl.truth))
    assert (summary["body_check"], summary["body_suspicion"]) == ({"not-run": articles}, {})
    # Yoast gives full ISO dates: nothing flagged; no boilerplate in the plain replica
    assert summary["article_flags"] == {}
    assert summary["boilerplate"] == {"blocks": 0, "blocks_new": 0, "stored_rows_cleaned": 0,
                                      "threshold": 5}


# -- faults --------------------------------------------------------------------------


def fault_paths(run: CrawlRun, kind: str) -> list[str]:
    return [urlsplit(p).path for p in run.truth["faults"][kind]]


def test_faulty_site_crawl_finishes(fault_crawl: CrawlRun):
    assert fault_crawl.returncode == 0, fault_crawl.log[-3000:]


def test_503_with_retry_after_is_retried_then_stored(fault_crawl: CrawlRun):
    statuses: dict[str, list[int]] = {}
    for r in fault_crawl.requests:
        statuses.setdefault(urlsplit(r["path"]).path, []).append(r["status"])
    stored = {urlsplit(r["url"]).path for r in fault_crawl.table("articles")}
    paths = fault_paths(fault_crawl, "503")
    assert paths
    for path in paths:
        assert statuses[path][0] == 503 and statuses[path][-1] == 200, statuses[path]
        times = [r["time"] for r in fault_crawl.requests if urlsplit(r["path"]).path == path]
        gaps = [b - a for a, b in pairwise(times)]
        assert min(gaps) >= 0.9, f"retried {path} before Retry-After: 1 elapsed: {gaps}"
    article_paths = [p for p in paths if p in {urlsplit(x["url"]).path
                                             for x in fault_crawl.truth["posts"]}]
    assert article_paths and all(p in stored for p in article_paths)
    assert fault_crawl.summary["retries"] >= 2 * len(paths)


def test_permanent_500_is_recorded_and_the_run_goes_on(fault_crawl: CrawlRun):
    rejects = {urlsplit(r["url"]).path: r for r in fault_crawl.table("rejects")}
    for path in fault_paths(fault_crawl, "500"):
        assert rejects[path]["kind"] == "http"
        assert rejects[path]["reason"] == "HTTP 500"
        assert path_counts(fault_crawl)[path] == 4  # first try + RETRY_TIMES=3
    assert fault_crawl.summary["errors_by_kind"]["http_500"] == len(fault_paths(fault_crawl, "500"))


def test_removed_post_is_recorded(fault_crawl: CrawlRun):
    rejects = {urlsplit(r["url"]).path: r for r in fault_crawl.table("rejects")}
    for path in fault_paths(fault_crawl, "removed"):
        assert rejects[path]["reason"] == "HTTP 404"


def test_every_other_post_is_stored_despite_faults(fault_crawl: CrawlRun):
    stored = {r["post_id"] for r in fault_crawl.table("articles")}
    assert set(reachable(fault_crawl.truth)) <= stored


# -- archives, quirks, arguments -------------------------------------------------------

QUIRK_FLAG = {
    "tag-range": "range-not-following-page",
    "total-missing": "total-missing",
    "total-too-small": "total-below-range",
}


def test_results_line_quirks_are_flagged_not_fatal(tmp_path):
    site = dict(seed=1, posts=120, theme="magazine")
    archives = ReplicaSite(ReplicaConfig(**site)).ground_truth("http://x")["archives"]
    quirky: dict[str, dict] = {}  # per quirk, the archive with the most pages
    for path, archive in sorted(archives.items(), key=lambda kv: -kv[1]["pages"]):
        if archive["results_quirk"] not in {a["results_quirk"] for a in quirky.values()}:
            quirky[path] = archive
    quirky.pop(next((p for p, a in quirky.items() if a["results_quirk"] is None), ""), None)
    assert set(QUIRK_FLAG) <= {a["results_quirk"] for a in quirky.values()}
    assert archives[next(p for p, a in quirky.items()
                         if a["results_quirk"] == "tag-range")]["pages"] >= 2
    run = crawl_replica(tmp_path, "-a", "listings=" + ",".join(quirky), **site)
    assert run.returncode == 0, run.log[-3000:]
    reports = {a["archive"]: a for a in run.summary["archives"]}
    for path, archive in quirky.items():
        report = reports[path]
        assert report["found"] == archive["posts"], path
        assert report["pages"] == archive["pages"], path
        flag = QUIRK_FLAG.get(archive["results_quirk"])
        assert (flag in report["flags"]) if flag else report["flags"], (path, report)


def test_post_in_several_archives_is_one_row(tmp_path):
    site = dict(seed=1, posts=120, theme="classic")
    truth = ReplicaSite(ReplicaConfig(**site)).ground_truth("http://x")
    kz = "category/kazakhstan"
    tag = next(p for p in truth["archives"] if p.startswith("tag/"))
    author = max((p for p in truth["archives"] if p.startswith("author/")),
                 key=lambda p: truth["archives"][p]["pages"])
    run = crawl_replica(tmp_path, "-a", f"listings=latest,{kz},{tag},{author}", **site)
    assert run.returncode == 0, run.log[-3000:]
    ids = [r["post_id"] for r in run.table("articles")]
    assert len(ids) == len(set(ids)) == len(reachable(run.truth))
    assert max(path_counts(run, status=200).values()) == 1
    reports = {a["archive"]: a for a in run.summary["archives"]}
    for path in (kz, tag, author):
        assert reports[path]["found"] == truth["archives"][path]["posts"], path


def test_max_pages_stops_each_archive(tmp_path):
    run = crawl_replica(tmp_path, "-a", "max_pages=2", seed=1, posts=120, theme="classic")
    assert run.returncode == 0, run.log[-3000:]
    assert len(run.table("articles")) == 12
    latest = run.summary["archives"][0]
    assert (latest["pages"], latest["end"]) == (2, "max-pages")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-a", "base_url=ftp://example.org"), "base_url must be an absolute http(s) URL"),
        (("-a", "base_url=http://127.0.0.1:9", "-a", "max_pages=0"),
         "max_pages must be a whole number >= 1"),
        (("-a", "base_url=http://127.0.0.1:9", "-a", "listings=../x"),
         "listing must not contain"),
        (("-a", "base_url=http://127.0.0.1:9", "-a", "listings=%2e%2e/x"),
         "listing must not contain"),
        (("-a", "base_url=http://127.0.0.1:9", "-a", "listings=..\\..\\etc"),
         "listing must not contain"),
        (("-a", "base_url=http://127.0.0.1:99999"), "base_url has a port out of range"),
        (("-a", "base_url=http://user:secret@127.0.0.1:9"),
         "base_url must not carry a user name or password"),
        (("-a", "base_url=http://127.0.0.1:9", "-s", "RETRY_FAILED_DAYS=abc"),
         "setting RETRY_FAILED_DAYS must be a number >= 0, got 'abc'"),
        (("-a", "base_url=http://127.0.0.1:9", "-s", "INCREMENTAL=maybe"),
         "setting INCREMENTAL must be 0 or 1"),
        (("-a", "base_url=http://127.0.0.1:9", "-s", "REFRESH_DAYS=abc"),
         "setting REFRESH_DAYS must be a number"),
        (("-a", "base_url=http://127.0.0.1:9", "-s", "REFRESH_NOW=garbage"),
         "setting REFRESH_NOW must be a date and time"),
        (("-a", "base_url=http://127.0.0.1:9", "-s", "ARCHIVE_MAX_PAGES=0"),
         "setting ARCHIVE_MAX_PAGES must be a whole number >= 1"),
        (("-a", "base_url=http://127.0.0.1:9", "-s", "POLITE=maybe"),
         "setting POLITE must be 0 or 1"),
    ],
)
def test_bad_arguments_fail_with_a_clear_message(tmp_path, args, message):
    """Exit 2 before any request, with one line naming the argument and no traceback (a
    password given in base_url is not repeated)."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "timesca",
           "-s", f"OUTPUT_DIR={tmp_path / 'out'}", *args]
    result = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "secret" not in result.stderr
    assert not (tmp_path / "out" / "articles").exists()
    assert not (tmp_path / "out" / "last_run.json").exists()
