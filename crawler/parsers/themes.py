"""Selectors of known themes: where a theme puts a field that WordPress core markup does not
give. The field chains try them after the standard signals (source label ``theme``).

Each is a union over themes: tagDiv Newspaper (``td-``; its Composer blocks ``tdb-``),
JNews (``jeg_``), Soledad (``penci-``), and class names several themes share
(``post-title``, ``post-content``, ``posted-on``...).
"""

from __future__ import annotations

from .css import Css

# -- article fields --------------------------------------------------------------------

TITLE = Css(
    ".td-post-title h1, h1.tdb-title-text, .post-title, .article-title, .single-title,"
    " .entry-title-text, .jeg_post_title"
)
AUTHOR = Css(
    ".td-post-author-name a, .tdb-author-name, .author-name, .post-author-name, .post-author a,"
    " .entry-author a, .meta-author a, .jeg_meta_author a"
)
#: Elements showing a post's date as text only (no time element, no datetime attribute).
DATE_TEXT = Css(
    ".jeg_meta_date, .td-post-date, .post-date, .posted-on, .meta-date, .entry-date")
PUBLISHED = Css(
    ".td-post-date time[datetime], .tdb-post-date time[datetime], .post-date time[datetime],"
    " .posted-on time[datetime], .meta-date time[datetime], .entry-date time[datetime]")
MODIFIED = Css(".post-modified time[datetime], .modified time[datetime]")
CATEGORIES = Css(
    ".td-category a, .tdb-category a, .entry-category a, .cat-links a, .post-categories a,"
    " a.td-post-category, .category-links a, .jeg_meta_category a, .post-category a")
TAGS = Css(
    ".td-tags a, .tdb-tags a, .tags-links a, .post-tags a, .entry-tags a, .tag-links a,"
    " .jeg_post_tags a, .article-tags a")
IMAGE = Css(
    ".td-post-featured-image img, .tdb_single_featured_image img, .featured-image img,"
    " .entry-thumb img, img.entry-thumb")
#: Content containers of the article's body.
BODY = Css(
    ".td-post-content, .tdb_single_content .tdb-block-inner, .post-content, .article-content,"
    " .single-content, .entry-body, .post-body, .article-body, .story-content, .post-entry,"
    " .jeg_post_content, .content-inner"
)

# -- archive pages ---------------------------------------------------------------------

#: A teaser's link to its post.
POST_LINK = Css(
    "[class*=td_module_] .entry-title a[href], [class*=td-module-] .entry-title a[href],"
    " .td-module-title a[href], .jeg_post_title a[href], .post-title a[href],"
    " .post-box-title a[href], .penci-entry-title a[href], .blog-entry-title a[href]")
#: The link to the archive's next page.
NEXT_PAGE = Css(
    ".page-nav a[aria-label=next-page], a[aria-label=next-page], a.nextpostslink,"
    " .pagination a.next, .pagination .next a, .jeg_pagenav a[class*=next]")
