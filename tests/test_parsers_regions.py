"""crawler.parsers.regions: the <body>, the main region and the WordPress post containers."""

from __future__ import annotations

from lxml import etree
from parsel import Selector

from crawler.parsers.index import PageIndex
from crawler.parsers.regions import body_of, main_region, post_containers


def test_body_of() -> None:
    root = Selector(text="<html><body><p>x</p></body></html>").root
    assert body_of(root) is root[0]
    bare = etree.fromstring("<root><x/></root>")
    assert body_of(bare) is bare


def test_main_region_passes_over_furniture() -> None:
    root = Selector(text='<html><body><main class="sidebar">a</main>'
                         '<div id="primary">b</div></body></html>').root
    primary = root.xpath("//div[@id='primary']")[0]
    assert main_region(root) is primary
    assert main_region(root, PageIndex(root)) is primary


def test_main_region_reads_class_names_literally() -> None:
    # a negated token is read as it is written here: "no-sidebar" names a sidebar
    root = Selector(text='<html><body><main class="no-sidebar">a</main></body></html>').root
    assert main_region(root) is root[0]
    assert main_region(root, PageIndex(root)) is root[0]


def test_main_region_most_specific_first() -> None:
    root = Selector(text='<html><body><div id="content"><div role="main">a</div></div>'
                         '</body></html>').root
    assert main_region(root).get("role") == "main"


def test_post_containers() -> None:
    root = Selector(text=(
        '<html><body class="hentry postid-1"><div class="post-12 x">a</div>'
        '<article id="post-3">b</article><div class="postid-4">c</div>'
        '<div itemtype="https://schema.org/NewsArticle/">d</div>'
        '<div class="x\thentry">e</div></body></html>')).root
    index = PageIndex(root)
    assert [el.text for el in post_containers(index)] == ["a", "b", "e"]
    assert [el.text for el in post_containers(index, ("NewsArticle",))] == ["a", "b", "d", "e"]
