"""The <head> WordPress core + Yoast SEO emit: title, meta, OpenGraph, JSON-LD, link rels."""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

from .htmlutil import attr, esc, iso_utc, json_ld, texturize
from .model import SITE_NAME, Post

if TYPE_CHECKING:
    from .content import Archive, SiteContent

YOAST_VERSION = "23.9"
WP_VERSION = "6.7.1"


def person_id(base: str, slug: str) -> str:
    """Yoast's Person @id: site URL + /#/schema/person/ + md5 hash."""
    return f"{base}/#/schema/person/{hashlib.md5(slug.encode()).hexdigest()}"


def _common_top(title_html: str) -> list[str]:
    return [
        '<meta charset="UTF-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="profile" href="https://gmpg.org/xfn/11">',
        "",
        f"\t<!-- This site is optimized with the Yoast SEO plugin v{YOAST_VERSION} - "
        "https://yoast.com/wordpress/plugins/seo/ -->",
        f"\t<title>{title_html}</title>",
    ]


def _common_bottom(base: str, extra_links: list[str]) -> list[str]:
    return [
        "\t<!-- / Yoast SEO plugin. -->",
        "",
        "",
        "<link rel='dns-prefetch' href='//stats.wp.com' />",
        f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" '
        f'href="{base}/feed/" />',
        f"<link rel='stylesheet' id='wp-block-library-css' href='{base}/wp-includes/css/dist/"
        f"block-library/style.min.css?ver={WP_VERSION}' media='all' />",
        f"<link rel='stylesheet' id='jetpack_css-css' href='{base}/wp-content/plugins/jetpack/css/"
        "jetpack.css?ver=14.1' media='all' />",
        f'<script src="{base}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js">'
        "</script>",
        f'<link rel="https://api.w.org/" href="{base}/wp-json/" />',
        *extra_links,
        f'<link rel="EditURI" type="application/rsd+xml" title="RSD" '
        f'href="{base}/xmlrpc.php?rsd" />',
        f'<meta name="generator" content="WordPress {WP_VERSION}" />',
    ]


def _website_org(base: str) -> list[dict[str, object]]:
    return [
        {
            "@type": "WebSite",
            "@id": f"{base}/#website",
            "url": f"{base}/",
            "name": SITE_NAME,
            "description": "News and analysis from Central Asia",
            "publisher": {"@id": f"{base}/#organization"},
            "potentialAction": [
                {
                    "@type": "SearchAction",
                    "target": {
                        "@type": "EntryPoint",
                        "urlTemplate": f"{base}/?s={{search_term_string}}",
                    },
                    "query-input": {
                        "@type": "PropertyValueSpecification",
                        "valueRequired": True,
                        "valueName": "search_term_string",
                    },
                }
            ],
            "inLanguage": "en-US",
        },
        {
            "@type": "Organization",
            "@id": f"{base}/#organization",
            "name": SITE_NAME,
            "url": f"{base}/",
            "logo": {
                "@type": "ImageObject",
                "inLanguage": "en-US",
                "@id": f"{base}/#/schema/logo/image/",
                "url": f"{base}/wp-content/uploads/2023/05/tca-logo.png",
                "contentUrl": f"{base}/wp-content/uploads/2023/05/tca-logo.png",
                "width": 600,
                "height": 120,
                "caption": SITE_NAME,
            },
            "image": {"@id": f"{base}/#/schema/logo/image/"},
            "sameAs": ["https://www.facebook.com/TimesCA", "https://x.com/TimesCA"],
        },
    ]


