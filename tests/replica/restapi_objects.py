"""The objects the replica's REST API returns (posts, terms, users, media), as WordPress core
6.7 prepares them for an anonymous client, and the truth a crawler should derive from them.

Every value comes from the replica's own model and renderers, so the API and the pages agree:
``content.rendered`` is the HTML the theme prints inside its content container (share
buttons, "Read also" lines and all), ``class_list`` is the page's post class, and with Yoast
``yoast_head`` / ``yoast_head_json`` are read back from the head the article page carries.

Differences from the HTML that are WordPress's own (a crawler comparing the two must expect):
``author`` is the single WordPress post author (a co-author shown in the byline is only in
the Yoast schema), term names are stored escaped (``Life &amp; Culture``) and a category's
``count`` counts only posts filed directly in it (its archive also lists the posts of its
child categories). Terms come in get_the_terms() order (by name), as on the page.
"""

from __future__ import annotations

import hashlib
import html
import json
from datetime import UTC, datetime
from functools import cached_property
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from .body import content_html, excerpt_text
from .htmlutil import texturize
from .model import SITE_TZ, Author, Category, Post, Tag, stable_hash

if TYPE_CHECKING:
    from .pages import ReplicaSite

Term = Category | Tag
#: fields of a post in context=embed (the rest are context view/edit only)
POST_EMBED = ("id", "date", "slug", "type", "link", "title", "excerpt", "author",
              "featured_media")
TERM_EMBED = ("id", "link", "name", "slug", "taxonomy")
USER_EMBED = ("id", "name", "url", "description", "link", "slug", "avatar_urls")
MEDIA_EMBED = ("id", "date", "slug", "type", "link", "title", "author", "caption", "alt_text",
               "media_type", "mime_type", "media_details", "source_url")
CURIES = [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}]
#: posts whose API content differs from the page when ReplicaConfig.rest_html_mismatch is on
MISMATCH_POSTS = 3


def local(dt: datetime) -> str:
    """mysql_to_rfc3339() of a post_date column: site-local time, no offset."""
    return dt.astimezone(SITE_TZ).strftime("%Y-%m-%dT%H:%M:%S")


def gmt(dt: datetime) -> str:
    """mysql_to_rfc3339() of a *_gmt column: UTC, no offset."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def self_link(href: str) -> list[dict[str, Any]]:
    """A ``self`` link with the targetHints WordPress 6.7 adds (anonymous: GET only)."""
    return [{"href": href, "targetHints": {"allow": ["GET"]}}]


def mismatch_note(site: ReplicaSite, post: Post) -> str:
    """The paragraph only the API's copy of a mismatched post has (plain text)."""
    return (f"Editor’s note: this article was corrected on {site.content.now:%d %B %Y} "
            "after publication.")


