"""``python -m bench`` (``make bench``): the crawl benchmark, side by side.

Serves the replica in its own process for each size, then runs, each in a child process
measured from outside: the project's full crawl and its no-change rerun, a bare Scrapy
spider over the same pages (the framework ceiling) and trafilatura's crawler and
extractor (the peer); then the project's parsers alone over rendered pages. Prints a
Markdown table of medians and the issue's targets, and writes everything as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from tests.replica.model import SEO_NAMES, THEME_NAMES

from . import cli
from .measure import PROJECT_ROOT
from .report import render
from .suite import CONTENDERS, Plan, run_plan


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s.replace("_", "")) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma list of post counts: {text!r}") from None
    if not sizes or any(not 10 <= s <= 50_000 for s in sizes):
        raise argparse.ArgumentTypeError("post counts must be between 10 and 50,000")
    return sizes


def _variant(text: str) -> tuple[str, str]:
    theme, _, seo = text.partition("/")
    seo = seo or "yoast"
    if theme not in THEME_NAMES or seo not in SEO_NAMES:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected THEME/SEO, themes {THEME_NAMES}, seo {SEO_NAMES}")
    return theme, seo


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parser() -> argparse.ArgumentParser:
    """The command line."""
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[1])
    ap.add_argument("--sizes", type=_sizes, default=[2000, 20000],
                    help="replica sizes in posts, comma-separated (default 2000,20000)")
    ap.add_argument("--runs", type=_positive, default=3,
                    help="runs per contender below --large-from posts (default 3)")
    ap.add_argument("--large-runs", type=_positive, default=1,
                    help="runs per contender from --large-from posts on (default 1)")
    ap.add_argument("--large-from", type=int, default=10000, help="default 10000")
    ap.add_argument("--peer-sizes", type=_sizes, default=[2000],
                    help="sizes at which trafilatura runs too (default 2000)")
    ap.add_argument("--only", default=",".join(CONTENDERS),
                    help=f"contenders, comma-separated (default {','.join(CONTENDERS)})")
    ap.add_argument("--parse-variants", type=_variant, nargs="*",
                    default=[("classic", "yoast"), ("magazine", "yoast"), ("jnews", "none")],
                    help="theme/seo pairs for the parse-only figures (none to skip)")
    ap.add_argument("--json", type=Path, help="where to write the results "
                    "(default output/bench/bench-<time>.json)")
    ap.add_argument("--compare", type=Path, help="an earlier results JSON to compare with")
    ap.add_argument("--workdir", type=Path, help="keep crawl outputs and logs here "
                    "(default: a temporary directory, removed at the end)")
    return ap


def _meta(args: argparse.Namespace) -> dict[str, Any]:
    def ver(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit or None,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "versions": {n: ver(n) for n in ("scrapy", "pyarrow", "lxml", "trafilatura")},
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
    }


def main(argv: list[str] | None = None) -> int:
    """Run, print, save."""
    ap = parser()
    args = ap.parse_args(argv)
    contenders = cli.contenders(ap, args.only, CONTENDERS)
    earlier = cli.earlier_results(ap, args.compare)
    out = args.json or PROJECT_ROOT / "output" / "bench" / (
        datetime.now(UTC).strftime("bench-%Y%m%dT%H%M%SZ.json"))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="timesca-bench-"))
    plan = Plan(sizes=args.sizes, runs=args.runs, large_runs=args.large_runs,
                large_from=args.large_from, peer_sizes=args.peer_sizes,
                contenders=contenders, parse_variants=args.parse_variants or [],
                workdir=workdir)
    try:
        results = run_plan(plan)
    except RuntimeError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 3
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    document = {"meta": _meta(args), **results}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=2), encoding="utf-8")
    print(render(document, earlier))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
