"""Listing parser: post links, next page and the "Viewing results" line, with source labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from parsel import Selector

from crawler.parsers import ResultsLine, listing, looks_like_post, parse_listing, parse_results
from crawler.parsers.index import PageIndex

HANDMADE = Path(__file__).parent / "fixtures" / "handmade"


def page(name: str) -> Selector:
    return Selector(body=(HANDMADE / name).read_bytes(), type="html")


def html(body: str, head: str = "") -> Selector:
    return Selector(text=f"<html><head>{head}</head><body>{body}</body></html>")


TT1_ARCHIVE = """
<header id="masthead" class="site-header"><nav><a href="/nav-link-long-slug-here/">Nav</a></nav>
</header>
<main id="main" class="site-main">
<header class="page-header alignwide"><h1 class="page-title">Category: <span>Kazakhstan</span></h1>
</header>
<article id="post-11" class="post-11 post type-post status-publish hentry category-kazakhstan">
 <header class="entry-header"><h2 class="entry-title default-max-width">
 <a href="https://example.com/first-post-slug/">First</a></h2></header>
 <div class="entry-content"><p>Text <a href="https://example.com/linked-in-text-story/">x</a></p>
 </div>
 <footer class="entry-footer"><a href="https://example.com/first-post-slug/#respond">Leave</a>
 <a href="https://example.com/category/kazakhstan/" rel="category tag">Kazakhstan</a></footer>
</article>
<article id="post-12" class="post-12 post type-post hentry">
 <h2 class="entry-title"><a href="/second-post-slug/" rel="bookmark">Second</a></h2></article>
<article id="post-11b" class="post-11 post type-post hentry">
 <h2 class="entry-title"><a href="https://example.com/first-post-slug/">Dup</a></h2></article>
<nav class="navigation pagination" aria-label="Posts"><h2 class="screen-reader-text">Posts</h2>
 <div class="nav-links"><a class="prev page-numbers" href="https://example.com/category/kazakhstan/">
 Previous</a><a class="page-numbers" href="https://example.com/category/kazakhstan/">1</a>
 <span aria-current="page" class="page-numbers current">2</span>
 <a class="page-numbers" href="https://example.com/category/kazakhstan/page/3/">3</a>
 <a class="next page-numbers" href="https://example.com/category/kazakhstan/page/3/">Next</a>
 </div></nav>
