"""JNews (Jegtheme) magazine theme markup.

Holdout theme: article.jeg_post teasers without post classes (the same element also makes up
the sidebar, related-posts and inline related-posts blocks), h3.jeg_post_title, lazy-loaded
images (placeholder src, resized image in data-src), div.jeg_navigation.jeg_pagination with
a.page_nav.next, single h1.jeg_post_title, div.jeg_meta_author, div.jeg_meta_date with a display
date only (no time element, no modified date), div.content-inner, share bars, jeg_ad slots.

With seo="none" the page therefore shows no time of day and no modification date at all: the
ground truth's published_at/modified_at instants are then only observable to the day
(tests/holdout_report.py reports a same_day rate next to the exact rate).
"""

from __future__ import annotations

from ..htmlutil import attr, esc, texturize
from ..model import SITE_NAME
from ..rates import HeaderSpec
from ..views import ArchiveView, ArticleView, Link, SidebarView

SHARE_TOP = False  # JNews has its own share bars (outside the content); no Jetpack sharing
NAME = "jnews"
EXCERPT_WORDS = 20
CONTENT_STYLE = "jnews"

_PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAj"
    "CB0C8AAAAASUVORK5CYII="
)


def _resized(url: str, w: int, h: int) -> str:
    """The WordPress intermediate size JNews registers (name-WxH.jpg)."""
    stem, dot, ext = url.rpartition(".")
    return f"{stem}-{w}x{h}.{ext}" if dot else url


def _lazy_img(url: str, w: int, h: int, alt: str = "") -> str:
    size = f"jnews-{w}x{h}"
    return (
        f'<img width="{w}" height="{h}" src="{_PIXEL}" class="attachment-{size} size-{size} '
        f'lazyload wp-post-image" alt="{attr(alt)}" decoding="async" data-src="'
        f'{_resized(url, w, h)}" data-srcset="{_resized(url, w, h)} {w}w" data-sizes="auto" '
        f'data-expand="700" />'
    )


def _ticker(spec: HeaderSpec) -> str:
    """Top-bar HTML element: a JNews news-ticker, one text line per pair, code in <b>."""
    if not spec.quotes:
        return ""
    items = []
    for k in range(spec.copies):
        lines = "".join(
            f'<span class="tca_fx_line"><b>{q.base}</b>/{q.quote} = {q.rate_text} '
            f'<i class="fa fa-caret-{"down" if q.direction == "down" else "up"}"></i>'
            f"{q.change_text}</span><br>"
            for q in spec.quotes
        )
        active = " jeg_news_ticker_active" if k == 0 else ""
        items.append(
            f'<div class="jeg_news_ticker_item jeg_news_ticker_animated{active}">{lines}</div>'
        )
    return (
        '<div class="jeg_nav_item jeg_nav_html"><div class="jeg_news_ticker tca_fx_ticker" '
        'data-autoplay="true" data-delay="2500"><div class="jeg_news_ticker_control">'
        '<div class="jeg_news_ticker_next jeg_news_ticker_arrow"><span>Next</span></div>'
        '<div class="jeg_news_ticker_prev jeg_news_ticker_arrow"><span>Prev</span></div></div>'
        '<div class="jeg_news_ticker_items">' + "".join(items) + "</div></div></div>"
    )


