"""An HTML report of an output directory: articles, rates and run health as charts.

    timesca-report OUTPUT_DIR [--out FILE] [--top N] [--runs N]
    (or: python -m crawler.cli.report OUTPUT_DIR)

Writes ONE self-contained HTML file (inline SVG charts drawn with matplotlib, inline
CSS, no script, nothing fetched when it is opened), by default OUTPUT_DIR/report.html,
all or nothing (a temp file next to it, then a rename). Reads only the columns the charts
need, a record batch at a time; takes no lock and writes nothing else (a crawl can run
meanwhile: the report shows the last published state). Exit status: 0, or 2 (one line on
stderr) when OUTPUT_DIR is missing or holds no dataset, or FILE cannot be written.
See docs/REPORT.md for the charts and what to look for.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from crawler.report.data import has_dataset
from crawler.report.options import LAST_RUNS, TOP_N, Options

REPORT_FILE = "report.html"


def write_text_atomic(text: str, dest: Path) -> None:
    """Write ``text`` to ``dest`` all or nothing (temp file beside it, fsync, rename)."""
    tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def write_report(root: Path, dest: Path | None = None, opts: Options | None = None) -> Path:
    """Write the report of output directory ``root`` to ``dest`` (default
    ``root/report.html``); returns the file's absolute path."""
    # matplotlib is imported here, not before the arguments are checked
    from crawler.report.data import read_report
    from crawler.report.page import render

    dest = (dest or root / REPORT_FILE).resolve()
    write_text_atomic(render(read_report(root.resolve()), opts), dest)
    return dest


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="timesca-report", description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, metavar="OUTPUT_DIR",
                        help="the crawl's output directory")
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help=f"the HTML file to write (default OUTPUT_DIR/{REPORT_FILE})")
    parser.add_argument("--top", type=positive, default=TOP_N,
                        help=f"bars of the section and tag charts (default {TOP_N})")
    parser.add_argument("--runs", type=positive, default=LAST_RUNS,
                        help=f"latest runs in the run-health charts (default {LAST_RUNS})")
    args = parser.parse_args(argv)
    root: Path = args.output.resolve()
    if not root.is_dir():
        print(f"timesca-report: {args.output} is not a directory", file=sys.stderr)
        return 2
    if not has_dataset(root):
        print(f"timesca-report: {args.output} holds no dataset (articles/, rates/, rejects/, "
              "history/, runs/): crawl into it first", file=sys.stderr)
        return 2
    dest: Path = (args.out or root / REPORT_FILE).resolve()
    if not dest.parent.is_dir():
        print(f"timesca-report: cannot write {dest}: {dest.parent} is not a directory",
              file=sys.stderr)
        return 2
    try:
        write_report(root, dest, Options(top=args.top, last_runs=args.runs))
    except OSError as exc:
        print(f"timesca-report: cannot write {dest}: {exc}", file=sys.stderr)
        return 2
    print(dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
