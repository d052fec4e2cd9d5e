"""Rewrite stored files to the current schemas and layout.

    python -m crawler.cli.migrate OUTPUT_DIR [--dry-run]

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

from crawler.urls import canonical_url
from pipelines.store import (
    PART_FILE,
    PUBLISH,
    RUNS_FILE,
    DatasetSpec,
    OutputError,
    ParquetStore,
    Row,
    SchemaMismatch,
    is_current,
    legacy_files,
    merge_tables,
    new_run_id,
    partition_dir,
    partitions,
    read_conformed,
    schemas,
    to_table,
    write_parquet_atomic,
)


def _plan_dataset(spec: DatasetSpec, root: Path, staging: Path, entries: list[dict[str, Any]],
                  dry_run: bool) -> int:
    name = spec.name
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
            table, _ = merge_tables(to_table(incoming[year], spec.schema),
                                    to_table(old, spec.schema), spec)
        else:
            table = to_table(sorted(incoming[year] + old, key=spec.sort_key), spec.schema)
        source = staging / PUBLISH / name / f"year={year:04d}" / PART_FILE
        write_parquet_atomic(table, source, staging / ".tmp")
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
    store = ParquetStore(root, f"migrate-{new_run_id()}", url_key=canonical_url)
    with store.exclusive():
        entries: list[dict[str, Any]] = []
        done = {name: _plan_dataset(store.specs[name], root, store.staging, entries, dry_run)
                for name in store.specs}
        done["runs"] = _plan_runs(root, store.staging, entries, dry_run)
        if entries and not dry_run:
            store.publish_entries(entries)
        return done


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
