"""The article's fields are declared once (crawler.items.ArticleItem); everything else that
lists them is derived from it or checked against it here (the storage package cannot import
the crawler, so the stored schema is checked, not derived)."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

from crawler.items import (
    ARTICLE_CONTENT_FIELDS,
    ARTICLE_FIELDS,
    ARTICLE_STORED_FIELDS,
    ArticleItem,
)
from crawler.parsers import FIELDS
from pipelines.records import Article
from pipelines.store import schemas
from pipelines.writer import article_row


def test_the_declaration() -> None:
    assert ARTICLE_FIELDS == ("url", "post_id", "title", "summary", "body_text", "authors",
                              "published_at", "modified_at", "categories", "tags",
                              "category_paths", "category_path_names", "image_url",
                              "word_count")
    assert tuple(f for f in ARTICLE_FIELDS
                 if f not in ("word_count", "category_path_names")) == ARTICLE_CONTENT_FIELDS
    # the names a page links its category paths with feed the sections column only
    stored = tuple(f for f in ARTICLE_FIELDS if f != "category_path_names")
    assert stored == ARTICLE_STORED_FIELDS
    assert FIELDS is ARTICLE_FIELDS
    assert set(ARTICLE_FIELDS) <= {f.name for f in fields(ArticleItem)}


def test_the_normalized_record_and_the_stored_row_carry_every_field() -> None:
    assert set(ARTICLE_STORED_FIELDS) <= {f.name for f in fields(Article)}
    row = article_row(Article(url="https://x.org/a/", post_id=1,
                              published_at=datetime(2025, 1, 1, tzinfo=UTC)),
                      datetime(2025, 1, 2, tzinfo=UTC))
    assert sorted(row) == sorted(schemas.ARTICLES.names)
    assert set(ARTICLE_STORED_FIELDS) | {"countries", "sections"} <= set(schemas.ARTICLES.names)
    assert "category_path_names" not in schemas.ARTICLES.names
