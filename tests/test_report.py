"""``timesca-report``: the HTML report of a real output directory (three crawls of the
replica: HTML, then the REST API on the site's later state, then HTML again with faults),
opened in a headless Chromium; and its error paths."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from crawler.cli import report as cli
from crawler.report.charts import SECTIONS
from crawler.report.data import change_kind
from pipelines.store import append_run, run_row, schemas
from tests.conftest import CrawlRun
from tests.crawlrun import PROJECT_ROOT, run_crawl
from tests.replica import ReplicaConfig, ReplicaSite, banks, serve

#: chart slug -> title, in page order
CHARTS = {
    "countries": "Articles per country per month",
    "sections": "Articles per section (top 20)",
    "tags": "Top tags (top 20)",
    "rates": "Rates per pair over time",
    "requests": "Requests per run",
    "articles-per-run": "Articles new / updated / unchanged per run",
    "rejects": "Rejects per run by kind",
    "archives": "Archive completeness per run",
    "field-sources": "Field sources per run",
}
COUNTRY_NAMES = {name for _, name, _ in banks.COUNTRIES}
NO_CHROMIUM = "no chromium on PATH: apt-get install chromium (.ci/run does)"


def report_command(*args: str | Path) -> list[str]:
    """The installed console script (``pip install -e .`` puts it beside the interpreter)."""
    script = Path(sys.executable).parent / "timesca-report"
    if not script.exists():
        pytest.fail(f"{script} is missing: run .venv/bin/pip install -e '.[test]'")
    return [str(script), *map(str, args)]


def run_report(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(report_command(*args), cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300, check=False)


def tree(root: Path) -> dict[str, float]:
    """Every path under ``root`` (hidden ones too) with its modification time."""
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*")}


def figure_of(html: str, slug: str) -> str:
    """The ``<figure>`` of one chart."""
    match = re.search(rf'<figure class="chart" id="chart-{re.escape(slug)}".*?</figure>', html,
                      re.S)
    assert match, slug
    return match.group(0)


def rows(output: Path, name: str, columns: list[str]) -> list[dict]:
    return ds.dataset(output / name, format="parquet", partitioning="hive").to_table(
        columns=columns).to_pylist()


def crawl(output: Path, *extra: str, source: str | None = "html", **config) -> CrawlRun:
    """Serve a replica of ``config`` and crawl it into ``output`` (``source`` None: auto,
    the REST API the replica announces)."""
    site = ReplicaSite(ReplicaConfig(**config))
    with serve(site) as server:
        result = run_crawl(server.base_url, output, *extra, source=source)
        truth = site.ground_truth(server.base_url)
    return CrawlRun(output, result.returncode, result.stderr, truth, [], server.base_url)


class Crawled:
    """The output directory of three runs, the crawls' ground truth, and its report."""

    def __init__(self, tmp: Path) -> None:
        self.output = tmp / "output"
        self.runs: list[CrawlRun] = [
            crawl(self.output, seed=1, posts=60),
            # the REST API (source auto): every field's source moves to "api"
            crawl(self.output, source=None, seed=1, posts=60, state="later"),
            # HTML again, with faults: rejects of kind http and regression
            crawl(self.output, "-s", "RETRY_TIMES=1", seed=1, posts=60, state="later",
                  faults=frozenset({"truncated", "500", "removed"})),
        ]
        self.before = tree(self.output)
        self.result = run_report(self.output)
        self.after = tree(self.output)
        self.file = self.output / "report.html"
        self.html = self.file.read_text(encoding="utf-8") if self.file.exists() else ""


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    return Crawled(tmp_path_factory.mktemp("report"))


@pytest.mark.crawl
def test_the_crawls_succeed_and_the_report_is_written(crawled: Crawled) -> None:
    for run in crawled.runs:
        assert run.returncode == 0, run.log[-3000:]
    assert crawled.result.returncode == 0, crawled.result.stderr
    assert crawled.result.stdout.strip() == str(crawled.file.resolve())
    assert crawled.result.stderr == ""
    assert crawled.file.stat().st_size > 10_000


@pytest.mark.crawl
def test_nothing_else_is_written_and_the_lock_is_left_alone(crawled: Crawled) -> None:
    added = set(crawled.after) - set(crawled.before)
    assert added == {"report.html"}
    assert {k: v for k, v in crawled.after.items() if k != "report.html"} == crawled.before


@pytest.mark.crawl
def test_the_page_is_self_contained(crawled: Crawled) -> None:
    html = crawled.html
    assert "<script" not in html.lower()
    for tag in ("<link", "<img", "<iframe", "<object", "<embed", "@import"):
        assert tag not in html.lower(), tag
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    # the only absolute URLs are the SVG namespaces (names, never fetched)
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", html))


