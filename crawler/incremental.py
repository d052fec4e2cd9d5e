"""Incremental reruns: what the stored dataset already holds, and what the site says changed.

The spider decides with these objects, never by reading Parquet (that is
:func:`pipelines.store.seen.load_seen`):

- :class:`SeenIndex`: the stored posts (URL, post id, dates, removal, HTTP validators),
  the failed fetches to try again and the archives once paginated to their end;
- :class:`SitemapCheck`: one run's reading of the XML sitemaps against the sitemap state
  the previous run published (which post sitemaps changed, which URLs they list with
  which ``<lastmod>``, which URLs are no longer listed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from scrapy.utils.sitemap import Sitemap

from crawler.dates import read_date
from crawler.urls import canonical_url, same_site

#: version of the sitemap state file's layout
STATE_VERSION = 1
#: sitemap file names that list posts: Yoast ``post-sitemapN.xml``, WordPress core
#: ``wp-sitemap-posts-post-N.xml``, a plain ``sitemap.xml`` / ``sitemapN.xml``
_POST_SITEMAP = re.compile(r"(^|/)(post-sitemap\d*|wp-sitemap-posts-post-\d+|sitemap\d*)\.xml$")


@dataclass(frozen=True)
class KnownPost:
    """One stored article, as far as a rerun needs it."""

    url: str
    post_id: int | None
    published_at: datetime
    modified_at: datetime | None
    last_seen_at: datetime | None
    removed_at: datetime | None
    http_etag: str | None
    http_last_modified: str | None

    @property
    def changed_at(self) -> datetime:
        """The latest time the stored copy says the post changed."""
        return self.modified_at or self.published_at


class SeenIndex:
    """What earlier runs stored (see :class:`pipelines.store.seen.Seen`), keyed by canonical URL."""

    def __init__(self, articles: list[dict[str, Any]] | None = None,
                 retry_urls: list[str] | None = None,
                 completed_archives: set[str] | None = None) -> None:
        self.posts: dict[str, KnownPost] = {}
        for row in articles or []:
            url = canonical_url(row["url"])
            self.posts[url] = KnownPost(
                url=url, post_id=row.get("post_id"), published_at=row["published_at"],
                modified_at=row.get("modified_at"), last_seen_at=row.get("last_seen_at"),
                removed_at=row.get("removed_at"), http_etag=row.get("http_etag"),
                http_last_modified=row.get("http_last_modified"))
        self.retry_urls = [canonical_url(u) for u in retry_urls or []]
        self._retry = set(self.retry_urls)
        self.completed_archives = set(completed_archives or ())

    def __len__(self) -> int:
        return len(self.posts)

    def get(self, url: str) -> KnownPost | None:
        return self.posts.get(url)

    def accounted_for(self, url: str) -> bool:
        """Whether a listing's link needs nothing from the listing: stored (live or
        removed), or already to be retried at the start of the run."""
        return url in self.posts or url in self._retry

    def recent(self, now: datetime, days: float) -> list[KnownPost]:
        """Live stored posts published within ``days`` before ``now``, newest first."""
        if days <= 0:
            return []
        since = now - timedelta(days=days)
        found = [p for p in self.posts.values()
                 if p.removed_at is None and since <= p.published_at <= now + timedelta(days=1)]
        return sorted(found, key=lambda p: p.published_at, reverse=True)


# -- sitemaps ---------------------------------------------------------------------------


def robots_sitemaps(text: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, in order."""
    found = []
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            found.append(value.strip())
    return found


def is_post_sitemap(url: str) -> bool:
    """Whether a sitemap (by its file name) lists posts, not pages or terms or authors."""
    return bool(_POST_SITEMAP.search(urlsplit(url).path))


def parse_lastmod(text: str | None) -> datetime | None:
    """A sitemap ``<lastmod>`` (W3C datetime or date) as a UTC datetime, None if unusable."""
    if not text:
        return None
    found = read_date(text)
    return found.to_datetime(UTC) if found else None


def read_sitemap(body: bytes) -> tuple[str, list[tuple[str, str | None]]]:
    """("sitemapindex" or "urlset", [(loc, lastmod text)]) of a sitemap document."""
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


__all__ = ["KnownPost", "SeenIndex", "SitemapCheck", "is_post_sitemap", "parse_lastmod",
           "read_sitemap", "robots_sitemaps"]
