"""Local replica of timesca.com (WordPress + Yoast + a classic or magazine theme).

>>> cfg = ReplicaConfig(seed=1, posts=120, theme="classic")
>>> site = ReplicaSite(cfg)
>>> status, headers, body = site.handle("GET", "/latest/page/2/", base_url="http://127.0.0.1:8000")
"""

from __future__ import annotations

from typing import Any

from .groundtruth import ground_truth as _ground_truth
from .model import ReplicaConfig
from .pages import ReplicaSite as _Site
from .restapi_objects import api_truth as _api_truth
from .server import RunningServer, serve


class ReplicaSite(_Site):
    """The replica site (see pages.ReplicaSite) with ground_truth() and api_truth()."""

    def ground_truth(self, base_url: str) -> dict[str, Any]:
        """JSON-serializable ground truth for ``base_url``."""
        return _ground_truth(self, base_url)

    def api_truth(self, base_url: str) -> list[dict[str, Any]]:
        """What a crawler should derive from the REST API for each post it lists
        (restapi_objects.api_post_truth), newest first."""
        return _api_truth(self, base_url)


__all__ = ["ReplicaConfig", "ReplicaSite", "RunningServer", "serve"]
