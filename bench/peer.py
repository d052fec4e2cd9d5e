"""The benchmark's peer: trafilatura's own discovery, downloader and extractor on the replica.

    python -m bench.peer BASE_URL --ground-truth GT.json --json OUT.json [--threads N]
        [--max-seen N] [--discovery explore|sitemap|crawl]

Discovery: the strategy trafilatura itself offers for a whole site, its CLI's ``--explore``
(``cli_utils.cli_discovery``): ``sitemaps.sitemap_search`` from the home page (robots.txt
``Sitemap:`` lines, else its guesses, nested sitemaps followed) and, only for a site where
that finds nothing at all, the focused crawler. Sitemaps come first because they are the
cheap, complete listing a WordPress/Yoast site publishes: a handful of requests instead of
one per listing page; the crawler is the fallback (``--no-sitemaps`` replicas, or
``--discovery crawl``). The crawl uses the documented continuation pattern: rounds of
``spider.focused_crawler`` fed back their ``todo``/``known_links`` while
``spider.is_still_navigation(todo)`` (the crawler visits navigation pages first, so once
none is left it would only fetch the articles a second time), at most ``--max-seen`` pages.
Feeds (``feeds.find_feed_urls``) are not used: the RSS feed lists only the 10 newest posts.

Download and extraction, as the CLI's download queue does it: ``downloads.buffered_downloads``
(``fetch_url`` in a thread pool; ``--threads`` defaults to the CLI's ``--parallel`` default,
``settings.PARALLEL_CORES``), each page extracted in the consuming thread as it arrives, with
``bare_extraction(html, url=..., with_metadata=True)`` and otherwise default settings (neither
``favor_precision`` nor ``favor_recall``; metadata only for the title). The body is the
document's main ``text`` (comments, a separate field, are not part of it).

Fairness, every deviation from trafilatura's defaults:
- politeness off where trafilatura allows it: ``SLEEP_TIME = 0`` (crawler, sitemap search);
  the per-host one-URL-per-round schedule of ``load_download_buffer`` is not used, the
  article list goes to ``buffered_downloads`` whole (through the queue, one host means one
  download at a time whatever ``--threads``). Other download settings stay at their defaults
  (``DOWNLOAD_TIMEOUT`` 30 s: nothing hangs; ``MAX_REDIRECTS`` 2; retries on 5xx).
- ``SSRF_PROTECTION = off``: trafilatura's setting for intranet use; the replica is loopback.
- the replica is addressed as ``IP:port``, which courlan 1.4 rejects (its IPv4 pattern and
  host filter allow no port; ``domain:port`` passes). Left as is, sitemap search and crawler
  find 0 URLs, so while the peer runs, ``courlan.urlutils.get_tldinfo`` and
  ``courlan.core.domain_filter`` see BASE_URL's host without its port, exactly as they see
  timesca.com. Nothing else in courlan or trafilatura is touched.
- the ground truth is used only after discovery: discovered URLs that are no article (home,
  archives, author pages) are not downloaded, and one URL per article is kept (the canonical
  one if discovered). Both counts are in the JSON (``urls_discovered``,
  ``articles_discovered``). Article bodies are read only after the crawl, for scoring.

Timings: ``wall_s`` runs from ``main()`` to the last extraction (scoring is excluded, see
``score_s``); ``download_s`` ends with the last response; downloads and extraction overlap,
so ``extract_s`` (wall time inside ``bare_extraction``) is not added to it. Peak RSS includes
every downloaded page: ``buffered_downloads`` keeps its futures, and so their HTML, until the
whole batch has been consumed.

Every HTTP request goes through urllib3 (pycurl is not installed; with pycurl the count would
be ``null``), and is counted on the wire, redirect hops and retries included
(``requests_by_trafilatura``; it should equal the replica's request log).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import socket
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import courlan.core
import courlan.urlutils
import trafilatura
import urllib3.connection
from courlan import get_base_url
from trafilatura import bare_extraction, spider
from trafilatura import downloads as tdownloads
from trafilatura.downloads import buffered_downloads
from trafilatura.settings import PARALLEL_CORES, Extractor, use_config
from trafilatura.sitemaps import sitemap_search

from tests.metrics import token_f1

#: pages per focused_crawler round (trafilatura's own default per call is 10)
CRAWL_ROUND = 50
DEFAULT_MAX_SEEN = 20_000
_IPV4_PORT = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){3}):\d+$")


class PeerError(Exception):
    """A setup problem reported as one line with exit status 2."""


# ---------------------------------------------------------------- request counting
@dataclass
class RequestCounter:
    """Counts HTTP requests urllib3 sends (each redirect hop and retry), per phase."""

    phase: str = "setup"
    by_phase: Counter[str] = field(default_factory=Counter)
    last_response: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def total(self) -> int:
        """All requests so far."""
        return sum(self.by_phase.values())

    @contextmanager
    def installed(self) -> Iterator[RequestCounter]:
        """Observe ``urllib3.connection.HTTPConnection`` while the block runs."""
        cls = urllib3.connection.HTTPConnection
        request, getresponse = cls.request, cls.getresponse
        counter = self

        def counted_request(conn: Any, method: str, url: str, *args: Any, **kw: Any) -> None:
            with counter._lock:
                counter.by_phase[counter.phase] += 1
            return request(conn, method, url, *args, **kw)

        def timed_getresponse(conn: Any) -> Any:
            resp = getresponse(conn)
            counter.last_response = time.perf_counter()
            return resp

        cls.request = counted_request  # type: ignore[method-assign]
        cls.getresponse = timed_getresponse  # type: ignore[method-assign]
        try:
            yield self
        finally:
            cls.request = request  # type: ignore[method-assign]
            cls.getresponse = getresponse  # type: ignore[method-assign]


# ---------------------------------------------------------------- courlan and IP:port hosts
@contextmanager
def ip_port_host_as_domain(base_url: str) -> Iterator[None]:
    """Let courlan accept ``base_url``'s ``IPv4:port`` host as it accepts ``domain:port``.

    Only URLs on that very host are affected: courlan sees them without the port (which it
    strips from domain names anyway). A host that is not an IPv4 literal with a port: no-op.
    """
    netloc = urlsplit(base_url).netloc
    match = _IPV4_PORT.match(netloc)
    if not match:
        yield
        return
    host = match[1]
    prefixes = (f"http://{netloc}", f"https://{netloc}")
    get_tldinfo = courlan.urlutils.get_tldinfo
    domain_filter = courlan.core.domain_filter

    def tldinfo(url: str, fast: bool = False) -> tuple[str | None, str | None]:
        if isinstance(url, str) and url.startswith(prefixes):
            url = url.replace(netloc, host, 1)
        return get_tldinfo(url, fast=fast)

    def host_filter(domain: str) -> bool:
        return domain_filter(host if domain == netloc else domain)

    courlan.urlutils.get_tldinfo = tldinfo
    courlan.core.domain_filter = host_filter
    try:
        yield
    finally:
        courlan.urlutils.get_tldinfo = get_tldinfo
        courlan.core.domain_filter = domain_filter


# ---------------------------------------------------------------- ground truth
def url_key(url: str) -> str:
    """Scheme, host and path with a trailing slash: how article URL variants are matched."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc.lower()}{path}"


