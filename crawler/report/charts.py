"""The report's charts: matplotlib figures saved as SVG text by matplotlib's SVG backend
(``Figure.savefig``: no pyplot, no global figure state, never a GUI backend).

Each chart function takes the :class:`~crawler.report.data.Report` and returns a
:class:`Chart`: its SVG, or instead a plain note ("no data", or what to run first).
Text stays text in the SVG (``svg.fonttype = none``): the page can be searched, and it
still needs no font file.
"""

from __future__ import annotations

import functools
import io
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from crawler.report.data import RatePoint, Report
from crawler.report.options import Options, plural

NO_DATA = "no data"
#: more days than this: the rates chart marks only the -0% / +0% days
DENSE_DAYS = 120
#: the fallback sources, drawn last (on top) in the field-source chart
_WEAK = ("generic", "url", "none")
_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39",
            "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363"]
#: text stays text (no glyph paths), and a "$" in a tag is a dollar sign, not mathtext
_RC = {"svg.fonttype": "none", "text.parse_math": False, "font.family": "sans-serif",
       "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}


@dataclass
class Chart:
    """One chart of the page: an SVG, or a note in its place."""

    slug: str
    title: str
    #: what the chart shows and what to look for (plain text)
    caption: str
    svg: str | None = None
    note: str | None = None


def missing(report: Report, column: str) -> str:
    """What to run so that articles stored before schema version 5 get ``column``."""
    arts = report.articles
    text = (f"{column.capitalize()} are not recorded for {arts.unknown[column]} of "
            f"{arts.rows} articles (stored before schema version 5).")
    if arts.files_without[column]:
        return (text + f" Run: timesca-migrate {report.root} - then a full crawl "
                "(scrapy crawl timesca -a full=1) fills them in.")
    return text + " A full crawl (scrapy crawl timesca -a full=1) fills them in."


def colour(i: int) -> str:
    return _COLOURS[i % len(_COLOURS)]


def to_svg(fig: Figure, slug: str) -> str:
    """The figure as an ``<svg>`` element to inline; ids are salted with ``slug`` so the
    clip paths of two charts on one page never share an id."""
    buffer = io.StringIO()
    with rc_context({**_RC, "svg.hashsalt": slug}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    svg = text[text.find("<svg"):]
    # the RDF metadata block names matplotlib's and Dublin Core's URLs: not needed inline
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    # ids like "patch_1" repeat in every figure: prefix every id and reference to them
    svg = re.sub(r'id="([^"]+)"', rf'id="{slug}-\1"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', rf'url(#{slug}-\1)', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{slug}-\1"', svg)
    return svg


def figure(width: float, height: float) -> Figure:
    with rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def _styled(draw: Callable[..., Chart]) -> Callable[..., Chart]:
    """Run a chart function under the report's matplotlib settings."""

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> Chart:
        with rc_context(_RC):
            return draw(*args, **kwargs)

    return wrapper


def _month_ticks(ax: Axes, months: Sequence[str]) -> None:
    """A tick every month, quarter, half year or January, by how many months there are."""
    n = len(months)
    step = 1 if n <= 24 else 3 if n <= 48 else 6 if n <= 96 else 12
    ticks = [i for i, m in enumerate(months) if (int(m[5:7]) - 1) % step == 0]
    ax.set_xticks(ticks, [months[i] for i in ticks], rotation=60, ha="right")
    ax.set_xlim(-0.6, len(months) - 0.4)


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` ("YYYY-MM"), both included."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@_styled
def countries_by_month(report: Report, opts: Options) -> Chart:
    """Articles per country per month (stacked bars)."""
    arts = report.articles
    chart = Chart("countries", "Articles per country per month",
                  "Each bar is a month of publication (UTC); an article filed under two "
                  "countries counts in both. Look for months with no bar (a gap in the "
                  "crawl, or in the site's archive) and for a country that disappears.")
    if not arts.rows:
        chart.note = NO_DATA
        return chart
    if arts.unknown["countries"] == arts.rows:
        chart.note = missing(report, "countries")
        return chart
    if arts.unknown["countries"]:
        chart.caption += " " + missing(report, "countries") + " They are left out here."
    months = month_range(min(arts.months), max(arts.months))
    totals: Counter[str] = Counter()
    for (_, country), n in arts.by_country_month.items():
        totals[country] += n
    series = [c for c, _ in totals.most_common()]
    fig = figure(11, 4.2)
    ax = fig.add_subplot()
    x = list(range(len(months)))
    bottom = [0] * len(months)
    stacks: list[tuple[str, list[int]]] = [
        (c, [arts.by_country_month.get((m, c), 0) for m in months]) for c in series]
    if arts.no_country_month:
        stacks.append(("(no country)", [arts.no_country_month.get(m, 0) for m in months]))
    for i, (label, heights) in enumerate(stacks):
        shade = "#c7c7c7" if label == "(no country)" else colour(i)
        ax.bar(x, heights, bottom=bottom, width=0.85, label=f"{label} ({sum(heights)})",
               color=shade, linewidth=0)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    _month_ticks(ax, months)
    ax.set_ylabel("articles")
    ax.legend(loc="upper left", ncols=min(4, len(stacks)), frameon=False)
    ax.set_ylim(0, max(bottom) * 1.25 + 1)
    chart.svg = to_svg(fig, chart.slug)
    return chart


def _top_bars(counts: Counter[str], n: int, title: str, xlabel: str, slug: str,
              tint: str) -> str:
    top = counts.most_common(n)[::-1]
    fig = figure(9, 0.28 * len(top) + 0.9)
    ax = fig.add_subplot()
    labels = [label for label, _ in top]
    values = [n for _, n in top]
    bars = ax.barh(range(len(top)), values, color=tint, height=0.7)
    ax.set_yticks(range(len(top)), labels)
    ax.bar_label(bars, padding=3, fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left", fontsize=9, color="#555555")
    ax.set_xlim(0, max(values) * 1.12 + 1)
    return to_svg(fig, slug)


@_styled
def sections(report: Report, opts: Options) -> Chart:
    """Articles per section, the top N (horizontal bars)."""
    arts = report.articles
    chart = Chart("sections", f"Articles per section (top {opts.top})",
                  "Sections are labelled with their country (\"Kazakhstan / Features\"); "
                  "an article in two sections counts in both. A section that shrinks "
                  "sharply between reports is worth a look at its archive.")
    if not arts.rows:
        chart.note = NO_DATA
    elif arts.unknown["sections"] == arts.rows:
        chart.note = missing(report, "sections")
    elif not arts.sections:
        chart.note = NO_DATA + ": no article has a section"
    else:
        if arts.unknown["sections"]:
            chart.caption += " " + missing(report, "sections") + " They are left out here."
        chart.svg = _top_bars(arts.sections, opts.top, f"{len(arts.sections)} sections",
                              "articles", chart.slug, "#1f77b4")
    return chart


@_styled
def tags(report: Report, opts: Options) -> Chart:
    """The most used tags (horizontal bars)."""
    arts = report.articles
    chart = Chart("tags", f"Top tags (top {opts.top})",
                  "Tags as the site gives them; an article has any number of tags.")
    if not arts.tags:
        chart.note = NO_DATA
    else:
        chart.svg = _top_bars(arts.tags, opts.top, f"{len(arts.tags)} tags", "articles", chart.slug,
                              "#2ca02c")
    return chart


_KIND_STYLE = {
    "change": {"marker": "o", "color": "#1f77b4", "label": "changed"},
    "zero": {"marker": "s", "color": "#7f7f7f", "label": "0%"},
    "signed-zero": {"marker": "D", "color": "#d62728", "label": "-0% / +0% (moved under the "
                    "rounding)"},
    "unknown": {"marker": "x", "color": "#bcbd22", "label": "no change shown"},
}


def _line(points: list[RatePoint]) -> tuple[list[date], list[float]]:
    """The rate's line, broken (a NaN) where days are missing."""
    xs: list[date] = []
    ys: list[float] = []
    for p in points:
        if xs and (p.observed_on - xs[-1]).days > 1:
            xs.append(xs[-1] + timedelta(days=1))
            ys.append(math.nan)
        xs.append(p.observed_on)
        ys.append(math.nan if p.rate is None else p.rate)
    return xs, ys


@_styled
def rates(report: Report, opts: Options) -> Chart:
    """Each pair's rate by day, one panel per pair; the kind of change shown each day."""
    chart = Chart("rates", "Rates per pair over time",
                  "One panel per pair (its own scale). Each day is marked by the change the "
                  "site showed: a red diamond for \"-0%\" or \"+0%\" (the rate moved by less "
                  "than the site's rounding; the direction is real, the figure is not), a "
                  "grey square for \"0%\", a blue dot for a real change. Many -0% days in a "
                  "row on a flat line are a pair the ticker rounds away; a gap in a line is "
                  "a day no run observed.")
    pairs = {p: pts for p, pts in report.rates.items() if pts}
    if not pairs:
        chart.note = NO_DATA
        return chart
    days = sorted({p.observed_on for pts in pairs.values() for p in pts})
    dense = len(days) > DENSE_DAYS
    if dense:
        chart.caption += (f" Over {DENSE_DAYS} days: only the -0% / +0% days are marked, on "
                          "the rate's line.")
    fig = figure(11, 1.35 * len(pairs) + 0.8)
    axes = fig.subplots(len(pairs), 1, sharex=True, squeeze=False)[:, 0]
    used: set[str] = set()
    for ax, (pair, points) in zip(axes, pairs.items(), strict=True):
        xs, ys = _line(points)
        ax.plot(xs, ys, color="#888888" if dense else "#aaaaaa", linewidth=1, zorder=1)
        by_kind: dict[str, list[tuple[date, float]]] = defaultdict(list)
        for p in points:
            if p.rate is not None and (p.kind == "signed-zero" or not dense):
                by_kind[p.kind].append((p.observed_on, p.rate))
        for kind, style in _KIND_STYLE.items():
            if kind in by_kind:
                kx, ky = zip(*by_kind[kind], strict=True)
                ax.scatter(kx, ky, marker=style["marker"], color=style["color"],
                           s=10 if dense else 22, zorder=2,
                           label=style["label"] if kind not in used else None)
                used.add(kind)
        signed = sum(1 for p in points if p.kind == "signed-zero")
        ax.set_ylabel(pair, rotation=0, ha="right", va="center", fontsize=9)
        ax.ticklabel_format(axis="y", style="plain", useOffset=False)
        ax.set_title(f"{plural(len(points), 'day')}, {signed} at -0% / +0%", loc="right",
                     fontsize=8,
                     color="#555555", pad=2)
        ax.margins(x=0.02, y=0.25)
    if len(days) <= 12:  # a tick a day
        axes[-1].set_xticks(days, [d.isoformat() for d in days])
    else:
        axes[-1].xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    if len(days) == 1:
        axes[-1].set_xlim(days[0] - timedelta(days=1), days[0] + timedelta(days=1))
    fig.legend(loc="outside upper left", ncols=4, frameon=False, fontsize=8)
    axes[-1].tick_params(axis="x", rotation=30)
    chart.svg = to_svg(fig, chart.slug)
    return chart


def _run_label(number: int, run: dict[str, Any]) -> str:
    """``#3 2026-11-30 17:07``: the run's number in the log and its start (UTC)."""
    moment: datetime | None = run.get("started_at") or run.get("ended_at")
    return f"#{number} " + (moment.strftime("%Y-%m-%d %H:%M") if moment else "?")


def _shown_runs(report: Report, opts: Options) -> list[dict[str, Any]]:
    return report.runs[-opts.last_runs:]


def _run_axis(ax: Axes, runs: list[dict[str, Any]], first: int) -> None:
    """Runs as x: ticks numbered from ``first`` (the first run shown, in the whole log)."""
    step = max(1, len(runs) // 30)
    ticks = list(range(0, len(runs), step))
    ax.set_xticks(ticks, [_run_label(first + i, runs[i]) for i in ticks], rotation=60,
                  ha="right", fontsize=8)
    ax.set_xlim(-0.6, len(runs) - 0.4)


def _runs_caption(report: Report, opts: Options, text: str) -> str:
    more = len(report.runs) - len(_shown_runs(report, opts))
    return text + (f" The last {opts.last_runs} of {len(report.runs)} runs." if more > 0
                   else "")


def _run_chart(report: Report, opts: Options, slug: str, title: str,
               text: str) -> tuple[Chart, list[dict[str, Any]]]:
    """A run-health chart's frame and the runs it shows ("no data" noted when none)."""
    runs = _shown_runs(report, opts)
    chart = Chart(slug, title, _runs_caption(report, opts, text))
    if not runs:
        chart.note = NO_DATA
    return chart, runs


def _stacked_runs(runs: list[dict[str, Any]], first: int,
                  stacks: list[tuple[str, list[int], str]], ylabel: str, slug: str,
                  empty_text: str | None = None) -> str:
    fig = figure(11, 3.4)
    ax = fig.add_subplot()
    x = list(range(len(runs)))
    bottom = [0] * len(runs)
    for label, heights, tint in stacks:
        ax.bar(x, heights, bottom=bottom, width=0.8, color=tint,
               label=f"{label} ({sum(heights)})", linewidth=0)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    top = max(bottom, default=0)
    if top == 0 and empty_text:
        ax.text(0.5, 0.5, empty_text, transform=ax.transAxes, ha="center", va="center",
                color="#555555")
    ax.set_ylim(0, top * 1.3 + 1)
    _run_axis(ax, runs, first)
    ax.set_ylabel(ylabel)
    if stacks:
        ax.legend(loc="upper left", ncols=min(5, len(stacks)), frameon=False)
    return to_svg(fig, slug)


@_styled
def requests(report: Report, opts: Options) -> Chart:
    """Requests per run, with the retries among them."""
    chart, runs = _run_chart(
        report, opts, "requests", "Requests per run",
        "Requests each run sent (retries in orange). A full crawl sends about one "
        "request per article plus its archive pages; an incremental rerun far fewer. A "
        "rise in retries is the site (or the network) struggling.")
    if not runs:
        return chart
    retries = [r["retries"] or 0 for r in runs]
    sent = [max(0, (r["requests"] or 0) - n) for r, n in zip(runs, retries, strict=True)]
    chart.svg = _stacked_runs(runs, len(report.runs) - len(runs) + 1,
                              [("requests", sent, "#1f77b4"), ("retries", retries, "#ff7f0e")],
                              "requests", chart.slug)
    return chart


@_styled
def article_changes(report: Report, opts: Options) -> Chart:
    """New, updated and unchanged articles per run (stacked)."""
    chart, runs = _run_chart(
        report, opts, "articles-per-run", "Articles new / updated / unchanged per run",
        "What each run did to the stored articles: new posts, posts whose content changed "
        "(the old row goes to history), posts fetched again unchanged.")
    if not runs:
        return chart
    chart.svg = _stacked_runs(runs, len(report.runs) - len(runs) + 1, [
        ("new", [r["articles_new"] or 0 for r in runs], "#2ca02c"),
        ("updated", [r["articles_updated"] or 0 for r in runs], "#ff7f0e"),
        ("unchanged", [r["articles_unchanged"] or 0 for r in runs], "#c7c7c7"),
    ], "articles", chart.slug, empty_text="no article written by these runs")
    return chart


@_styled
def rejects(report: Report, opts: Options) -> Chart:
    """Rejects per run by kind (from the rejects dataset; the runs log for runs with none)."""
    chart, runs = _run_chart(
        report, opts, "rejects", "Rejects per run by kind",
        "Rows the run refused (the rejects dataset, by kind: http, validation, "
        "regression...). Rejects growing run after run mean the site changed under the "
        "parsers, or started answering with walls or errors.")
    if not runs:
        return chart
    kinds = Counter[str]()
    for (_, kind), n in report.rejects.items():
        kinds[kind] += n
    stacks = [(kind, [report.rejects.get((r["run_id"], kind), 0) for r in runs], colour(i))
              for i, (kind, _) in enumerate(kinds.most_common())]
    logged = [r["rejects"] or 0 for r in runs]
    counted = [sum(s[1][i] for s in stacks) for i in range(len(runs))]
    missing = [max(0, a - b) for a, b in zip(logged, counted, strict=True)]
    if any(missing):  # rejects the runs log counts but the dataset no longer holds
        stacks.append(("kind unknown", missing, "#7f7f7f"))
    chart.svg = _stacked_runs(runs, len(report.runs) - len(runs) + 1, stacks, "rejects", chart.slug,
                              empty_text="no rejects in these runs")
    return chart


def completeness_of(archive: dict[str, Any]) -> float | None:
    found, total = archive.get("found"), archive.get("reported_total")
    return found / total if found is not None and total else None


@_styled
def archives(report: Report, opts: Options) -> Chart:
    """Per archive: posts found / the total the archive reports, per run."""
    chart, runs = _run_chart(
        report, opts, "archives", "Archive completeness per run",
        "Posts found / the total each archive reports, per run (an incremental "
        "run's caught-up archives, read only until nothing was new, are left out). A red "
        "cross marks a run that found the archive incomplete. Below 100% means posts "
        "were listed but not reached.")
    series: dict[str, list[tuple[int, float, bool]]] = defaultdict(list)
    for i, run in enumerate(runs):
        for archive in run.get("archives") or []:
            share = completeness_of(archive)
            if share is None or archive.get("end") == "caught-up":
                continue
            series[archive.get("archive") or "?"].append(
                (i, share * 100, archive.get("complete") is not False))
    if not series:
        chart.note = NO_DATA + ": no run recorded an archive with a reported total"
        return chart
    fig = figure(11, 3.4)
    ax = fig.add_subplot()
    for n, (name, points) in enumerate(sorted(series.items())):
        xs, ys, _ = zip(*points, strict=True)
        ax.plot(xs, ys, marker="o", markersize=4, color=colour(n), label=name)
        bad = [(x, y) for x, y, d in points if not d]
        if bad:
            bx, by = zip(*bad, strict=True)
            ax.scatter(bx, by, marker="x", s=50, color="#d62728", zorder=3)
    top = max(y for pts in series.values() for _, y, _ in pts)
    ax.axhline(100, color="#999999", linewidth=0.8, linestyle="--")
    ax.set_ylim(0, max(105.0, top + 5))
    ax.set_ylabel("% found")
    _run_axis(ax, runs, len(report.runs) - len(runs) + 1)
    ax.legend(loc="lower left", ncols=min(6, len(series)), frameon=False)
    chart.svg = to_svg(fig, chart.slug)
    return chart


@_styled
def field_sources(report: Report, opts: Options) -> Chart:
    """Per field, the share taken from each extraction source, per run (small multiples)."""
    chart, runs = _run_chart(
        report, opts, "field-sources", "Field sources per run",
        "For each field, the share of the run's articles that took it from each "
        "extraction source (JSON-LD, meta tags, the theme's markup, the REST API, the "
        "generic fallback, none). A band that grows or shrinks between runs is drift: "
        "the site changed its markup, and a field now comes from a weaker source; "
        "\"generic\" or \"none\" growing is the one to act on.")
    shares: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(
        lambda: [0.0] * len(runs)))
    for i, run in enumerate(runs):
        for item in run.get("field_sources") or []:
            shares[item["field"]][item["source"]][i] = float(item["share"] or 0.0)
    if not shares:
        chart.note = NO_DATA + ": no run recorded field sources"
        return chart
    sources = sorted({s for by in shares.values() for s in by},
                     key=lambda s: (_WEAK.index(s) if s in _WEAK else -1, s))
    weak = {"generic": "#d62728", "url": "#ff9896", "none": "#c7c7c7"}
    palette = [c for c in _COLOURS if c not in ("#d62728", "#7f7f7f")]
    tint = {s: weak.get(s) or palette[i % len(palette)] for i, s in enumerate(sources)}
    fields = sorted(shares)
    # one group of bars per field, a bar per run (oldest first) inside each group
    count = len(runs)
    stride = count + max(1.0, count * 0.25)
    fig = figure(11, 4.2)
    ax = fig.add_subplot()
    x = [g * stride + i for g in range(len(fields)) for i in range(count)]
    bottom = [0.0] * len(x)
    for source in sources:
        values = [v * 100 for f in fields
                  for v in shares[f].get(source, [0.0] * count)]
        ax.bar(x, values, bottom=bottom, width=0.9 if count > 1 else 0.8,
               color=tint[source], linewidth=0)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks([g * stride + (count - 1) / 2 for g in range(len(fields))], fields,
                  rotation=35, ha="right")
    ax.set_xlim(-1, len(fields) * stride - stride + count)
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of the run's articles")
    if count > 1:
        ax.set_title(f"each group: runs #{len(report.runs) - count + 1} (left) to "
                     f"#{len(report.runs)} (right)", loc="left", fontsize=9, color="#555555")
    handles = [Patch(color=tint[s], label=s) for s in sources]
    fig.legend(handles=handles, loc="outside upper center", ncols=min(8, len(sources)),
               frameon=False)
    chart.svg = to_svg(fig, chart.slug)
    return chart


#: the charts in page order, in sections
SECTIONS: tuple[tuple[str, tuple[Callable[[Report, Options], Chart], ...]], ...] = (
    ("Articles", (countries_by_month, sections, tags)),
    ("Rates", (rates,)),
    ("Run health", (requests, article_changes, rejects, archives, field_sources)),
)
