"""crawler.urls: hosts and links, the one host rule the spider and the parsers share."""

from __future__ import annotations

import pytest

from crawler.urls import absolute, host_of, same_host, same_site, site_host

BASE = "https://timesca.com/b/"


def test_host_of_and_site_host() -> None:
    assert host_of("https://WWW.Example.COM:8080/x") == "www.example.com"
    assert site_host("https://WWW.Example.COM:8080/x") == "example.com"
    assert site_host("http://www2.example.com/") == "www2.example.com"
    assert host_of("/relative/") == "" and site_host("/relative/") == ""


def test_same_site_needs_the_same_port() -> None:
    assert same_site("https://www.timesca.com/a/", "https://timesca.com") is True
    assert same_site("https://timesca.com:443/a/", "https://timesca.com") is False
    assert same_site("/a/", "https://timesca.com") is False


def test_same_host_is_any_port_and_relative_links() -> None:
    assert same_host("https://www.timesca.com/a/", BASE) is True
    assert same_host("http://timesca.com:8080/a/", BASE) is True
    assert same_host("/a/", BASE) is True
    assert same_host("https://sponsor.example/a/", BASE) is False


@pytest.mark.parametrize(("href", "expected"), [
    ("/a/?x=1#f", "https://timesca.com/a/?x=1#f"),
    ("  c/ ", "https://timesca.com/b/c/"),
    ("//cdn.example/i.jpg", "https://cdn.example/i.jpg"),
    (None, None), ("", None), ("   ", None), ("#top", None), ("javascript:void(0)", None),
    ("mailto:a@b.c", None), ("tel:123", None), ("data:image/png;base64,AA", None),
    ("http://[::1", None),  # urljoin refuses it
])
def test_absolute(href: str | None, expected: str | None) -> None:
    assert absolute(href, BASE) == expected
