"""URL canonicalization: one post, one URL, however it is linked."""

import pytest

from crawler.urls import (
    BadURLError,
    canonical_url,
    check_base_url,
    listing_url,
    normalize_listing,
    page_number,
    same_site,
)

SLUG = "https://timesca.com/kyrgyz-bank-hit-by-u-s-treasury-department-sanctions/"


@pytest.mark.parametrize(
    "linked",
    [
        SLUG,
        SLUG.rstrip("/"),
        SLUG + "?utm_source=twitter&utm_medium=social",
        SLUG + "#comments",
        SLUG.replace("timesca.com", "TimesCA.com"),
        SLUG.replace("https://timesca.com/", "https://timesca.com//"),
        SLUG.replace("https://timesca.com", "https://timesca.com:443"),
        SLUG + "?catid=5&id=5993",
    ],
)
def test_every_spelling_of_a_permalink_is_one_url(linked):
    assert canonical_url(linked) == SLUG


def test_wordpress_query_vars_are_kept_and_sorted():
    assert canonical_url("https://timesca.com/?utm_source=x&p=123") == "https://timesca.com/?p=123"
    assert canonical_url("http://h/?s=tokayev&cat=5") == "http://h/?cat=5&s=tokayev"


def test_files_and_old_cms_urls_get_no_trailing_slash():
    assert canonical_url("https://timesca.com/wp-content/uploads/2025/01/a.jpg").endswith("a.jpg")
    assert canonical_url("https://timesca.com/index.php/news/22364-some-slug") == (
        "https://timesca.com/index.php/news/22364-some-slug"
    )


def test_pagination_spellings_collapse():
    assert canonical_url("http://127.0.0.1:8000/page/535/?catid=5&id=5993") == (
        "http://127.0.0.1:8000/page/535/"
    )
    assert canonical_url("http://127.0.0.1:8000/tag/money/page/8") == (
        "http://127.0.0.1:8000/tag/money/page/8/"
    )


def test_page_number():
    assert page_number("https://timesca.com/category/kazakhstan/page/17/") == 17
    assert page_number("https://timesca.com/category/kazakhstan/page/17") == 17
    assert page_number("https://timesca.com/category/kazakhstan/") == 1


def test_same_site_ignores_www_but_not_host_or_port():
    assert same_site("https://www.timesca.com/a/", "https://timesca.com")
    assert not same_site("https://sponsor.example/a/", "https://timesca.com")
    assert not same_site("http://127.0.0.2:8000/a/", "http://127.0.0.1:8000")
    assert not same_site("http://127.0.0.1:9000/a/", "http://127.0.0.1:8000")


def test_base_url_and_listing_arguments():
    assert check_base_url("https://TimesCA.com/") == "https://timesca.com"
    assert listing_url("https://timesca.com", "category/kazakhstan") == (
        "https://timesca.com/category/kazakhstan/"
    )
    assert listing_url("https://timesca.com", "") == "https://timesca.com/"
    assert normalize_listing("/tag/money/") == "tag/money"
    for bad in ("ftp://timesca.com", "timesca.com", "", "https://"):
        with pytest.raises(BadURLError, match="base_url"):
            check_base_url(bad)
    for bad in ("https://evil.example/x", "../etc", "category/../x"):
        with pytest.raises(BadURLError, match="listing"):
            normalize_listing(bad)
