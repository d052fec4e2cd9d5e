"""A page's canonical URL is its identity in the dataset, so it is checked before use.

One on another host or port, the home page, an archive, one that another post id
already holds (in this run or stored), or another post's permalink while the page
answers at its own, gives way to the URL fetched: a lying SEO plugin can then neither
merge posts nor overwrite another post's row.
"""

from __future__ import annotations

from collections.abc import Container
from urllib.parse import urlsplit

from crawler.incremental.index import SeenIndex
from crawler.urls import canonical_url, is_archive_path, is_permalink, same_site, site_host


def _same_page(a: str, b: str) -> bool:
    """Two canonical URLs of one page: equal but for a leading "www." of the host."""
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa._replace(netloc="") == pb._replace(netloc="") and pa.port == pb.port
            and site_host(a) == site_host(b))


class CanonicalCheck:
    """The canonical URLs claimed in one run, and the rule that accepts a new one."""

    def __init__(self, base_url: str, index: SeenIndex, requested: Container[str]) -> None:
        """``index``: the stored posts; ``requested``: the URLs the run fetches itself."""
        self.base_url = base_url
        self.index = index
        self.requested = requested
        #: canonical URL -> the post id that claimed it first this run
        self.holders: dict[str, int] = {}

    def refusal(self, url: str, post_id: int | None, fetched: str) -> str | None:
        """Why the canonical ``url`` of the page fetched at ``fetched`` is not used
        ("offsite", "home-page", "archive", "other-post", "not-this-page"), or None."""
        canonical = canonical_url(url)
        path = urlsplit(canonical).path
        holder = self.holders.get(canonical)
        known = self.index.get(canonical)
        if not same_site(canonical, self.base_url):
            return "offsite"
        if path in ("", "/"):
            return "home-page"
        if is_archive_path(path):
            return "archive"
        if post_id is not None and ((holder is not None and holder != post_id)
                                    or (known is not None
                                        and known.post_id not in (None, post_id))):
            return "other-post"
        if not _same_page(canonical, canonical_url(fetched)) and (
                canonical in self.requested or is_permalink(fetched)):
            # a post answering at its own permalink is that URL, whatever the head says:
            # a canonical naming another post's permalink would store it under that post
            return "not-this-page"
        if post_id is not None:
            self.holders.setdefault(canonical, post_id)
        return None


__all__ = ["CanonicalCheck"]
