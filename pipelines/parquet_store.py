"""Crash-safe Parquet storage of the datasets under one output directory.

Layout (``root`` is OUTPUT_DIR)::

    root/articles/articles.parquet        the whole dataset, one file
    root/rates/rates.parquet              the whole dataset, one file
    root/rejects/rejects-<run_id>.parquet one file per run, appended
    root/.staging/<run_id>/<dataset>/part-NNNNN.parquet   rows of a run in progress
    root/.staging/<run_id>/.tmp/          temp files (never inside a dataset directory)
    root/.lock                            held by the running crawl

Rows of a run go to staging in batches, each part written atomically. Committing
a run merges its staged rows into the stored dataset and replaces the dataset
file atomically (temp file, fsync, ``os.replace``), then removes the staging. A
run that was killed leaves its staging behind; the next run commits it first, so
nothing is lost. Dataset directories only ever hold complete ``*.parquet`` files.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines import schemas
from pipelines.records import article_keys

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

Row = dict[str, Any]
STAGING = ".staging"
LOCK = ".lock"


class OutputError(RuntimeError):
    """The output directory cannot be used (not writable, or in use by another crawl)."""


def new_run_id(now: datetime | None = None) -> str:
    """UTC timestamp plus a short random part, e.g. "20250110T061500Z-3f2a"."""
    when = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{when:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


@dataclass(frozen=True)
class MergeSpec:
    """How rows of a merged dataset are identified, compared and ordered."""

    #: identity keys of a row, strongest first; a row matches a stored row sharing any key.
    keys: Callable[[Row], list[Any]]
    #: whether a new row carries the same data as the stored one.
    same: Callable[[Row, Row], bool]
    sort_key: Callable[[Row], tuple[Any, ...]]


def _article_keys(row: Row) -> list[Any]:
    return article_keys(row["post_id"], row["url"])


def _article_order(row: Row) -> tuple[Any, ...]:
    return (row["published_at"], row["post_id"] or 0, row["url"])


def _rate_keys(row: Row) -> list[Any]:
    return [(row["observed_on"], row["base"], row["quote"])]


def _rate_order(row: Row) -> tuple[Any, ...]:
    return (row["observed_on"], row["base"] or "", row["quote"] or "")


MERGED: dict[str, MergeSpec] = {
    "articles": MergeSpec(
        keys=_article_keys,
        same=lambda old, new: old["content_hash"] == new["content_hash"],
        sort_key=_article_order,
    ),
    "rates": MergeSpec(
        keys=_rate_keys,
        same=lambda old, new: (old["rate_text"], old["change_text"])
        == (new["rate_text"], new["change_text"]),
        sort_key=_rate_order,
    ),
}


@dataclass
class MergeCounts:
    """Outcome of merging one run's rows into a stored dataset."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    total: int = 0

    @property
    def written(self) -> int:
        """Rows of the run stored (new + updated + unchanged)."""
        return self.new + self.updated + self.unchanged


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min((x for x in (a, b) if x is not None), default=None)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((x for x in (a, b) if x is not None), default=None)


def _older(row: Row, old: Row) -> bool:
    """Whether ``row`` was seen before the stored ``old`` (then it must not replace it,
    e.g. rows of an interrupted run committed after a later run)."""
    seen, stored = row["last_seen_at"], old["last_seen_at"]
    return seen is not None and stored is not None and seen < stored


