"""The framework ceiling: a bare Scrapy spider fetching the pages the project's crawl fetches.

It walks the same archive (``/latest/``) by its ``rel=next`` links, follows each post's
title link, and reads a few fields with parsel; no item pipelines, no extensions beyond
Scrapy's defaults, the same concurrency as the project's crawl with ``POLITE=0``.

``python -m bench.ceiling BASE_URL --json OUT`` writes the crawl's counts and timings.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

from crawler.addons import PoliteSwitch

from .measure import run_measured, throughput, vm_hwm_mb

#: What the project's crawl runs with under POLITE=0 (crawler/addons.py), nothing else.
SETTINGS: dict[str, Any] = {
    **PoliteSwitch.FAST,
    "ROBOTSTXT_OBEY": True,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "INFO",
    "USER_AGENT": "timesca-bench-ceiling",
}


def _permalink(url: str) -> str:
    """Query and fragment off, a trailing slash: the archive links some posts without one,
    and fetching both forms (a redirect each) would not be the same pages as the crawl."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class BareSpider(scrapy.Spider):
    """Listing pages and article pages, a handful of selects, nothing stored."""

    name = "bare"

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    async def start(self) -> Any:
        """The archive's first page."""
        yield scrapy.Request(f"{self.base_url}/latest/", self.parse)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """A listing page: its posts' title links and the next page."""
        for href in response.xpath("//article//*[self::h2 or self::h3]/a/@href").getall():
            yield scrapy.Request(_permalink(response.urljoin(href)), self.parse_article,
                                 priority=1)
        next_page = response.css("link[rel=next]::attr(href)").get()
        if next_page:
            yield response.follow(next_page, self.parse)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        """An article page: a few fields, as a minimal scraper would take them."""
        yield {
            "url": response.url,
            "title": response.css("h1::text").get(),
            "published": response.css(
                "meta[property='article:published_time']::attr(content)").get(),
            "body": " ".join(response.css("article p::text").getall()),
        }


def run_ceiling(site: Any, workdir: Path) -> dict[str, Any]:
    """Run the bare spider against ``site`` (a :class:`bench.server.Replica`) and measure it."""
    out = workdir / "ceiling.json"
    site.mark()
    run = run_measured([sys.executable, "-m", "bench.ceiling", site.base_url, "--json", str(out)],
                       log_path=workdir / "ceiling.log")
    if run.returncode != 0:
        raise RuntimeError(f"bare spider exited {run.returncode}; see {run.log}")
    requests, _ = site.requests_since_mark()
    data = json.loads(out.read_text(encoding="utf-8"))
    return {**throughput(run, requests, data["items"]),
            "peak_rss_mb": data.get("peak_rss_mb") or run.peak_rss_mb}


def main(argv: list[str] | None = None) -> int:
    """Crawl, then write the stats as JSON."""
    ap = argparse.ArgumentParser(prog="python -m bench.ceiling")
    ap.add_argument("base_url")
    ap.add_argument("--json", required=True)
    args = ap.parse_args(argv)
    process = CrawlerProcess(SETTINGS)
    crawler = process.create_crawler(BareSpider)
    start = time.perf_counter()
    process.crawl(crawler, base_url=args.base_url)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    out = {
        "wall_s": time.perf_counter() - start,
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "items": stats.get("item_scraped_count", 0),
        "elapsed_s": stats.get("elapsed_time_seconds"),
        "peak_rss_mb": vm_hwm_mb(),
    }
    with open(args.json, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=2)
    return 0 if out["items"] else 3


if __name__ == "__main__":
    sys.exit(main())
