"""Conditional GETs for stored posts (a downloader middleware).

A request for a post the output directory holds (``request.meta["known_url"]``, set by
the spider) takes 304 (not modified) and 404/410 (removed) as answers the spider reads;
in an incremental run it also sends the validators the server gave last time
(``If-None-Match``, ``If-Modified-Since``), so an unchanged page costs a 304.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler

#: statuses a stored post's request hands to the spider instead of an error
STORED_POST_STATUSES = (304, 404, 410)


class ConditionalGet:
    """Adds the stored validators to a stored post's request (incremental runs)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGet:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        url = request.meta.get("known_url")
        seen = getattr(spider, "seen", None)
        if url is None or seen is None:
            return
        known = seen.index.get(url)
        if known is None:
            return
        statuses = request.meta.setdefault("handle_httpstatus_list", [])
        statuses.extend(s for s in STORED_POST_STATUSES if s not in statuses)
        if not getattr(spider, "incremental", False):
            return
        if known.http_etag and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = known.http_etag
        if known.http_last_modified and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = known.http_last_modified


__all__ = ["STORED_POST_STATUSES", "ConditionalGet"]
