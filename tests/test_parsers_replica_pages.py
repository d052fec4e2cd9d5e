"""Run the parsers over every saved replica page and compare with its ground truth (.json).

The pages are generated into tests/fixtures/pages/{classic,magazine}/NAME.html with NAME.json
holding the expected parse. An empty directory is an error, not a vacuous pass.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from parsel import Selector

from crawler.parsers import parse_article, parse_dateline, parse_listing, parse_ticker
from crawler.urls import canonical_url

PAGES = Path(__file__).parent / "fixtures" / "pages"
CASES = sorted(PAGES.glob("*/*.json"))
ARTICLE_KEYS = ("url", "post_id", "title", "summary", "body_text", "authors", "published_at",
                "modified_at", "categories", "tags", "category_paths", "category_path_names",
                "image_url", "word_count")


def test_replica_pages_exist() -> None:
    assert CASES, f"no replica pages saved under {PAGES}: the comparison below tested nothing"


def _load(case: Path) -> tuple[dict, Selector]:
    expected = json.loads(case.read_text(encoding="utf-8"))
    body = case.with_suffix(".html").read_bytes()
    return expected, Selector(body=body, type="html", encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_header(case: Path) -> None:
    expected, sel = _load(case)
    ticker = parse_ticker(sel)
    got = [{"base": q.base, "quote": q.quote, "rate_text": q.rate_text,
            "change_text": q.change_text} for q in ticker.quotes]
    assert got == expected["ticker"]
    if "ticker_copies" in expected:
        assert ticker.copies == expected["ticker_copies"]
    assert ticker.source == ("text" if expected["ticker"] else "none")
    assert ticker.conflicts == 0
    dateline = parse_dateline(sel)
    assert (dateline.value.isoformat() if dateline.value else None) == expected["dateline"]


@pytest.mark.parametrize("case", [c for c in CASES if '"kind": "archive"' in c.read_text()],
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_archive(case: Path) -> None:
    expected, sel = _load(case)
    page = parse_listing(sel, expected["url"])
    # the parser returns links as linked; the ground truth holds them canonicalized
    assert [canonical_url(u) for u in page.post_urls] == expected["post_urls"]
    assert page.post_source != "none" or not expected["post_urls"]
    assert page.next_url == expected["next_url"]
    results = expected.get("results")
    if results is None:
        assert page.results is None
    else:
        assert page.results is not None
        got = (page.results.first, page.results.last, page.results.total)
        assert got == (results["first"], results["last"], results["total"])


@pytest.mark.parametrize("case", [c for c in CASES if '"kind": "article"' in c.read_text()],
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_article(case: Path) -> None:
    expected, sel = _load(case)
    page = parse_article(sel, expected["url"])
    assert set(page.fields) == set(ARTICLE_KEYS)
    assert set(page.sources) == set(ARTICLE_KEYS)
    for key in ARTICLE_KEYS:
        if key not in expected:
            continue
        got, want = page.fields[key], expected[key]
        if key.endswith("_at") and got and want:
            # JSON-LD may state the instant in UTC where the markup uses the site's offset
            assert datetime.fromisoformat(got) == datetime.fromisoformat(want), key
        else:
            assert got == want, key
        assert (page.sources[key] == "none") == (want in (None, [])), key
