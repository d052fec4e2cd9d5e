"""Crash-safe, partitioned Parquet storage of the datasets under one output directory.

Layout: see :mod:`pipelines.store.layout`. A run writes in three steps:

1. **Stage.** Rows are buffered ``batch_rows`` at a time per dataset and written as
   part files to ``.staging/<run_id>/<dataset>/year=YYYY/part-NNNNN.parquet`` (each
   atomically). Memory holds one batch, never the crawl.
2. **Prepare.** At the end of the run, each partition the run touched (plus the old
   partition of an article whose year changed) is merged with the staged rows of that
   partition alone, one partition at a time and as Arrow columns
   (:mod:`pipelines.store.upsert`), and written complete to
   ``.staging/<run_id>/publish/``. Then
   ``.staging/<run_id>/COMMIT.json`` (the manifest: partition -> new file, files to
   remove) is written atomically. Writing the manifest is the commit point.
3. **Publish.** Each manifest entry is applied with ``os.replace`` (then the staging
   directory is removed). Applying an entry twice is harmless: a source already moved
   is skipped.

A run killed before the commit point leaves staged parts (never published data); the
next run merges them first. A run killed after it leaves a manifest; the next run
finishes publishing it. Dataset directories only ever hold complete files: temp files
live under ``.staging``. While entries are applied a reader can see one partition new
and another still old, never half a file; partitions that lose a moved article are
replaced first, so a moved article can be missing for that instant but never doubled.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.store import lock as outputlock
from pipelines.store import schemas
from pipelines.store.crashpoints import crash_point
from pipelines.store.evolution import SchemaMismatch, check_file
from pipelines.store.fsutil import fsync_dir, write_json_atomic, write_parquet_atomic
from pipelines.store.inputs import Inputs
from pipelines.store.keys import MergeCounts, Row
from pipelines.store.layout import (
    PART_FILE,
    PARTITIONED,
    RUNS_FILE,
    STAGING,
    DatasetSpec,
    UrlKey,
    datasets,
    legacy_files,
    partition_dir,
    partitions,
)
from pipelines.store.upsert import (
    REFRESHED_SOURCE,
    SOURCE,
    apply_marks_table,
    assemble,
    merge_pair_tables,
    merge_plan,
    plan_columns,
    rows_with_keys,
    sort_table,
    with_sources,
)

logger = logging.getLogger(__name__)

COMMIT = "COMMIT.json"
PUBLISH = "publish"
#: staged article marks (removed / not modified), applied to stored rows at prepare
MARKS = "marks"
#: small state files published with the run (``OUTPUT_DIR/state/<name>.json``)
STATE = "state"

#: rows per row group of a partition file: the next merge reads a stored file that many
#: rows at a time
ROW_GROUP_ROWS = 2048
#: a column of a partition being merged is built in slices of about this many bytes
SLICE_BYTES = 4 << 20


class OutputError(RuntimeError):
    """The output directory cannot be used (not writable, in use, or an old layout)."""


class LockConflict(OutputError, outputlock.LockBusy):
    """The output directory is in use: another process holds its lock."""


def new_run_id(now: datetime | None = None) -> str:
    """UTC timestamp plus a short random part, e.g. "20250110T061500Z-3f2a"."""
    when = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{when:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


def _merge_one(old: Row, row: Row, spec: DatasetSpec) -> tuple[Row, str]:
    """The stored row ``old`` updated by ``row`` of the same key (the upsert engine's
    rule, on a one-row table) and the outcome, "updated" or "unchanged"."""
    assert spec.merge is not None
    merged, updated = merge_pair_tables(to_table([old], spec.schema),
                                        to_table([row], spec.schema),
                                        spec.merge.same_columns)
    return merged.to_pylist()[0], "updated" if updated[0].as_py() else "unchanged"


def to_table(rows: list[Row], schema: pa.Schema) -> pa.Table:
    """Rows -> table of ``schema`` (not-null columns checked, pyarrow does not)."""
    return checked(pa.Table.from_pylist(rows, schema=schema))


def checked(table: pa.Table) -> pa.Table:
    """``table``, after checking that its not-null columns hold no null."""
    for name in schemas.required_columns(table.schema):
        if table.column(name).null_count:
            raise ValueError(
                f"{table.schema.metadata[b'timesca.dataset'].decode()}: null {name}")
    return table


def check_row(dataset: str, row: Row) -> None:
    """Raise ValueError if ``row`` lacks a value its dataset's schema requires."""
    for name in schemas.required_columns(schemas.SCHEMAS[dataset]):
        if row.get(name) is None:
            raise ValueError(f"{dataset} row without required {name}: {row.get('url')!r}")


