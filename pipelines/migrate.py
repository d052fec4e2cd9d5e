"""Rewrite stored files to the current schemas and layout.

    python -m pipelines.migrate OUTPUT_DIR [--dry-run]

Converts the version 1 layout (``articles/articles.parquet``, ``rates/rates.parquet``,
``rejects/rejects-<run>.parquet``) into year partitions, and rewrites every file whose
schema is not exactly the current one: missing nullable columns become null, other
types are cast where the cast is safe (``"123"`` -> 123); a value that does not fit
stops the migration with an error naming the file and the column. Partitions with
more than one file are compacted to one. It uses the crawl's commit protocol (all
files staged, one manifest, then renames), takes the crawl lock, and can be rerun.
Memory: one partition at a time, plus the whole of a version 1 file.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from pipelines import schemas
from pipelines.evolution import SchemaMismatch, is_current, read_conformed
from pipelines.fsutil import write_json_atomic, write_parquet_atomic
from pipelines.layout import (
    PART_FILE,
    PARTITIONED,
    RUNS_FILE,
    legacy_files,
    partition_dir,
    partitions,
)
from pipelines.merge import Row, merge_rows
from pipelines.parquet_store import COMMIT, PUBLISH, OutputError, ParquetStore, new_run_id, to_table


def _plan_dataset(root: Path, name: str, staging: Path, entries: list[dict[str, Any]],
                  dry_run: bool) -> int:
    spec = PARTITIONED[name]
    legacy = legacy_files(root, name)
    incoming: dict[int, list[Row]] = defaultdict(list)
    for path in legacy:
        for row in read_conformed(path, spec.schema, cast=True).to_pylist():
            incoming[spec.partition_of(row)].append(row)
    stored = partitions(root, name)
    rewritten = 0
    for year in sorted(set(stored) | set(incoming)):
        files = stored.get(year, [])
        dest = partition_dir(root, name, year) / PART_FILE
        if (year not in incoming and files == [dest]
                and is_current(dest, spec.schema)):
            continue
        rewritten += 1
        if dry_run:
            continue
        old: list[Row] = []
        for path in files:
            old.extend(read_conformed(path, spec.schema, cast=True).to_pylist())
        if spec.merge is not None:  # partition rows are newer than version 1 rows
            rows, _ = merge_rows(incoming[year], old, spec.merge)
        else:
            rows = sorted(incoming[year] + old, key=spec.sort_key)
        source = staging / PUBLISH / name / f"year={year:04d}" / PART_FILE
        write_parquet_atomic(to_table(rows, spec.schema), source, staging / ".tmp")
        entries.append({"dest": str(dest.relative_to(root)),
                        "source": str(source.relative_to(staging)),
                        "remove": [str(f.relative_to(root)) for f in files if f != dest],
                        "moves_out": False})
    for path in legacy:  # removed last, once every row is in a partition
        entries.append({"dest": str(path.relative_to(root)), "source": None, "remove": [],
                        "moves_out": False})
    return rewritten + len(legacy)


def _plan_runs(root: Path, staging: Path, entries: list[dict[str, Any]], dry_run: bool) -> int:
    dest = root / RUNS_FILE
    if not dest.exists() or is_current(dest, schemas.RUNS):
        return 0
    if not dry_run:
        source = staging / PUBLISH / RUNS_FILE
        write_parquet_atomic(read_conformed(dest, schemas.RUNS, cast=True), source,
                             staging / ".tmp")
        entries.append({"dest": str(RUNS_FILE), "source": str(source.relative_to(staging)),
                        "remove": [], "moves_out": False})
    return 1


def migrate(root: Path, dry_run: bool = False) -> dict[str, int]:
    """Rewrite what needs it under ``root``; returns files (or partitions) per dataset."""
    if not root.is_dir():
        raise OutputError(f"{root} is not a directory")
    store = ParquetStore(root, f"migrate-{new_run_id()}")
    store._acquire_lock()
    try:
        store._recover()
        entries: list[dict[str, Any]] = []
        done = {name: _plan_dataset(root, name, store.staging, entries, dry_run)
                for name in PARTITIONED}
        done["runs"] = _plan_runs(root, store.staging, entries, dry_run)
        if entries and not dry_run:
            write_json_atomic({"run_id": store.run_id, "entries": entries},
                              store.staging / COMMIT)
            store._publish(store.staging)
        return done
    finally:
        store._release_lock()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="the OUTPUT_DIR to migrate")
    parser.add_argument("--dry-run", action="store_true", help="only say what would change")
    args = parser.parse_args(argv)
    try:
        done = migrate(args.output, args.dry_run)
    except (OutputError, SchemaMismatch) as exc:
        print(f"migrate: {exc}", file=sys.stderr)
        return 2
    verb = "would rewrite" if args.dry_run else "rewrote"
    print(f"{verb}: " + ", ".join(f"{name} {n}" for name, n in done.items()) +
          f" (schema version {schemas.SCHEMA_VERSION})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
