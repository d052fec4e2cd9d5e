"""Article bodies: content rendering, class names as hints only, the cross-check, real pages."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from lxml import html as lxml_html
from parsel import Selector
from scrapy.http import HtmlResponse

from crawler.parsers import parse_article
from crawler.parsers.blocks import render, texts
from crawler.parsers.body import cross_check, is_prose
from crawler.parsers.index import PageIndex
from tests.metrics import token_f1

AEB = Path(__file__).parent / "fixtures" / "aeb"
URL = "https://example.com/bishkek-metro-plan/"

PARAGRAPHS = [
    "BISHKEK — The city council approved a plan for the first metro line on Tuesday, after "
    "two years of studies and a public consultation.",
    "The line would run from the western bus station to the university district, with "
    "eleven stations along Chui Avenue.",
    "Officials said construction could start in 2028 if a development bank agrees to fund "
    "most of the cost, estimated at 1.2 billion dollars.",
    "Residents have long complained about traffic jams on the main avenues, where minibuses "
    "carry most passengers.",
    "The mayor said the plan would be presented to investors in Almaty next month.",
]
ARTICLE = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
EXPECTED = "\n\n".join(PARAGRAPHS)


def parse(document: str, url: str = URL):
    return parse_article(Selector(text=document), url)


def page(body: str, body_class: str = "") -> str:
    return (f"<html><head><title>Metro Plan</title></head><body class='{body_class}'>"
            "<header class='site-header'><nav><a href='/'>Home</a> <a href='/news/'>News</a>"
            f"</nav></header>{body}<footer class='site-footer'>© Example 2025</footer>"
            "</body></html>")


def blocks_of(fragment: str) -> list[str]:
    root = lxml_html.fromstring(f"<html><body><div id='c'>{fragment}</div></body></html>")
    index = PageIndex(root)
    return texts(render(root.get_element_by_id("c"), index))


def test_tables_lists_headings_and_line_breaks_are_text() -> None:
    got = blocks_of(
        "<p>Standings after round 36:</p>"
        "<table class='tablehead'><tr class='colhead'><td>Pos.</td><td>Driver</td></tr>"
        "<tr class='oddrow player-2020-580'><td>1</td><td>Kyle Busch</td></tr></table>"
        "<h2>What changes</h2><ul><li>New tasks</li><li>Bugs fixed</li></ul>"
        "<div>Old posts wrote lines<br>with breaks<br><br>and paragraphs with two.</div>")
    assert got == ["Standings after round 36:", "Pos. | Driver", "1 | Kyle Busch",
                   "What changes", "New tasks", "Bugs fixed",
                   "Old posts wrote lines\nwith breaks", "and paragraphs with two."]


def test_hints_drop_clutter_only_with_evidence() -> None:
    got = blocks_of(
        "<p>Kept paragraph.</p>"
        # hinted containers: share buttons (links), a related box, an ad slot (an image)
        "<div class='share-buttons'><a href='/s?f'>Facebook</a> <a href='/s?x'>X</a></div>"
        "<div class='related-posts'><p>Another story excerpt that is long enough.</p></div>"
        "<div class='ad-slot'><img src='/banner.jpg'><span>ADVERTISEMENT</span></div>"
        # hinted units without evidence of clutter stay: a classed row, a classed paragraph
        "<p class='video-intro'>The video shows the opening ceremony.</p>"
        # a unit with evidence goes: a paragraph that is a sign-up form
        "<p class='newsletter'><input type='email'> Sign up for updates</p>"
        # a heading whose section was all clutter goes with it
        "<h3>Related</h3><ul><li><a href='/a-b-c/'>Older story one</a></li></ul>"
        "<p>Last paragraph.</p>")
    assert got == ["Kept paragraph.", "The video shows the opening ceremony.",
                   "Last paragraph."]


@pytest.mark.parametrize("wrapper", ["theiaStickySidebar", "penci_sidebar", "l-sidebar-fixed",
                                     "sidebar-share-related"])
def test_class_names_never_hide_the_article(wrapper: str) -> None:
    document = page(f"<div class='{wrapper}'><article class='post-7 post hentry'>"
                    f"<h1 class='entry-title'>Metro Plan</h1><div class='entry-content'>"
                    f"{ARTICLE}</div></article></div><aside class='widget-area'><section "
                    "class='widget'><h2>Recent</h2><ul><li><a href='/a-b-c/'>A story</a></li>"
                    "</ul></section></aside>", body_class="single wp-embed-responsive")
    parsed = parse(document)
    assert (parsed.fields["body_text"], parsed.sources["body_text"]) == (EXPECTED, "wp")
    assert (parsed.fields["title"], parsed.body_check) == ("Metro Plan", "not-run")


def test_a_page_inside_a_form_is_still_read() -> None:
    # ASP.NET pages wrap the whole page in one <form>
    document = page(f"<form id='aspnetForm' method='post'><div class='story'><h1>Metro Plan"
                    f"</h1>{ARTICLE}</div></form>")
    parsed = parse(document)
    assert parsed.sources["body_text"] == "generic"
    assert parsed.fields["body_text"] == EXPECTED


def test_text_written_without_paragraphs() -> None:
    text = "<br><br>".join(PARAGRAPHS)
    parsed = parse(page(f"<div class='news-body'><h1>Metro Plan</h1>{text}</div>"))
    assert parsed.fields["body_text"] == EXPECTED


def test_a_right_looking_body_is_not_cross_checked() -> None:
    parsed = parse(page(f"<article class='post hentry'><h1>Metro Plan</h1>"
                        f"<div class='entry-content'>{ARTICLE}</div></article>"))
    assert (parsed.sources["body_text"], parsed.body_check, parsed.flags) == (
        "wp", "not-run", ())


def test_a_container_holding_part_of_the_article_is_replaced() -> None:
    # the theme puts the first two paragraphs in .entry-content and the rest in its own box
    first = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
    rest = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])
    parsed = parse(page(f"<article class='post hentry'><h1>Metro Plan</h1>"
                        f"<div class='entry-content'>{first}</div>"
                        f"<div class='story-more'>{rest}</div></article>"))
    assert (parsed.sources["body_text"], parsed.body_check) == ("generic", "replaced")
    assert parsed.flags == ("body_text:replaced",)
    assert parsed.fields["body_text"] == EXPECTED


@pytest.mark.parametrize(("line", "prose"), [
    (PARAGRAPHS[0], True),
    ("Власти Бишкека одобрили план первой линии метро после двух лет исследований.", True),
    ("KZT/USD = 0.00190 -0% KGS/USD = 0.01149 0% TJS/USD = 0.09174 0% UZS/USD = 0.00008", False),
    ("Kazakhstan Launches New Digital Platform For Exporters By Sofia Lindqvist", False),
    ("Home » News » Politics", False),
])
def test_prose_is_running_text_in_any_script(line: str, prose: bool) -> None:
    assert is_prose(line) is prose


def test_a_page_with_no_article_text_has_no_body() -> None:
    # what a page left once its article is gone: furniture only, in no content container
    furniture = ("<div class='bar'>KZT/USD = 0.00190 -0% KGS/USD = 0.01149 0%</div>"
                 "<div class='crumbs'>Home » News » Politics</div>"
                 "<div class='hd'>Kazakhstan Launches New Digital Platform By Sofia Lindqvist"
                 "</div>")
    parsed = parse(page(furniture))
    assert parsed.fields.get("body_text") in (None, "")
    with_text = parse(page(furniture + f"<div class='x'>{ARTICLE}</div>"))
    assert with_text.fields["body_text"] == EXPECTED


WORDS = [f"w{n}" for n in range(400)]


def words(start: int, stop: int) -> list[str]:
    """One paragraph of the distinct words ``start`` to ``stop``."""
    return [" ".join(WORDS[start:stop])]


@pytest.mark.parametrize(("standard", "generic", "reason", "generic_wins"), [
    (words(0, 100), [], "short", False),  # nothing to compare with
    (words(0, 100), words(0, 95), "page-text", False),  # the same text: exact paragraphs stay
    (words(0, 100), words(0, 100) + words(100, 200), "page-text", True),  # it missed half
    (words(0, 100), words(0, 100) + words(100, 110), "short", False),  # 10 more words only
    (words(0, 200), words(0, 60), "links", True),  # the container held clutter around it
    (words(0, 200), words(0, 60), "short", False),  # ... but not for a container that is short
    (words(0, 100), words(200, 300), "links", True),  # another text altogether
])
def test_cross_check_decisions(standard: list[str], generic: list[str], reason: str,
                               generic_wins: bool) -> None:
    assert cross_check(standard, generic, reason) is generic_wins


def test_a_short_article_is_checked_and_kept() -> None:
    parsed = parse(page(f"<article class='post hentry'><h1>Metro Plan</h1>"
                        f"<div class='entry-content'><p>{PARAGRAPHS[0]}</p></div></article>"
                        "<div class='comments'><p>Great news!</p></div>"))
    assert (parsed.sources["body_text"], parsed.body_check) == ("wp", "kept")
    assert parsed.fields["body_text"] == PARAGRAPHS[0]


def _aeb_pages() -> list[tuple[str, str, str]]:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    return [(key, value["url"], value["articleBody"]) for key, value in sorted(truth.items())]


#: the body source each fixture page must be read from (docs: tests/fixtures/aeb/README.md)
AEB_SOURCES = {"0e014df693f1": "wp", "11ea381ad92b": "wp", "a860fb5eda1a": "wp",
               "16c30add7e96": "generic", "360c732d1fdb": "generic", "0ec95c7261d1": "generic"}


@pytest.mark.parametrize(("key", "url", "truth"), _aeb_pages(), ids=lambda v: str(v)[:12])
def test_real_pages_that_came_back_empty(key: str, url: str, truth: str) -> None:
    body = gzip.decompress((AEB / f"{key}.html.gz").read_bytes())
    parsed = parse_article(HtmlResponse(url, body=body, encoding="utf-8"), url)
    assert parsed.sources["body_text"] == AEB_SOURCES[key[:12]]
    assert token_f1(parsed.fields["body_text"], truth) >= 0.95
