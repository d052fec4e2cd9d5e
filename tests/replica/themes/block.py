"""Block theme markup (Twenty Twenty-Four / Twenty Twenty-Five style full-site editing).

Holdout theme: div.wp-site-blocks, header/footer template parts, main.wp-block-group, query
loops as ul.wp-block-post-template > li.wp-block-post, core/query-pagination (no
a.next.page-numbers), post-date blocks with time[datetime], post-terms blocks whose links carry
rel="tag" for categories as well as tags, and a "More posts" query loop under every single post.
"""

from __future__ import annotations

from ..htmlutil import attr, esc, texturize
from ..model import SITE_NAME
from ..rates import HeaderSpec
from ..views import ArchiveView, ArticleView, Link, SidebarView

SHARE_TOP = False
NAME = "block"
EXCERPT_WORDS = 55
CONTENT_STYLE = "jetpack"

_FLEX = "is-layout-flex wp-block-group-is-layout-flex"
_CONSTRAINED = "is-layout-constrained wp-block-group-is-layout-constrained"


def _ticker(spec: HeaderSpec) -> str:
    """A CSS marquee: one div per pair, the code in <b>."""
    if not spec.quotes:
        return ""
    tracks = []
    for k in range(spec.copies):
        items = "".join(
            f'<div class="tca-fx-item tca-fx-{q.direction}"><b>{q.base}/{q.quote}</b> = '
            f'{q.rate_text} <span class="tca-fx-change">{q.change_text}</span></div>'
            for q in spec.quotes
        )
        hidden = ' aria-hidden="true"' if k else ""
        tracks.append(f'<div class="tca-fx-track"{hidden}>{items}</div>')
    return (
        '<div class="wp-block-group alignfull tca-fx-marquee has-small-font-size '
        f'{_FLEX}" style="overflow:hidden;white-space:nowrap">' + "".join(tracks) + "</div>"
    )


def _nav(base: str) -> str:
    items = "".join(
        f'<li class=" wp-block-navigation-item wp-block-navigation-link"><a '
        f'class="wp-block-navigation-item__content" href="{base}{path}"><span '
        f'class="wp-block-navigation-item__label">{name}</span></a></li>'
        for name, path in (
            ("Kazakhstan", "/category/kazakhstan/"),
            ("Kyrgyzstan", "/category/kyrgyzstan/"),
            ("Tajikistan", "/category/tajikistan/"),
            ("Turkmenistan", "/category/turkmenistan/"),
            ("Uzbekistan", "/category/uzbekistan/"),
            ("Latest", "/latest/"),
        )
    )
    return (
        '<nav class="is-responsive items-justified-right wp-block-navigation '
        'is-content-justification-right is-layout-flex wp-container-core-navigation-is-layout-1 '
        'wp-block-navigation-is-layout-flex" aria-label="Main menu"><ul '
        'class="wp-block-navigation__container is-responsive items-justified-right '
        f'wp-block-navigation">{items}</ul></nav>'
    )


def _header(spec: HeaderSpec, base: str) -> str:
    date = ""
    if spec.dateline:
        date = (
            '<p class="has-text-align-right tca-today has-small-font-size">'
            f"{spec.dateline}</p>"
        )
        if spec.uncategorized:
            date += '<p class="has-text-align-right tca-today-term">Uncategorized</p>'
    return (
        '<header class="wp-block-template-part">'
        f"{_ticker(spec)}"
        f'<div class="wp-block-group alignwide {_FLEX}" style="padding-top:var(--wp--preset--'
        'spacing--30);padding-bottom:var(--wp--preset--spacing--30)">'
        f'<p class="wp-block-site-title"><a href="{base}" target="_self" rel="home">{SITE_NAME}'
        f"</a></p>{_nav(base)}</div>"
        f'<div class="wp-block-group alignwide tca-header-meta {_FLEX}">{date}</div>'
        "</header>"
    )


