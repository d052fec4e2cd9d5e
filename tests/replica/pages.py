"""Routing: ReplicaSite.handle() answers one request like WordPress + Yoast + the theme would."""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from collections.abc import Mapping
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from . import feeds
from .body import content_html, excerpt_text, related_pool
from .content import Archive, SiteContent
from .faults import FaultPlan
from .htmlutil import human_date, iso
from .model import PER_PAGE, SITE_NAME, Post, ReplicaConfig
from .rates import HeaderSpec, header_spec
from .restapi import RestApi, without_discovery
from .seo import get_seo
from .themes import get_theme
from .views import ArchiveView, ArticleView, Link, SidebarView

Response = tuple[int, dict[str, str], bytes]
_PAGED = re.compile(r"^(?P<base>.*/)page/(?P<n>\d+)(?P<slash>/?)$")
_LEGACY = re.compile(r"^/index\.php/news/(?P<id>\d+)-[\w-]*/?$")
_SLUG = re.compile(r"^/(?P<slug>[a-z0-9][a-z0-9-]*)(?P<slash>/?)$")
_TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b"
    "0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e3334"
    "32ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708"
    "090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114"
    "328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748"
    "494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999a"
    "a2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8"
    "e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)


class ReplicaSite:
    """The replica: content for one (seed, posts, theme, state), answering requests."""

    def __init__(self, cfg: ReplicaConfig, request_log: str | None = None) -> None:
        self.cfg = cfg
        self.content = SiteContent(cfg)
        self.theme = get_theme(cfg.theme)
        self.seo = get_seo(cfg.seo)
        if cfg.rest_api == "off":
            self.seo = without_discovery(self.seo)
        self.rest = RestApi(self)
        self.faults = FaultPlan(self.content, cfg)
        self.requests: list[dict[str, Any]] = []
        self.request_log = request_log
        self._log_lock = threading.Lock()
        self._by_path = {a.path: a for a in self.content.archives.values()}
        self.uncategorized_path = f"/{self.content.posts[2].slug}/"

    # ------------------------------------------------------------------ logging
    def log_request(
        self, method: str, target: str, status: int, size: int, user_agent: str
    ) -> None:
        """Append one entry to the in-memory log (and the JSON-lines file, if configured)."""
        entry = {
            "time": time.time(),
            "method": method,
            "path": target,
            "status": status,
            "bytes": size,
            "user_agent": user_agent,
        }
        with self._log_lock:
            self.requests.append(entry)
            if self.request_log:
                with open(self.request_log, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(entry) + "\n")

    # ------------------------------------------------------------------ helpers
    def _headers(
        self, ctype: str, base: str, extra: dict[str, str] | None = None
    ) -> dict[str, str]:
        h = {
            "Date": format_datetime(self.content.now.astimezone(UTC), usegmt=True),
            "Server": "nginx",
            "Content-Type": ctype,
            "Vary": "Accept-Encoding",
        }
        if self.cfg.rest_api != "off":  # rest_output_link_header()
            h["Link"] = f'<{base}/wp-json/>; rel="https://api.w.org/"'
        if extra:
            h.update(extra)
        return h

    def _redirect(self, base: str, location: str, by: str = "WordPress") -> Response:
        return (
            301,
            self._headers(
                "text/html; charset=UTF-8", base, {"Location": location, "X-Redirect-By": by}
            ),
            b"",
        )

    def _html(
        self, status: int, base: str, html: str, extra: dict[str, str] | None = None
    ) -> Response:
        return status, self._headers("text/html; charset=UTF-8", base, extra), html.encode("utf-8")

    def _spec(self, path: str, post: Post | None = None) -> HeaderSpec:
        today = self.content.now.date()
        if post is not None:
            special = path == self.uncategorized_path
            return header_spec(
                path,
                today,
                no_ticker=bool(post.extra.get("no_ticker")),
                force_dateline=special,
                uncategorized=special,
            )
        return header_spec(path, today)

    def sidebar(self, base: str) -> SidebarView:
        """Recent Posts and Most Read widgets."""
        listed = [p for p in self.content.posts if not p.removed]
        recent = [(p.title, f"{base}/{p.slug}/") for p in listed[:5]]
        pool = listed[5:80] or listed
        most = sorted(pool, key=lambda p: p.post_id * 7919 % 101)[:5]
        return SidebarView(recent, [(p.title, f"{base}/{p.slug}/") for p in most])

    def not_found(self, base: str, path: str = "/404/") -> Response:
        """WordPress 404 page (still with the site header)."""
        page = self.theme.render_page(
            self.seo.notfound_head(base),
            "error404",
            self._spec(path),
            base,
            self.theme.notfound_main(base),
            self.sidebar(base),
        )
        return self._html(404, base, page)

    def server_error(self, base: str) -> Response:
        """WordPress fatal error handler page."""
        html = (
            "<!DOCTYPE html>\n<html dir='ltr'>\n<head>\n<meta name=\"viewport\" "
            'content="width=device-width">\n<title>WordPress &rsaquo; Error</title>\n</head>\n'
            '<body id="error-page">\n\t<div class="wp-die-message"><p>There has been a critical '
            'error on this website.</p><p><a href="https://wordpress.org/documentation/article/'
            'faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p></div>'
            "</body>\n</html>\n"
        )
        return self._html(500, base, html)

    # ------------------------------------------------------------------ links
    def post_url(self, base: str, post: Post) -> str:
        """Canonical permalink."""
        return f"{base}/{post.slug}/"

    def post_class(self, post: Post) -> str:
        """get_post_class() for a post."""
        cls = [f"post-{post.post_id}", "post", "type-post", "status-publish", "format-standard"]
        if post.has_image:
            cls.append("has-post-thumbnail")
        cls.append("hentry")
        cls += [f"category-{self.content.categories[c].slug}" for c in post.categories]
        cls += [f"tag-{t}" for t in post.tags]
        return " ".join(cls)

    def _cats(self, base: str, post: Post) -> list[Link]:
        return [(self.content.categories[c].name, f"{base}/category/{c}/") for c in post.categories]

    def _authors(self, base: str, post: Post) -> list[Link]:
        return [(self.content.authors[a].name, f"{base}/author/{a}/") for a in post.authors]

    # ------------------------------------------------------------------ archives
    def results_text(self, archive: Archive, page: int) -> str:
        """The 'Viewing results A - B of N' line, with the archive's quirk."""
        n = len(archive.posts)
        a, b = (page - 1) * PER_PAGE + 1, min(page * PER_PAGE, n)
        if archive.quirk == "tag-range":
            return f"Viewing results 1 - {PER_PAGE} of {n}"
        if archive.quirk == "total-missing":
            return f"Viewing results {a} - {b} of"
        if archive.quirk == "total-too-small":
            return f"Viewing results {a} - {b} of {min(2, b - 1)}"
        if archive.quirk == "inconsistent":
            return f"Viewing results {a} - {b} of {n // 3 + 1}"
        return f"Viewing results {a} - {b} of {n}"

    def archive_kind(self, archive: Archive) -> str:
        """latest | home | category | tag | author."""
        if archive.key == "home-page":
            return "home"
        return archive.key.split("/", 1)[0]

    def teaser_href(self, base: str, archive: Archive, post: Post) -> str:
        """Teaser title link: canonical, or with tracking query, or without trailing slash."""
        url = self.post_url(base, post)
        h = stable_variant(archive.key, post.post_id)
        if h == 0:
            campaign = archive.key.replace("/", "-")
            return f"{url}?utm_source=tca&utm_medium=archive&utm_campaign={campaign}"
        if h == 1:
            return url.rstrip("/")
        return url

    def archive_page(self, base: str, archive: Archive, page: int, path: str) -> Response:
        """Render one archive page."""
        c = self.content
        pages = max(1, math.ceil(len(archive.posts) / PER_PAGE))
        kind = self.archive_kind(archive)
        idxs = archive.posts[(page - 1) * PER_PAGE : page * PER_PAGE]
        posts = [c.posts[i] for i in idxs]
        teasers = []
        sticky = self.sticky_post() if (kind == "latest" and page == 1) else None
        if sticky is not None:
            posts = [sticky, *posts]
        for k, p in enumerate(posts):
            words = self.theme.EXCERPT_WORDS
            ex = excerpt_text(c, p, base, words)
            if p.published.year < 2023:
                ex += f' <a class="more-link" href="{self.post_url(base, p)}">Continue reading</a>'
            teasers.append(
                _teaser(self, base, archive, p, ex, sticky=(sticky is not None and k == 0))
            )
        port = urlsplit(base).port or 80
        sponsored = (
            "Sponsored: Discover the Silk Road with Steppe Travel",
            f"http://127.0.0.2:{port}/partners/steppe-travel/?ref=timesca&page={page}",
        )
        term_id = None
        author = None
        if kind == "category":
            term_id = c.categories[archive.key.split("/", 1)[1]].term_id
        elif kind == "tag":
            term_id = c.tags[archive.key.split("/", 1)[1]].term_id
        elif kind == "author":
            author = c.authors[archive.key.split("/", 1)[1]]
        view = ArchiveView(
            kind=kind,
            heading=archive.title,
            archive_url=f"{base}{archive.path}",
            page=page,
            pages=pages,
            results_text=self.results_text(archive, page),
            teasers=teasers,
            sponsored=sponsored,
            page_links_noslash=(kind == "tag" and self.cfg.theme == "classic"),
            author_bio=author.bio if author else None,
            author_avatar=(
                f"{base}/wp-content/uploads/avatars/{author.user_id}.jpg" if author else None
            ),
        )
        body_class = self.archive_body_class(archive, kind, page, term_id)
        head = self.seo.archive_head(archive, page, pages, base, kind, term_id)
        html = self.theme.render_page(
            head,
            body_class,
            self._spec(path),
            base,
            self.theme.archive_main(view),
            self.sidebar(base),
        )
        return self._html(200, base, html)

    def archive_body_class(
        self, archive: Archive, kind: str, page: int, term_id: int | None
    ) -> str:
        """WordPress body_class() of an archive."""
        leaf = archive.key.rsplit("/", 1)[-1]
        if kind == "home":
            cls = "home blog"
        elif kind == "latest":
            cls = (
                "page-template page-template-page-latest page-template-page-latest-php "
                "page page-id-4521"
            )
        elif kind == "author":
            cls = f"archive author author-{leaf} author-{self.content.authors[leaf].user_id}"
        else:
            cls = f"archive {kind} {kind}-{leaf} {kind}-{term_id}"
        if page > 1:
            suffix = {"home": "", "latest": " page-paged-" + str(page)}.get(
                kind, f" {kind}-paged-{page}"
            )
            cls += f" paged paged-{page}{suffix}"
        return cls

    def sticky_post(self) -> Post | None:
        """Later state: an older post pinned on top of /latest/ page 1."""
        if self.cfg.state != "later":
            return None
        listed = [p for p in self.content.posts if not p.removed]
        return listed[min(len(listed) - 1, 9)]

    # ------------------------------------------------------------------ articles
    def article_view(self, base: str, post: Post) -> ArticleView:
        """View model of a single post."""
        c = self.content
        first = c.categories[post.categories[0]]
        crumbs: list[Link] = [("Home", f"{base}/")]
        if first.parent:
            parent = c.categories[first.parent]
            crumbs.append((parent.name, f"{base}/category/{parent.path}/"))
        crumbs.append((first.name, f"{base}/category/{first.path}/"))
        return ArticleView(
            url=self.post_url(base, post),
            post_id=post.post_id,
            title=post.title,
            authors=self._authors(base, post),
            published_iso=iso(post.published),
            published_human=human_date(post.published),
            modified_iso=iso(post.modified),
            modified_human=human_date(post.modified),
            categories=self._cats(base, post),
            tags=[(c.tags[t].name, f"{base}/tag/{t}/") for t in post.tags],
            image=(f"{base}{post.image_path}", post.image_w, post.image_h)
            if post.image_path
            else None,
            content_html=content_html(
                c, post, base, share_top=self.theme.SHARE_TOP, style=self.theme.CONTENT_STYLE,
                appeal=self.cfg.appeal,
            ),
            post_class=self.post_class(post),
            breadcrumbs=crumbs,
            more=[(p.title, self.post_url(base, p)) for p in related_pool(c, post, 4)],
        )

    def article_page(self, base: str, post: Post) -> Response:
        """Render one post."""
        path = f"/{post.slug}/"
        view = self.article_view(base, post)
        body_class = (
            f"post-template-default single single-post postid-{post.post_id} single-format-standard"
        )
        html = self.theme.render_page(
            self.seo.article_head(self.content, post, base),
            body_class,
            self._spec(path, post),
            base,
            self.theme.article_main(view),
            self.sidebar(base),
        )
        rest = (
            f'<{base}/wp-json/>; rel="https://api.w.org/", <{base}/wp-json/wp/v2/posts/'
            f'{post.post_id}>; rel="alternate"; title="JSON"; type="application/json", '
            if self.cfg.rest_api != "off" else ""
        )
        extra = {"Link": f"{rest}<{base}/?p={post.post_id}>; rel=shortlink"}
        status, headers, body = self._html(200, base, html, extra)
        if self.faults.hit("truncated", path):
            body = truncate_body(body)
        if self.cfg.validators:
            headers["ETag"] = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
            headers["Last-Modified"] = format_datetime(post.modified.astimezone(UTC),
                                                       usegmt=True)
        return status, headers, body

    # ------------------------------------------------------------------ dispatch
    def handle(
        self,
        method: str,
        target: str,
        base_url: str = "http://127.0.0.1:8000",
        user_agent: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Answer one request (no network). ``target`` is a path with optional query string;
        ``headers`` matter only to article pages with ``validators`` on (conditional GET)."""
        base = base_url.rstrip("/")
        resp = self._dispatch(base, target)
        if self.cfg.validators and resp[0] == 200 and "ETag" in resp[1]:
            resp = conditional(resp, headers or {})
        if method.upper() == "HEAD":
            resp = (resp[0], resp[1], b"")
        return resp

    def _dispatch(self, base: str, target: str) -> Response:
        parts = urlsplit(target)
        path, query = parts.path or "/", parts.query
        f = self.faults
        if f.hit("500", path):
            return self.server_error(base)
        if f.take_503(path):
            status, headers, body = self._html(
                503,
                base,
                "<html><head><title>503 Service "
                "Temporarily Unavailable</title></head><body><center>"
                "<h1>503 Service Temporarily Unavailable</h1></center>"
                "<hr><center>nginx</center></body></html>",
            )
            headers["Retry-After"] = "1"
            return status, headers, body
        if f.hit("slow", path):
            time.sleep(f.slow_seconds)
        route = self.rest.route_of(path, query)
        if route is not None:
            return self.rest.answer(base, route, query)
        if path == "/" and query:
            qs = parse_qs(query)
            if "p" in qs:
                post = self.content.by_id.get(int(qs["p"][0])) if qs["p"][0].isdigit() else None
                if post is None or post.removed or f.hit("removed", f"/{post.slug}/"):
                    return self.not_found(base, path)
                return self._redirect(base, self.post_url(base, post))
        simple = self._simple_routes(base, path)
        if simple is not None:
            return simple
        m = _LEGACY.match(path)
        if m:
            post = self.content.by_legacy.get(int(m.group("id")))
            if post is None or post.removed:
                return self.not_found(base, path)
            return self._redirect(base, self.post_url(base, post), by="Redirection")
        m = _PAGED.match(path)
        if m and m.group("base") in self._by_path:
            archive = self._by_path[m.group("base")]
            n = int(m.group("n"))
            if not m.group("slash"):
                q = f"?{query}" if query else ""
                return self._redirect(base, f"{base}{path}/{q}")
            if n <= 1:
                return self._redirect(base, f"{base}{archive.path}")
            if n > math.ceil(len(archive.posts) / PER_PAGE):
                return self.not_found(base, path)
            return self.archive_page(base, archive, n, path)
        if path in self._by_path:
            return self.archive_page(base, self._by_path[path], 1, path)
        if path + "/" in self._by_path:
            return self._redirect(base, f"{base}{path}/")
        m = _SLUG.match(path)
        if m:
            post = self.content.by_slug.get(m.group("slug"))
            if post is not None and not post.removed and not f.hit("removed", f"/{post.slug}/"):
                if not m.group("slash"):
                    return self._redirect(base, self.post_url(base, post))
                return self.article_page(base, post)
        return self.not_found(base, path)

    def _simple_routes(self, base: str, path: str) -> Response | None:
        c = self.content
        if path == "/robots.txt":
            return (
                200,
                self._headers("text/plain; charset=utf-8", base),
                feeds.robots_txt(base, self.cfg.sitemaps).encode(),
            )
        if path in ("/feed/", "/feed"):
            if path == "/feed":
                return self._redirect(base, f"{base}/feed/")
            return (
                200,
                self._headers("application/rss+xml; charset=UTF-8", base),
                feeds.rss(c, base).encode("utf-8"),
            )
        if not self.cfg.sitemaps and (path == "/sitemap_index.xml" or re.match(
                r"^/[\w-]*sitemap\d*\.xml$", path)):
            return self.not_found(base, path)
        if path == "/sitemap_index.xml":
            return (
                200,
                self._headers("text/xml; charset=UTF-8", base, {"X-Robots-Tag": "noindex, follow"}),
                feeds.sitemap_index(c, base).encode("utf-8"),
            )
        if path.endswith("-sitemap.xml") or re.match(r"^/post-sitemap\d+\.xml$", path):
            xml = feeds.sitemap(c, base, path.lstrip("/"))
            if xml is None:
                return self.not_found(base, path)
            return (
                200,
                self._headers("text/xml; charset=UTF-8", base, {"X-Robots-Tag": "noindex, follow"}),
                xml.encode("utf-8"),
            )
        if path.startswith("/wp-content/uploads/") and path.endswith((".jpg", ".png")):
            return 200, self._headers("image/jpeg", base), _TINY_JPEG
        return None


def stable_variant(key: str, post_id: int) -> int:
    """0: tracking query, 1: no trailing slash, else canonical (about 1 in 12 each)."""
    from .model import stable_hash

    return stable_hash("teaser", key, post_id) % 12


def _teaser(
    site: ReplicaSite, base: str, archive: Archive, p: Post, excerpt: str, sticky: bool
) -> Any:
    from .views import TeaserView

    return TeaserView(
        post_id=p.post_id,
        href=site.teaser_href(base, archive, p),
        title=p.title,
        excerpt_html=excerpt,
        date_iso=iso(p.published),
        date_human=human_date(p.published),
        categories=site._cats(base, p),
        authors=site._authors(base, p),
        image_url=f"{base}{p.image_path}" if p.image_path else None,
        post_class=site.post_class(p),
        sticky=sticky,
    )


def conditional(resp: Response, request_headers: Mapping[str, str]) -> Response:
    """304 Not Modified when the request's validators match (RFC 9110: If-None-Match
    wins over If-Modified-Since), else the response unchanged."""
    _, headers, _ = resp
    get = {k.lower(): v for k, v in request_headers.items()}.get
    match = get("if-none-match")
    since = get("if-modified-since")
    if match is not None:
        fresh = headers["ETag"] in {t.strip() for t in match.split(",")} or match.strip() == "*"
    elif since is not None:
        try:
            fresh = parsedate_to_datetime(headers["Last-Modified"]) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            fresh = False
    else:
        fresh = False
    if not fresh:
        return resp
    keep = {k: v for k, v in headers.items() if k not in ("Content-Type",)}
    return 304, keep, b""


def truncate_body(body: bytes) -> bytes:
    """Cut the page inside its content container (mid-tag), as a dying PHP worker would.

    The response keeps a correct Content-Length for the bytes actually sent, so HTTP-level
    checks pass; only the missing ``</html>`` (and missing paragraphs) reveal the fault.
    """
    marker = body.find(
        b"<p>",
        body.find(b"entry-content") if b"entry-content" in body else body.find(b"td-post-content"),
    )
    second = body.find(b"<p>", marker + 3)
    cut = (second if second > 0 else marker) + 2
    return body[:cut]


__all__ = ["SITE_NAME", "ReplicaSite"]
