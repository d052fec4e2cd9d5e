"""Per-archive completeness: posts found against what the archive says it holds.

The "Viewing results A - B of N" line cannot be trusted blindly (tag archives
repeat "1 - 6" on every page, totals go missing, shrink below the range or
contradict it), so the report flags each oddity instead of acting on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Flags an archive report can carry, with what each means.
FLAGS = {
    "total-missing": "a 'Viewing results' line had no total",
    "total-below-range": "a 'Viewing results' total was smaller than its own range",
    "range-not-following-page": "a page's range did not match its page number",
    "total-changed": "pages of one archive reported different totals",
    "no-results-line": "a page had no 'Viewing results' line",
    "found-differs-from-total": "posts found differ from the reported total",
}


@dataclass
class ArchiveReport:
    """What one crawl saw of one archive (e.g. ``category/kazakhstan``)."""

    path: str
    pages: int = 0
    posts: set[str] = field(default_factory=set)
    reported_total: int | None = None
    per_page: int | None = None
    flags: set[str] = field(default_factory=set)
    end: str | None = None
    #: the largest total a "Viewing results" line of this archive reported
    max_total: int | None = None

    def add_page(self, page: int, post_urls: list[str], results: Any | None) -> int:
        """Record one listing page: its canonical post URLs and its results line. Returns
        how many of the posts no earlier page of this walk listed."""
        self.pages += 1
        new = len(set(post_urls) - self.posts)
        self.posts.update(post_urls)
        if page == 1 and post_urls:
            self.per_page = len(post_urls)
        if results is None:
            if post_urls:
                self.flags.add("no-results-line")
            return new
        first, last, total = results.first, results.last, results.total
        if total is None:
            self.flags.add("total-missing")
        else:
            self.max_total = max(self.max_total or 0, total)
            if total < last:
                self.flags.add("total-below-range")
            if self.reported_total is None:
                self.reported_total = total
            elif total != self.reported_total:
                self.flags.add("total-changed")
        if self.per_page and first != (page - 1) * self.per_page + 1:
            self.flags.add("range-not-following-page")
        return new

    def overran(self, factor: float) -> bool:
        """Has the walk given ``factor`` times the posts the archive reports (plus 60)? Its
        totals can be wrong (``2335 - 2340 of 803``), never by that much."""
        return self.max_total is not None and len(self.posts) > factor * self.max_total + 60

    def bound(self, max_pages: int | None, page_limit: int,
              overrun: float) -> tuple[str, str | None] | None:
        """The limit that ends the walk after this page, if one does: (end reason, why it
        is a warning, or None for the user's own ``max_pages``)."""
        if max_pages is not None and self.pages >= max_pages:
            return "max-pages", None
        if self.pages >= page_limit:
            return "page-limit", f"ARCHIVE_MAX_PAGES ({page_limit}) reached"
        if self.overran(overrun):
            return "past-reported-end", (f"{len(self.posts)} posts found, the archive "
                                         f"reports {self.max_total} (ARCHIVE_OVERRUN "
                                         f"{overrun:g})")
        return None

    def finish(self, reason: str) -> None:
        """Record why pagination of this archive stopped (first reason wins)."""
        if self.end is None:
            self.end = reason

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready summary; ``complete`` is None when there is no usable total, or
        when the archive was only read until caught up (end "caught-up")."""
        found = len(self.posts)
        flags = set(self.flags)
        complete = None
        # "caught-up": an incremental run stopped at the first page holding nothing new;
        # finding fewer posts than the archive reports is then expected, not a gap
        if (self.end != "caught-up" and self.reported_total is not None
                and "total-below-range" not in flags):
            complete = found >= self.reported_total
            if found != self.reported_total and self.end is not None:
                flags.add("found-differs-from-total")
        return {
            "archive": self.path,
            "pages": self.pages,
            "found": found,
            "reported_total": self.reported_total,
            "complete": complete,
            "end": self.end,
            "flags": sorted(flags),
        }


class ArchiveTracker:
    """All archive reports of a crawl, keyed by archive path."""

    def __init__(self) -> None:
        self.reports: dict[str, ArchiveReport] = {}

    def __getitem__(self, path: str) -> ArchiveReport:
        if path not in self.reports:
            self.reports[path] = ArchiveReport(path)
        return self.reports[path]

    def as_list(self) -> list[dict[str, Any]]:
        return [r.as_dict() for r in self.reports.values()]