def reading_time(words: int) -> str:
    """Yoast's 'Est. reading time' value."""
    minutes = max(1, math.ceil(words / 200))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def article_head(site: SiteContent, post: Post, base: str) -> str:
    """Full Yoast head of a single post."""
    url = f"{base}/{post.slug}/"
    title = post.title
    summary = site.summary(post)
    words = len(" ".join(site.clean_paragraphs(post)).split())
    authors = [site.authors[a] for a in post.authors]
    cat_names = [site.categories[c].name for c in post.categories]
    tag_names = [site.tags[t].name for t in post.tags]
    img = f"{base}{post.image_path}" if post.image_path else None
    lines = _common_top(f"{texturize(title)} - {SITE_NAME}")
    lines += [
        f'\t<meta name="description" content="{attr(summary)}" />',
        '\t<meta name="robots" content="index, follow, max-image-preview:large, '
        'max-snippet:-1, max-video-preview:-1" />',
        f'\t<link rel="canonical" href="{url}" />',
        '\t<meta property="og:locale" content="en_US" />',
        '\t<meta property="og:type" content="article" />',
        f'\t<meta property="og:title" content="{attr(title)} - {SITE_NAME}" />',
        f'\t<meta property="og:description" content="{attr(summary)}" />',
        f'\t<meta property="og:url" content="{url}" />',
        f'\t<meta property="og:site_name" content="{SITE_NAME}" />',
        '\t<meta property="article:publisher" content="https://www.facebook.com/TimesCA" />',
        f'\t<meta property="article:published_time" content="{iso_utc(post.published)}" />',
    ]
    if post.modified != post.published:
        lines.append(
            f'\t<meta property="article:modified_time" content="{iso_utc(post.modified)}" />'
        )
    if img:
        lines += [
            f'\t<meta property="og:image" content="{img}" />',
            f'\t<meta property="og:image:width" content="{post.image_w}" />',
            f'\t<meta property="og:image:height" content="{post.image_h}" />',
            '\t<meta property="og:image:type" content="image/jpeg" />',
        ]
    names = ", ".join(a.name for a in authors)
    lines += [
        f'\t<meta name="author" content="{attr(names)}" />',
        '\t<meta name="twitter:card" content="summary_large_image" />',
        '\t<meta name="twitter:creator" content="@TimesCA" />',
        '\t<meta name="twitter:site" content="@TimesCA" />',
        '\t<meta name="twitter:label1" content="Written by" />',
        f'\t<meta name="twitter:data1" content="{attr(names)}" />',
        '\t<meta name="twitter:label2" content="Est. reading time" />',
        f'\t<meta name="twitter:data2" content="{reading_time(words)}" />',
    ]
    author_refs = [{"name": a.name, "@id": person_id(base, a.slug)} for a in authors]
    article: dict[str, object] = {
        "@type": ["Article", "NewsArticle"],
        "@id": f"{url}#article",
        "isPartOf": {"@id": url},
        "author": author_refs[0] if len(author_refs) == 1 else author_refs,
        "headline": texturize(title).replace("&amp;", "&#038;"),
        "datePublished": iso_utc(post.published),
        "dateModified": iso_utc(post.modified),
        "mainEntityOfPage": {"@id": url},
        "wordCount": words,
        "commentCount": 0,
        "publisher": {"@id": f"{base}/#organization"},
    }
    if img:
        article["image"] = {"@id": f"{url}#primaryimage"}
        article["thumbnailUrl"] = img
    if tag_names:
        article["keywords"] = tag_names
    article["articleSection"] = cat_names
    article["inLanguage"] = "en-US"
    webpage: dict[str, object] = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": f"{title} - {SITE_NAME}",
        "isPartOf": {"@id": f"{base}/#website"},
    }
    if img:
        webpage["primaryImageOfPage"] = {"@id": f"{url}#primaryimage"}
        webpage["image"] = {"@id": f"{url}#primaryimage"}
        webpage["thumbnailUrl"] = img
    webpage.update(
        {
            "datePublished": iso_utc(post.published),
            "dateModified": iso_utc(post.modified),
            "description": summary,
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
            "inLanguage": "en-US",
            "potentialAction": [{"@type": "ReadAction", "target": [url]}],
        }
    )
    first_cat = site.categories[post.categories[0]]
    graph: list[dict[str, object]] = [article, webpage]
    if img:
        graph.append(
            {
                "@type": "ImageObject",
                "inLanguage": "en-US",
                "@id": f"{url}#primaryimage",
                "url": img,
                "contentUrl": img,
                "width": post.image_w,
                "height": post.image_h,
                "caption": f"Illustrative image: {first_cat.name}",
            }
        )
    graph.append(
        {
            "@type": "BreadcrumbList",
            "@id": f"{url}#breadcrumb",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{base}/"},
                {
                    "@type": "ListItem",
                    "position": 2,
                    "name": first_cat.name,
                    "item": f"{base}/category/{first_cat.path}/",
                },
                {"@type": "ListItem", "position": 3, "name": title},
            ],
        }
    )
    graph += _website_org(base)
    for a in authors:
        graph.append(
            {
                "@type": "Person",
                "@id": person_id(base, a.slug),
                "name": a.name,
                "image": {
                    "@type": "ImageObject",
                    "inLanguage": "en-US",
                    "@id": f"{base}/#/schema/person/image/{a.slug}",
                    "url": f"{base}/wp-content/uploads/avatars/{a.user_id}.jpg",
                    "contentUrl": f"{base}/wp-content/uploads/avatars/{a.user_id}.jpg",
                    "caption": a.name,
                },
                "description": a.bio,
                "url": f"{base}/author/{a.slug}/",
            }
        )
    lines.append(
        '\t<script type="application/ld+json" class="yoast-schema-graph">'
        + json_ld({"@context": "https://schema.org", "@graph": graph})
        + "</script>"
    )
    extra = [
        f'<link rel="alternate" title="JSON" type="application/json" '
        f'href="{base}/wp-json/wp/v2/posts/{post.post_id}" />',
        f"<link rel='shortlink' href='{base}/?p={post.post_id}' />",
    ]
    return "\n".join(lines + _common_bottom(base, extra))


