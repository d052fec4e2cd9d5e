"""The report page: one self-contained HTML file (inline CSS and SVG, no script, no link
to anything outside the file)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html import escape

from crawler import __version__
from crawler.report.charts import SECTIONS, Chart
from crawler.report.data import Report
from crawler.report.options import Options, plural
from pipelines.store import schemas

_CSS = """
body { font-family: sans-serif; margin: 24px auto; max-width: 1150px; color: #222;
       background: #fff; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 36px; }
h3 { font-size: 15px; margin: 0 0 4px; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 16px;
           font-size: 13px; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
figure.chart { margin: 20px 0; padding: 8px 0; }
figure.chart figcaption { font-size: 12px; color: #555; margin-bottom: 6px;
                          max-width: 900px; }
figure.chart svg { max-width: 100%; height: auto; }
p.note { font-size: 14px; padding: 14px; background: #f6f6f6; border-left: 4px solid #bbb; }
ul.problems { font-size: 12px; color: #a33; }
"""


def _day(value: date | datetime | None) -> str:
    if value is None:
        return "?"
    return value.strftime("%Y-%m-%d %H:%M UTC" if isinstance(value, datetime) else "%Y-%m-%d")


def _span(low: date | datetime | None, high: date | datetime | None) -> str:
    return f"{_day(low)} .. {_day(high)}" if low is not None else "none"


def header(report: Report, generated_at: datetime) -> str:
    """The facts at the top: where, how much, which time range, when, which version."""
    counts = report.row_counts
    runs = report.runs
    rate_days = [p.observed_on for pts in report.rates.values() for p in pts]
    started = [r["started_at"] for r in runs if r["started_at"]]
    versions = sorted({r["project_version"] for r in runs if r["project_version"]})
    facts: list[tuple[str, str, str]] = [
        ("output", "output directory", str(report.root)),
        ("articles-count", "articles", f"{plural(counts.get('articles', 0), 'row')}, published "
         + _span(report.articles.first, report.articles.last)),
        ("rates-count", "rates", f"{plural(counts.get('rates', 0), 'row')} in "
         f"{plural(len(report.rates), 'pair')}, observed "
         + _span(min(rate_days, default=None), max(rate_days, default=None))),
        ("rejects-count", "rejects", plural(counts.get('rejects', 0), 'row')),
        ("history-count", "history", plural(counts.get('history', 0), 'row')),
        ("runs-count", "runs", f"{plural(len(runs), 'run')}, started "
         + _span(min(started, default=None), max(started, default=None))),
        ("generated-at", "generated at", _day(generated_at)),
        ("version", "project version", f"timesca-crawler {__version__} (schema version "
         f"{schemas.SCHEMA_VERSION}); runs by " + (", ".join(versions) or "?")),
    ]
    rows = "\n".join(f'<dt>{escape(label)}</dt><dd id="{key}">{escape(value)}</dd>'
                     for key, label, value in facts)
    out = f'<dl class="facts">\n{rows}\n</dl>'
    if report.problems:
        items = "\n".join(f"<li>{escape(p)}</li>" for p in report.problems)
        out += f'\n<p>Files left out of this report:</p>\n<ul class="problems">{items}</ul>'
    return out


def chart_html(chart: Chart) -> str:
    body = chart.svg if chart.svg is not None else (
        f'<p class="note">{escape(chart.note or "no data")}</p>')
    state = "drawn" if chart.svg is not None else "note"
    return (f'<figure class="chart" id="chart-{chart.slug}" data-chart="{chart.slug}" '
            f'data-state="{state}">\n<h3>{escape(chart.title)}</h3>\n'
            f"<figcaption>{escape(chart.caption)}</figcaption>\n{body}\n</figure>")


def render(report: Report, opts: Options | None = None,
           generated_at: datetime | None = None) -> str:
    """The whole page of ``report``."""
    opts = opts or Options()
    generated_at = generated_at or datetime.now(UTC)
    parts = [f"<h1>timesca-crawler report</h1>\n{header(report, generated_at)}"]
    for title, charts in SECTIONS:
        parts.append(f"<h2>{escape(title)}</h2>")
        parts.extend(chart_html(draw(report, opts)) for draw in charts)
    title = f"timesca-crawler report: {report.root}"
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(parts) + "\n</body>\n</html>\n")
