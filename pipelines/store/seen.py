"""What earlier runs stored, read for an incremental crawl (the spider never reads Parquet).

:func:`load_seen` reads a few columns of ``articles`` (no bodies), the ``rejects`` of
pages that failed, the per-archive ends of finished runs and the published state files
(``OUTPUT_DIR/state/*.json``, see :meth:`pipelines.store.commit.ParquetStore.stage_state`).
For 8,000 posts this is a few hundred kilobytes in memory.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pipelines.store.inputs import Inputs
from pipelines.store.layout import UrlKey, partitions
from pipelines.store.runs import read_runs
from pipelines.store.schemas import SCHEMAS

logger = logging.getLogger(__name__)

ARTICLE_COLUMNS = ("url", "post_id", "published_at", "modified_at", "last_seen_at",
                   "removed_at", "http_etag", "http_last_modified")
#: archive ends that mean "this archive was paginated to its last page".
#: an archive ended because it repeated itself or ran past any plausible end counts too: the
#: next run does not walk it again from page 1
NATURAL_ENDS = frozenset({"404-past-last-page", "no-next-link", "empty-page", "caught-up",
                          "no-new-posts", "past-reported-end", "page-limit",
                          "api-last-page"})
#: reject kinds worth a new try: a final HTTP/network error, or a page that did not
#: validate (e.g. cut short by a dying worker).
RETRIED_KINDS = ("http", "validation")


@dataclass
class Seen:
    """The dataset's memory: stored posts, failures to retry, completed archives, state."""

    #: one dict per stored article (ARTICLE_COLUMNS)
    articles: list[dict[str, Any]] = field(default_factory=list)
    #: URLs whose last fetch failed after the post was last stored (or never stored)
    retry_urls: list[str] = field(default_factory=list)
    #: archive paths a finished run of the same site paginated to the end
    completed_archives: set[str] = field(default_factory=set)
    #: published state files by name
    state: dict[str, Any] = field(default_factory=dict)


def _files(root: Path, dataset: str) -> list[Path]:
    return [p for files in partitions(root, dataset).values() for p in files]


def _read(root: Path, dataset: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """Some columns of every stored file; files of an older schema version read with the
    newer nullable columns null (see :mod:`pipelines.store.evolution`)."""
    files = _files(root, dataset)
    if not files:
        return []
    return Inputs(SCHEMAS[dataset], list(files)).read(list(columns)).to_pylist()


def completed_archives(root: Path, base_url: str) -> set[str]:
    """Archives a finished run of ``base_url`` paginated to their natural end."""
    done: set[str] = set()
    for run in read_runs(root).to_pylist():
        if run.get("finish_reason") != "finished":
            continue
        if dict(run.get("spider_args") or []).get("base_url") != base_url:
            continue
        for archive in run.get("archives") or []:
            if archive.get("end") in NATURAL_ENDS:
                done.add(archive["archive"])
    return done


def retry_urls(rejects: list[dict[str, Any]], stored: dict[str, datetime | None],
               now: datetime, days: float) -> list[str]:
    """Article URLs to fetch again: their latest failure is newer than the stored row's
    ``last_seen_at`` (or there is no row), and their first failure not older than
    ``days`` (so a page that never comes back stops costing a request)."""
    first: dict[str, datetime] = {}
    last: dict[str, datetime] = {}
    for reject in rejects:
        url, at = reject.get("url"), reject.get("recorded_at")
        if (not url or at is None or reject.get("kind") not in RETRIED_KINDS
                or (reject.get("reason") or "").startswith("listing page")):
            continue
        first[url] = min(first.get(url, at), at)
        last[url] = max(last.get(url, at), at)
    horizon = now - timedelta(days=days)
    found = []
    for url in sorted(first):
        if first[url] < horizon:
            continue
        if url in stored:
            seen = stored[url]
            if seen is not None and seen >= last[url]:
                continue
        found.append(url)
    return found


def load_seen(root: Path, base_url: str, *, url_key: UrlKey,
              on_site: Callable[[str], bool], retry_days: float = 30,
              now: datetime | None = None) -> Seen:
    """Everything an incremental run of the site at ``base_url`` needs to know about
    ``root`` (empty when new): rows of URLs ``on_site`` accepts, keyed by ``url_key``."""
    now = now or datetime.now(UTC)
    seen = Seen()
    if not root.is_dir():
        return seen
    seen.articles = [row for row in _read(root, "articles", ARTICLE_COLUMNS)
                     if row["url"] and on_site(row["url"])]
    stored = {url_key(r["url"]): r["last_seen_at"] for r in seen.articles}
    rejects = _read(root, "rejects", ("url", "kind", "reason", "recorded_at"))
    rejects = [r for r in rejects if r["url"] and on_site(r["url"])]
    for r in rejects:
        r["url"] = url_key(r["url"])
    seen.retry_urls = retry_urls(rejects, stored, now, retry_days)
    seen.completed_archives = completed_archives(root, base_url)
    for path in sorted((root / "state").glob("*.json")):
        try:
            seen.state[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:  # a broken state only costs requests
            logger.warning("Ignoring unreadable state file %s: %s", path, exc)
    return seen


__all__ = ["ARTICLE_COLUMNS", "NATURAL_ENDS", "Seen", "completed_archives", "load_seen",
           "retry_urls"]
