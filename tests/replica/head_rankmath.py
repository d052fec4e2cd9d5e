"""The <head> Rank Math SEO prints (free plugin, default settings, schema type NewsArticle).

Differences from Yoast that matter to a parser, all as the real plugin does them:
- dates (article:published_time, og:updated_time, JSON-LD) carry the site offset (+05:00),
  not UTC;
- titles follow the default template "%title% %sep% %sitename%", so og:title, twitter:title,
  the article's "headline" and "name" all end in " - The Times Of Central Asia";
- the article's "author" is the single WordPress post author ({"@id": ..., "name": ...}); a
  co-author shown in the byline does not appear in the schema;
- "keywords" is the Rank Math focus keyword list (a comma-separated string, lower case), which
  is not the post's tags;
- "articleSection" is %primary_taxonomy_terms%: the category names as one comma-separated
  string in wp_get_object_terms() order (alphabetical by name), not the post's own order;
- the page's @graph holds Organization, WebSite, ImageObject, BreadcrumbList, WebPage, Person
  and the NewsArticle (@id ending in #richSnippet).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from .head import WP_VERSION, reading_time, term_feed_link, term_json_link
from .htmlutil import attr, iso, json_ld, texturize
from .model import SITE_NAME, Post

if TYPE_CHECKING:
    from .content import Archive, SiteContent

RANK_MATH_VERSION = "1.0.235"
SEP = " - "


def _top(title_html: str) -> list[str]:
    return [
        '<meta charset="UTF-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "",
        "<!-- Search Engine Optimization by Rank Math - https://rankmath.com/ -->",
        f"<title>{title_html}</title>",
    ]


def _bottom(base: str, extra: list[str]) -> list[str]:
    return [
        "<!-- /Rank Math WordPress SEO plugin -->",
        "",
        "<link rel='dns-prefetch' href='//stats.wp.com' />",
        f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" '
        f'href="{base}/feed/" />',
        f"<link rel='stylesheet' id='wp-block-library-css' href='{base}/wp-includes/css/dist/"
        f"block-library/style.min.css?ver={WP_VERSION}' media='all' />",
        f'<script src="{base}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js">'
        "</script>",
        f'<link rel="https://api.w.org/" href="{base}/wp-json/" />',
        *extra,
        f'<link rel="EditURI" type="application/rsd+xml" title="RSD" '
        f'href="{base}/xmlrpc.php?rsd" />',
        f'<meta name="generator" content="WordPress {WP_VERSION}" />',
    ]


def _org_site(base: str) -> list[dict[str, object]]:
    return [
        {
            "@type": "Organization",
            "@id": f"{base}/#organization",
            "name": SITE_NAME,
            "sameAs": ["https://www.facebook.com/TimesCA", "https://twitter.com/TimesCA"],
            "logo": {
                "@type": "ImageObject",
                "@id": f"{base}/#logo",
                "url": f"{base}/wp-content/uploads/2023/05/tca-logo.png",
                "contentUrl": f"{base}/wp-content/uploads/2023/05/tca-logo.png",
                "caption": SITE_NAME,
                "inLanguage": "en-US",
                "width": "600",
                "height": "120",
            },
        },
        {
            "@type": "WebSite",
            "@id": f"{base}/#website",
            "url": base,
            "name": SITE_NAME,
            "alternateName": "TCA",
            "publisher": {"@id": f"{base}/#organization"},
            "inLanguage": "en-US",
        },
    ]


def focus_keywords(site: SiteContent, post: Post) -> list[str]:
    """The post's Rank Math focus keywords (editor-chosen phrases; not its tags)."""
    country = site.categories[post.country or post.categories[0]].name.lower()
    words = [w for w in post.title.lower().split() if w.isalpha() and len(w) > 4][:2]
    return [country, " ".join([country, *words])] if words else [country]


