"""End to end: a site that answers on both ``www.<host>`` and ``<host>`` but links (and
names as canonical) only one of them. A crawl started from either form stores every post,
under the URL the page's canonical gives, and requests nothing off the site.

The host names (``*.test``, RFC 2606) do not resolve: the crawl runs with
``http_proxy`` pointing at the replica, which answers absolute-form requests for any host
(tests/replica/server.py) and renders every page for its ``site_url``.
"""

from __future__ import annotations

import os
import re
import subprocess
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.crawlrun import PROJECT_ROOT, CrawlOutput, crawl_command
from tests.replica import ReplicaConfig, ReplicaSite, serve
from tests.replica.server import split_target

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

HOST = "timesca.test"
WWW = f"www.{HOST}"
#: (id, host the crawl starts from, host the site links and names as canonical)
DIRECTIONS = [
    ("www-crawl-bare-links", WWW, HOST),
    ("bare-crawl-www-links", HOST, WWW),
]
#: Scrapy stats (dumped at the end of the log) that count requests or links dropped as
#: off the site: Scrapy's offsite filter, the spider's own link check, redirects, canonicals
OFFSITE_STATS = ("offsite/filtered", "offsite/domains", "links/offsite_skipped",
                 "redirects/offsite", "canonical/ignored/offsite")


@dataclass
class HostCrawl(CrawlOutput):
    """One finished crawl through the proxy."""

    returncode: int
    log: str
    truth: dict[str, Any]
    #: absolute URL of every request the replica answered
    urls: list[str]
    crawl_base: str
    link_base: str


def proxy_env(proxy: str) -> dict[str, str]:
    """This process's environment with every proxy variable replaced by ``http_proxy``."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["http_proxy"] = proxy
    return env


def crawl_via_proxy(tmp: Path, crawl_host: str, link_host: str) -> HostCrawl:
    crawl_base, link_base = f"http://{crawl_host}", f"http://{link_host}"
    site = ReplicaSite(ReplicaConfig(seed=4, posts=24, theme="classic"))
    output = tmp / "output"
    with serve(site, site_url=link_base) as server:
        result = subprocess.run(
            # DEBUG: Scrapy names each host its offsite filter drops ("Filtered offsite
            # request to 'timesca.test'") at that level only
            crawl_command(crawl_base, output, "-s", "LOG_LEVEL=DEBUG"),
            cwd=PROJECT_ROOT,
            env=proxy_env(server.proxy_url),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        urls = list(server.urls)
    return HostCrawl(output, result.returncode, result.stderr, site.ground_truth(link_base),
                     urls, crawl_base, link_base)


@pytest.fixture(scope="module", params=DIRECTIONS, ids=[d[0] for d in DIRECTIONS])
def host_crawl(request: pytest.FixtureRequest, tmp_path_factory) -> HostCrawl:
    name, crawl_host, link_host = request.param
    return crawl_via_proxy(tmp_path_factory.mktemp(name), crawl_host, link_host)


def log_tail(run: HostCrawl) -> str:
    return run.log[-4000:]


def log_lines(run: HostCrawl, pattern: str = r"Filtered offsite|\] (WARNING|ERROR):") -> str:
    """The log's lines matching ``pattern`` (for assertion messages)."""
    return "\n".join(line for line in run.log.splitlines() if re.search(pattern, line))


def stats_in_log(run: HostCrawl, names: tuple[str, ...]) -> dict[str, int]:
    """Those of ``names`` in the log's "Dumping Scrapy stats" block (absent: never counted)."""
    dump = run.log.rpartition("Dumping Scrapy stats:")[2]
    found = {}
    for name in names:
        m = re.search(rf"'{re.escape(name)}': (\d+)", dump)
        if m:
            found[name] = int(m.group(1))
    return found


# -- the replica as a proxy ------------------------------------------------------------


def test_split_target():
    assert split_target("/latest/?a=1") == (None, "/latest/?a=1")
    assert split_target("http://WWW.Timesca.test:80/x/?q=1") == ("http://www.timesca.test",
                                                                 "/x/?q=1")
    assert split_target("http://timesca.test:8080") == ("http://timesca.test:8080", "/")


