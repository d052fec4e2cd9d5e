"""ParquetWriterPipeline and ParquetStore: round trip, merge, recovery, failures."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem, RateItem, RejectItem
from pipelines.dedupe import DedupePipeline
from pipelines.normalize import NormalizePipeline
from pipelines.store import fsutil, schemas
from pipelines.store.commit import OutputError
from pipelines.store.layout import PARTITIONED
from pipelines.validate import ValidatePipeline
from pipelines.writer import ParquetWriterPipeline
from tests.merge_oracle import merge_rows

REPO = Path(__file__).resolve().parents[1]
DATASETS = ("articles", "rates", "rejects")


def files(output: Path, name: str) -> list[str]:
    """Data files of a dataset, relative to it."""
    return sorted(str(p.relative_to(output / name)) for p in (output / name).rglob("*.parquet"))
T1 = "2025-01-10T06:00:00+00:00"
T2 = "2025-01-11T06:00:00+00:00"


class _Spider(Spider):
    name = "test"


class Run:
    """One crawl run's pipeline chain on a real Crawler."""

    def __init__(self, output: Path, **settings: Any) -> None:
        self.crawler: Crawler = get_crawler(_Spider, {"OUTPUT_DIR": str(output), **settings})
        self.pipelines = [cls.from_crawler(self.crawler) for cls in (
            NormalizePipeline, ValidatePipeline, DedupePipeline, ParquetWriterPipeline)]
        self.writer: ParquetWriterPipeline = self.pipelines[-1]

    def __enter__(self) -> Run:
        self.writer.open_spider()
        return self

    def __exit__(self, *exc: object) -> None:
        self.writer.close_spider()

    def feed(self, *items: Any) -> None:
        for item in items:
            try:
                for pipeline in self.pipelines:
                    item = pipeline.process_item(item)
            except DropItem:
                pass

    def stat(self, key: str) -> Any:
        return self.crawler.stats.get_value(key)


def article(post_id: int | None = 101, fetched_at: str = T1, **fields: Any) -> ArticleItem:
    base: dict[str, Any] = {
        "url": f"https://timesca.com/post-{post_id}/",
        "post_id": post_id,
        "title": f"Post {post_id}",
        "summary": "Summary\u00a0text",
        # each post's own text: text repeated across posts would be site boilerplate
        "body_text": f"First para of {post_id}.\n\nSecond para of {post_id}.",
        "authors": ["Jane Doe"],
        "published_at": "2025-01-10T08:15:00+05:00",
        "categories": ["Kazakhstan"],
        "tags": ["oil", "gas"],
        "image_url": "https://timesca.com/wp-content/uploads/2025/01/a.jpg",
        "sources": {"title": "jsonld", "body_text": "theme"},
        "fetched_at": fetched_at,
    }
    base.update(fields)
    return ArticleItem(**base)


def rate(base: str = "KZT", rate_text: str = "0.00190", change_text: str = "-0%",
         observed_on: str | None = "2025-01-10", source: str = "dateline",
         fetched_at: str = T1) -> RateItem:
    return RateItem(base=base, quote="USD", rate_text=rate_text, change_text=change_text,
                    observed_on=observed_on, observed_on_source=source,
                    page_url="https://timesca.com/latest/", fetched_at=fetched_at)


def rows(output: Path, name: str) -> list[dict[str, Any]]:
    """Rows as stored (without the hive ``year`` column)."""
    table = pads.dataset(output / name, partitioning="hive").to_table()
    return table.drop_columns([c for c in ["year"] if c in table.column_names]).to_pylist()


