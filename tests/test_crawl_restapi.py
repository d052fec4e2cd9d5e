"""The WordPress REST API as the fast path (crawler.spiders.api_walk): the same rows as the
HTML pages, in a few requests, HTML as the fallback; real crawls of the replica, which serves
the API as WordPress core does (tests/replica/restapi.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.crawlrun import CrawlOutput, run_crawl
from tests.replica import ReplicaConfig, ReplicaSite, serve

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

SITE = {"seed": 1, "posts": 130, "theme": "classic"}
#: columns that say how or when a row was fetched, not what the post is
HOW = {"fetched_at", "first_seen_at", "last_seen_at", "field_sources", "fetched_url",
       "http_etag", "http_last_modified"}


class Served:
    """Replica states served one after another on one port, crawled into one output."""

    def __init__(self, output: Path, port: int = 0) -> None:
        self.output = output
        self.port = port

    def crawl(self, *extra: str, source: str | None = None,
              **config: Any) -> tuple[CrawlOutput, list[str], str, int]:
        site = ReplicaSite(ReplicaConfig(**{**SITE, **config}))
        with serve(site, port=self.port) as server:
            self.port = server.httpd.server_address[1]
            result = run_crawl(server.base_url, self.output, *extra, source=source)
            paths = [r["path"] for r in server.requests]
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        return CrawlOutput(self.output), paths, result.stderr, result.returncode


def rows(out: CrawlOutput) -> dict[int, dict[str, Any]]:
    """Article rows by post id, without how they were fetched."""
    return {row["post_id"]: json.loads(json.dumps({k: v for k, v in row.items()
                                                   if k not in HOW}, default=str))
            for row in out.table("articles")}


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlOutput, list[str], int]:
    """The HTML crawl every other path is compared with (its port too: URLs, and so the
    content hashes, hold it)."""
    served = Served(tmp_path_factory.mktemp("html") / "out")
    out, paths, log, code = served.crawl(source="html")
    assert code == 0, log[-3000:]
    return out, paths, served.port


def test_the_api_gives_the_html_rows_in_a_few_requests(tmp_path: Path, html: Any) -> None:
    out, paths, log, code = Served(tmp_path / "out", html[2]).crawl(source="api")
    assert code == 0, log[-3000:]
    assert rows(out) == rows(html[0])
    assert len(rows(out)) == 130
    sources = [dict(r["field_sources"]) for r in out.table("articles")]
    assert {s for found in sources for s in found.values()} == {"api", "none"}
    assert all(found["title"] == found["body_text"] == "api" for found in sources)
    assert [r["pair"] for r in out.table("rates")] == [r["pair"] for r in html[0].table("rates")]
    api = [p for p in paths if p.startswith("/wp-json/")]
    # two pages of 100 posts, one HTML archive page for the rates, robots.txt and the
    # sampled HTML pages of the cross-check (3 by default), against ~150 requests in HTML
    assert len(api) == 2 and len(paths) == 2 + 1 + 1 + 3, paths
    assert len(html[1]) > 150
    assert out.summary["archives"][0] == {
        "archive": "latest", "pages": 2, "found": 130, "reported_total": 130,
        "complete": True, "end": "api-last-page", "flags": []}
    assert "disagree" not in log


@pytest.mark.parametrize("mode", ["locked", "off"])
def test_a_locked_or_absent_api_falls_back_to_the_same_html_rows(
        tmp_path: Path, html: Any, mode: str) -> None:
    out, paths, log, code = Served(tmp_path / "out", html[2]).crawl(rest_api=mode)
    assert code == 0, log[-3000:]
    assert rows(out) == rows(html[0])
    why = "rest_cannot_access" if mode == "locked" else "not announced by the site"
    assert len(re.findall(rf"REST API not used \({why}\)", log)) == 1
    assert len([p for p in paths if p.startswith("/wp-json/")]) == (1 if mode == "locked"
                                                                    else 0)


def test_source_api_on_a_locked_site_fails_the_archive_out_loud(tmp_path: Path) -> None:
    out, _, _, code = Served(tmp_path / "out").crawl(source="api", rest_api="locked")
    assert code == 3
    assert [r["reason"] for r in out.table("rejects")] == [
        "REST API not usable, archive incomplete: rest_cannot_access"]


def test_an_api_rerun_costs_a_handful_and_finds_edits_and_removals(tmp_path: Path) -> None:
    served = Served(tmp_path / "out")
    _, _, log, code = served.crawl("-s", "API_HTML_SAMPLE=0")
    assert code == 0, log[-3000:]
    _, paths, log, code = served.crawl("-s", "API_HTML_SAMPLE=0")
    assert code == 0, log[-3000:]
    # robots.txt, the archive page (rates), posts modified since the last run, the count
    assert len(paths) == 4, paths
    later, paths, log, code = served.crawl("-s", "API_HTML_SAMPLE=0", state="later")
    assert code == 0, log[-3000:]
    summary = later.summary
    assert (summary["articles_new"], summary["articles_updated"]) == (3, 3)
    removed = [r for r in later.table("articles") if r["removed_at"] is not None]
    assert len(removed) == 1
    # the id list (2 pages of 100) and the one missing post's own route
    assert len([p for p in paths if "_fields=id" in p]) == 1 + 2 + 1, paths


def test_an_api_that_differs_from_its_pages_is_noticed(tmp_path: Path) -> None:
    _, _, log, code = Served(tmp_path / "out").crawl(
        "-s", "API_HTML_SAMPLE=200", source="api", rest_html_mismatch=True)
    assert code == 0, log[-3000:]
    assert "REST API and HTML page of" in log and "disagree on" in log


def test_a_parent_category_includes_its_children_as_its_archive_does(tmp_path: Path) -> None:
    listing = ("-a", "listings=category/kazakhstan")
    served = Served(tmp_path / "html")
    by_html, _, log, code = served.crawl(*listing, source="html")
    assert code == 0, log[-3000:]
    by_api, paths, log, code = Served(tmp_path / "api", served.port).crawl(*listing,
                                                                           source="api")
    assert code == 0, log[-3000:]
    assert rows(by_api) == rows(by_html) and len(rows(by_api)) > 6
    assert paths[2].startswith("/wp-json/wp/v2/categories?slug=kazakhstan"), paths
    assert "categories%5Bterms%5D=" in paths[3] and "include_children%5D=1" in paths[3]
    report = by_api.summary["archives"][0]
    assert report["complete"] is True and report["found"] == len(rows(by_html))


class _EndlessApi:
    """A site whose REST API claims a billion pages and gives the same two posts on each."""

    def __init__(self) -> None:
        import http.server
        import threading

        outer = self
        self.paths: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                outer.paths.append(self.path)
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                headers = {"Content-Type": "text/html; charset=UTF-8"}
                if self.path == "/robots.txt":
                    body = b"User-agent: *\nAllow: /\n"
                elif self.path.startswith("/wp-json/wp/v2/posts"):
                    posts = [{"id": n, "link": f"{base}/post-{n}/",
                              "date_gmt": f"2025-01-0{n}T10:00:00",
                              "modified_gmt": f"2025-01-0{n}T10:00:00",
                              "title": {"rendered": f"Post {n}"},
                              "content": {"rendered": "<p>" + "Words of the post. " * 40
                                          + "</p>"}} for n in (1, 2)]
                    body = json.dumps(posts).encode()
                    headers = {"Content-Type": "application/json; charset=UTF-8",
                               "X-WP-Total": "2000000000", "X-WP-TotalPages": "1000000000"}
                else:
                    body = (f'<html><head><link rel="https://api.w.org/" href="{base}/wp-json/"'
                            "/></head><body><p>a page</p></body></html>").encode()
                self.send_response(200)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def test_an_api_that_pages_forever_is_bounded(tmp_path: Path) -> None:
    site = _EndlessApi()
    try:
        result = run_crawl(site.base_url, tmp_path / "out", "-s", "API_HTML_SAMPLE=0",
                           "-s", "SITEMAPS=0", source=None, timeout=120)
    finally:
        site.httpd.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    out = CrawlOutput(tmp_path / "out")
    assert sorted(r["post_id"] for r in out.table("articles")) == [1, 2]
    assert [p for p in site.paths if p.startswith("/wp-json/")] == [
        "/wp-json/wp/v2/posts?per_page=100&page=1&_embed=1&orderby=date&order=desc",
        "/wp-json/wp/v2/posts?per_page=100&page=2&_embed=1&orderby=date&order=desc"]
    assert out.summary["archives"][0]["end"] == "no-new-posts"
    assert "the API page lists no post the walk had not seen" in result.stderr