def archive_head(
    archive: Archive,
    page: int,
    pages: int,
    base: str,
    kind: str,
    term_id: int | None,
    description: str | None = None,
) -> str:
    """Yoast head of an archive page (category, tag, author, /latest/ page or home)."""
    page_suffix = f"page/{page}/" if page > 1 else ""
    url = f"{base}{archive.path}{page_suffix}"
    if kind == "home":
        name = f"{SITE_NAME} - News and analysis from Central Asia"
        if page > 1:
            name = f"{SITE_NAME} - Page {page} of {pages} - News and analysis from Central Asia"
    else:
        label = {
            "category": f"{archive.title} Archives",
            "tag": f"{archive.title} Archives",
            "author": f"{archive.title}, Author at {SITE_NAME}",
        }.get(kind, archive.title)
        if kind == "author":
            name = (
                label
                if page == 1
                else label.replace(", Author", f", Author - Page {page} of {pages}")
            )
            name = name.replace(f" at {SITE_NAME}", f" at {SITE_NAME}") if page == 1 else name
        else:
            name = label + (f" - Page {page} of {pages}" if page > 1 else "") + f" - {SITE_NAME}"
    robots = (
        "index, follow, max-snippet:-1, max-image-preview:large, max-video-preview:-1"
        if kind != "author" or page == 1
        else "noindex, follow"
    )
    lines = _common_top(texturize(name))
    if description:
        lines.append(f'\t<meta name="description" content="{attr(description)}" />')
    lines += [
        f'\t<meta name="robots" content="{robots}" />',
        f'\t<link rel="canonical" href="{url}" />',
    ]
    if page > 1:
        prev = f"{base}{archive.path}" + (f"page/{page - 1}/" if page > 2 else "")
        lines.append(f'\t<link rel="prev" href="{prev}" />')
    if page < pages:
        lines.append(f'\t<link rel="next" href="{base}{archive.path}page/{page + 1}/" />')
    og_type = "website" if kind == "home" else ("profile" if kind == "author" else "article")
    lines += [
        '\t<meta property="og:locale" content="en_US" />',
        f'\t<meta property="og:type" content="{og_type}" />',
        f'\t<meta property="og:title" content="{attr(name)}" />',
        f'\t<meta property="og:url" content="{url}" />',
        f'\t<meta property="og:site_name" content="{SITE_NAME}" />',
        '\t<meta name="twitter:card" content="summary_large_image" />',
        '\t<meta name="twitter:site" content="@TimesCA" />',
    ]
    page_type = "ProfilePage" if kind == "author" else "CollectionPage"
    crumbs: list[dict[str, object]] = [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{base}/"}
    ]
    if kind != "home":
        crumbs.append({"@type": "ListItem", "position": 2, "name": archive.title})
    graph: list[dict[str, object]] = [
        {
            "@type": page_type,
            "@id": url,
            "url": url,
            "name": name,
            "isPartOf": {"@id": f"{base}/#website"},
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
            "inLanguage": "en-US",
        },
        {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": crumbs},
        *_website_org(base),
    ]
    lines.append(
        '\t<script type="application/ld+json" class="yoast-schema-graph">'
        + json_ld({"@context": "https://schema.org", "@graph": graph})
        + "</script>"
    )
    extra = []
    if kind in ("category", "tag") and term_id is not None:
        extra += [term_json_link(base, kind, term_id), term_feed_link(base, archive, kind)]
    return "\n".join(lines + _common_bottom(base, extra))


def notfound_head(base: str) -> str:
    """Yoast head of the 404 page."""
    title = f"Page not found - {SITE_NAME}"
    lines = _common_top(title)
    lines += [
        '\t<meta name="robots" content="noindex, follow" />',
        '\t<meta property="og:locale" content="en_US" />',
        f'\t<meta property="og:title" content="{title}" />',
        f'\t<meta property="og:site_name" content="{SITE_NAME}" />',
        '\t<script type="application/ld+json" class="yoast-schema-graph">'
        + json_ld({"@context": "https://schema.org", "@graph": _website_org(base)})
        + "</script>",
    ]
    return "\n".join(lines + _common_bottom(base, []))


def term_json_link(base: str, kind: str, term_id: int) -> str:
    """WordPress core's REST alternate of a category or tag archive."""
    rest = "categories" if kind == "category" else "tags"
    return (f'<link rel="alternate" title="JSON" type="application/json" '
            f'href="{base}/wp-json/wp/v2/{rest}/{term_id}" />')


def term_feed_link(base: str, archive: Archive, kind: str) -> str:
    """WordPress core's RSS alternate of a category or tag archive."""
    label = "Category" if kind == "category" else "Tag"
    return (f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; '
            f'{esc(archive.title)} {label} Feed" href="{base}{archive.path}feed/" />')
