"""Holdout markup of the replica: the block and jnews themes and the seo switch.

These tests check the replica itself (status codes, ground truth present in the markup, SEO
heads as the real plugins print them); they do not run the crawler. The crawler's score on
these combinations is measured by ``python -m tests.holdout_report``.
"""

from __future__ import annotations

import io
import json
import math
import re
import subprocess
import sys
import unicodedata
from contextlib import redirect_stdout
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from parsel import Selector

from tests.replica import ReplicaConfig, ReplicaSite
from tests.replica.__main__ import main as replica_main
from tests.replica.rates import header_spec

BASE = "http://127.0.0.1:8000"
THEMES = ("block", "jnews")
SEOS = ("yoast", "rankmath", "none")
CONTENT = {"block": "div.wp-block-post-content", "jnews": "div.content-inner"}
TEASER = {"block": "li.wp-block-post h2.wp-block-post-title a", "jnews": "article.jeg_post"}
NEXT = {"block": "a.wp-block-query-pagination-next", "jnews": "a.page_nav.next"}


def _site(theme: str, seo: str, state: str = "initial") -> ReplicaSite:
    return _SITES.setdefault(
        (theme, seo, state), ReplicaSite(ReplicaConfig(theme=theme, seo=seo, state=state))
    )


_SITES: dict[tuple[str, str, str], ReplicaSite] = {}


def get(site: ReplicaSite, path: str) -> tuple[int, Selector, str]:
    status, _headers, body = site.handle("GET", path, BASE)
    text = body.decode("utf-8")
    return status, Selector(text), text


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def canon(url: str) -> str:
    return urlsplit(url).path.rstrip("/") + "/"


def teaser_urls(theme: str, sel: Selector) -> list[str]:
    if theme == "jnews":
        sel = sel.css("div.jnews_archive_content_wrapper")[0]
        links = sel.css("article.jeg_post h3.jeg_post_title a::attr(href)").getall()
        return [canon(u) for u in links]
    return [canon(u) for u in sel.css(TEASER[theme] + "::attr(href)").getall()]


def test_config_accepts_new_names() -> None:
    cfg = ReplicaConfig(theme="block", seo="rankmath")
    assert (cfg.theme, cfg.seo) == ("block", "rankmath")
    assert ReplicaConfig().seo == "yoast"
    with pytest.raises(ValueError):
        ReplicaConfig(seo="aioseo")
    with pytest.raises(ValueError):
        ReplicaConfig(theme="twentytwentyfive")


@pytest.mark.parametrize("theme", ["classic", "magazine"])
def test_default_seo_is_yoast_byte_for_byte(theme: str) -> None:
    a = ReplicaSite(ReplicaConfig(theme=theme))
    b = ReplicaSite(ReplicaConfig(theme=theme, seo="yoast"))
    for path in ("/latest/page/2/", f"/{a.content.posts[3].slug}/", "/nope/"):
        assert a.handle("GET", path, BASE) == b.handle("GET", path, BASE)
    assert a.ground_truth(BASE) == b.ground_truth(BASE)
    assert "seo" not in a.ground_truth(BASE)


@pytest.mark.parametrize("seo", SEOS)
@pytest.mark.parametrize("theme", THEMES)
def test_archives(theme: str, seo: str) -> None:
    site = _site(theme, seo)
    c = site.content
    latest = c.archives["latest"]
    pages = math.ceil(len(latest.posts) / 6)
    for page in (1, 2, pages):
        path = "/latest/" if page == 1 else f"/latest/page/{page}/"
        status, sel, _ = get(site, path)
        assert status == 200
        want = [f"/{c.posts[i].slug}/" for i in latest.posts[(page - 1) * 6 : page * 6]]
        assert teaser_urls(theme, sel) == want
        nxt = sel.css(NEXT[theme] + "::attr(href)").get()
        assert nxt == (f"{BASE}/latest/page/{page + 1}/" if page < pages else None)
        if theme == "block":
            assert not sel.css("a.next.page-numbers")
    assert get(site, f"/latest/page/{pages + 1}/")[0] == 404
    status, sel, _ = get(site, "/category/kazakhstan/page/17/")
    assert status == 200
    assert "Viewing results 97 - 102 of 118" in norm(" ".join(sel.css("body *::text").getall()))
    status, sel, _ = get(site, "/author/j-smithexample-com/")
    body = norm(" ".join(sel.css("body *::text").getall()))
    assert status == 200 and "Our People" in body and "Articles" in body
    assert sel.css("img[alt$='s Avatar']")


