"""The ``runs`` dataset: one row per finished crawl, appended at spider close.

``OUTPUT_DIR/runs/runs.parquet`` is rewritten atomically with the new row appended
(a few thousand small rows after years of daily runs). The crawl's summary (see
:mod:`crawler.extensions.summary`) becomes the row; maps are Parquet maps and the
per-archive and per-field details are lists of structs, so DuckDB can ``unnest``
them and pandas sees lists of dicts / (key, value) tuples.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.store import schemas
from pipelines.store.evolution import read_conformed
from pipelines.store.fsutil import write_parquet_atomic
from pipelines.store.layout import RUNS_FILE

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

Row = dict[str, Any]
_LOCK = ".runs.lock"
_TMP = ".runs-tmp"
def run_row(summary: dict[str, Any], *, started_at: datetime | None, ended_at: datetime,
            spider_args: dict[str, str], settings: dict[str, str], version: str,
            is_secret: Callable[[str], bool]) -> Row:
    """The ``runs`` row of a run summary (as built by ``build_summary``); arguments and
    settings whose names ``is_secret`` flags are left out."""
    archives = [{
        "archive": a.get("archive"), "pages": a.get("pages"), "found": a.get("found"),
        "reported_total": a.get("reported_total"), "complete": a.get("complete"),
        "end": a.get("end"), "flags": list(a.get("flags") or []),
    } for a in summary.get("archives", [])]
    sources = [{"field": field, "source": source, "share": float(share)}
               for field, by_source in sorted(summary.get("field_sources", {}).items())
               for source, share in sorted(by_source.items())]
    return {
        "run_id": summary.get("run_id") or "unknown",
        "started_at": started_at,
        "ended_at": ended_at,
        "finish_reason": summary.get("finish_reason"),
        "project_version": version,
        "spider_args": sorted((k, str(v)) for k, v in spider_args.items() if not is_secret(k)),
        "settings": sorted((k, str(v)) for k, v in settings.items() if not is_secret(k)),
        "requests": summary.get("requests", 0),
        "responses": summary.get("pages_fetched", 0),
        "responses_by_status": sorted(
            (int(k), v) for k, v in summary.get("responses_by_status", {}).items()
            if str(k).isdigit()),
        "retries": summary.get("retries", 0),
        "articles_new": summary.get("articles_new", 0),
        "articles_updated": summary.get("articles_updated", 0),
        "articles_unchanged": summary.get("articles_unchanged", 0),
        "articles_total": summary.get("articles_total"),
        "rate_rows": summary.get("rate_rows", 0),
        "rates_new": summary.get("rates_new"),
        "rejects": summary.get("rejects", 0),
        "errors_by_kind": sorted(summary.get("errors_by_kind", {}).items()),
        "archives": archives,
        "field_sources": sources,
        "recovered_runs": summary.get("recovered_runs", 0),
    }


def read_runs(root: Path) -> pa.Table:
    """All rows of ``root/runs`` (empty table of the schema if there are none)."""
    path = root / RUNS_FILE
    if not path.exists():
        return schemas.RUNS.empty_table()
    return read_conformed(path, schemas.RUNS)


def append_run(root: Path, row: Row) -> Path:
    """Append ``row`` to ``root/runs/runs.parquet`` atomically (a row of the same
    run_id is replaced). Returns the file's path."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / _LOCK, "a+b") as lock:
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        tmp = root / _TMP
        shutil.rmtree(tmp, ignore_errors=True)  # left by a killed writer
        table = read_runs(root)
        table = table.filter(pc.not_equal(table["run_id"], row["run_id"]))
        new = pa.Table.from_pylist([row], schema=schemas.RUNS)
        merged = pa.concat_tables([table, new])
        merged = merged.replace_schema_metadata(schemas.RUNS.metadata)
        dest = root / RUNS_FILE
        write_parquet_atomic(merged, dest, tmp)
        with contextlib.suppress(OSError):
            tmp.rmdir()
    return dest


__all__ = ["append_run", "read_runs", "run_row"]
