"""Spidermon monitoring (docs/MONITORING.md): off by default, optional, checked at start-up;
real crawls of the replica with it on: a healthy run passes every monitor, faulty ones fail
exactly the monitors they should, and the exit code stays the run's outcome."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.settings import Settings
from spidermon.contrib.validation import JSONSchemaValidator
from spidermon.core.actions import Action

from crawler import monitoring
from crawler.addons import Monitoring
from crawler.monitoring import monitors as project_monitors
from crawler.monitoring.schemas import ARTICLE_SCHEMA, RATE_SCHEMA, unschemed_fields
from crawler.monitoring.validation import jsonable
from pipelines.records import Article, Rate, article_content_hash
from tests.conftest import CrawlRun, crawl_replica
from tests.crawlrun import PROJECT_ROOT, CrawlOutput, crawl_command
from tests.hostile import serve_hostile
from tests.replica import ReplicaConfig, ReplicaSite, serve

FINISH = "Finish Reason Monitor/Should have the expected finished reason(s)"
ERRORS = "Error Count Monitor/test_stat_monitor"
VALIDATION = "Item Validation Monitor/test_stat_monitor"
COVERAGE = "Field Coverage Monitor/test_check_if_field_coverage_rules_are_met"
REJECTS = "Rejects Monitor/Rejects should stay under their ceilings"
SOURCES = "Extraction Source Monitor/Fields should come from the expected sources"
ALL = {FINISH, ERRORS, VALIDATION, COVERAGE, REJECTS, SOURCES}

ON = ("-s", "SPIDERMON_ENABLED=1")


class NoteFailures(Action):
    """Stands in for a notification (Slack, e-mail): the failed monitors, one a line, in
    ``OUTPUT_DIR/alert.txt``."""

    def run_action(self) -> None:
        root = Path(self.data.crawler.settings["OUTPUT_DIR"])
        names = sorted(r.monitor.name for r in self.result.monitors_failed_results)
        (root / "alert.txt").write_text("\n".join(names), encoding="utf-8")


def results(log: str) -> dict[str, str]:
    """Monitor name -> status (OK, FAIL, ERROR, SKIPPED) from Spidermon's log lines (an
    action's line names no test: no "/")."""
    found = re.findall(r"\[Spidermon\] (.+?)\.\.\. (OK|FAIL|ERROR|SKIPPED)\b", log)
    return {name: status for name, status in found if "/" in name}


def failed(log: str) -> set[str]:
    return {name for name, status in results(log).items() if status in ("FAIL", "ERROR")}


def stat(log: str, key: str) -> str:
    """A stat's value as the stats dump prints it."""
    match = re.search(rf"'{re.escape(key)}': ([^\n]+?),?\n", log)
    assert match, f"{key} not in the stats dump"
    return match.group(1)


# -- settings and schemas (no crawl) ------------------------------------------------------


def test_off_by_default_and_nothing_is_added() -> None:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    Monitoring().update_settings(settings)
    assert not monitoring.enabled(settings)
    assert "MONITOR_SOURCE_RULES" not in settings
    assert not any("spidermon" in str(path).lower()
                   for name in ("EXTENSIONS", "ITEM_PIPELINES") for path in settings[name])


def test_enabled_adds_the_components_and_defaults_that_settings_override() -> None:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("SPIDERMON_ENABLED", "1", priority="cmdline")
    settings.set("MONITOR_MAX_REJECTS", "3", priority="cmdline")
    Monitoring().update_settings(settings)
    extensions = {getattr(k, "__name__", k): v for k, v in settings.getdict("EXTENSIONS").items()}
    pipelines = {getattr(k, "__name__", k): v
                 for k, v in settings.getdict("ITEM_PIPELINES").items()}
    assert extensions["Spidermon"] == monitoring.EXTENSION_ORDER
    assert pipelines["StoredItemValidation"] == monitoring.VALIDATION_ORDER
    assert monitoring.max_rejects(settings) == 3
    assert monitoring.max_reject_share(settings) == 0.05
    assert settings.getlist("SPIDERMON_SPIDER_CLOSE_MONITORS") == [monitoring.CLOSE_SUITE]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("MONITOR_MAX_REJECT_SHARE", "2", "MONITOR_MAX_REJECT_SHARE must be a number from 0 to 1"),
    ("MONITOR_SOURCE_RULES", '{"title/nowhere": 0}', "MONITOR_SOURCE_RULES must be"),
    ("SPIDERMON_MAX_ERRORS", "many", "SPIDERMON_MAX_ERRORS must be a whole number"),
    ("SPIDERMON_VALIDATION_DROP_ITEMS_WITH_ERRORS", "1", "is not supported"),
    ("MONITOR_FAILED_ACTIONS", "no.such.Action", "cannot be loaded"),
])
def test_a_bad_monitoring_setting_names_itself(name: str, value: str, message: str) -> None:
    settings = Settings({"SPIDERMON_ENABLED": True})
    settings.set(name, value, priority="cmdline")
    with pytest.raises(ValueError, match=re.escape(message)):
        Monitoring().update_settings(settings)


