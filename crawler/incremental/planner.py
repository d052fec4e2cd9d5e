"""Which article pages a run fetches, and why: the incremental policy, without Scrapy.

The spider asks the :class:`Planner` at each decision point (the start, an archive page,
a post sitemap, the end of the sitemaps) and turns each :class:`Fetch` it gets into a
request; the planner never fetches, parses or reads storage, so every rule here is
unit-tested without a crawl (tests/test_incremental_planner.py).

Reasons (stats ``incremental/<reason>``, except ``listing``):

- ``listing``: linked from an archive page and not stored (in a full run: every link);
- ``retry_failed``: a fetch that failed in an earlier run (``RETRY_FAILED_DAYS``);
- ``sitemap_new``: listed in a post sitemap, never stored, and the archives will not
  reach it (only when the whole site is crawled and its archives are caught up);
- ``sitemap_refetch``: stored, and its sitemap ``<lastmod>`` is newer than the stored
  copy (or the stored copy is flagged removed);
- ``removal_check``: stored, listed by a sitemap last run and by none now;
- ``refresh_window``: stored, published within ``REFRESH_DAYS``, and no sitemap vouches
  that it is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from crawler.incremental.index import KnownPost, SeenIndex
from crawler.incremental.sitemaps import SitemapCheck, parse_lastmod


@dataclass(frozen=True)
class Fetch:
    """An article page to fetch: its URL, why, and the stored copy if there is one."""

    url: str
    reason: str
    known: KnownPost | None = None


@dataclass
class ListingPlan:
    """What one archive page leads to."""

    fetches: list[Fetch] = field(default_factory=list)
    #: links skipped because the post is stored (incremental runs)
    known_skipped: int = 0
    #: every post on the page is accounted for and the archive was read to its end
    #: before: the rest of it was seen, pagination stops here
    caught_up: bool = False


@dataclass
class SitemapPlan:
    """What one post sitemap leads to."""

    fetches: list[Fetch] = field(default_factory=list)
    #: URLs left out because the run took SITEMAP_MAX_URLS already
    capped: int = 0


class Planner:
    """The fetch decisions of one run over ``index`` (what earlier runs stored).

    ``incremental``: skip what is stored (False for a full crawl, which still knows the
    stored posts so that 404/304 answers are understood); ``listings`` and ``max_pages``:
    the archives the run walks, which tell whether it covers the whole site.
    """

    def __init__(self, index: SeenIndex, *, incremental: bool, refresh_days: float,
                 listings: list[str], max_pages: int | None, sitemap_max_urls: int) -> None:
        self.index = index
        self.incremental = incremental
        self.refresh_days = refresh_days
        self.sitemap_max_urls = sitemap_max_urls
        whole = [a for a in listings if a in ("latest", "")]
        #: posts never stored are fetched from the sitemaps only when the run crawls the
        #: whole site (``latest`` or the home page, no max_pages) and those archives are
        #: caught up: a first crawl's pagination reaches every post anyway
        self.sitemap_discovers = (incremental and max_pages is None and bool(whole)
                                  and all(a in index.completed_archives for a in whole))
        #: URLs already planned this run (each article is fetched once)
        self.requested: set[str] = set()
        #: post URLs taken from the sitemaps this run
        self.sitemap_urls = 0

    def fetch(self, url: str, reason: str) -> Fetch | None:
        """``url`` for ``reason``, unless the run fetches it already."""
        if url in self.requested:
            return None
        self.requested.add(url)
        return Fetch(url, reason, self.index.get(url))

    def _fetches(self, wanted: Iterable[tuple[str, str]]) -> list[Fetch]:
        return [f for f in (self.fetch(url, reason) for url, reason in wanted) if f]

    def start(self) -> list[Fetch]:
        """Fetches planned before any page is read: earlier failures to try again."""
        return self._fetches((url, "retry_failed") for url in self.index.retry_urls)

    def listing(self, archive: str, posts: list[str]) -> ListingPlan:
        """The posts an archive page links (canonical, on this site)."""
        plan = ListingPlan()
        for url in posts:
            known = self.index.get(url)
            if self.incremental and known is not None and known.removed_at is None:
                plan.known_skipped += 1
                continue
            found = self.fetch(url, "listing")
            if found is not None:
                plan.fetches.append(found)
        plan.caught_up = (self.incremental and archive in self.index.completed_archives
                          and all(self.index.accounted_for(url) for url in posts))
        return plan

    def sitemap(self, urls: dict[str, str | None]) -> SitemapPlan:
        """The post URLs one sitemap lists, with their ``<lastmod>`` text."""
        plan = SitemapPlan()
        discover = self.sitemap_discovers
        wanted = []
        for url, text in urls.items():
            if self.sitemap_urls >= self.sitemap_max_urls:
                plan.capped += 1
                continue
            self.sitemap_urls += 1
            known = self.index.get(url)
            if known is not None:
                changed = parse_lastmod(text)
                if known.removed_at is not None or (
                        changed is not None and changed > known.changed_at):
                    wanted.append((url, "sitemap_refetch"))
            elif discover and not self.index.accounted_for(url):
                wanted.append((url, "sitemap_new"))
        plan.fetches = self._fetches(wanted)
        return plan

    def after_sitemaps(self, sitemaps: SitemapCheck, now: datetime) -> tuple[list[Fetch], int]:
        """Once the sitemaps are read: removal candidates, then the refresh window.
        Also returns how many refresh candidates a sitemap vouched for (not fetched)."""
        wanted = []
        for url in sorted(sitemaps.unlisted()):
            known = self.index.get(url)
            if known is not None and known.removed_at is None:
                wanted.append((url, "removal_check"))
        vouched = 0
        if self.incremental:
            listed = sitemaps.listed()
            for known in self.index.recent(now, self.refresh_days):
                stamp = listed.get(known.url)
                if known.url in listed and stamp is not None and stamp <= known.changed_at:
                    vouched += 1
                    continue
                wanted.append((known.url, "refresh_window"))
        return self._fetches(wanted), vouched


__all__ = ["Fetch", "ListingPlan", "Planner", "SitemapPlan"]
