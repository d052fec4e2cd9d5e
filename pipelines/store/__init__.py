"""The storage package: the datasets under one output directory, kept as partitioned
Parquet with a crash-safe commit.

Its public surface is what this module exports; the crawl (item pipelines, extensions,
the ``crawl`` command), the CLI tools and the tests use nothing else. It never imports
the crawler: the one crawler rule it needs, how an article URL becomes its identity key,
is passed in (``ParquetStore(..., url_key=...)``, ``load_seen(..., url_key=...)``).

- :mod:`.schemas` the Arrow schema of each dataset; :mod:`.evolution` reading files of
  older schemas; :mod:`.layout` where each dataset lives and its keys and order
- :mod:`.upsert` the one upsert engine (Arrow tables); :mod:`.keys` keys and counts
- :mod:`.commit` staging, prepare, commit manifest, publish, recovery (``ParquetStore``)
- :mod:`.inputs` reading stored files a row group at a time; :mod:`.seen` what a rerun
  needs to know of the stored data; :mod:`.runs` the runs log
- :mod:`.lock` one run per output directory; :mod:`.fsutil` atomic writes;
  :mod:`.crashpoints` kill points for the crash tests
"""

from __future__ import annotations

from pipelines.store import schemas
from pipelines.store.commit import (
    PUBLISH,
    LockConflict,
    OutputError,
    ParquetStore,
    check_stored,
    new_run_id,
    to_table,
)
from pipelines.store.evolution import (
    SchemaMismatch,
    UnreadableFile,
    check_file,
    is_current,
    read_conformed,
)
from pipelines.store.fsutil import write_parquet_atomic
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
from pipelines.store.lock import LockBusy, release, reserve
from pipelines.store.runs import append_run, read_runs, run_row
from pipelines.store.seen import Seen, load_seen
from pipelines.store.upsert import merge_tables

__all__ = [
    "PARTITIONED", "PART_FILE", "PUBLISH", "RUNS_FILE", "STAGING", "DatasetSpec",
    "LockBusy", "LockConflict", "MergeCounts", "OutputError", "ParquetStore", "Row",
    "SchemaMismatch", "Seen", "UnreadableFile", "UrlKey", "append_run", "check_file",
    "check_stored", "datasets", "is_current", "legacy_files", "load_seen", "merge_tables",
    "new_run_id", "partition_dir", "partitions", "read_conformed", "read_runs", "release",
    "reserve", "run_row", "schemas", "to_table", "write_parquet_atomic",
]