def test_replica_answers_absolute_form_for_the_host_named():
    site = ReplicaSite(ReplicaConfig(seed=4, posts=24, theme="classic"))
    with serve(site) as server:
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": server.proxy_url}))
        with opener.open(f"http://{WWW}/latest/") as resp:
            body = resp.read().decode()
        assert f'href="http://{WWW}/' in body and server.base_url not in body
        assert server.requests[-1]["path"] == "/latest/"
        assert server.urls == [f"http://{WWW}/latest/"] and server.hosts == {WWW}


def test_site_url_fixes_links_and_canonical_whatever_the_host():
    site = ReplicaSite(ReplicaConfig(seed=4, posts=24, theme="classic"))
    post = site.content.posts[0]
    with serve(site, site_url=f"http://{HOST}") as server:
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({"http": server.proxy_url}))
        with opener.open(f"http://{WWW}/{post.slug}/") as resp:
            body = resp.read().decode()
        # a plain loopback request gets the same page: the site has one address
        with urllib.request.urlopen(f"{server.base_url}/{post.slug}/") as resp:
            assert resp.read().decode() == body
    assert f'<link rel="canonical" href="http://{HOST}/{post.slug}/"' in body
    assert f'property="og:url" content="http://{HOST}/{post.slug}/"' in body
    assert WWW not in body and server.base_url not in body
    assert server.hosts == {WWW, "127.0.0.1"}


# -- crawls ----------------------------------------------------------------------------


def test_crawl_exits_cleanly(host_crawl: HostCrawl):
    assert host_crawl.returncode == 0, log_tail(host_crawl)
    assert "Traceback" not in host_crawl.log


def test_every_post_stored_once_under_its_canonical_url(host_crawl: HostCrawl):
    posts = {p["post_id"]: p for p in host_crawl.truth["posts"]}
    assert len(posts) == 24 and all(p["reachable"] for p in posts.values())
    rows = host_crawl.table("articles")
    assert len(rows) == len(posts), (
        f"{len(rows)} of {len(posts)} posts stored\n{log_lines(host_crawl)}")
    assert sorted(r["post_id"] for r in rows) == sorted(posts)
    for row in rows:
        expected = posts[row["post_id"]]
        assert row["url"] == expected["url"], row["url"]
        assert urlsplit(row["url"]).hostname == urlsplit(host_crawl.link_base).hostname
        assert row["title"] == expected["title"], row["url"]
    assert host_crawl.summary["articles_written"] == len(posts)


def test_archive_walked_to_its_end(host_crawl: HostCrawl):
    latest = next(a for a in host_crawl.summary["archives"] if a["archive"] == "latest")
    expected = host_crawl.truth["archives"]["latest"]
    assert (latest["found"], latest["pages"]) == (expected["posts"], expected["pages"]), (
        latest, log_lines(host_crawl))
    assert latest["end"] in {"404-past-last-page", "no-next-link"}, latest


def test_each_post_fetched_once_and_nothing_off_the_site(host_crawl: HostCrawl):
    hosts = {urlsplit(u).hostname for u in host_crawl.urls}
    assert host_crawl.urls and hosts <= {HOST, WWW}, hosts
    fetched = Counter(urlsplit(u).path for u in host_crawl.urls)
    for post in host_crawl.truth["posts"]:
        assert fetched[urlsplit(post["url"]).path] == 1, (post["url"], host_crawl.urls)
    # every request the crawler made reached the replica through the proxy
    assert host_crawl.summary["requests"] == len(host_crawl.urls)


def test_nothing_dropped_as_offsite(host_crawl: HostCrawl):
    assert host_crawl.summary["requests"] > 0, log_tail(host_crawl)
    # last_run.json has no offsite figure today; one added later must be zero
    summary = host_crawl.summary
    offsite = {k: v for k, v in flatten(summary).items() if "offsite" in k and v}
    assert offsite == {}, offsite
    # Scrapy's own counters are only in the stats dump at the end of the log
    assert "Dumping Scrapy stats:" in host_crawl.log, log_tail(host_crawl)
    filtered = log_lines(host_crawl, r"Filtered offsite request|canonical.*offsite")
    assert filtered == "", filtered
    assert stats_in_log(host_crawl, OFFSITE_STATS) == {}, log_lines(host_crawl)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a/b": v}`` for nested dicts (lists of dicts by position)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}{k}/"))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}{i}/"))
        return out
    return {prefix.rstrip("/"): value}