def _header(spec: HeaderSpec, base: str) -> str:
    date = ""
    if spec.dateline:
        date = f'<div class="jeg_nav_item jeg_top_date">{spec.dateline}</div>'
        if spec.uncategorized:
            date += '<div class="jeg_nav_item jeg_top_date_term">Uncategorized</div>'
    menu = "".join(
        f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category bgnav">'
        f'<a href="{base}{p}">{n}</a></li>'
        for n, p in (
            ("Kazakhstan", "/category/kazakhstan/"),
            ("Kyrgyzstan", "/category/kyrgyzstan/"),
            ("Tajikistan", "/category/tajikistan/"),
            ("Turkmenistan", "/category/turkmenistan/"),
            ("Uzbekistan", "/category/uzbekistan/"),
            ("Afghanistan", "/category/afghanistan/"),
            ("Latest", "/latest/"),
        )
    )
    return (
        '<div class="jeg_header_wrapper"><div class="jeg_header normal">'
        '<div class="jeg_topbar jeg_container jeg_navbar_wrapper dark"><div class="container">'
        '<div class="jeg_nav_row"><div class="jeg_nav_col jeg_nav_left jeg_nav_grow">'
        f'<div class="item_wrap jeg_nav_alignleft">{_ticker(spec)}</div></div>'
        '<div class="jeg_nav_col jeg_nav_right jeg_nav_normal"><div class="item_wrap '
        f'jeg_nav_alignright">{date}</div></div></div></div></div>'
        '<div class="jeg_midbar jeg_container jeg_navbar_wrapper normal"><div class="container">'
        '<div class="jeg_nav_row"><div class="jeg_nav_col jeg_nav_left jeg_nav_normal">'
        '<div class="item_wrap jeg_nav_alignleft"><div class="jeg_nav_item jeg_logo '
        f'jeg_desktop_logo"><div class="site-title"><a href="{base}/" style="padding: 0 0 0 0;">'
        f"<img class='jeg_logo_img' src=\"{base}/wp-content/uploads/2023/05/tca-logo.png\" "
        f'alt="{SITE_NAME}" data-light-src="{base}/wp-content/uploads/2023/05/tca-logo.png" '
        'width="600" height="120"></a></div></div></div></div></div></div></div>'
        '<div class="jeg_bottombar jeg_navbar jeg_container jeg_navbar_wrapper jeg_navbar_normal '
        'jeg_navbar_normal"><div class="container"><div class="jeg_nav_row"><div '
        'class="jeg_nav_col jeg_nav_left jeg_nav_grow"><div class="item_wrap jeg_nav_alignleft">'
        '<div class="jeg_nav_item jeg_main_menu_wrapper"><div class="jeg_mainmenu_wrap"><ul '
        f'class="jeg_menu jeg_main_menu jeg_menu_style_1" data-animation="animate">{menu}</ul>'
        "</div></div></div></div></div></div></div></div></div>"
    )


def _small_block(title: str, links: list[Link], module: str) -> str:
    """A jeg_postblock of small posts (sidebar widgets)."""
    posts = "".join(
        f'<article class="jeg_post jeg_pl_sm format-standard"><div class="jeg_postblock_content">'
        f'<h3 class="jeg_post_title"><a href="{u}">{texturize(t)}</a></h3></div></article>'
        for t, u in links
    )
    return (
        f'<div class="jeg_postblock_21 jeg_postblock jeg_module_hook jeg_pagination_disable '
        f'jeg_col_1o3 {module}"><div class="jeg_block_heading jeg_block_heading_6 '
        f'jeg_subcat_right"><h3 class="jeg_block_title"><span>{title}</span></h3></div>'
        f'<div class="jeg_block_container"><div class="jeg_posts jeg_load_more_flag">{posts}'
        "</div></div></div>"
    )


def _sidebar(side: SidebarView) -> str:
    return (
        '<div class="jeg_sidebar left jeg_sticky_sidebar col-md-4"><div class="jegStickyHolder">'
        '<div class="theiaStickySidebar"><div class="widget widget_jnews_module_block_21" '
        'id="jnews_module_block_21-2">'
        + _small_block("Recent Posts", side.recent, "jnews_module_sidebar_0")
        + '</div><div class="widget widget_jnews_module_block_21" id="jnews_module_block_21-3">'
        + _small_block("Most Read", side.most_read, "jnews_module_sidebar_1")
        + "</div></div></div></div>"
    )


def render_page(
    head: str, body_class: str, spec: HeaderSpec, base: str, main: str, side: SidebarView
) -> str:
    """The whole document."""
    full = "jnews-404" in main
    column = "col-md-12" if full else "col-md-8"
    return (
        '<!doctype html>\n<!--[if lt IE 7]> <html class="no-js lt-ie9 lt-ie8 lt-ie7" lang="en-US"> '
        '<![endif]-->\n<html class="no-js" lang="en-US">\n<head>\n' + head + "\n</head>\n"
        f'<body class="{body_class} wp-embed-responsive jeg_toggle_light jnews jsc_normal">\n'
        '<div class="jeg_ad jeg_ad_top jnews_header_top_ads"><div class=\'ads-wrapper  \'>'
        "</div></div>\n"
        '<div class="jeg_viewport">\n'
        + _header(spec, base)
        + '\n<div class="jeg_main "><div class="jeg_container"><div class="jeg_content">'
        '<div class="jeg_section"><div class="container">'
        '<div class="jeg_ad jeg_archive jnews_archive_above_content_ads "><div '
        "class='ads-wrapper  '></div></div>"
        f'<div class="jeg_cat_content row"><div class="jeg_main_content jeg_column {column}">'
        '<div class="jeg_inner_content">\n'
        + main
        + "\n</div></div>"
        + ("" if full else _sidebar(side))
        + "</div></div></div></div></div></div>\n"
        '<div class="footer-holder" id="footer"><div class="jeg_footer jeg_footer_1 dark">'
        '<div class="jeg_footer_container jeg_container"><div class="jeg_footer_content">'
        '<div class="container"><div class="row"><div class="jeg_footer_primary clearfix">'
        f'<div class="col-md-12"><a href="{base}/latest/page/3/?catid=5&amp;id=5993">Archive</a>'
        f'</div></div></div></div></div></div><div class="jeg_footer_bottom"><p '
        f'class="copyright"> &copy; 2025 {SITE_NAME}</p></div></div></div>\n'
        "</div>\n</body>\n</html>\n"
    )


