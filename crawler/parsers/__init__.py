"""Page parsers: pure functions of a page (a parsel ``Selector`` or a Scrapy ``TextResponse``).

No Scrapy engine and no I/O here; each parser returns frozen dataclasses, and every extracted
value carries the label of the signal that supplied it (:mod:`crawler.parsers.sources`).
"""

from .article import FIELDS, ArticlePage, parse_article, strip_site_suffix
from .byline import split_names
from .header import DateLine, Quote, Ticker, parse_date_text, parse_dateline, parse_ticker
from .jsonld import JsonLd, loads_lenient
from .listing import ListingPage, ResultsLine, looks_like_post, parse_listing, parse_results
from .sources import LABELS, as_selector, first_of
from .text import normalize_ws, strip_shortcodes, visible_text

__all__ = [
    "FIELDS",
    "LABELS",
    "ArticlePage",
    "DateLine",
    "JsonLd",
    "ListingPage",
    "Quote",
    "ResultsLine",
    "Ticker",
    "as_selector",
    "first_of",
    "loads_lenient",
    "looks_like_post",
    "normalize_ws",
    "parse_article",
    "parse_date_text",
    "parse_dateline",
    "parse_listing",
    "parse_results",
    "parse_ticker",
    "split_names",
    "strip_shortcodes",
    "strip_site_suffix",
    "visible_text",
]
