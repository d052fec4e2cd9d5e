"""Classic theme markup (Twenty Twenty-One style: #masthead, main#main, article.hentry)."""

from __future__ import annotations

from ..htmlutil import attr, esc, texturize
from ..model import SITE_NAME
from ..rates import HeaderSpec
from ..views import ArchiveView, ArticleView, Link, SidebarView

SHARE_TOP = False
NAME = "classic"
EXCERPT_WORDS = 55
CONTENT_STYLE = "jetpack"


def _ticker(spec: HeaderSpec) -> str:
    if not spec.quotes:
        return ""
    copies = []
    for k in range(spec.copies):
        items = "".join(
            f'<li><span class="pair">{q.base}/{q.quote}</span> = <span class="rate">{q.rate_text}'
            f'</span> <span class="change {q.direction}">{q.change_text}</span></li>'
            for q in spec.quotes
        )
        hidden = ' aria-hidden="true"' if k else ""
        copies.append(f'<ul class="ticker-list"{hidden}>{items}</ul>')
    return (
        '<div class="currency-ticker"><div class="marquee"><div class="marquee-inner">'
        + "".join(copies)
        + "</div></div></div>"
    )


def _header(spec: HeaderSpec, base: str) -> str:
    date = ""
    if spec.dateline:
        date = f'<div class="header-date">{spec.dateline}</div>'
        if spec.uncategorized:
            date += '<div class="header-date-category">Uncategorized</div>'
    nav = "".join(
        f'<li class="menu-item"><a href="{base}{path}">{name}</a></li>'
        for name, path in (
            ("Kazakhstan", "/category/kazakhstan/"),
            ("Kyrgyzstan", "/category/kyrgyzstan/"),
            ("Tajikistan", "/category/tajikistan/"),
            ("Turkmenistan", "/category/turkmenistan/"),
            ("Uzbekistan", "/category/uzbekistan/"),
            ("Opinions", "/category/opinions/"),
            ("Latest", "/latest/"),
        )
    )
    return (
        f'<header id="masthead" class="site-header has-logo has-title-and-tagline has-menu">'
        f"{_ticker(spec)}"
        f'<div class="site-branding"><p class="site-title"><a href="{base}/" rel="home">'
        f"{SITE_NAME}</a></p>{date}</div>"
        '<nav id="site-navigation" class="primary-navigation" aria-label="Primary menu">'
        f'<div class="primary-menu-container"><ul id="primary-menu-list" class="menu-wrapper">'
        f"{nav}</ul></div></nav></header>"
    )


def _sidebar(side: SidebarView) -> str:
    def widget(wid: str, title: str, links: list[Link]) -> str:
        lis = "".join(f'<li><a href="{u}">{texturize(t)}</a></li>' for t, u in links)
        return (
            f'<section id="{wid}" class="widget widget_recent_entries"><h2 class="widget-title">'
            f'{title}</h2><nav aria-label="{title}"><ul>{lis}</ul></nav></section>'
        )

    return (
        '<aside class="widget-area" role="complementary">'
        + widget("recent-posts-2", "Recent Posts", side.recent)
        + widget("most-read-3", "Most Read", side.most_read)
        + "</aside>"
    )


def render_page(
    head: str, body_class: str, spec: HeaderSpec, base: str, main: str, side: SidebarView
) -> str:
    """The whole document."""
    return (
        '<!doctype html>\n<html lang="en-US" class="no-js">\n<head>\n' + head + "\n</head>\n"
        f'<body class="{body_class} wp-embed-responsive is-light-theme no-js singular '
        'has-main-navigation">\n<div id="page" class="site">\n'
        '<a class="skip-link screen-reader-text" href="#content">Skip to content</a>\n'
        + _header(spec, base)
        + '\n<div id="content" class="site-content">\n'
        '<div id="primary" class="content-area">\n<main id="main" class="site-main">\n'
        + main
        + "\n</main><!-- #main -->\n</div><!-- #primary -->\n"
        + _sidebar(side)
        + "\n</div><!-- #content -->\n"
        '<footer id="colophon" class="site-footer"><div class="site-info">'
        f'<div class="site-name"><a href="{base}/">{SITE_NAME}</a></div>'
        f'<div class="footer-archive"><a href="{base}/latest/page/3/?catid=5&amp;id=5993">'
        "News archive</a></div>"
        '<div class="powered-by">Proudly powered by WordPress.</div></div></footer>\n'
        "</div><!-- #page -->\n</body>\n</html>\n"
    )