def _home(url: str) -> str:
    scheme, _, host = url.split("/", 3)[:3]
    return f"{scheme}//{host}/"


def _author_links(authors: list[Link]) -> str:
    return " and ".join(f'<a href="{u}">{texturize(n)}</a>' for n, u in authors)


def _cat_links(cats: list[Link]) -> str:
    return ", ".join(f'<a href="{u}" rel="category tag">{texturize(n)}</a>' for n, u in cats)


def _page_url(view: ArchiveView, n: int) -> str:
    return view.archive_url if n == 1 else f"{view.archive_url}page/{n}/"


def _pagination(view: ArchiveView) -> str:
    """JNews pagenav style 1: page info, prev, numbers with dots, next."""
    if view.pages <= 1:
        return ""
    cur, total = view.page, view.pages
    out = [f'<span class="page_info">Page {cur} of {total}</span>']
    if cur > 1:
        out.append(
            f'<a class="page_nav prev" data-id="{cur - 1}" href="{_page_url(view, cur - 1)}">'
            '<span class="navtext">Prev</span></a>'
        )
    dots = False
    for n in range(1, total + 1):
        if n == cur:
            out.append(f'<span class="page_number active">{n}</span>')
            dots = True
        elif n == 1 or n == total or abs(n - cur) <= 1:
            out.append(
                f'<a class="page_number" data-id="{n}" href="{_page_url(view, n)}">{n}</a>'
            )
            dots = True
        elif dots:
            out.append('<span class="page_number dots"></span>')
            dots = False
    if cur < total:
        out.append(
            f'<a class="page_nav next" data-id="{cur + 1}" href="{_page_url(view, cur + 1)}">'
            '<span class="navtext">Next</span></a>'
        )
    return (
        '<div class="jeg_navigation jeg_pagination jeg_pagenav_1 jeg_aligncenter no_navtext '
        'no_pageinfo">' + "".join(out) + "</div>"
    )


