"""crawler.parsers.css: the selector subset, and class tokens split the way XPath splits."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.parsers.css import Compound, Css, folded_tokens, has_token, xml_tokens


def test_compound_parse() -> None:
    assert Compound.parse("a.b.c[href][rel~=tag][class*=td_]:not(.x)") == Compound(
        "a", ("b", "c"), (("href", "", ""), ("rel", "~=", "tag"), ("class", "*=", "td_")),
        ("x",))
    assert Compound.parse("*") == Compound(None, (), (), ())
    assert Compound.parse("[id=main]") == Compound(None, (), (("id", "=", "main"),), ())
    with pytest.raises(ValueError, match="unsupported selector"):
        Compound.parse("a:first-child")


@pytest.mark.parametrize(("text", "expected"), [
    (".x", True), ("a", True), ("[href]", True), ("[class*=td_]", True),
    ("[rel=x]", False), ("a.x", False), (".x:not(.y)", False), ("*", False),
])
def test_pool_tests(text: str, expected: bool) -> None:
    assert Compound.parse(text).is_pool_test is expected


def test_css_lists_and_unions() -> None:
    css = Css("a, .b c")
    assert [len(chain) for chain in css.chains] == [1, 2]
    assert (Css("a") | Css(".b c")).text == "a, .b c"
    assert repr(Css("a")) == "Css('a')"
    assert Css("a[href]").xpath == "/descendant::a[@href]"


def test_tokens_split_like_xpath() -> None:
    assert xml_tokens(" a\u00a0b  c\td\n") == frozenset({"a\u00a0b", "c", "d"})  # NBSP is text
    assert xml_tokens("") == frozenset()
    assert folded_tokens("Next PREV", "NEXT") == frozenset({"next", "PReV"})
    el = Selector(text='<html><body><p class="x\x0cy z">t</p></body></html>').root[0][0]
    assert has_token(el, "z") is True
    assert has_token(el, "y") is False  # a form feed is not XML whitespace
