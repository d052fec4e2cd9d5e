"""Sitemaps as an incremental signal (crawler.incremental.sitemaps): plain and gzip
sitemaps read through Scrapy's own utilities, robots.txt ``Sitemap:`` lines, post sitemap
names."""

from __future__ import annotations

import gzip

import pytest
from scrapy.http import Response, XmlResponse

from crawler.incremental.sitemaps import (
    is_post_sitemap,
    read_sitemap,
    sitemap_body,
    sitemap_urls_from_robots,
)

URLSET = (b'<?xml version="1.0" encoding="UTF-8"?>'
          b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
          b"<url><loc> https://x.org/a/ </loc><lastmod>2025-01-02T10:00:00+00:00</lastmod></url>"
          b"<url><loc>https://x.org/b/</loc></url><url><lastmod>2025</lastmod></url></urlset>")
ENTRIES = [("https://x.org/a/", "2025-01-02T10:00:00+00:00"), ("https://x.org/b/", None)]


def test_a_plain_sitemap() -> None:
    response = XmlResponse("https://x.org/post-sitemap.xml", body=URLSET)
    assert read_sitemap(sitemap_body(response, 1 << 20)) == ("urlset", ENTRIES)


def test_a_gzip_sitemap_is_inflated_up_to_the_limit() -> None:
    packed = gzip.compress(URLSET)
    response = Response("https://x.org/post-sitemap.xml.gz", body=packed)
    assert read_sitemap(sitemap_body(response, 1 << 20)) == ("urlset", ENTRIES)
    # a gzip bomb: inflating past the limit gives no sitemap, not a memory spike
    bomb = Response("https://x.org/post-sitemap.xml.gz",
                    body=gzip.compress(b"<urlset>" + b" " * (4 << 20) + b"</urlset>"))
    assert sitemap_body(bomb, 1 << 20) is None
    broken = Response("https://x.org/post-sitemap.xml.gz", body=packed[:40])
    assert sitemap_body(broken, 1 << 20) is None


@pytest.mark.parametrize("body", [b"", b"<html><body>not found</body></html>", b"\x00\xff"])
def test_what_is_not_a_sitemap_gives_no_signal(body: bytes) -> None:
    assert read_sitemap(body)[1] == []


def test_robots_sitemap_lines() -> None:
    robots = (b"User-agent: *\nDisallow: /wp-admin/\n"
              b"Sitemap: https://x.org/sitemap_index.xml\nsitemap:/news.xml\n")
    assert list(sitemap_urls_from_robots(robots, "https://x.org/robots.txt")) == [
        "https://x.org/sitemap_index.xml", "https://x.org/news.xml"]


@pytest.mark.parametrize(("url", "posts"), [
    ("https://x.org/post-sitemap.xml", True),
    ("https://x.org/post-sitemap2.xml.gz", True),
    ("https://x.org/wp-sitemap-posts-post-1.xml", True),
    ("https://x.org/sitemap.xml", True),
    ("https://x.org/page-sitemap.xml", False),
    ("https://x.org/category-sitemap.xml", False),
    ("https://x.org/wp-sitemap-taxonomies-category-1.xml", False),
    ("https://x.org/author-sitemap.xml", False),
])
def test_post_sitemaps_by_name(url: str, posts: bool) -> None:
    assert is_post_sitemap(url) is posts
