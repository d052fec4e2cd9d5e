"""The replica's WordPress REST API (``/wp-json/``), served as WordPress core 6.7 serves it to
an anonymous client (class-wp-rest-server.php and the posts, terms, users and attachments
controllers).

Routes: ``/`` (index), ``/wp/v2`` (namespace index), ``/wp/v2/posts[/ID]``,
``/wp/v2/categories[/ID]``, ``/wp/v2/tags[/ID]``, ``/wp/v2/users[/ID]``, ``/wp/v2/media[/ID]``
and ``/wp/v2/comments`` (always empty); reached as ``/wp-json/ROUTE`` or ``/?rest_route=ROUTE``.
Global parameters ``_fields``, ``_embed`` and ``_pretty``; errors as core's
``{"code", "message", "data": {"status"}}`` with that HTTP status.

ReplicaConfig.rest_api: "on"; "locked" (every route answers 401 ``rest_cannot_access``, as
a security plugin's rest_authentication_errors filter makes it; discovery stays); "off" (no
discovery link or header, ``/wp-json/`` 404s like any unknown URL).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .model import SITE_NAME
from .restapi_objects import RestObjects, Term, term_sort_key
from .restapi_params import (
    Params,
    RestError,
    build_query,
    filter_fields,
    links_wanted,
    parse_embed,
    php_query,
    wp_list_l,
)

if TYPE_CHECKING:
    from .pages import ReplicaSite, Response

REST_PREFIX = "/wp-json"
STATUSES = ("publish", "future", "draft", "pending", "private", "trash", "auto-draft", "inherit",
            "request-pending", "request-confirmed", "request-failed", "request-completed", "any")
POST_ORDERBY = ("author", "date", "id", "include", "modified", "parent", "relevance", "slug",
                "include_slugs", "title")
TERM_ORDERBY = ("id", "include", "name", "slug", "include_slugs", "term_group", "description",
                "count")
USER_ORDERBY = ("id", "include", "name", "registered_date", "slug", "include_slugs", "email",
                "url")
_DISCOVERY = re.compile(r'rel="https://api\.w\.org/"|title="JSON"|oembed')


@dataclass
class Result:
    """A controller's answer: data, the _links of a single object, extra headers."""

    data: Any
    links: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------- the server
def without_discovery(seo: ModuleType) -> Any:
    """An SEO head module whose heads lack the REST API discovery links (rest_api="off")."""

    class _Heads:
        def __getattr__(self, name: str) -> Any:
            fn = getattr(seo, name)
            if not name.endswith("_head"):
                return fn
            return lambda *a, **kw: "\n".join(
                ln for ln in fn(*a, **kw).split("\n") if not _DISCOVERY.search(ln))

    return _Heads()


