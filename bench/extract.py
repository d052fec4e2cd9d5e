"""``python -m bench.extract CORPUS`` (``make bench-extract``): article bodies on real pages.

Scores the project's article parser and trafilatura side by side on the
article-extraction-benchmark corpus (scrapinghub/article-extraction-benchmark: its
``html/*.html.gz`` pages, ``ground-truth.json`` and ``evaluate.py``). The scoring is the
corpus's own: its ``evaluate.py`` is imported from CORPUS and run on both predictions, so
the figures are comparable with the corpus's published table. Printed for all pages and
for the WordPress pages (links into ``wp-content/`` or ``wp-includes/``): F1, precision,
recall, pages whose body came back empty, CPU ms per page, and pages given a publication
date (trafilatura's dates are htmldate's); also the project's body sources, how its
cross-check went, and, with ``--worst N``, the pages it scores worst on. JSON goes to ``--json``;
``--compare`` shows the change from an earlier JSON.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from scrapy.http import HtmlResponse

from crawler.dates import read_date
from crawler.parsers import parse_article

from . import cli

#: what marks a page of the corpus as a WordPress page (also JSON-escaped: ``wp-content\/``)
WORDPRESS_MARKS = (b"wp-content/", b"wp-includes/", b"wp-content\\/", b"wp-includes\\/")
CONTENDERS = ("project", "trafilatura")


@dataclass(frozen=True)
class Page:
    """One corpus page: id, URL, HTML bytes, ground-truth body."""

    key: str
    url: str
    html: bytes
    truth: str

    @property
    def wordpress(self) -> bool:
        return any(mark in self.html for mark in WORDPRESS_MARKS)


@dataclass
class Run:
    """One contender's bodies, CPU times and (for the project) body sources."""

    bodies: dict[str, str] = field(default_factory=dict)
    ms: dict[str, float] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    #: how the body's cross-check went (the project's parser only)
    checks: dict[str, str] = field(default_factory=dict)
    #: the publication day found (ISO date), None when none was
    days: dict[str, str | None] = field(default_factory=dict)


class CorpusError(Exception):
    """The corpus directory is not the benchmark's layout."""


def load_corpus(root: Path) -> tuple[list[Page], ModuleType]:
    """The corpus's pages (sorted by id) and its ``evaluate`` module."""
    truth_path, html_dir, scorer = root / "ground-truth.json", root / "html", root / "evaluate.py"
    for needed in (truth_path, html_dir, scorer):
        if not needed.exists():
            raise CorpusError(f"{root}: no {needed.name} (expected a checkout of "
                              "scrapinghub/article-extraction-benchmark)")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        path = html_dir / f"{key}.html.gz"
        if not path.exists():
            raise CorpusError(f"{path}: missing (listed in ground-truth.json)")
        pages.append(Page(key, truth[key].get("url") or f"https://example.invalid/{key}",
                          gzip.decompress(path.read_bytes()),
                          truth[key].get("articleBody") or ""))
    spec = importlib.util.spec_from_file_location("aeb_evaluate", scorer)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return pages, module


def run_project(pages: list[Page]) -> Run:
    """The project's :func:`parse_article`, as the spider calls it on a response."""
    run = Run()
    for page in pages:
        # the corpus's pages are UTF-8 (its README); a response decodes them as the spider would
        response = HtmlResponse(page.url, body=page.html, encoding="utf-8")
        started = time.process_time()
        parsed = parse_article(response, page.url)
        run.ms[page.key] = (time.process_time() - started) * 1000
        run.bodies[page.key] = parsed.fields["body_text"] or ""
        run.sources[page.key] = parsed.sources["body_text"]
        run.checks[page.key] = parsed.body_check
        found = read_date(parsed.fields["published_at"])
        run.days[page.key] = found.day.isoformat() if found else None
    return run


def run_trafilatura(pages: list[Page]) -> Run:
    """trafilatura's ``extract`` with the options the corpus's own runner uses."""
    import htmldate
    import trafilatura

    run = Run()
    for page in pages:
        text = page.html.decode("utf-8")
        started = time.process_time()
        body = trafilatura.extract(text, include_comments=False)
        run.ms[page.key] = (time.process_time() - started) * 1000
        run.bodies[page.key] = body or ""
        # trafilatura's dates are htmldate's (timed apart from the body)
        run.days[page.key] = htmldate.find_date(text, url=page.url, original_date=True)
    return run


RUNNERS: dict[str, Callable[[list[Page]], Run]] = {
    "project": run_project, "trafilatura": run_trafilatura}