@pytest.mark.parametrize("seo", SEOS)
@pytest.mark.parametrize("theme", THEMES)
def test_articles_hold_ground_truth(theme: str, seo: str) -> None:
    site = _site(theme, seo)
    gt = {p["post_id"]: p for p in site.ground_truth(BASE)["posts"]}
    posts = [p for p in site.content.posts if not p.removed]
    sample = posts[:3] + [p for p in posts if len(p.authors) == 2][:2] + posts[-3:]
    for post in sample:
        g = gt[post.post_id]
        status, sel, _ = get(site, f"/{post.slug}/")
        assert status == 200
        h1 = "h1.wp-block-post-title" if theme == "block" else "h1.jeg_post_title"
        assert norm("".join(sel.css(h1 + " ::text").getall())) == g["title"]
        content = norm(" ".join(sel.css(CONTENT[theme] + " ::text").getall()))
        for para in g["paragraphs"]:
            assert para in content
        if theme == "block":
            names = sel.css("div.wp-block-post-author-name a::text").getall()
            assert names == g["authors"]
            assert sel.css("div.wp-block-post-date time::attr(datetime)").get() == g["published_at"]
            cats = sel.css("div.taxonomy-category.wp-block-post-terms a[rel=tag]::text").getall()
            assert cats == g["categories"]
        else:
            assert sel.css("div.jeg_meta_author a::text").getall() == g["authors"]
            assert sel.css("div.jeg_meta_date a::text").get() == (
                f"{post.published:%B} {post.published.day}, {post.published.year}"
            )
            assert sel.css("div.jeg_post_tags a::text").getall() == g["tags"]
            assert sel.css("div.jeg_share_top_container")
            assert sel.css("div.jnews_related_post_container article.jeg_post")
    status, sel, _ = get(site, "/no-such-page-here/")
    assert status == 404


@pytest.mark.parametrize("seo", SEOS)
@pytest.mark.parametrize("theme", THEMES)
def test_ground_truth_unchanged(theme: str, seo: str) -> None:
    ref = _site("classic", "yoast").ground_truth(BASE)
    gt = _site(theme, seo).ground_truth(BASE)
    assert gt.pop("theme") == theme and ref.pop("theme") == "classic"
    assert gt.pop("seo", "yoast") == seo
    if seo == "none":  # documented: no summary is published without an SEO plugin
        assert all(p["summary"] is None for p in gt["posts"])
        for p in ref["posts"]:
            p["summary"] = None
    assert gt == ref


@pytest.mark.parametrize("theme", THEMES)
def test_header_ticker_and_dateline(theme: str) -> None:
    site = _site(theme, "yoast")
    day = site.content.now.date()
    post = next(
        p
        for p in site.content.posts
        if header_spec(f"/{p.slug}/", day).dateline and not p.extra.get("no_ticker")
    )
    _, sel, _ = get(site, f"/{post.slug}/")
    text = norm(sel.xpath("string(//body)").get())  # as a browser reads it, no extra spaces
    assert "KZT/USD = 0.00190 -0%" in text
    assert "10 January 2025" in text


def _graph(sel: Selector) -> list[dict]:
    return json.loads(sel.css("script.rank-math-schema::text").get())["@graph"]


@pytest.mark.parametrize("theme", THEMES)
def test_rankmath_head(theme: str) -> None:
    site = _site(theme, "rankmath")
    gt = {p["post_id"]: p for p in site.ground_truth(BASE)["posts"]}
    post = next(p for p in site.content.posts if p.tags and p.has_image and len(p.authors) == 2)
    _, sel, raw = get(site, f"/{post.slug}/")
    g = gt[post.post_id]
    assert "<!-- Search Engine Optimization by Rank Math - https://rankmath.com/ -->" in raw
    assert not sel.css("script.yoast-schema-graph")
    og = sel.css("meta[property='og:title']::attr(content)").get()
    assert og == f"{g['title']} - The Times Of Central Asia"
    pub = sel.css("meta[property='article:published_time']::attr(content)").get()
    assert pub == g["published_at"] and re.search(r"\+0[56]:00$", pub)
    graph = _graph(sel)
    types = {n["@type"] for n in graph}
    want = {"Organization", "WebSite", "ImageObject", "BreadcrumbList", "WebPage", "Person"}
    assert want <= types
    article = next(n for n in graph if n["@type"] == "NewsArticle")
    assert article["datePublished"] == g["published_at"]
    assert article["dateModified"] == g["modified_at"]
    assert isinstance(article["keywords"], str) and isinstance(article["articleSection"], str)
    assert article["author"]["name"] == g["authors"][0]
    assert sel.css("meta[name=description]::attr(content)").get() == g["summary"]


@pytest.mark.parametrize("theme", THEMES)
def test_core_head_without_seo_plugin(theme: str) -> None:
    site = _site(theme, "none")
    post = site.content.posts[4]
    _, sel, raw = get(site, f"/{post.slug}/")
    head = raw[: raw.index("</head>")]
    assert "&#8211; The Times Of Central Asia</title>" in head
    assert not sel.css("meta[property^='og:'], meta[name=description]")
    assert "application/ld+json" not in raw
    assert sel.css("link[rel=canonical]::attr(href)").get() == f"{BASE}/{post.slug}/"
    assert sel.css("link[rel=shortlink]::attr(href)").get() == f"{BASE}/?p={post.post_id}"
    assert sel.css("link[rel=alternate][type='application/json']::attr(href)").get() == (
        f"{BASE}/wp-json/wp/v2/posts/{post.post_id}"
    )
    assert sel.css("link[rel=alternate][type='application/rss+xml']")


@pytest.mark.crawl
def test_cli_ground_truth_and_serve() -> None:
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = replica_main(
            ["ground-truth", "--base-url", BASE, "--theme", "block", "--seo", "rankmath"]
        )
    assert rc == 0
    gt = json.loads(buf.getvalue())
    assert (gt["theme"], gt["seo"]) == ("block", "rankmath")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.replica", "serve", "--theme", "jnews", "--seo", "none"],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("READY http://127.0.0.1:")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
