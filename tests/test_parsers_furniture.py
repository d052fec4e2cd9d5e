"""crawler.parsers.furniture: the one page-furniture test, at its three strengths, and on a
page (non-visible markup, dominant regions, a stop)."""

from __future__ import annotations

import pytest
from lxml import etree
from parsel import Selector

from crawler.parsers.furniture import furniture_mark, furniture_parts, in_furniture, is_furniture
from crawler.parsers.index import PageIndex


def _el(markup: str, ident: str = "t") -> etree._Element:
    """The element with id ``ident`` of ``markup`` parsed as a page."""
    root = Selector(text=f"<html><body>{markup}</body></html>").root
    return root.xpath(f"//*[@id='{ident}']")[0]


# (markup, default, negations=False, by_class=False)
CASES = [
    ('<nav id="t"></nav>', True, True, True),
    ('<aside id="t"></aside>', True, True, True),
    ('<form id="t"></form>', True, True, True),
    ('<dialog id="t"></dialog>', True, True, True),
    ('<footer id="t"></footer>', True, True, True),
    # a post's own footer and header
    ('<article><footer id="t"></footer></article>', False, False, True),
    ('<div class="hentry"><header id="t"></header></div>', False, False, False),
    ('<header id="t" class="site-header"></header>', True, True, True),
    ('<header id="t" class="entry-header"></header>', False, False, False),
    ('<div id="t" class="site-header"></div>', True, True, False),
    ('<div id="t" class="page-header"></div>', False, False, False),
    # class and id parts, and stems inside a part
    ('<div id="t" class="td-post-sharing"></div>', True, True, False),
    ('<div id="t" class="jp-relatedposts"></div>', True, True, False),
    ('<div id="t" class="sharebar"></div>', True, True, False),
    ('<div id="t" class="entry-content"></div>', False, False, False),
    ('<div id="t" role="navigation"></div>', True, True, True),
    ('<div id="t" role="main"></div>', False, False, False),
    # negated class tokens
    ('<div id="t" class="entry-content no-share"></div>', False, True, False),
    ('<div id="t" class="no-share widget"></div>', True, True, False),
    ('<aside id="t" class="no-share"></aside>', True, True, True),
]


@pytest.mark.parametrize(("markup", "default", "literal", "by_tag"), CASES,
                         ids=[c[0] for c in CASES])
def test_is_furniture_at_each_strength(markup: str, default: bool, literal: bool,
                                       by_tag: bool) -> None:
    el = _el(markup)
    assert is_furniture(el) is default
    assert is_furniture(el, negations=False) is literal
    assert is_furniture(el, by_class=False) is by_tag


def test_negated_token_keeps_the_id() -> None:
    el = Selector(text='<html><body><div id="sidebar" class="no-share"></div></body></html>'
                  ).root.xpath("//div")[0]
    assert is_furniture(el) is True  # the id still says sidebar


def test_body_and_html_are_never_furniture() -> None:
    root = Selector(text='<html class="sidebar"><body class="widget"></body></html>').root
    assert is_furniture(root) is False
    assert is_furniture(root[0]) is False


def test_furniture_parts() -> None:
    assert furniture_parts(frozenset({"td", "post", "sharing"})) is True
    assert furniture_parts(frozenset({"adwidget"})) is True  # the stem "widget"
    assert furniture_parts(frozenset({"entry", "content"})) is False
    assert furniture_parts(frozenset({"header"})) is False  # a header is judged apart
    assert furniture_parts(frozenset()) is False


PAGE = (
    "<html><head><script id='js'>var x</script></head><body>"
    "<div class='sidebar' id='small'><p id='sp'>side text</p></div>"  # 9 characters
    f"<div class='sidebar' id='big'><p id='bp'>{'b' * 300}</p></div>"
    f"<div id='main'><p id='mp'>{'m' * 100}</p><nav id='n'><a id='na' href='/'>home</a></nav>"
    "</div></body></html>"
)


def test_in_furniture_on_a_page() -> None:
    root = Selector(text=PAGE).root
    index = PageIndex(root)

    def el(ident: str) -> etree._Element:
        return root.xpath(f"//*[@id='{ident}']")[0]

    assert in_furniture(el("sp"), index) is True  # inside a small sidebar
    assert in_furniture(el("bp"), index) is False  # 300 of 409 characters: the content
    assert in_furniture(el("mp"), index) is False
    assert in_furniture(el("na"), index) is True  # inside <nav>
    assert in_furniture(el("na"), index, el("n")) is False  # the walk stops below <nav>
    assert in_furniture(el("na"), index, el("main")) is True
    assert in_furniture(el("js"), index) is True  # non-visible markup
    assert furniture_mark(index) is furniture_mark(index)  # one memo per page
