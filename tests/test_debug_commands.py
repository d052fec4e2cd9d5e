"""Debugging commands are read-only: ``scrapy shell``, ``parse`` and ``check`` against the
replica leave an output directory of a real crawl byte for byte as it was (no lock taken,
nothing staged or published, no runs row, no last_run.json, no state); ``parse`` follows
the URL's site and picks the callback by URL; the spider's contracts pass on the replica
and fail on a site whose pages are empty."""

from __future__ import annotations

import argparse
import ast
import hashlib
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pipelines.store import read_runs
from tests.crawlrun import PROJECT_ROOT, run_crawl
from tests.replica import ReplicaConfig, ReplicaSite, serve

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

#: the post the article contract names (crawler/spiders/timesca.py, parse_article): one of
#: the real site's posts, which the replica serves at every size and seed
CONTRACT_SLUG = "government-addresses-electricity-generation"


class Site:
    """The replica being served, its ground truth, and an output directory of a crawl."""

    def __init__(self, base_url: str, truth: dict[str, Any], output: Path) -> None:
        self.base_url, self.truth, self.output = base_url, truth, output


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The default replica (as ``python -m tests.replica serve``) and a real prior crawl."""
    replica = ReplicaSite(ReplicaConfig(seed=1, posts=120, theme="classic"))
    output = tmp_path_factory.mktemp("debug") / "output"
    with serve(replica) as server:
        crawl = run_crawl(server.base_url, output, "-a", "max_pages=1")
        assert crawl.returncode == 0, crawl.stderr[-3000:]
        assert read_runs(output).num_rows == 1
        yield Site(server.base_url, replica.ground_truth(server.base_url), output)


def tree_hash(root: Path) -> str:
    """Every entry under ``root``: its path, kind, size, mtime and content."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        digest.update(f"{path.relative_to(root)}|{path.is_dir()}|{info.st_size}|"
                      f"{info.st_mtime_ns}\n".encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def scrapy(site: Site, *args: str) -> subprocess.CompletedProcess[str]:
    """``scrapy ARGS`` from the project root, on the crawl's output directory."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args, "-s", f"OUTPUT_DIR={site.output}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180, check=False,
    )


def read_only(site: Site, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``scrapy ARGS`` and check the output directory did not change."""
    before = tree_hash(site.output)
    result = scrapy(site, *args)
    assert tree_hash(site.output) == before, (args, result.stderr[-3000:])
    assert read_runs(site.output).num_rows == 1
    return result


