"""Article pages: every ``ArticleItem`` field, each with the source label that supplied it.

Per field the most standard signal is tried first (JSON-LD, meta, link rels, WordPress core
markup), then the selectors of known themes (:mod:`crawler.parsers.themes`), then a
structural fallback; see docs/ARCHITECTURE.md for the labels. What the extractors share is
the page context (:class:`crawler.parsers.context.PageContext`).
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import htmldate
from lxml import etree

from crawler.dates import find_date, read_date
from crawler.items import ARTICLE_FIELDS
from crawler.urls import absolute, site_host, term_path

from . import themes
from .body import FALLBACK, REPLACED, WP_BODY, extract_body
from .byline import byline_names, split_names
from .context import H1, PageContext
from .css import Css, folded_tokens, has_token
from .jsonld import text_value, url_value
from .sources import (
    GENERIC,
    JSONLD,
    LINK,
    META,
    NONE,
    TEXT,
    THEME,
    URL,
    WP,
    Step,
    as_selector,
    first_of,
    is_empty,
)
from .text import humanize, normalize_ws, strip_shortcodes, unique, visible_text

#: The field names of ``ArticleItem`` that a parse fills, in item order.
FIELDS: tuple[str, ...] = ARTICLE_FIELDS


@dataclass(frozen=True)
class ArticlePage:
    """An article's fields (``ArticleItem`` names), per field the winning source label, what
    the parse noticed about the values (``flags``: ``published_at:unreadable``,
    ``body_text:replaced``), how the body's cross-check went (``body_check``, one of
    :data:`crawler.parsers.body.CHECKS`) and why it ran (``body_suspicion``: ``short``,
    ``links``, ``form``, ``page-text``; empty when it did not)."""

    fields: dict[str, Any]
    sources: dict[str, str]
    flags: tuple[str, ...] = ()
    body_check: str = ""
    body_suspicion: str = ""


def _ld(value: Any) -> str | None:
    """A JSON-LD string value with HTML entities decoded and whitespace normalized."""
    text = text_value(value)
    return normalize_ws(html.unescape(text)) if text else None


# -- small helpers ---------------------------------------------------------------------

_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " // ")
_ELLIPSIS = ("...", "…", "[…]", "[...]")


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def _site_names(page: PageContext) -> list[str]:
    names = [page.m("og:site_name"), page.m("application-name"),
             page.m("apple-mobile-web-app-title"), *page.ld.site_names()]
    return unique(normalize_ws(n) for n in names if n)


def strip_site_suffix(title: str | None, site_names: Iterable[str], host: str = "",
                      *, heading: str | None = None, loose: bool = False) -> str | None:
    """Remove a ``" - Site Name"`` style suffix (or prefix) from a page title.

    A suffix goes when it names the site (og:site_name, JSON-LD WebSite, the host) or when
    what precedes it is exactly the page heading; with ``loose`` (the last-resort <title>)
    a short trailing part goes too.
    """
    if not title:
        return None
    title = normalize_ws(title)
    known = {_compact(n) for n in site_names if n}
    if host:
        known.update({_compact(host), _compact(host.split(".")[0])})
    known.discard("")
    for sep in _SEPARATORS:
        if sep not in title:
            continue
        left, right = title.rsplit(sep, 1)
        if _compact(right) in known or (heading and normalize_ws(left) == heading):
            return normalize_ws(left)
        first, rest = title.split(sep, 1)
        if _compact(first) in known:
            return normalize_ws(rest)
        if loose and len(right.split()) <= 6 and len(left) >= len(right):
            return normalize_ws(left)
    return title


def _looks_truncated(text: str) -> bool:
    return text.rstrip().endswith(_ELLIPSIS) or len(text) >= 100


def _stem(text: str) -> str:
    text = text.rstrip()
    for e in _ELLIPSIS:
        if text.endswith(e):
            text = text[: -len(e)]
    return text.rstrip(" ,;:-–").casefold()


def _attr(el: etree._Element, *names: str) -> str | None:
    for name in names:
        value = el.get(name)
        if value and value.strip():
            return value.strip()
    return None


_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|webp|gif|avif)$", re.IGNORECASE)


def _img_src(el: etree._Element, base: str) -> str | None:
    """The image's URL: src, else a lazy-loading attribute, else a srcset; never a data: URI.

    An image wrapped in a link to an image file (WordPress "link to media file", JNews
    featured images) gives that file: the full-size original rather than a resized copy.
    """
    for a in el.iterancestors("a"):
        href = absolute(a.get("href"), base)
        if href and _IMAGE_FILE.search(urlsplit(href).path) and site_host(href) == site_host(base):
            return href
        break
    for name in ("src", "data-src", "data-lazy-src", "data-original", "data-img-url"):
        src = absolute(el.get(name), base)  # absolute() refuses data: URIs
        if src:
            return src
    for name in ("srcset", "data-srcset", "data-lazy-srcset"):
        for candidate in (el.get(name) or "").split(","):
            src = absolute(candidate.strip().split(" ")[0], base)
            if src:
                return src
    return None


def _post_class_slugs(page: PageContext, prefix: str) -> list[str]:
    """Slugs of the article's ``PREFIX-SLUG`` post classes (``category-``, ``tag-``); the
    numeric ones (term ids) left out."""
    return unique(c[len(prefix):] for c in (page.article_el.get("class") or "").split()
                  if c.startswith(prefix) and not c[len(prefix):].isdigit())


def _post_class_terms(page: PageContext, prefix: str) -> list[str]:
    return unique(humanize(slug) for slug in _post_class_slugs(page, prefix))


# -- url, post id, title ---------------------------------------------------------------


def _url(page: PageContext) -> tuple[Any, str]:
    def ld_url() -> str | None:
        value = url_value(page.webpage) or url_value(page.art.get("mainEntityOfPage"))
        value = value or url_value(page.art.get("url"))
        return absolute(value.split("#")[0], page.url) if value else None

    return first_of((
        (LINK, lambda: absolute(_first(_link_hrefs(page, _LINK_REL, "canonical", "CANONICAL")),
                                page.url)),
        (META, lambda: absolute(page.m("og:url"), page.url)),
        (JSONLD, ld_url),
        (URL, lambda: page.url),
    ))


def _first(values: list[Any]) -> Any:
    return values[0] if values else None


_LINK_REL = Css("link[rel][href]")
_LINK_SHORTLINK = Css("link[rel~=shortlink][href]")
_LINK_WP_JSON = Css("link[rel=alternate][type*=json][href]")
_COMMENT_POST_ID = Css("input[name=comment_post_ID][value]")


def _link_hrefs(page: PageContext, css: Css, rel: str, fold: str = "") -> list[str]:
    """hrefs of the ``css`` matches whose rel has token ``rel`` (``fold`` letters any case)."""
    return [el.get("href") for el in page.select(css)
            if rel in folded_tokens(el.get("rel") or "", fold)]


def _int_or_none(text: Any) -> int | None:
    text = str(text or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def _post_id(page: PageContext) -> tuple[Any, str]:
    def shortlink() -> int | None:
        for href in [el.get("href") for el in page.select(_LINK_SHORTLINK)]:
            value = parse_qs(urlsplit(href).query).get("p", [""])[0]
            if _int_or_none(value):
                return _int_or_none(value)
        return None

    def wp_json() -> int | None:
        for href in [el.get("href") for el in page.select(_LINK_WP_JSON)]:
            m = re.search(r"/wp/v2/posts/(\d+)", unquote(href))
            if m:
                return int(m.group(1))
        return None

    def body_class() -> int | None:
        body = page.index.body()
        m = re.search(r"(?:^|\s)postid-(\d+)(?:\s|$)", body.get("class") or "")
        return int(m.group(1)) if m else None

    def post_class() -> int | None:
        el = page.article_el
        for value in [el.get("id") or "", *(el.get("class") or "").split()]:
            m = re.fullmatch(r"post-(\d+)", value)
            if m:
                return int(m.group(1))
        return None

    def comment_form() -> int | None:
        return _int_or_none(_first([el.get("value") for el in page.select(_COMMENT_POST_ID)]))

    return first_of((
        (LINK, shortlink), (LINK, wp_json), (WP, body_class), (WP, post_class),
        (WP, comment_form),
    ))


_WP_TITLE = Css(".entry-title")
_TITLE = Css("title")


def _title(page: PageContext) -> tuple[Any, str]:
    names = _site_names(page)
    host = site_host(page.url)
    h1s = [normalize_ws(visible_text(h)) for h in page.select(H1)]
    heading = next((h for h in h1s if h), None)

    def strip(value: str | None) -> str | None:
        # every source may carry the SEO title "%title% - %sitename%" (Rank Math puts it in
        # the JSON-LD headline and name too), so the site suffix goes from each of them
        return strip_site_suffix(value, names, host, heading=heading)

    candidates: list[Step] = [
        (JSONLD, lambda: strip(_ld(page.art.get("headline")) or _ld(page.art.get("name")))),
        (META, lambda: strip(page.m("og:title"))),
        (META, lambda: strip(page.m("twitter:title"))),
        (WP, lambda: strip(_first(page.texts(_WP_TITLE)))),
        (THEME, lambda: strip(_first(page.texts(themes.TITLE)))),
        (GENERIC, lambda: heading),
        (GENERIC, lambda: strip_site_suffix(
            _first([t for el in page.select(_TITLE) for t in el.xpath("text()")]), names, host,
            heading=heading, loose=True)),
    ]
    values: list[tuple[str, str]] = []
    for label, thunk in candidates:
        value, got = first_of([(label, thunk)])
        if got != NONE:
            values.append((normalize_ws(value), label))
    if not values:
        return None, NONE
    best, label = values[0]
    if _looks_truncated(best):
        stem = _stem(best)
        for other, other_label in values[1:]:
            if (len(other) > len(stem) and other.casefold().startswith(stem)
                    and other.casefold() != best.casefold()
                    and not other.rstrip().endswith(_ELLIPSIS)):
                return other, other_label
    return best, label


# -- authors ---------------------------------------------------------------------------

def _twitter_author(page: PageContext) -> list[str]:
    for i in range(1, 6):
        label = (page.m(f"twitter:label{i}") or "").casefold().rstrip(": ")
        if label in {"written by", "author", "authors", "by"}:
            return split_names(page.m(f"twitter:data{i}"))
    return []


def _meta_author(page: PageContext) -> list[str]:
    out = []
    for key in ("author", "article:author", "parsely-author", "sailthru.author"):
        for value in page.meta.get(key, []):
            if not value.startswith(("http://", "https://")):
                out.extend(split_names(value))
    return unique(out)


_WP_AUTHOR = Css(
    "a[rel~=author],"
    # core/post-author-name (block themes: one block per co-author) and core/post-author
    " .wp-block-post-author-name, .wp-block-post-author__name,"
    " .byline .author a, .author.vcard .fn, .author.vcard a, [itemprop=author] [itemprop=name]"
)


def _names_from(page: PageContext, css: Css) -> list[str]:
    out: list[str] = []
    for text in page.texts(css):
        out.extend(split_names(text))
    return unique(out)


def _authors(page: PageContext) -> tuple[Any, str]:
    """JSON-LD names, unless a byline/meta signal names the same people and more.

    Rank Math's schema names the WordPress post author only; a co-author appears in the
    byline alone. A lower-priority signal that yields a strict superset of the JSON-LD names
    wins (its order, its label). Furniture (comments, sidebar, author boxes of other posts) is
    never searched, so a commenter cannot be merged in.
    """
    rest: list[Step] = [
        (META, lambda: _meta_author(page)),
        (META, lambda: _twitter_author(page)),
        (WP, lambda: _names_from(page, _WP_AUTHOR)),
        (THEME, lambda: _names_from(page, themes.AUTHOR)),
        (TEXT, lambda: byline_names(page.article_el)),
    ]
    ld_names, label = first_of([
        (JSONLD, lambda: [html.unescape(n) for n in page.ld.names(page.art.get("author"))]),
    ])
    if label == NONE:
        return first_of(rest)
    ld_keys = {_compact(n) for n in ld_names}
    for step in rest:
        names, got = first_of([step])
        if got == NONE:
            continue
        keys = {_compact(n) for n in names}
        if ld_keys < keys:
            return names, got
    return ld_names, label


# -- dates -----------------------------------------------------------------------------


def _date_attr(page: PageContext, css: Css) -> str | None:
    for el in page.find(css):
        value = _attr(el, "datetime", "content", "title")
        if value:
            return value
    return None


def _display_date(page: PageContext) -> str | None:
    """The shown date text ("January 3, 2025") of a theme that prints no machine date."""
    for el in page.find(themes.DATE_TEXT):
        found = find_date(visible_text(el))
        if found:
            return found.isoformat()
    return None


def _htmldate(page: PageContext) -> str | None:
    """htmldate's publication date of the page (URL, headers, text patterns): the day only.
    It runs on a copy of the tree (it prunes what it reads)."""
    root = page.root.getroottree().getroot()
    try:
        found = htmldate.find_date(copy.deepcopy(root), url=page.url, original_date=True,
                                   extensive_search=True, outputformat="%Y-%m-%d")
    except (ValueError, TypeError, AttributeError, OverflowError, etree.LxmlError):
        return None
    reading = read_date(found)
    return reading.isoformat() if reading else None


_PUBLISHED_HATOM = Css("time.entry-date.published, .published[datetime], .published[title]")
_PUBLISHED_ITEMPROP = Css("[itemprop=datePublished]")
_ENTRY_DATE = Css("time.entry-date")
# core/post-date (block themes); its "modified" variant carries the same class
_BLOCK_PUBLISHED = Css(
    ".wp-block-post-date:not(.wp-block-post-date__modified-date) time[datetime]")
_TIME = Css("time[datetime]")
# hAtom "updated". "entry-date published updated" is one time that is both dates (an
# unmodified post), but tagDiv marks its publish time "entry-date updated" with no
# "published": that is the publication date, not a modification.
_UPDATED_HATOM = Css(
    ".updated:not(.entry-date)[datetime], .updated:not(.entry-date)[title],"
    " .updated.published[datetime], .updated.published[title]")
_MODIFIED_ITEMPROP = Css("[itemprop=dateModified]")
# core/post-date with displayType "modified" (Twenty Twenty-Four/Five)
_BLOCK_MODIFIED = Css(
    ".wp-block-post-date__modified-date time[datetime],"
    " .wp-block-post-date__modified-date[datetime]")


def _dates(page: PageContext, name: str, chain: list[Step]) -> tuple[Any, str]:
    """The first signal of ``chain`` whose text is a date (see :mod:`crawler.dates`), in the
    canonical form ``YYYY-MM-DD`` (a day only) or ISO 8601. A signal whose text cannot be
    read gives way to the next one, and the field is flagged ``<name>:unreadable``; when no
    signal can be read, the first unreadable text is the value (normalization refuses it,
    and the article's reject shows it)."""
    def readable(label: str, thunk: Callable[[], Any]) -> Step:
        def read() -> str | None:
            raw = thunk()
            if is_empty(raw):
                return None
            found = read_date(str(raw))
            if found is None:
                page.unreadable.setdefault(name, (label, str(raw)))
                return None
            return found.isoformat()
        return label, read

    value, label = first_of([readable(label, thunk) for label, thunk in chain])
    if name in page.unreadable:
        if label == NONE:  # nothing readable: the text as found, for the reject to show
            label, value = page.unreadable[name]
        else:
            page.flags.append(f"{name}:unreadable")
    return value, label


def _published(page: PageContext) -> tuple[Any, str]:
    return _dates(page, "published_at", [
        (JSONLD, lambda: _ld(page.art.get("datePublished"))),
        (JSONLD, lambda: _ld(page.webpage.get("datePublished"))),
        (META, lambda: page.m("article:published_time", "og:article:published_time",
                              "datepublished", "date", "publish-date", "dc.date.issued")),
        (WP, lambda: _date_attr(page, _PUBLISHED_HATOM)),
        (WP, lambda: _date_attr(page, _PUBLISHED_ITEMPROP)),
        (WP, lambda: _date_attr(page, _ENTRY_DATE)),
        (WP, lambda: _date_attr(page, _BLOCK_PUBLISHED)),
        (THEME, lambda: _date_attr(page, themes.PUBLISHED)),
        (GENERIC, lambda: _date_attr(page, _TIME)),
        (THEME, lambda: _display_date(page)),
        (GENERIC, lambda: _htmldate(page)),
    ])


def _modified(page: PageContext) -> tuple[Any, str]:
    # no generic fallback: a page that shows no modification time has none
    return _dates(page, "modified_at", [
        (JSONLD, lambda: _ld(page.art.get("dateModified"))),
        (JSONLD, lambda: _ld(page.webpage.get("dateModified"))),
        (META, lambda: page.m("article:modified_time", "og:updated_time",
                              "og:article:modified_time", "datemodified", "last-modified")),
        (WP, lambda: _date_attr(page, _UPDATED_HATOM)),
        (WP, lambda: _date_attr(page, _MODIFIED_ITEMPROP)),
        (WP, lambda: _date_attr(page, _BLOCK_MODIFIED)),
        (THEME, lambda: _date_attr(page, themes.MODIFIED)),
    ])


# -- taxonomies, image -----------------------------------------------------------------

_TAXONOMY_CATEGORY_LINK = Css(".taxonomy-category a[href]")
_LINK = Css("a[href]")
_REL_LINK = Css("a[rel]")


def _rel(a: etree._Element) -> frozenset[str]:
    """Tokens of a link's rel, the letters of "category" and "tag" in any case."""
    return folded_tokens(a.get("rel") or "", "CATEGORYTAG")


def _is_category_rel(a: etree._Element) -> bool:
    return "category" in _rel(a)


def _is_tag_rel(a: etree._Element) -> bool:
    return "tag" in _rel(a) and "category" not in _rel(a)


def _archive_links(page: PageContext, base: str) -> list[str]:
    """Texts of links into the site's /category/ (or /tag/) archives within the article."""
    out = []
    for a in page.find(_LINK):
        href = absolute(a.get("href"), page.url) or ""
        split = urlsplit(href)
        if site_host(href) == site_host(page.url) and split.path.startswith(f"/{base}/"):
            out.append(normalize_ws(visible_text(a)))
    return unique(out)


def _is_category_link(page: PageContext, a: etree._Element) -> bool:
    """A link into a /category/ archive, or one inside a category post-terms block (block
    themes mark its links rel="tag")."""
    path = urlsplit(absolute(a.get("href"), page.url) or "").path
    return path.startswith("/category/") or any(
        has_token(x, "taxonomy-category") for x in a.iterancestors())


def _term_texts(page: PageContext, css: Css, *, categories: bool,
                where: Callable[[etree._Element], bool] | None = None) -> list[str]:
    """Link texts, keeping only category links (or only non-category links)."""
    return unique(normalize_ws(visible_text(a)) for a in page.find(css, where)
                  if _is_category_link(page, a) == categories)


def _category_links(page: PageContext) -> list[Step]:
    return [
        (WP, lambda: page.texts(_REL_LINK, _is_category_rel)),
        (WP, lambda: page.texts(_TAXONOMY_CATEGORY_LINK)),
        (THEME, lambda: page.texts(themes.CATEGORIES)),
    ]


def _categories(page: PageContext) -> tuple[Any, str]:
    """JSON-LD articleSection, in the order of the page's category links when they agree.

    Rank Math prints articleSection as one comma-separated string sorted by name; it is split,
    and when the visible category links name the same set, their (the post's) order is kept.
    """
    links, links_label = first_of(_category_links(page))
    links = links or []
    raw = page.art.get("articleSection")
    ld = [html.unescape(s) for s in page.ld.strings(raw, split_commas=isinstance(raw, str))]
    if ld:
        if ({_compact(n) for n in links} == {_compact(n) for n in ld}
                and len(links) == len(ld) and links != ld):
            return links, links_label
        return ld, JSONLD
    if links_label != NONE:
        return links, links_label
    return first_of((
        (WP, lambda: _post_class_terms(page, "category-")),
        (GENERIC, lambda: _archive_links(page, "category")),
    ))


Term = tuple[str, str]


def _linked_terms(page: PageContext, css: Css, where: Callable[[etree._Element], bool] | None,
                  *, any_base: bool = False) -> list[Term]:
    """(path, name) of the site's category links matching ``css``; with ``any_base`` (links
    marked rel="category") a link outside /category/ is read as a site that strips the
    category base."""
    out: dict[str, str] = {}
    for a in page.find(css, where):
        href = absolute(a.get("href"), page.url) or ""
        if site_host(href) != site_host(page.url):
            continue
        path = term_path(href) or (term_path(href, base="") if any_base else None)
        if path and path not in out:
            out[path] = normalize_ws(visible_text(a))
    return list(out.items())


def _class_terms(page: PageContext) -> list[Term]:
    """(slug, "") of the article's ``category-SLUG`` post classes: no parents, no names."""
    return [(slug, "") for slug in unique(s.lower() for s in
                                          _post_class_slugs(page, "category-"))]


def _category_terms(page: PageContext) -> tuple[Any, str]:
    """The post's category terms as (path, name), from the links that name its terms: core's
    rel="category" links, a category post-terms block, theme meta, then any link into a
    /category/ archive within the article, then the post classes (slugs without parents)."""
    return first_of((
        (WP, lambda: _linked_terms(page, _REL_LINK, _is_category_rel, any_base=True)),
        (WP, lambda: _linked_terms(page, _TAXONOMY_CATEGORY_LINK, None)),
        (THEME, lambda: _linked_terms(page, themes.CATEGORIES, None)),
        (GENERIC, lambda: _linked_terms(page, _LINK, None)),
        (WP, lambda: _class_terms(page)),
    ))


def _tags(page: PageContext) -> tuple[Any, str]:
    """Tags: Yoast's JSON-LD keywords, else visible tag links, article:tag, post classes.

    JSON-LD "keywords" are the post's tags only in Yoast's graph; Rank Math prints its focus
    keywords there, so other keywords are never read as tags. Block themes mark category
    links rel="tag" too: links into /category/ (or in a category terms block) are left out.
    """
    return first_of((
        (JSONLD, lambda: [html.unescape(s) for s in
                          page.ld.strings(page.art.get("keywords"), split_commas=True)]
                         if page.ld.yoast else None),
        (WP, lambda: _term_texts(page, _REL_LINK, categories=False, where=_is_tag_rel)),
        (META, lambda: unique(page.meta.get("article:tag", []))),
        (THEME, lambda: _term_texts(page, themes.TAGS, categories=False)),
        (WP, lambda: _post_class_terms(page, "tag-")),
        (GENERIC, lambda: _archive_links(page, "tag")),
    ))


_WP_IMAGE = Css("img.wp-post-image, .post-thumbnail img")


def _image(page: PageContext) -> tuple[Any, str]:
    def ld_image() -> str | None:
        for value in (page.art.get("image"), page.art.get("thumbnailUrl"),
                      page.webpage.get("primaryImageOfPage"), page.webpage.get("image"),
                      page.webpage.get("thumbnailUrl")):
            found = page.ld.image_url(value)
            if found:
                return absolute(found, page.url)
        return None

    def img(css: Css) -> str | None:
        for el in page.find(css):
            src = _img_src(el, page.url)
            if src:
                return src
        return None

    return first_of((
        (META, lambda: absolute(page.m("og:image", "og:image:url", "og:image:secure_url",
                                       "twitter:image", "twitter:image:src"), page.url)),
        (JSONLD, ld_image),
        (WP, lambda: img(_WP_IMAGE)),
        (THEME, lambda: img(themes.IMAGE)),
    ))


# -- body ------------------------------------------------------------------------------


def _body(page: PageContext) -> tuple[Any, str]:
    page.body = extract_body(page.index, [*page.scope(), page.root], page.article_el,
                             page.main, page.url, [(WP, WP_BODY), (THEME, themes.BODY)],
                             page.html)
    return page.body.text, page.body.source


# -- summary and the whole page --------------------------------------------------------


def _summary(page: PageContext) -> tuple[Any, str]:
    def clean(value: str | None) -> str | None:
        return strip_shortcodes(html.unescape(value)) if value else None

    return first_of((
        (META, lambda: clean(page.m("description"))),
        (META, lambda: clean(page.m("og:description"))),
        (META, lambda: clean(page.m("twitter:description"))),
        (JSONLD, lambda: clean(_ld(page.art.get("description"))
                               or _ld(page.webpage.get("description")))),
        # no fallback to the first paragraph: a page that publishes no description has none
    ))


def parse_article(page: Any, url: str) -> ArticlePage:
    """Extract every ``ArticleItem`` field of an article page with its source label."""
    sel = as_selector(page)
    if not isinstance(sel.root, etree._Element):
        fields: dict[str, Any] = dict.fromkeys(FIELDS)
        fields.update(url=url, authors=[], categories=[], tags=[], category_paths=[],
                      category_path_names=[])
        sources = dict.fromkeys(FIELDS, NONE)
        sources["url"] = URL
        return ArticlePage(fields, sources, body_check=FALLBACK)
    ctx = PageContext(sel, url)
    # the generic extractor reads the page as served (a response's text, or the text a
    # selector was made from) rather than the tree parsel built
    ctx.html = page if isinstance(page, str) else getattr(page, "text", None)
    fields = {}
    sources = {}
    extractors: dict[str, Callable[[PageContext], tuple[Any, str]]] = {
        "url": _url, "post_id": _post_id, "title": _title, "authors": _authors,
        "published_at": _published, "modified_at": _modified, "categories": _categories,
        "tags": _tags, "image_url": _image, "body_text": _body,
    }
    for name, extract in extractors.items():
        fields[name], sources[name] = extract(ctx)
    fields["summary"], sources["summary"] = _summary(ctx)
    terms, sources["category_paths"] = _category_terms(ctx)
    fields["category_paths"] = [path for path, _ in terms or ()]
    fields["category_path_names"] = [name for _, name in terms or ()]
    sources["category_path_names"] = sources["category_paths"]
    body = fields["body_text"]
    fields["word_count"] = len(body.split()) if body else None
    sources["word_count"] = sources["body_text"]
    for name in ("authors", "categories", "tags", "category_paths", "category_path_names"):
        fields[name] = list(fields[name] or [])
    for name in ("title", "summary", "published_at", "modified_at"):
        if isinstance(fields[name], str):
            fields[name] = normalize_ws(fields[name]) or None
        if is_empty(fields[name]):
            fields[name], sources[name] = None, NONE
    assert ctx.body is not None
    if ctx.body.check == REPLACED:
        ctx.flags.append("body_text:replaced")
    return ArticlePage({k: fields[k] for k in FIELDS}, {k: sources[k] for k in FIELDS},
                       tuple(ctx.flags), ctx.body.check, ctx.body.reason)
