"""A parsed article (an HTML page or a REST API post) as the ``timesca`` spider's item: its
canonical URL checked (:class:`crawler.canonical.CanonicalCheck`), its sources counted
(stats ``extract/<field>/<source>``, ``body_check/...``, ``article_flags/...``)."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from crawler.items import ArticleItem, now_text
from crawler.urls import canonical_url


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() or None if value else None


class ArticleItems:
    """Spider part that turns a parsed article into an :class:`ArticleItem` (mixed in)."""

    crawler: Any
    logger: Any
    canonicals: Any

    def _article_item(self, page: Any, fetched_url: str, response: Response) -> ArticleItem:
        """The item of a parsed article (a page, or a REST API post fetched in ``response``):
        its canonical URL checked, its sources counted."""
        stats = self.crawler.stats
        flags = list(page.flags)
        url, post_id = page.fields["url"], page.fields["post_id"]
        why = (self.canonicals.refusal(url, post_id, fetched_url)
               if url and page.sources["url"] != "url" else None)
        if why is not None:
            stats.inc_value(f"canonical/ignored/{why}")
            self.logger.warning("Canonical URL of %s ignored (%s): %s", fetched_url, why, url)
            page.fields["url"], page.sources["url"] = canonical_url(fetched_url), "url"
            flags.append("url:canonical-ignored")
        counted = [*(f"extract/{f}/{s}" for f, s in page.sources.items()),
                   f"body_check/{page.body_check}", *(f"article_flags/{f}" for f in flags)]
        for key in counted + ([f"body_suspicion/{page.body_suspicion}"]
                              if page.body_suspicion else []):
            stats.inc_value(key)
        if "body_text:replaced" in page.flags:
            self.logger.info("Body of %s: the content container looked wrong, the generic "
                             "extractor's text was taken", fetched_url)
        html = fetched_url == response.url
        return ArticleItem(**page.fields, sources=dict(page.sources), flags=flags,
                           fetched_url=fetched_url, fetched_at=now_text(),
                           http_etag=_header(response, b"ETag") if html else None,
                           http_last_modified=(_header(response, b"Last-Modified")
                                               if html else None))


__all__ = ["ArticleItems"]
