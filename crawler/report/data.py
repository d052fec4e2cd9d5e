"""What the report shows, read from an output directory a column at a time.

Each dataset's files are found with :func:`pipelines.store.partitions` and checked with
:func:`pipelines.store.check_file` (a file that does not fit its schema is named in the
report and left out, not fatal); only the columns a chart needs are read, a record batch
at a time, and folded into counters, so memory holds the counts, not the rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.normalize import Unparsed, parse_change
from pipelines.store import (
    PARTITIONED,
    RUNS_FILE,
    SchemaMismatch,
    UnreadableFile,
    check_file,
    legacy_files,
    partitions,
    schemas,
)

#: rows per record batch read from a file
BATCH_ROWS = 8192
#: the article columns the report reads (nothing else of an article is loaded)
ARTICLE_COLUMNS = ("published_at", "countries", "sections", "tags")
RATE_COLUMNS = ("observed_on", "pair", "base", "quote", "rate", "change_text")
REJECT_COLUMNS = ("run_id", "kind")
RUN_COLUMNS = ("run_id", "started_at", "ended_at", "finish_reason", "project_version",
               "requests", "responses", "retries", "articles_new", "articles_updated",
               "articles_unchanged", "rejects", "archives", "field_sources")
DATASETS = (*PARTITIONED, "runs")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def has_dataset(root: Path) -> bool:
    """Whether ``root`` holds any dataset directory (what the crawl writes)."""
    return any((root / name).is_dir() for name in DATASETS)


def change_kind(text: str | None) -> str:
    """``signed-zero`` ("-0%", "+0%": the rate moved by less than the rounding), ``zero``
    ("0%"), ``change`` or ``unknown``, as the normalize pipeline reads the text."""
    try:
        change = parse_change(text)
    except Unparsed:
        return "unknown"
    if change is None:
        return "unknown"
    if change:
        return "change"
    return "signed-zero" if change.is_signed() or text.lstrip()[:1] == "+" else "zero"


@dataclass
class Articles:
    """Counts over the ``articles`` dataset."""

    rows: int = 0
    first: datetime | None = None
    last: datetime | None = None
    #: (month "YYYY-MM", country) -> articles; an article of two countries counts in both
    by_country_month: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: month -> articles whose (known) countries list is empty
    no_country_month: Counter[str] = field(default_factory=Counter)
    sections: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    #: column -> rows stored without it (a file of schema < 5, or a null value)
    unknown: Counter[str] = field(default_factory=Counter)
    #: column -> files (of schema < 5) that lack it altogether
    files_without: Counter[str] = field(default_factory=Counter)
    months: set[str] = field(default_factory=set)


@dataclass
class RatePoint:
    observed_on: date
    rate: float | None
    change_text: str | None

    @property
    def kind(self) -> str:
        return change_kind(self.change_text)


@dataclass
class Report:
    """Everything the page shows of one output directory."""

    root: Path
    articles: Articles = field(default_factory=Articles)
    #: pair -> points, oldest first
    rates: dict[str, list[RatePoint]] = field(default_factory=dict)
    #: runs log rows (the RUN_COLUMNS), oldest first
    runs: list[dict[str, Any]] = field(default_factory=list)
    #: (run_id, kind) -> rejects
    rejects: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: dataset -> rows (from the files' footers)
    row_counts: dict[str, int] = field(default_factory=dict)
    #: files left out, with the reason
    problems: list[str] = field(default_factory=list)


def dataset_files(root: Path, name: str) -> list[Path]:
    """The data files of a partitioned dataset, oldest partition first."""
    return [f for files in partitions(root, name).values() for f in files]


def batches(files: list[Path], schema: pa.Schema, columns: tuple[str, ...],
            problems: list[str]) -> Iterator[tuple[Path, pa.RecordBatch]]:
    """Record batches of ``columns`` (those each file has) of every readable file."""
    for path in files:
        try:
            check_file(path, schema)
            handle = pq.ParquetFile(path)
        except (SchemaMismatch, UnreadableFile, pa.ArrowException, OSError) as exc:
            problems.append(f"left out {path}: {exc}")
            continue
        present = [c for c in columns if c in handle.schema_arrow.names]
        try:
            for batch in handle.iter_batches(batch_size=BATCH_ROWS, columns=present,
                                             use_threads=False):
                yield path, batch
        except (pa.ArrowException, OSError) as exc:  # damaged past its footer
            problems.append(f"left out the rest of {path}: {exc}")


def _counts(values: pa.Array) -> Counter[str]:
    found: Counter[str] = Counter()
    for item in pc.value_counts(values.drop_null()).to_pylist():
        found[item["values"]] += item["counts"]
    return found


def _fold_articles(out: Articles, batch: pa.RecordBatch) -> None:
    published = batch.column("published_at")
    out.rows += batch.num_rows
    if batch.num_rows:
        low, high = pc.min_max(published).values()
        for value in (low.as_py(), high.as_py()):
            if value is not None:
                out.first = value if out.first is None else min(out.first, value)
                out.last = value if out.last is None else max(out.last, value)
    months = pc.strftime(published, format="%Y-%m")
    out.months.update(m for m in pc.unique(months).to_pylist() if m)
    names = batch.schema.names
    for column in ("countries", "sections", "tags"):
        if column not in names:
            out.unknown[column] += batch.num_rows
            continue
        values = batch.column(column)
        out.unknown[column] += values.null_count
        if column == "tags":
            out.tags.update(_counts(pc.list_flatten(values)))
        elif column == "sections":
            out.sections.update(_counts(pc.list_flatten(values)))
        else:
            flat = pc.list_flatten(values)
            owners = months.take(pc.list_parent_indices(values))
            grouped = pa.table({"m": owners, "c": flat}).group_by(
                ["m", "c"], use_threads=False).aggregate(
                [("c", "count")])
            for m, c, n in zip(*(grouped.column(k).to_pylist() for k in ("m", "c", "c_count")),
                               strict=True):
                if m and c:
                    out.by_country_month[(m, c)] += n
            empty = pc.and_(pc.is_valid(values), pc.equal(pc.list_value_length(values), 0))
            out.no_country_month.update(_counts(months.filter(empty)))


def read_articles(root: Path, problems: list[str]) -> Articles:
    out = Articles()
    last: Path | None = None
    for path, batch in batches(dataset_files(root, "articles"), schemas.ARTICLES,
                               ARTICLE_COLUMNS, problems):
        if path != last:
            out.files_without.update(c for c in ("countries", "sections")
                                     if c not in batch.schema.names)
            last = path
        _fold_articles(out, batch)
    return out


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def read_rates(root: Path, problems: list[str]) -> dict[str, list[RatePoint]]:
    """pair -> its points by day (a few rows a day: the rates are read whole)."""
    found: dict[str, list[RatePoint]] = defaultdict(list)
    for _path, batch in batches(dataset_files(root, "rates"), schemas.RATES, RATE_COLUMNS,
                                problems):
        rows = batch.to_pylist()
        for row in rows:
            pair = row.get("pair") or f"{row.get('base') or '?'}/{row.get('quote') or '?'}"
            found[pair].append(RatePoint(row["observed_on"], _number(row.get("rate")),
                                         row.get("change_text")))
    for points in found.values():
        points.sort(key=lambda p: p.observed_on)
    return dict(sorted(found.items()))


def read_rejects(root: Path, problems: list[str]) -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for _path, batch in batches(dataset_files(root, "rejects"), schemas.REJECTS,
                                REJECT_COLUMNS, problems):
        if batch.num_rows == 0:
            continue
        grouped = pa.table({
            "run": batch.column("run_id") if "run_id" in batch.schema.names
            else pa.nulls(batch.num_rows, pa.string()),
            "kind": batch.column("kind") if "kind" in batch.schema.names
            else pa.nulls(batch.num_rows, pa.string()),
        }).group_by(["run", "kind"], use_threads=False).aggregate([([], "count_all")])
        for run, kind, n in zip(grouped.column("run").to_pylist(),
                                grouped.column("kind").to_pylist(),
                                grouped.column("count_all").to_pylist(), strict=True):
            found[(run or "?", kind or "unknown")] += n
    return found


def read_runs_log(root: Path, problems: list[str]) -> list[dict[str, Any]]:
    """The runs log (the RUN_COLUMNS of each row), by start time."""
    path = root / RUNS_FILE
    if not path.exists():
        return []
    rows: list[dict[str, Any]] = []
    for _path, batch in batches([path], schemas.RUNS, RUN_COLUMNS, problems):
        rows.extend(batch.to_pylist())
    for row in rows:
        for name in RUN_COLUMNS:
            row.setdefault(name, None)
    def when(row: dict[str, Any]) -> tuple[bool, datetime]:
        moment = row["started_at"] or row["ended_at"]
        return moment is None, moment or _EPOCH  # runs of unknown time last

    rows.sort(key=when)
    return rows


def row_counts(root: Path, problems: list[str]) -> dict[str, int]:
    """dataset -> rows, from the files' footers (no data read)."""
    counts: dict[str, int] = {}
    for name in PARTITIONED:
        total = 0
        for path in dataset_files(root, name):
            try:
                total += pq.read_metadata(path).num_rows
            except (pa.ArrowException, OSError):
                continue  # named by the reader of the dataset
        counts[name] = total
    runs = root / RUNS_FILE
    try:
        counts["runs"] = pq.read_metadata(runs).num_rows if runs.exists() else 0
    except (pa.ArrowException, OSError) as exc:
        problems.append(f"left out {runs}: {exc}")
        counts["runs"] = 0
    return counts


def read_report(root: Path) -> Report:
    """Read what every chart needs from ``root``."""
    report = Report(root)
    problems = report.problems
    for name in PARTITIONED:
        problems.extend(f"left out {path}: a file of the version 1 layout; run "
                        f"timesca-migrate {root}" for path in legacy_files(root, name))
    report.row_counts = row_counts(root, problems)
    report.articles = read_articles(root, problems)
    report.rates = read_rates(root, problems)
    report.rejects = read_rejects(root, problems)
    report.runs = read_runs_log(root, problems)
    return report
