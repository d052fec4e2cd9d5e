"""``python -m bench`` end to end on a tiny replica: the JSON it writes and its failures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.report import render, targets
from bench.suite import median_of

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bench(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_bench_measures_project_and_ceiling_on_the_same_pages(tmp_path):
    out = tmp_path / "bench.json"
    done = _bench("--sizes", "30", "--runs", "1", "--only", "project,bare-scrapy",
                  "--parse-variants", "classic/yoast", "--json", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text())
    project, bare = result["sizes"]["30"]["project"], result["sizes"]["30"]["bare-scrapy"]
    # robots.txt, 5 archive pages, 30 posts; the project also reads the sitemap index and
    # its one post sitemap (Yoast lists 1,000 posts a sitemap), which the bare spider does not
    assert bare["pages"] == 36 and bare["articles"] == 30
    assert project["pages"] == 38 and project["articles"] == 30
    assert project["statuses"] == {"200": 38}
    assert project["rerun_requests"] == 3 and project["rerun_exit"] == 0
    assert project["body_f1"]["median"] == 1.0 and project["body_f1"]["count"] == 30
    assert 0 < project["parse_cpu_ms_per_page"] < project["cpu_ms_per_page"]
    assert 0 < project["parquet_write_share"] < 1
    assert 40 < project["peak_rss_mb"] < 1000 and 40 < bare["peak_rss_mb"] < 1000
    assert [r["variant"] for r in result["parse_only"]] == ["classic/yoast"]
    assert result["meta"]["args"]["sizes"] == [30]
    assert "| project" in done.stdout and "Targets:" in done.stdout
    # a second run compared with the first: the bare spider's figures side by side
    again = _bench("--sizes", "30", "--runs", "1", "--only", "bare-scrapy",
                   "--parse-variants", "--json", str(tmp_path / "b2.json"),
                   "--compare", str(out))
    assert again.returncode == 0, again.stderr[-2000:]
    comparison = again.stdout.split("Against the earlier run:")[1].split("results:")[0]
    assert "| bare-scrapy | pages_per_s" in comparison and "| project" not in comparison


@pytest.mark.parametrize("args, message", [
    (["--sizes", "5"], "between 10 and 50,000"),
    (["--sizes", "abc"], "not a comma list"),
    (["--only", "wget"], "unknown contender"),
    (["--parse-variants", "nosuch/yoast"], "expected THEME/SEO"),
    (["--runs", "0"], "at least 1"),
])
def test_bad_arguments_exit_2_with_the_reason(args, message):
    done = _bench(*args, timeout=60)
    assert done.returncode == 2
    assert message in done.stderr


def test_medians_and_targets():
    runs = [{"wall_s": 3.0, "body_f1": {"median": 0.9}, "name": "a"},
            {"wall_s": 1.0, "body_f1": {"median": 0.7}, "name": "b"},
            {"wall_s": 2.0, "body_f1": {"median": 0.8}, "name": "c"}]
    assert median_of(runs) == {"wall_s": 2.0, "body_f1": {"median": 0.8}, "name": "a"}
    row = {"pages_per_s": 100.0, "articles_per_s": 90.0, "peak_rss_mb": 240.0,
           "parquet_write_share": 0.02, "body_f1": {"median": 1.0}}
    results = {"sizes": {"20000": {
        "project": row,
        "bare-scrapy": {"pages_per_s": 125.0},
        "trafilatura": {"articles_per_s": 31.0, "body_f1": {"median": 0.9}},
    }}}
    verdicts = {t.name: t.met for t in targets(results)}
    assert verdicts == {
        "crawl speed vs bare Scrapy": True,  # 0.80x
        "articles/s vs trafilatura, better body F1": False,  # 2.9x
        "peak RSS flat in posts": True,
        "Parquet writing share of wall time": True,
    }
    assert "MISSED" in render(results) and "0.80x at 20,000" in render(results)
