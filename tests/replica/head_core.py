"""The <head> of a WordPress site with no SEO plugin: only what core's wp_head() prints.

No meta description, no OpenGraph, no JSON-LD. Core's document title joins its parts with an
en dash (``&#8211;``); rel=canonical and the shortlink are printed on singular pages only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from .head import WP_VERSION, term_feed_link, term_json_link
from .htmlutil import esc, texturize
from .model import SITE_NAME, Post

if TYPE_CHECKING:
    from .content import Archive, SiteContent

SEP = " &#8211; "


def _top(title_html: str) -> list[str]:
    return [
        '<meta charset="UTF-8" />',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />',
        "<meta name='robots' content='max-image-preview:large' />",
        f"<title>{title_html}</title>",
        "<link rel='dns-prefetch' href='//stats.wp.com' />",
    ]


def _feeds(base: str, extra: list[str]) -> list[str]:
    return [
        f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" '
        f'href="{base}/feed/" />',
        f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Comments '
        f'Feed" href="{base}/comments/feed/" />',
        *extra,
    ]


def _middle(base: str, rest_links: list[str]) -> list[str]:
    return [
        f"<link rel='stylesheet' id='wp-block-library-css' href='{base}/wp-includes/css/dist/"
        f"block-library/style.min.css?ver={WP_VERSION}' media='all' />",
        f'<script src="{base}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js">'
        "</script>",
        f'<link rel="https://api.w.org/" href="{base}/wp-json/" />',
        *rest_links,
        f'<link rel="EditURI" type="application/rsd+xml" title="RSD" '
        f'href="{base}/xmlrpc.php?rsd" />',
        f'<meta name="generator" content="WordPress {WP_VERSION}" />',
    ]


def article_head(site: SiteContent, post: Post, base: str) -> str:
    """wp_head() of a single post."""
    url = f"{base}/{post.slug}/"
    enc = quote(url, safe="")
    lines = _top(f"{texturize(post.title)}{SEP}{SITE_NAME}")
    lines += _feeds(
        base,
        [
            f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; '
            f'{texturize(post.title)} Comments Feed" href="{url}feed/" />'
        ],
    )
    lines += _middle(
        base,
        [
            f'<link rel="alternate" title="JSON" type="application/json" '
            f'href="{base}/wp-json/wp/v2/posts/{post.post_id}" />'
        ],
    )
    lines += [
        f'<link rel="canonical" href="{url}" />',
        f"<link rel='shortlink' href='{base}/?p={post.post_id}' />",
        f'<link rel="alternate" title="oEmbed (JSON)" type="application/json+oembed" '
        f'href="{base}/wp-json/oembed/1.0/embed?url={enc}" />',
        f'<link rel="alternate" title="oEmbed (XML)" type="text/xml+oembed" '
        f'href="{base}/wp-json/oembed/1.0/embed?url={enc}&#038;format=xml" />',
    ]
    return "\n".join(lines)


def archive_head(
    archive: Archive,
    page: int,
    pages: int,
    base: str,
    kind: str,
    term_id: int | None,
    description: str | None = None,
) -> str:
    """wp_head() of an archive: document title only, no canonical, feeds per archive type."""
    paged = f"{SEP}Page {page}" if page > 1 else ""
    if kind == "home":
        tagline = "News and analysis from Central Asia"
        title = f"{SITE_NAME}{paged}" if page > 1 else f"{SITE_NAME}{SEP}{tagline}"
    else:
        title = f"{texturize(archive.title)}{paged}{SEP}{SITE_NAME}"
    feeds = []
    if kind in ("category", "tag"):
        feeds.append(term_feed_link(base, archive, kind))
    elif kind == "author":
        feeds.append(
            f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Posts '
            f'by {esc(archive.title)} Feed" href="{base}{archive.path}feed/" />'
        )
    rest = []
    if kind in ("category", "tag") and term_id is not None:
        rest.append(term_json_link(base, kind, term_id))
    lines = _top(title) + _feeds(base, feeds) + _middle(base, rest)
    return "\n".join(lines)


def notfound_head(base: str) -> str:
    """wp_head() of the 404 page."""
    lines = _top(f"Page not found{SEP}{SITE_NAME}") + _feeds(base, []) + _middle(base, [])
    return "\n".join(lines)