class RestObjects:
    """Serializers of one replica site's content into REST API objects."""

    def __init__(self, site: ReplicaSite) -> None:
        self.site = site
        self.c = site.content
        self.cat_by_id = {cat.term_id: cat for cat in self.c.categories.values()}
        self.tag_by_id = {tag.term_id: tag for tag in self.c.tags.values()}
        self.user_by_id = {a.user_id: a for a in self.c.authors.values()}

    # ------------------------------------------------------------------ the model
    @cached_property
    def posts(self) -> list[Post]:
        """Published posts, newest first (a removed post is deleted, so absent here)."""
        f = self.site.faults
        return [p for p in self.c.posts if not p.removed and not f.hit("removed", f"/{p.slug}/")]

    @cached_property
    def post_by_id(self) -> dict[int, Post]:
        """Published posts by id."""
        return {p.post_id: p for p in self.posts}

    @cached_property
    def media_ids(self) -> dict[int, int]:
        """Featured image attachment id of each post with one: the free id just below the
        post's (uploaded while the post was written), so ids never collide."""
        used = {p.post_id for p in self.c.posts}
        out: dict[int, int] = {}
        for p in sorted(self.c.posts, key=lambda p: p.post_id):
            if p.has_image:
                m = p.post_id - 1
                while m in used:
                    m -= 1
                used.add(m)
                out[p.post_id] = m
        return out

    @cached_property
    def media_by_id(self) -> dict[int, Post]:
        """The parent post of each featured image attachment."""
        return {m: self.post_by_id[pid] for pid, m in self.media_ids.items()
                if pid in self.post_by_id}

    @cached_property
    def term_counts(self) -> dict[int, int]:
        """Published posts filed directly in each term (WordPress's term count)."""
        counts: dict[int, int] = {}
        for p in self.posts:
            for t in self.post_terms(p, "category") + self.post_terms(p, "post_tag"):
                counts[t.term_id] = counts.get(t.term_id, 0) + 1
        return counts

    @cached_property
    def mismatch_ids(self) -> frozenset[int]:
        """Posts whose API content differs from their page (rest_html_mismatch)."""
        if not self.site.cfg.rest_html_mismatch:
            return frozenset()
        seed = self.site.cfg.seed
        pool = sorted(self.posts, key=lambda p: stable_hash("rest-mismatch", seed, p.post_id))
        return frozenset(p.post_id for p in pool[:MISMATCH_POSTS])

    @cached_property
    def sticky_id(self) -> int | None:
        """The sticky post's id (the later state pins one on /latest/), if any."""
        sticky = self.site.sticky_post()
        return sticky.post_id if sticky else None

    def post_author(self, post: Post) -> Author:
        """The WordPress post author: the first name in the byline."""
        return self.c.authors[post.authors[0]]

    @cached_property
    def users(self) -> list[Author]:
        """Users an anonymous client may see: authors of published posts, by name."""
        ids = {self.post_author(p).user_id for p in self.posts}
        return sorted((self.user_by_id[i] for i in ids), key=lambda a: (a.name.lower(), a.user_id))

    def post_terms(self, post: Post, taxonomy: str) -> list[Term]:
        """get_the_terms(): a post's categories or tags, in the order its page lists them
        (core sorts both by name; the replica's pages keep the post's own order, primary
        category first, and the API follows them so that both describe one site)."""
        return ([self.c.categories[k] for k in post.categories] if taxonomy == "category"
                else [self.c.tags[t] for t in post.tags])

    @cached_property
    def subtree(self) -> dict[int, frozenset[int]]:
        """Each category with all its descendants (tax_query include_children)."""
        kids: dict[int, list[int]] = {}
        for cat in self.c.categories.values():
            kids.setdefault(self.parent_id(cat), []).append(cat.term_id)

        def walk(tid: int) -> frozenset[int]:
            return frozenset({tid}).union(*(walk(k) for k in kids.get(tid, [])))

        return {cat.term_id: walk(cat.term_id) for cat in self.c.categories.values()}

    def parent_id(self, term: Term) -> int:
        """A category's parent term id (0 for top level and for tags)."""
        if isinstance(term, Category) and term.parent:
            return self.c.categories[term.parent].term_id
        return 0

    # ------------------------------------------------------------------ posts
    def content_rendered(self, post: Post, base: str) -> str:
        """the_content(): the theme's content container HTML (plus the API-only note of a
        mismatched post)."""
        theme = self.site.theme
        out = content_html(self.c, post, base, share_top=theme.SHARE_TOP,
                           style=theme.CONTENT_STYLE, appeal=self.site.cfg.appeal)
        if post.post_id in self.mismatch_ids:
            out = f"<p>{texturize(mismatch_note(self.site, post))}</p>\n\n{out}"
        return out

    def post(self, post: Post, base: str, context: str = "view") -> dict[str, Any]:
        """A post object (without _links)."""
        mid = self.media_ids.get(post.post_id, 0)
        words = self.site.theme.EXCERPT_WORDS
        data: dict[str, Any] = {
            "id": post.post_id,
            "date": local(post.published),
            "date_gmt": gmt(post.published),
            "guid": {"rendered": f"{base}/?p={post.post_id}"},
            "modified": local(post.modified),
            "modified_gmt": gmt(post.modified),
            "slug": post.slug,
            "status": "publish",
            "type": "post",
            "link": f"{base}/{post.slug}/",
            "title": {"rendered": texturize(post.title)},
            "content": {"rendered": self.content_rendered(post, base), "protected": False},
            "excerpt": {"rendered": f"<p>{excerpt_text(self.c, post, base, words)}</p>\n",
                        "protected": False},
            "author": self.post_author(post).user_id,
            "featured_media": mid,
            "comment_status": "open",
            "ping_status": "open",
            "sticky": post.post_id == self.sticky_id,
            "template": "",
            "format": "standard",
            "meta": {"footnotes": ""},
            "categories": [t.term_id for t in self.post_terms(post, "category")],
            "tags": [t.term_id for t in self.post_terms(post, "post_tag")],
            "class_list": self.site.post_class(post).split(),
        }
        if context == "embed":
            return {k: data[k] for k in POST_EMBED}
        if self.site.cfg.seo == "yoast":
            head = self.site.seo.article_head(self.c, post, base)
            data["yoast_head"] = yoast_head(head)
            data["yoast_head_json"] = yoast_head_json(head)
        return data

    def post_links(self, post: Post, base: str) -> dict[str, Any]:
        """A post's _links (compacted, with curies)."""
        api, pid = f"{base}/wp-json/wp/v2", post.post_id
        links: dict[str, Any] = {
            "self": self_link(f"{api}/posts/{pid}"),
            "collection": [{"href": f"{api}/posts"}],
            "about": [{"href": f"{api}/types/post"}],
            "author": [{"embeddable": True,
                        "href": f"{api}/users/{self.post_author(post).user_id}"}],
            "replies": [{"embeddable": True, "href": f"{api}/comments?post={pid}"}],
            "version-history": [{"count": 0, "href": f"{api}/posts/{pid}/revisions"}],
        }
        if pid in self.media_ids:
            links["wp:featuredmedia"] = [
                {"embeddable": True, "href": f"{api}/media/{self.media_ids[pid]}"}
            ]
        links["wp:attachment"] = [{"href": f"{api}/media?parent={pid}"}]
        links["wp:term"] = [
            {"taxonomy": "category", "embeddable": True, "href": f"{api}/categories?post={pid}"},
            {"taxonomy": "post_tag", "embeddable": True, "href": f"{api}/tags?post={pid}"},
        ]
        links["curies"] = CURIES
        return links

    # ------------------------------------------------------------------ terms
    def term(self, term: Term, base: str, context: str = "view") -> dict[str, Any]:
        """A category or tag object (without _links)."""
        is_cat = isinstance(term, Category)
        data: dict[str, Any] = {
            "id": term.term_id,
            "count": self.term_counts.get(term.term_id, 0),
            "description": "",
            "link": f"{base}/category/{term.path}/" if is_cat else f"{base}/tag/{term.slug}/",
            "name": html.escape(term.name, quote=False),  # stored through kses
            "slug": term.slug,
            "taxonomy": "category" if is_cat else "post_tag",
        }
        if is_cat:
            data["parent"] = self.parent_id(term)
        data["meta"] = []
        return {k: data[k] for k in TERM_EMBED} if context == "embed" else data

    def term_links(self, term: Term, base: str) -> dict[str, Any]:
        """A term's _links."""
        api = f"{base}/wp-json/wp/v2"
        rest, tax = (("categories", "category") if isinstance(term, Category)
                     else ("tags", "post_tag"))
        links: dict[str, Any] = {
            "self": self_link(f"{api}/{rest}/{term.term_id}"),
            "collection": [{"href": f"{api}/{rest}"}],
            "about": [{"href": f"{api}/taxonomies/{tax}"}],
        }
        if self.parent_id(term):
            links["up"] = [{"embeddable": True, "href": f"{api}/{rest}/{self.parent_id(term)}"}]
        links["wp:post_type"] = [{"href": f"{api}/posts?{rest}={term.term_id}"}]
        links["curies"] = CURIES
        return links

    # ------------------------------------------------------------------ users
    def user(self, author: Author, base: str, context: str = "view") -> dict[str, Any]:
        """A user object (without _links)."""
        h = hashlib.md5(author.slug.encode()).hexdigest()
        data: dict[str, Any] = {
            "id": author.user_id,
            "name": author.name,
            "url": "",
            "description": author.bio,
            "link": f"{base}/author/{author.slug}/",
            "slug": author.slug,
            "avatar_urls": {
                str(s): f"https://secure.gravatar.com/avatar/{h}?s={s}&d=mm&r=g"
                for s in (24, 48, 96)
            },
            "meta": [],
        }
        return {k: data[k] for k in USER_EMBED} if context == "embed" else data

    def user_links(self, author: Author, base: str) -> dict[str, Any]:
        """A user's _links."""
        api = f"{base}/wp-json/wp/v2"
        return {"self": self_link(f"{api}/users/{author.user_id}"),
                "collection": [{"href": f"{api}/users"}]}

    # ------------------------------------------------------------------ media
    def media(self, mid: int, base: str, context: str = "view") -> dict[str, Any]:
        """The featured image attachment ``mid`` (without _links)."""
        post = self.media_by_id[mid]
        src = f"{base}{post.image_path}"
        name = src.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        caption = f"Illustrative image: {self.c.categories[post.categories[0]].name}"
        data: dict[str, Any] = {
            "id": mid,
            "date": local(post.published),
            "date_gmt": gmt(post.published),
            "guid": {"rendered": src},
            "modified": local(post.published),
            "modified_gmt": gmt(post.published),
            "slug": name,
            "status": "inherit",
            "type": "attachment",
            "link": src,  # attachment pages off (WordPress 6.4+): the link is the file
            "title": {"rendered": name},
            "author": self.post_author(post).user_id,
            "comment_status": "open",
            "ping_status": "closed",
            "template": "",
            "meta": [],
            "class_list": [f"post-{mid}", "attachment", "type-attachment", "status-inherit",
                           "hentry"],
            "description": {"rendered": f'<p class="attachment"><a href=\'{src}\'>{name}</a>'
                                        "</p>\n"},
            "caption": {"rendered": f"<p>{texturize(caption)}</p>\n"},
            "alt_text": "",
            "media_type": "image",
            "mime_type": "image/jpeg",
            "media_details": {
                "width": post.image_w,
                "height": post.image_h,
                "file": post.image_path.removeprefix("/wp-content/uploads/") if post.image_path
                else "",
                "sizes": {"full": {"file": src.rsplit("/", 1)[-1], "width": post.image_w,
                                   "height": post.image_h, "mime_type": "image/jpeg",
                                   "source_url": src}},
            },
            "post": post.post_id,
            "source_url": src,
        }
        return {k: data[k] for k in MEDIA_EMBED} if context == "embed" else data

    def media_links(self, mid: int, base: str) -> dict[str, Any]:
        """An attachment's _links."""
        api = f"{base}/wp-json/wp/v2"
        post = self.media_by_id[mid]
        return {
            "self": self_link(f"{api}/media/{mid}"),
            "collection": [{"href": f"{api}/media"}],
            "about": [{"href": f"{api}/types/attachment"}],
            "author": [{"embeddable": True,
                        "href": f"{api}/users/{self.post_author(post).user_id}"}],
            "replies": [{"embeddable": True, "href": f"{api}/comments?post={mid}"}],
        }