def merge_rows(
    stored: Iterable[Row], incoming: Iterable[Row], spec: MergeSpec
) -> tuple[list[Row], MergeCounts]:
    """Merge ``incoming`` rows into ``stored`` ones (later rows win on a key).

    A matching row with the same data keeps the stored row and only moves its
    ``last_seen_at``; a changed row replaces it but keeps its ``first_seen_at``
    (unless it was seen before the stored row: then it only widens the seen times).
    Counts are for ``incoming`` rows only.
    """
    slots: list[Row] = []
    index: dict[Any, int] = {}
    counts = MergeCounts()

    def place(row: Row) -> str:
        keys = spec.keys(row)
        slot = next((index[k] for k in keys if k in index), None)
        if slot is None:
            slots.append(row)
            slot, outcome = len(slots) - 1, "new"
        else:
            old = slots[slot]
            if spec.same(old, row) or _older(row, old):
                merged, outcome = dict(old), "unchanged"
            else:
                merged, outcome = dict(row), "updated"
            merged["first_seen_at"] = _earliest(old["first_seen_at"], row["first_seen_at"])
            merged["last_seen_at"] = _latest(old["last_seen_at"], row["last_seen_at"])
            slots[slot] = merged
        for key in keys:
            index[key] = slot
        return outcome

    for row in stored:
        place(row)
    for row in incoming:
        outcome = place(row)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    rows = sorted(slots, key=spec.sort_key)
    counts.total = len(rows)
    return rows, counts


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with exactly ``schema``'s columns, types and metadata."""
    columns = []
    for field in schema:
        if field.name in table.column_names:
            columns.append(table.column(field.name).cast(field.type))
        else:
            columns.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def to_table(rows: list[Row], schema: pa.Schema) -> pa.Table:
    """Rows -> table of ``schema`` (not-null columns checked, pyarrow does not)."""
    table = pa.Table.from_pylist(rows, schema=schema)
    for name in schemas.required_columns(schema):
        if table.column(name).null_count:
            raise ValueError(f"{schema.metadata[b'timesca.dataset'].decode()}: null {name}")
    return table


def check_row(dataset: str, row: Row) -> None:
    """Raise ValueError if ``row`` lacks a value its dataset's schema requires."""
    for name in schemas.required_columns(schemas.SCHEMAS[dataset]):
        if row.get(name) is None:
            raise ValueError(f"{dataset} row without required {name}: {row.get('url')!r}")


