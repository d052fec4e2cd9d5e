"""The page index answers exactly what the XPath it replaced would have answered.

Every selector the parsers use is matched through :class:`crawler.parsers.index.PageIndex` and
compared with libxml2 evaluating cssselect's XPath translation of the same selector, in many
scopes of real (replica) and handmade pages; the memoized ancestor tests, the bottom-up texts
and the "Viewing results" search are compared with the plain walks and XPath they replace.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from cssselect import GenericTranslator
from lxml import etree
from parsel import Selector

import crawler.parsers
from crawler.parsers import byline, listing
from crawler.parsers.css import Css, folded_tokens
from crawler.parsers.furniture import furniture_mark
from crawler.parsers.index import PageIndex
from crawler.parsers.jsonld import JsonLd, is_ld_json
from crawler.parsers.regions import main_region, post_containers
from crawler.parsers.text import iter_text, normalize_ws
from tests.replica import ReplicaConfig, ReplicaSite
from tests.replica.model import SEO_NAMES, THEME_NAMES

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "http://replica.test"

#: Class/rel values XPath and Python split differently, nested matches, a comment, an empty
#: attribute, markup outside <body>.
ODD = """<html><head><title>T</title><link rel="Next  CANONICAL" href="/n/"></head>
<body class="postid-3"><div class="entry-content	post-content
 x"><p class="entry-content">a<!-- c --><a href="/a/" rel="tag  Category">A</a></p>
