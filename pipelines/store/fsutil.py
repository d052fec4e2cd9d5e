"""All-or-nothing file writes: temp file, fsync, ``os.replace``, fsync of the directory."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

#: zstd: small files, read by pyarrow, pandas, polars, DuckDB and Spark >= 3.2.
COMPRESSION = "zstd"


def fsync_dir(directory: Path) -> None:
    """Make a rename or unlink in ``directory`` durable (no-op where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def write_parquet_atomic(table: pa.Table, dest: Path, tmp_dir: Path,
                         row_group_size: int | None = None) -> None:
    """Write ``table`` to ``dest`` all or nothing (in row groups of ``row_group_size``
    rows, default pyarrow's). The temp file lives in ``tmp_dir`` (same file system, never
    inside a dataset directory, so readers cannot see it)."""
    tmp_dir.mkdir(parents=True, exist_ok=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f".{dest.name}.{secrets.token_hex(4)}.tmp"
    try:
        pq.write_table(table, tmp, compression=COMPRESSION, row_group_size=row_group_size)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(dest.parent)


def write_json_atomic(data: Any, dest: Path) -> None:
    """Write ``data`` as JSON to ``dest`` all or nothing (temp file next to it)."""
    tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, default=str)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(dest.parent)
