"""A post of the WordPress REST API (``/wp-json/wp/v2/posts``) as an article page.

The API serves what the page shows: the rendered content, the title, GMT dates, the post's
terms and authors (``_embed``) and, with Yoast, the head's SEO block (``yoast_head``). The
post is read by the same rules as a page: its head (``yoast_head``, or the canonical link),
an ``entry-content`` container holding ``content.rendered`` (so the same body rules drop
share blocks and "Read also" lines plugins add to the content), then the API's own values
win where it has them: the id, the title (entities unescaped), ``date_gmt`` and
``modified_gmt``, term and author names, the featured image. Every field found is labelled
``api``.
"""

from __future__ import annotations

import html
from typing import Any

from parsel import Selector

from crawler.urls import term_path

from .article import ArticlePage, parse_article
from .sources import API, NONE, is_empty
from .text import visible_text


def _rendered(value: Any) -> str:
    """``{"rendered": html}`` (or a plain string) as text, entities unescaped."""
    raw = value.get("rendered") if isinstance(value, dict) else value
    if not isinstance(raw, str):
        return ""
    return visible_text(Selector(text=f"<p>{raw}</p>").root)


def _gmt(value: Any) -> str | None:
    """A ``date_gmt`` value ("2025-01-03T04:00:00") as ISO 8601 with its offset."""
    return f"{value}+00:00" if isinstance(value, str) and value else None


def _embedded(post: dict[str, Any], name: str) -> list[Any]:
    found = (post.get("_embedded") or {}).get(name)
    return found if isinstance(found, list) else []


def _terms(post: dict[str, Any], taxonomy: str) -> list[str] | None:
    """Names of the post's terms of ``taxonomy`` from ``_embed`` (None without it)."""
    groups = _embedded(post, "wp:term")
    if not groups:
        return None
    return [html.unescape(t["name"]) for group in groups if isinstance(group, list)
            for t in group if isinstance(t, dict) and t.get("taxonomy") == taxonomy
            and t.get("name")]


def _category_terms(post: dict[str, Any]) -> list[tuple[str, str]] | None:
    """(path, name) of the post's categories from their embedded term objects' ``link``
    (None without ``_embed``); a term whose link is not a category archive is left out."""
    groups = _embedded(post, "wp:term")
    if not groups:
        return None
    out: dict[str, str] = {}
    for group in groups:
        for t in group if isinstance(group, list) else ():
            if isinstance(t, dict) and t.get("taxonomy") == "category":
                path = term_path(str(t.get("link") or ""))
                if path and path not in out:
                    out[path] = html.unescape(str(t.get("name") or ""))
    return list(out.items())


def synthetic_page(post: dict[str, Any]) -> str:
    """The post as the HTML page the body and head rules read."""
    head = post.get("yoast_head") if isinstance(post.get("yoast_head"), str) else ""
    link = html.escape(str(post.get("link") or ""), quote=True)
    if not head and link:
        head = f'<link rel="canonical" href="{link}" />'
    title = (post.get("title") or {}).get("rendered", "") if isinstance(
        post.get("title"), dict) else ""
    content = (post.get("content") or {}).get("rendered", "") if isinstance(
        post.get("content"), dict) else ""
    pid = int(post.get("id") or 0)
    return (f"<!DOCTYPE html><html><head>{head}</head>"
            f'<body class="single single-post postid-{pid}">'
            f'<article id="post-{pid}" class="post-{pid} post type-post hentry">'
            f'<h1 class="entry-title">{title}</h1>'
            f'<div class="entry-content">{content}</div></article></body></html>')


def parse_api_post(post: dict[str, Any]) -> ArticlePage:
    """One REST API post object as an :class:`ArticlePage` (sources ``api``)."""
    url = str(post.get("link") or "")
    page = parse_article(Selector(text=synthetic_page(post)), url)
    fields = dict(page.fields)
    if isinstance(post.get("id"), int):
        fields["post_id"] = post["id"]
    fields["title"] = _rendered(post.get("title")) or fields["title"]
    fields["published_at"] = _gmt(post.get("date_gmt")) or fields["published_at"]
    fields["modified_at"] = _gmt(post.get("modified_gmt")) or fields["modified_at"]
    authors = [html.unescape(a["name"]) for a in _embedded(post, "author")
               if isinstance(a, dict) and a.get("name")]
    # core has one author per post; a co-author plugin's byline reaches the API only in
    # the SEO block's graph: that list wins when it names the post's author too
    if authors and not set(authors) <= set(fields["authors"] or []):
        fields["authors"] = authors
    for name, taxonomy in (("categories", "category"), ("tags", "post_tag")):
        names = _terms(post, taxonomy)
        if names is not None:
            fields[name] = names
    terms = _category_terms(post)
    if terms is not None:
        fields["category_paths"] = [path for path, _ in terms]
        fields["category_path_names"] = [name for _, name in terms]
    media = [m.get("source_url") for m in _embedded(post, "wp:featuredmedia")
             if isinstance(m, dict) and m.get("source_url")]
    fields["image_url"] = media[0] if media else fields["image_url"]
    sources = {name: NONE if is_empty(value) else API for name, value in fields.items()}
    return ArticlePage(fields, sources, page.flags, page.body_check, page.body_suspicion)


__all__ = ["parse_api_post", "synthetic_page"]
