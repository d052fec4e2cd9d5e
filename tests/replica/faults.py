"""Fault injection: deterministic targets and per-path request counters."""

from __future__ import annotations

import threading

from .content import SiteContent
from .model import ReplicaConfig, stable_hash

RETRY_503_TIMES = 2


class FaultPlan:
    """Which paths misbehave, and how (only faults enabled in the config are active)."""

    def __init__(self, content: SiteContent, cfg: ReplicaConfig) -> None:
        self.enabled = cfg.faults
        self.slow_seconds = cfg.slow_seconds
        avoid = {p.post_id for p in content.later_candidates()[:4]}
        avoid.add(content.posts[2].post_id)
        pool = [
            p
            for p in content.posts
            if p.seed_index is None
            and p.legacy_id is None
            and not p.extra.get("no_ticker")
            and p.post_id not in avoid
            and not p.removed
        ]
        pool.sort(key=lambda p: stable_hash("fault", cfg.seed, p.post_id))
        names = ("503", "slow", "truncated", "500", "removed")
        self.targets: dict[str, list[str]] = {
            name: [f"/{p.slug}/"] for name, p in zip(names, pool, strict=False)
        }
        self.targets["503"] = ["/latest/page/2/", *self.targets.get("503", [])]
        self.post_ids = {name: p.post_id for name, p in zip(names, pool, strict=False)}
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def active(self, name: str) -> list[str]:
        """Paths affected by an enabled fault (empty list when the fault is off)."""
        return list(self.targets.get(name, [])) if name in self.enabled else []

    def hit(self, name: str, path: str) -> bool:
        """Whether ``path`` is a target of the enabled fault ``name``."""
        return path in self.active(name)

    def take_503(self, path: str) -> bool:
        """Count a request; True while it is among the first RETRY_503_TIMES to a 503 target."""
        if not self.hit("503", path):
            return False
        with self._lock:
            n = self._counts.get(path, 0) + 1
            self._counts[path] = n
        return n <= RETRY_503_TIMES
