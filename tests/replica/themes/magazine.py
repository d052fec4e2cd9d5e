"""Magazine theme markup (tagDiv Newspaper style: td-header-wrap, td_module_*, td-post-content)."""

from __future__ import annotations

from ..htmlutil import attr, esc, texturize
from ..model import SITE_NAME
from ..rates import HeaderSpec
from ..views import ArchiveView, ArticleView, Link, SidebarView

SHARE_TOP = True
NAME = "magazine"
EXCERPT_WORDS = 25
CONTENT_STYLE = "jetpack"


def _ticker(spec: HeaderSpec) -> str:
    if not spec.quotes:
        return ""
    blocks = []
    for _ in range(spec.copies):
        items = "".join(
            f'<div class="td-ticker-item"><strong>{q.base}/{q.quote}</strong> = {q.rate_text} '
            f'<em class="td-ticker-change td-ticker-{q.direction}">{q.change_text}</em></div>'
            for q in spec.quotes
        )
        blocks.append(f'<div class="td-ticker-group">{items}</div>')
    return (
        '<div class="tdm-currency-ticker td-ticker"><div class="td-ticker-title">Currency'
        '</div><div class="td-ticker-wrap td-marquee">' + "".join(blocks) + "</div></div>"
    )


def _header(spec: HeaderSpec, base: str) -> str:
    date = ""
    if spec.dateline:
        extra = '<div class="td_data_cat">Uncategorized</div>' if spec.uncategorized else ""
        date = (
            f'<div class="td_data_time"><div style="visibility:visible;">{spec.dateline}'
            f"</div>{extra}</div>"
        )
    menu = "".join(
        f'<li class="menu-item menu-item-type-taxonomy td-menu-item td-normal-menu">'
        f'<a href="{base}{p}">{n}</a></li>'
        for n, p in (
            ("Kazakhstan", "/category/kazakhstan/"),
            ("Kyrgyzstan", "/category/kyrgyzstan/"),
            ("Tajikistan", "/category/tajikistan/"),
            ("Turkmenistan", "/category/turkmenistan/"),
            ("Uzbekistan", "/category/uzbekistan/"),
            ("Afghanistan", "/category/afghanistan/"),
            ("Home", "/category/home/"),
            ("Latest", "/latest/"),
        )
    )
    return (
        '<div class="td-header-wrap td-header-style-1">'
        f'<div class="td-header-top-menu-full td-container-wrap"><div class="td-header-top-menu">'
        f'<div class="top-bar-style-1">{date}{_ticker(spec)}</div></div></div>'
        '<div class="td-banner-wrap-full td-logo-wrap-full td-container-wrap">'
        f'<div class="td-header-sp-logo"><a class="td-main-logo" href="{base}/">'
        f'<img class="td-retina-data" src="{base}/wp-content/uploads/2023/05/tca-logo.png" '
        f'alt="{SITE_NAME}"/><span class="td-visual-hidden">{SITE_NAME}</span></a></div></div>'
        '<div class="td-header-menu-wrap-full td-container-wrap"><div id="td-header-menu" '
        'role="navigation"><div class="menu-td-demo-header-menu-container"><ul id="menu-main" '
        f'class="sf-menu">{menu}</ul></div></div></div></div>'
    )


def _sidebar(side: SidebarView) -> str:
    def block(title: str, links: list[Link]) -> str:
        mods = "".join(
            f'<div class="td_module_6 td_module_wrap td-animation-stack"><div class="item-details">'
            f'<h3 class="entry-title td-module-title"><a href="{u}" rel="bookmark" '
            f'title="{attr(t)}">{texturize(t)}</a></h3></div></div>'
            for t, u in links
        )
        return (
            f'<div class="td_block_wrap td_block_7 td_block_widget td-pb-border-top">'
            f'<h4 class="block-title"><span class="td-pulldown-size">{title}</span></h4>'
            f'<div class="td_block_inner">{mods}</div></div>'
        )

    return (
        '<div class="td-pb-span4 td-main-sidebar"><div class="td-ss-main-sidebar">'
        + block("Recent Posts", side.recent)
        + block("Most Read", side.most_read)
        + "</div></div>"
    )


