"""The columnar merge (pipelines.store.upsert) against the row rules (pipelines.store.keys)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crawler.urls import canonical_url
from pipelines.store import commit as parquet_store
from pipelines.store import schemas
from pipelines.store.commit import ParquetStore, to_table
from pipelines.store.keys import Row
from pipelines.store.layout import DatasetSpec, datasets
from pipelines.store.upsert import (
    apply_marks_table,
    assemble,
    merge_plan,
    merge_tables,
    plan_columns,
    rows_with_keys,
    sort_table,
    with_sources,
)
from tests.merge_oracle import apply_marks, merge_rows

#: the datasets as the crawl merges them (article URLs keyed in canonical form)
ARTICLES, RATES, REJECTS = (datasets(canonical_url)[n] for n in ("articles", "rates", "rejects"))

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


def article(post_id: int | None, url: str, content: str = "h1", seen: int = 0,
            **fields: Any) -> Row:
    row: Row = dict.fromkeys(schemas.ARTICLES.names)
    row.update(post_id=post_id, url=url, title=f"title {content}", body_text="body",
               authors=[], categories=[], tags=[], published_at=day(0), content_hash=content,
               first_seen_at=day(seen), last_seen_at=day(seen))
    row.update(fields)
    return row


def rate(base: str | None, text: str = "1", seen: int = 0, on: int = 1) -> Row:
    row: Row = dict.fromkeys(schemas.RATES.names)
    row.update(observed_on=date(2025, 1, on), base=base, quote="USD", rate_text=text,
               change_text="0%", first_seen_at=day(seen), last_seen_at=day(seen))
    return row


def both(spec: DatasetSpec, stored: list[Row], incoming: list[Row]
         ) -> tuple[list[Row], dict[str, int]]:
    """The columnar result, after checking it equals the row rules' result."""
    expected, expected_counts = merge_rows([dict(r) for r in stored],
                                           [dict(r) for r in incoming], spec.merge)
    table, counts = merge_tables(to_table(stored, spec.schema), to_table(incoming, spec.schema),
                                 spec)
    assert table.to_pylist() == to_table(expected, spec.schema).to_pylist()
    assert vars(counts) == vars(expected_counts)
    return table.to_pylist(), vars(counts)


def test_insert_update_unchanged_and_refreshed_columns():
    stored = [article(1, "https://x.org/a/", seen=0, http_etag='"old"'),
              article(2, "https://x.org/b/", seen=0)]
    incoming = [article(1, "https://x.org/a/", seen=1, http_etag='"new"', title="ignored"),
                article(2, "https://x.org/b/", content="h2", seen=1),
                article(3, "https://x.org/c/", seen=1)]
    rows, counts = both(ARTICLES, stored, incoming)
    assert counts == {"new": 1, "updated": 1, "unchanged": 1, "total": 3}
    a, b, _ = rows
    assert (a["title"], a["http_etag"], a["first_seen_at"], a["last_seen_at"]) == (
        "title h1", '"new"', day(0), day(1))  # unchanged: stored values, newer validators
    assert (b["content_hash"], b["first_seen_at"]) == ("h2", day(0))


def test_row_keyed_by_url_then_post_id_appears():
    stored = [article(None, "https://x.org/a", seen=0)]
    rows, counts = both(ARTICLES, stored, [article(7, "https://x.org/a/", "h2", seen=1)])
    assert counts == {"new": 0, "updated": 1, "unchanged": 0, "total": 1}
    assert (rows[0]["post_id"], rows[0]["first_seen_at"]) == (7, day(0))


def test_one_incoming_row_sharing_keys_with_two_stored_rows():
    """Matched by its post id; the other stored row stays (the row rules do not fuse)."""
    stored = [article(1, "https://x.org/a/", seen=0), article(None, "https://x.org/b/", seen=0)]
    rows, counts = both(ARTICLES, stored, [article(1, "https://x.org/b/", "h2", seen=1)])
    assert counts == {"new": 0, "updated": 1, "unchanged": 0, "total": 2}
    assert sorted((r["post_id"] or 0, r["url"]) for r in rows) == [
        (0, "https://x.org/b/"), (1, "https://x.org/b/")]