def archive_main(view: ArchiveView) -> str:
    """JNews archive: header with breadcrumbs, results line, postblock 5, ad, pagination."""
    if view.kind == "author":
        head = (
            '<div class="jeg_breadcrumbs jeg_breadcrumb_container"><div id="breadcrumbs">'
            '<span class="">Our People</span><i class="fa fa-angle-right"></i><span '
            f'class="breadcrumb_last_link">{texturize(view.heading)}</span></div></div>'
            '<div class="jeg_author_wrap vcard"><div class="jeg_author_image">'
            f'<img alt="{attr(view.heading)}&#039;s Avatar" src="{view.author_avatar}" '
            'class="avatar avatar-110 photo" height="110" width="110" decoding="async"/></div>'
            '<div class="jeg_author_content"><h3 class="jeg_author_name fn">'
            f"{texturize(view.heading)}</h3><p class=\"jeg_author_desc\">"
            f"{texturize(view.author_bio or '')}</p></div></div>"
            '<div class="jeg_block_heading jeg_block_heading_6"><h3 class="jeg_block_title">'
            "<span>Articles</span></h3></div>"
        )
    else:
        head = (
            '<div class="jeg_archive_header"><div class="jeg_breadcrumbs jeg_breadcrumb_container">'
            f'<div id="breadcrumbs"><span class=""><a href="{_home(view.archive_url)}">Home</a>'
            '</span><i class="fa fa-angle-right">'
            f'</i><span class="breadcrumb_last_link"><a href="{view.archive_url}">'
            f"{texturize(view.heading)}</a></span></div></div>"
            f'<h1 class="jeg_archive_title">{texturize(view.heading)}</h1></div>'
        )
    posts = []
    for i, t in enumerate(view.teasers):
        thumb = (
            f'<div class="jeg_thumb"><a href="{t.href}"><div class="thumbnail-container '
            f'animate-lazy  size-715 ">{_lazy_img(t.image_url, 350, 250, t.title)}</div></a>'
            "</div>"
            if t.image_url
            else ""
        )
        cat = (
            f'<div class="jeg_post_category"><span><a href="{t.categories[0][1]}" '
            f'class="category-{t.categories[0][1].rstrip("/").rsplit("/", 1)[-1]}">'
            f"{texturize(t.categories[0][0])}</a></span></div>"
            if t.categories
            else ""
        )
        posts.append(
            f'<article class="jeg_post jeg_pl_lg_2 format-standard">{thumb}'
            f'<div class="jeg_postblock_content">{cat}<h3 class="jeg_post_title">'
            f'<a href="{t.href}">{texturize(t.title)}</a></h3><div class="jeg_post_meta">'
            f'<div class="jeg_meta_author"><span class="by">by</span> '
            f"{_author_links(t.authors)}</div>"
            f'<div class="jeg_meta_date"><a href="{t.href}"><i class="fa fa-clock-o"></i> '
            f"{t.date_human}</a></div></div>"
            f'<div class="jeg_post_excerpt"><p>{t.excerpt_html}</p><a href="{t.href}" '
            'class="jeg_readmore">Read more</a></div></div></article>'
        )
        if i == 2:
            text, url = view.sponsored
            posts.append(
                '<div class="jeg_ad jeg_ad_module jnews_module_ads"><div class="ads-wrapper">'
                f'<a href="{url}" rel="noopener sponsored" class="adlink">{esc(text)}</a>'
                '<div class="ads-text">ADVERTISEMENT</div></div></div>'
            )
    if len(view.teasers) <= 2:
        text, url = view.sponsored
        posts.append(
            f'<div class="jeg_ad jeg_ad_module"><a href="{url}" rel="sponsored">{esc(text)}</a>'
            "</div>"
        )
    return "\n".join(
        [
            head,
            f'<div class="jeg_archive_search tca_results_count">{view.results_text}</div>',
            '<div class="jnews_archive_content_wrapper"><div class="jeg_module_hook '
            'jnews_module_archive_0 jeg_postblock_5 jeg_postblock jeg_col_2o3 '
            'jeg_pagination_nav_1"><div class="jeg_block_container">'
            '<div class="jeg_posts jeg_load_more_flag">' + "\n".join(posts) + "</div></div></div>",
            _pagination(view),
            "</div>",
        ]
    )


def _share(url: str, where: str) -> str:
    buttons = "".join(
        f'<a href="https://{host}{url}" rel=\'nofollow\' class="jeg_btn-{svc} expanded">'
        f'<i class="fa fa-{svc}"></i><span>Share on {label}</span></a>'
        for svc, host, label in (
            ("facebook", "www.facebook.com/sharer.php?u=", "Facebook"),
            ("twitter", "twitter.com/intent/tweet?url=", "Twitter"),
            ("telegram", "telegram.me/share/url?url=", "Telegram"),
        )
    )
    return (
        f'<div class="jeg_share_{where}_container"><div class="jeg_share_button clearfix">'
        '<div class="jeg_share_stats"><div class="jeg_share_count"><div class="counts">0</div>'
        '<span class="sharetext">SHARES</span></div></div><div class="jeg_sharelist">'
        f"{buttons}</div></div></div>"
    )


