"""Parse-only speed: the project's page parsers over replica pages, no network, no engine.

Pages are rendered by the replica (every theme and SEO head the replica knows), wrapped in
Scrapy ``HtmlResponse`` objects once, and then parsed the way the spider parses them: an
article page by :func:`parse_article` plus the header (ticker, date line), a listing page
by :func:`parse_listing` plus the header. Time is CPU time (``time.process_time``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scrapy.http import HtmlResponse

from crawler.parsers import parse_article, parse_dateline, parse_listing, parse_ticker
from tests.replica import ReplicaConfig, ReplicaSite
from tests.replica.model import SEO_NAMES, THEME_NAMES

BASE = "http://replica.test"


@dataclass(frozen=True)
class Sample:
    """Rendered pages of one replica variant."""

    variant: str
    articles: list[HtmlResponse]
    listings: list[HtmlResponse]


def _response(site: ReplicaSite, path: str) -> HtmlResponse | None:
    status, headers, body = site.handle("GET", path, BASE)
    if status != 200:
        return None
    return HtmlResponse(BASE + path, body=body, headers=headers, encoding="utf-8")


def sample(theme: str, seo: str, articles: int, listings: int, seed: int = 1) -> Sample:
    """``articles`` article pages and ``listings`` pages of /latest/ of one replica variant."""
    site = ReplicaSite(ReplicaConfig(seed=seed, posts=max(articles, listings * 6, 10), theme=theme,
                                     seo=seo))
    arts = [r for p in site.content.posts[:articles]
            if (r := _response(site, f"/{p.slug}/")) is not None]
    lists = [r for n in range(1, listings + 1)
             if (r := _response(site, "/latest/" if n == 1 else f"/latest/page/{n}/"))
             is not None]
    return Sample(f"{theme}/{seo}", arts, lists)


def _article(response: HtmlResponse) -> Any:
    parse_ticker(response)
    parse_dateline(response)
    return parse_article(response, response.url)


def _listing(response: HtmlResponse) -> Any:
    parse_ticker(response)
    parse_dateline(response)
    return parse_listing(response, response.url)


def _fresh(response: HtmlResponse) -> HtmlResponse:
    # a response caches its selector: parse a fresh copy so the HTML is parsed every time
    return response.replace()


def time_pages(pages: list[HtmlResponse], parse: Callable[[HtmlResponse], Any],
               repeat: int) -> list[float]:
    """CPU milliseconds per page, one figure per repetition."""
    out = []
    for _ in range(repeat):
        fresh = [_fresh(p) for p in pages]
        start = time.process_time()
        for page in fresh:
            parse(page)
        out.append((time.process_time() - start) * 1000 / max(len(pages), 1))
    return out


def run(variants: list[tuple[str, str]], articles: int, listings: int,
        repeat: int) -> list[dict[str, Any]]:
    """Median CPU ms per article page and per listing page, for each variant."""
    rows = []
    for theme, seo in variants:
        s = sample(theme, seo, articles, listings)
        art = time_pages(s.articles, _article, repeat)
        lst = time_pages(s.listings, _listing, repeat)
        rows.append({
            "variant": s.variant,
            "article_pages": len(s.articles),
            "listing_pages": len(s.listings),
            "article_ms": statistics.median(art),
            "listing_ms": statistics.median(lst),
            "articles_per_s": 1000 / statistics.median(art),
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.parse_only``: print a table (and JSON with ``--json``)."""
    ap = argparse.ArgumentParser(prog="python -m bench.parse_only")
    ap.add_argument("variants", nargs="*", default=["classic/yoast", "magazine/yoast"],
                    help=f"theme/seo pairs; themes {THEME_NAMES}, seo {SEO_NAMES}")
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--listings", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    variants = []
    for v in args.variants:
        theme, _, seo = v.partition("/")
        if theme not in THEME_NAMES or (seo or "yoast") not in SEO_NAMES:
            ap.error(f"unknown variant {v!r}")
        variants.append((theme, seo or "yoast"))
    rows = run(variants, args.articles, args.listings, args.repeat)
    print(f"{'variant':<18}{'article ms':>11}{'listing ms':>11}{'articles/s':>11}")
    for r in rows:
        print(f"{r['variant']:<18}{r['article_ms']:>11.2f}{r['listing_ms']:>11.2f}"
              f"{r['articles_per_s']:>11.0f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
