"""crawler.parsers.byline: author names as bylines print them."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.parsers.byline import byline_names, split_names


@pytest.mark.parametrize(("text", "expected"), [
    ("By A and B", ["A", "B"]),
    ("A, B & C", ["A", "B", "C"]),
    ("A, and B", ["A", "B"]),
    ("written by  Jane Doe.", ["Jane Doe"]),
    ("Jane Doe, Jane Doe", ["Jane Doe"]),
    ("", []),
    (None, []),
])
def test_split_names(text: str | None, expected: list[str]) -> None:
    assert split_names(text) == expected


@pytest.mark.parametrize(("markup", "expected"), [
    ("<p>By Jane Doe and John Roe on 3 January 2025</p>", ["Jane Doe", "John Roe"]),
    ("<p>Written by Ана Петрова | News</p>", ["Ана Петрова"]),
    ("<p><span>By</span> <a href='/a/'>Jane Doe</a> 10:32</p>", ["Jane Doe"]),
    ("<p>by jane doe</p>", []),  # a name starts with a capital
    (f"<p>By Jane Doe {'x' * 120}</p>", []),  # not a byline: too long
    ("<script>By Jane Doe</script><p>Text</p>", []),
])
def test_byline_names(markup: str, expected: list[str]) -> None:
    article = Selector(text=f"<html><body><div>{markup}</div></body></html>").root[0][0]
    assert byline_names(article) == expected
