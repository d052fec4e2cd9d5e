"""Body-text quality against the replica's ground truth, the same measure for every crawler."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds

from tests.metrics import token_f1


def body_f1(bodies: Mapping[str, str | None], ground_truth: Mapping[str, Any]) -> dict[str, Any]:
    """Token F1 of each reachable ground-truth post's body against ``bodies`` (by URL);
    a post that was not collected scores 0."""
    scores = [token_f1(bodies.get(post["url"]), post["body_text"])
              for post in ground_truth["posts"] if post["reachable"]]
    if not scores:
        return {"median": None, "mean": None, "min": None, "count": 0}
    return {"median": statistics.median(scores), "mean": statistics.fmean(scores),
            "min": min(scores), "count": len(scores)}


def project_bodies(output_dir: Path) -> dict[str, str | None]:
    """URL -> body_text of the articles the project's crawl stored."""
    table = ds.dataset(output_dir / "articles", format="parquet",
                       partitioning="hive").to_table(columns=["url", "body_text"])
    return dict(zip(table.column("url").to_pylist(), table.column("body_text").to_pylist(),
                    strict=True))
