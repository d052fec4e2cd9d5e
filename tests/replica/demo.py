"""``make demo``: serve the bundled replica on loopback, crawl it, show the result, and
write the HTML report (``timesca-report``) into the output directory.

    python -m tests.replica.demo [--output output] [--posts 240] [--theme classic]
"""

from __future__ import annotations

import argparse
import json
import sys

from crawler.extensions.summary import format_summary
from tests.crawlrun import PROJECT_ROOT, crawl_command, run_crawl
from tests.replica import ReplicaConfig, ReplicaSite, serve

EXAMPLE_QUERY = """\
SELECT date_trunc('month', published_at) AS month, count(*) AS articles,
       round(avg(word_count)) AS avg_words
FROM read_parquet('{articles}/**/*.parquet', hive_partitioning = true)
GROUP BY 1 ORDER BY 1 DESC LIMIT 6"""

RATES_QUERY = """\
SELECT observed_on, pair, rate, change_text
FROM read_parquet('{rates}/**/*.parquet', hive_partitioning = true)
ORDER BY observed_on, pair"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="output", help="output directory (default: output)")
    parser.add_argument("--posts", type=int, default=240, help="posts on the replica")
    parser.add_argument("--theme", default="classic", choices=["classic", "magazine"])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    output = (PROJECT_ROOT / args.output).resolve()

    # the appeal box in every post is site boilerplate: the summary shows it learned and
    # stripped (and `python -m crawler.cli.inspect output` lists it)
    site = ReplicaSite(ReplicaConfig(seed=args.seed, posts=args.posts, theme=args.theme,
                                     appeal=True))
    with serve(site) as server:
        print(f"Replica ({args.theme} theme, {args.posts} posts) at {server.base_url}")
        print("$ " + " ".join(crawl_command(server.base_url, output, source=None)[2:]),
              flush=True)
        result = run_crawl(server.base_url, output, source=None)
    if result.returncode != 0:
        sys.stderr.write(result.stderr[-4000:])
        print(f"crawl failed with exit code {result.returncode}", file=sys.stderr)
        return result.returncode
    summary_file = output / "last_run.json"
    if not summary_file.exists():
        sys.stderr.write(result.stderr[-4000:])
        print(f"crawl wrote no summary at {summary_file}", file=sys.stderr)
        return 1
    print(format_summary(json.loads(summary_file.read_text(encoding="utf-8"))))

    import duckdb

    for title, query in (
        ("Articles per month (DuckDB)", EXAMPLE_QUERY.format(articles=output / "articles")),
        ("Rates (DuckDB)", RATES_QUERY.format(rates=output / "rates")),
    ):
        print(f"\n{title}:\n{query}")
        print(duckdb.sql(query))

    from crawler.cli.report import write_report

    page = write_report(output)
    print(f"\nReport: {page}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
