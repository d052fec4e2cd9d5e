"""What earlier runs stored, as a rerun needs it: :class:`SeenIndex` of :class:`KnownPost`,
keyed by canonical URL (loaded from the output directory by
:class:`crawler.incremental.state.IncrementalState`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crawler.urls import canonical_url


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


__all__ = ["KnownPost", "SeenIndex"]