class RestApi:
    """Answers /wp-json/ requests for one ReplicaSite."""

    def __init__(self, site: ReplicaSite) -> None:
        self.site = site
        self.objects = RestObjects(site)
        self.routes: list[tuple[re.Pattern[str], Callable[..., Result]]] = [
            (re.compile(rf"^{pattern}$", re.I), handler)
            for pattern, handler in (
                ("/", self.index),
                ("/wp/v2", self.namespace_index),
                ("/wp/v2/posts", self.posts),
                (r"/wp/v2/posts/(?P<id>[\d]+)", self.post),
                ("/wp/v2/(?P<rest>categories|tags)", self.terms),
                (r"/wp/v2/(?P<rest>categories|tags)/(?P<id>[\d]+)", self.term),
                ("/wp/v2/users", self.users),
                (r"/wp/v2/users/(?P<id>[\d]+)", self.user),
                ("/wp/v2/media", self.media_items),
                (r"/wp/v2/media/(?P<id>[\d]+)", self.media),
                ("/wp/v2/comments", self.comments),
            )
        ]

    # ------------------------------------------------------------------ entry
    def route_of(self, path: str, query: str) -> str | None:
        """The REST route a request names (None: not a REST request, or the API is off)."""
        if self.site.cfg.rest_api == "off":
            return None
        rest_route = php_query(query).get("rest_route") if "rest_route" in query else None
        if path == REST_PREFIX or path.startswith(REST_PREFIX + "/"):
            route = rest_route if isinstance(rest_route, str) else path[len(REST_PREFIX):]
        elif path == "/" and isinstance(rest_route, str):
            route = rest_route
        else:
            return None
        return route.rstrip("/") or "/"

    def answer(self, base: str, route: str, query: str) -> Response:
        """The HTTP response to GET ``route`` with ``query``."""
        raw = php_query(query)
        headers = self._headers(base)
        try:
            if self.site.cfg.rest_api == "locked":
                raise RestError("rest_cannot_access",
                                "Only authenticated users can access the REST API.", 401)
            result, matched = self.dispatch(base, route, raw)
        except RestError as err:
            return self._send(err.status, headers, err.body(), raw)
        if matched:
            headers["Allow"] = "GET"
        headers.update(result.headers)
        data = filter_fields(result.data, raw.get("_fields"))
        if result.links is not None and links_wanted(raw.get("_fields")):
            data["_links"] = result.links
        embed = parse_embed(raw["_embed"]) if "_embed" in raw else None
        if embed is not None:
            cache: dict[str, Any] = {}
            if isinstance(data, list):
                data = [self.embed_links(base, item, embed, cache) for item in data]
            else:
                data = self.embed_links(base, data, embed, cache)
        return self._send(200, headers, data, raw)

    def dispatch(self, base: str, route: str, raw: dict[str, Any]) -> tuple[Result, bool]:
        """Run the route's controller; (result, whether a route matched)."""
        for pattern, handler in self.routes:
            m = pattern.match(route)
            if m:
                return handler(base, Params(raw), **m.groupdict()), True
        raise RestError("rest_no_route",
                        "No route was found matching the URL and request method.", 404)

    def _headers(self, base: str) -> dict[str, str]:
        """What WP_REST_Server::serve_request() sends before dispatching."""
        return self.site._headers("application/json; charset=UTF-8", base, {
            "X-Robots-Tag": "noindex",
            "Link": f'<{base}/wp-json/>; rel="https://api.w.org/"',
            "X-Content-Type-Options": "nosniff",
            "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
            "Access-Control-Allow-Headers":
                "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type",
            "Vary": "Accept-Encoding, Origin",
        })

    def _send(self, status: int, headers: dict[str, str], data: Any,
              raw: dict[str, Any]) -> Response:
        if "_pretty" in raw:
            text = json.dumps(data, indent=4)
        else:
            text = json.dumps(data, separators=(",", ":"))
        return status, headers, text.replace("/", "\\/").encode("utf-8")

    def embed_links(self, base: str, item: Any, embed: bool | list[str],
                    cache: dict[str, Any]) -> Any:
        """WP_REST_Server::embed_links(): the embeddable links of ``item``, fetched with
        context=embed, under ``_embedded``."""
        if not isinstance(item, dict) or not item.get("_links"):
            return item
        embedded: dict[str, Any] = {}
        for rel, links in item["_links"].items():
            if isinstance(embed, list) and rel not in embed:
                continue
            found = []
            for link in links:
                if not link.get("embeddable"):
                    found.append({})
                    continue
                href = link["href"]
                if href not in cache:
                    cache[href] = self.internal(base, href)
                found.append(cache[href])
            if any(found):
                embedded[rel] = found
        return {**item, "_embedded": embedded} if embedded else item

    def internal(self, base: str, href: str) -> Any:
        """An embedded request: the data (with _links) or the error object."""
        path, _, query = href[len(base) + len(REST_PREFIX):].partition("?")
        raw = {**php_query(query), "context": "embed"}
        try:
            result, _ = self.dispatch(base, path, raw)
        except RestError as err:
            return err.body()
        if result.links is not None:
            return {**result.data, "_links": result.links}
        return result.data

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def start(p: Params, collection: bool = True) -> tuple[str, int, int]:
        """Read ``context`` (and ``page``, ``per_page`` of a collection) first, as core
        validates the registered arguments in order: (context, page, per_page)."""
        ctx = p.enum("context", ("view", "embed", "edit"), "view")
        if not collection:
            return ctx, 1, 10
        return ctx, p.integer("page", 1, 1) or 1, p.integer("per_page", 10, 1, 100) or 10

    @staticmethod
    def check(p: Params, ctx: str, edit: str) -> None:
        """Answer the invalid parameters, then the permission check (context=edit needs a
        login)."""
        p.raise_invalid()
        if ctx == "edit":
            raise RestError("rest_forbidden_context", edit, 401)

    def collection(self, base: str, route: str, p: Params, items: list[Any],
                   serialize: Callable[[Any], tuple[dict[str, Any], dict[str, Any]]],
                   page: int, per_page: int, *,
                   strict: bool, offset: int | None = None) -> Result:
        """One page of ``items``, with X-WP-Total / X-WP-TotalPages and Link prev/next.
        ``strict`` (posts, media): a page past the end is 400 rest_post_invalid_page_number."""
        total = len(items)
        pages = math.ceil(total / per_page)
        if strict and page > pages and total > 0:
            raise RestError("rest_post_invalid_page_number",
                            "The page number requested is larger than the number of pages "
                            "available.", 400)
        start = offset if offset is not None else (page - 1) * per_page
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        links = []
        if page > 1:
            links.append(f'<{self.page_url(base, route, p.raw, min(page - 1, pages))}>; rel="prev"')
        if pages > page:
            links.append(f'<{self.page_url(base, route, p.raw, page + 1)}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        fields = p.raw.get("_fields")
        rows = []
        for item in items[start : start + per_page]:
            data, item_links = serialize(item)
            if links_wanted(fields):  # prepare_response_for_collection() inlines the links
                data["_links"] = item_links
            rows.append(data)
        return Result(rows, None, headers)

    @staticmethod
    def page_url(base: str, route: str, raw: dict[str, Any], page: int) -> str:
        """add_query_arg('page', N, collection URL + the request's own parameters)."""
        return f"{base}{REST_PREFIX}{route}?{build_query({**raw, 'page': page})}"

    # ------------------------------------------------------------------ index
    def index(self, base: str, p: Params) -> Result:
        """GET /wp-json/."""
        self.start(p, collection=False)
        p.raise_invalid()
        c = self.site.content
        spaces = ["oembed/1.0", "wp/v2", "wp-site-health/v1", "wp-block-editor/v1"]
        spaces += {"yoast": ["yoast/v1"], "rankmath": ["rankmath/v1"]}.get(self.site.cfg.seo, [])
        offset = c.now.utcoffset()
        data = {
            "name": SITE_NAME,
            "description": "News and analysis from Central Asia",
            "url": base,
            "home": base,
            "gmt_offset": int(offset.total_seconds() // 3600) if offset else 0,
            "timezone_string": "Asia/Almaty",
            "page_for_posts": 0,
            "page_on_front": 0,
            "show_on_front": "posts",
            "namespaces": spaces,
            "authentication": [],
            "routes": self.route_index(base),
            "site_logo": 0,
            "site_icon": 0,
            "site_icon_url": "",
        }
        return Result(data, {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]})

    def namespace_index(self, base: str, p: Params) -> Result:
        """GET /wp-json/wp/v2."""
        routes = {k: v for k, v in self.route_index(base).items() if k.startswith("/wp/v2")}
        return Result({"namespace": "wp/v2", "routes": routes},
                      {"up": [{"href": f"{base}/wp-json/"}]})

    def route_index(self, base: str) -> dict[str, Any]:
        """The routes this replica serves (GET only), as the index lists them."""
        out: dict[str, Any] = {}
        for route in ("/", "/wp/v2", "/wp/v2/posts", "/wp/v2/categories", "/wp/v2/tags",
                      "/wp/v2/users", "/wp/v2/media", "/wp/v2/comments"):
            keys = [route] if route in ("/", "/wp/v2", "/wp/v2/comments") else [
                route, route + "/(?P<id>[\\d]+)"]
            for key in keys:
                args = {"context": {"required": False}}
                if key != route:
                    args = {"id": {"required": False}, **args}
                entry: dict[str, Any] = {
                    "namespace": "" if route == "/" else "wp/v2",
                    "methods": ["GET"],
                    "endpoints": [{"methods": ["GET"], "args": args}],
                }
                if key == route:
                    entry["_links"] = {"self": [{"href": f"{base}/wp-json{route.rstrip('/')}"
                                                 + ("/" if route == "/" else "")}]}
                out[key] = entry
        return out

    # ------------------------------------------------------------------ posts
    def posts(self, base: str, p: Params) -> Result:
        """GET /wp/v2/posts."""
        ctx, page, per_page = self.start(p)
        objs = self.objects
        search = p.raw.get("search") if isinstance(p.raw.get("search"), str) else None
        after, modified_after = p.date("after"), p.date("modified_after")
        authors, author_exclude = p.ids("author"), p.ids("author_exclude")
        before, modified_before = p.date("before"), p.date("modified_before")
        exclude, include = p.ids("exclude"), p.ids("include")
        offset = p.integer("offset", None)
        order = p.enum("order", ("asc", "desc"), "desc")
        orderby = p.enum("orderby", POST_ORDERBY, "date")
        slugs = p.strings("slug")
        statuses = p.strings("status") or ["publish"]
        for i, s in enumerate(statuses):
            if s not in STATUSES:
                p.bad("status", "rest_not_in_enum",
                      f"status[{i}] is not one of {wp_list_l(STATUSES)}.")
        if any(s != "publish" for s in statuses):  # sanitize_post_statuses(), anonymous
            p.bad("status", "rest_forbidden_status", "Status is forbidden.", {"status": 401})
        relation = p.enum("tax_relation", ("AND", "OR"), "AND")
        cats, cats_ex = p.terms("categories", True), p.terms("categories_exclude", True)
        tags, tags_ex = p.terms("tags", False), p.terms("tags_exclude", False)
        sticky = p.boolean("sticky")
        self.check(p, ctx, "Sorry, you are not allowed to edit posts in this post type.")
        if orderby == "relevance" and not search:
            raise RestError("rest_no_search_term_defined",
                            "You need to define a search term to order by relevance.", 400)
        if orderby == "include" and not include:
            raise RestError("rest_orderby_include_missing_include",
                            "You need to define an include parameter to order by include.", 400)

        def keep(post: Any) -> bool:
            pid, uid = post.post_id, objs.post_author(post).user_id
            checks = [
                after is None or post.published > after,
                before is None or post.published < before,
                modified_after is None or post.modified > modified_after,
                modified_before is None or post.modified < modified_before,
                not authors or uid in authors,
                not author_exclude or uid not in author_exclude,
                not include or pid in include,
                not exclude or pid not in exclude,
                not slugs or post.slug in slugs,
                sticky is None or (pid == objs.sticky_id) == sticky,
                search is None or self.matches(post, search),
            ]
            tax = [t for t in (self.in_terms(post, "category", cats),
                               self.in_terms(post, "post_tag", tags)) if t is not None]
            checks.append(not tax or (any(tax) if relation == "OR" else all(tax)))
            for taxonomy, ex in (("category", cats_ex), ("post_tag", tags_ex)):
                if ex is not None:
                    checks.append(not self.in_terms(post, taxonomy, (ex[0], ex[1], "IN")))
            return all(checks)

        key: Callable[[Any], Any] = {
            "modified": lambda x: x.modified,
            "id": lambda x: x.post_id,
            "title": lambda x: x.title.lower(),
            "slug": lambda x: x.slug,
            "author": lambda x: objs.post_author(x).user_id,
            "include": lambda x: include.index(x.post_id) if include else 0,
            "include_slugs": lambda x: slugs.index(x.slug) if slugs else 0,
        }.get(orderby, lambda x: x.published)  # date, relevance, parent (all 0)
        found = sorted((x for x in objs.posts if keep(x)), key=key,
                       reverse=order == "desc" and orderby not in ("include", "include_slugs"))
        return self.collection(
            base, "/wp/v2/posts", p, found,
            lambda x: (objs.post(x, base, ctx), objs.post_links(x, base)),
            page, per_page, strict=True, offset=offset,
        )

    def in_terms(self, post: Any, taxonomy: str,
                 query: tuple[list[int], bool, str] | None) -> bool | None:
        """Whether ``post`` matches one tax_query clause (None: no clause)."""
        if query is None or not query[0]:
            return None
        ids, children, operator = query
        have = {t.term_id for t in self.objects.post_terms(post, taxonomy)}
        hits = [bool(have & self.objects.subtree.get(i, {i})) if children else i in have
                for i in ids]
        return all(hits) if operator == "AND" else any(hits)

    def matches(self, post: Any, search: str) -> bool:
        """WP_Query's search: every word in the title or the content."""
        text = (post.title + " " + " ".join(self.site.content.paragraphs(post))).lower()
        return all(w.lower() in text for w in search.split())

    def post(self, base: str, p: Params, id: str) -> Result:
        """GET /wp/v2/posts/ID."""
        ctx, _, _ = self.start(p, collection=False)
        self.check(p, ctx, "Sorry, you are not allowed to edit this post.")
        post = self.objects.post_by_id.get(int(id))
        if post is None:
            raise RestError("rest_post_invalid_id", "Invalid post ID.", 404)
        link = f'<{base}/{post.slug}/>; rel="alternate"; type=text/html'
        return Result(self.objects.post(post, base, ctx), self.objects.post_links(post, base),
                      {"Link": link})

    # ------------------------------------------------------------------ terms
    def terms(self, base: str, p: Params, rest: str) -> Result:
        """GET /wp/v2/categories and /wp/v2/tags."""
        objs, c = self.objects, self.site.content
        ctx, page, per_page = self.start(p)
        search = p.raw.get("search") if isinstance(p.raw.get("search"), str) else None
        exclude, include = p.ids("exclude"), p.ids("include")
        order = p.enum("order", ("asc", "desc"), "asc")
        orderby = p.enum("orderby", TERM_ORDERBY, "name")
        hide_empty = p.boolean("hide_empty")
        parent = p.integer("parent", None) if rest == "categories" else None
        post_id = p.integer("post", None)
        slugs = p.strings("slug")
        self.check(p, ctx, "Sorry, you are not allowed to edit terms in this taxonomy.")
        taxonomy = "category" if rest == "categories" else "post_tag"
        terms: list[Term] = list(c.categories.values() if rest == "categories"
                                 else c.tags.values())
        if post_id is not None:
            post = objs.post_by_id.get(post_id)
            terms = objs.post_terms(post, taxonomy) if post else []
        terms = [
            t for t in terms
            if (not include or t.term_id in include)
            and (not exclude or t.term_id not in exclude)
            and (not hide_empty or objs.term_counts.get(t.term_id, 0) > 0)
            and (parent is None or objs.parent_id(t) == parent)
            and (not slugs or t.slug in slugs)
            and (search is None or search.lower() in (t.name + " " + t.slug).lower())
        ]
        key: Callable[[Any], Any] = {
            "id": lambda t: t.term_id,
            "slug": lambda t: t.slug,
            "count": lambda t: objs.term_counts.get(t.term_id, 0),
            "include": lambda t: include.index(t.term_id) if include else 0,
            "include_slugs": lambda t: slugs.index(t.slug) if slugs else 0,
        }.get(orderby, term_sort_key)
        if not (post_id is not None and orderby == "name" and order == "asc"):
            # a post's terms (what _embed asks for) keep the order its page lists them
            terms.sort(key=key, reverse=order == "desc")
        return self.collection(
            base, f"/wp/v2/{rest}", p, terms,
            lambda t: (objs.term(t, base, ctx), objs.term_links(t, base)),
            page, per_page, strict=False,
        )

    def term(self, base: str, p: Params, rest: str, id: str) -> Result:
        """GET /wp/v2/categories/ID and /wp/v2/tags/ID."""
        ctx, _, _ = self.start(p, collection=False)
        self.check(p, ctx, "Sorry, you are not allowed to edit this term.")
        by_id = self.objects.cat_by_id if rest == "categories" else self.objects.tag_by_id
        term = by_id.get(int(id))
        if term is None:
            raise RestError("rest_term_invalid", "Term does not exist.", 404)
        return Result(self.objects.term(term, base, ctx), self.objects.term_links(term, base))

    # ------------------------------------------------------------------ users, media
    def users(self, base: str, p: Params) -> Result:
        """GET /wp/v2/users: only authors of published posts (anonymous client)."""
        objs = self.objects
        ctx, page, per_page = self.start(p)
        search = p.raw.get("search") if isinstance(p.raw.get("search"), str) else None
        exclude, include = p.ids("exclude"), p.ids("include")
        order = p.enum("order", ("asc", "desc"), "asc")
        orderby = p.enum("orderby", USER_ORDERBY, "name")
        slugs = p.strings("slug")
        self.check(p, ctx, "Sorry, you are not allowed to list users.")
        if orderby in ("email", "registered_date"):
            raise RestError("rest_forbidden_orderby",
                            "Sorry, you are not allowed to order users by this parameter.", 401)
        users = [
            u for u in objs.users
            if (not include or u.user_id in include)
            and (not exclude or u.user_id not in exclude)
            and (not slugs or u.slug in slugs)
            and (search is None or search.lower() in (u.name + " " + u.slug).lower())
        ]
        key: Callable[[Any], Any] = {
            "id": lambda u: u.user_id,
            "slug": lambda u: u.slug,
            "include": lambda u: include.index(u.user_id) if include else 0,
        }.get(orderby, lambda u: (u.name.lower(), u.user_id))
        users.sort(key=key, reverse=order == "desc")
        return self.collection(
            base, "/wp/v2/users", p, users,
            lambda u: (objs.user(u, base, ctx), objs.user_links(u, base)),
            page, per_page, strict=False,
        )

    def user(self, base: str, p: Params, id: str) -> Result:
        """GET /wp/v2/users/ID."""
        ctx, _, _ = self.start(p, collection=False)
        self.check(p, ctx, "Sorry, you are not allowed to edit this user.")
        author = self.objects.user_by_id.get(int(id))
        if author is None:
            raise RestError("rest_user_invalid_id", "Invalid user ID.", 404)
        if author not in self.objects.users:
            raise RestError("rest_user_cannot_view", "Sorry, you are not allowed to list users.",
                            401)
        return Result(self.objects.user(author, base, ctx),
                      self.objects.user_links(author, base))

    def media_items(self, base: str, p: Params) -> Result:
        """GET /wp/v2/media (the featured images), newest first."""
        objs = self.objects
        ctx, page, per_page = self.start(p)
        include, parents = p.ids("include"), p.ids("parent")
        self.check(p, ctx, "Sorry, you are not allowed to edit posts in this post type.")
        ids = [m for m, post in sorted(objs.media_by_id.items(),
                                       key=lambda kv: kv[1].published, reverse=True)
               if (not include or m in include) and (not parents or post.post_id in parents)]
        return self.collection(
            base, "/wp/v2/media", p, ids,
            lambda m: (objs.media(m, base, ctx), objs.media_links(m, base)),
            page, per_page, strict=True,
        )

    def media(self, base: str, p: Params, id: str) -> Result:
        """GET /wp/v2/media/ID."""
        ctx, _, _ = self.start(p, collection=False)
        self.check(p, ctx, "Sorry, you are not allowed to edit this post.")
        mid = int(id)
        if mid not in self.objects.media_by_id:
            raise RestError("rest_post_invalid_id", "Invalid post ID.", 404)
        return Result(self.objects.media(mid, base, ctx), self.objects.media_links(mid, base))

    def comments(self, base: str, p: Params) -> Result:
        """GET /wp/v2/comments: the replica has no comments."""
        ctx, page, per_page = self.start(p)
        p.ids("post")
        self.check(p, ctx, "Sorry, you are not allowed to edit comments.")
        return self.collection(base, "/wp/v2/comments", p, [], lambda x: (x, {}),
                               page, per_page, strict=False)


__all__ = ["RestApi", "RestError", "without_discovery"]