@pytest.mark.crawl
def test_one_svg_per_chart_with_its_title(crawled: Crawled) -> None:
    html = crawled.html
    assert sum(len(charts) for _, charts in SECTIONS) == len(CHARTS)
    assert re.findall(r'data-chart="([^"]+)"', html) == list(CHARTS)
    assert html.count("<svg") == len(CHARTS)
    for slug, title in CHARTS.items():
        figure = figure_of(html, slug)
        assert figure.count("<svg") == 1, slug
        assert f"<h3>{title}</h3>" in figure.replace("&amp;", "&")
        assert 'data-state="drawn"' in figure


@pytest.mark.crawl
def test_header_counts_runs_and_rows(crawled: Crawled) -> None:
    html = crawled.html
    assert re.search(r'<dd id="runs-count">3 runs, started ', html)
    articles = len(rows(crawled.output, "articles", ["url"]))
    assert f'<dd id="articles-count">{articles} rows, published ' in html
    assert f'<dd id="output">{crawled.output.resolve()}</dd>' in html
    assert re.search(r'<dd id="generated-at">\d{4}-\d\d-\d\d \d\d:\d\d UTC</dd>', html)
    assert '<dd id="version">timesca-crawler 0.1.0 (schema version ' in html


@pytest.mark.crawl
def test_countries_of_the_ground_truth_appear(crawled: Crawled) -> None:
    figure = figure_of(crawled.html, "countries")
    truth = {c for run in crawled.runs for post in run.truth["posts"] if post["reachable"]
             for c in post["countries"]}
    assert truth and truth <= COUNTRY_NAMES
    stored = Counter(c for r in rows(crawled.output, "articles", ["countries"])
                     for c in r["countries"] or [])
    assert set(stored) == truth
    for country, n in stored.items():  # the legend: "Kazakhstan (60)"
        assert f"{country} ({n})" in figure, country


@pytest.mark.crawl
def test_rates_pairs_and_their_zero_days(crawled: Crawled) -> None:
    figure = figure_of(crawled.html, "rates")
    days: dict[str, set[date]] = {}
    signed: Counter[str] = Counter()
    for run in crawled.runs:
        for r in run.truth["rates"]:
            pair = f"{r['base']}/{r['quote']}"
            day = date.fromisoformat(r["observed_on"])
            if day not in days.setdefault(pair, set()):
                days[pair].add(day)
                text = r["change_text"]
                signed[pair] += text[:1] in "+-\u2212" and text[1:] == "0%"
    assert sum(signed.values()) >= 1  # the replica shows "-0%" days
    for pair, seen in days.items():
        assert f">{pair}<" in figure
        label = f"{len(seen)} day" + ("" if len(seen) == 1 else "s")
        assert f"{label}, {signed[pair]} at -0% / +0%" in figure
    assert "-0% / +0% (moved under the rounding)" in figure


@pytest.mark.crawl
def test_run_health_figures(crawled: Crawled) -> None:
    html = crawled.html
    runs = pq.read_table(crawled.output / "runs" / "runs.parquet").to_pylist()
    changes = figure_of(html, "articles-per-run")
    for name in ("new", "updated", "unchanged"):
        assert f"{name} ({sum(r[f'articles_{name}'] for r in runs)})" in changes
    kinds = Counter(r["kind"] for r in rows(crawled.output, "rejects", ["kind"]))
    assert {"http", "regression"} <= set(kinds)
    for kind, n in kinds.items():
        assert f"{kind} ({n})" in figure_of(html, "rejects")
    assert ">latest<" in figure_of(html, "archives")
    sources = figure_of(html, "field-sources")
    assert ">api<" in sources and ">jsonld<" in sources  # the drift across the three runs
    assert ">#1 " in figure_of(html, "requests") and ">#3 " in figure_of(html, "requests")


def _runs_log(root: Path, count: int) -> None:
    """``count`` runs in ``root/runs``, the body taken more and more from the fallback."""
    for n in range(count):
        generic = n / 10
        summary = {"run_id": f"run-{n}", "finish_reason": "finished", "requests": 70 + n,
                   "articles_new": 60 if n == 0 else 1, "articles_unchanged": 59 if n else 0,
                   "rejects": n, "archives": [{"archive": "latest", "found": 60 - n,
                                               "reported_total": 60, "complete": n < 2}],
                   "field_sources": {"body_text": {"wp": 1 - generic, "generic": generic}}}
        moment = datetime(2026, 1, 1 + n, 6, tzinfo=UTC)
        append_run(root, run_row(summary, started_at=moment, ended_at=moment,
                                 spider_args={}, settings={}, version="0.1.0",
                                 is_secret=lambda _: False))