</main>
<aside class="widget-area"><section class="widget"><ul><li class="post-99 hentry">
<a href="/sidebar-post-slug-here/" rel="bookmark">Side</a></li></ul></section></aside>
"""


def test_classic_archive_wp_markup() -> None:
    result = parse_listing(html(TT1_ARCHIVE), "https://example.com/category/kazakhstan/page/2/")
    assert result.post_urls == ("https://example.com/first-post-slug/",
                                "https://example.com/second-post-slug/")
    assert result.post_source == "wp"
    assert result.next_url == "https://example.com/category/kazakhstan/page/3/"
    assert result.next_source == "wp"
    assert result.results is None


def test_link_rel_next_wins() -> None:
    head = '<link rel="next" href="https://example.com/category/kazakhstan/page/3" />'
    result = parse_listing(html(TT1_ARCHIVE, head), "https://example.com/category/kazakhstan/page/2/")
    assert (result.next_url, result.next_source) == (
        "https://example.com/category/kazakhstan/page/3", "link")


def test_magazine_archive() -> None:
    result = parse_listing(page("tagdiv_listing.html"),
                           "https://cad.example.net/category/tajikistan/page/2/")
    # tagDiv module titles carry the hentry class entry-title: a WordPress convention
    assert result.post_source == "wp"
    assert result.post_urls == (
        "https://cad.example.net/tajik-power-exports-grow/",
        "https://cad.example.net/index.php/news/22364-old-dushanbe-story",
        "https://cad.example.net/rogun-dam-second-unit-starts/?utm_source=x",
    )
    assert (result.next_url, result.next_source) == (
        "https://cad.example.net/category/tajikistan/page/3/", "theme")
    assert result.results == ResultsLine(7, 12, 1234)


def test_magazine_modules_without_entry_title_use_theme_selectors() -> None:
    body = ('<div class="td_module_flex td_module_flex_1"><h3 class="td-module-title">'
            '<a href="/alpha-beta-gamma/">A</a></h3></div>'
            '<div class="td_module_flex"><h3 class="td-module-title">'
            '<a href="https://other.example.org/paid-post-here/">Ad</a></h3></div>')
    result = parse_listing(html(body), "https://example.com/latest/")
    assert (result.post_urls, result.post_source) == (
        ("https://example.com/alpha-beta-gamma/",), "theme")


def test_unknown_theme_generic_fallbacks() -> None:
    result = parse_listing(page("unknown_listing.html"),
                           "https://kgwire.example.com/category/economy/page/3")
    assert result.post_source == "generic"
    assert result.post_urls == (
        "https://kgwire.example.com/2025/01/09/bishkek-opens-new-metro-study/",
        "https://kgwire.example.com/kyrgyz-som-steady-against-dollar/",
        "https://kgwire.example.com/index.php/news/22364-old-story-from-archive",
    )
    assert (result.next_url, result.next_source) == (
        "https://kgwire.example.com/category/economy/page/4", "generic")
    assert result.results == ResultsLine(13, 18, None)


@pytest.mark.parametrize(("url", "href"), [
    ("https://example.com/tag/energy/", "/tag/energy/page/2"),
    ("https://example.com/tag/energy/page/7", "/tag/energy/page/8/"),
    ("https://example.com/latest/page/2/?catid=5", "https://example.com/latest/page/3/"),
])
def test_generic_next_by_path(url: str, href: str) -> None:
    body = f"<div><a href='/tag/energy/'>1</a><a href='{href}'>more</a></div>"
    result = parse_listing(html(body), url)
    assert result.next_source == "generic"
    expected = "https://example.com" + href if href.startswith("/") else href
    assert result.next_url == expected


def test_generic_next_by_text() -> None:
    body = "<div class='pg'><a href='/archive-x/?pg=2'>Older posts &raquo;</a></div>"
    result = parse_listing(html(body), "https://example.com/archive-x/")
    assert (result.next_url, result.next_source) == ("https://example.com/archive-x/?pg=2",
                                                     "generic")


def test_empty_and_broken_pages() -> None:
    for sel in (Selector(text=""), Selector(text="<html><body>"),
                Selector(text="<div><a href='/x-y-z/'>unclosed <b>tags</div></a>")):
        result = parse_listing(sel, "https://example.com/latest/page/9/")
        assert result.next_url is None
        assert result.results is None
    nothing = parse_listing(Selector(text="<p>Nothing found</p>"), "https://example.com/latest/")
    assert (nothing.post_urls, nothing.post_source, nothing.next_source) == ((), "none", "none")


@pytest.mark.parametrize(("text", "expected"), [
    ("Viewing results 97 - 102 of 118", ResultsLine(97, 102, 118)),
    ("Viewing results 1 - 6 of", ResultsLine(1, 6, None)),
    ("Viewing results 1 - 6 of 2", ResultsLine(1, 6, 2)),
    ("Viewing results 2335 - 2340 of 803", ResultsLine(2335, 2340, 803)),
    ("Viewing results 7 – 12 of 7,780", ResultsLine(7, 12, 7780)),
    ("Viewing results 7\u00a0\u2014\u00a012 of 7 780", ResultsLine(7, 12, 7780)),
    ("Showing results 1-10 of 25", ResultsLine(1, 10, 25)),
    ("No results", None),
])
def test_parse_results(text: str, expected: ResultsLine | None) -> None:
    assert parse_results(text) == expected


def test_results_total_missing_does_not_take_next_number() -> None:
    body = ("<div class='r'>Viewing results <b>1</b> - <b>6</b> of</div>"
            "<h2><a href='/x-y-z/'>2024 was a year</a></h2>")
    result = parse_listing(html(body), "https://example.com/tag/x/")
    assert result.results == ResultsLine(1, 6, None)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.com/kyrgyz-bank-hit-by-sanctions/", True),
    ("https://example.com/index.php/news/22364-some-slug", True),
    ("https://example.com/2024/01/05/some-slug/", True),
    ("https://example.com/?p=123", True),
    ("https://example.com/about-us/", False),
    ("https://example.com/category/kazakhstan/", False),
    ("https://example.com/tag/energy/page/2/", False),
    ("https://example.com/latest/", False),
    ("https://example.com/wp-content/uploads/2024/01/a-b-c.jpg", False),
    ("https://example.com/feed/", False),
    ("https://example.com/short/", False),
])
def test_looks_like_post(url: str, expected: bool) -> None:
    assert looks_like_post(url) is expected


# -- generic teaser groups (themes whose teasers carry no post classes) ------------------

SITE = "http://127.0.0.1:8000"


@pytest.mark.parametrize("path", ["/latest/", "/latest/page/4/", "/category/kazakhstan/page/17/",
                                  "/tag/elections/", "/author/j-smithexample-com/"])
def test_jnews_archive_found_by_teaser_groups(path: str) -> None:
    """JNews teasers are bare <article class="jeg_post"> inside a block whose class says
    "pagination_nav", beside "Recent Posts"/"Most Read" widgets of the same markup. The
    block holds most of the page's text, so its class does not make it navigation: JNews's
    own title class finds the list; the teaser groups would too."""
    from crawler.urls import canonical_url
    from tests.replica import ReplicaConfig, ReplicaSite

    site = ReplicaSite(ReplicaConfig(seed=1, posts=120, theme="jnews"))
    status, _, body = site.handle("GET", path, base_url=SITE)
    result = parse_listing(Selector(body=body, type="html"), SITE + path)
    truth = site.ground_truth(SITE)
    archive = path.strip("/").split("/page/")[0]
    page_no = int(path.rstrip("/").rsplit("/", 1)[1]) if "/page/" in path else 1
    in_archive = [p["url"] for p in sorted(truth["posts"], key=lambda p: p["published_at"],
                                           reverse=True)
                  if archive in p.get("listings", [archive])]
    assert status == 200
    assert result.post_source == "theme"
    got = [canonical_url(u) for u in result.post_urls]
    assert len(got) == 6
    if archive == "latest":
        assert got == in_archive[(page_no - 1) * 6:page_no * 6]
    index = PageIndex(Selector(body=body, type="html").root)
    assert [canonical_url(u) for u in listing._teaser_links(index, SITE + path)] == got


MISLEADING_CLASSES = """
<div class="site"><div class="topbar"><a href="/a-story-in-the-top-bar/">Top</a></div>
<div class="content-wrap">
 <div class="posts-nav-grid block_nav_3">
  {teasers}
 </div>
 <div class="most-read-box">{widget}</div>
</div></div>
"""


def test_teaser_group_beats_title_only_widget_despite_misleading_class() -> None:
    teasers = "".join(
        f'<div class="tile"><a href="/main-story-number-{i}/"><img src="/i{i}.jpg"></a>'
        f'<h3><a href="/main-story-number-{i}/?utm_source=home">Main story {i}</a></h3>'
        f'<a href="/category/economy/">Economy</a>'
        f"<p>An excerpt of the story with enough words to read like a teaser {i}.</p>"
        f'<a href="/main-story-number-{i}/">Read more</a></div>'
        for i in range(6))
    widget = "".join(f'<div class="tile-sm"><a href="/popular-story-number-{i}/">Pop {i}</a>'
                     "</div>" for i in range(8))
    body = MISLEADING_CLASSES.format(teasers=teasers, widget=widget)
    result = parse_listing(html(body), "https://example.com/category/economy/")
    assert result.post_source == "generic"
    assert result.post_urls == tuple(f"https://example.com/main-story-number-{i}/"
                                     for i in range(6))
