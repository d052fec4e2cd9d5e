"""The WordPress REST API of a site: discovery, queries, answers (pure functions).

A site announces its API with ``<link rel="https://api.w.org/" href=".../wp-json/">`` in
the head and the same link in a ``Link:`` header (WordPress core); the crawl uses the API
only where it is announced (or forced) and answers as WordPress does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin

from scrapy.http import Response, TextResponse

from crawler.urls import same_site

REL = "https://api.w.org/"
#: posts per API page: the most WordPress core serves
PER_PAGE = 100


class NotWordPressJSON(ValueError):
    """An answer that is not what the WordPress REST API gives."""


def announced_root(response: Response) -> str | None:
    """The API root the page announces (``Link:`` header, else the head link)."""
    for value in response.headers.getlist(b"Link"):
        for part in value.decode("latin-1").split(","):
            if f'rel="{REL}"' in part and "<" in part:
                return urljoin(response.url, part[part.index("<") + 1:part.index(">")])
    if isinstance(response, TextResponse):
        href = response.xpath(f'//head/link[@rel="{REL}"]/@href').get()
        if href:
            return urljoin(response.url, href.strip())
    return None


def root_for(base_url: str, found: str | None) -> str:
    """The announced root ``found`` when on this site, else WordPress's default
    ``/wp-json/``."""
    if found and same_site(found, base_url):
        return found if found.endswith("/") else found + "/"
    return f"{base_url}/wp-json/"


def route(root: str, path: str, **params: Any) -> str:
    """``root`` + ``path`` with ``params`` (lists and None values left out)."""
    query = urlencode([(k, v) for k, v in params.items() if v is not None])
    return urljoin(root, path) + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Filter:
    """How an archive of the HTML site maps to the posts route's query."""

    #: ``categories``, ``tags``, ``author`` or None (every post)
    param: str | None = None
    #: the term or user slug to resolve to an id first
    slug: str | None = None

    @property
    def lookup(self) -> str | None:
        """The route that resolves ``slug`` to an id."""
        return {"categories": "wp/v2/categories", "tags": "wp/v2/tags",
                "author": "wp/v2/users"}.get(self.param or "")


def archive_filter(archive: str) -> Filter | None:
    """``latest`` / home -> all posts; ``category/PARENT/CHILD`` -> the child's id with its
    children (as the HTML archive lists them); ``tag/SLUG``; ``author/SLUG``. Any other
    archive has no API form (None)."""
    parts = [p for p in archive.split("/") if p]
    if not parts or parts == ["latest"]:
        return Filter()
    kinds = {"category": "categories", "tag": "tags", "author": "author"}
    if parts[0] in kinds and len(parts) >= 2:
        return Filter(kinds[parts[0]], parts[-1])
    return None


def posts_query(root: str, page: int, term: int | None, flt: Filter,
                modified_after: str | None = None, **extra: Any) -> str:
    """One page of the posts route, newest first, with the filter's term."""
    params: dict[str, Any] = {"per_page": PER_PAGE, "page": page, "_embed": 1,
                              "orderby": "date", "order": "desc"}
    if flt.param == "categories" and term is not None:
        params["categories[terms]"] = term
        params["categories[include_children]"] = 1
    elif flt.param and term is not None:
        params[flt.param] = term
    if modified_after:
        params["modified_after"] = modified_after
    params.update(extra)
    return route(root, "wp/v2/posts", **params)


def json_of(response: Response) -> Any:
    """The JSON body of an API answer (NotWordPressJSON when it is not JSON)."""
    try:
        return json.loads(response.body)
    except ValueError:
        raise NotWordPressJSON("the answer is not JSON") from None


def posts_of(response: Response, fields: tuple[str, ...] = ("id", "link"),
             ) -> tuple[list[dict[str, Any]], int | None, int | None]:
    """(posts, X-WP-Total, X-WP-TotalPages) of a posts page; NotWordPressJSON when the
    answer is not a list of WordPress post objects (each with an integer id and
    ``fields``)."""
    data = json_of(response)
    if not isinstance(data, list) or not all(
            isinstance(p, dict) and isinstance(p.get("id"), int) and all(f in p for f in fields)
            for p in data):
        raise NotWordPressJSON("the answer is not a list of WordPress posts")

    def header(name: bytes) -> int | None:
        value = response.headers.get(name)
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    return data, header(b"X-WP-Total"), header(b"X-WP-TotalPages")


def error_code(response: Response) -> str:
    """WordPress's error code of an answer (``rest_cannot_access``...), else the status."""
    try:
        data = json_of(response)
    except NotWordPressJSON:
        return f"HTTP {response.status}"
    return str(data.get("code")) if isinstance(data, dict) and data.get("code") else (
        f"HTTP {response.status}")


__all__ = ["PER_PAGE", "REL", "Filter", "NotWordPressJSON", "announced_root", "archive_filter",
           "error_code", "json_of", "posts_of", "posts_query", "root_for", "route"]
