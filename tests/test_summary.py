"""Run summary helpers: what reaches the runs log, and the run's timings."""

from datetime import UTC, datetime, timedelta

import pytest
from scrapy.settings import Settings

from crawler.extensions.summary import (
    build_summary,
    command_line_settings,
    format_summary,
    run_timings,
)


def test_only_command_line_settings_are_recorded_and_secrets_are_masked():
    settings = Settings({"DOWNLOAD_DELAY": 0.5}, priority="project")
    settings.set("OUTPUT_DIR", "/data/tca", priority="cmdline")
    settings.set("HTTPPROXY_AUTH_ENCODING", "latin-1", priority="cmdline")
    settings.set("API_TOKEN", "s3cr3t", priority="cmdline")
    settings.set("HTTPS_PROXY", "http://u:p@proxy:3128", priority="cmdline")
    recorded = command_line_settings(settings)
    assert recorded == {
        "API_TOKEN": "***",
        "HTTPPROXY_AUTH_ENCODING": "***",
        "HTTPS_PROXY": "***",
        "OUTPUT_DIR": "/data/tca",
    }
    assert "s3cr3t" not in str(recorded)


def test_run_timings_read_the_stats_and_the_process():
    stats = {"start_time": datetime.now(UTC) - timedelta(seconds=20),
             "timing/parse_cpu_s": 4.25, "timing/parsed_pages": 120,
             "timing/parquet_write_s": 0.5, "timing/parquet_write_cpu_s": 0.4}
    timings = run_timings(stats)
    assert set(timings) == {"wall_s", "cpu_s", "peak_rss_mb", "parse_cpu_s", "parsed_pages",
                            "parquet_write_s", "parquet_write_cpu_s", "parquet_write_share"}
    assert 20 <= timings["wall_s"] < 30
    assert (timings["parse_cpu_s"], timings["parsed_pages"]) == (4.25, 120)
    assert timings["parquet_write_share"] == round(0.5 / timings["wall_s"], 4)
    assert timings["peak_rss_mb"] > 10 and timings["cpu_s"] > 0
    summary = {**build_summary({}, [], "finished"), "timings": timings}
    assert "parsing 4.2 s cpu for 120 pages; Parquet writing 0.5 s (2." in format_summary(summary)
    assert "time:" not in format_summary(build_summary({}, [], "finished"))


@pytest.mark.crawl
def test_last_run_json_says_where_time_and_memory_went(full_crawl):
    summary = full_crawl.summary
    timings = summary["timings"]
    pages = summary["pages_fetched"] - summary["responses_by_status"].get("404", 0)
    assert 0 < timings["parsed_pages"] <= pages
    assert 0 < timings["parse_cpu_s"] < timings["cpu_s"]
    assert timings["parquet_write_cpu_s"] > 0
    assert timings["parquet_write_s"] > 0
    assert timings["parquet_write_s"] < timings["wall_s"]
    share = timings["parquet_write_s"] / timings["wall_s"]
    assert abs(timings["parquet_write_share"] - share) < 1e-3
    assert 50 < timings["peak_rss_mb"] < 1000
    assert "  time: wall " in full_crawl.log