def term_sort_key(term: Term) -> tuple[str, int]:
    """ORDER BY name (the stored, escaped name; case-insensitive collation)."""
    return html.escape(term.name, quote=False).lower(), term.term_id


# ---------------------------------------------------------------------- Yoast
class _HeadParser(HTMLParser):
    """Collects a <head>'s title, meta tags, canonical and JSON-LD."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.meta: list[tuple[str, str]] = []
        self.canonical = ""
        self.ld = ""
        self._in = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        key = a.get("property") or a.get("name")
        if tag == "meta" and key and "content" in a:
            self.meta.append((key, a["content"]))
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a.get("href", "")
        elif tag == "title" or (tag == "script" and a.get("type") == "application/ld+json"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = ""

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.ld += data


def yoast_head(head: str) -> str:
    """Yoast's ``yoast_head``: its block of the page head, from its opening comment to its
    closing one."""
    lines = [ln.strip("\t") for ln in head.split("\n")]
    start = next(i for i, ln in enumerate(lines) if ln.startswith("<!-- This site is optimized"))
    end = lines.index("<!-- / Yoast SEO plugin. -->")
    return "\n".join(lines[start : end + 1])


def yoast_head_json(head: str) -> dict[str, Any]:
    """Yoast's ``yoast_head_json``: the same values as the page head, as data."""
    p = _HeadParser()
    p.feed(head)
    meta: dict[str, str] = {}
    for k, v in p.meta:
        meta.setdefault(k, v)
    tokens = [t.strip() for t in meta.get("robots", "").split(",") if t.strip()]
    by_key = {t.split(":", 1)[0]: t for t in tokens}
    robots = {k: by_key[k] for k in ("index", "follow", "max-snippet", "max-image-preview",
                                     "max-video-preview") if k in by_key}
    out: dict[str, Any] = {"title": p.title, "description": meta.get("description"),
                           "robots": robots, "canonical": p.canonical}
    for prop in ("og:locale", "og:type", "og:title", "og:description", "og:url",
                 "og:site_name", "article:publisher", "article:published_time",
                 "article:modified_time"):
        out[prop.replace(":", "_")] = meta.get(prop)
    if "og:image" in meta:
        out["og_image"] = [{"width": int(meta["og:image:width"]),
                            "height": int(meta["og:image:height"]),
                            "url": meta["og:image"], "type": meta["og:image:type"]}]
    out["author"] = meta.get("author")
    for name in ("twitter:card", "twitter:creator", "twitter:site"):
        out[name.replace(":", "_")] = meta.get(name)
    misc = {meta[f"twitter:label{i}"]: meta.get(f"twitter:data{i}", "")
            for i in range(1, 5) if f"twitter:label{i}" in meta}
    if misc:
        out["twitter_misc"] = misc
    out["schema"] = json.loads(p.ld) if p.ld else None
    return {k: v for k, v in out.items() if v is not None}


