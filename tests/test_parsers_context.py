"""crawler.parsers.context: what an article parse computes once for every field."""

from __future__ import annotations

from parsel import Selector

from crawler.parsers.context import PageContext
from crawler.parsers.css import Css

URL = "https://timesca.com/a/"

PAGE = """<html><head>
<meta property="og:title" content=" T  one "><meta name="og:title" content="T two">
<meta name="description" content="">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H"}</script>
</head><body>
<div class="sidebar"><article class="post-9 hentry"><h1>Other</h1></article></div>
<main><article class="post-5 type-post"><h1>Title</h1>
<div class="entry-content"><p>Body</p></div>
<p class="x">one</p><p class="x"> one </p><p class="x">two</p></article>
<p class="x">outside</p></main></body></html>"""


def test_context_of_a_page() -> None:
    ctx = PageContext(Selector(text=PAGE), URL)
    main = ctx.root.xpath("//main")[0]
    article = main.xpath("article")[0]
    assert ctx.meta == {"og:title": ["T one", "T two"]}  # empty values are not kept
    assert ctx.m("missing", "og:title") == "T one"
    assert ctx.m("missing") is None
    assert ctx.art == {"@type": "NewsArticle", "headline": "H"}
    assert ctx.main is main
    assert ctx.article_el is article  # the post in the sidebar is furniture
    assert ctx.scope() == [article, main]
    assert ctx.texts(Css(".x")) == ["one", "two"]  # the article's, before the main region's
    assert [h.text for h in ctx.find(Css("h1"))] == ["Title"]
    assert ctx.find(Css("h1"), lambda el: el.text == "Other") == []
    assert ctx.body is None and ctx.html is None and ctx.flags == [] and ctx.unreadable == {}


def test_article_around_the_heading_without_post_classes() -> None:
    ctx = PageContext(Selector(text=(
        '<html><body><main><div id="wrap"><div><h1>T</h1></div>'
        '<div class="td-post-content"><p>Body</p></div></div></main></body></html>')), URL)
    assert ctx.article_el.get("id") == "wrap"
    assert ctx.scope() == [ctx.article_el, ctx.main]


def test_article_falls_back_to_the_main_region() -> None:
    ctx = PageContext(Selector(text="<html><body><main><p>x</p></main></body></html>"), URL)
    assert ctx.article_el is ctx.main
    assert ctx.scope() == [ctx.main]