def _sidebar(side: SidebarView) -> str:
    def latest(title: str, links: list[Link]) -> str:
        lis = "".join(
            f'<li><a class="wp-block-latest-posts__post-title" href="{u}">{texturize(t)}</a></li>'
            for t, u in links
        )
        return (
            f'<h2 class="wp-block-heading has-medium-font-size">{title}</h2>'
            f'<ul class="wp-block-latest-posts__list wp-block-latest-posts">{lis}</ul>'
        )

    return (
        '<div class="wp-block-column tca-sidebar is-layout-flow wp-block-column-is-layout-flow" '
        'style="flex-basis:33.33%">'
        + latest("Recent Posts", side.recent)
        + latest("Most Read", side.most_read)
        + "</div>"
    )


def render_page(
    head: str, body_class: str, spec: HeaderSpec, base: str, main: str, side: SidebarView
) -> str:
    """The whole document."""
    return (
        '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n' + head + "\n"
        "<style id='global-styles-inline-css'>:root{--wp--preset--spacing--30: 1.25rem;}"
        "</style>\n</head>\n"
        f'<body class="{body_class} wp-embed-responsive">\n'
        '<div class="wp-site-blocks">\n'
        + _header(spec, base)
        + "\n"
        f'<main class="wp-block-group {_CONSTRAINED}" style="margin-top:var(--wp--preset--'
        'spacing--60)">\n<div class="wp-block-columns alignwide is-layout-flex '
        'wp-block-columns-is-layout-flex"><div class="wp-block-column is-layout-flow '
        'wp-block-column-is-layout-flow" style="flex-basis:66.66%">\n'
        + main
        + "\n</div>"
        + _sidebar(side)
        + "</div>\n</main>\n"
        '<footer class="wp-block-template-part"><div class="wp-block-group alignwide '
        f'{_FLEX}"><p class="wp-block-site-title"><a href="{base}" rel="home">{SITE_NAME}</a>'
        f'</p><p><a href="{base}/latest/page/3/?catid=5&amp;id=5993">News archive</a></p>'
        '<p class="has-small-font-size">Designed with <a href="https://wordpress.org" '
        'rel="nofollow">WordPress</a></p></div></footer>\n'
        "</div>\n</body>\n</html>\n"
    )


def _terms(taxonomy: str, links: list[Link], prefix: str = "") -> str:
    if not links:
        return ""
    pre = f'<span class="wp-block-post-terms__prefix">{prefix}</span>' if prefix else ""
    inner = '<span class="wp-block-post-terms__separator">, </span>'.join(
        f'<a href="{u}" rel="tag">{texturize(n)}</a>' for n, u in links
    )
    return f'<div class="taxonomy-{taxonomy} wp-block-post-terms">{pre}{inner}</div>'


def _authors(authors: list[Link]) -> str:
    """One core/post-author-name block per (co-)author."""
    parts = [
        f'<div class="wp-block-post-author-name"><a href="{u}" target="_self" '
        f'class="wp-block-post-author-name__link">{texturize(n)}</a></div>'
        for n, u in authors
    ]
    return '<p class="tca-and">and</p>'.join(parts)


def _page_url(view: ArchiveView, n: int) -> str:
    return view.archive_url if n == 1 else f"{view.archive_url}page/{n}/"


def _pagination(view: ArchiveView) -> str:
    """core/query-pagination: previous, numbers (paginate_links, mid_size 2), next."""
    if view.pages <= 1:
        return ""
    cur, total = view.page, view.pages
    out = []
    if cur > 1:
        out.append(
            f'<a href="{_page_url(view, cur - 1)}" class="wp-block-query-pagination-previous">'
            '<span class="wp-block-query-pagination-previous-arrow is-arrow-arrow" '
            'aria-hidden="true">&larr;</span>Previous Page</a>'
        )
    nums = []
    dots = False
    for n in range(1, total + 1):
        if n == cur:
            nums.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            dots = True
        elif n <= 1 or n > total - 1 or abs(n - cur) <= 2:
            nums.append(f'<a class="page-numbers" href="{_page_url(view, n)}">{n}</a>')
            dots = True
        elif dots:
            nums.append('<span class="page-numbers dots">&hellip;</span>')
            dots = False
    out.append('<div class="wp-block-query-pagination-numbers">' + "\n".join(nums) + "</div>")
    if cur < total:
        out.append(
            f'<a href="{_page_url(view, cur + 1)}" class="wp-block-query-pagination-next">'
            'Next Page<span class="wp-block-query-pagination-next-arrow is-arrow-arrow" '
            'aria-hidden="true">&rarr;</span></a>'
        )
    return (
        '<nav class="alignwide wp-block-query-pagination is-content-justification-space-between '
        'is-layout-flex wp-block-query-pagination-is-layout-flex" aria-label="Pagination">'
        + "\n".join(out)
        + "</nav>"
    )