<span class="entry-content\u00a0y post-3 hentry">b</span><time datetime class="">t</time>
<div class="author vcard"><span class="fn author">N</span><a href="/x/">X</a></div>
<div class="td_module_1 x"><h3 class="entry-title"><a href="/p/">P</a></h3></div>
<p class="a a\x0cb" id="post-7" itemprop="articleBody">Viewing RESULTS 1 - 2 of 9</p>
<section class="pagination"><a class="next">n</a><span class="next"><a href="/2/">2</a></span>
</section></div><div id="main" role="main"><article class="type-post">Results<b>x</b></article>
</div></body></html>"""


def _pages() -> Iterator[tuple[str, etree._Element]]:
    for path in sorted(FIXTURES.rglob("*.html")):
        yield path.name, Selector(body=path.read_bytes(), type="html", encoding="utf-8").root
    for theme in THEME_NAMES:
        for seo in SEO_NAMES:
            site = ReplicaSite(ReplicaConfig(seed=1, posts=12, theme=theme, seo=seo))
            for path in (f"/{site.content.posts[0].slug}/", "/latest/"):
                _status, _headers, page = site.handle("GET", path, base_url=BASE)
                yield f"{theme}/{seo}{path}", Selector(body=page, type="html",
                                                       encoding="utf-8").root
    yield "odd", Selector(text=ODD).root


PAGES = list(_pages())


def _modules() -> list[ModuleType]:
    """Every module of crawler.parsers."""
    return [importlib.import_module(f"crawler.parsers.{info.name}")
            for info in pkgutil.iter_modules(crawler.parsers.__path__)]


def _selectors() -> list[Css]:
    found: dict[str, Css] = {}
    for module in _modules():
        for value in vars(module).values():
            for css in value if isinstance(value, tuple) else (value,):
                if isinstance(css, Css):
                    found[css.text] = css
    return list(found.values())


SELECTORS = _selectors()


def _scopes(index: PageIndex) -> list[etree._Element]:
    out = [index.top, index.body(), main_region(index.root, index), *post_containers(index)]
    out += index.elements[::9]
    return out


def _xpath(css: Css, prefix: str) -> etree.XPath:
    return etree.XPath(GenericTranslator().css_to_xpath(css.text, prefix=prefix))


def test_every_parser_selector_is_checked() -> None:
    texts = {css.text for css in SELECTORS}
    assert len(texts) > 40
    assert any(".td-post-title h1" in t for t in texts)  # the theme unions are in
    assert "[class*=td_module_]" in " ".join(texts)


@pytest.mark.parametrize(("name", "root"), PAGES, ids=[name for name, _ in PAGES])
def test_select_equals_xpath(name: str, root: etree._Element) -> None:
    index = PageIndex(root)
    scopes = _scopes(index)
    for css in SELECTORS:
        relative, absolute = _xpath(css, "descendant::"), _xpath(css, "/descendant::")
        assert index.select(css) == absolute(root), (name, css)
        for scope in scopes:
            assert index.select(css, scope) == relative(scope), (name, css, scope)


def test_selector_parts() -> None:
    root = Selector(text=ODD).root
    index = PageIndex(root)
    for text in (".entry-content", ".post-content", ".x", ".y", ".a", ".b", "[class*=td_module_]",
                 "time[datetime]", "[class]", "span.fn.author", ".author:not(.fn)",
                 ".pagination .next a", ".pagination a.next", "[itemprop=articleBody]",
                 "a[rel~=tag]", "a[rel~=Category]", "[id=post-7]", "p.a", "div .entry-content a"):
        css = Css(text)
        assert index.select(css) == _xpath(css, "/descendant::")(root), text
    with pytest.raises(ValueError):
        Css("a > b")


def test_folded_tokens_are_xpath_translate() -> None:
    for rel in ("next", "NEXT", "Next", "prev next", "next\tprev", "nexT\u00a0x", "nextpage",
                "CATEGORY Tag", "category\x0ctag", "", " canonical  ", "CANONICAL"):
        el = Selector(text=f'<html><head><link rel="{rel}"></head></html>').root[0][0]
        rel = el.get("rel")
        for token, fold in (("next", "NEXT"), ("canonical", "CANONICAL"),
                            ("category", "CATEGORYTAG"), ("tag", "CATEGORYTAG"), ("next", "")):
            xpath = (f"contains(concat(' ', normalize-space(translate(@rel, '{fold}', "
                     f"'{fold.lower()}')), ' '), ' {token} ')")
            assert (token in folded_tokens(rel, fold)) is el.xpath(xpath), (rel, token)


@pytest.mark.parametrize(("name", "root"), PAGES, ids=[name for name, _ in PAGES])
def test_main_region_with_and_without_index(name: str, root: etree._Element) -> None:
    assert main_region(root) is main_region(root, PageIndex(root))
    for css in SELECTORS:
        assert root.xpath(css.xpath) == PageIndex(root).select(css), css


@pytest.mark.parametrize(("name", "root"), PAGES, ids=[name for name, _ in PAGES])
def test_inside_equals_the_walk(name: str, root: etree._Element) -> None:
    index = PageIndex(root)

    mark = furniture_mark(index)

    def walk(el: etree._Element, stop: etree._Element | None) -> bool:
        node: etree._Element | None = el
        while node is not None and node is not stop:
            if mark(node):
                return True
            node = node.getparent()
        return False

    stops = [None, index.top, index.body(), main_region(root, index), *index.elements[::25]]
    for el in index.elements[::3]:
        for stop in (*stops, el, el.getparent()):
            assert index.inside(el, mark, stop) is walk(el, stop), (name, el)


@pytest.mark.parametrize(("name", "root"), PAGES, ids=[name for name, _ in PAGES])
def test_raw_texts_equal_iter_text(name: str, root: etree._Element) -> None:
    raw = byline._raw_texts(root)
    for el in root.iter():
        assert raw[el] == "".join(iter_text(el)), (name, el)


@pytest.mark.parametrize("text", [
    "", "By Jane Doe", "  by\u200b   Jane ", "e\u0301" * 80, "e\u200b\u0301" * 70,
    "\u1100\u1161\u11a8" * 60, "K\u212a\u0338" * 50, "A\u030a" * 61 + "x", "x " * 200,
    "“Quoted” text — with dashes – and nbsp\u00a0" * 4, "\x1c\x1d\x1e\x1f" * 40 + "y",
])
def test_min_length_is_a_lower_bound(text: str) -> None:
    assert byline._min_length(text) <= len(normalize_ws(normalize_ws(text)))


@pytest.mark.parametrize(("name", "root"), PAGES, ids=[name for name, _ in PAGES])
def test_results_holders_equal_xpath(name: str, root: etree._Element) -> None:
    expected = root.xpath(
        "//body//*[contains(translate(., 'RESULTS', 'results'), 'results')]"
        "[not(*[contains(translate(., 'RESULTS', 'results'), 'results')])]")
    assert listing._results_holders(PageIndex(root)) == expected


@pytest.mark.parametrize(("name", "root"), PAGES, ids=[name for name, _ in PAGES])
def test_post_containers_equal_the_element_scan(name: str, root: etree._Element) -> None:
    def marked(el: etree._Element) -> bool:
        classes = set((el.get("class") or "").split())
        return bool(classes & {"type-post", "hentry"}
                    or any(re.match(r"post-\d+$", c) for c in classes)
                    or re.match(r"post-\d+$", el.get("id") or "")
                    or (el.get("itemtype") or "").rstrip("/").endswith(("Article", "BlogPosting")))

    expected = [el for el in root.iter() if isinstance(el.tag, str)
                and el.tag not in {"body", "html"} and marked(el)]
    assert post_containers(PageIndex(root), ("Article", "BlogPosting")) == expected


@pytest.mark.parametrize(("name", "root"), PAGES, ids=[name for name, _ in PAGES])
def test_json_ld_from_indexed_scripts(name: str, root: etree._Element) -> None:
    index = PageIndex(root)
    sel = Selector(root=root)
    ours = JsonLd.from_scripts(el for el in index.select(Css("script")) if is_ld_json(el))
    assert ours == JsonLd.from_selector(sel)


def test_sub_selector_root_keeps_document_wide_queries() -> None:
    root = Selector(text=ODD).root
    inner = root.xpath("//div[@id='main']")[0]
    index = PageIndex(inner)
    assert index.top is root
    assert index.select(Css("title")) == root.xpath("//title")
    assert post_containers(index) == inner.xpath(".//article")


# -- exact values on a small page ------------------------------------------------------

SMALL = ('<html><body><div id="d">Hello <a href="#">link</a> world<script>var x</script>'
         '</div><p id="p">  abc  </p></body></html>')


def test_text_weights() -> None:
    root = Selector(text=SMALL).root
    index = PageIndex(root)
    div, p, a = root.xpath("//div")[0], root.xpath("//p")[0], root.xpath("//a")[0]
    assert index.weight(div) == 10  # "Hello" + "world": the link's text is not counted
    assert index.link_share(div) == pytest.approx(4 / 14)
    assert index.weight(a) == 0 and index.link_share(a) == 1.0
    assert index.weight(p) == 3 and index.link_share(p) == 0.0
    assert index.weight(index.body()) == 13
    assert index.dominant(div) is True  # 10 >= 0.4 * 13
    assert index.dominant(p) is False


def test_document_order() -> None:
    root = Selector(text=SMALL).root
    index = PageIndex(root)
    div, p, a = root.xpath("//div")[0], root.xpath("//p")[0], root.xpath("//a")[0]
    assert [el.tag for el in index.elements] == ["html", "body", "div", "a", "script", "p"]
    assert index.contains(div, a) is True and index.contains(a, div) is False
    assert index.contains(div, div) is True
    assert index.in_order([p, a, div, p]) == [div, a, p]
    assert index.having("href") == [a]
    assert index.select(Css("[id=p]")) == [p]
    assert index.select(Css("a"), p) == []


def test_marks_are_bound_once_and_memoized() -> None:
    root = Selector(text=SMALL).root
    index = PageIndex(root)
    calls: list[str] = []

    def is_div(page: PageIndex, el: etree._Element) -> bool:
        assert page is index
        calls.append(el.tag)
        return el.tag == "div"

    mark = index.mark(is_div)
    assert index.mark(is_div) is mark
    a, p = root.xpath("//a")[0], root.xpath("//p")[0]
    assert index.inside(a, mark) is True
    assert index.inside(a, mark, a) is False  # the walk stops at a: the div is above it
    assert index.inside(p, mark) is False
    assert index.inside(p, mark) is False
    assert calls == ["a", "div", "p", "body", "html"]  # each element tested once