def by(rows_: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    return {row[key]: row for row in rows_}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def assert_clean_dataset_dirs(output: Path) -> None:
    for name in DATASETS:
        for part in (output / name).iterdir():
            assert part.is_dir() and re.fullmatch(r"year=\d{4}", part.name), part
            assert [p.name for p in part.iterdir()] == ["part-0.parquet"], part


def test_round_trip_all_readers(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Run(out) as run:
        run.feed(
            article(101),
            article(102, modified_at="2025-01-11 10:00:00", summary=None,
                    image_url=None, tags=[]),
            article(103, title=None),
            rate("KZT", "0.00190", "-0%"),
            rate("UZS", "0.00008", "0%"),
            rate("KGS", "0.01140", "0.2%", source="http-date"),
            rate("TJS", "0.09100", "-0.1%", source="fetch-time"),
            rate("TMT", "0.28600", "bad"),
            RejectItem(url="https://timesca.com/gone/", kind="http", reason="HTTP 404",
                       recorded_at="2025-01-10T06:00:01+00:00"),
        )
    run_id = run.stat("run/id")
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{4}", run_id)
    assert_clean_dataset_dirs(out)
    assert not (out / ".staging").exists()

    assert files(out, "articles") == ["year=2025/part-0.parquet"]
    assert files(out, "rates") == ["year=2025/part-0.parquet"]
    for name in DATASETS:  # exact schema, metadata included, file and dataset
        for path in (out / name).rglob("*.parquet"):
            assert pq.read_schema(path).equals(schemas.SCHEMAS[name], check_metadata=True)
            assert pq.read_schema(path).metadata == {
                b"timesca.schema_version": b"5", b"timesca.dataset": name.encode()}
        assert pads.dataset(out / name).schema.equals(schemas.SCHEMAS[name])

    articles = by(rows(out, "articles"), "post_id")
    assert sorted(articles) == [101, 102]
    a = articles[101]
    assert a == {
        "post_id": 101, "url": "https://timesca.com/post-101/", "title": "Post 101",
        "summary": "Summary text", "body_text": "First para of 101.\n\nSecond para of 101.",
        "authors": ["Jane Doe"], "published_at": datetime(2025, 1, 10, 3, 15, tzinfo=UTC),
        "modified_at": None, "categories": ["Kazakhstan"], "tags": ["oil", "gas"],
        # no term paths given: the country comes from the names
        "category_paths": [], "countries": ["Kazakhstan"], "sections": [],
        "image_url": "https://timesca.com/wp-content/uploads/2025/01/a.jpg", "word_count": 8,
        "content_hash": a["content_hash"],
        "field_sources": [("body_text", "theme"), ("title", "jsonld")],
        "fetched_at": utc(T1), "first_seen_at": utc(T1), "last_seen_at": utc(T1),
        "removed_at": None, "http_etag": None, "http_last_modified": None, "flags": [],
    }
    assert re.fullmatch(r"[0-9a-f]{64}", a["content_hash"])
    assert articles[102]["modified_at"] == datetime(2025, 1, 11, 5, 0, tzinfo=UTC)

    rates = by(rows(out, "rates"), "base")
    assert sorted(rates) == ["KGS", "KZT", "TJS", "UZS"]
    kzt = rates["KZT"]
    assert kzt == {
        "observed_on": date(2025, 1, 10), "base": "KZT", "quote": "USD", "pair": "KZT/USD",
        "rate": Decimal("0.00190000"), "rate_text": "0.00190", "change_pct": Decimal("0.0000"),
        "change_text": "-0%", "direction": "down", "observed_on_source": "dateline",
        "date_inferred": False, "page_url": "https://timesca.com/latest/",
        "fetched_at": utc(T1), "first_seen_at": utc(T1), "last_seen_at": utc(T1),
    }
    assert rates["UZS"]["rate"] == Decimal("0.00008")
    assert (rates["UZS"]["direction"], rates["UZS"]["change_text"]) == ("flat", "0%")
    assert (rates["KGS"]["direction"], rates["KGS"]["change_pct"]) == ("up", Decimal("0.2"))
    assert rates["KGS"]["date_inferred"] is True
    assert (rates["TJS"]["direction"], rates["TJS"]["change_pct"]) == ("down", Decimal("-0.1"))

    rejects = by(rows(out, "rejects"), "url")
    assert rejects["https://timesca.com/post-103/"] | {"recorded_at": None} == {
        "run_id": run_id, "recorded_at": None, "url": "https://timesca.com/post-103/",
        "kind": "validation", "reason": "missing title", "field": "title", "raw_value": None}
    assert rejects["https://timesca.com/latest/"]["reason"] == "unparseable change_text"
    assert rejects["https://timesca.com/latest/"]["raw_value"] == "bad"
    assert rejects["https://timesca.com/gone/"]["recorded_at"] == utc("2025-01-10T06:00:01Z")

    # pandas, DuckDB and polars read the same directories
    frame = pd.read_parquet(out / "articles")
    assert sorted(frame["post_id"].tolist()) == [101, 102]
    assert str(frame["published_at"].dtype) == "datetime64[us, UTC]"
    assert len(pd.read_parquet(out / "rejects")) == 3
    sql = (f"SELECT rate_text, change_text, direction, CAST(rate AS VARCHAR), year "
           f"FROM read_parquet('{out}/rates/**/*.parquet', hive_partitioning=true) "
           f"WHERE base = 'UZS'")
    assert duckdb.sql(sql).fetchall() == [("0.00008", "0%", "flat", "0.00008000", 2025)]
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/articles/**/*.parquet', "
                   f"hive_partitioning=true)").fetchall()
    assert n == [(2,)]
    polars_rates = pl.read_parquet(out / "rates" / "**" / "*.parquet", hive_partitioning=True)
    assert polars_rates.filter(pl.col("base") == "KZT")["change_text"].to_list() == ["-0%"]
    assert polars_rates.schema["rate"] == pl.Decimal(18, 8)

    assert (run.stat("output/articles_written"), run.stat("output/articles_new")) == (2, 2)
    assert run.stat("output/rates_written") == 4
    assert run.stat("output/rejects_written") == 3
    assert {k: v for k, v in run.crawler.stats.get_stats().items()
            if k.startswith("output/rejects/")} == {
        "output/rejects/validation": 2, "output/rejects/http": 1}


def test_batches_are_staged_atomically(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Run(out, PARQUET_BATCH_ROWS=2) as run:
        run.feed(*(rate(b, observed_on=f"2025-01-1{i}") for i in range(3)
                   for b in ("KZT", "UZS")), rate("KGS"))
        staging = out / ".staging" / run.stat("run/id")
        parts = sorted(p.name for p in (staging / "rates" / "year=2025").iterdir())
        assert parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
        assert sum(pq.read_metadata(staging / "rates" / "year=2025" / p).num_rows
                   for p in parts) == 6
        assert list((staging / ".tmp").iterdir()) == []
    assert run.stat("output/rates_written") == 7
    assert len(rows(out, "rates")) == 7


def test_merge_insert_replace_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Run(out) as first:
        first.feed(article(101), article(102), article(None, url="https://timesca.com/no-id/"),
                   rate("KZT"), rate("UZS", "0.00008", "0%"))
    with Run(out) as second:
        second.feed(
            article(101, fetched_at=T2, sources={"title": "meta"}),  # same content
            article(102, fetched_at=T2, title="Post 102, corrected"),  # changed
            article(103, fetched_at=T2),  # new
            article(104, fetched_at=T2, url="https://timesca.com/no-id"),  # gains its id
            rate("KZT", fetched_at=T2),  # same
            rate("UZS", "0.00009", "0.1%", fetched_at=T2),  # changed
            rate("UZS", "0.00009", "0.1%", observed_on="2025-01-11", fetched_at=T2),  # new
        )
    assert files(out, "articles") == ["year=2025/part-0.parquet"]
    assert files(out, "rejects") == []
    stats = {k: second.stat(f"output/articles_{k}")
             for k in ("written", "new", "updated", "unchanged", "total")}
    assert stats == {"written": 4, "new": 1, "updated": 2, "unchanged": 1, "total": 4}
    assert (second.stat("output/rates_new"), second.stat("output/rates_updated"),
            second.stat("output/rates_unchanged")) == (1, 1, 1)

    articles = by(rows(out, "articles"), "url")
    same = articles["https://timesca.com/post-101/"]
    assert same["field_sources"] == [("body_text", "theme"), ("title", "jsonld")]  # old data
    assert (same["fetched_at"], same["first_seen_at"], same["last_seen_at"]) == (
        utc(T1), utc(T1), utc(T2))
    changed = articles["https://timesca.com/post-102/"]
    assert changed["title"] == "Post 102, corrected"
    assert (changed["fetched_at"], changed["first_seen_at"], changed["last_seen_at"]) == (
        utc(T2), utc(T1), utc(T2))
    new = articles["https://timesca.com/post-103/"]
    assert (new["first_seen_at"], new["last_seen_at"]) == (utc(T2), utc(T2))
    upgraded = by(rows(out, "articles"), "post_id")[104]  # the id-less row, matched by URL
    assert (upgraded["url"], upgraded["first_seen_at"]) == ("https://timesca.com/no-id", utc(T1))
    assert None not in by(rows(out, "articles"), "post_id")

    rates = {(r["observed_on"], r["base"]): r for r in rows(out, "rates")}
    assert len(rates) == 3
    kzt = rates[(date(2025, 1, 10), "KZT")]
    assert (kzt["first_seen_at"], kzt["last_seen_at"]) == (utc(T1), utc(T2))
    uzs = rates[(date(2025, 1, 10), "UZS")]
    assert (uzs["rate"], uzs["change_text"], uzs["direction"]) == (
        Decimal("0.00009"), "0.1%", "up")
    assert (uzs["first_seen_at"], uzs["last_seen_at"]) == (utc(T1), utc(T2))


@pytest.mark.crawl
def test_rejects_appended_per_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ids = []
    for when in (T1, T2):
        with Run(out) as run:
            run.feed(article(101, fetched_at=when, body_text=None))
        ids.append(run.stat("run/id"))
    assert len(files(out, "rejects")) == 1  # one file per partition, not per run
    assert sorted(r["run_id"] for r in rows(out, "rejects")) == sorted(ids)
    assert rows(out, "articles") == []


KILLED_RUN = """
import os, sys
from scrapy import Spider
from scrapy.utils.reactor import install_reactor
from scrapy.utils.test import get_crawler
from pipelines.writer import ParquetWriterPipeline
from pipelines.normalize import NormalizePipeline
from crawler.items import ArticleItem, RateItem, RejectItem

class S(Spider):
    name = "killed"

install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
crawler = get_crawler(S, {"OUTPUT_DIR": sys.argv[1], "PARQUET_BATCH_ROWS": 1,
                          "RUN_ID": "20250110T000000Z-dead"})
norm, writer = NormalizePipeline.from_crawler(crawler), ParquetWriterPipeline.from_crawler(crawler)
writer.open_spider()
for item in [
    ArticleItem(url="https://timesca.com/post-101/", post_id=101, title="Killed title",
                body_text="Body.", published_at="2025-01-10T08:15:00+05:00",
                fetched_at="2025-01-10T05:00:00Z"),
    ArticleItem(url="https://timesca.com/post-201/", post_id=201, title="Only in killed run",
                body_text="Body.", published_at="2025-01-10T08:15:00+05:00",
                fetched_at="2025-01-10T05:00:00Z"),
    RateItem("KZT", "USD", "0.00190", "-0%", "2025-01-09", "dateline",
             "https://timesca.com/", "2025-01-10T05:00:00Z"),
    RejectItem(url="https://timesca.com/gone/", kind="http", reason="HTTP 404"),
]:
    writer.process_item(norm.process_item(item))
os._exit(9)  # killed: no close_spider
"""


def run_killed(out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(KILLED_RUN), str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr


def test_killed_run_staging_is_merged_by_next_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Run(out) as first:
        first.feed(article(101, fetched_at="2025-01-09T00:00:00Z"))
    run_killed(out)
    staged = out / ".staging" / "20250110T000000Z-dead"
    assert len(list(staged.glob("*/year=*/part-*.parquet"))) == 4
    assert files(out, "articles") == ["year=2025/part-0.parquet"]

    with Run(out) as nxt:
        nxt.feed(article(102, fetched_at=T2))
    assert nxt.stat("output/recovered_runs") == 1
    assert nxt.stat("output/recovered_rows") == 4
    assert not (out / ".staging").exists()
    assert_clean_dataset_dirs(out)
    articles = by(rows(out, "articles"), "post_id")
    assert sorted(articles) == [101, 102, 201]
    assert articles[101]["title"] == "Killed title"
    assert articles[101]["first_seen_at"] == utc("2025-01-09T00:00:00Z")
    assert (nxt.stat("output/articles_new"), nxt.stat("output/articles_total")) == (1, 3)
    assert [r["rate_text"] for r in rows(out, "rates")] == ["0.00190"]
    assert {r["run_id"] for r in rows(out, "rejects")} >= {"20250110T000000Z-dead"}


def test_failure_while_publishing_keeps_previous_dataset(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    with Run(out) as first:
        first.feed(article(101), rate("KZT"))
    stored = out / "articles" / "year=2025" / "part-0.parquet"
    before = hashlib.sha256(stored.read_bytes()).hexdigest()

    real_write = fsutil.pq.write_table

    def failing_write(table: Any, where: Any, **kwargs: Any) -> None:
        if ".part-0.parquet" in str(where) and "title" in table.column_names:
            real_write(table.slice(0, 1), where, **kwargs)  # a partial temp file, then
            raise OSError(28, "No space left on device")
        real_write(table, where, **kwargs)

    second = Run(out)
    second.writer.open_spider()
    second.feed(article(101, fetched_at=T2, title="Changed"), article(102, fetched_at=T2))
    monkeypatch.setattr(fsutil.pq, "write_table", failing_write)
    with pytest.raises(OSError, match="No space left"):
        second.writer.close_spider()
    monkeypatch.undo()

    assert hashlib.sha256(stored.read_bytes()).hexdigest() == before
    assert_clean_dataset_dirs(out)
    assert [r["title"] for r in rows(out, "articles")] == ["Post 101"]
    assert pd.read_parquet(out / "articles")["title"].tolist() == ["Post 101"]
    staged = out / ".staging" / second.stat("run/id")
    assert len(list(staged.glob("articles/year=*/part-*.parquet"))) == 1

    with Run(out) as third:  # the failed run's rows are not lost
        pass
    assert third.stat("output/recovered_runs") == 1
    assert {r["title"] for r in rows(out, "articles")} == {"Changed", "Post 102"}


def test_bad_row_mid_run_fails_that_item_only(tmp_path: Path) -> None:
    """A record the store cannot take (no title; an id beyond int64) is a reject row; the
    rows before and after it are published."""
    out = tmp_path / "out"
    with Run(out) as run:
        run.feed(article(101))
        from pipelines.records import Article
        run.writer.process_item(Article(url="https://timesca.com/x/", body_text="b",
                                        published_at=datetime(2025, 1, 1, tzinfo=UTC)))
        huge = run.pipelines[0].process_item(article(2**63, title="Huge"))
        run.writer.process_item(huge)  # past validation: the store's encoding catches it
        run.feed(article(102))
    assert sorted(by(rows(out, "articles"), "post_id")) == [101, 102]
    rejects = {r["url"]: r for r in rows(out, "rejects")}
    assert rejects["https://timesca.com/x/"]["kind"] == "storage"
    assert "required title" in rejects["https://timesca.com/x/"]["reason"]
    huge_reject = rejects[f"https://timesca.com/post-{2**63}/"]
    assert huge_reject["kind"] == "storage"
    assert "does not fit the articles schema" in huge_reject["reason"]
    assert run.stat("item_errors/not_stored") == 2
    # the writer's own rejects are counted by kind like the ones it is given
    assert run.stat("output/rejects/storage") == 2


def test_output_dir_not_writable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    run = Run(blocker / "out")
    with pytest.raises(OutputError, match="is not writable"):
        run.writer.open_spider()


@pytest.mark.crawl
def test_output_dir_in_use_by_another_crawl(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Run(out), pytest.raises(OutputError, match="in use by another crawl"):
        Run(out).writer.open_spider()
    with Run(out):  # lock released on close
        pass


def test_output_dir_relative_to_cwd_and_default(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    crawler = get_crawler(_Spider, {})
    writer = ParquetWriterPipeline.from_crawler(crawler)
    writer.open_spider()
    writer.close_spider()
    assert crawler.stats.get_value("output/dir") == str(tmp_path / "output")
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [
        ".lock", "articles", "history", "rates", "rejects"]  # runs/: the summary extension


@pytest.mark.crawl
def test_unhandled_items_pass_through(tmp_path: Path) -> None:
    with Run(tmp_path / "out") as run:
        raw = article(101)
        assert run.writer.process_item(raw) is raw
    assert run.stat("output/not_written/ArticleItem") == 1


CRAWL = """
import sys
from scrapy import Spider
from scrapy.crawler import CrawlerProcess
from crawler.items import ArticleItem, RateItem

class Items(Spider):
    name = "items"

    async def start(self):
        for i in range(3):
            yield ArticleItem(url="https://timesca.com/p/", post_id=7, title="T",
                              body_text="B", published_at="2025-01-10T08:15:00+05:00")
            yield RateItem("KZT", "USD", "0.00190", "-0%" if i < 2 else "0%", "2025-01-10",
                           "dateline", "https://timesca.com/", "2025-01-10T06:00:00Z")

process = CrawlerProcess({
    "OUTPUT_DIR": sys.argv[1], "LOG_LEVEL": "DEBUG",
    "ITEM_PIPELINES": {
        "pipelines.normalize.NormalizePipeline": 100,
        "pipelines.validate.ValidatePipeline": 200,
        "pipelines.dedupe.DedupePipeline": 300,
        "pipelines.writer.ParquetWriterPipeline": 900,
    },
})
process.crawl(Items)
process.start()
"""


@pytest.mark.crawl
def test_real_crawl_duplicates_are_quiet(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(CRAWL), str(out)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    log = done.stderr
    assert done.returncode == 0, log
    assert len(re.findall(r"\[scrapy\.core\.scraper\] DEBUG: Dropped: duplicate", log)) == 4
    warnings = re.findall(r"\] WARNING: (.*)", log)
    assert len(warnings) == 1 and "Conflicting rates for KZT/USD" in warnings[0], warnings
    assert "'dedupe/articles_duplicate': 2" in log
    assert "'output/articles_written': 1" in log
    assert [r["change_text"] for r in rows(out, "rates")] == ["-0%"]


def test_merge_never_lets_an_older_row_replace_a_newer_one() -> None:
    older, newer = utc(T1), utc(T2)
    stored = [{"observed_on": date(2025, 1, 10), "base": "KZT", "quote": "USD",
               "rate_text": "0.00191", "change_text": "0%",
               "first_seen_at": newer, "last_seen_at": newer}]
    late = [{**stored[0], "rate_text": "0.00190", "first_seen_at": older, "last_seen_at": older}]
    merged, counts = merge_rows(stored, late, PARTITIONED["rates"].merge)
    assert [(r["rate_text"], r["first_seen_at"], r["last_seen_at"]) for r in merged] == [
        ("0.00191", older, newer)]
    assert (counts.unchanged, counts.total) == (1, 1)


def test_storage_work_is_timed(tmp_path: Path) -> None:
    with Run(tmp_path / "out") as run:
        run.feed(article(101), rate("KZT"))
        staged = run.stat("timing/parquet_write_s")
        assert staged > 0 and run.stat("timing/parquet_write_cpu_s") > 0
    assert run.stat("timing/parquet_write_s") > staged  # + the commit


def test_a_replaced_row_is_kept_in_history(tmp_path: Path) -> None:
    """An edit is never a loss: the stored version an updated copy replaces goes to the
    history dataset, with when and by which run; unchanged rows leave no history."""
    out = tmp_path / "out"
    with Run(out) as first:
        first.feed(article(101), article(102), article(103, published_at="2024-06-01"))
    with Run(out) as second:
        second.feed(article(101, fetched_at=T2),  # same content
                    article(102, fetched_at=T2, title="Post 102, corrected"),
                    # edited, and moved from 2024 to 2025
                    article(103, fetched_at=T2, title="Post 103, moved",
                            published_at="2025-02-01T00:00:00+00:00"))
    history = by(rows(out, "history"), "post_id")
    assert sorted(history) == [102, 103]
    assert (history[102]["title"], history[103]["title"]) == ("Post 102", "Post 103")
    run_id = second.stat("run/id")
    assert {h["replaced_by_run"] for h in history.values()} == {run_id}
    started = datetime.strptime(run_id.split("-")[0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert {h["replaced_at"] for h in history.values()} == {started}
    assert by(rows(out, "articles"), "post_id")[102]["title"] == "Post 102, corrected"