def article_main(view: ArticleView) -> str:
    """JNews single post template 1."""
    home = _home(view.url)
    crumbs = '<i class="fa fa-angle-right"></i>'.join(
        f'<span class=""><a href="{u}">{texturize(t)}</a></span>' for t, u in view.breadcrumbs
    )
    image = ""
    if view.image:
        src, w, h = view.image
        pad = round(h / w * 100, 3)
        image = (
            f'<div class="jeg_featured featured_image "><a href="{src}"><div '
            f'class="thumbnail-container animate-lazy" style="padding-bottom:{pad}%">'
            f"{_lazy_img(src, 750, 500, view.title)}</div></a></div>"
        )
    tags = (
        '<div class="jeg_post_tags"><span>Tags:</span> '
        + " ".join(f'<a href="{u}" rel="tag">{texturize(n)}</a>' for n, u in view.tags)
        + "</div>"
        if view.tags
        else ""
    )
    related = "".join(
        f'<article class="jeg_post jeg_pl_md_5 format-standard"><div class="jeg_postblock_content">'
        f'<h3 class="jeg_post_title"><a href="{u}">{texturize(t)}</a></h3></div></article>'
        for t, u in view.more[:3]
    )
    prevnext = ""
    if view.more:
        t, u = view.more[-1]
        prevnext = (
            '<div class="jnews_prev_next_container"><div class="jeg_prevnext_post">'
            f'<a href="{u}" class="post prev-post"><span class="caption">Previous Post</span>'
            f"<h3 class=\"post-title\">{texturize(t)}</h3></a></div></div>"
        )
    first_author = view.authors[0]
    return (
        '<div class="jeg_breadcrumbs jeg_breadcrumb_container"><div id="breadcrumbs">'
        f"{crumbs}</div></div>\n"
        f'<div class="entry-header"><h1 class="jeg_post_title">{texturize(view.title)}</h1>'
        '<div class="jeg_meta_container"><div class="jeg_post_meta jeg_post_meta_1">'
        '<div class="meta_left"><div class="jeg_meta_author"><img alt="'
        f'{attr(first_author[0])}" src="{home}wp-content/uploads/avatars/default.jpg" '
        'class="avatar avatar-80 photo" height="80" width="80" decoding="async"/>'
        f'<span class="meta_text">by</span> {_author_links(view.authors)}</div>'
        f'<div class="jeg_meta_date"><a href="{view.url}">{view.published_human}</a></div>'
        f'<div class="jeg_meta_category"><span><span class="meta_text">in</span> '
        f"{_cat_links(view.categories)}</span></div></div>"
        '<div class="meta_right"><div class="jeg_meta_comment"><a href="'
        f'{view.url}#comments"><i class="fa fa-comment-o"></i> 0</a></div></div></div></div>'
        "</div>\n"
        f"{image}\n"
        f"{_share(view.url, 'top')}\n"
        '<div class="jeg_ad jeg_article jnews_content_top_ads "><div class=\'ads-wrapper  \'>'
        "</div></div>\n"
        '<div class="entry-content no-share"><div class="jeg_share_button share-float '
        'jeg_sticky_share clearfix share-monocrhome"></div>\n'
        f'<div class="content-inner ">\n{view.content_html}\n</div>\n{tags}</div>\n'
        f"{_share(view.url, 'bottom')}\n"
        '<div class="jeg_ad jeg_article jnews_content_bottom_ads "><div class=\'ads-wrapper\'>'
        '<a href="https://ads.example.net/click?zone=tca-bottom" rel="noopener sponsored" '
        'class="adlink">Advertise with The Times of Central Asia</a><div class="ads-text">'
        "ADVERTISEMENT</div></div></div>\n"
        f"{prevnext}\n"
        '<div class="jnews_author_box_container "><div class="jeg_authorbox"><div '
        'class="jeg_author_content"><h3 class="jeg_author_name"><a href="'
        f'{first_author[1]}">{texturize(first_author[0])}</a></h3></div></div></div>\n'
        '<div class="jnews_related_post_container"><div class="jeg_postblock_22 jeg_postblock '
        'jeg_module_hook jeg_pagination_disable jeg_col_2o3 jnews_module_related">'
        '<div class="jeg_block_heading jeg_block_heading_6 jeg_subcat_right"><h3 '
        'class="jeg_block_title"><span>Related <strong>Posts</strong></span></h3></div>'
        '<div class="jeg_block_container"><div class="jeg_posts_wrap"><div class="jeg_posts '
        f'jeg_load_more_flag">{related}</div></div></div></div></div>\n'
        '<div class="jnews_comment_container"></div>'
    )


def notfound_main(base: str) -> str:
    """JNews 404 template (full width, no sidebar)."""
    return (
        '<div class="jnews-404 jeg_404_content"><div class="thumbnail-wrapper"><img '
        f'src="{base}/wp-content/themes/jnews/assets/img/404.png" alt="404"></div>'
        '<h1 class="jeg_archive_title">Page Not Found</h1><p>We&#039;re sorry, but the page '
        "you are looking for doesn&#039;t exist. Maybe try searching?</p>"
        f'<div class="jeg_search_wrapper"><form action="{base}/" method="get" '
        'class="jeg_search_form" target="_top"><input name="s" class="jeg_search_input" '
        'placeholder="Search..." type="text" value="" autocomplete="off"><button '
        'aria-label="Search Button" type="submit" class="jeg_search_button btn">'
        '<i class="fa fa-search"></i></button></form></div></div>'
    )
