"""What is in an output directory: rows, date ranges, last runs, anything odd.

    python -m crawler.cli.inspect OUTPUT_DIR [--runs 5]      (or: timesca-inspect OUTPUT_DIR)

Reads Parquet footers, the partition columns, the ``runs`` dataset and the learned site
boilerplate (``state/boilerplate.json``: each block stripped from the bodies, with the
number of articles it was found in). Exit status: 0 (warnings included), 2 if OUTPUT_DIR is
missing or holds no dataset.
Warnings: runs left uncommitted, files of an old layout or schema, partitions with
several files, rejects growing over the last runs, archive completeness falling, a
field's share of the ``generic`` fallback source rising, a last run that did not finish,
article rows stored before schema version 5 (no countries or sections yet).
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines import boilerplate
from pipelines.store import (
    PARTITIONED,
    STAGING,
    SchemaMismatch,
    check_file,
    legacy_files,
    partitions,
    read_runs,
    schemas,
)

#: a share moving by more than this between two runs is reported.
SHARE_STEP = 0.05


def dataset_line(root: Path, name: str, warnings: list[str]) -> str:
    """``name: N rows in P partitions (F files), column min .. max``."""
    spec = PARTITIONED[name]
    parts = partitions(root, name)
    files = [f for fs in parts.values() for f in fs]
    for legacy in legacy_files(root, name):
        warnings.append(f"{legacy}: old layout; run python -m crawler.cli.migrate {root}")
    rows, low, high = 0, None, None
    for year, fs in parts.items():
        if len(fs) > 1:
            warnings.append(f"{name}/year={year}: {len(fs)} files (expected 1)")
        for path in fs:
            try:
                check_file(path, spec.schema)
            except SchemaMismatch as exc:
                warnings.append(str(exc))
                continue
            rows += pq.read_metadata(path).num_rows
            column = pq.read_table(path, columns=[spec.partition_column]).column(0)
            if len(column):
                lo, hi = pc.min_max(column).values()
                low = lo.as_py() if low is None else min(low, lo.as_py())
                high = hi.as_py() if high is None else max(high, hi.as_py())
    span = f", {spec.partition_column} {_day(low)} .. {_day(high)}" if rows else ""
    return f"{name}: {rows} rows in {len(parts)} partitions ({len(files)} files){span}"


def category_gaps(root: Path, warnings: list[str]) -> None:
    """Warn about article rows without ``countries`` (stored before schema version 5)."""
    lacking = 0
    for fs in partitions(root, "articles").values():
        for path in fs:
            try:
                names = pq.read_schema(path).names
                lacking += (pq.read_metadata(path).num_rows if "countries" not in names else
                            pq.read_table(path, columns=["countries"]).column(0).null_count)
            except (OSError, ValueError):
                continue  # a damaged file is named by dataset_line
    if lacking:
        warnings.append(f"articles: {lacking} rows stored before schema version 5 have no "
                        "category_paths, countries or sections; a crawl with -a full=1 "
                        "fills them (docs/DATA.md, Schema evolution)")


def _day(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value is not None else "?"


def completeness(archives: list[dict[str, Any]] | None) -> float | None:
    """Posts found / reported over the archives that report a total (an incremental run's
    "caught-up" archives, read only until nothing was new, are left out)."""
    pairs = [(a["found"], a["reported_total"]) for a in archives or []
             if a.get("reported_total") and a.get("end") != "caught-up"]
    return sum(f for f, _ in pairs) / sum(t for _, t in pairs) if pairs else None


def generic_shares(sources: list[dict[str, Any]] | None) -> dict[str, float]:
    return {s["field"]: s["share"] for s in sources or [] if s["source"] == "generic"}


def run_warnings(runs: list[dict[str, Any]]) -> list[str]:
    """Anomalies across the runs, oldest first."""
    found: list[str] = []
    if not runs:
        return found
    last = runs[-1]
    if last["finish_reason"] != "finished":
        found.append(f"last run {last['run_id']} ended with {last['finish_reason']!r}")
    rejects = [r["rejects"] or 0 for r in runs[-3:]]
    if len(rejects) == 3 and all(a < b for a, b in pairwise(rejects)):
        found.append(f"rejects growing over the last {len(rejects)} runs: "
                     + " -> ".join(map(str, rejects)))
    if len(runs) >= 2:
        prev = runs[-2]
        before, now = completeness(prev["archives"]), completeness(last["archives"])
        if before is not None and now is not None and now < before - 0.01:
            found.append(f"archive completeness falling: {before:.0%} -> {now:.0%} "
                         f"(found / reported, run {last['run_id']})")
        old, new = generic_shares(prev["field_sources"]), generic_shares(last["field_sources"])
        for field, share in sorted(new.items()):
            if share > old.get(field, 0.0) + SHARE_STEP:
                found.append(f"{field} taken from the generic fallback more often: "
                             f"{old.get(field, 0.0):.0%} -> {share:.0%}")
    return found


def run_line(run: dict[str, Any]) -> str:
    done = completeness(run["archives"])
    ended = run["ended_at"].strftime("%Y-%m-%d %H:%M") if run["ended_at"] else "?"
    return (f"  {run['run_id']}  {ended}Z  {run['finish_reason']}: articles new "
            f"{run['articles_new']} updated {run['articles_updated']} unchanged "
            f"{run['articles_unchanged']}, rates {run['rate_rows']}, rejects {run['rejects']}, "
            f"errors {sum(v for _, v in run['errors_by_kind'] or [])}"
            + (f", complete {done:.0%}" if done is not None else ""))


def boilerplate_lines(root: Path, warnings: list[str]) -> list[str]:
    """The site boilerplate the crawls learned and strip (see pipelines.boilerplate)."""
    path = root / "state" / f"{boilerplate.STATE}.json"
    if not path.exists():
        return []
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        blocks = list(state["blocks"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        warnings.append(f"{path}: unreadable ({exc})")
        return []
    lines = [f"  site boilerplate stripped from bodies: {len(blocks)} blocks "
             f"(threshold {state.get('threshold', '?')} articles)"]
    lines += [f"    {b.get('fingerprint')}  in {b.get('articles')} articles: "
              f"{str(b.get('text'))[:100]!r}" for b in blocks]
    return lines


def report(root: Path, last_runs: int = 5) -> tuple[str, int]:
    """The report text and the number of warnings."""
    warnings: list[str] = []
    lines = [f"{root} (schema version {schemas.SCHEMA_VERSION})"]
    lines += ["  " + dataset_line(root, name, warnings) for name in PARTITIONED]
    category_gaps(root, warnings)
    try:
        runs = read_runs(root).to_pylist()
    except SchemaMismatch as exc:
        warnings.append(str(exc))
        runs = []
    lines.append(f"  runs: {len(runs)}" + (", last:" if runs else ""))
    lines += ["  " + run_line(r) for r in runs[-last_runs:]]
    lines += boilerplate_lines(root, warnings)
    warnings += run_warnings(runs)
    staging = root / STAGING
    if staging.is_dir():
        for left in sorted(p.name for p in staging.iterdir() if not p.name.startswith(".")):
            warnings.append(f"run {left} is staged but not published (the next crawl "
                            "finishes it, or it is running now)")
    lines.append("warnings: " + ("none" if not warnings else str(len(warnings))))
    lines += [f"  ! {w}" for w in warnings]
    return "\n".join(lines), len(warnings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, nargs="?", default=Path("output"))
    parser.add_argument("--runs", type=int, default=5, help="last runs to list (default 5)")
    args = parser.parse_args(argv)
    root: Path = args.output
    if not root.is_dir():
        print(f"inspect: {root} is not a directory", file=sys.stderr)
        return 2
    if not any((root / name).is_dir() for name in [*PARTITIONED, "runs"]):
        print(f"inspect: {root} holds no dataset (articles/, rates/, rejects/, runs/)",
              file=sys.stderr)
        return 2
    text, _ = report(root, args.runs)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