def article_head(site: SiteContent, post: Post, base: str) -> str:
    """Rank Math head of a single post."""
    url = f"{base}/{post.slug}/"
    seo_title = f"{post.title}{SEP}{SITE_NAME}"
    summary = site.summary(post)
    words = len(" ".join(site.clean_paragraphs(post)).split())
    authors = [site.authors[a] for a in post.authors]
    author = authors[0]
    cats = [site.categories[c] for c in post.categories]
    tag_names = [site.tags[t].name for t in post.tags]
    img = f"{base}{post.image_path}" if post.image_path else None
    pub, mod = iso(post.published), iso(post.modified)
    lines = _top(f"{texturize(post.title)}{SEP}{SITE_NAME}")
    lines += [
        f'<meta name="description" content="{attr(summary)}"/>',
        '<meta name="robots" content="follow, index, max-snippet:-1, max-video-preview:-1, '
        'max-image-preview:large"/>',
        f'<link rel="canonical" href="{url}" />',
        '<meta property="og:locale" content="en_US" />',
        '<meta property="og:type" content="article" />',
        f'<meta property="og:title" content="{attr(seo_title)}" />',
        f'<meta property="og:description" content="{attr(summary)}" />',
        f'<meta property="og:url" content="{url}" />',
        f'<meta property="og:site_name" content="{SITE_NAME}" />',
        '<meta property="article:publisher" content="https://www.facebook.com/TimesCA" />',
    ]
    lines += [f'<meta property="article:tag" content="{attr(t)}" />' for t in tag_names]
    lines.append(f'<meta property="article:section" content="{attr(cats[0].name)}" />')
    if mod != pub:
        lines.append(f'<meta property="og:updated_time" content="{mod}" />')
    if img:
        lines += [
            f'<meta property="og:image" content="{img}" />',
            f'<meta property="og:image:secure_url" content="{img}" />',
            f'<meta property="og:image:width" content="{post.image_w}" />',
            f'<meta property="og:image:height" content="{post.image_h}" />',
            f'<meta property="og:image:alt" content="{attr(post.title)}" />',
            '<meta property="og:image:type" content="image/jpeg" />',
        ]
    lines.append(f'<meta property="article:published_time" content="{pub}" />')
    if mod != pub:
        lines.append(f'<meta property="article:modified_time" content="{mod}" />')
    lines += [
        '<meta name="twitter:card" content="summary_large_image" />',
        f'<meta name="twitter:title" content="{attr(seo_title)}" />',
        f'<meta name="twitter:description" content="{attr(summary)}" />',
        '<meta name="twitter:site" content="@TimesCA" />',
        '<meta name="twitter:creator" content="@TimesCA" />',
    ]
    if img:
        lines.append(f'<meta name="twitter:image" content="{img}" />')
    lines += [
        '<meta name="twitter:label1" content="Written by" />',
        f'<meta name="twitter:data1" content="{attr(author.name)}" />',
        '<meta name="twitter:label2" content="Time to read" />',
        f'<meta name="twitter:data2" content="{reading_time(words)}" />',
    ]
    person_url = f"{base}/author/{author.slug}/"
    webpage_id = f"{url}#webpage"
    graph: list[dict[str, object]] = _org_site(base)
    if img:
        graph.append(
            {
                "@type": "ImageObject",
                "@id": img,
                "url": img,
                "width": str(post.image_w),
                "height": str(post.image_h),
                "caption": post.title,
                "inLanguage": "en-US",
            }
        )
    first = cats[0]
    crumbs: list[dict[str, object]] = [
        {"@type": "ListItem", "position": "1", "item": {"@id": base, "name": "Home"}},
    ]
    if first.parent:
        parent = site.categories[first.parent]
        crumbs.append(
            {
                "@type": "ListItem",
                "position": str(len(crumbs) + 1),
                "item": {"@id": f"{base}/category/{parent.path}/", "name": parent.name},
            }
        )
    crumbs.append(
        {
            "@type": "ListItem",
            "position": str(len(crumbs) + 1),
            "item": {"@id": f"{base}/category/{first.path}/", "name": first.name},
        }
    )
    crumbs.append(
        {
            "@type": "ListItem",
            "position": str(len(crumbs) + 1),
            "item": {"@id": url, "name": post.title},
        }
    )
    graph.append({"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": crumbs})
    webpage: dict[str, object] = {
        "@type": "WebPage",
        "@id": webpage_id,
        "url": url,
        "name": seo_title,
        "datePublished": pub,
        "dateModified": mod,
        "isPartOf": {"@id": f"{base}/#website"},
    }
    if img:
        webpage["primaryImageOfPage"] = {"@id": img}
    webpage.update({"inLanguage": "en-US", "breadcrumb": {"@id": f"{url}#breadcrumb"}})
    graph.append(webpage)
    avatar = hashlib.md5(author.slug.encode()).hexdigest()
    graph.append(
        {
            "@type": "Person",
            "@id": person_url,
            "name": author.name,
            "url": person_url,
            "image": {
                "@type": "ImageObject",
                "@id": f"https://secure.gravatar.com/avatar/{avatar}?s=96&d=mm&r=g",
                "url": f"https://secure.gravatar.com/avatar/{avatar}?s=96&d=mm&r=g",
                "caption": author.name,
                "inLanguage": "en-US",
            },
            "worksFor": {"@id": f"{base}/#organization"},
        }
    )
    article: dict[str, object] = {
        "@type": "NewsArticle",
        "headline": seo_title,
        "keywords": ",".join(focus_keywords(site, post)),
        "datePublished": pub,
        "dateModified": mod,
        "articleSection": ", ".join(sorted(c.name for c in cats)),
        "author": {"@id": person_url, "name": author.name},
        "publisher": {"@id": f"{base}/#organization"},
        "description": summary,
        "name": seo_title,
        "@id": f"{url}#richSnippet",
        "isPartOf": {"@id": webpage_id},
    }
    if img:
        article["image"] = {"@id": img}
    article.update({"inLanguage": "en-US", "mainEntityOfPage": {"@id": webpage_id}})
    graph.append(article)
    lines.append(
        '<script type="application/ld+json" class="rank-math-schema">'
        + json_ld({"@context": "https://schema.org", "@graph": graph})
        + "</script>"
    )
    extra = [
        f'<link rel="alternate" title="JSON" type="application/json" '
        f'href="{base}/wp-json/wp/v2/posts/{post.post_id}" />',
        f"<link rel='shortlink' href='{base}/?p={post.post_id}' />",
    ]
    return "\n".join(lines + _bottom(base, extra))