def dataset_files(directory: Path) -> list[Path]:
    """The dataset files of ``directory`` as readers see them, oldest name first."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.parquet")
                  if p.is_file() and not p.name.startswith((".", "_")))


def read_rows(paths: Iterable[Path], schema: pa.Schema) -> list[Row]:
    """All rows of ``paths`` (in order), conformed to ``schema``."""
    rows: list[Row] = []
    for path in paths:
        rows.extend(conform(pq.read_table(path), schema).to_pylist())
    return rows


def _fsync_dir(directory: Path) -> None:
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


def write_atomic(table: pa.Table, dest: Path, tmp_dir: Path) -> None:
    """Write ``table`` to ``dest`` all or nothing: a temp file in ``tmp_dir`` (same file
    system, outside any dataset directory), fsync, ``os.replace``, fsync of the directory."""
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f".{dest.name}.{secrets.token_hex(4)}.tmp"
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(dest.parent)


class ParquetStore:
    """The datasets under ``root`` and the staging of run ``run_id``."""

    def __init__(self, root: Path, run_id: str, batch_rows: int = 1000) -> None:
        if batch_rows < 1:
            raise ValueError(f"batch_rows must be at least 1, got {batch_rows}")
        self.root = root
        self.run_id = run_id
        self.batch_rows = batch_rows
        self.buffers: dict[str, list[Row]] = {name: [] for name in schemas.SCHEMAS}
        self.parts: dict[str, int] = dict.fromkeys(schemas.SCHEMAS, 0)
        self.staged: dict[str, int] = dict.fromkeys(schemas.SCHEMAS, 0)
        self._lock: Any = None

    @property
    def staging(self) -> Path:
        """This run's staging directory."""
        return self.root / STAGING / self.run_id

    def open(self) -> dict[str, int]:
        """Create and lock ``root``, commit staging left by killed runs, start staging.

        Returns {run_id: staged rows} of the runs recovered. Raises OutputError.
        """
        try:
            for name in schemas.SCHEMAS:
                (self.root / name).mkdir(parents=True, exist_ok=True)
            probe = self.root / f".probe-{self.run_id}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise OutputError(f"OUTPUT_DIR {str(self.root)!r} is not writable: {exc}") from exc
        self._acquire_lock()
        try:
            recovered = self._recover()
            self.staging.mkdir(parents=True, exist_ok=True)
        except BaseException:
            self._release_lock()
            raise
        return recovered

    def add(self, dataset: str, row: Row) -> None:
        """Buffer one row; a full buffer is written to staging as a part file."""
        check_row(dataset, row)
        buffer = self.buffers[dataset]
        buffer.append(row)
        if len(buffer) >= self.batch_rows:
            self.flush(dataset)

    def flush(self, dataset: str | None = None) -> None:
        """Write buffered rows (of one or all datasets) to staging."""
        for name in [dataset] if dataset else list(self.buffers):
            rows = self.buffers[name]
            if not rows:
                continue
            table = to_table(rows, schemas.SCHEMAS[name])
            part = self.staging / name / f"part-{self.parts[name]:05d}.parquet"
            part.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(table, part, self.staging / ".tmp")
            self.parts[name] += 1
            self.staged[name] += len(rows)
            self.buffers[name] = []

    def commit(self) -> dict[str, MergeCounts]:
        """Publish this run: merge staged rows into the datasets, remove the staging,
        release the lock. On error the staging stays (the next run commits it)."""
        try:
            self.flush()
            return self._publish(self.staging, self.run_id)
        finally:
            self._release_lock()

    def abort(self) -> None:
        """Stop without publishing: buffered rows go to staging (kept for the next run)."""
        try:
            self.flush()
        finally:
            self._release_lock()

    # -- internals -------------------------------------------------------------------

    def _acquire_lock(self) -> None:
        if fcntl is None:  # pragma: no cover
            return
        handle = open(self.root / LOCK, "a+b")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.close()
            raise OutputError(
                f"OUTPUT_DIR {str(self.root)!r} is in use by another crawl "
                f"(lock {self.root / LOCK})"
            ) from exc
        self._lock = handle

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _recover(self) -> dict[str, int]:
        recovered: dict[str, int] = {}
        base = self.root / STAGING
        if not base.is_dir():
            return recovered
        for leftover in sorted(p for p in base.iterdir() if p.is_dir()):
            if leftover.name == self.run_id:
                continue
            try:
                parts = leftover.glob("*/part-*.parquet")
                rows = sum(pq.read_metadata(p).num_rows for p in parts)
                logger.warning("Committing %d rows staged by interrupted run %s",
                               rows, leftover.name)
                self._publish(leftover, leftover.name)
            except Exception:
                logger.exception("Could not commit the rows staged by run %s; they are kept "
                                 "in %s for a later run", leftover.name, leftover)
                continue
            recovered[leftover.name] = rows
        return recovered

    def _publish(self, staging: Path, run_id: str) -> dict[str, MergeCounts]:
        tmp = self.staging / ".tmp"
        counts: dict[str, MergeCounts] = {}
        for name, schema in schemas.SCHEMAS.items():
            staged = read_rows(sorted(staging.glob(f"{name}/part-*.parquet")), schema)
            directory = self.root / name
            if name not in MERGED:  # rejects: one file per run, appended
                dest = directory / f"{name}-{run_id}.parquet"
                if staged or not dataset_files(directory):
                    write_atomic(to_table(staged, schema), dest, tmp)
                counts[name] = MergeCounts(new=len(staged), total=len(staged))
                continue
            existing = dataset_files(directory)
            dest = directory / f"{name}.parquet"
            rows, counts[name] = merge_rows(read_rows(existing, schema), staged, MERGED[name])
            if staged or existing != [dest]:
                write_atomic(to_table(rows, schema), dest, tmp)
                for path in existing:
                    if path != dest:
                        path.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        if staging != self.staging:
            shutil.rmtree(tmp, ignore_errors=True)
        with contextlib.suppress(OSError):
            (self.root / STAGING).rmdir()  # only when no other run is staged
        return counts