def _read_table(paths: list[Path], schema: pa.Schema) -> pa.Table:
    """The rows of ``paths``, in order, as one table of ``schema``."""
    return Inputs(schema, list(paths)).read(schema.names)


def _without(table: pa.Table, keys: set[Any], spec: DatasetSpec) -> pa.Table:
    """``table`` without its rows having one of ``keys`` (row-level keys)."""
    if not keys or table.num_rows == 0:
        return table
    return table.filter(pc.invert(rows_with_keys(table, keys, spec)))


def _merge_partition(spec: DatasetSpec, old: Inputs, new: Inputs, removed: set[Any],
                     consumed: set[Any], marks: list[Row],
                     ) -> tuple[pa.Table, MergeCounts, pa.Table | None]:
    """The partition merging stored rows ``old`` (but those having a ``removed`` key) and
    the run's rows ``new`` (but those having a ``consumed`` key), with the article
    ``marks`` applied. Planned on a few columns (:func:`pipelines.store.upsert.merge_plan`),
    then assembled a column (and, for a wide one, a slice of rows) at a time. Also the
    stored rows an updated copy replaced (None when there are none)."""
    names = plan_columns(spec)
    stored = _without(with_sources(old.read(names)), removed, spec)
    incoming = _without(with_sources(new.read(names), old.num_rows), consumed, spec)
    replaced: list[pa.Array] = []
    plan, counts = merge_plan(pa.concat_tables([stored, incoming]), stored.num_rows, spec,
                              replaced if spec.history else None)
    del stored, incoming
    rows = old + new
    superseded = None
    if replaced:
        positions = pa.concat_arrays(replaced)
        positions = positions.filter(pc.less(positions, old.num_rows))  # stored rows
        if len(positions):
            superseded = pa.Table.from_arrays(
                [rows.gather(field, positions) for field in spec.schema], schema=spec.schema)
    if marks:  # on the columns marks read and change, taken into the plan
        for name, source in (("post_id", SOURCE), ("url", SOURCE),
                             ("removed_at", REFRESHED_SOURCE)):
            field = spec.schema.field(name)
            plan = plan.append_column(field, rows.gather(field, plan.column(source)
                                                         .combine_chunks()))
        plan, _ = apply_marks_table(plan, marks, spec)
    size = plan.num_rows
    table = assemble(plan, rows.gather, spec.schema,
                     lambda field: _slice_rows(rows.nbytes(field), size))
    return table, counts, superseded


