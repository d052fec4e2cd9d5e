"""Where the datasets live under OUTPUT_DIR and how rows map to partitions.

::

    OUTPUT_DIR/articles/year=YYYY/part-0.parquet   year of published_at (UTC)
    OUTPUT_DIR/rates/year=YYYY/part-0.parquet      year of observed_on
    OUTPUT_DIR/rejects/year=YYYY/part-0.parquet    year of recorded_at (UTC)
    OUTPUT_DIR/history/year=YYYY/part-0.parquet    year of replaced_at (UTC)
    OUTPUT_DIR/runs/runs.parquet                   one row per run
    OUTPUT_DIR/.staging/<run_id>/                  a run in progress (see parquet_store)
    OUTPUT_DIR/.lock                               held by the running crawl

The ``year`` column comes from the directory name only (hive partitioning); it is
not stored inside the files, so no reader sees two ``year`` columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.store import schemas
from pipelines.store.keys import Key, MergeSpec, Row

PART_FILE = "part-0.parquet"
STAGING = ".staging"
LOCK = ".lock"
_PARTITION = re.compile(r"year=(\d{4})")


def year_of(value: date | datetime) -> int:
    """The partition year of a date, or of a datetime in UTC."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).year if value.tzinfo else value.year
    return value.year


#: a sort order as columns: (column, value standing in for null), first column first.
Order = tuple[tuple[str, Any], ...]


def order_key(order: Order) -> Callable[[Row], tuple[Any, ...]]:
    """The row sort key of ``order`` (what sorting a table by ``order`` does to rows)."""

    def key(row: Row) -> tuple[Any, ...]:
        return tuple(fill if row[name] is None else row[name] for name, fill in order)

    return key


@dataclass(frozen=True)
class DatasetSpec:
    """A partitioned dataset: its schema, partition column and (if keyed) merge rules."""

    name: str
    partition_column: str
    #: None for append-only datasets (rejects).
    merge: MergeSpec | None
    #: row order within a partition file.
    order: Order
    #: columns that identify a row (read alone to build the key index).
    key_columns: tuple[str, ...] = ()
    #: whether a row's key can change partition (articles: published_at edited).
    movable: bool = False
    #: whether a stored row an updated copy replaces is kept in the history dataset
    history: bool = False

    @property
    def schema(self) -> pa.Schema:
        return schemas.SCHEMAS[self.name]

    @property
    def sort_key(self) -> Callable[[Row], tuple[Any, ...]]:
        return order_key(self.order)

    def partition_of(self, row: Row) -> int:
        return year_of(row[self.partition_column])


#: how an article URL becomes its identity key (the crawler passes its canonical form)
UrlKey = Callable[[str], str]


def _as_stored(url: str) -> str:
    return url


def _article_merge(url_key: UrlKey) -> MergeSpec:
    """Articles are keyed by post id, then by ``url_key`` of their URL."""

    def keys(row: Row) -> list[Any]:
        found: list[Any] = []
        if row["post_id"] is not None:
            found.append(("post_id", row["post_id"]))
        if row["url"]:
            found.append(("url", url_key(row["url"])))
        return found

    def table_keys(table: pa.Table) -> list[Key]:
        post_id = table.column("post_id").combine_chunks()
        given = table.column("url").combine_chunks()
        distinct = pc.unique(given)  # a rerun has most URLs twice: keyed once
        keyed = pa.array([url_key(u) if u else None for u in distinct.to_pylist()],
                         pa.string())
        urls = keyed.take(pc.index_in(given, value_set=distinct))
        return [Key((post_id,), pc.is_valid(post_id), "post_id"),
                Key((urls,), pc.is_valid(urls), "url")]

    return MergeSpec(keys=keys, table_keys=table_keys, same_columns=("content_hash",),
                     sort_key=order_key(_ARTICLE_ORDER))


def _rate_keys(row: Row) -> list[Any]:
    return [(row["observed_on"], row["base"], row["quote"])]


_RATE_KEY = ("observed_on", "base", "quote")


def _rate_table_keys(table: pa.Table) -> list[Key]:
    every = pa.array([True] * table.num_rows, pa.bool_())
    return [Key(tuple(table.column(c).combine_chunks() for c in _RATE_KEY), every)]


_ARTICLE_ORDER: Order = (("published_at", None), ("post_id", 0), ("url", None))
_RATE_ORDER: Order = (("observed_on", None), ("base", ""), ("quote", ""))
_REJECT_ORDER: Order = (("recorded_at", None), ("run_id", ""), ("url", ""))
_HISTORY_ORDER: Order = (("replaced_at", None), ("post_id", 0), ("url", ""))

RATES = DatasetSpec(
    name="rates",
    partition_column="observed_on",
    merge=MergeSpec(keys=_rate_keys, table_keys=_rate_table_keys,
                    same_columns=("rate_text", "change_text"), sort_key=order_key(_RATE_ORDER)),
    order=_RATE_ORDER,
    key_columns=_RATE_KEY,
)
REJECTS = DatasetSpec(name="rejects", partition_column="recorded_at", merge=None,
                      order=_REJECT_ORDER)

#: append-only: a row each time a run replaced a stored article row (the old version)
HISTORY = DatasetSpec(name="history", partition_column="replaced_at", merge=None,
                      order=_HISTORY_ORDER)



def datasets(url_key: UrlKey = _as_stored) -> dict[str, DatasetSpec]:
    """The partitioned datasets, in commit order (history after articles: the articles'
    merge stages the rows it replaces); articles keyed with ``url_key``."""
    articles = DatasetSpec(name="articles", partition_column="published_at",
                           merge=_article_merge(url_key), order=_ARTICLE_ORDER,
                           key_columns=("post_id", "url"), movable=True, history=True)
    return {s.name: s for s in (articles, RATES, REJECTS, HISTORY)}


#: names, schemas, partitions and order of the datasets (article URLs keyed as stored:
#: whatever merges articles builds its own with :func:`datasets`)
PARTITIONED: dict[str, DatasetSpec] = datasets()
RUNS_FILE = Path("runs") / "runs.parquet"


def partition_dir(root: Path, dataset: str, year: int) -> Path:
    return root / dataset / f"year={year:04d}"


def parquet_files(directory: Path) -> list[Path]:
    """Data files of ``directory`` as readers see them (no hidden or ``_`` files)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.parquet")
                  if p.is_file() and not p.name.startswith((".", "_")))


def partitions(root: Path, dataset: str) -> dict[int, list[Path]]:
    """year -> data files of each partition of ``dataset``."""
    base = root / dataset
    found: dict[int, list[Path]] = {}
    if base.is_dir():
        for child in sorted(base.iterdir()):
            match = _PARTITION.fullmatch(child.name)
            if match and child.is_dir():
                found[int(match.group(1))] = parquet_files(child)
    return found


def legacy_files(root: Path, dataset: str) -> list[Path]:
    """Files of the version 1 layout (one unpartitioned file per dataset)."""
    return parquet_files(root / dataset) if dataset in PARTITIONED else []