def test_the_schemas_describe_every_field_of_the_stored_records() -> None:
    assert unschemed_fields() == {"Article": set(), "Rate": set()}


def stored_article(**changes: object) -> Article:
    article = Article(
        url="https://example.com/a-post/", post_id=7, title="A post", summary=None,
        body_text="Some words.", authors=["A. Writer"],
        published_at=datetime(2025, 1, 10, 6, tzinfo=UTC), modified_at=None,
        categories=["News"], word_count=2, sources={"title": "jsonld", "summary": "none"},
        fetched_url="https://example.com/a-post/", fetched_at=datetime.now(UTC))
    for name, value in changes.items():
        setattr(article, name, value)
    article.content_hash = article_content_hash(article)
    return article


def test_a_stored_article_and_rate_are_valid() -> None:
    rate = Rate(base="KZT", quote="USD", rate=Decimal("0.00190"), rate_text="0.00190",
                change_pct=Decimal("-0"), change_text="-0%", observed_on=date(2025, 1, 10),
                observed_on_source="dateline", page_url="https://example.com/",
                fetched_at=datetime.now(UTC))
    assert JSONSchemaValidator(ARTICLE_SCHEMA).validate(jsonable(vars(stored_article()))) == (
        True, {})
    assert JSONSchemaValidator(RATE_SCHEMA).validate(jsonable(vars(rate))) == (True, {})


def test_the_article_schema_catches_what_the_project_validation_lets_through() -> None:
    article = stored_article(unparsed={"modified_at": "sometime"}, title="x" * 600,
                             published_at=datetime(9999, 12, 31, tzinfo=UTC),
                             sources={"title": "guess"})
    ok, errors = JSONSchemaValidator(ARTICLE_SCHEMA).validate(jsonable(vars(article)))
    assert not ok
    assert set(errors) == {"unparsed", "title", "published_at", "sources.title"}


def test_source_shares_per_field() -> None:
    shares, pages = project_monitors.source_shares({
        "extract/title/jsonld": 9, "extract/title/generic": 1, "extract/tags/none": 10,
        "other": 3})
    assert pages == 10
    assert shares == {("title", "jsonld"): 0.9, ("title", "generic"): 0.1,
                      ("tags", "none"): 1.0}


# -- start-up without Spidermon (subprocesses) -------------------------------------------

#: a sitecustomize that makes Spidermon impossible to import, as if it were not installed
NO_SPIDERMON = '''
import sys

class _NoSpidermon:
    def find_spec(self, name, path=None, target=None):
        if name == "spidermon" or name.startswith("spidermon."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _NoSpidermon())
'''


def without_spidermon(tmp_path: Path) -> dict[str, str]:
    shim = tmp_path / "shim"
    shim.mkdir(exist_ok=True)
    (shim / "sitecustomize.py").write_text(NO_SPIDERMON, encoding="utf-8")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(shim), str(PROJECT_ROOT)])}