def _links(links: list[Link], rel: str) -> str:
    return ", ".join(f'<a href="{u}" rel="{rel}">{texturize(t)}</a>' for t, u in links)


def _byline(authors: list[Link]) -> str:
    parts = [f'<a class="url fn n" href="{u}" rel="author">{texturize(n)}</a>' for n, u in authors]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f'<span class="byline"><span class="author vcard">By {joined}</span></span>'


def _page_url(view: ArchiveView, n: int) -> str:
    if n == 1:
        return view.archive_url
    end = "" if view.page_links_noslash else "/"
    return f"{view.archive_url}page/{n}{end}"


def _pagination(view: ArchiveView) -> str:
    """paginate_links() output (end_size 1, mid_size 2) in the_posts_pagination() nav."""
    if view.pages <= 1:
        return ""
    cur, total = view.page, view.pages
    items = []
    if cur > 1:
        items.append(
            f'<a class="prev page-numbers" href="{_page_url(view, cur - 1)}">'
            '<span class="nav-prev-text">Newer <span class="nav-short">posts</span>'
            "</span></a>"
        )
    dots = False
    for n in range(1, total + 1):
        if n == cur:
            items.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
            dots = True
        elif n <= 1 or n > total - 1 or abs(n - cur) <= 2:
            items.append(f'<a class="page-numbers" href="{_page_url(view, n)}">{n}</a>')
            dots = True
        elif dots:
            items.append('<span class="page-numbers dots">&hellip;</span>')
            dots = False
    if cur < total:
        items.append(
            f'<a class="next page-numbers" href="{_page_url(view, cur + 1)}">'
            '<span class="nav-next-text">Older <span class="nav-short">posts</span>'
            "</span></a>"
        )
    return (
        '<nav class="navigation pagination" aria-label="Posts pagination">'
        '<h2 class="screen-reader-text">Posts pagination</h2><div class="nav-links">'
        + "".join(items)
        + "</div></nav>"
    )


def archive_main(view: ArchiveView) -> str:
    """Archive header, results line, teasers, pagination."""
    head = f'<h1 class="page-title">{texturize(view.heading)}</h1>'
    if view.kind == "author":
        head = (
            f'<nav class="breadcrumbs"><span>Our People</span> &gt; '
            f"<span>{texturize(view.heading)}</span></nav>"
            f'<div class="author-info"><div class="author-avatar"><img alt="'
            f'{attr(view.heading)}&#039;s Avatar" src="{view.author_avatar}" class="avatar '
            'avatar-96 photo" height="96" width="96" loading="lazy" decoding="async"/></div>'
            f'<h1 class="page-title author-title">{texturize(view.heading)}</h1>'
            f'<div class="author-description">{texturize(view.author_bio or "")}</div></div>'
            '<h2 class="author-articles-title">Articles</h2>'
        )
    elif view.description:
        head += f'<div class="archive-description"><p>{texturize(view.description)}</p></div>'
    out = [
        f'<header class="page-header alignwide">{head}</header>',
        f'<p class="results-count">{view.results_text}</p>',
    ]
    for i, t in enumerate(view.teasers):
        sticky = " sticky" if t.sticky else ""
        thumb = (
            (
                f'<figure class="post-thumbnail"><a class="post-thumbnail-inner" href="{t.href}" '
                f'aria-hidden="true" tabindex="-1"><img width="300" height="200" '
                f'src="{t.image_url}"'
                ' class="attachment-post-thumbnail size-post-thumbnail wp-post-image" alt="" '
                'decoding="async" /></a></figure>'
            )
            if t.image_url
            else ""
        )
        out.append(
            f'<article id="post-{t.post_id}" class="{t.post_class}{sticky} entry">'
            f'<header class="entry-header">{thumb}<h2 class="entry-title default-max-width">'
            f'<a href="{t.href}">{texturize(t.title)}</a></h2></header>'
            f'<div class="entry-content"><p>{t.excerpt_html}</p></div>'
            f'<footer class="entry-footer default-max-width"><span class="posted-on">Published '
            f'<time class="entry-date published updated" datetime="{t.date_iso}">{t.date_human}'
            f"</time></span>{_byline(t.authors)}"
            f'<span class="cat-links">Categorized as {_links(t.categories, "category tag")}</span>'
            "</footer></article>"
        )
        if i == 2:
            text, url = view.sponsored
            out.append(
                f'<div class="sponsored-post"><span class="label">Sponsored</span> '
                f'<a href="{url}" rel="sponsored noopener" target="_blank">{esc(text)}</a>'
                "</div>"
            )
    if len(view.teasers) <= 2:
        text, url = view.sponsored
        out.append(
            f'<div class="sponsored-post"><a href="{url}" rel="sponsored noopener">'
            f"{esc(text)}</a></div>"
        )
    out.append(_pagination(view))
    return "\n".join(out)


