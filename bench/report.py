"""The benchmark's table, its targets and the comparison with an earlier run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: (column title, key, format) of the per-contender table.
COLUMNS: list[tuple[str, str, str]] = [
    ("pages", "pages", "{:.0f}"),
    ("wall s", "wall_s", "{:.1f}"),
    ("pages/s", "pages_per_s", "{:.0f}"),
    ("articles/s", "articles_per_s", "{:.0f}"),
    ("CPU ms/page", "cpu_ms_per_page", "{:.2f}"),
    ("parse ms", "parse_cpu_ms_per_page", "{:.2f}"),
    ("other ms", "other_cpu_ms_per_page", "{:.2f}"),
    ("req/article", "requests_per_article", "{:.3f}"),
    ("peak RSS MB", "peak_rss_mb", "{:.0f}"),
    ("write %", "parquet_write_share", "{:.1%}"),
    ("rerun req", "rerun_requests", "{:.0f}"),
    ("rerun s", "rerun_wall_s", "{:.1f}"),
    ("body F1", "body_f1.median", "{:.3f}"),
]


def _get(row: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        if not isinstance(row, dict):
            return None
        row = row.get(part)  # type: ignore[assignment]
    return row


def _fmt(value: Any, fmt: str) -> str:
    return "-" if value is None else fmt.format(value)


def _numeric(cell: str) -> bool:
    return bool(cell) and (cell[0].isdigit() or cell[0] in "+-.") and " " not in cell


def _markdown(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.rjust(w) if _numeric(c) else c.ljust(w)
                              for c, w in zip(r, widths, strict=True)) + " |"
            for r in rows]
    return [line, rule, *body]


def contenders_table(results: dict[str, Any]) -> list[str]:
    """One row per (size, contender): medians of its runs."""
    rows = []
    for size, by_name in results["sizes"].items():
        for name, row in by_name.items():
            runs = len(row.get("runs", [])) or 1
            rows.append([f"{int(size):,}", name, str(runs),
                         *(_fmt(_get(row, key), fmt) for _, key, fmt in COLUMNS)])
    return _markdown(["posts", "crawler", "runs", *(title for title, _, _ in COLUMNS)], rows)


def parse_table(results: dict[str, Any]) -> list[str]:
    """Parse-only CPU per page, per replica variant."""
    rows = [[r["variant"], f"{r['article_ms']:.2f}", f"{r['listing_ms']:.2f}",
             f"{r['articles_per_s']:.0f}"] for r in results.get("parse_only") or []]
    if not rows:
        return []
    return _markdown(["variant", "article page ms", "listing page ms", "articles/s"], rows)


@dataclass(frozen=True)
class Target:
    """One of the issue's targets, measured."""

    name: str
    goal: str
    measured: str
    met: bool | None  # None: not measured in this run


def targets(results: dict[str, Any]) -> list[Target]:
    """The four targets, judged on the medians (largest size where the target says so)."""
    sizes = results["sizes"]
    out: list[Target] = []

    def pair(a: str, b: str) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        return [(s, r[a], r[b]) for s, r in sizes.items() if a in r and b in r]

    ratios = [(s, p["pages_per_s"] / c["pages_per_s"]) for s, p, c in
              pair("project", "bare-scrapy")]
    out.append(Target(
        "crawl speed vs bare Scrapy", ">= 0.75x pages/s",
        ", ".join(f"{r:.2f}x at {int(s):,}" for s, r in ratios) or "not run",
        all(r >= 0.75 for _, r in ratios) if ratios else None))
    for peer_name in ("trafilatura", "trafilatura-crawler"):
        peer = pair("project", peer_name)
        if not peer and peer_name != "trafilatura":
            continue
        speed = [(s, p["articles_per_s"] / t["articles_per_s"]) for s, p, t in peer]
        f1 = [(s, _get(p, "body_f1.median"), _get(t, "body_f1.median")) for s, p, t in peer]
        out.append(Target(
            f"articles/s vs {peer_name}, better body F1", ">= 3x and higher F1",
            "; ".join(f"{r:.1f}x, F1 {a:.3f} vs {b:.3f} at {int(s):,}"
                      for (s, r), (_, a, b) in zip(speed, f1, strict=True)) or "not run",
            all(r >= 3 and a > b for (_, r), (_, a, b) in zip(speed, f1, strict=True))
            if speed else None))
    rss = [(s, r["project"]["peak_rss_mb"]) for s, r in sizes.items() if "project" in r]
    largest = max(rss, key=lambda x: int(x[0])) if rss else None
    out.append(Target(
        "peak RSS flat in posts", "<= 250 MB at 20,000 posts",
        ", ".join(f"{m:.0f} MB at {int(s):,}" for s, m in rss) or "not run",
        (largest[1] <= 250 if int(largest[0]) >= 20000 else None) if largest else None))
    shares = [(s, r["project"].get("parquet_write_share")) for s, r in sizes.items()
              if "project" in r]
    shares = [(s, v) for s, v in shares if v is not None]
    out.append(Target(
        "Parquet writing share of wall time", "<= 5%",
        ", ".join(f"{v:.1%} at {int(s):,}" for s, v in shares) or "not run",
        all(v <= 0.05 for _, v in shares) if shares else None))
    return out


def targets_table(results: dict[str, Any]) -> list[str]:
    """The targets as a table with a verdict each."""
    verdict = {True: "met", False: "MISSED", None: "not measured"}
    rows = [[t.name, t.goal, t.measured, verdict[t.met]] for t in targets(results)]
    return _markdown(["target", "goal", "measured (medians)", "verdict"], rows)


def comparison(current: dict[str, Any], earlier: dict[str, Any]) -> list[str]:
    """Key figures of this run next to an earlier one's (same sizes and contenders)."""
    keys = [("pages_per_s", "{:.0f}"), ("articles_per_s", "{:.0f}"),
            ("cpu_ms_per_page", "{:.2f}"), ("peak_rss_mb", "{:.0f}")]
    rows = []
    for size, by_name in current["sizes"].items():
        for name, row in by_name.items():
            old = earlier.get("sizes", {}).get(size, {}).get(name)
            if old is None:
                continue
            for key, fmt in keys:
                a, b = _get(old, key), _get(row, key)
                if a is None or b is None:
                    continue
                change = f"{(b - a) / a:+.1%}" if a else "-"
                rows.append([f"{int(size):,}", name, key, fmt.format(a), fmt.format(b), change])
    if not rows:
        return ["(nothing in common with the earlier run)"]
    return _markdown(["posts", "crawler", "figure", "earlier", "now", "change"], rows)


def render(results: dict[str, Any], earlier: dict[str, Any] | None = None) -> str:
    """The whole report as Markdown."""
    lines = ["Medians of the runs; politeness off; replica over loopback.", "",
             *contenders_table(results), ""]
    parse = parse_table(results)
    if parse:
        lines += ["Parse only (CPU per page, the spider's parsers, header included):", "",
                  *parse, ""]
    lines += ["Targets:", "", *targets_table(results), ""]
    if earlier is not None:
        lines += ["Against the earlier run:", "", *comparison(results, earlier), ""]
    return "\n".join(lines)