def parsed(stdout: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The items (as dicts) and request URLs ``scrapy parse`` printed for depth 1."""
    items_text = stdout.split("# Scraped Items", 1)[1].split("\n", 1)[1]
    items_text, requests_text = items_text.split("# Requests", 1)
    return ast.literal_eval(items_text.strip()), re.findall(r"<GET (\S+)>", requests_text)


def post(site: Site, slug: str) -> dict[str, Any]:
    return next(p for p in site.truth["posts"] if p["slug"] == slug)


def test_shell_leaves_the_output_untouched(site: Site):
    result = read_only(site, "shell", f"{site.base_url}/latest/", "-c", "response.status")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "200"
    assert "Run outcome" not in result.stderr


def test_parse_an_article_follows_the_urls_site(site: Site):
    expected = post(site, CONTRACT_SLUG)
    result = read_only(site, "parse", "--spider", "timesca", expected["url"])
    assert result.returncode == 0, result.stderr[-3000:]
    items, requests = parsed(result.stdout)
    articles = [i for i in items if "title" in i]
    assert len(articles) == 1
    article = articles[0]
    assert (article["title"], article["post_id"], article["url"]) == (
        expected["title"], expected["post_id"], expected["url"])
    assert article["body_text"] == expected["body_text"]
    assert requests == []


def test_parse_an_archive_page_lists_its_posts_and_next_page(site: Site):
    result = read_only(site, "parse", "--spider", "timesca", f"{site.base_url}/latest/")
    assert result.returncode == 0, result.stderr[-3000:]
    items, requests = parsed(result.stdout)
    newest = sorted(site.truth["posts"], key=lambda p: p["published_at"], reverse=True)[:6]
    posts = [u for u in requests if "/latest/" not in u and "sitemap" not in u]
    assert posts == [p["url"] for p in newest]
    assert f"{site.base_url}/latest/page/2/" in requests
    rates = {(i["base"], i["quote"]): i["rate_text"] for i in items}
    assert rates == {(r["base"], r["quote"]): r["rate_text"] for r in site.truth["rates"]}


def test_parse_with_the_callback_named(site: Site):
    result = read_only(site, "parse", "--spider", "timesca", "-c", "parse_listing",
                       "--cbkwargs", '{"archive": "latest"}', "-a", "source=html",
                       f"{site.base_url}/latest/page/2/")
    assert result.returncode == 0, result.stderr[-3000:]
    _, requests = parsed(result.stdout)
    assert f"{site.base_url}/latest/page/3/" in requests


def test_parse_offsite_of_an_explicit_base_url_says_why(site: Site):
    url = f"{site.base_url}/latest/"
    result = read_only(site, "parse", "--spider", "timesca", url,
                       "-a", "base_url=http://timesca.invalid")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "Offsite:" in line]
    assert len(lines) == 1
    port = site.base_url.rsplit(":", 1)[1]
    assert f"{url} is on 127.0.0.1:{port}, not on the spider's site timesca.invalid" in lines[0]


def test_check_runs_the_contracts_on_the_replica(site: Site):
    expected = post(site, CONTRACT_SLUG)  # the contract's post is on the replica
    assert expected["reachable"]
    result = read_only(site, "check", "timesca", "-a", f"base_url={site.base_url}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"^Ran 7 contracts in ", result.stderr, re.MULTILINE), result.stderr
    assert result.stderr.rstrip().endswith("OK")


def test_check_without_a_site_says_what_to_pass(site: Site):
    result = read_only(site, "check", "timesca")
    assert result.returncode == 1
    assert "scrapy check needs the site to check: pass -a base_url=URL" in result.stderr
    assert "Ran 0 contracts" in result.stderr


class EmptyPages(BaseHTTPRequestHandler):
    """A site whose every page is an empty HTML document."""

    def do_GET(self) -> None:
        body = b"<!doctype html><html><head><title></title></head><body></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


def test_check_fails_on_empty_pages(site: Site):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), EmptyPages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        result = read_only(site, "check", "timesca", "-a", f"base_url={base}")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.returncode == 1
    assert re.search(r"^FAILED \(failures=4\)$", result.stderr, re.MULTILINE), result.stderr
    assert "ArticleItem without post_id, title, published_at, body_text" in result.stderr
    assert "RateItem items: 0, expected >= 1" in result.stderr
    assert "requests to /latest/page/2/: 0, expected 1" in result.stderr


def test_only_the_crawl_command_turns_writing_on(monkeypatch: pytest.MonkeyPatch):
    """The project's settings say off; ``crawl`` turns it on (unless -s says off)."""
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.commands.parse import Command as ScrapyParse
    from scrapy.utils.project import get_project_settings

    from crawler.commands.crawl import Command as Crawl
    from crawler.config import writes_output

    for command, argv, on in ((Crawl(), ["timesca"], True),
                              (Crawl(), ["timesca", "-s", "WRITE_OUTPUT=0"], False),
                              (ScrapyParse(), ["http://x.test/"], False)):
        settings = get_project_settings()
        assert not writes_output(settings)
        command.settings = settings
        parser = argparse.ArgumentParser()
        command.add_options(parser)
        opts, args = parser.parse_known_args(argv)
        command.process_options(args, opts)
        assert writes_output(settings) is on, (type(command), argv)