def render_page(
    head: str, body_class: str, spec: HeaderSpec, base: str, main: str, side: SidebarView
) -> str:
    """The whole document."""
    return (
        '<!doctype html >\n<!--[if IE 8]><html class="ie8" lang="en"> <![endif]-->\n'
        '<html lang="en-US">\n<head>\n' + head + "\n</head>\n"
        f'<body class="{body_class} global-block-template-1 td-newspaper-pro tdb_template '
        'td-animation-stack-type0 td-full-layout" itemscope="itemscope" '
        'itemtype="https://schema.org/WebPage">\n<div id="td-outer-wrap" class="td-theme-wrap">\n'
        + _header(spec, base)
        + '\n<div class="td-main-content-wrap td-container-wrap"><div class="td-container">'
        '<div class="td-pb-row"><div class="td-pb-span8 td-main-content" role="main">'
        '<div class="td-ss-main-content">\n'
        + main
        + "\n</div></div>"
        + _sidebar(side)
        + "</div></div></div>\n"
        '<div class="td-footer-wrapper td-container-wrap"><div class="td-footer-bottom-full">'
        f'<div class="td-pb-span12"><a href="{base}/latest/page/3/?catid=5&amp;id=5993">Archive'
        f'</a> <span class="td-footer-copy">&copy; {SITE_NAME}</span></div></div></div>\n'
        "</div><!--close td-outer-wrap-->\n</body>\n</html>\n"
    )


def _authors(authors: list[Link]) -> str:
    parts = [f'<a href="{u}">{texturize(n)}</a>' for n, u in authors]
    return parts[0] if len(parts) == 1 else " and ".join([", ".join(parts[:-1]), parts[-1]])


def _page_nav(view: ArchiveView) -> str:
    """tagDiv page-nav: numbers, extend dots, last, arrows, 'Page X of Y'."""
    if view.pages <= 1:
        return ""

    def url(n: int, slash: bool = True) -> str:
        if n == 1:
            return view.archive_url
        return f"{view.archive_url}page/{n}" + ("/" if slash else "")

    cur, total = view.page, view.pages
    out = []
    if cur > 1:
        out.append(
            f'<a href="{url(cur - 1)}" aria-label="prev-page" ><i class="td-icon-menu-left">'
            "</i></a>"
        )
    if cur > 3:
        out.append(
            f'<a href="{url(1)}" class="first" title="1">1</a><span class="extend">...</span>'
        )
    for n in range(max(1, cur - 2), min(total, cur + 2) + 1):
        if n == cur:
            out.append(f'<span class="current">{n}</span>')
        else:
            out.append(f'<a href="{url(n, slash=False)}" class="page" title="{n}">{n}</a>')
    if cur + 2 < total:
        out.append(
            f'<span class="extend">...</span><a href="{url(total, slash=False)}" '
            f'class="last" title="{total}">{total}</a>'
        )
    if cur < total:
        out.append(
            f'<a href="{url(cur + 1)}" aria-label="next-page" ><i class="td-icon-menu-right">'
            "</i></a>"
        )
    out.append(f'<span class="pages">Page {cur} of {total}</span><div class="clearfix"></div>')
    return '<div class="page-nav td-pb-padding-side">' + "".join(out) + "</div>"


def archive_main(view: ArchiveView) -> str:
    """tagDiv category/author template."""
    if view.kind == "author":
        head = (
            f'<div class="td-crumb-container"><div class="entry-crumbs"><span>Our People</span> '
            f'<i class="td-icon-right td-bread-sep td-bred-no-url-last"></i> <span '
            f'class="td-bred-no-url-last">{texturize(view.heading)}</span></div></div>'
            '<div class="td-author-header td-pb-padding-side"><div class="author-box-wrap">'
            f'<img alt="{attr(view.heading)}&#039;s Avatar" src="{view.author_avatar}" '
            'class="avatar avatar-96 photo" height="96" width="96"/><div class="desc">'
            f'<h1 class="entry-title td-page-title"><span>{texturize(view.heading)}</span></h1>'
            f'<div class="td-author-description">{texturize(view.author_bio or "")}</div>'
            '</div></div></div><h4 class="block-title"><span>Articles</span></h4>'
        )
    else:
        head = (
            f'<div class="td-category-header td-pb-padding-side"><h1 class="entry-title '
            f'td-page-title">{texturize(view.heading)}</h1></div>'
        )
    out = [
        head,
        f'<div class="td-results-count td-pb-padding-side">{view.results_text}</div>',
        '<div class="td-block-row">',
    ]
    for i, t in enumerate(view.teasers):
        sticky = " td-sticky" if t.sticky else ""
        cat = (
            (
                f'<a href="{t.categories[0][1]}" class="td-post-category">'
                f"{texturize(t.categories[0][0])}</a>"
            )
            if t.categories
            else ""
        )
        thumb = (
            (
                f'<div class="td-module-thumb"><a href="{t.href}" rel="bookmark" '
                f'class="td-image-wrap " title="{attr(t.title)}"><img class="entry-thumb" '
                f'src="{t.image_url}" alt="" title="{attr(t.title)}" width="218" height="150" />'
                "</a></div>"
            )
            if t.image_url
            else ""
        )
        out.append(
            f'<div class="td_module_10 td_module_wrap td-animation-stack{sticky}">'
            f'{thumb}<div class="item-details"><h3 class="entry-title td-module-title">'
            f'<a href="{t.href}" rel="bookmark" title="{attr(t.title)}">{texturize(t.title)}</a>'
            f'</h3><div class="td-module-meta-info">{cat}<span class="td-post-author-name">'
            f'{_authors(t.authors)} <span>-</span> </span><span class="td-post-date">'
            f'<time class="entry-date updated td-module-date" datetime="{t.date_iso}" >'
            f'{t.date_human}</time></span></div><div class="td-excerpt">{t.excerpt_html}</div>'
            "</div></div>"
        )
        if i == 1:
            text, url = view.sponsored
            out.append(
                f'<div class="td-a-rec td-a-rec-id-content_inline"><span class="td-adspot-title">'
                f'- Advertisement -</span><a href="{url}" rel="sponsored">{esc(text)}</a></div>'
            )
    if len(view.teasers) <= 1:
        text, url = view.sponsored
        out.append(f'<div class="td-a-rec"><a href="{url}" rel="sponsored">{esc(text)}</a></div>')
    out.append("</div>")
    out.append(_page_nav(view))
    return "\n".join(out)