def archive_head(
    archive: Archive,
    page: int,
    pages: int,
    base: str,
    kind: str,
    term_id: int | None,
    description: str | None = None,
) -> str:
    """Rank Math head of an archive page (CollectionPage / ProfilePage)."""
    suffix = f"page/{page}/" if page > 1 else ""
    url = f"{base}{archive.path}{suffix}"
    paged = f" - Page {page} of {pages}" if page > 1 else ""
    if kind == "home":
        name = f"{SITE_NAME}{paged}{SEP}News and analysis from Central Asia"
    elif kind in ("category", "tag"):
        name = f"{archive.title} Archives{paged}{SEP}{SITE_NAME}"
    else:
        name = f"{archive.title}{paged}{SEP}{SITE_NAME}"
    lines = _top(texturize(name))
    if description:
        lines.append(f'<meta name="description" content="{attr(description)}"/>')
    robots = "index, follow" if kind != "author" else "follow, noindex"
    lines += [
        f'<meta name="robots" content="{robots}, max-snippet:-1, max-video-preview:-1, '
        'max-image-preview:large"/>',
        f'<link rel="canonical" href="{url}" />',
    ]
    if page > 1:
        prev = f"{base}{archive.path}" + (f"page/{page - 1}/" if page > 2 else "")
        lines.append(f'<link rel="prev" href="{prev}" />')
    if page < pages:
        lines.append(f'<link rel="next" href="{base}{archive.path}page/{page + 1}/" />')
    lines += [
        '<meta property="og:locale" content="en_US" />',
        f'<meta property="og:type" content="{"profile" if kind == "author" else "website"}" />',
        f'<meta property="og:title" content="{attr(name)}" />',
        f'<meta property="og:url" content="{url}" />',
        f'<meta property="og:site_name" content="{SITE_NAME}" />',
        '<meta name="twitter:card" content="summary_large_image" />',
        f'<meta name="twitter:title" content="{attr(name)}" />',
        '<meta name="twitter:site" content="@TimesCA" />',
    ]
    crumbs: list[dict[str, object]] = [
        {"@type": "ListItem", "position": "1", "item": {"@id": base, "name": "Home"}}
    ]
    if kind != "home":
        crumbs.append(
            {
                "@type": "ListItem",
                "position": "2",
                "item": {"@id": f"{base}{archive.path}", "name": archive.title},
            }
        )
    graph: list[dict[str, object]] = [
        *_org_site(base),
        {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": crumbs},
        {
            "@type": "ProfilePage" if kind == "author" else "CollectionPage",
            "@id": f"{url}#webpage",
            "url": url,
            "name": name,
            "isPartOf": {"@id": f"{base}/#website"},
            "inLanguage": "en-US",
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
        },
    ]
    lines.append(
        '<script type="application/ld+json" class="rank-math-schema">'
        + json_ld({"@context": "https://schema.org", "@graph": graph})
        + "</script>"
    )
    extra = []
    if kind in ("category", "tag") and term_id is not None:
        extra += [term_json_link(base, kind, term_id), term_feed_link(base, archive, kind)]
    return "\n".join(lines + _bottom(base, extra))


def notfound_head(base: str) -> str:
    """Rank Math head of the 404 page."""
    title = f"Page Not Found{SEP}{SITE_NAME}"
    lines = _top(title)
    lines += [
        '<meta name="robots" content="follow, noindex"/>',
        '<meta property="og:locale" content="en_US" />',
        '<meta property="og:type" content="article" />',
        f'<meta property="og:title" content="{title}" />',
        f'<meta property="og:site_name" content="{SITE_NAME}" />',
        '<script type="application/ld+json" class="rank-math-schema">'
        + json_ld({"@context": "https://schema.org", "@graph": _org_site(base)})
        + "</script>",
    ]
    return "\n".join(lines + _bottom(base, []))