@pytest.mark.crawl
def test_enabled_without_spidermon_is_a_configuration_error(tmp_path: Path) -> None:
    env = without_spidermon(tmp_path)
    check = subprocess.run([sys.executable, "-c", "import spidermon"], env=env,
                           capture_output=True, text=True, check=False)
    assert "No module named 'spidermon'" in check.stderr  # the shim works
    result = subprocess.run(crawl_command("http://127.0.0.1:9/", tmp_path / "out", *ON),
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 2, result.stderr[-3000:]
    assert ("invalid argument or setting: setting SPIDERMON_ENABLED=1 needs Spidermon, which "
            "is not installed") in result.stderr
    assert "pip install 'timesca-crawler[spidermon]'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.crawl
def test_the_crawl_works_without_spidermon_when_monitoring_is_off(tmp_path: Path) -> None:
    env = without_spidermon(tmp_path)
    with serve(ReplicaSite(ReplicaConfig(seed=3, posts=12))) as server:
        result = subprocess.run(crawl_command(server.base_url, tmp_path / "out"),
                                cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                                timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "[Spidermon]" not in result.stderr
    assert "'output/articles_written': 12" in result.stderr


@pytest.mark.crawl
def test_a_notification_missing_its_settings_is_a_configuration_error(tmp_path: Path) -> None:
    action = "spidermon.contrib.actions.email.smtp.SendSmtpEmail"
    result = subprocess.run(
        crawl_command("http://127.0.0.1:9/", tmp_path / "out", *ON,
                      "-s", f"MONITOR_FAILED_ACTIONS={action}"),
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2, result.stderr[-3000:]
    assert (f"invalid argument or setting: setting MONITOR_FAILED_ACTIONS: {action} is not "
            "configured: You must provide a value for SPIDERMON_EMAIL_TO setting") in result.stderr


# -- real crawls with the monitors on ----------------------------------------------------


@pytest.mark.crawl
def test_a_healthy_run_passes_every_monitor(tmp_path: Path) -> None:
    run: CrawlRun = crawl_replica(tmp_path, *ON, seed=3, posts=60, theme="classic")
    assert run.returncode == 0, run.log[-3000:]
    found = results(run.log)
    assert set(found) == ALL
    assert failed(run.log) == set()
    # with nothing to count (no ERROR line, no schema error) Spidermon skips these two
    assert {n for n, s in found.items() if s == "SKIPPED"} == {ERRORS, VALIDATION}
    assert stat(run.log, "monitors/failed") == "0"
    assert stat(run.log, "monitors/passed") == "4"
    # every record that reached the writer was validated (articles and rates; a healthy
    # run has no reject), none was dropped: all 60 articles are stored
    assert stat(run.log, "spidermon/validation/items") == stat(run.log, "item_scraped_count")
    assert run.summary["articles_written"] == 60
    assert "Traceback" not in run.log


@pytest.mark.crawl
def test_failed_pages_fail_the_error_and_rejects_monitors_not_the_exit_code(
        tmp_path: Path) -> None:
    run = crawl_replica(tmp_path, *ON, "-s", 'MONITOR_MAX_REJECTS_BY_KIND={"http": 1}',
                        "-s", "MONITOR_FAILED_ACTIONS=tests.test_monitors.NoteFailures",
                        seed=3, posts=60, theme="classic",
                        faults=frozenset({"500", "removed"}))
    assert run.returncode == 0, run.log[-3000:]  # the outcome is success: 2 of 73 failed
    assert set(results(run.log)) == ALL
    assert failed(run.log) == {ERRORS, REJECTS}
    assert stat(run.log, "monitors/failed") == "2"
    assert "2 rejects of kind http, over MONITOR_MAX_REJECTS_BY_KIND['http'] 1" in run.log
    assert "Monitors failed (the exit code stays the run's outcome)" in run.log
    assert len(run.table("rejects")) == 2
    # the failed-monitor actions ran (where Slack or e-mail would be sent)
    assert (run.output / "alert.txt").read_text(encoding="utf-8").splitlines() == sorted(
        {ERRORS, REJECTS})


@pytest.mark.crawl
def test_bad_data_fails_the_validation_source_and_finish_reason_monitors(
        tmp_path: Path) -> None:
    output = tmp_path / "out"
    extra = (*ON, "-s", 'MONITOR_SOURCE_RULES={"published_at/theme": 0.02}',
             "-s", "CLOSESPIDER_PAGECOUNT=40")
    # three posts print unreadable machine dates: the visible date (theme) is taken for
    # publication, the modification date stays unparsed (and null)
    with serve_hostile("bad-dates") as server:
        result = subprocess.run(crawl_command(server.base_url, output, *extra),
                                cwd=PROJECT_ROOT, capture_output=True, text=True,
                                timeout=300, check=False)
    log = result.stderr
    assert result.returncode == 0, log[-3000:]
    assert set(results(log)) == ALL
    assert failed(log) == {FINISH, VALIDATION, SOURCES}
    assert 'Finished with "closespider_pagecount" the expected reasons are' in log
    assert "Current value: '3.0'" in log  # three schema errors: one per unparsed date
    assert len(re.findall(r"Item validation: Article .+: unparsed: \{'modified_at'", log)) == 3
    assert re.search(r"published_at/theme: [\d.]+% of the pages, over 2\.0%", log)
    # the records with schema errors are stored all the same (their modified_at null)
    rows = CrawlOutput(output).table("articles")
    assert len(rows) == int(stat(log, "output/articles_written"))
    assert sum(row["modified_at"] is None for row in rows) == 3


@pytest.mark.crawl
def test_a_rerun_with_nothing_new_raises_no_alert(tmp_path: Path) -> None:
    output = tmp_path / "out"
    with serve(ReplicaSite(ReplicaConfig(seed=3, posts=60))) as server:
        first = subprocess.run(crawl_command(server.base_url, output, *ON), cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=300, check=False)
        rerun = subprocess.run(crawl_command(server.base_url, output, *ON), cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=300, check=False)
    assert first.returncode == rerun.returncode == 0, rerun.stderr[-3000:]
    assert stat(rerun.stderr, "output/articles_written") == "0"
    found = results(rerun.stderr)
    assert failed(rerun.stderr) == set()
    # no article stored: no coverage to judge (Spidermon's skipping rule), no page parsed
    assert COVERAGE not in found
    assert "Skipping Field Coverage Monitor monitor" in rerun.stderr
    assert found[SOURCES] == "SKIPPED"
    assert found[FINISH] == found[REJECTS] == "OK"


def run_monitor(monitor: type, stats: dict, **values: object) -> dict[str, tuple[str, str]]:
    """Run one monitor over ``stats`` with monitoring's settings: test name -> (status,
    reason)."""
    from spidermon import MonitorSuite
    from spidermon.runners import MonitorRunner

    settings = Settings({"SPIDERMON_ENABLED": True})
    settings.setdict(values, priority="cmdline")
    monitoring.enable(settings)
    crawler = SimpleNamespace(settings=settings)  # what the monitors read of the crawler
    result = MonitorRunner().run(MonitorSuite(monitors=[monitor], crawler=crawler),
                                 stats=stats, crawler=crawler)
    return {r.monitor.name: (r.status, r.reason or "") for r in result.monitor_results}


@pytest.mark.parametrize(("stats", "settings", "status", "reason"), [
    ({"output/rejects_written": 3, "output/articles_written": 97}, {}, "OK", ""),
    ({"output/rejects_written": 6, "output/articles_written": 94}, {}, "FAIL",
     "6 rejects are 6.0% of 100 rows, over MONITOR_MAX_REJECT_SHARE 0.05 (by kind: "
     "http 5, validation 1)"),
    ({"output/rejects_written": 3, "output/articles_written": 97},
     {"MONITOR_MAX_REJECTS": 2}, "FAIL", "3 rejects, over MONITOR_MAX_REJECTS 2"),
    ({}, {}, "SKIPPED", "the datasets were not written"),
])
def test_the_rejects_monitor(stats: dict, settings: dict, status: str, reason: str) -> None:
    kinds = {"output/rejects/http": 5, "output/rejects/validation": 1}
    found = run_monitor(project_monitors.RejectsMonitor, {**stats, **kinds}, **settings)
    assert list(found) == [REJECTS]
    assert found[REJECTS][0] == status
    assert reason in found[REJECTS][1]


@pytest.mark.parametrize(("pages_generic", "status"), [(2, "OK"), (3, "FAIL")])
def test_the_source_monitor(pages_generic: int, status: str) -> None:
    stats = {"extract/body_text/wp": 20 - pages_generic,
             "extract/body_text/generic": pages_generic, "extract/title/jsonld": 20}
    found = run_monitor(project_monitors.SourceMonitor, stats,
                        MONITOR_SOURCE_RULES={"body_text/generic": 0.1})
    assert found == {SOURCES: (status, "" if status == "OK" else
                               "of 20 article pages, body_text/generic: 15.0% of the pages, "
                               "over 10.0%")}
