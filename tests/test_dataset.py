"""The partitioned dataset: readers, moves between partitions, evolution, migrate,
inspect and the write benchmark."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest

from crawler.cli import inspect as inspect_cmd
from crawler.cli import migrate
from crawler.config import is_secret
from pipelines.store import schemas
from pipelines.store.commit import OutputError
from pipelines.store.evolution import SchemaMismatch, conform
from pipelines.store.runs import append_run, read_runs, run_row
from tests.crawlrun import PROJECT_ROOT
from tests.test_writer import T1, T2, Run, article, files, rate, rows, utc


def test_types_read_back_by_every_reader(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Run(out) as run:
        run.feed(article(1, published_at="2024-12-31T23:30:00+00:00"),
                 article(2, published_at="2025-01-01T03:00:00+05:00"),  # 2024-12-31 UTC
                 article(3, published_at="2025-03-01T10:00:00+00:00"), rate("KZT"))
    assert files(out, "articles") == ["year=2024/part-0.parquet", "year=2025/part-0.parquet"]
    table = pads.dataset(out / "articles", partitioning="hive").to_table()
    assert table.schema.field("year").type == pa.int32()
    assert table.schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("authors").type == pa.list_(pa.string())
    frame = pd.read_parquet(out / "articles")
    assert sorted(zip(frame["post_id"], frame["year"].astype(int), strict=True)) == [
        (1, 2024), (2, 2024), (3, 2025)]
    assert str(frame["published_at"].dtype) == "datetime64[us, UTC]"
    assert frame["authors"].iloc[0].tolist() == ["Jane Doe"]
    lazy = pl.scan_parquet(out / "articles" / "**" / "*.parquet", hive_partitioning=True)
    polars = lazy.sort("post_id").collect()
    assert polars["year"].to_list() == [2024, 2024, 2025]
    assert polars.schema["published_at"] == pl.Datetime("us", "UTC")
    assert polars.schema["authors"] == pl.List(pl.String)
    got = duckdb.sql(
        f"SELECT post_id, year, typeof(published_at), typeof(tags), typeof(word_count) "
        f"FROM read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true) "
        f"ORDER BY post_id").fetchall()
    assert got[0][1:] == (2024, "TIMESTAMP WITH TIME ZONE", "VARCHAR[]", "INTEGER")
    rate_row = duckdb.sql(f"SELECT rate, typeof(rate), observed_on FROM read_parquet("
                          f"'{out}/rates/**/*.parquet', hive_partitioning=true)").fetchall()[0]
    assert rate_row[:2] == (Decimal("0.00190000"), "DECIMAL(18,8)")


def test_article_moving_to_another_year_is_never_doubled(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Run(out) as first:
        first.feed(article(7, published_at="2024-12-31T20:00:00+00:00"), article(8))
    with Run(out) as second:  # the post's date is corrected into the next year
        second.feed(article(7, fetched_at=T2, published_at="2025-01-02T09:00:00+00:00"),
                    article(8, fetched_at=T2))
    assert files(out, "articles") == ["year=2025/part-0.parquet"]  # 2024 emptied, removed
    moved = {r["post_id"]: r for r in rows(out, "articles")}
    assert len(rows(out, "articles")) == 2
    assert moved[7]["published_at"] == utc("2025-01-02T09:00:00+00:00")
    assert (moved[7]["first_seen_at"], moved[7]["last_seen_at"]) == (utc(T1), utc(T2))
    assert (second.stat("output/articles_updated"), second.stat("output/articles_unchanged"),
            second.stat("output/articles_total")) == (1, 1, 2)
    with Run(out) as third:  # and back, next to another post in that year
        third.feed(article(7, fetched_at="2025-01-12T06:00:00+00:00",
                           published_at="2024-06-01T00:00:00+00:00"),
                   article(9, fetched_at="2025-01-12T06:00:00+00:00",
                           published_at="2024-06-02T00:00:00+00:00"))
    assert files(out, "articles") == ["year=2024/part-0.parquet", "year=2025/part-0.parquet"]
    final = rows(out, "articles")
    assert sorted(r["post_id"] for r in final) == [7, 8, 9]
    assert {r["post_id"]: r["first_seen_at"] for r in final}[7] == utc(T1)


def _write_v1(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {b"timesca.schema_version": b"1", b"timesca.dataset": b"articles"}
    pq.write_table(table.replace_schema_metadata(meta), path)


def test_added_nullable_column_reads_with_old_files(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    with Run(out) as first:
        first.feed(article(1, published_at="2024-05-01T00:00:00+00:00"))
    # a next version adds a nullable column; new rows go to 2025, 2024 keeps the old file
    newer = schemas.ARTICLES.append(pa.field("language", pa.string()))
    newer = newer.with_metadata({**schemas.ARTICLES.metadata, b"timesca.schema_version": b"5"})
    monkeypatch.setitem(schemas.SCHEMAS, "articles", newer)
    with Run(out) as second:
        second.feed(article(2, fetched_at=T2))
    old_file, new_file = sorted((out / "articles").rglob("*.parquet"))
    assert "language" not in pq.read_schema(old_file).names
    assert "language" in pq.read_schema(new_file).names
    # the new schema reads both (old rows null) ...
    both = pads.dataset(out / "articles", schema=newer, partitioning="hive").to_table()
    assert sorted(both.column("language").to_pylist(), key=str) == [None, None]
    assert conform(pq.read_table(old_file), newer).num_rows == 1
    sql = (f"SELECT post_id, language FROM read_parquet('{out}/articles/**/*.parquet', "
           f"union_by_name=true) ORDER BY post_id")
    assert duckdb.sql(sql).fetchall() == [(1, None), (2, None)]
    # ... and the old schema reads the new file (the extra column is ignored)
    old = pads.dataset(out / "articles", schema=schemas.ARTICLES).to_table()
    assert sorted(old.column("post_id").to_pylist()) == [1, 2]
    assert migrate.migrate(out) == {"articles": 1, "rates": 0, "rejects": 0, "history": 0,
                                    "runs": 0}
    assert all(pq.read_schema(p).equals(newer, check_metadata=True)
               for p in (out / "articles").rglob("*.parquet"))


@pytest.mark.crawl
def test_incompatible_file_is_named_and_migrate_rewrites_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Run(out) as first:
        first.feed(article(1), article(2, published_at="2024-05-01T00:00:00+00:00"))
    bad = out / "articles" / "year=2024" / "part-0.parquet"
    table = pq.read_table(bad)
    table = table.set_column(0, "post_id", table.column("post_id").cast(pa.string()))
    _write_v1(bad, table)
    with pytest.raises(SchemaMismatch, match=r"year=2024/part-0.parquet: column 'post_id' "
                                             r"is string \(schema version 1\), expected int64"):
        Run(out).writer.open_spider()
    assert inspect_cmd.report(out)[1] == 1
    done = subprocess.run([sys.executable, "-m", "crawler.cli.migrate", str(out)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "articles 1" in done.stdout
    with Run(out) as second:
        second.feed(article(3, fetched_at=T2))
    assert sorted(r["post_id"] for r in rows(out, "articles")) == [1, 2, 3]
    # a value that does not fit is an error naming the file and the column
    table = table.set_column(0, "post_id", pa.array(["not a number"]))
    _write_v1(bad, table)
    with pytest.raises(SchemaMismatch, match=r"part-0\.parquet: column 'post_id' cannot be"):
        migrate.migrate(out)


def test_migrate_converts_the_version_1_layout(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Run(out) as first:
        first.feed(article(1), article(2, published_at="2023-05-01T00:00:00+00:00"),
                   rate("KZT"), rate("UZS"))
    for name in ("articles", "rates"):  # put every row in one flat v1 file
        flat = pads.dataset(out / name, schema=schemas.SCHEMAS[name]).to_table()
        for part in list((out / name).iterdir()):
            for f in part.iterdir():
                f.unlink()
            part.rmdir()
        pq.write_table(flat.drop_columns(["last_seen_at"]), out / name / f"{name}.parquet")
    with pytest.raises(OutputError, match=r"version 1 layout.*crawler\.cli\.migrate"):
        Run(out).writer.open_spider()
    assert migrate.main([str(out)]) == 0
    assert files(out, "articles") == ["year=2023/part-0.parquet", "year=2025/part-0.parquet"]
    assert files(out, "rates") == ["year=2025/part-0.parquet"]
    assert len(rows(out, "rates")) == 2
    assert migrate.migrate(out) == {"articles": 0, "rates": 0, "rejects": 0, "history": 0,
                                    "runs": 0}


def _run(run_id: str, rejects: int, found: int, generic: float) -> dict:
    summary = {"run_id": run_id, "finish_reason": "finished", "requests": 10,
               "pages_fetched": 10, "responses_by_status": {"200": 9, "404": 1},
               "rejects": rejects, "errors_by_kind": {"http_404": 1},
               "archives": [{"archive": "latest", "pages": 2, "found": found,
                             "reported_total": 20, "complete": found >= 20, "end": "x",
                             "flags": []}],
               "field_sources": {"title": {"jsonld": 1 - generic, "generic": generic}}}
    return run_row(summary, started_at=utc(T1), ended_at=utc(T2),
                   spider_args={"base_url": "https://timesca.com"},
                   settings={"OUTPUT_DIR": "out", "API_TOKEN": "x"}, version="0.1.0",
                   is_secret=is_secret)


@pytest.mark.crawl
def test_runs_log_and_inspect_warnings(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Run(out) as run:
        run.feed(article(1), rate("KZT"))
    for n, (rejects, found, generic) in enumerate([(0, 20, 0.0), (2, 20, 0.0), (5, 15, 0.2)]):
        append_run(out, _run(f"r{n}", rejects, found, generic))
    append_run(out, _run("r2", 5, 15, 0.2))  # the same run again replaces its row
    runs = read_runs(out).to_pylist()
    assert [r["run_id"] for r in runs] == ["r0", "r1", "r2"]
    assert dict(runs[0]["settings"]) == {"OUTPUT_DIR": "out"}  # no secrets
    assert dict(runs[0]["responses_by_status"]) == {200: 9, 404: 1}
    by_status = duckdb.sql(  # map_extract()[1]: m[k] is a one-item list before DuckDB 1.2
        f"SELECT run_id, map_extract(responses_by_status, 404)[1] "
        f"FROM read_parquet('{out}/runs/*.parquet') ORDER BY run_id").fetchall()
    assert by_status[0] == ("r0", 1)
    text, warnings = inspect_cmd.report(out)
    assert warnings == 3, text
    assert "rejects growing over the last 3 runs: 0 -> 2 -> 5" in text
    assert "archive completeness falling: 100% -> 75%" in text
    assert "title taken from the generic fallback more often: 0% -> 20%" in text
    assert "articles: 1 rows in 1 partitions (1 files), published_at 2025-01-10" in text
    done = subprocess.run([sys.executable, "-m", "crawler.cli.inspect", str(out)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == text
    missing = subprocess.run([sys.executable, "-m", "crawler.cli.inspect", str(tmp_path / "no")],
                             cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "is not a directory" in missing.stderr
    assert inspect_cmd.main([str(tmp_path)]) == 2  # a directory without datasets


@pytest.mark.crawl
def test_bench_write_script(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bench.write", "--articles", "2000",
                           "--reruns", "1", "--output", str(tmp_path / "b")],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [(r["new"], r["unchanged"], r["total"]) for r in report["runs"]] == [
        (2000, 0, 2000), (0, 2000, 2000)]
    assert report["peak_rss_mb"] > 0 and report["article_files"] == 10
    assert datetime.now(UTC)  # the figures are printed, not asserted
