"""Article parser: every field with its source label, on three kinds of theme and on bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from crawler.parsers import FIELDS, parse_article, split_names, strip_shortcodes, strip_site_suffix
from crawler.parsers.jsonld import JsonLd, loads_lenient
from crawler.parsers.text import normalize_ws

HANDMADE = Path(__file__).parent / "fixtures" / "handmade"
YOAST_URL = "https://example.com/kazakhstan-and-uzbekistan-agree-on-water/"
LONG_TITLE = ("Kazakhstan and Uzbekistan Agree on a Long Programme of Water, Energy and Transport "
              "Cooperation for the Next Decade")
YOAST_BODY = (
    "ASTANA (TCA) — Kazakhstan and Uzbekistan signed a roadmap on shared rivers on Thursday."
    "\n\nThe deal covers the Syr Darya and Amu Darya basins [sic], and follows talks in 2024 [1]."
    "\n\n“This is an important step,” said the minister."
)


def raw(name: str) -> bytes:
    return (HANDMADE / name).read_bytes()


def parse(data: bytes | str, url: str, encoding: str = "utf-8"):
    body = data.encode(encoding) if isinstance(data, str) else data
    return parse_article(Selector(body=body, type="html", encoding=encoding), url)


def check(page, expected: dict) -> None:
    """Every field and its label exactly as expected."""
    assert set(page.fields) == set(FIELDS) == set(page.sources)
    got = {k: (page.fields[k], page.sources[k]) for k in expected}
    assert got == expected


def test_yoast_classic_article_standard_signals() -> None:
    page = parse(raw("yoast_twentyone_article.html"), YOAST_URL)
    check(page, {
        "url": (YOAST_URL, "link"),
        "post_id": (4242, "link"),
        # the JSON-LD headline is cut ("…for t..."): og:title minus " - Example Times" is full
        "title": (LONG_TITLE, "meta"),
        "summary": ("Astana and Tashkent signed “a roadmap” on shared rivers.", "meta"),
        "authors": (["Aidana Bekova", "Eleanor Whitfield"], "jsonld"),
        "published_at": ("2025-01-09T07:00:00+00:00", "jsonld"),
        "modified_at": ("2025-01-09T08:30:00+00:00", "jsonld"),
        "categories": (["Kazakhstan", "Uzbekistan"], "jsonld"),
        "tags": (["Water", "Energy"], "jsonld"),
        "image_url": ("https://example.com/wp-content/uploads/2025/01/water.jpg", "meta"),
        "body_text": (YOAST_BODY, "wp"),
        "word_count": (len(YOAST_BODY.split()), "wp"),
    })


def _strip_head(data: bytes) -> bytes:
    return re.sub(rb"<head>.*</head>", b"<head></head>", data, flags=re.DOTALL)


def test_classic_article_without_head_falls_back_to_wordpress_markup() -> None:
    page = parse(_strip_head(raw("yoast_twentyone_article.html")), YOAST_URL)
    check(page, {
        "url": (YOAST_URL, "url"),
        "post_id": (4242, "wp"),  # body class postid-4242
        "title": (LONG_TITLE, "wp"),
        "summary": (None, "none"),  # no description published: no summary is invented
        "authors": (["Aidana Bekova"], "wp"),  # rel=author, not the commenter's vcard
        "published_at": ("2025-01-09T12:00:00+05:00", "wp"),
        "modified_at": ("2025-01-09T13:30:00+05:00", "wp"),
        "categories": (["Kazakhstan", "Uzbekistan"], "wp"),  # rel="category tag"
        "tags": (["Water", "Energy"], "wp"),  # rel="tag" without category
        "image_url": ("https://example.com/wp-content/uploads/2025/01/water-1024x683.jpg", "wp"),
        "body_text": (YOAST_BODY, "wp"),
    })


def test_post_classes_when_no_term_links() -> None:
    data = _strip_head(raw("yoast_twentyone_article.html"))
    data = re.sub(rb'<div class="post-taxonomies">.*?</div>', b"", data, flags=re.DOTALL)
    page = parse(data, YOAST_URL)
    assert (page.fields["categories"], page.sources["categories"]) == (
        ["Kazakhstan", "Uzbekistan"], "wp")
    assert (page.fields["tags"], page.sources["tags"]) == (["Water", "Energy"], "wp")


def test_magazine_article_theme_selectors() -> None:
    page = parse(raw("tagdiv_article.html"), "https://cad.example.net/tajik-power-exports-grow/")
    check(page, {
        "url": ("https://cad.example.net/tajik-power-exports-grow/", "url"),
        "post_id": (9001, "wp"),
        "title": ("Tajik Power Exports Grow", "meta"),
        "summary": ("Dushanbe sold more electricity to its neighbours in 2024.", "meta"),
        "authors": (["Ravshan Nazarov"], "theme"),
        "published_at": ("2024-09-07T10:00:00+05:00", "wp"),  # time.entry-date
        # tagDiv's one <time class="entry-date updated"> is the publication time
        "modified_at": (None, "none"),
        "categories": (["Tajikistan", "Business & Economy"], "theme"),
        "tags": (["Energy", "Rogun"], "theme"),
        # the thumbnail links to the uploaded original: that file, not the 696x464 copy
        "image_url": ("https://cad.example.net/wp-content/uploads/2024/09/dam.jpg", "theme"),
        "body_text": ("DUSHANBE (TCA) — Tajikistan exported 2.1 billion kWh of electricity in "
                      "2024.\n\nMost of it went to Uzbekistan and Afghanistan, the energy "
                      "ministry said.\n\nRogun will add capacity once its next units start in "
                      "2026.", "theme"),
    })


UNKNOWN_BODY = ("BISHKEK — The city has commissioned a feasibility study for a metro line.\n\n"
                "The study, funded by a development bank, will take eighteen months.\n\n"
                "Officials said construction could start in 2028 if funding is found.")


def test_unknown_theme_generic_fallbacks() -> None:
    url = "https://kgwire.example.com/bishkek-opens-new-metro-study/"
    page = parse(raw("unknown_article.html"), url)
    check(page, {
        "url": (url, "url"),
        "post_id": (None, "none"),
        "title": ("Bishkek Opens New Metro Study", "generic"),
        "summary": (None, "none"),  # the first paragraph is not a summary
        "authors": (["Aibek Tashiev", "Nurzhan Aliev"], "text"),
        "published_at": ("2025-01-08T09:30:00+06:00", "generic"),
        "modified_at": (None, "none"),
        "categories": (["Kyrgyzstan"], "generic"),
        "tags": ([], "none"),
        "image_url": (None, "none"),
        "body_text": (UNKNOWN_BODY, "generic"),
        "word_count": (35, "generic"),
    })


def test_title_tag_as_last_resort() -> None:
    page = parse("<html><head><title>Only A Title :: KG Wire</title></head><body>"
                 "<p>Just one paragraph of text here.</p></body></html>", "https://k.example/x/")
    assert (page.fields["title"], page.sources["title"]) == ("Only A Title", "generic")


def test_nothing_page() -> None:
    page = parse("<html><body></body></html>", "https://example.com/x/")
    assert page.fields == {**dict.fromkeys(FIELDS), "url": "https://example.com/x/",
                           "authors": [], "categories": [], "tags": [], "category_paths": [],
                           "category_path_names": []}
    assert page.sources == {**dict.fromkeys(FIELDS, "none"), "url": "url"}
    empty = parse_article(Selector(text=""), "https://example.com/y/")
    assert empty.fields["url"] == "https://example.com/y/"


def test_malformed_html_and_broken_jsonld() -> None:
    data = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
            '"headline": "Broken But Readable", "author": {"@type": "Person", "name": '
            '"A. Writer"},}</script><script type="application/ld+json">{{{ nope</script>'
            '</head><body><div class="entry-content"><p>First <b>bold <i>para</p>'
            '<p>Second para<div>stray</body>')
    page = parse(data, "https://example.com/broken/")
    assert (page.fields["title"], page.sources["title"]) == ("Broken But Readable", "jsonld")
    assert page.fields["authors"] == ["A. Writer"]
    assert page.sources["body_text"] == "wp"
    assert page.fields["body_text"].startswith("First bold para")


@pytest.mark.parametrize("encoding", ["windows-1251", "latin-1"])
def test_declared_single_byte_encodings(encoding: str) -> None:
    title = "Қазақстан Ньюс" if encoding == "windows-1251" else "Café Société Über"
    title = title.encode(encoding, errors="ignore").decode(encoding)
    html = (f'<html><head><meta charset="{encoding}"><meta property="og:title" '
            f'content="{title}"></head><body><article class="post-5 hentry"><h1 '
            f'class="entry-title">{title}</h1><div class="entry-content"><p>{title} '
            f"text\u00a0here.</p></div></article></body></html>")
    # decoded as a crawl decodes it: Scrapy reads the <meta charset> (lxml has no "latin-1")
    response = HtmlResponse("https://example.com/enc/", body=html.encode(encoding))
    page = parse_article(response, "https://example.com/enc/")
    assert page.fields["title"] == title
    assert page.fields["body_text"] == f"{title} text here."
    assert page.fields["post_id"] == 5


def test_jsonld_headline_kept_when_complete_and_list_types() -> None:
    data = ('<script type="application/ld+json">[{"@type": ["ReportageNews"], "headline": '
            '"Full &amp; Fine", "author": "Desk A, Desk B", "articleSection": "Economy", '
            '"keywords": "oil, gas", "image": ["https://e.com/a.jpg"]}]</script>'
            "<h1>Other h1</h1>")
    page = parse(data, "https://e.com/p/")
    assert page.fields["title"] == "Full & Fine"
    assert page.fields["authors"] == ["Desk A, Desk B"]  # JSON-LD names are not split
    assert page.fields["categories"] == ["Economy"]
    # keywords outside a Yoast graph are not tags (Rank Math prints its focus keywords there)
    assert (page.fields["tags"], page.sources["tags"]) == ([], "none")
    assert (page.fields["image_url"], page.sources["image_url"]) == ("https://e.com/a.jpg",
                                                                     "jsonld")


def test_meta_author_and_twitter_label() -> None:
    page = parse('<meta name="author" content="Anna Lee, Bo Kim and Cy Dee">', "https://e.com/")
    assert (page.fields["authors"], page.sources["authors"]) == (
        ["Anna Lee", "Bo Kim", "Cy Dee"], "meta")
    page = parse('<meta name="twitter:label1" content="Written by">'
                 '<meta name="twitter:data1" content="Dana Roe &amp; Eli Poe">', "https://e.com/")
    assert (page.fields["authors"], page.sources["authors"]) == (["Dana Roe", "Eli Poe"], "meta")


def test_body_exclusions_by_generic_hints() -> None:
    data = ("<main><div class='entry-content'>"
            "<p>Kept one.</p>"
            "<div class='my-social-icons'><p>Tweet this story to your followers.</p></div>"
            "<div class='yarpp yarpp-related'><p>Related story excerpt, fairly long.</p></div>"
            "<aside><p>Aside text</p></aside>"
            "<p>Related: <a href='/x-y-z/'>Something</a></p>"
            "<p>See also: other</p>"
            "<p>Related to this, officials said more.</p>"
            "<p style='display:none'>hidden</p>"
            "<ul><li>List item</li></ul>"
            "<h2>Subhead</h2>"
            "<p>Old posts used line breaks.<br>Second line.</p>"
            "Loose text without a paragraph."
            "</div></main>")
    page = parse(data, "https://e.com/")
    # list items and headings are article text; a <br> is a line break inside a paragraph
    assert page.fields["body_text"] == (
        "Kept one.\n\nRelated to this, officials said more.\n\nList item\n\nSubhead\n\n"
        "Old posts used line breaks.\nSecond line.\n\nLoose text without a paragraph.")


@pytest.mark.parametrize(("text", "expected"), [
    ("[caption id=\"attachment_1\" align=\"alignnone\" width=\"300\"] A caption[/caption] Text",
     "Text"),
    ("[vc_row][vc_column][vc_column_text]Hello[/vc_column_text][/vc_column][/vc_row]", "Hello"),
    ("Cut here[/vc_column_text][", "Cut here"),
    ("Cut here [vc_column_text", "Cut here"),
    ('[video width="640" mp4="a.mp4"][/video] after', "after"),
    ("He said [sic] that [1] was […]", "He said [sic] that [1] was […]"),
    ("a\u00a0b\u200bc\u2009 d", "a bc d"),
])
def test_strip_shortcodes(text: str, expected: str) -> None:
    assert strip_shortcodes(normalize_ws(text)) == expected


@pytest.mark.parametrize(("title", "expected"), [
    ("Headline - Example Times", "Headline"),
    ("Headline | EXAMPLE TIMES", "Headline"),
    ("Example Times | Headline", "Headline"),
    ("Headline – example.com", "Headline"),
    ("A - B Headline", "A - B Headline"),
])
def test_strip_site_suffix(title: str, expected: str) -> None:
    assert strip_site_suffix(title, ["Example Times"], "example.com") == expected


def test_split_names() -> None:
    assert split_names("By A One and B Two") == ["A One", "B Two"]
    assert split_names("A One, B Two, and C Three & D Four") == ["A One", "B Two", "C Three",
                                                                  "D Four"]
    assert split_names("") == []


def test_jsonld_lenient_parsing() -> None:
    assert loads_lenient('<!-- {"a": [1, 2,],} -->') == {"a": [1, 2]}
    assert loads_lenient("//<![CDATA[\n{\"a\": 1}\n//]]>") == {"a": 1}
    assert loads_lenient("not json") is None
    sel = Selector(text='<script type="application/ld+json">{"@graph": [{"@type": "Person", '
                        '"@id": "#p", "name": "Zed"}, {"@type": "BlogPosting", "headline": "H", '
                        '"author": {"@id": "#p"}}]}</script><script type="application/ld+json">'
                        "bad</script>")
    ld = JsonLd.from_selector(sel)
    assert ld.broken == 1
    article = ld.article()
    assert article is not None and ld.names(article["author"]) == ["Zed"]


RANK_MATH_HEAD = (
    '<meta property="og:site_name" content="Example Times">'
    '<script type="application/ld+json" class="rank-math-schema">{"@context": '
    '"https://schema.org", "@graph": [{"@type": "WebSite", "@id": "https://e.com/#website", '
    '"name": "Example Times"}, {"@type": "NewsArticle", "@id": "https://e.com/p/#richSnippet", '
    '"headline": "Water Deal Signed - Example Times", "keywords": "kazakhstan,water deal",'
    '"articleSection": "Energy, Kazakhstan", "author": {"@id": "https://e.com/author/a/", '
    '"name": "Ann Aa"}}]}</script>'
)


def test_rank_math_schema_is_not_read_at_face_value() -> None:
    data = ("<html><head>" + RANK_MATH_HEAD + "</head><body>"
            '<article class="post-7 hentry"><h1>Water Deal Signed</h1>'
            '<span class="byline"><span class="author vcard"><a href="/author/a/">Ann Aa</a>'
            '</span> and <span class="author vcard"><a href="/author/b/">Bo Bb</a></span></span>'
            '<span class="cat-links"><a href="/category/kazakhstan/" rel="category tag">'
            'Kazakhstan</a>, <a href="/category/energy/" rel="category tag">Energy</a></span>'
            '<div class="entry-content"><p>Text of the article.</p></div></article>'
            '<div id="comments" class="comments-area"><div class="comment-author vcard">'
            '<b class="fn"><a href="https://spam.example/" rel="external author">Spammer</a></b>'
            "</div></div></body></html>")
    page = parse(data, "https://e.com/p/")
    # the SEO title's site suffix goes from the JSON-LD headline as well
    assert (page.fields["title"], page.sources["title"]) == ("Water Deal Signed", "jsonld")
    # the byline names the schema's author and a co-author: it wins; the commenter never joins
    assert (page.fields["authors"], page.sources["authors"]) == (["Ann Aa", "Bo Bb"], "wp")
    # articleSection is one sorted string: split, in the order of the page's category links
    assert (page.fields["categories"], page.sources["categories"]) == (
        ["Kazakhstan", "Energy"], "wp")
    # focus keywords are not tags, and this post has none
    assert (page.fields["tags"], page.sources["tags"]) == ([], "none")


def test_block_theme_terms_bylines_and_dates() -> None:
    data = ('<main><div class="wp-block-group"><h1 class="wp-block-post-title">Block Post</h1>'
            '<div class="wp-block-post-date"><time datetime="2025-01-05T23:10:39+05:00">'
            'January 5, 2025</time></div><div class="wp-block-post-date__modified-date '
            'wp-block-post-date"><time datetime="2025-01-06T08:00:00+05:00">January 6, 2025'
            '</time></div><div class="wp-block-post-author-name"><a href="/author/a/">Ann Aa</a>'
            '</div><div class="wp-block-post-author-name">Bo Bb</div>'
            '<div class="taxonomy-category wp-block-post-terms"><a href="/category/kz/" '
            'rel="tag">Kazakhstan</a></div></div>'
            '<div class="entry-content wp-block-post-content"><p>Body text here.</p></div>'
            '<div class="taxonomy-post_tag wp-block-post-terms"><a href="/tag/water/" rel="tag">'
            'Water</a></div><ul class="wp-block-post-template"><li class="wp-block-post post-9 '
            'type-post hentry"><h3><a href="/other/">Other</a></h3></li></ul></main>')
    page = parse(data, "https://e.com/block-post/")
    got = {k: (page.fields[k], page.sources[k]) for k in
           ("title", "authors", "published_at", "modified_at", "categories", "tags", "summary")}
    assert got == {
        "title": ("Block Post", "generic"),
        "authors": (["Ann Aa", "Bo Bb"], "wp"),
        "published_at": ("2025-01-05T23:10:39+05:00", "wp"),
        "modified_at": ("2025-01-06T08:00:00+05:00", "wp"),
        "categories": (["Kazakhstan"], "wp"),
        "tags": (["Water"], "wp"),
        "summary": (None, "none"),
    }


def test_lazy_image_and_display_date() -> None:
    pixel = "data:image/png;base64,iVBORw0KGgo="
    data = ('<div class="entry-header"><h1 class="jeg_post_title">Lazy</h1>'
            '<div class="jeg_meta_date"><a href="/lazy/">January 3, 2025</a></div></div>'
            f'<div class="jeg_featured"><a href="/up/full.jpg"><img src="{pixel}" '
            'class="lazyload wp-post-image" data-src="/up/full-750x500.jpg"></a></div>'
            '<div class="entry-content no-share"><div class="content-inner"><p>Body.</p></div>'
            '<div class="jeg_post_tags"><a href="/tag/a/" rel="tag">A</a></div></div>')
    page = parse(data, "https://e.com/lazy/")
    assert (page.fields["image_url"], page.sources["image_url"]) == (
        "https://e.com/up/full.jpg", "wp")
    # the shown day, read by crawler.dates (normalization makes it midnight site time)
    assert (page.fields["published_at"], page.sources["published_at"]) == (
        "2025-01-03", "theme")
    assert page.fields["body_text"] == "Body."  # "no-share" is not a share bar
    assert page.fields["tags"] == ["A"]
    unlinked = parse(f'<article class="hentry"><h1>X</h1><img class="wp-post-image" '
                     f'src="{pixel}" data-srcset="/up/x-300.jpg 300w"></article>',
                     "https://e.com/x/")
    assert unlinked.fields["image_url"] == "https://e.com/up/x-300.jpg"
    nothing = parse(f'<article class="hentry"><h1>X</h1><img class="wp-post-image" '
                    f'src="{pixel}"></article>', "https://e.com/x/")
    assert nothing.fields["image_url"] is None


def test_yoast_graph_shape_without_class() -> None:
    data = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
            '[{"@type": "Article", "@id": "https://e.com/p/#article", "isPartOf": {"@id": '
            '"https://e.com/p/"}, "headline": "H", "keywords": ["Water", "Energy"]}, '
            '{"@type": "WebPage", "@id": "https://e.com/p/"}]}</script>')
    page = parse(data, "https://e.com/p/")
    assert (page.fields["tags"], page.sources["tags"]) == (["Water", "Energy"], "jsonld")


DATED = "https://example.com/2024/05/07/bishkek-metro-plan/"


def test_an_unreadable_date_gives_way_to_the_next_signal() -> None:
    data = ('<html><head><meta property="article:published_time" content="sometime in May">'
            '</head><body><article class="post-7 post hentry"><h1>Metro Plan</h1>'
            '<time class="entry-date published" datetime="2024-05-07T10:00:00+06:00">'
            "7 May</time><div class='entry-content'><p>Text.</p></div></article></body></html>")
    page = parse(data, DATED)
    assert (page.fields["published_at"], page.sources["published_at"]) == (
        "2024-05-07T10:00:00+06:00", "wp")
    assert page.flags == ("published_at:unreadable",)
    # with nothing readable at all, the text as found (normalization rejects it, showing it)
    page = parse('<meta property="article:published_time" content="sometime in May">'
                 "<p>Text.</p>", "https://example.com/undated-post/")
    assert (page.fields["published_at"], page.sources["published_at"], page.flags) == (
        "sometime in May", "meta", ())


@pytest.mark.parametrize(("shown", "expected", "label"), [
    # the forms the normalizer used to refuse are read where they stand
    ("20200316T13:00:00Z", "2020-03-16T13:00:00+00:00", "meta"),
    ("Sun, 11 Oct 2020 07:34:36 GMT", "2020-10-11T07:34:36+00:00", "meta"),
    ("11.11.2021", "2021-11-11", "meta"),
    ("3rd January 2025", "2025-01-03", "meta"),
])
def test_real_world_date_forms(shown: str, expected: str, label: str) -> None:
    page = parse(f'<meta property="article:published_time" content="{shown}">'
                 "<div class='entry-content'><p>Text.</p></div>", "https://example.com/x-y-z/")
    assert (page.fields["published_at"], page.sources["published_at"], page.flags) == (
        expected, label, ())


def test_no_date_signal_falls_back_to_htmldate() -> None:
    # no JSON-LD, meta, <time> or theme date: htmldate reads the day (here from the URL)
    page = parse("<html><body><h1>Metro Plan</h1><div class='entry-content'><p>The city "
                 "approved a plan.</p></div></body></html>", DATED)
    assert (page.fields["published_at"], page.sources["published_at"]) == (
        "2024-05-07", "generic")
    # a page with nothing that carries a date has none
    page = parse("<html><body><h1>Undated</h1><p>Text.</p></body></html>",
                 "https://example.com/undated-page/")
    assert (page.fields["published_at"], page.sources["published_at"]) == (None, "none")