def _run_time(run_id: str) -> datetime:
    """When run ``run_id`` (``20250110T061500Z-3f2a``) started; now for another name."""
    try:
        return datetime.strptime(run_id.split("-")[0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return datetime.now(UTC)


def _slice_rows(nbytes: int, rows: int) -> int:
    """Rows per slice of a column of ``nbytes`` (its inputs) over ``rows`` output rows."""
    return rows if nbytes <= SLICE_BYTES else max(1, rows * SLICE_BYTES // nbytes)


def _num_rows(paths: list[Path]) -> int:
    return sum(pq.read_metadata(p).num_rows for p in paths)


def _read_keys(paths: list[Path], spec: DatasetSpec) -> pa.Table:
    """The key columns of ``paths``' rows, in order."""
    return Inputs(spec.schema, list(paths)).read(list(spec.key_columns))


def _rows_with(paths: list[Path], keys: set[Any], spec: DatasetSpec) -> list[Row]:
    """The rows of ``paths`` having one of ``keys`` (few: only those rows become dicts)."""
    table = _read_table(paths, spec.schema)
    return table.filter(rows_with_keys(table, keys, spec)).to_pylist()


def _key_homes(spec: DatasetSpec, stored: dict[int, list[Path]]) -> list[pa.Table]:
    """Per key of ``spec`` (strongest first): each value stored and the partition that
    holds it (the latest year when several do), as columns ``value`` and ``year``."""
    assert spec.merge is not None
    values: list[list[pa.Array]] = []
    years: list[list[pa.Array]] = []
    for year, files in sorted(stored.items(), reverse=True):  # latest year first
        table = _read_keys(files, spec)
        for number, key in enumerate(spec.merge.table_keys(table)):
            if len(values) <= number:
                values.append([])
                years.append([])
            found = key.columns[0].filter(key.present)
            values[number].append(found)
            years[number].append(pa.array([year] * len(found), pa.int32()))
    # a value's first occurrence is in its latest year: index_in finds the first
    return [pa.table({"value": pa.concat_arrays(found), "year": pa.concat_arrays(where)})
            for found, where in zip(values, years, strict=True)]


def _crossing(spec: DatasetSpec, table: pa.Table, year: int,
              homes: list[pa.Table]) -> list[tuple[Any, int]]:
    """(matched stored key, its partition) of each row of ``table`` (staged in ``year``)
    whose first key that is stored at all is stored in another partition."""
    assert spec.merge is not None
    if not homes or table.num_rows == 0:
        return []
    keys = spec.merge.table_keys(table)
    home = pa.nulls(table.num_rows, pa.int32())
    matched = pa.nulls(table.num_rows, pa.int8())  # which key found the home
    for number, (key, stored) in enumerate(zip(keys, homes, strict=True)):
        index = pc.index_in(key.columns[0], value_set=stored.column("value"))
        found = pc.if_else(key.present, stored.column("year").take(index), None)
        matched = pc.coalesce(matched, pc.if_else(pc.is_valid(found), number, None))
        home = pc.coalesce(home, found)
    moved = pc.fill_null(pc.not_equal(home, year), False)
    values = [key.columns[0].filter(moved).to_pylist() for key in keys]
    return [((keys[number].name, values[number][row]), where)
            for row, (number, where) in enumerate(zip(matched.filter(moved).to_pylist(),
                                                      home.filter(moved).to_pylist(),
                                                      strict=True))]


def _raise(dataset: str, row: Row, error: Exception) -> None:
    raise error


def check_stored(root: Path) -> None:
    """Raise :class:`OutputError` (the version 1 layout), :class:`SchemaMismatch` (an
    incompatible file) or :class:`UnreadableFile` (a damaged one), naming the file, if a
    file stored under ``root`` cannot be used; the runs dataset included."""
    for name, spec in PARTITIONED.items():
        legacy = legacy_files(root, name)
        if legacy:
            raise OutputError(
                f"{legacy[0]} is in the version 1 layout (one unpartitioned file); "
                f"convert it with: python -m crawler.cli.migrate {root}")
        for files in partitions(root, name).values():
            for path in files:
                check_file(path, spec.schema)
    runs = root / RUNS_FILE
    if runs.exists():
        check_file(runs, schemas.RUNS)


class ParquetStore:
    """The datasets under ``root`` and the staging of run ``run_id``."""

    def __init__(self, root: Path, run_id: str, batch_rows: int = 1000,
                 url_key: UrlKey | None = None) -> None:
        if batch_rows < 1:
            raise ValueError(f"batch_rows must be at least 1, got {batch_rows}")
        self.root = root
        #: the datasets, articles keyed by ``url_key`` of their URL (the crawler's
        #: canonical form; by default the URL as stored)
        self.specs = datasets(url_key) if url_key is not None else PARTITIONED
        self.run_id = run_id
        self.batch_rows = batch_rows
        self.buffers: dict[str, list[Row]] = {name: [] for name in self.specs}
        self.parts = 0
        self.staged: dict[str, int] = dict.fromkeys(self.specs, 0)
        self.marks: list[Row] = []
        self._lock: Any = None
        #: called with (dataset, row, error) for a row that does not fit its schema;
        #: by default the error is raised (the writer turns the row into a reject)
        self.on_bad_row: Callable[[str, Row, Exception], None] = _raise

    @property
    def staging(self) -> Path:
        """This run's staging directory."""
        return self.root / STAGING / self.run_id

    # -- run lifecycle ---------------------------------------------------------------

    def open(self) -> dict[str, int]:
        """Create and lock ``root``, check stored files, finish runs left by killed
        processes, start staging. Returns {run_id: staged rows} of the runs recovered.

        Raises OutputError (not writable, locked, old layout) or SchemaMismatch.
        """
        try:
            for name in self.specs:
                (self.root / name).mkdir(parents=True, exist_ok=True)
            probe = self.root / f".probe-{self.run_id}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise OutputError(f"OUTPUT_DIR {str(self.root)!r} is not writable: {exc}") from exc
        self._acquire_lock()
        try:
            recovered = self._recover()
            self.check_stored()
            self.staging.mkdir(parents=True, exist_ok=True)
        except BaseException:
            self._release_lock()
            raise
        return recovered

    def check_stored(self) -> None:
        """Fail before crawling if a stored file is of the old layout or incompatible."""
        check_stored(self.root)

    def add(self, dataset: str, row: Row) -> None:
        """Buffer one row; a full buffer is written to staging as part files."""
        check_row(dataset, row)
        self.specs[dataset].partition_of(row)  # fail on the item, not at commit
        buffer = self.buffers[dataset]
        buffer.append(row)
        if len(buffer) >= self.batch_rows:
            self.flush(dataset)

    def add_mark(self, mark: Row) -> None:
        """Buffer one article mark: {post_id, url, published_at, event, at} (see
        the row oracle's ``apply_marks``); staged with the rows, applied at prepare."""
        for name in ("url", "published_at", "event", "at"):
            if mark.get(name) is None:
                raise ValueError(f"article mark without {name}: {mark!r}")
        self.marks.append(mark)
        if len(self.marks) >= self.batch_rows:
            self._flush_marks()

    def _flush_marks(self) -> None:
        if not self.marks:
            return
        dest = self.staging / MARKS / f"marks-{self.parts:05d}.json"
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(self.marks, dest)
        self.parts += 1
        self.marks = []

    def stage_state(self, name: str, data: Any) -> None:
        """Stage ``OUTPUT_DIR/state/<name>.json``: published by this run's commit, in the
        same manifest as its partitions (so it never gets ahead of the datasets)."""
        if not name.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"bad state name {name!r}")
        dest = self.staging / STATE / f"{name}.json"
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(data, dest)

    def flush(self, dataset: str | None = None) -> None:
        """Write buffered rows (of one or all datasets) to staging, one part per partition."""
        if dataset is None:
            self._flush_marks()
            while any(self.buffers.values()):  # a bad row adds a reject while flushing
                for name in list(self.buffers):
                    self.flush(name)
            return
        for name in [dataset]:
            rows, self.buffers[name] = self.buffers[name], []
            if not rows:
                continue
            spec = self.specs[name]
            by_year: dict[int, list[Row]] = defaultdict(list)
            for row in rows:
                by_year[spec.partition_of(row)].append(row)
            for year, chunk in sorted(by_year.items()):
                table = self._encode(name, chunk)
                if table.num_rows == 0:
                    continue
                part = self.staging / name / f"year={year:04d}" / f"part-{self.parts:05d}.parquet"
                write_parquet_atomic(table, part, self.staging / ".tmp")
                self.parts += 1
                self.staged[name] += table.num_rows
                crash_point(f"staged-part-{self.parts}")

    def _encode(self, dataset: str, rows: list[Row]) -> pa.Table:
        """``rows`` as a table of the dataset's schema. A row that does not fit it (an id
        beyond int64, a date out of range, a list of the wrong type) is left out and given
        to :attr:`on_bad_row`, so one bad value never stops the others being stored."""
        schema = self.specs[dataset].schema
        try:
            return to_table(rows, schema)
        except (pa.ArrowException, OverflowError, ValueError, TypeError):
            pass
        good = []
        for row in rows:  # the batch failed: find the rows that do not fit
            try:
                to_table([row], schema)
            except (pa.ArrowException, OverflowError, ValueError, TypeError) as exc:
                self.on_bad_row(dataset, row, exc)
            else:
                good.append(row)
        return to_table(good, schema)

    def rewrite_staged(self, dataset: str,
                       rewrite: Callable[[list[Row]], list[Row] | None]) -> None:
        """Pass the rows this run staged for ``dataset`` through ``rewrite``, one staged part
        at a time (memory holds one part). ``rewrite`` returns the part's new rows, or None
        to leave the part as it is; rows must stay in their partition."""
        self.flush(dataset)
        spec = self.specs[dataset]
        for year, parts in self._staged(self.staging, dataset).items():
            for part in parts:
                rows = _read_table([part], spec.schema).to_pylist()
                new = rewrite(rows)
                if new is None:
                    continue
                if any(spec.partition_of(row) != year for row in new):
                    raise ValueError(f"a rewritten {dataset} row left partition {year}")
                self.staged[dataset] += len(new) - len(rows)
                if new:
                    write_parquet_atomic(to_table(new, spec.schema), part,
                                         self.staging / ".tmp")
                else:
                    part.unlink()

    def stored_rows(self, dataset: str, columns: list[str] | None = None,
                    where: tuple[str, Callable[[Any], bool]] | None = None) -> Iterator[Row]:
        """The published rows of ``dataset`` (all columns, or ``columns``), read a row group
        at a time; with ``where`` = (column, test) only the rows whose value passes the test
        (the other columns of a row group are read only when one does). Files of an older
        schema read with the newer nullable columns null."""
        spec = self.specs[dataset]
        names = columns or spec.schema.names
        for files in partitions(self.root, dataset).values():
            for path in files:
                handle = pq.ParquetFile(path)
                present = [n for n in names if n in handle.schema_arrow.names]
                for group in range(handle.metadata.num_row_groups):
                    mask = None
                    if where is not None:
                        column, test = where
                        values = handle.read_row_group(group, columns=[column],
                                                       use_threads=False).column(0)
                        mask = pa.array([bool(test(v)) for v in values.to_pylist()])
                        if not pc.any(mask).as_py():
                            continue
                    table = handle.read_row_group(group, columns=present, use_threads=False)
                    if mask is not None:
                        table = table.filter(mask)
                    for row in table.to_pylist():
                        yield {name: row.get(name) for name in names}

    def commit(self) -> dict[str, MergeCounts]:
        """Publish this run (prepare, commit point, publish), remove the staging,
        release the lock. On error the staging stays (the next run finishes it)."""
        try:
            self.flush()
            crash_point("flushed")
            counts = self._prepare(self.staging)
            crash_point("prepared")
            self._publish(self.staging)
            return counts
        finally:
            self._release_lock()

    def abort(self) -> None:
        """Stop without publishing: buffered rows go to staging (kept for the next run)."""
        try:
            self.flush()
        finally:
            self._release_lock()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[ParquetStore]:
        """Hold ``root`` for a tool other than a crawl (``migrate``): locked, runs killed
        before recovered, unlocked on exit."""
        self._acquire_lock()
        try:
            self._recover()
            yield self
        finally:
            self._release_lock()

    def publish_entries(self, entries: list[dict[str, Any]]) -> None:
        """Commit and publish prepared ``entries`` (dest, source in staging, files to
        remove), with the same manifest and crash safety as a run's commit."""
        write_json_atomic({"run_id": self.run_id, "entries": entries}, self.staging / COMMIT)
        self._publish(self.staging)

    # -- lock ----------------------------------------------------------------------

    def _acquire_lock(self) -> None:
        """Lock ``root`` (see :mod:`pipelines.store.lock`; shared with the ``crawl``
        command when it already holds it). Raises :class:`LockConflict`."""
        try:
            self._lock = outputlock.acquire(self.root)
        except outputlock.LockBusy as exc:
            raise LockConflict(exc.root, exc.holder) from None

    def _release_lock(self) -> None:
        if self._lock is not None:
            outputlock.release(self._lock)
            self._lock = None

    # -- recovery ------------------------------------------------------------------

    def _recover(self) -> dict[str, int]:
        recovered: dict[str, int] = {}
        base = self.root / STAGING
        if not base.is_dir():
            return recovered
        for leftover in sorted(p for p in base.iterdir() if p.is_dir()):
            if leftover.name.startswith("."):  # a finished run's staging being removed
                shutil.rmtree(leftover, ignore_errors=True)
                continue
            if leftover.name == self.run_id:
                continue
            try:
                rows = _num_rows(sorted(leftover.glob("*/year=*/part-*.parquet")))
                if (leftover / COMMIT).exists():
                    logger.warning("Finishing the publication of committed run %s",
                                   leftover.name)
                else:
                    logger.warning("Committing %d rows staged by interrupted run %s",
                                   rows, leftover.name)
                    shutil.rmtree(leftover / PUBLISH, ignore_errors=True)
                    shutil.rmtree(leftover / ".tmp", ignore_errors=True)
                    self._prepare(leftover)
                self._publish(leftover)
            except SchemaMismatch:
                raise
            except Exception:
                logger.exception("Could not commit the rows staged by run %s; they are kept "
                                 "in %s for a later run", leftover.name, leftover)
                continue
            recovered[leftover.name] = rows
        return recovered

    # -- prepare -------------------------------------------------------------------

    def _prepare(self, staging: Path) -> dict[str, MergeCounts]:
        entries: list[dict[str, Any]] = []
        counts: dict[str, MergeCounts] = {}
        for spec in self.specs.values():
            counts[spec.name] = self._prepare_dataset(spec, staging, entries)
        # partitions that lose a moved row go first: a reader never sees it twice
        entries.sort(key=lambda e: not e["moves_out"])
        for state in sorted((staging / STATE).glob("*.json")):
            entries.append({"dest": f"{STATE}/{state.name}", "source": f"{STATE}/{state.name}",
                            "remove": [], "moves_out": False})
        manifest = {
            "run_id": staging.name,
            "schema_version": schemas.SCHEMA_VERSION,
            "prepared_at": datetime.now(UTC).isoformat(),
            "entries": entries,
            "counts": {n: vars(c) for n, c in counts.items()},
        }
        write_json_atomic(manifest, staging / COMMIT)
        return counts

    def _staged(self, staging: Path, name: str) -> dict[int, list[Path]]:
        found: dict[int, list[Path]] = {}
        for part in sorted((staging / name).glob("year=*/part-*.parquet")):
            found.setdefault(int(part.parent.name[5:]), []).append(part)
        return found

    def _marks(self, staging: Path) -> dict[int, list[Row]]:
        """Staged article marks by partition year (of the stored row's published_at)."""
        found: dict[int, list[Row]] = defaultdict(list)
        for path in sorted((staging / MARKS).glob("marks-*.json")):
            for mark in json.loads(path.read_text(encoding="utf-8")):
                mark = {**mark, "published_at": datetime.fromisoformat(mark["published_at"]),
                        "at": datetime.fromisoformat(mark["at"])}
                found[mark["published_at"].astimezone(UTC).year].append(mark)
        return found

    def _prepare_dataset(self, spec: DatasetSpec, staging: Path,
                         entries: list[dict[str, Any]]) -> MergeCounts:
        staged = self._staged(staging, spec.name)
        marks = self._marks(staging) if spec.name == "articles" else {}
        stored = partitions(self.root, spec.name)
        counts = MergeCounts()
        if not staged and not marks:
            counts.total = sum(_num_rows(files) for files in stored.values())
            return counts
        removed: dict[int, set[Any]] = defaultdict(set)
        consumed: dict[int, set[Any]] = defaultdict(set)
        carried: dict[int, list[Row]] = defaultdict(list)
        if spec.movable and stored:
            moved_out: list[Row] = []  # kept in the history dataset (spec.history)
            self._resolve_moves(spec, staged, stored, removed, consumed, carried, counts,
                                moved_out)
            if moved_out and spec.history:
                self._stage_history(staging, f"{spec.name}-moved",
                                    to_table(moved_out, spec.schema))
        touched = sorted(set(staged) | set(removed) | set(marks))
        total = sum(_num_rows(files) for year, files in stored.items() if year not in touched)
        for year in touched:
            files = stored.get(year, [])
            if spec.merge is not None:
                old = Inputs(spec.schema, [*files, *(
                    [to_table(carried[year], spec.schema)] if carried[year] else [])])
                new = Inputs(spec.schema, staged.get(year, []))
                table, merged, superseded = _merge_partition(
                    spec, old, new, removed[year], consumed[year], marks.get(year, []))
                counts.add(merged)
                del old, new
                if superseded is not None:
                    self._stage_history(staging, f"{spec.name}-{year}", superseded)
            else:
                added = _read_table(staged.get(year, []), spec.schema)
                table = sort_table(pa.concat_tables([_read_table(files, spec.schema), added]),
                                   spec.order)
                counts.new += added.num_rows
                del added
            total += table.num_rows
            dest = partition_dir(self.root, spec.name, year) / PART_FILE
            source = None
            if table.num_rows:
                source = staging / PUBLISH / spec.name / f"year={year:04d}" / PART_FILE
                write_parquet_atomic(checked(table), source, staging / ".tmp", ROW_GROUP_ROWS)
                crash_point(f"prepared-{spec.name}-{year}")
            entries.append({
                "dest": str(dest.relative_to(self.root)),
                "source": str(source.relative_to(staging)) if source else None,
                "remove": [str(f.relative_to(self.root)) for f in files if f != dest],
                "moves_out": bool(removed[year]),
            })
            del table
            pa.default_memory_pool().release_unused()  # one partition at a time
        counts.total = total
        return counts

    def _stage_history(self, staging: Path, name: str, replaced: pa.Table) -> None:
        """Stage ``replaced`` (stored article rows an updated copy replaces) as rows of the
        ``history`` dataset, dated by the run: prepared again after a crash, the same file
        is written again (``name`` says which merge it comes from), never twice."""
        at = _run_time(staging.name)
        table = replaced.append_column(
            schemas.HISTORY.field("replaced_at"), pa.array([at] * replaced.num_rows,
                                                           schemas.HISTORY.field("replaced_at").type)
        ).append_column(schemas.HISTORY.field("replaced_by_run"),
                        pa.array([staging.name] * replaced.num_rows, pa.string()))
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        dest = staging / "history" / f"year={at.year:04d}" / f"part-replaced-{safe}.parquet"
        write_parquet_atomic(checked(table.cast(schemas.HISTORY)), dest, staging / ".tmp")

    def _resolve_moves(self, spec: DatasetSpec, staged: dict[int, list[Path]],
                       stored: dict[int, list[Path]], removed: dict[int, set[Any]],
                       consumed: dict[int, set[Any]], carried: dict[int, list[Row]],
                       counts: MergeCounts, replaced: list[Row]) -> None:
        """Rows whose key is stored in another partition: merge them here, once, and
        carry the result to the partition of its (new) year (the stored rows an updated
        copy replaces go to ``replaced``)."""
        assert spec.merge is not None
        keys_of = spec.merge.keys
        homes = _key_homes(spec, stored)
        crossing: dict[int, dict[Any, int]] = defaultdict(dict)  # year -> stored key -> home
        for year, parts in staged.items():
            for key, home in _crossing(spec, _read_keys(parts, spec), year, homes):
                crossing[year][key] = home
        if not crossing:
            return
        wanted: dict[int, set[Any]] = defaultdict(set)
        for moves in crossing.values():
            for key, home in moves.items():
                wanted[home].add(key)
        olds: dict[Any, Row] = {}
        for home, keys in wanted.items():
            for row in _rows_with(stored[home], keys, spec):
                key = next((k for k in keys_of(row) if k in keys), None)
                if key is not None:
                    olds[key] = row
        for year, moves in crossing.items():
            for row in _rows_with(staged[year], set(moves), spec):
                keys = keys_of(row)
                key = next((k for k in keys if k in moves), None)
                if key is None or key not in olds:
                    continue
                old = olds[key]
                merged, outcome = _merge_one(old, row, spec)
                if outcome == "updated":
                    replaced.append(old)
                removed[moves[key]].update(keys_of(old))
                consumed[year].update(keys)
                carried[spec.partition_of(merged)].append(merged)
                setattr(counts, outcome, getattr(counts, outcome) + 1)

    # -- publish -------------------------------------------------------------------

    def _publish(self, staging: Path) -> None:
        manifest = json.loads((staging / COMMIT).read_text(encoding="utf-8"))
        for number, entry in enumerate(manifest["entries"], 1):
            dest = self.root / entry["dest"]
            if entry["source"]:
                source = staging / entry["source"]
                if source.exists():  # else already published by an earlier attempt
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(source, dest)
            else:
                dest.unlink(missing_ok=True)
            for extra in entry["remove"]:
                (self.root / extra).unlink(missing_ok=True)
            fsync_dir(dest.parent)
            if dest.parent.is_dir() and not any(dest.parent.iterdir()):
                dest.parent.rmdir()
            crash_point(f"published-{number}")
        crash_point("published")
        done = staging.with_name(f".done-{staging.name}")
        os.replace(staging, done)
        shutil.rmtree(done, ignore_errors=True)
        with contextlib.suppress(OSError):
            (self.root / STAGING).rmdir()  # only when no other run is staged
