"""JSON Schemas of the records the writer stores, for Spidermon's item validation.

They describe :class:`pipelines.records.Article` and :class:`~pipelines.records.Rate` as
:func:`crawler.monitoring.validation.jsonable` renders them (datetimes as ISO 8601 text,
Decimals as numbers), built from the project's own lists (fields, source labels) so they
cannot drift from them. What they add to the project's own validation (which turns a
record missing a required value into a reject before it gets here): the types and shapes
of every value, plausible years, no value left unparsed, known source labels. A field a
schema does not describe is not an error (tests/test_monitors.py checks they describe all).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from crawler.parsers.sources import LABELS
from pipelines.records import Article, Rate

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: ISO 8601 with a UTC offset, a year from 1990 to 2099 (far-future or year-one dates are
#: misreadings)
DATETIME = r"^(199\d|20\d\d)-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$"
DATE = r"^(199\d|20\d\d)-\d\d-\d\d$"
HTTP_URL = r"^https?://[^\s/]+"

TEXT = {"type": "string", "minLength": 1}
URL = {"type": "string", "pattern": HTTP_URL}
WHEN = {"type": "string", "pattern": DATETIME}
TERMS = {"type": "array", "items": {**TEXT, "maxLength": 200}, "uniqueItems": True}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


ARTICLE_PROPERTIES: dict[str, Any] = {
    "url": URL,
    "post_id": _nullable({"type": "integer", "minimum": 1}),
    # a title longer than this is a paragraph taken for one
    "title": {**TEXT, "maxLength": 500},
    "summary": _nullable(TEXT),
    "body_text": TEXT,
    "authors": TERMS,
    "published_at": WHEN,
    "modified_at": _nullable(WHEN),
    "categories": TERMS,
    "tags": TERMS,
    "category_paths": TERMS,
    "countries": TERMS,
    "sections": TERMS,
    "image_url": _nullable(URL),
    "word_count": _nullable({"type": "integer", "minimum": 1}),
    "sources": {"type": "object", "additionalProperties": {"enum": list(LABELS)}},
    "fetched_url": _nullable(URL),
    "fetched_at": _nullable(WHEN),
    "content_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    # a value the page held that could not be read (it is stored as null)
    "unparsed": {"type": "object", "maxProperties": 0},
    "http_etag": _nullable({"type": "string"}),
    "http_last_modified": _nullable({"type": "string"}),
    "flags": {"type": "array", "items": {"type": "string"}},
}

RATE_PROPERTIES: dict[str, Any] = {
    "base": {"type": "string", "pattern": "^[A-Z]{3}$"},
    "quote": {"type": "string", "pattern": "^[A-Z]{3}$"},
    "rate": {"type": "number", "exclusiveMinimum": 0},
    "rate_text": TEXT,
    "change_pct": {"type": "number"},
    "change_text": TEXT,
    "observed_on": {"type": "string", "pattern": DATE},
    "observed_on_source": {"enum": ["dateline", "http-date", "fetch-time"]},
    "page_url": URL,
    "fetched_at": _nullable(WHEN),
    "unparsed": {"type": "object", "maxProperties": 0},
}


def _schema(title: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"$schema": DRAFT, "title": title, "type": "object", "properties": properties,
            "required": required}


ARTICLE_SCHEMA = _schema("Article", ARTICLE_PROPERTIES,
                         ["url", "title", "body_text", "published_at", "content_hash"])
RATE_SCHEMA = _schema("Rate", RATE_PROPERTIES,
                      ["base", "quote", "rate", "rate_text", "observed_on", "page_url"])


def validation_schemas() -> dict[type, list[dict[str, Any]]]:
    """``SPIDERMON_VALIDATION_SCHEMAS``: record class -> its schemas."""
    return {Article: [ARTICLE_SCHEMA], Rate: [RATE_SCHEMA]}


def unschemed_fields() -> dict[str, set[str]]:
    """Fields of the records a schema does not describe, or describes and they lack (empty
    sets when the schemas are complete)."""
    out = {}
    for cls, properties in ((Article, ARTICLE_PROPERTIES), (Rate, RATE_PROPERTIES)):
        names = {f.name for f in fields(cls)}
        out[cls.__name__] = names ^ set(properties)
    return out
