"""Site boilerplate: learned from the site's own articles, stripped before publication.

The crawls use the replica's reader-support box (``appeal``): a block inside every post's
content under class names no selector of the project names, so only the learner can take
it out (the crawl with the learner off proves that).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.cli import inspect
from pipelines.boilerplate import SiteBoilerplate, fingerprint
from pipelines.records import article_content_hash_of
from pipelines.writer import ParquetWriterPipeline
from tests.conftest import CrawlRun, crawl_replica
from tests.holdout_report import compare
from tests.replica.body import APPEAL_TEXT
from tests.test_incremental import Replica

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

BOX = "Sign up for the weekly digest."
DISCLAIMER = "Opinions are the author's own."


def row(post_id: int, *paragraphs: str, day: int = 0) -> dict[str, Any]:
    """An articles row published on ``day`` (days after 2025-01-01; default: the id's)."""
    body = "\n\n".join(paragraphs)
    out = {"post_id": post_id, "url": f"https://e.com/p-{post_id}/", "title": "T",
           "body_text": body, "word_count": len(body.split()), "flags": ["body_text:replaced"],
           "published_at": datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=day or post_id)}
    out["content_hash"] = article_content_hash_of(out)
    return out


def learner(*rows: dict[str, Any], stored: tuple[dict[str, Any], ...] = (),
            **limits: Any) -> SiteBoilerplate:
    found = SiteBoilerplate(run_id="r1", **limits)
    for r in stored:
        found.observe_stored(r["post_id"], r["url"], r["published_at"], r["body_text"])
    for r in rows:
        found.observe(r["post_id"], r["url"], r["published_at"], r["body_text"])
    found.learn()
    return found


def test_a_paragraph_in_enough_articles_is_boilerplate() -> None:
    rows = [row(n, f"Story {n} text.", BOX) for n in range(5)]
    found = learner(*rows, row(9, "Story nine.", DISCLAIMER), row(10, DISCLAIMER))
    assert [b.text for b in found.blocks.values()] == [BOX]
    assert found.threshold == 5
    stripped = found.strip(rows[0])
    assert stripped.row is not None and stripped.blocks == [fingerprint(BOX)]
    assert stripped.row["body_text"] == "Story 0 text."
    assert stripped.row["word_count"] == 3
    assert stripped.row["flags"] == ["body_text:replaced",
                                     f"body_text:boilerplate={fingerprint(BOX)}"]
    assert stripped.row["content_hash"] == article_content_hash_of(stripped.row)
    assert stripped.row["content_hash"] != rows[0]["content_hash"]
    untouched = row(11, "Nothing to strip.")
    assert found.strip(untouched).row is untouched


def test_four_articles_are_not_enough_and_the_share_counts_on_big_sites() -> None:
    assert learner(*[row(n, f"S{n}.", BOX) for n in range(4)]).blocks == {}
    # 1% of 700 articles is 7: five copies are not enough there (698 articles: 7 too)
    many = [row(n, f"Story {n}.") for n in range(693)]
    boxed = [row(1000 + n, f"S{n}.", BOX) for n in range(7)]
    assert learner(*many, *boxed[:5]).blocks == {}
    found = learner(*many, *boxed)
    assert (found.threshold, [b.text for b in found.blocks.values()]) == (7, [BOX])


def test_a_paragraph_reused_in_a_few_posts_among_many_is_article_text() -> None:
    """An editor's background paragraph in 6 posts over 60 days of 60 posts is not a
    template's block; the same 6 posts on the only days that had posts, it is."""
    reused = "Kazakhstan is the world's largest producer of uranium."
    others = [row(n, f"Story {n}.", day=n) for n in range(1, 61)]
    spread = [row(100 + n, f"S{n}.", reused, day=10 * n) for n in range(1, 7)]
    assert learner(*others, *spread).blocks == {}
    alone = [row(100 + n, f"S{n}.", reused, day=100 + n) for n in range(1, 7)]
    assert [b.text for b in learner(*others, *alone).blocks.values()] == [reused]


def test_stored_articles_count_once_and_case_or_spacing_do_not_matter() -> None:
    stored = tuple(row(n, f"S{n}.", BOX) for n in range(3))
    # the run fetched the same three again: still three articles, not six
    assert learner(*stored, stored=stored).blocks == {}
    again = (row(3, "S3.", BOX.upper()), row(4, "S4.", "Sign  up for the weekly   digest."))
    assert len(learner(*again, stored=stored).blocks) == 1


def test_a_body_of_boilerplate_only_is_no_body() -> None:
    found = learner(*[row(n, f"S{n}.", BOX) for n in range(5)])
    result = found.strip(row(20, BOX))
    assert (result.row, result.paragraphs) == (None, 1)


