"""Schedulable runs: exit codes, one run per OUTPUT_DIR, and the cron, systemd and Scrapyd
set-ups of docs/SCHEDULING.md.

Every crawl here is a real ``scrapy crawl timesca`` process (the project's crawl command)
against the replica site on loopback, or against a closed port.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

from crawler import exitcodes
from tests.crawlrun import PROJECT_ROOT, crawl_command, run_crawl
from tests.replica import ReplicaConfig, ReplicaSite, serve

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

DEPLOY = PROJECT_ROOT / "deploy"
SCHEDULING_MD = PROJECT_ROOT / "docs" / "SCHEDULING.md"
README = PROJECT_ROOT / "README.md"
VENV_SCRAPY = PROJECT_ROOT / ".venv" / "bin" / "scrapy"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_url() -> str:
    """A loopback URL nothing listens on: every request is refused."""
    return f"http://127.0.0.1:{free_port()}"


def rows(output: Path, name: str) -> list[dict[str, Any]]:
    return ds.dataset(output / name, format="parquet", partitioning="hive").to_table().to_pylist()


def last_run(output: Path) -> dict[str, Any]:
    return json.loads((output / "last_run.json").read_text(encoding="utf-8"))


def lock_holder(output: Path) -> dict[str, Any] | None:
    try:
        return json.loads((output / ".lock").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# -- one run per output directory ---------------------------------------------------------


def test_second_run_exits_4_at_once_and_a_killed_runs_lock_is_taken_over(tmp_path):
    output = tmp_path / "out"
    slow = ReplicaSite(ReplicaConfig(seed=1, posts=20, faults=frozenset({"slow"}),
                                     slow_seconds=60))
    with serve(slow) as server:
        first = subprocess.Popen(
            crawl_command(server.base_url, output, "-s", "DOWNLOAD_TIMEOUT=120"),
            cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while not (len(server.requests) > 5 and lock_holder(output)):
                assert first.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
            holder = lock_holder(output)
            assert holder and holder["pid"] == first.pid

            started = time.monotonic()
            second = run_crawl(server.base_url, output, "-s", "USER_AGENT=second-run",
                               timeout=60)
            elapsed = time.monotonic() - started
            assert second.returncode == exitcodes.LOCK_CONFLICT, second.stderr[-3000:]
            assert (f"output directory {output} is in use by another crawl "
                    f"(pid {first.pid} since {holder['started_at']}") in second.stderr
            assert "exiting with code 4" in second.stderr
            assert "Traceback" not in second.stderr
            assert "Spider opened" not in second.stderr
            assert elapsed < 10
            assert not [r for r in server.requests if r.get("user_agent") == "second-run"]
            assert first.poll() is None  # the first run goes on, untouched
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(10)
    assert not (output / "last_run.json").exists()  # neither run finished
    assert lock_holder(output)["pid"] == first.pid  # left behind by the killed run

    site = ReplicaSite(ReplicaConfig(seed=1, posts=20))
    with serve(site) as server:
        third = run_crawl(server.base_url, output, timeout=120)
    assert third.returncode == exitcodes.OK, third.stderr[-3000:]
    assert re.search(rf"Took over the lock of {re.escape(str(output))} left by pid "
                     rf"{first.pid} since \S+, which is not running", third.stderr)
    assert last_run(output)["outcome"] == "success"
    assert len(rows(output, "articles")) == 20
    assert (output / ".lock").read_text() == ""  # released cleanly: nothing to take over


def test_lock_reserved_by_the_command_is_adopted_once(tmp_path):
    """The crawl command reserves the lock; its run's store adopts it; nobody else in the
    process (a second store on the same directory) gets it."""
    from pipelines.store import lock as outputlock

    command = outputlock.reserve(tmp_path)
    store = outputlock.acquire(tmp_path)
    with pytest.raises(outputlock.LockBusy, match=rf"in use by another crawl \(pid {os.getpid()}"):
        outputlock.acquire(tmp_path)
    outputlock.release(store)
    assert lock_holder(tmp_path)["pid"] == os.getpid()  # the command still holds it
    outputlock.release(command)
    assert (tmp_path / ".lock").read_text() == ""
    outputlock.release(outputlock.acquire(tmp_path))  # free again


def test_request_log_records_the_user_agent():
    """The lock test tells the runs apart by User-Agent in the replica's request log."""
    site = ReplicaSite(ReplicaConfig(seed=1, posts=10))
    with serve(site) as server:
        request = urllib.request.Request(server.base_url + "/robots.txt",
                                         headers={"User-Agent": "probe"})
        urllib.request.urlopen(request, timeout=10).read()
        assert [r.get("user_agent") for r in server.requests] == ["probe"]


