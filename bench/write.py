"""Synthetic write benchmark: N articles through the real writer pipeline.

    python -m bench.write --articles 100000 [--output DIR] [--reruns 1]

Feeds synthetic normalized articles (about 300 words each, published over ten years, each
with the site's one boilerplate paragraph, which the writer learns and strips) and a year
of daily rates to :class:`pipelines.writer.ParquetWriterPipeline` with the
default batch size, commits, optionally reruns with every article again (all
unchanged, the common case of a scheduled rerun), and prints one JSON line: wall and
CPU time per run (and the writer's own share, ``timing/parquet_write_s``) and the
process's peak RSS (``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from scrapy import Spider
from scrapy.utils.reactor import install_reactor, is_reactor_installed
from scrapy.utils.test import get_crawler

from pipelines.records import Article, Rate, article_content_hash
from pipelines.writer import ParquetWriterPipeline

_WORDS = [
    "energy", "market", "central", "bank", "Kazakhstan", "Uzbekistan", "Kyrgyzstan",
    "Tajikistan", "Turkmenistan", "government", "reform", "exports", "pipeline", "water",
    "railway", "cotton", "grain", "investment", "inflation", "tenge", "som", "sum", "manat",
    "somoni", "parliament", "election",
]
_PARAGRAPHS = [" ".join(_WORDS[(i * 7 + j) % len(_WORDS)] for j in range(75)) + "."
               for i in range(40)]
_START = datetime(2016, 1, 1, tzinfo=UTC)


class _Bench(Spider):
    name = "bench"


#: The site's one boilerplate paragraph, in every article (learned and stripped by the
#: writer: see pipelines.boilerplate)
_BOILERPLATE = "Sign up for our weekly newsletter on Central Asia."


def articles(count: int, fetched_at: datetime) -> Iterator[Article]:
    """``count`` distinct synthetic articles, deterministic: four paragraphs of their own
    and the site's boilerplate paragraph."""
    span = 10 * 365 * 24 * 3600
    for i in range(count):
        own = [f"{_PARAGRAPHS[(i * k) % len(_PARAGRAPHS)]} ({i}.{k})" for k in (1, 3, 5, 7)]
        body = "\n\n".join([f"Article number {i}.", *own[:2], _BOILERPLATE, *own[2:]])
        article = Article(
            url=f"https://timesca.com/synthetic-article-{i}/", post_id=100_000 + i,
            title=f"Synthetic article {i} about {_WORDS[i % len(_WORDS)]}",
            summary=_PARAGRAPHS[i % len(_PARAGRAPHS)][:160], body_text=body,
            authors=[f"Author {i % 50}"],
            published_at=_START + timedelta(seconds=(i * 7919 * 3600) % span),
            modified_at=None, categories=["Kazakhstan", "Business"], tags=[f"tag{i % 300}"],
            image_url=f"https://timesca.com/wp-content/uploads/{i}.jpg",
            word_count=len(body.split()), sources={"title": "jsonld", "body_text": "wp"},
            fetched_url=None, fetched_at=fetched_at)
        article.content_hash = article_content_hash(article)
        yield article


def rates(days: int, fetched_at: datetime) -> Iterator[Rate]:
    for d in range(days):
        for base in ("KGS", "KZT", "TJS", "UZS", "TMT"):
            yield Rate(base=base, quote="USD", rate=Decimal("0.00190"), rate_text="0.00190",
                       change_pct=Decimal("0"), change_text="0%",
                       observed_on=date(2024, 1, 1) + timedelta(days=d),
                       observed_on_source="dateline", page_url="https://timesca.com/",
                       fetched_at=fetched_at)


def run_once(output: Path, count: int, when: datetime) -> dict[str, float | int]:
    """One run: feed, commit; returns seconds and the writer's counts."""
    if not is_reactor_installed():  # get_crawler() needs one on Scrapy 2.14
        install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    crawler = get_crawler(_Bench, {"OUTPUT_DIR": str(output)})
    writer = ParquetWriterPipeline.from_crawler(crawler)
    started, cpu = time.perf_counter(), time.process_time()
    writer.open_spider()
    for item in articles(count, when):
        writer.process_item(item)
    for item in rates(365, when):
        writer.process_item(item)
    writer.close_spider()
    stats = crawler.stats.get_stats()
    return {"seconds": round(time.perf_counter() - started, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),
            # the writer's own storage work (timing/parquet_write_s), without the
            # synthetic items' making
            "write_seconds": round(stats.get("timing/parquet_write_s", 0.0), 2),
            "new": stats.get("output/articles_new", 0),
            "unchanged": stats.get("output/articles_unchanged", 0),
            "total": stats.get("output/articles_total", 0)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--reruns", type=int, default=0, help="reruns with the same articles")
    parser.add_argument("--output", type=Path, help="output directory (default: a temp dir)")
    args = parser.parse_args(argv)
    output = args.output or Path(tempfile.mkdtemp(prefix="bench-write-"))
    started = time.perf_counter()
    try:
        runs = [run_once(output, args.articles, datetime(2025, 1, 10 + n, tzinfo=UTC))
                for n in range(1 + args.reruns)]
        files = sorted(p for p in (output / "articles").rglob("*.parquet"))
        size = sum(p.stat().st_size for p in files)
    finally:
        if args.output is None:
            shutil.rmtree(output, ignore_errors=True)
    print(json.dumps({
        "articles": args.articles, "runs": runs,
        "wall_seconds": round(time.perf_counter() - started, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "article_files": len(files), "article_bytes": size,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