def score(scorer: ModuleType, pages: list[Page], run: Run) -> dict[str, Any]:
    """The corpus's metrics (no bootstrap) plus empty bodies and CPU ms per page."""
    truth = {p.key: {"articleBody": p.truth} for p in pages}
    prediction = {p.key: {"articleBody": run.bodies[p.key]} for p in pages}
    metrics = scorer.evaluate(truth, prediction, n_bootstrap=0)
    times = [run.ms[p.key] for p in pages]
    return {
        "dated": sum(1 for p in pages if run.days.get(p.key)),
        "pages": len(pages),
        "f1": metrics["f1"], "precision": metrics["precision"], "recall": metrics["recall"],
        "accuracy": metrics["accuracy"],
        "empty": sum(1 for p in pages if p.truth.strip() and not run.bodies[p.key].strip()),
        "ms_median": statistics.median(times), "ms_mean": statistics.fmean(times),
    }


def page_f1(scorer: ModuleType, truth: str, body: str) -> float:
    """The corpus's per-page F1 (its shingle matching)."""
    tp, fp, fn = scorer.string_shingle_matching(true=truth, pred=body)
    precision = scorer.precision_score(tp, fp, fn)
    recall = scorer.recall_score(tp, fp, fn)
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


SUBSETS: dict[str, Callable[[Page], bool]] = {
    "all": lambda page: True, "wordpress": lambda page: page.wordpress}


def evaluate(root: Path, contenders: tuple[str, ...] = CONTENDERS, worst: int = 0,
             ) -> dict[str, Any]:
    """Run and score every contender on every subset."""
    pages, scorer = load_corpus(root)
    runs = {name: RUNNERS[name](pages) for name in contenders}
    results: dict[str, Any] = {"subsets": {}}
    for subset, keep in SUBSETS.items():
        chosen = [p for p in pages if keep(p)]
        results["subsets"][subset] = {name: score(scorer, chosen, run)
                                      for name, run in runs.items()}
    if "project" in runs:
        project = runs["project"]
        results["project_sources"] = dict(Counter(project.sources.values()).most_common())
        results["project_checks"] = dict(Counter(project.checks.values()).most_common())
        per_page = sorted(
            ({"key": p.key, "url": p.url, "wordpress": p.wordpress,
              "source": project.sources[p.key],
              **{f"f1_{name}": round(page_f1(scorer, p.truth, run.bodies[p.key]), 4)
                 for name, run in runs.items()}}
             for p in pages), key=lambda row: row["f1_project"])
        results["worst"] = per_page[:worst]
    return results


def render(results: dict[str, Any], earlier: dict[str, Any] | None = None) -> str:
    """The Markdown table (and the change from ``earlier``)."""
    head = ("| pages | extractor | n | F1 | precision | recall | empty | ms/page median |"
            " ms/page mean | dated |")
    lines = [head, "|---|---|---|---|---|---|---|---|---|---|"]
    for subset, by_name in results["subsets"].items():
        for name, m in by_name.items():
            row = (f"| {subset} | {name} | {m['pages']} | {m['f1']:.3f} | {m['precision']:.3f}"
                   f" | {m['recall']:.3f} | {m['empty']} | {m['ms_median']:.2f} |"
                   f" {m['ms_mean']:.2f} | {m['dated']} |")
            if earlier:
                before = earlier.get("subsets", {}).get(subset, {}).get(name)
                if before:
                    row += (f" F1 {m['f1'] - before['f1']:+.3f},"
                            f" empty {m['empty'] - before['empty']:+d}")
            lines.append(row)
    if results.get("project_sources"):
        lines.append("")
        lines.append("project body sources: " + ", ".join(
            f"{k} {v}" for k, v in results["project_sources"].items()))
        lines.append("project body cross-check: " + ", ".join(
            f"{k} {v}" for k, v in results.get("project_checks", {}).items()))
    if results.get("worst"):
        lines.append("")
        lines.append("worst pages for the project:")
        for row in results["worst"]:
            scores = " ".join(f"{k[3:]}={v:.3f}" for k, v in row.items() if k.startswith("f1_"))
            lines.append(f"  {row['key'][:12]} {row['source']:<8} {scores}  {row['url']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run, print, save."""
    ap = argparse.ArgumentParser(prog="python -m bench.extract",
                                 description=__doc__.split("\n\n")[1])
    ap.add_argument("corpus", type=Path,
                    help="a checkout of scrapinghub/article-extraction-benchmark "
                         "(docs/BENCHMARKS.md says how to get it)")
    ap.add_argument("--only", default=",".join(CONTENDERS),
                    help=f"contenders, comma-separated (default {','.join(CONTENDERS)})")
    ap.add_argument("--worst", type=int, default=0, metavar="N",
                    help="list the N pages the project scores worst on")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--compare", type=Path, help="an earlier results JSON to compare with")
    args = ap.parse_args(argv)
    chosen = tuple(cli.contenders(ap, args.only, CONTENDERS))
    earlier = cli.earlier_results(ap, args.compare)
    try:
        results = evaluate(args.corpus, chosen, args.worst)
    except CorpusError as exc:
        print(f"bench.extract: {exc}", file=sys.stderr)
        return 2
    print(render(results, earlier))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
        print(f"results: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