def article_main(view: ArticleView) -> str:
    """tagDiv single post template."""
    crumbs = " ".join(
        f'<span><a title="View all posts in {attr(t)}" class="entry-crumb" href="{u}">'
        f'{texturize(t)}</a></span> <i class="td-icon-right td-bread-sep"></i>'
        for t, u in view.breadcrumbs
    )
    crumbs = (
        f'<div class="td-crumb-container"><div class="entry-crumbs">{crumbs} '
        f'<span class="td-bred-no-url-last">{texturize(view.title)}</span></div></div>'
    )
    cats = "".join(
        f'<li class="entry-category"><a href="{u}">{texturize(n)}</a></li>'
        for n, u in view.categories
    )
    image = ""
    if view.image:
        src, w, h = view.image
        image = (
            f'<div class="td-post-featured-image"><a href="{src}" data-caption="">'
            f'<img width="{w}" height="{h}" class="entry-thumb td-modal-image" src="{src}" '
            f'alt="" title="{attr(view.title)}"/></a></div>'
        )
    tags = ""
    if view.tags:
        tags = (
            '<div class="td-post-source-tags td-pb-padding-side"><ul class="td-tags '
            'td-post-small-box clearfix"><li><span>TAGS</span></li>'
            + "".join(f'<li><a href="{u}" rel="tag">{texturize(n)}</a></li>' for n, u in view.tags)
            + "</ul></div>"
        )
    return (
        f'<article id="post-{view.post_id}" class="{view.post_class}" itemscope '
        'itemtype="https://schema.org/Article">\n<div class="td-post-header td-pb-padding-side">'
        f'{crumbs}<ul class="td-category">{cats}</ul><header class="td-post-title">'
        f'<h1 class="entry-title">{texturize(view.title)}</h1><div class="td-module-meta-info">'
        f'<div class="td-post-author-name"><div class="td-author-by">By</div> '
        f'{_authors(view.authors)}<div class="td-author-line"> - </div></div>'
        f'<span class="td-post-date"><time class="entry-date updated td-module-date" '
        f'datetime="{view.published_iso}" >{view.published_human}</time></span>'
        '<div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-'
        f'{view.post_id}">1204</span></div></div></header></div>\n'
        f'<div class="td-post-content tagdiv-type">{image}\n{view.content_html}\n</div>\n'
        f'<footer>{tags}<div class="td-author-name vcard author" style="display: none">'
        f'<span class="fn">{_authors(view.authors)}</span></div></footer>\n</article>'
    )


def notfound_main(base: str) -> str:
    """tagDiv 404 template."""
    return (
        '<div class="td-404-title">Ooops... Error 404</div><div class="td-404-sub-title">'
        "Sorry, but the page you are looking for doesn&#8217;t exist.</div>"
        '<div class="td-404-sub-sub-title">You can go to the <a href="'
        f'{base}/">HOMEPAGE</a></div>'
    )
