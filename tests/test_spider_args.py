"""The spider's arguments, declared once (crawler.spiders.args.SpiderArgs)."""

from __future__ import annotations

import re

import pytest

from crawler.spiders.args import SpiderArgs


def test_defaults_and_normal_forms() -> None:
    assert SpiderArgs.parse() == SpiderArgs("https://timesca.com", ("latest",), None, None)
    args = SpiderArgs.parse(base_url="HTTP://Example.ORG:8080/", max_pages="3", full="yes",
                            listings="/category/kazakhstan/, tag/oil")
    assert args == SpiderArgs("http://example.org:8080", ("category/kazakhstan", "tag/oil"),
                              3, True)
    assert SpiderArgs.parse(full="0").full is None


@pytest.mark.parametrize(("given", "message"), [
    ({"base_url": "ftp://example.org"}, "base_url must be an absolute http(s) URL"),
    ({"base_url": "http://u:p@example.org"}, "must not carry a user name or password"),
    ({"max_pages": "0"}, "max_pages must be a whole number >= 1, got '0'"),
    ({"max_pages": "two"}, "max_pages must be a whole number >= 1, got 'two'"),
    ({"listings": "%2e%2e/x"}, "listing must not contain"),
    ({"listings": " "}, "listings must name at least one archive path"),
])
def test_bad_values_say_which(given: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        SpiderArgs.parse(**given)