@pytest.mark.crawl
def test_out_option_writes_there_and_nowhere_else(tmp_path: Path) -> None:
    output = tmp_path / "output"
    _v4_articles(output)
    _runs_log(output, 3)
    before = tree(output)
    dest = tmp_path / "elsewhere" / "page.html"
    dest.parent.mkdir()
    result = run_report(output, "--out", dest, "--top", "1", "--runs", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{dest}\n"
    assert tree(output) == before
    assert [p.name for p in dest.parent.iterdir()] == ["page.html"]
    html = dest.read_text(encoding="utf-8")
    assert "Top tags (top 1)" in html and "The last 2 of 3 runs." in html
    assert ">Energy<" in figure_of(html, "tags") and ">Water<" not in figure_of(html, "tags")
    assert ">#2 2026-01-02 06:00<" in figure_of(html, "requests")
    assert ">#1 " not in figure_of(html, "requests")


def test_run_health_from_a_runs_log(tmp_path: Path) -> None:
    _runs_log(tmp_path, 4)
    assert cli.main([str(tmp_path), "--out", str(tmp_path / "r.html")]) == 0
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<dd id="runs-count">4 runs, started 2026-01-01 06:00 UTC .. 2026-01-04 06:00 UTC'\
        in html
    assert "new (63)" in figure_of(html, "articles-per-run")
    assert "kind unknown (6)" in figure_of(html, "rejects")  # counted, no rejects rows kept
    assert ">generic<" in figure_of(html, "field-sources")
    for slug in ("requests", "articles-per-run", "rejects", "archives", "field-sources"):
        assert 'data-state="drawn"' in figure_of(html, slug), slug
    for slug in ("countries", "sections", "tags", "rates"):
        assert '<p class="note">no data' in figure_of(html, slug), slug


def _region_stats(image, top: int, bottom: int) -> tuple[int, int]:
    """(saturated pixels, distinct colours) of rows top..bottom of an RGB image."""
    region = image.crop((0, top, image.width, bottom))
    colours = region.getcolors(maxcolors=1 << 24) or []
    saturated = sum(n for n, (r, g, b) in colours if max(r, g, b) - min(r, g, b) > 60)
    return saturated, len(colours)


@pytest.mark.crawl
def test_chromium_renders_every_chart(crawled: Crawled, tmp_path: Path) -> None:
    """Each chart's region of a headless Chromium screenshot holds coloured marks."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip(NO_CHROMIUM)
    from PIL import Image

    # a copy whose charts start with a magenta rule, to find each chart's region
    page = tmp_path / "marked.html"
    page.write_text(crawled.html.replace(
        "</style>", "figure.chart { border-top: 6px solid #ff00ff; }</style>", 1),
        encoding="utf-8")
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [browser, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
         "--window-size=1200,6000", page.as_uri()],
        capture_output=True, text=True, timeout=180, check=False)
    assert shot.exists(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 6000)
    pixels = image.load()
    rules = [y for y in range(image.height)
             if sum(pixels[x, y] == (255, 0, 255) for x in range(0, image.width, 4)) > 150]
    starts = [y for y in rules if y - 1 not in rules]
    assert len(starts) == len(CHARTS), starts
    ends = [*starts[1:], image.height]
    for slug, top, bottom in zip(CHARTS, starts, ends, strict=True):
        saturated, colours = _region_stats(image, top + 8, bottom)
        assert saturated > 300, (slug, saturated)
        assert colours > 20, (slug, colours)


def _v4_articles(root: Path) -> None:
    """An articles file of schema version 4 (no countries, sections, category_paths)."""
    v4 = pa.schema([f for f in schemas.ARTICLES
                    if f.name not in {"countries", "sections", "category_paths"}])
    table = pa.Table.from_pylist([{
        "post_id": 1, "url": "https://example.com/a/", "title": "A", "body_text": "text",
        "published_at": pa.scalar(1_700_000_000_000_000, pa.timestamp("us", tz="UTC")),
        "tags": ["Energy", "Water"], "categories": ["Kazakhstan"]}], schema=v4)
    (root / "articles" / "year=2023").mkdir(parents=True)
    pq.write_table(table, root / "articles" / "year=2023" / "part-0.parquet")


def test_articles_before_schema_5_say_to_migrate(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _v4_articles(tmp_path)
    assert cli.main([str(tmp_path)]) == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    for slug in ("countries", "sections"):
        figure = figure_of(html, slug)
        assert "<svg" not in figure and 'data-state="note"' in figure
        assert (f"are not recorded for 1 of 1 articles (stored before schema version 5). "
                f"Run: timesca-migrate {tmp_path.resolve()} - then a full crawl") in figure
    assert 'data-state="drawn"' in figure_of(html, "tags")
    assert "Kazakhstan" not in figure_of(html, "countries")  # never guessed from names
    assert capsys.readouterr().out.strip() == str(tmp_path.resolve() / "report.html")


def test_rows_without_countries_are_left_out_and_counted(tmp_path: Path) -> None:
    """Version 5 files whose older rows hold null countries: the chart counts the rest."""
    moment = datetime(2025, 3, 4, tzinfo=UTC)
    table = pa.Table.from_pylist([
        {"post_id": n, "url": f"https://example.com/{n}/", "title": "t", "body_text": "b",
         "published_at": moment, "countries": countries, "sections": sections}
        for n, (countries, sections) in enumerate([
            (["Kazakhstan", "Uzbekistan"], ["Kazakhstan / Features"]),
            (["Kazakhstan"], []), ([], ["Opinions"]), (None, None)])
    ], schema=schemas.ARTICLES)
    (tmp_path / "articles" / "year=2025").mkdir(parents=True)
    pq.write_table(table, tmp_path / "articles" / "year=2025" / "part-0.parquet")
    assert cli.main([str(tmp_path)]) == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    countries = figure_of(html, "countries")
    assert 'data-state="drawn"' in countries
    for label in ("Kazakhstan (2)", "Uzbekistan (1)", "(no country) (1)"):
        assert label in countries, label
    assert "Countries are not recorded for 1 of 4 articles" in countries
    assert "timesca-migrate" not in countries and "-a full=1" in countries
    sections = figure_of(html, "sections")
    assert ">Kazakhstan / Features<" in sections and ">Opinions<" in sections


def test_unreadable_and_old_layout_files_are_named_and_left_out(tmp_path: Path) -> None:
    _v4_articles(tmp_path)
    (tmp_path / "rates" / "year=2025").mkdir(parents=True)
    (tmp_path / "rates" / "year=2025" / "part-0.parquet").write_bytes(b"PAR1 cut short")
    (tmp_path / "rejects").mkdir()
    pq.write_table(schemas.REJECTS.empty_table(), tmp_path / "rejects" / "rejects-1.parquet")
    assert cli.main([str(tmp_path)]) == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    problems = re.findall(r"<li>(.*?)</li>", html)
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"left out {tmp_path.resolve()}/rejects/rejects-1.parquet: "
                                  "a file of the version 1 layout; run timesca-migrate ")
    assert problems[1].startswith(
        f"left out {tmp_path.resolve()}/rates/year=2025/part-0.parquet: ")
    assert "is not a readable Parquet file" in problems[1]
    assert '<p class="note">no data' in figure_of(html, "rates")
    assert 'data-state="drawn"' in figure_of(html, "tags")


def test_empty_datasets_say_no_data(tmp_path: Path) -> None:
    for name in ("articles", "rates", "rejects", "runs"):
        (tmp_path / name).mkdir()
    assert cli.main([str(tmp_path), "--out", str(tmp_path / "r.html")]) == 0
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<svg" not in html
    for slug in CHARTS:
        assert '<p class="note">no data' in figure_of(html, slug), slug
    assert '<dd id="runs-count">0 runs, started none</dd>' in html


@pytest.mark.parametrize("make", ["missing", "empty", "file"])
def test_no_output_dir_exits_2_with_one_line(tmp_path: Path, make: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "output"
    if make == "empty":
        target.mkdir()
        (target / "README.md").write_text("not a dataset\n")
    elif make == "file":
        target.write_text("")
    assert cli.main([str(target)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert captured.err.startswith(f"timesca-report: {target} ")
    assert not (tmp_path / "output" / "report.html").exists()


@pytest.mark.crawl
def test_the_script_fails_cleanly_without_a_traceback(tmp_path: Path) -> None:
    result = run_report(tmp_path / "nowhere")
    assert result.returncode == 2
    assert result.stderr == f"timesca-report: {tmp_path / 'nowhere'} is not a directory\n"
    assert result.stdout == ""


@pytest.mark.parametrize(("text", "kind"), [
    ("-0%", "signed-zero"), ("+0%", "signed-zero"), ("\u22120%", "signed-zero"),
    ("-0.00%", "signed-zero"), ("0%", "zero"), ("0.0 %", "zero"), ("-0.1%", "change"),
    ("1.25%", "change"), ("", "unknown"), (None, "unknown"), ("n/a", "unknown"),
])
def test_change_kind(text: str | None, kind: str) -> None:
    assert change_kind(text) == kind