def test_stored_duplicates_and_chains_are_folded_in_order():
    stored = [article(1, "https://x.org/a/", seen=2), article(None, "https://x.org/a/", "h2")]
    incoming = [article(1, "https://x.org/z/", "h3", seen=3),
                article(None, "https://x.org/z/", "h3", seen=4)]
    rows, counts = both(ARTICLES, stored, incoming)
    assert counts == {"new": 0, "updated": 1, "unchanged": 1, "total": 1}
    assert (rows[0]["content_hash"], rows[0]["last_seen_at"]) == ("h3", day(4))


def test_an_older_row_never_replaces_a_newer_one():
    stored = [article(1, "https://x.org/a/", seen=5, http_etag='"kept"')]
    late = [article(1, "https://x.org/a/", "h2", seen=1, http_etag='"late"')]
    rows, counts = both(ARTICLES, stored, late)
    assert counts["unchanged"] == 1
    assert (rows[0]["content_hash"], rows[0]["http_etag"], rows[0]["first_seen_at"],
            rows[0]["last_seen_at"]) == ("h1", '"kept"', day(1), day(5))


def test_rates_keys_compare_nulls_as_equal_and_sort_as_empty():
    stored = [rate("KZT", seen=0), rate(None, seen=0)]
    incoming = [rate(None, "2", seen=1), rate("UZS", seen=1), rate("KZT", seen=1, on=2)]
    rows, counts = both(RATES, stored, incoming)
    assert counts == {"new": 2, "updated": 1, "unchanged": 0, "total": 4}
    assert [(r["observed_on"].day, r["base"]) for r in rows] == [
        (1, None), (1, "KZT"), (1, "UZS"), (2, "KZT")]


def test_empty_sides():
    assert both(ARTICLES, [], []) == ([], {"new": 0, "updated": 0, "unchanged": 0, "total": 0})
    rows, counts = both(ARTICLES, [article(1, "https://x.org/a/")], [])
    assert (len(rows), counts["total"]) == (1, 1)


def test_sort_is_stable_with_nulls_filled_as_the_row_order():
    rows = [{**dict.fromkeys(schemas.REJECTS.names), "recorded_at": day(n % 2),
             "run_id": run, "url": f"u{n}"}
            for n, run in enumerate(["b", None, "a", "b", None, "a"])]
    table = sort_table(to_table(rows, REJECTS.schema), REJECTS.order)
    assert table.to_pylist() == to_table(sorted(rows, key=REJECTS.sort_key),
                                         REJECTS.schema).to_pylist()


def test_marks_apply_in_order_to_the_last_matching_row():
    rows = [article(1, "https://x.org/a/", seen=1),
            article(None, "https://x.org/b", seen=1, removed_at=day(0)),
            article(3, "https://x.org/c/", seen=3)]
    marks = [
        {"post_id": 1, "url": "https://x.org/a/", "event": "removed", "at": day(2)},
        {"post_id": 1, "url": "https://x.org/a/", "event": "not-modified", "at": day(4)},
        {"post_id": 9, "url": "https://x.org/b/", "event": "not-modified", "at": day(2)},
        {"post_id": 3, "url": "https://x.org/c/", "event": "removed", "at": day(2)},  # seen later
        {"post_id": 8, "url": "https://x.org/none/", "event": "removed", "at": day(2)},
    ]
    expected = [dict(r) for r in rows]
    changed = apply_marks(expected, marks, ARTICLES.merge.keys)
    table, count = apply_marks_table(to_table(rows, ARTICLES.schema), marks, ARTICLES)
    assert (count, table.to_pylist()) == (changed, to_table(expected, ARTICLES.schema).to_pylist())
    assert count == 3
    got = {r["url"]: (r["last_seen_at"], r["removed_at"]) for r in table.to_pylist()}
    assert got == {"https://x.org/a/": (day(4), None), "https://x.org/b": (day(2), None),
                   "https://x.org/c/": (day(3), None)}


def test_rows_with_keys_by_post_id_or_canonical_url():
    table = to_table([article(1, "https://x.org/a/"), article(None, "https://x.org/b"),
                      article(3, "https://x.org/c/")], ARTICLES.schema)
    hits = rows_with_keys(table, {("post_id", 1), ("url", "https://x.org/b/")}, ARTICLES)
    assert hits.to_pylist() == [True, True, False]
    with pytest.raises(ValueError, match="multi-column"):
        rows_with_keys(to_table([rate("KZT")], RATES.schema), {("x", 1)}, RATES)


