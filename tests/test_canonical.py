"""Whether a page's canonical URL may be its identity (crawler.canonical.CanonicalCheck)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.canonical import CanonicalCheck
from crawler.incremental.index import SeenIndex

SITE = "https://example.org"
STORED = SeenIndex([{"url": f"{SITE}/stored/", "post_id": 7,
                     "published_at": datetime(2025, 1, 1, tzinfo=UTC)}])


@pytest.mark.parametrize(("canonical", "post_id", "fetched", "why"), [
    (f"{SITE}/a/", 1, f"{SITE}/a/", None),
    ("https://www.example.org/a/", 1, f"{SITE}/a/", None),  # www. aside, the same site
    ("https://elsewhere.org/a/", 1, f"{SITE}/a/", "offsite"),
    ("https://example.org:8443/a/", 1, f"{SITE}/a/", "offsite"),
    (f"{SITE}/", 1, f"{SITE}/a/", "home-page"),
    (f"{SITE}/category/kazakhstan/", 1, f"{SITE}/a/", "archive"),
    (f"{SITE}/stored/", 1, f"{SITE}/a/", "other-post"),
    (f"{SITE}/stored/", 7, f"{SITE}/stored/", None),
    (f"{SITE}/b/", 1, f"{SITE}/a/", "not-this-page"),  # a permalink answering as itself
    (f"{SITE}/a/", 1, f"{SITE}/?p=1", None),  # a shortlink fetched: the canonical is used
])
def test_refusals(canonical: str, post_id: int, fetched: str, why: str | None) -> None:
    assert CanonicalCheck(SITE, STORED, set()).refusal(canonical, post_id, fetched) == why


def test_a_canonical_claimed_by_one_post_is_refused_to_another_in_the_same_run() -> None:
    check = CanonicalCheck(SITE, STORED, {f"{SITE}/?p=2"})
    assert check.refusal(f"{SITE}/a/", 1, f"{SITE}/?p=1") is None
    assert check.refusal(f"{SITE}/a/", 2, f"{SITE}/?p=2") == "other-post"
    assert check.refusal(f"{SITE}/a/", 1, f"{SITE}/?p=1") is None