# ---------------------------------------------------------------------- ground truth
def api_post_truth(site: ReplicaSite, post: Post, base_url: str) -> dict[str, Any]:
    """What a crawler should derive for ``post`` from /wp-json/wp/v2/posts (with _embed).

    ``title`` is title.rendered unescaped; ``published_at`` / ``modified_at`` are
    date_gmt / modified_gmt as UTC (the same instants as the page's, which carry the site
    offset); ``categories`` / ``tags`` are the embedded term names unescaped, in the API's
    order (by name); ``author`` is the embedded post author; ``authors`` every bylined name
    the API shows (the Yoast schema's Article authors; only the post author without Yoast);
    ``image_url`` is the featured media's source_url; ``paragraphs`` the text paragraphs of
    content.rendered (the page's, plus a note on a rest_html_mismatch post).
    """
    base = base_url.rstrip("/")
    objs: RestObjects = site.rest.objects
    c = site.content
    author = objs.post_author(post).name
    authors = [c.authors[a].name for a in post.authors] if site.cfg.seo == "yoast" else [author]
    paras = c.clean_paragraphs(post)
    if post.post_id in objs.mismatch_ids:
        paras = [mismatch_note(site, post), *paras]
    return {
        "post_id": post.post_id,
        "url": f"{base}/{post.slug}/",
        "title": post.title,
        "published_at": post.published.astimezone(UTC).isoformat(timespec="seconds"),
        "modified_at": post.modified.astimezone(UTC).isoformat(timespec="seconds"),
        "categories": [t.name for t in objs.post_terms(post, "category")],
        "tags": [t.name for t in objs.post_terms(post, "post_tag")],
        "author": author,
        "authors": authors,
        "image_url": f"{base}{post.image_path}" if post.image_path else None,
        "paragraphs": paras,
        "content_matches_page": post.post_id not in objs.mismatch_ids,
    }


def api_truth(site: ReplicaSite, base_url: str) -> list[dict[str, Any]]:
    """api_post_truth() of every post the API lists, newest first."""
    return [api_post_truth(site, p, base_url) for p in site.rest.objects.posts]