def read_truth(path: Path) -> dict[str, Any]:
    """A ground truth file (tests/replica/groundtruth.py)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PeerError(f"cannot read ground truth {path}: {exc}") from exc


@dataclass(frozen=True)
class ArticleIndex:
    """What the peer keeps of the ground truth while it runs: article URLs and post ids.

    The bodies are read again only for scoring, after the crawl, so that they do not add to
    the peak RSS the bench measures for trafilatura.
    """

    canonical: dict[int, str]
    by_key: dict[str, int]
    expected: frozenset[int]  # reachable posts, as tests/holdout_report.py counts them

    @classmethod
    def load(cls, path: Path) -> ArticleIndex:
        """Index a ground truth file."""
        posts = read_truth(path)["posts"]
        by_key = {
            url_key(u): p["post_id"] for p in posts for u in (p["url"], *p.get("old_urls", []))
        }
        return cls(
            {p["post_id"]: p["url"] for p in posts},
            by_key,
            frozenset(p["post_id"] for p in posts if p["reachable"]),
        )

    def pick_articles(self, urls: list[str]) -> dict[int, str]:
        """One discovered URL per article: the canonical one if discovered, else the first."""
        chosen: dict[int, str] = {}
        for url in urls:
            pid = self.by_key.get(url_key(url))
            if pid is not None and (pid not in chosen or url == self.canonical[pid]):
                chosen[pid] = url
        return chosen


def score(path: Path, got: dict[int, tuple[str, str | None]]) -> tuple[list[float], list[bool]]:
    """Body token F1 (as tests/holdout_report.py) and title equality per post in ``got``."""
    posts = {p["post_id"]: p for p in read_truth(path)["posts"]}
    f1s = [token_f1(text, posts[pid]["body_text"]) for pid, (text, _) in got.items()]
    titles = [title == posts[pid]["title"] for pid, (_, title) in got.items()]
    return f1s, titles


# ---------------------------------------------------------------- discovery
def crawl(start: str, config: Any, max_seen: int) -> tuple[list[str], int]:
    """Focused crawl in rounds while navigation pages are left: (known URLs, pages seen)."""
    rules = spider.get_rules(get_base_url(start), config)

    def seen() -> int:
        return sum(spider.URL_STORE.get_all_counts())

    todo, known = spider.focused_crawler(
        start, max_seen_urls=min(CRAWL_ROUND, max_seen), config=config, rules=rules
    )
    while todo and spider.is_still_navigation(todo) and seen() < max_seen:
        before = seen()
        todo, known = spider.focused_crawler(
            start, max_seen_urls=min(CRAWL_ROUND, max_seen - before), todo=todo,
            known_links=known, config=config, rules=rules,
        )
        if seen() == before:
            break
    return list(dict.fromkeys(known + todo)), seen()


def discover(start: str, mode: str, config: Any, max_seen: int) -> tuple[str, list[str], int]:
    """URLs found by ``mode``: (what ran, URLs, pages the crawler visited)."""
    if mode in ("explore", "sitemap"):
        urls = sitemap_search(start, sleep_time=0.0, config=config)
        if urls or mode == "sitemap":
            return "sitemap", urls, 0
        urls, seen = crawl(start, config, max_seen)
        return "sitemap->crawl", urls, seen
    urls, seen = crawl(start, config, max_seen)
    return "crawl", urls, seen


# ---------------------------------------------------------------- the job
def check_reachable(base_url: str, timeout: float = 5.0) -> None:
    """TCP connect to BASE_URL's host (no HTTP request, so nothing in the server's log)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PeerError(f"not an http(s) URL: {base_url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError as exc:
        raise PeerError(f"BASE_URL unreachable: {base_url} ({exc})") from exc


def _stats(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"median": None, "mean": None, "min": None, "count": 0}
    return {
        "median": round(statistics.median(values), 4),
        "mean": round(statistics.fmean(values), 4),
        "min": round(min(values), 4),
        "count": len(values),
    }


def run(base_url: str, truth_path: Path, *, threads: int = PARALLEL_CORES,
        max_seen: int = DEFAULT_MAX_SEEN, mode: str = "explore",
        clock_start: float | None = None) -> dict[str, Any]:
    """Discover, download and extract; the result dict written as JSON."""
    started = time.perf_counter() if clock_start is None else clock_start
    base = base_url.rstrip("/")
    check_reachable(base)
    index = ArticleIndex.load(truth_path)
    config = use_config()  # a fresh parser: the module-wide DEFAULT_CONFIG stays untouched
    config.set("DEFAULT", "SLEEP_TIME", "0")
    config.set("DEFAULT", "SSRF_PROTECTION", "off")
    options = Extractor(config=config)
    counter = RequestCounter()
    found: dict[int, tuple[str, str | None]] = {}  # post id: (text, title), not the Document
    failed_download = failed_extract = 0
    extract_s = extract_cpu_s = 0.0
    with counter.installed(), ip_port_host_as_domain(base):
        counter.phase = "discover"
        t0 = time.perf_counter()
        discovery, urls, crawled = discover(base + "/", mode, config, max_seen)
        targets = index.pick_articles(urls)
        t1 = time.perf_counter()
        counter.phase = "download"
        counter.last_response = t1
        post_of = {url: pid for pid, url in targets.items()}
        for url, html in buffered_downloads(list(targets.values()), threads, options=options):
            if not html:
                failed_download += 1
                continue
            w0, c0 = time.perf_counter(), time.thread_time()
            try:
                doc = bare_extraction(html, url=url, with_metadata=True, config=config)
            except Exception:  # the CLI's examine() catches everything too
                doc = None
            extract_s += time.perf_counter() - w0
            extract_cpu_s += time.thread_time() - c0
            if doc is None or not getattr(doc, "text", None):
                failed_extract += 1
                continue
            found[post_of[url]] = (doc.text, doc.title)
        t2 = time.perf_counter()
    wall = t2 - started  # the job; scoring below is the bench's bookkeeping
    expected = index.expected
    hits = {pid: got for pid, got in found.items() if pid in expected}
    f1s, titles = score(truth_path, hits)
    pycurl = bool(getattr(tdownloads, "HAS_PYCURL", False))
    return {
        "discovery": discovery,
        "discovery_mode": mode,
        "articles_found": len(hits),
        "articles_expected": len(expected),
        "wall_s": round(wall, 3),
        "discover_s": round(t1 - t0, 3),
        "download_s": round(counter.last_response - t1, 3),
        "extract_s": round(extract_s, 3),
        "extract_cpu_s": round(extract_cpu_s, 3),
        "download_extract_s": round(t2 - t1, 3),
        "score_s": round(time.perf_counter() - t2, 3),
        "articles_per_s": round(len(hits) / wall, 2) if wall > 0 else None,
        "requests_by_trafilatura": None if pycurl else counter.total,
        "requests_by_phase": dict(counter.by_phase),
        "urls_discovered": len(urls),
        "articles_discovered": len(targets),
        "pages_crawled": crawled,
        "download_failed": failed_download,
        "extract_failed": failed_extract,
        "body_f1": _stats(f1s),
        "title_exact": round(sum(titles) / len(titles), 4) if titles else None,
        "threads": threads,
        "max_seen": max_seen,
        "version": trafilatura.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 when the JSON is written, 2 on a setup error (one line on stderr)."""
    started = time.perf_counter()
    ap = argparse.ArgumentParser(prog="python -m bench.peer", description=__doc__.split("\n")[0])
    ap.add_argument("base_url")
    ap.add_argument("--ground-truth", required=True, type=Path)
    ap.add_argument("--json", required=True, type=Path, help="write the result here")
    ap.add_argument("--threads", type=int, default=PARALLEL_CORES,
                    help=f"download threads (trafilatura CLI default here: {PARALLEL_CORES})")
    ap.add_argument("--max-seen", type=int, default=DEFAULT_MAX_SEEN,
                    help="most pages the focused crawler visits (when it runs)")
    ap.add_argument("--discovery", choices=("explore", "sitemap", "crawl"), default="explore",
                    help="explore (default): sitemaps, the crawler if they list nothing")
    args = ap.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.ERROR,
                        format="peer: %(name)s: %(message)s")
    try:
        if args.threads < 1 or args.max_seen < 1:
            raise PeerError("--threads and --max-seen must be at least 1")
        result = run(args.base_url, args.ground_truth, threads=args.threads, max_seen=args.max_seen,
                     mode=args.discovery, clock_start=started)
    except PeerError as exc:
        print(f"bench.peer: error: {exc}", file=sys.stderr)
        return 2
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(
        f"bench.peer: {result['discovery']}: {result['articles_found']}/"
        f"{result['articles_expected']} articles, {result['requests_by_trafilatura']} requests, "
        f"{result['wall_s']:.1f} s, body F1 median {result['body_f1']['median']}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