# -- exit codes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-a", "base_url=ftp://example.org"),
         "invalid argument or setting: base_url must be an absolute http(s) URL"),
        (("-a", "max_pages=0"), "invalid argument or setting: max_pages must be a whole"),
        (("-s", "MAX_ERROR_RATE=2"), "MAX_ERROR_RATE must be a number from 0 to 1"),
    ],
)
def test_bad_argument_exits_2_with_one_line_and_no_traceback(tmp_path, args, message):
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "timesca", "-a", f"base_url={closed_url()}",
         "-s", f"OUTPUT_DIR={tmp_path / 'out'}", *args],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == exitcodes.BAD_ARGUMENTS, result.stderr[-3000:]
    line = next(line for line in result.stderr.splitlines() if message in line)
    assert line.endswith("; exiting with code 2")
    assert "Traceback" not in result.stderr
    assert "Spider opened" not in result.stderr


def test_unknown_spider_exits_2():
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "nope"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == exitcodes.BAD_ARGUMENTS
    assert "no spider named 'nope'" in result.stderr


def test_no_response_exits_3_and_with_a_log_file_prints_one_line(tmp_path):
    """The cron set-up: the log goes to a file, stderr gets one line only on failure."""
    output, log = tmp_path / "out", tmp_path / "crawl.log"
    result = run_crawl(closed_url(), output, "-s", "RETRY_TIMES=0", "-s", f"LOG_FILE={log}",
                       timeout=60)
    assert result.returncode == exitcodes.RUN_FAILED, log.read_text()[-3000:]
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert re.fullmatch(r"scrapy crawl: run failed: no response at all to \d+ requests; "
                        r"exiting with code 3", line)
    assert "Run outcome: no-responses, exit code 3" in log.read_text()
    summary = last_run(output)
    assert (summary["outcome"], summary["exit_code"]) == ("no-responses", 3)


def test_error_rate_over_max_error_rate_exits_3(tmp_path):
    site = ReplicaSite(ReplicaConfig(seed=3, posts=20, faults=frozenset({"500", "removed"})))
    with serve(site) as server:
        result = run_crawl(server.base_url, tmp_path / "out", "-s", "RETRY_TIMES=0",
                           "-s", "MAX_ERROR_RATE=0.05", timeout=120)
    assert result.returncode == exitcodes.RUN_FAILED, result.stderr[-3000:]
    summary = last_run(tmp_path / "out")
    failures = sum(summary["errors_by_kind"].values())
    assert failures >= 2
    # error rate = failed for good / requests (retries counted once): the definition
    assert summary["error_rate"] == round(failures / summary["requests"], 4) > 0.05
    assert (summary["outcome"], summary["exit_code"]) == ("error-rate", 3)
    assert re.search(r"Run outcome: error-rate, exit code 3: \d+ of \d+ requests failed for "
                     r"good: error rate 0\.\d+ > MAX_ERROR_RATE 0\.05", result.stderr)
    assert rows(tmp_path / "out", "articles")  # what was fetched is still published


def test_output_in_an_old_layout_exits_3_before_any_request(tmp_path):
    output = tmp_path / "out"
    (output / "articles").mkdir(parents=True)
    (output / "articles" / "articles.parquet").write_bytes(b"version 1 file")
    site = ReplicaSite(ReplicaConfig(seed=1, posts=10))
    with serve(site) as server:
        result = run_crawl(server.base_url, output, timeout=60)
        assert not server.requests
    assert result.returncode == exitcodes.RUN_FAILED, result.stderr[-3000:]
    assert "is in the version 1 layout" in result.stderr
    assert "exiting with code 3" in result.stderr


