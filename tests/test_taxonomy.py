"""Countries and sections from category term paths (pipelines/taxonomy.py)."""

from __future__ import annotations

import pytest

from crawler.urls import term_path
from pipelines.taxonomy import countries, sections


def test_a_child_only_post_is_its_country_s() -> None:
    paths = ["kazakhstan/kazakhstan-featurees"]
    assert countries(paths) == ["Kazakhstan"]
    assert sections(paths, ["Features"]) == ["Kazakhstan / Features"]


def test_same_section_name_in_two_countries_stays_two_sections() -> None:
    paths = ["kazakhstan/kazakhstan-features", "kyrgyzstan/kyrgyzstan-features", "kyrgyzstan"]
    assert countries(paths) == ["Kazakhstan", "Kyrgyzstan"]
    assert sections(paths, ["Features", "Features", "Kyrgyzstan"]) == [
        "Kazakhstan / Features", "Kyrgyzstan / Features"]


def test_non_country_terms_are_sections_named_with_their_parents() -> None:
    paths = ["home/lead-story", "opinions", "uzbekistan"]
    assert countries(paths) == ["Uzbekistan"]
    assert sections(paths, ["Lead Story", "Opinions", "Uzbekistan"]) == [
        "Home / Lead Story", "Opinions"]
    # a parent never linked takes its slug, humanized
    assert sections(["regional-news/water"], ["Water"]) == ["Regional News / Water"]


def test_slugs_without_parents_from_post_classes() -> None:
    # category-kazakhstan-business-economy: the site's COUNTRY-SECTION slugs still tell
    paths = ["kazakhstan-business-economy", "kazakhstan"]
    assert countries(paths) == ["Kazakhstan"]
    assert sections(paths, ["", ""]) == ["Kazakhstan / Business Economy"]


def test_without_paths_country_names_count() -> None:
    assert countries([], ["Business & Economy", "tajikistan", "Tajikistan"]) == ["Tajikistan"]
    assert countries([], ["Business & Economy"]) == []
    assert sections([], []) == []


@pytest.mark.parametrize(("url", "path"), [
    ("https://timesca.com/category/kazakhstan/kazakhstan-business-economy/",
     "kazakhstan/kazakhstan-business-economy"),
    ("/category/Kazakhstan/page/3/", "kazakhstan"),
    ("/category/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/", "новости"),
    ("/tag/oil/", None),
    ("/category/", None),
    ("/category/a%2F..%2Fb/", None),
])
def test_term_path(url: str, path: str | None) -> None:
    assert term_path(url) == path