def archive_main(view: ArchiveView) -> str:
    """Archive template: query title, results line, query loop, pagination."""
    if view.kind == "author":
        head = (
            '<nav class="tca-breadcrumbs has-small-font-size"><span>Our People</span> &gt; '
            f"<span>{texturize(view.heading)}</span></nav>"
            f'<div class="wp-block-group tca-author {_FLEX}"><figure class="wp-block-image '
            f'is-style-rounded"><img src="{view.author_avatar}" alt="{attr(view.heading)}'
            '&#039;s Avatar" width="96" height="96" /></figure><div class="wp-block-group">'
            f'<h1 class="wp-block-query-title">Author: <span class="vcard">'
            f"{texturize(view.heading)}</span></h1>"
            f'<div class="wp-block-post-author-biography">{texturize(view.author_bio or "")}'
            "</div></div></div>"
            '<h2 class="wp-block-heading">Articles</h2>'
        )
    elif view.kind in ("category", "tag"):
        label = "Category" if view.kind == "category" else "Tag"
        head = (
            f'<h1 class="wp-block-query-title">{label}: <span>{texturize(view.heading)}</span>'
            "</h1>"
        )
    else:
        head = f'<h1 class="wp-block-heading">{texturize(view.heading)}</h1>'
    items = []
    for t in view.teasers:
        sticky = " sticky" if t.sticky else ""
        thumb = (
            f'<figure style="aspect-ratio:3/2;" class="wp-block-post-featured-image"><a '
            f'href="{t.href}" target="_self"  ><img width="1024" height="683" src="'
            f'{t.image_url}" class="attachment-post-thumbnail size-post-thumbnail wp-post-image" '
            f'alt="{attr(t.title)}" style="width:100%;height:100%;object-fit:cover;" '
            'decoding="async" loading="lazy" /></a></figure>'
            if t.image_url
            else ""
        )
        items.append(
            f'<li class="wp-block-post {t.post_class}{sticky}">'
            f'<div class="wp-block-group {_CONSTRAINED}">{thumb}'
            f'<h2 class="wp-block-post-title has-x-large-font-size"><a href="{t.href}" '
            f'target="_self" >{texturize(t.title)}</a></h2>'
            f'<div class="wp-block-post-excerpt"><p class="wp-block-post-excerpt__excerpt">'
            f"{t.excerpt_html} </p></div>"
            f'<div class="wp-block-group {_FLEX}"><div class="wp-block-post-date has-small-'
            f'font-size"><time datetime="{t.date_iso}"><a href="{t.href}">{t.date_human}</a>'
            f'</time></div>{_terms("category", t.categories)}</div></div></li>'
        )
    text, url = view.sponsored
    return "\n".join(
        [
            head,
            f'<p class="tca-results-count has-small-font-size">{view.results_text}</p>',
            '<div class="wp-block-query is-layout-flow wp-block-query-is-layout-flow">',
            '<ul class="columns-1 wp-block-post-template is-layout-flow '
            'wp-block-post-template-is-layout-flow">' + "\n".join(items) + "</ul>",
            f'<div class="wp-block-group tca-sponsored {_FLEX}"><p class="has-small-font-size">'
            f'<a href="{url}" rel="sponsored noopener" target="_blank">{esc(text)}</a></p></div>',
            _pagination(view),
            "</div>",
        ]
    )


