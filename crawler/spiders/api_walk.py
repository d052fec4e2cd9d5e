"""The REST API walk of the ``timesca`` spider: the site's posts 100 at a time.

``-a source=auto`` (default): on an archive's first HTML page (read for the header's
rates either way), a site that announces its REST API is read through it; where the API
is absent, locked (401/403), missing (404) or answers something that is not WordPress
JSON, the run falls back to the HTML pages for good, says why in one line
(stats ``restapi/fallback``) and goes on from that page. ``source=api`` uses the API
without fallback (an unusable API fails the archive); ``source=html`` never asks it.

Incremental runs ask only for posts modified after the stored high-water mark (less
``API_OVERLAP_HOURS``); when the site's post count says posts went away, the ids are
listed and each missing one is confirmed by its own route (404: flagged removed).
A few posts per run (``API_HTML_SAMPLE``) are also fetched as HTML and compared field by
field (stats ``restapi/html_mismatch/<field>``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler import restapi
from crawler.errors import failure_kind, reject_of
from crawler.items import ArticleMark
from crawler.parsers import ResultsLine, parse_article, parse_listing
from crawler.parsers.api import parse_api_post
from crawler.timing import parsing
from crawler.urls import canonical_url

#: fields compared between a post's API row and its HTML page
COMPARED = ("url", "title", "body_text", "authors", "categories", "category_paths", "tags",
            "image_url", "summary")


class ApiWalk:
    """Spider callbacks of the REST API walk (mixed into the spider)."""

    base_url: str
    crawler: Any
    config: Any
    logger: Any
    seen: Any
    incremental: bool
    archives: Any
    args: Any

    # provided by the spider: _article_item (crawler.spiders.article_items) and
    # _listing (the HTML walk an archive falls back to)
    _article_item: Any
    _listing: Any
    _end_archive: Any
    max_pages: int | None
    #: post URLs each archive's API walk has listed
    api_seen: dict[str, set[str]]
    #: why the API is not used this run (None: it may be)
    api_off: str | None
    #: the API root of this run, and each archive's first HTML page while the API is asked
    api_root: str
    held: dict[str, Response]

    # -- the decision ---------------------------------------------------------------

    def _api_start(self, response: Response, archive: str) -> scrapy.Request | None:
        """The first API request for ``archive`` (None: read its HTML pages)."""
        mode = self.args.source
        if mode == "html" or self.api_off:
            return None
        if mode == "auto" and self.max_pages is not None:
            self._api_fallback("max_pages counts HTML archive pages")
            return None
        flt = restapi.archive_filter(archive)
        announced = restapi.announced_root(response)
        if flt is None or (mode == "auto" and announced is None):
            if mode == "auto" and not self.api_off:
                self._api_fallback("not announced by the site" if flt is not None
                                   else f"archive {archive} has no API form")
            return None
        self.api_root = restapi.root_for(self.base_url, announced)
        self.held[archive] = response
        if flt.lookup:
            return self._api_request(restapi.route(self.api_root, flt.lookup, slug=flt.slug,
                                                   _fields="id,slug"),
                                     self.api_term, archive, flt=flt)
        return self._first_posts(archive, flt, None)

    def _api_request(self, url: str, callback: Any, archive: str, **kwargs: Any,
                     ) -> scrapy.Request:
        self.crawler.stats.inc_value("restapi/requests")
        return scrapy.Request(url, callback=callback, errback=self.api_failed,
                              cb_kwargs={"archive": archive, **kwargs},
                              meta={"archive": archive}, dont_filter=True)

    def _api_fallback(self, why: str) -> None:
        if self.api_off:
            return
        self.api_off = why
        self.crawler.stats.set_value("restapi/fallback", why)
        self.logger.warning("REST API not used (%s): the HTML pages are read for the whole "
                            "run", why)

    def _resume_html(self, archive: str, why: str) -> Iterator[Any]:
        """Give up the API: fail the archive (``source=api``) or read its HTML pages."""
        response = self.held.pop(archive, None)
        if self.args.source == "api":
            self.archives[archive].finish("error:restapi")
            self.crawler.stats.inc_value("errors/restapi")
            self.logger.error("Archive %s: REST API not usable (%s), source=api", archive, why)
            yield reject_of(response.url if response is not None else self.base_url, "http",
                            f"REST API not usable, archive incomplete: {why}")
            return
        self._api_fallback(why)
        if response is not None:
            yield from self._listing(response, archive, self.archives[archive], header=False)
        for other in list(self.held):
            yield from self._listing(self.held.pop(other), other, self.archives[other],
                                     header=False)

    def api_failed(self, failure: Failure) -> Iterator[Any]:
        archive = failure.request.cb_kwargs.get("archive", "?")
        response = getattr(failure.value, "response", None)
        why = restapi.error_code(response) if response is not None else failure_kind(failure)[1]
        yield from self._resume_html(archive, why)

    # -- posts ------------------------------------------------------------------------

    def api_term(self, response: Response, archive: str, flt: restapi.Filter) -> Iterator[Any]:
        try:
            found = restapi.json_of(response)
        except restapi.NotWordPressJSON as exc:
            yield from self._resume_html(archive, str(exc))
            return
        ids = [t.get("id") for t in found if isinstance(t, dict) and t.get("slug") == flt.slug
               ] if isinstance(found, list) else []
        if not ids or not isinstance(ids[0], int):
            yield from self._resume_html(archive, f"no {flt.param} {flt.slug!r} in the API")
            return
        yield self._first_posts(archive, flt, ids[0])

    def _high_water(self, archive: str) -> str | None:
        """``modified_after`` for an incremental run of an archive read to its end before."""
        index = self.seen.index
        if not self.incremental or archive not in index.completed_archives or not len(index):
            return None
        latest = max(p.changed_at for p in index.posts.values())
        overlap = timedelta(hours=self.config.api_overlap_hours)
        return (latest - overlap).strftime("%Y-%m-%dT%H:%M:%S")

    def _first_posts(self, archive: str, flt: restapi.Filter, term: int | None,
                     ) -> scrapy.Request:
        after = self._high_water(archive)
        return self._api_request(
            restapi.posts_query(self.api_root, 1, term, flt, after), self.api_posts, archive,
            flt=flt, term=term, page=1, after=after)

    def api_posts(self, response: Response, archive: str, flt: restapi.Filter,
                  term: int | None, page: int, after: str | None) -> Iterator[Any]:
        try:
            with parsing(self.crawler.stats, page=True):
                posts, total, pages = restapi.posts_of(response)
        except restapi.NotWordPressJSON as exc:
            yield from self._resume_html(archive, str(exc))
            return
        held = self.held.pop(archive, None)
        stats, report = self.crawler.stats, self.archives[archive]
        if held is not None and after is None:
            self._compare_totals(held, archive, total)
        urls = []
        for post in posts:
            with parsing(self.crawler.stats):
                article = parse_api_post(post)
            item = self._article_item(article, str(post.get("link") or response.url), response)
            urls.append(canonical_url(item.url or post["link"]))
            yield item
            if stats.get_value("restapi/html_sampled", 0) < self.config.api_html_sample:
                stats.inc_value("restapi/html_sampled")
                yield scrapy.Request(post["link"], callback=self.api_compare, priority=-1,
                                     cb_kwargs={"api": item}, dont_filter=True)
        stats.inc_value("restapi/posts", len(posts))
        stats.inc_value("archives/pages_read")  # an API page stands for archive pages
        stats.inc_value("archives/posts_found", len(posts))
        first = (page - 1) * restapi.PER_PAGE + 1
        if after is None:  # a partial (modified_after) list says nothing of completeness
            report.add_page(page, urls, ResultsLine(first, first + len(posts) - 1, total)
                            if posts else None)
        walked = self.api_seen.setdefault(archive, set())
        fresh = len(set(urls) - walked)
        walked.update(urls)
        more = pages is not None and page < pages
        if more and page > 1 and not fresh:
            # the same posts again: an API that pages forever has nothing more to give
            self._end_archive(report, "no-new-posts",
                              "the API page lists no post the walk had not seen", response.url)
        elif more and page >= self.config.archive_max_pages:
            self._end_archive(report, "page-limit", f"ARCHIVE_MAX_PAGES "
                              f"({self.config.archive_max_pages}) reached", response.url)
        elif more:
            yield self._api_request(restapi.posts_query(self.api_root, page + 1, term, flt,
                                                        after),
                                    self.api_posts, archive, flt=flt, term=term,
                                    page=page + 1, after=after)
        elif after is not None:
            report.finish("caught-up")
            stats.inc_value("incremental/caught_up_archives")
            if flt.param is None:  # the whole site: did posts go away?
                yield self._api_request(restapi.route(self.api_root, "wp/v2/posts",
                                                      per_page=1, _fields="id"),
                                        self.api_count, archive, new=urls)
        else:
            report.finish("api-last-page")
        self.crawler.stats.set_value("summary/archives", self.archives.as_list())

    def _compare_totals(self, page: Response, archive: str, total: int | None) -> None:
        """The archive's own "Viewing results ... of N" against X-WP-Total."""
        with parsing(self.crawler.stats):
            results = parse_listing(page, page.url).results
        if results is not None and results.total is not None and results.total != total:
            self.crawler.stats.inc_value("restapi/total_mismatch")
            self.logger.warning("Archive %s reports %d posts, the REST API %s", archive,
                                results.total, total)

    # -- removals ---------------------------------------------------------------------

    def api_count(self, response: Response, archive: str, new: list[str]) -> Iterator[Any]:
        _, total, _ = restapi.posts_of(response, fields=("id",))
        live = {p.post_id for p in self.seen.index.posts.values()
                if p.removed_at is None and p.post_id is not None}
        fresh = len([u for u in new if self.seen.index.get(u) is None])
        if total is not None and total < len(live) + fresh:
            yield self._api_request(restapi.route(self.api_root, "wp/v2/posts", per_page=100,
                                                  page=1, _fields="id"),
                                    self.api_ids, archive, page=1, ids=[])

    def api_ids(self, response: Response, archive: str, page: int,
                ids: list[int]) -> Iterator[Any]:
        posts, _, pages = restapi.posts_of(response, fields=("id",))
        ids = ids + [p["id"] for p in posts]
        if pages is not None and page < min(pages, self.config.archive_max_pages):
            yield self._api_request(restapi.route(self.api_root, "wp/v2/posts", per_page=100,
                                                  page=page + 1, _fields="id"),
                                    self.api_ids, archive, page=page + 1, ids=ids)
            return
        listed = set(ids)
        for known in self.seen.index.posts.values():
            if known.removed_at is None and known.post_id not in listed | {None}:
                request = self._api_request(
                    restapi.route(self.api_root, f"wp/v2/posts/{known.post_id}",
                                  _fields="id"), self.api_gone, archive, known=known)
                request.meta["handle_httpstatus_list"] = [404, 410]
                yield request

    def api_gone(self, response: Response, archive: str, known: Any) -> Iterator[Any]:
        if response.status in (404, 410):
            self.crawler.stats.inc_value("incremental/removed")
            self.logger.info("Stored post %s is gone from the API (%d): flagged removed",
                             known.url, response.status)
            yield ArticleMark.answer(known, response.status)

    # -- the cross-check --------------------------------------------------------------

    def api_compare(self, response: Response, api: Any) -> None:
        """A sampled post's HTML page against its API row: disagreements are counted."""
        with parsing(self.crawler.stats, page=True):
            page = parse_article(response, response.url)
        html = dict(page.fields, url=canonical_url(page.fields["url"] or response.url))
        for name in COMPARED:
            mine = getattr(api, name)
            if name == "url":
                mine = canonical_url(mine or "")
            if mine != html[name]:
                self.crawler.stats.inc_value(f"restapi/html_mismatch/{name}")
                self.logger.warning("REST API and HTML page of %s disagree on %s: %r vs %r",
                                    response.url, name, str(mine)[:80], str(html[name])[:80])
