"""Schema version 5 on an output directory of version 4: migrate, then a full crawl fills
``category_paths``, ``countries`` and ``sections`` of every stored post."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crawler.cli import inspect as inspect_cmd
from crawler.items import ARTICLE_CONTENT_FIELDS
from pipelines.store import schemas
from tests.crawlrun import PROJECT_ROOT, CrawlOutput, run_crawl
from tests.replica import ReplicaConfig, ReplicaSite, serve

pytestmark = pytest.mark.crawl
NEW = ("category_paths", "countries", "sections")


def _as_version_4(path: Path) -> None:
    """Rewrite one articles file as version 4 wrote it: no category columns, and content
    hashes of the content fields version 4 had."""
    table = pq.read_table(path)
    rows = table.to_pylist()
    v4_fields = [f for f in ARTICLE_CONTENT_FIELDS if f != "category_paths"]
    hashes = [hashlib.sha256(json.dumps(
        {f: row[f].isoformat() if isinstance(row[f], datetime) else row[f] for f in v4_fields},
        ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        for row in rows]
    table = table.set_column(table.schema.get_field_index("content_hash"), "content_hash",
                             pa.array(hashes, pa.string()))
    table = table.drop_columns(list(NEW))
    pq.write_table(table.replace_schema_metadata(
        {b"timesca.schema_version": b"4", b"timesca.dataset": b"articles"}), path)


def test_migrate_then_a_full_crawl_fills_the_category_columns(tmp_path: Path) -> None:
    out = tmp_path / "out"
    site = ReplicaSite(ReplicaConfig(seed=5, posts=60))
    with serve(site) as srv:
        first = run_crawl(srv.base_url, out, "-a", "listings=latest")
        assert first.returncode == 0, first.stderr[-3000:]
        files = sorted((out / "articles").rglob("*.parquet"))
        for path in files:
            _as_version_4(path)
        migrated = subprocess.run(
            [sys.executable, "-m", "crawler.cli.migrate", str(out)], cwd=PROJECT_ROOT,
            capture_output=True, text=True, check=False)
        assert migrated.returncode == 0, migrated.stderr
        assert all(pq.read_schema(p).equals(schemas.ARTICLES, check_metadata=True)
                   for p in (out / "articles").rglob("*.parquet"))
        stored = CrawlOutput(out).table("articles")
        assert len(stored) == 60
        assert all(row[name] is None for row in stored for name in NEW)
        text, _ = inspect_cmd.report(out)
        assert ("articles: 60 rows stored before schema version 5 have no category_paths, "
                "countries or sections; a crawl with -a full=1 fills them") in text

        again = run_crawl(srv.base_url, out, "-a", "listings=latest", "-a", "full=1")
        assert again.returncode == 0, again.stderr[-3000:]
        truth = {p["post_id"]: p for p in site.ground_truth(srv.base_url)["posts"]}
    result = CrawlOutput(out)
    assert result.summary["articles_updated"] == 60
    for row in result.table("articles"):
        for name in NEW:
            assert row[name] == truth[row["post_id"]][name], (name, row["url"])
    # the version 4 rows went to history, nulls and all
    assert "before schema version 5" not in inspect_cmd.report(out)[0]
    history = result.table("history")
    assert len(history) == 60 and all(r["countries"] is None for r in history)
