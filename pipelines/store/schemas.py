"""The Parquet schemas of the four datasets: the one place they are defined.

Every file carries ``timesca.schema_version`` and ``timesca.dataset`` in its metadata.
Bump SCHEMA_VERSION on any change; adding a nullable column is compatible (old files
read with the new column null), anything else needs ``python -m crawler.cli.migrate``.
See :mod:`pipelines.store.evolution`.
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA_VERSION = "5"
#: Version 1: one unpartitioned file per dataset, no runs dataset.
#: Version 3: articles gain removed_at, http_etag, http_last_modified (nullable).
#: Version 4: articles gain flags (nullable list of strings); the history dataset.
#: Version 5: articles gain category_paths, countries, sections (nullable lists of strings;
#: null in rows stored before version 5 until a crawl fetches the post again).

_TS = pa.timestamp("us", tz="UTC")
#: list<string> with the element name Parquet uses, so a file read back equals the schema.
_STRINGS = pa.list_(pa.field("element", pa.string()))


def _with_metadata(name: str, fields: list[pa.Field]) -> pa.Schema:
    """The schema as declared, in the exact form Parquet readers give it back.

    Parquet round trips rename nested fields (a map's entries take the column's
    name), so the declared schema is passed through an empty in-memory file once:
    what is written is then exactly what ``pq.read_schema`` and datasets report.
    """
    declared = pa.schema(
        fields, metadata={"timesca.schema_version": SCHEMA_VERSION, "timesca.dataset": name}
    )
    buffer = io.BytesIO()
    pq.write_table(declared.empty_table(), buffer)
    buffer.seek(0)
    return pq.read_schema(buffer)


ARTICLES = _with_metadata("articles", [
    pa.field("post_id", pa.int64()),
    pa.field("url", pa.string(), nullable=False),
    pa.field("title", pa.string(), nullable=False),
    pa.field("summary", pa.string()),
    pa.field("body_text", pa.string(), nullable=False),
    pa.field("authors", _STRINGS),
    pa.field("published_at", _TS, nullable=False),
    pa.field("modified_at", _TS),
    pa.field("categories", _STRINGS),
    pa.field("tags", _STRINGS),
    pa.field("category_paths", _STRINGS),
    pa.field("countries", _STRINGS),
    pa.field("sections", _STRINGS),
    pa.field("image_url", pa.string()),
    pa.field("word_count", pa.int32()),
    pa.field("content_hash", pa.string()),
    pa.field("field_sources", pa.map_(pa.string(), pa.string())),
    pa.field("fetched_at", _TS),
    pa.field("first_seen_at", _TS),
    pa.field("last_seen_at", _TS),
    pa.field("removed_at", _TS),
    pa.field("http_etag", pa.string()),
    pa.field("http_last_modified", pa.string()),
    pa.field("flags", _STRINGS),
])

#: Earlier versions of article rows, each as it was stored until a run replaced it.
HISTORY = _with_metadata("history", [
    *(ARTICLES.field(name) for name in ARTICLES.names),
    pa.field("replaced_at", _TS, nullable=False),
    pa.field("replaced_by_run", pa.string()),
])

RATES = _with_metadata("rates", [
    pa.field("observed_on", pa.date32(), nullable=False),
    pa.field("base", pa.string()),
    pa.field("quote", pa.string()),
    pa.field("pair", pa.string()),
    pa.field("rate", pa.decimal128(18, 8)),
    pa.field("rate_text", pa.string()),
    pa.field("change_pct", pa.decimal128(9, 4)),
    pa.field("change_text", pa.string()),
    pa.field("direction", pa.string()),
    pa.field("observed_on_source", pa.string()),
    pa.field("date_inferred", pa.bool_()),
    pa.field("page_url", pa.string()),
    pa.field("fetched_at", _TS),
    pa.field("first_seen_at", _TS),
    pa.field("last_seen_at", _TS),
])

REJECTS = _with_metadata("rejects", [
    pa.field("run_id", pa.string()),
    pa.field("recorded_at", _TS),
    pa.field("url", pa.string()),
    pa.field("kind", pa.string()),
    pa.field("reason", pa.string()),
    pa.field("field", pa.string()),
    pa.field("raw_value", pa.string()),
])

_COUNTS = pa.map_(pa.string(), pa.int64())

RUNS = _with_metadata("runs", [
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("started_at", _TS),
    pa.field("ended_at", _TS),
    pa.field("finish_reason", pa.string()),
    pa.field("project_version", pa.string()),
    pa.field("spider_args", pa.map_(pa.string(), pa.string())),
    pa.field("settings", pa.map_(pa.string(), pa.string())),
    pa.field("requests", pa.int64()),
    pa.field("responses", pa.int64()),
    pa.field("responses_by_status", pa.map_(pa.int32(), pa.int64())),
    pa.field("retries", pa.int64()),
    pa.field("articles_new", pa.int64()),
    pa.field("articles_updated", pa.int64()),
    pa.field("articles_unchanged", pa.int64()),
    pa.field("articles_total", pa.int64()),
    pa.field("rate_rows", pa.int64()),
    pa.field("rates_new", pa.int64()),
    pa.field("rejects", pa.int64()),
    pa.field("errors_by_kind", _COUNTS),
    pa.field("archives", pa.list_(pa.field("element", pa.struct([
        pa.field("archive", pa.string()),
        pa.field("pages", pa.int64()),
        pa.field("found", pa.int64()),
        pa.field("reported_total", pa.int64()),
        pa.field("complete", pa.bool_()),
        pa.field("end", pa.string()),
        pa.field("flags", _STRINGS),
    ])))),
    pa.field("field_sources", pa.list_(pa.field("element", pa.struct([
        pa.field("field", pa.string()),
        pa.field("source", pa.string()),
        pa.field("share", pa.float64()),
    ])))),
    pa.field("recovered_runs", pa.int64()),
])

SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES, "rates": RATES, "rejects": REJECTS, "history": HISTORY,
    "runs": RUNS}


def required_columns(schema: pa.Schema) -> list[str]:
    """Names of the columns declared not null (pyarrow does not enforce it on write)."""
    return [f.name for f in schema if not f.nullable]