def article_main(view: ArticleView) -> str:
    """A single post: breadcrumbs, h1.entry-title, meta, featured image, content, footer."""
    crumbs = " &raquo; ".join(
        f'<span><a href="{u}">{texturize(t)}</a></span>' for t, u in view.breadcrumbs
    )
    crumbs = (
        f'<p id="breadcrumbs"><span>{crumbs} &raquo; <span class="breadcrumb_last" '
        f'aria-current="page">{texturize(view.title)}</span></span></p>'
    )
    if view.published_iso == view.modified_iso:
        times = (
            f'<time class="entry-date published updated" datetime="{view.published_iso}">'
            f"{view.published_human}</time>"
        )
    else:
        times = (
            f'<time class="entry-date published" datetime="{view.published_iso}">'
            f'{view.published_human}</time><time class="updated" datetime="'
            f'{view.modified_iso}">{view.modified_human}</time>'
        )
    image = ""
    if view.image:
        src, w, h = view.image
        image = (
            f'<figure class="post-thumbnail"><img width="{w}" height="{h}" src="{src}" '
            'class="attachment-post-thumbnail size-post-thumbnail wp-post-image" alt="" '
            f'decoding="async" fetchpriority="high" /></figure>'
        )
    tags = f'<span class="tags-links">Tagged {_links(view.tags, "tag")}</span>' if view.tags else ""
    return (
        f'{crumbs}\n<article id="post-{view.post_id}" class="{view.post_class}">\n'
        f'<header class="entry-header alignwide"><h1 class="entry-title">{texturize(view.title)}'
        f'</h1><div class="entry-meta"><span class="posted-on">Published {times}</span> '
        f"{_byline(view.authors)}</div>{image}</header>\n"
        f'<div class="entry-content">\n{view.content_html}\n</div><!-- .entry-content -->\n'
        f'<footer class="entry-footer default-max-width"><div class="posted-by">'
        f"{_byline(view.authors)}</div>"
        f'<div class="post-taxonomies"><span class="cat-links">Categorized as '
        f"{_links(view.categories, 'category tag')}</span>{tags}</div></footer>\n"
        "</article>"
    )


def notfound_main(base: str) -> str:
    """The 404 template."""
    return (
        '<header class="page-header alignwide"><h1 class="page-title">Nothing here</h1>'
        '</header><div class="error-404 not-found default-max-width"><div class="page-content">'
        "<p>It looks like nothing was found at this location. Maybe try a search?</p>"
        f'<form role="search" method="get" class="search-form" action="{base}/">'
        '<label for="search-form-1">Search&hellip;</label><input type="search" '
        'id="search-form-1" class="search-field" value="" name="s" />'
        '<input type="submit" class="search-submit" value="Search" /></form></div></div>'
    )
