"""The site's XML sitemaps as an incremental signal: which post sitemaps changed since the
last run, which URLs they list with which ``<lastmod>``, which they no longer list.

Parsing is Scrapy's (:mod:`scrapy.utils.sitemap`: ``Sitemap``,
``sitemap_urls_from_robots``; gzip sitemaps through :func:`scrapy.utils.gz.gunzip`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response, XmlResponse
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from crawler.dates import read_date
from crawler.urls import canonical_url, same_site

#: version of the sitemap state file's layout
STATE_VERSION = 1
#: sitemap file names that list posts: Yoast ``post-sitemapN.xml``, WordPress core
#: ``wp-sitemap-posts-post-N.xml``, a plain ``sitemap.xml`` / ``sitemapN.xml`` (also
#: gzipped, ``.xml.gz``)
_POST_SITEMAP = re.compile(
    r"(^|/)(post-sitemap\d*|wp-sitemap-posts-post-\d+|sitemap\d*)\.xml(\.gz)?$")


def is_post_sitemap(url: str) -> bool:
    """Whether a sitemap (by its file name) lists posts, not pages or terms or authors."""
    return bool(_POST_SITEMAP.search(urlsplit(url).path))


def parse_lastmod(text: str | None) -> datetime | None:
    """A sitemap ``<lastmod>`` (W3C datetime or date) as a UTC datetime, None if unusable."""
    if not text:
        return None
    found = read_date(text)
    return found.to_datetime(UTC) if found else None


def sitemap_body(response: Response, max_size: int) -> bytes | None:
    """The XML of a sitemap response, gunzipped when the site serves ``.xml.gz`` (as
    WordPress sitemap plugins do), at most ``max_size`` bytes once inflated (None past
    that, or for a broken gzip file)."""
    if not isinstance(response, XmlResponse) and gzip_magic_number(response):
        try:
            return gunzip(response.body, max_size=max_size)
        except (OSError, EOFError, ValueError):  # broken, cut short, or past max_size
            return None
    return response.body


def read_sitemap(body: bytes | None) -> tuple[str, list[tuple[str, str | None]]]:
    """("sitemapindex" or "urlset", [(loc, lastmod text)]) of a sitemap document
    (Scrapy's :class:`~scrapy.utils.sitemap.Sitemap`: no entities, no network)."""
    if not body:
        return "invalid", []
    try:
        document = Sitemap(body)
        entries = [(e["loc"].strip(), e.get("lastmod")) for e in document if e.get("loc")]
    except Exception:  # not XML at all: no sitemap signal
        return "invalid", []
    return document.type, entries


class SitemapCheck:
    """One run's reading of the post sitemaps against the previous run's state.

    State layout (``OUTPUT_DIR/state/sitemaps.json``)::

        {"version": 1, "base_url": ..., "sitemaps": {sitemap URL: {"lastmod": str|None,
          "urls": {post URL: lastmod str|None}}}}

    A post sitemap is fetched when the index shows a ``<lastmod>`` other than the stored
    one (or none); an unchanged one keeps its stored URL list. A sitemap that failed
    keeps its old entry, so the next run fetches it again.
    """

    def __init__(self, base_url: str, state: dict[str, Any] | None) -> None:
        self.base_url = base_url
        usable = (isinstance(state, dict) and state.get("version") == STATE_VERSION
                  and state.get("base_url") == base_url)
        self.old: dict[str, dict[str, Any]] = dict(state["sitemaps"]) if usable else {}
        self.current: dict[str, dict[str, Any]] = {}
        self.pending: set[str] = set()
        self.failed: set[str] = set()
        self.read_index = False
        #: the run began reading the sitemaps (or decided to go without them)
        self.started = False

    def plan(self, entries: list[tuple[str, str | None]]) -> list[str]:
        """The post sitemaps of an index to fetch now (the unchanged ones are kept)."""
        self.read_index = True
        fetch = []
        for loc, lastmod in entries:
            if not same_site(loc, self.base_url) or not is_post_sitemap(loc):
                continue
            old = self.old.get(loc)
            if old is not None and lastmod and old.get("lastmod") == lastmod:
                self.current[loc] = old
            elif loc not in self.pending:
                self.pending.add(loc)
                fetch.append(loc)
        return fetch

    def add(self, loc: str, lastmod: str | None, entries: list[tuple[str, str | None]]) -> None:
        """A post sitemap read: its URLs (canonical, this site only) and their lastmod."""
        self.read_index = True
        urls = {canonical_url(u): m for u, m in entries if same_site(u, self.base_url)}
        self.current[loc] = {"lastmod": lastmod, "urls": urls}
        self.pending.discard(loc)

    def fail(self, loc: str) -> None:
        self.failed.add(loc)
        self.pending.discard(loc)

    @property
    def done(self) -> bool:
        return not self.pending

    def listed(self) -> dict[str, datetime | None]:
        """Every post URL the site's post sitemaps list now, with its lastmod."""
        found: dict[str, datetime | None] = {}
        for entry in self.current.values():
            for url, lastmod in entry["urls"].items():
                found[url] = parse_lastmod(lastmod)
        return found

    def unlisted(self) -> set[str]:
        """URLs a sitemap listed last time that no sitemap lists now (removal candidates).

        Only sitemaps read again (or gone from the index) can lose URLs; a sitemap that
        failed this time is left out (its URLs are neither listed nor unlisted)."""
        if not self.read_index:
            return set()
        before: set[str] = set()
        for loc, entry in self.old.items():
            if loc in self.failed or self.current.get(loc) is entry:
                continue
            before.update(entry.get("urls", {}))
        now = set(self.listed())
        for loc in self.failed:
            now.update(self.old.get(loc, {}).get("urls", {}))
        return before - now

    def state(self) -> dict[str, Any]:
        """The state to publish with this run."""
        if not self.read_index:
            sitemaps = self.old
        else:
            sitemaps = dict(self.current)
            for loc in self.failed:
                if loc in self.old:
                    sitemaps[loc] = self.old[loc]
        return {"version": STATE_VERSION, "base_url": self.base_url, "sitemaps": sitemaps}


__all__ = ["SitemapCheck", "is_post_sitemap", "parse_lastmod", "read_sitemap", "sitemap_body",
           "sitemap_urls_from_robots"]