def _random_article(r: random.Random) -> Row:
    url = f"https://x.org/p{r.randrange(4)}" + r.choice(["", "/"])
    return article(r.choice([None, 1, 2, 3]), url, r.choice([None, "h1", "h2"]),
                   seen=r.randrange(4),
                   first_seen_at=r.choice([None, day(r.randrange(4))]),
                   last_seen_at=r.choice([None, day(r.randrange(4))]),
                   published_at=day(r.randrange(3)), http_etag=r.choice([None, "e1", "e2"]),
                   removed_at=r.choice([None, day(r.randrange(4))]))


def _random_rate(r: random.Random) -> Row:
    return {**rate(r.choice(["KZT", "UZS", None]), r.choice(["1", "2", None]),
                   seen=r.randrange(4), on=1 + r.randrange(2)),
            "last_seen_at": r.choice([None, day(r.randrange(4))])}


def test_random_rows_merge_and_mark_exactly_as_the_row_rules():
    """Few key values, nulls everywhere: shared keys, chains, stale rows, marks."""
    for seed in range(300):
        _check_random(seed)


def _check_random(seed: int) -> None:
    r = random.Random(seed)
    spec, make = (ARTICLES, _random_article) if seed % 3 else (RATES, _random_rate)
    stored = [make(r) for _ in range(r.randrange(8))]
    incoming = [make(r) for _ in range(r.randrange(8))]
    rows, _ = both(spec, stored, incoming)
    if spec is ARTICLES:
        marks = [{"post_id": r.choice([None, 1, 2, 3]), "url": f"https://x.org/p{r.randrange(4)}",
                  "event": r.choice(["removed", "not-modified"]), "at": day(r.randrange(5))}
                 for _ in range(r.randrange(4))]
        table, count = apply_marks_table(pa.Table.from_pylist(rows, schema=spec.schema),
                                         marks, spec)
        assert (count, table.to_pylist()) == (apply_marks(rows, marks, spec.merge.keys), rows)


def test_assembled_slice_by_slice_as_at_once():
    r = random.Random(5)
    rows = to_table([article(n, f"https://x.org/{n}/", seen=n % 3, published_at=day(r.randrange(9)))
                     for n in range(9)], ARTICLES.schema)
    plan, _ = merge_plan(with_sources(rows.select(plan_columns(ARTICLES))), 4, ARTICLES)

    def gather(field: pa.Field, at: pa.Array) -> pa.Array:
        return rows.column(field.name).take(at).combine_chunks()

    whole = assemble(plan, gather, ARTICLES.schema)
    sliced = assemble(plan, gather, ARTICLES.schema,
                      lambda field: 2 if field.name == "body_text" else 4)
    assert plan.num_rows == 9
    assert (sliced.column("body_text").num_chunks, sliced.column("title").num_chunks) == (5, 3)
    assert sliced.to_pylist() == whole.to_pylist()


def test_store_merges_stored_row_groups_exactly_as_the_row_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(parquet_store, "ROW_GROUP_ROWS", 3)
    monkeypatch.setattr(parquet_store, "SLICE_BYTES", 100)  # every column a few rows a slice
    first = [article(n, f"https://x.org/p{n}/", seen=1, published_at=day(n % 4))
             for n in range(1, 11)]
    second = [article(n, f"https://x.org/p{n}/", f"h{n % 3}", seen=2, published_at=day(n % 5))
              for n in range(4, 15, 2)]
    expected, want = merge_rows(merge_rows([], first, ARTICLES.merge)[0], second,
                                ARTICLES.merge)
    for run, rows in (("r1", first), ("r2", second)):
        store = ParquetStore(tmp_path, run)
        store.open()
        for row in rows:
            store.add("articles", row)
        counts = store.commit()["articles"]
    path = tmp_path / "articles" / "year=2025" / "part-0.parquet"
    assert pq.read_metadata(path).num_row_groups == 4  # 12 rows, 3 a group
    assert pq.read_table(path).to_pylist() == to_table(expected, ARTICLES.schema).to_pylist()
    assert (counts.new, counts.updated, counts.unchanged) == (
        want.new, want.updated, want.unchanged) == (2, 2, 2)