@pytest.mark.parametrize(("settings", "message"), [
    ({"BOILERPLATE_MIN_ARTICLES": "1"},
     "setting BOILERPLATE_MIN_ARTICLES must be a whole number >= 2, got '1'"),
    ({"BOILERPLATE_MIN_ARTICLES": "abc"},
     "setting BOILERPLATE_MIN_ARTICLES must be a whole number >= 2, got 'abc'"),
    ({"BOILERPLATE_MIN_SHARE": "1.5"}, "setting BOILERPLATE_MIN_SHARE must be a number from"),
    ({"BOILERPLATE": "maybe"}, "setting BOILERPLATE must be 0 or 1"),
])
def test_bad_settings_are_refused(settings: dict[str, str], message: str) -> None:
    """The crawl command turns this ValueError into exit code 2 before any request."""
    with pytest.raises(ValueError, match=message):
        ParquetWriterPipeline.from_crawler(get_crawler(Spider, settings))


def appeal_rows(run: CrawlRun) -> int:
    return sum(APPEAL_TEXT[1] in (r["body_text"] or "") for r in run.table("articles"))


def exact(run: CrawlRun) -> dict[str, Any]:
    report = compare(run)
    assert report["posts_found"] == report["posts_expected"], report["posts_missing"]
    assert report["rejects"] == 0, report["reject_reasons"]
    return report


@pytest.mark.parametrize(("theme", "seo", "posts"), [
    # at 240 posts (make demo) the replica's text repeats one paragraph in 5 posts spread
    # over its years: article text, not boilerplate
    ("classic", "yoast", 240), ("jnews", "none", 60), ("block", "rankmath", 60)])
def test_the_appeal_box_is_learned_and_stripped(tmp_path: Path, theme: str, seo: str,
                                                posts: int) -> None:
    run = crawl_replica(tmp_path, seed=1, posts=posts, theme=theme, seo=seo, appeal=True)
    assert run.returncode == 0, run.log[-3000:]
    report = exact(run)
    assert report["body_f1_min"] >= 0.99, report["body_f1_worst"]
    assert appeal_rows(run) == 0
    state = json.loads((run.output / "state" / "boilerplate.json").read_text("utf-8"))
    assert sorted(b["text"] for b in state["blocks"]) == sorted(APPEAL_TEXT)
    assert all(b["articles"] == posts for b in state["blocks"])
    summary = run.summary["boilerplate"]
    assert (summary["blocks"], summary["blocks_new"], summary["articles_stripped"],
            summary["paragraphs_stripped"]) == (2, 2, posts, 2 * posts)
    flags = {f for r in run.table("articles") for f in r["flags"]}
    assert flags >= {f"body_text:boilerplate={fingerprint(t)}" for t in APPEAL_TEXT}
    text, warnings = inspect.report(run.output)  # what was stripped can be looked at
    assert "site boilerplate stripped from bodies: 2 blocks (threshold 5 articles)" in text
    assert f"{fingerprint(APPEAL_TEXT[0])}  in {posts} articles" in text and warnings == 0


def test_learned_later_stored_rows_are_cleaned(tmp_path: Path) -> None:
    """Off, the box stays in every body (no selector names it); the next run, which fetches
    no article again, learns it from the stored dataset alone and cleans the stored rows; a
    third run changes nothing."""
    replica = Replica(tmp_path / "out")
    site = {"seed": 2, "posts": 30, "theme": "magazine", "appeal": True}
    first = replica.crawl("-s", "BOILERPLATE=0", **site)
    assert appeal_rows(first) == 30
    assert not (first.output / "state" / "boilerplate.json").exists()
    second = replica.crawl("-s", "REFRESH_DAYS=0", **site)
    posts = {urlsplit(p["url"]).path for p in second.truth["posts"]}
    assert not [r for r in second.requests if urlsplit(r["path"]).path in posts]
    assert appeal_rows(second) == 0
    assert exact(second)["body_f1_min"] >= 0.99
    assert second.summary["boilerplate"]["stored_rows_cleaned"] == 30
    assert second.summary["articles_updated"] == 30
    rows = {r["url"]: r for r in second.table("articles")}
    assert all(r["word_count"] == len(r["body_text"].split()) for r in rows.values())
    third = replica.crawl("-s", "REFRESH_DAYS=0", **site)
    assert (third.summary["articles_updated"],
            third.summary["boilerplate"]["stored_rows_cleaned"]) == (0, 0)
    assert {r["url"]: r["content_hash"] for r in third.table("articles")} == {
        u: r["content_hash"] for u, r in rows.items()}