def article_main(view: ArticleView) -> str:
    """Single template: title, meta row, featured image, post content, terms, More posts."""
    dates = (
        f'<div class="wp-block-post-date"><time datetime="{view.published_iso}">'
        f"{view.published_human}</time></div>"
    )
    if view.modified_iso != view.published_iso:
        dates += (
            '<div class="wp-block-post-date__modified-date wp-block-post-date has-small-font-'
            f'size"><time datetime="{view.modified_iso}">{view.modified_human}</time>'
            "</div>"
        )
    image = ""
    if view.image:
        src, w, h = view.image
        image = (
            '<figure class="wp-block-post-featured-image"><img width="'
            f'{w}" height="{h}" src="{src}" class="attachment-post-thumbnail '
            'size-post-thumbnail wp-post-image" alt="" style="object-fit:cover;" '
            'decoding="async" fetchpriority="high" /></figure>'
        )
    more = "".join(
        f'<li class="wp-block-post post type-post status-publish format-standard hentry">'
        f'<h3 class="wp-block-post-title has-large-font-size"><a href="{u}" target="_self" >'
        f"{texturize(t)}</a></h3></li>"
        for t, u in view.more
    )
    prev = (
        f'<div class="post-navigation-link-previous wp-block-post-navigation-link">'
        f'<span class="wp-block-post-navigation-link__arrow-previous is-arrow-arrow" '
        f'aria-hidden="true">&larr;</span><a href="{view.more[-1][1]}" rel="prev">'
        f"{texturize(view.more[-1][0])}</a></div>"
        if view.more
        else ""
    )
    return (
        f'<div class="wp-block-group {_CONSTRAINED}">'
        f'<h1 class="wp-block-post-title has-xx-large-font-size">{texturize(view.title)}</h1>'
        f'<div class="wp-block-group has-small-font-size {_FLEX}">{dates}'
        f'<p class="tca-by">by</p>{_authors(view.authors)}'
        f'<p class="tca-in">in</p>{_terms("category", view.categories)}</div>'
        f"{image}</div>\n"
        '<div class="entry-content alignfull wp-block-post-content has-global-padding '
        'is-layout-constrained wp-block-post-content-is-layout-constrained">\n'
        f"{view.content_html}\n</div>\n"
        f'<div class="wp-block-group {_CONSTRAINED}">'
        f'{_terms("post_tag", view.tags, "Tags: ")}'
        f'<nav class="wp-block-group {_FLEX}" aria-label="Post navigation">{prev}</nav>'
        '<div class="wp-block-comments"><h2 class="wp-block-heading">Comments</h2>'
        '<p class="wp-block-post-comments-form">Comments are closed.</p></div></div>\n'
        f'<div class="wp-block-group alignwide {_CONSTRAINED}"><h2 class="wp-block-heading '
        'alignwide has-small-font-size">More posts</h2><div class="wp-block-query alignwide '
        'is-layout-flow wp-block-query-is-layout-flow"><ul class="alignwide '
        f'wp-block-post-template is-layout-flow wp-block-post-template-is-layout-flow">{more}'
        "</ul></div></div>"
    )


def notfound_main(base: str) -> str:
    """The 404 template."""
    return (
        '<h1 class="wp-block-heading">Page not found</h1>'
        "<p>The page you are looking for does not exist, or it has been moved. Please try "
        "searching using the form below.</p>"
        f'<form role="search" method="get" action="{base}/" class="wp-block-search__button-'
        'outside wp-block-search__text-button wp-block-search"><label class="wp-block-search__'
        'label screen-reader-text" for="wp-block-search__input-1">Search</label><div '
        'class="wp-block-search__inside-wrapper "><input class="wp-block-search__input" '
        'id="wp-block-search__input-1" placeholder="Search..." value="" type="search" name="s" '
        'required /><button aria-label="Search" class="wp-block-search__button wp-element-button"'
        ' type="submit" >Search</button></div></form>'
    )