def _limit_file_size() -> None:
    """In the crawl's process: no file may grow past 24 KiB, so the articles dataset of
    60 posts (about 60 KiB) cannot be written, as on a full disk; the small ones can."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write (EFBIG), do not kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (24 * 1024, 24 * 1024))


def test_datasets_not_written_exits_3(tmp_path):
    site = ReplicaSite(ReplicaConfig(seed=1, posts=60))
    with serve(site) as server:
        result = subprocess.run(
            crawl_command(server.base_url, tmp_path / "out"), cwd=PROJECT_ROOT,
            capture_output=True, text=True, timeout=120, check=False,
            preexec_fn=_limit_file_size)
    assert result.returncode == exitcodes.RUN_FAILED, result.stderr[-3000:]
    assert "File too large" in result.stderr
    assert re.search(r"Run outcome: output-failed, exit code 3: the datasets could not be "
                     r"written to \S+", result.stderr)
    assert not (tmp_path / "out" / "articles").exists() or not rows(tmp_path / "out",
                                                                    "articles")


def test_outcome_rules():
    ok = {"downloader/request_count": 12, "retry/count": 2, "response_received_count": 11,
          "errors/http_404": 2, "errors/robots_forbidden": 5,
          "output/dir": "/x", "output/rejects_written": 2, "archives/pages_read": 2,
          "archives/posts_found": 12, "articles/requested": 4, "output/articles_written": 2}
    outcome = exitcodes.evaluate(ok, "finished", 0.25)
    assert (outcome.name, outcome.exit_code, outcome.requests, outcome.failures,
            outcome.error_rate) == ("success", 0, 10, 2, 0.2)
    assert exitcodes.evaluate(ok, "finished", 0.1).name == "error-rate"
    assert exitcodes.evaluate(ok, "closespider_pagecount", 0.25).name == "success"
    assert exitcodes.evaluate(ok, "shutdown", 0.25).name == "interrupted"
    unpublished = {k: v for k, v in ok.items() if k != "output/rejects_written"}
    assert exitcodes.evaluate(unpublished, "finished", 0.25).name == "output-failed"
    assert exitcodes.evaluate({}, "finished", 0.25).name == "no-responses"
    # a run that stored nothing it fetched fails, saying why
    forbidden = {**ok, "archives/pages_read": 0}
    assert (exitcodes.evaluate(forbidden, "finished", 0.25).reason
            == "no archive page could be read (robots_forbidden 5, http_404 2)")
    assert exitcodes.evaluate({**ok, "archives/posts_found": 0}, "finished", 0.25).name == (
        "no-posts")
    nothing = {**ok, "output/articles_written": 0, "errors/http_404": 0,
               "validate/rejected/body_text": 4}
    outcome = exitcodes.evaluate(nothing, "finished", 0.25)
    assert (outcome.name, outcome.exit_code) == ("nothing-stored", 3)
    assert outcome.reason == ("none of the 4 article pages requested was stored "
                              "(robots_forbidden 5, rejected: body_text 4)")
    # a rerun with nothing to fetch, or whose refetches all answered 304, succeeds
    assert exitcodes.evaluate({**ok, "articles/requested": 0, "output/articles_written": 0},
                              "finished", 0.25).name == "success"
    assert exitcodes.evaluate({**nothing, "validate/rejected/body_text": 0,
                               "output/article_marks/not-modified": 4},
                              "finished", 0.25).name == "success"


def test_exit_codes_are_documented():
    codes = {name: getattr(exitcodes, name) for name in
             ("OK", "UNEXPECTED", "BAD_ARGUMENTS", "RUN_FAILED", "LOCK_CONFLICT")}
    assert sorted(codes.values()) == [0, 1, 2, 3, 4]
    for doc in (README, SCHEDULING_MD):
        text = doc.read_text(encoding="utf-8")
        for code in codes.values():
            assert re.search(rf"^\| `{code}` \|", text, re.MULTILINE), (doc.name, code)
    assert f"`-s MAX_ERROR_RATE=R` | `{exitcodes.DEFAULT_MAX_ERROR_RATE}`" in README.read_text()


# -- cron ---------------------------------------------------------------------------------


def cron_entry() -> tuple[dict[str, str], list[str]]:
    """The environment lines and the one job line (fields split) of deploy/cron."""
    env, jobs = {}, []
    for line in (DEPLOY / "cron" / "timesca-crawler").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if re.match(r"^[A-Z_]+=", line):
            name, _, value = line.partition("=")
            env[name] = value
        else:
            jobs.append(line.split(None, 6))
    assert len(jobs) == 1
    return env, jobs[0]


def test_cron_line_runs_the_crawl_quietly_and_mails_one_line_on_failure(tmp_path):
    if not VENV_SCRAPY.exists():
        pytest.skip(f"the cron line runs {VENV_SCRAPY}, which is not installed (make venv)")
    env, (minute, hour, dom, month, dow, user, command) = cron_entry()
    assert (minute.isdigit(), hour, dom, month, dow, user) == (True, "*", "*", "*", "*",
                                                               "timesca")
    assert env["SHELL"] == "/bin/sh" and "MAILTO" in env
    assert "%" not in command  # cron would turn it into a newline
    assert command.startswith("cd /srv/timesca-crawler && .venv/bin/scrapy crawl timesca ")
    assert command in SCHEDULING_MD.read_text(encoding="utf-8")
    log = tmp_path / "crawl.log"
    local = (command.replace("/srv/timesca-crawler", shlex.quote(str(PROJECT_ROOT)))
             .replace("/srv/timesca-data", shlex.quote(str(tmp_path / "out")))
             .replace("/var/log/timesca-crawler/crawl.log", shlex.quote(str(log))))
    site = ReplicaSite(ReplicaConfig(seed=1, posts=10))
    with serve(site) as server:
        ok = subprocess.run([env["SHELL"], "-c", f"{local} -a base_url={server.base_url} "
                             "-s POLITE=0"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, log.read_text()[-3000:]
    assert (ok.stdout, ok.stderr) == ("", "")  # nothing for cron to mail
    assert "Run outcome: success" in log.read_text()
    failed = subprocess.run([env["SHELL"], "-c", f"{local} -a base_url={closed_url()} "
                             "-s RETRY_TIMES=0"], capture_output=True, text=True, timeout=120)
    assert failed.returncode == exitcodes.RUN_FAILED
    assert failed.stdout == "" and len(failed.stderr.splitlines()) == 1  # cron mails this
    assert "exiting with code 3" in failed.stderr


# -- systemd ------------------------------------------------------------------------------


def unit(name: str) -> configparser.ConfigParser:
    """A unit file read strictly: no duplicate sections or keys, keys case-sensitive."""
    parser = configparser.ConfigParser(strict=True, interpolation=None, delimiters=("=",),
                                       comment_prefixes=("#", ";"), empty_lines_in_values=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((DEPLOY / "systemd" / name).read_text(encoding="utf-8"), source=name)
    return parser


def test_systemd_units_are_complete_and_match_the_readme():
    service, timer = unit("timesca-crawler.service"), unit("timesca-crawler.timer")
    s = service["Service"]
    assert s["Type"] == "oneshot"
    assert s["User"] and s["WorkingDirectory"].startswith("/")
    program, *args = shlex.split(s["ExecStart"])
    assert program == s["WorkingDirectory"] + "/.venv/bin/scrapy"
    assert args[:2] == ["crawl", "timesca"]
    assert ".venv/bin/scrapy crawl timesca" in README.read_text(encoding="utf-8")
    assert s["SuccessExitStatus"].split() == [str(exitcodes.LOCK_CONFLICT)]
    assert (s["StandardOutput"], s["StandardError"]) == ("journal", "journal")
    assert "LOG_FILE" not in s["ExecStart"]  # the log goes to the journal
    assert "network-online.target" in service["Unit"]["After"]
    t = timer["Timer"]
    assert t["OnCalendar"] == "hourly" and t["Persistent"] == "true"
    assert t["RandomizedDelaySec"] and t["Unit"] == "timesca-crawler.service"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine")
    # the units as installed on this machine: this checkout, the current user
    user = os.environ.get("USER") or subprocess.run(["id", "-un"], capture_output=True,
                                                    text=True, check=True).stdout.strip()
    for name in ("timesca-crawler.service", "timesca-crawler.timer"):
        text = (DEPLOY / "systemd" / name).read_text(encoding="utf-8")
        text = (text.replace("/srv/timesca-crawler", str(PROJECT_ROOT))
                .replace("/srv/timesca-data", str(tmp_path / "data")))
        text = re.sub(r"^(User|Group)=.*$", rf"\1={user}", text, flags=re.MULTILINE)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [analyze, "verify", "--man=no", str(tmp_path / "timesca-crawler.service"),
         str(tmp_path / "timesca-crawler.timer")],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    complaints = [line for line in (result.stdout + result.stderr).splitlines()
                  if "timesca-crawler" in line]
    assert result.returncode == 0 and not complaints, result.stdout + result.stderr


# -- Scrapyd ------------------------------------------------------------------------------


def scrapyd_tools() -> tuple[str, str]:
    bindir = Path(sys.executable).parent
    scrapyd, deploy = bindir / "scrapyd", bindir / "scrapyd-deploy"
    if not (scrapyd.exists() and deploy.exists()):
        pytest.skip("scrapyd / scrapyd-client not installed (pip install -e '.[scrapyd]')")
    return str(scrapyd), str(deploy)


def api(base: str, endpoint: str, *pairs: tuple[str, str], **data: str) -> dict[str, Any]:
    """Call a Scrapyd JSON endpoint: schedule.json is a POST, the others GETs
    (``pairs`` may repeat a name)."""
    query = urllib.parse.urlencode([*pairs, *data.items()])
    if endpoint == "schedule.json":
        url, body = f"{base}/{endpoint}", query.encode()
    else:
        url, body = f"{base}/{endpoint}?{query}", None
    with urllib.request.urlopen(url, data=body, timeout=10) as response:
        answer = json.loads(response.read())
    assert answer["status"] == "ok", answer
    return answer


def test_scrapyd_deploy_and_schedule(tmp_path):
    """scrapyd-deploy with the project's scrapy.cfg, then schedule.json, on a real Scrapyd."""
    scrapyd, deploy = scrapyd_tools()
    # a copy of the project, so that building the egg leaves nothing in the work tree
    project = tmp_path / "project"
    project.mkdir()
    for name in ("crawler", "pipelines"):
        shutil.copytree(PROJECT_ROOT / name, project / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "setup.py", "scrapy.cfg", "README.md"):
        shutil.copy(PROJECT_ROOT / name, project / name)
    port = free_port()
    cfg = configparser.ConfigParser()
    cfg.read(project / "scrapy.cfg")
    assert (cfg["deploy"]["url"], cfg["deploy"]["project"]) == ("http://localhost:6800/",
                                                                "timesca")
    text = (project / "scrapy.cfg").read_text().replace(":6800/", f":{port}/")
    (project / "scrapy.cfg").write_text(text.replace("localhost", "127.0.0.1"))
    home = tmp_path / "scrapyd"
    home.mkdir()
    conf = configparser.ConfigParser()
    conf.read(DEPLOY / "scrapyd" / "scrapyd.conf")
    conf["scrapyd"].update(http_port=str(port), poll_interval="0.2",
                           **{k: str(home / k) for k in ("eggs_dir", "dbs_dir", "logs_dir")})
    with open(home / "scrapyd.conf", "w") as fh:
        conf.write(fh)
    base = f"http://127.0.0.1:{port}"
    daemon = subprocess.Popen([scrapyd], cwd=home, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                api(base, "daemonstatus.json")
                break
            except OSError:
                assert daemon.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        deployed = subprocess.run([deploy, "-v", "1"], cwd=project, capture_output=True,
                                  text=True, timeout=120, check=False)
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        assert api(base, "listspiders.json", project="timesca")["spiders"] == ["timesca"]
        output = tmp_path / "data"
        site = ReplicaSite(ReplicaConfig(seed=1, posts=10))
        with serve(site) as server:
            job = api(base, "schedule.json", ("setting", f"OUTPUT_DIR={output}"),
                      ("setting", "POLITE=0"), project="timesca", spider="timesca",
                      base_url=server.base_url)["jobid"]
            deadline = time.monotonic() + 60
            while True:
                jobs = api(base, "listjobs.json", project="timesca")
                finished = [j for j in jobs["finished"] if j["id"] == job]
                if finished:
                    break
                assert time.monotonic() < deadline, jobs
                time.sleep(0.2)
    finally:
        daemon.terminate()
        daemon.wait(20)
    log = home / "logs_dir" / "timesca" / "timesca" / f"{job}.log"
    assert finished[0]["log_url"] == f"/logs/timesca/timesca/{job}.log"
    assert "Run outcome: success, exit code 0" in log.read_text(encoding="utf-8")
    assert len(rows(output, "articles")) == 10
    assert last_run(output)["outcome"] == "success"
