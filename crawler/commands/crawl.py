"""``scrapy crawl`` with exit codes a scheduler can act on, and one run per output directory.

Replaces Scrapy's ``crawl`` command (``COMMANDS_MODULE = "crawler.commands"``). It

0. turns on ``WRITE_OUTPUT``, the one switch that lets a process change ``OUTPUT_DIR``
   (off in the project's settings, so ``scrapy shell``, ``parse``, ``check`` and every other
   command are read-only; see :func:`crawler.config.writes_output`). It is set above the
   project's and a spider's settings and below the command line (``-s WRITE_OUTPUT=0``
   crawls without the lock and writes nothing; the run then fails as "nothing-stored");
1. takes ``OUTPUT_DIR/.lock`` before the crawler starts: when another run holds it, it
   exits with :data:`~crawler.exitcodes.LOCK_CONFLICT` at once, naming the holder, before
   the spider exists or any request is sent (a lock left by a killed run is free, see
   :mod:`pipelines.store.lock`); the lock is held until the process has written its
   summary, so two runs never overlap;
2. runs the crawl, and turns a start-up error into a one-line message and an exit code
   instead of a traceback (bad ``-a`` value: :data:`~crawler.exitcodes.BAD_ARGUMENTS`;
   unusable output directory: :data:`~crawler.exitcodes.RUN_FAILED`);
3. exits with the run's outcome (``run/exit_code``, set by
   :class:`crawler.extensions.outcome.RunOutcome`).

When the log goes to a file (``LOG_FILE``/``--logfile``) or is off, a non-zero exit also
prints its one-line reason on stderr, which is what cron mails.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES
from twisted.internet.defer import Deferred

from crawler import exitcodes
from crawler.config import output_dir, writes_output
from crawler.extensions.outcome import max_error_rate
from pipelines.store import (
    LockBusy,
    OutputError,
    SchemaMismatch,
    UnreadableFile,
    check_stored,
    release,
    reserve,
)

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


#: the priority ``crawl`` sets ``WRITE_OUTPUT`` at (as Scrapy's ``check`` sets its own)
WRITE_PRIORITY = (SETTINGS_PRIORITIES["spider"] + SETTINGS_PRIORITIES["cmdline"]) // 2


def exit_code_of(exc: BaseException) -> int:
    """The exit code of an error that stopped the crawl from starting."""
    if isinstance(exc, LockBusy):
        return exitcodes.LOCK_CONFLICT
    if isinstance(exc, OutputError | SchemaMismatch | UnreadableFile):
        return exitcodes.RUN_FAILED
    if isinstance(exc, ValueError):  # the spider's and the settings' checks
        return exitcodes.BAD_ARGUMENTS
    return exitcodes.UNEXPECTED


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider of the project; exit 0 ok, 2 bad arguments, 3 failed, 4 busy"

    def long_desc(self) -> str:
        return (
            "Run a spider of the project. Exit codes: 0 success; 1 unexpected error; "
            "2 bad arguments or configuration; 3 failed run (no responses, error rate "
            "over MAX_ERROR_RATE, interrupted, datasets not written); 4 OUTPUT_DIR in use "
            "by another run. See docs/SCHEDULING.md."
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # the one place storage is turned on: above the project's settings (which say
        # off) and a spider's, below the command line (-s WRITE_OUTPUT=0: nothing written)
        self.settings.set("WRITE_OUTPUT", True, priority=WRITE_PRIORITY)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        assert self.crawler_process is not None
        try:
            crawler = self.crawler_process.create_crawler(args[0])
        except KeyError:
            raise UsageError(f"no spider named {args[0]!r} (see: scrapy list)",
                             print_help=False) from None
        self.exitcode = self.crawl_locked(crawler, opts.spargs)

    def crawl_locked(self, crawler: Crawler, spargs: dict[str, Any]) -> int:
        """Run the crawl holding the output directory's lock; returns the exit code."""
        if not writes_output(crawler.settings):  # -s WRITE_OUTPUT=0: OUTPUT_DIR untouched
            return self.run_crawl(crawler, spargs)
        root = output_dir(crawler.settings)
        try:
            root.mkdir(parents=True, exist_ok=True)
            key = reserve(root)
        except LockBusy as exc:
            return self.stop(exitcodes.LOCK_CONFLICT, str(exc))
        except OSError as exc:
            return self.stop(exitcodes.RUN_FAILED, f"OUTPUT_DIR {root} is not usable: {exc}")
        try:
            check_stored(root)  # a damaged or incompatible file stops the run before it starts
        except (OutputError, SchemaMismatch, UnreadableFile) as exc:
            release(key)
            return self.stop(exitcodes.RUN_FAILED, str(exc))
        try:
            return self.run_crawl(crawler, spargs)
        finally:
            release(key)

    def run_crawl(self, crawler: Crawler, spargs: dict[str, Any]) -> int:
        """Run the crawl; returns the exit code (start-up error or the run's outcome)."""
        assert self.crawler_process is not None
        errors: list[BaseException] = []
        running = self.crawler_process.crawl(crawler, **spargs)
        if isinstance(running, Deferred):  # CrawlerProcess (a non-asyncio reactor)
            running.addErrback(lambda failure: errors.append(failure.value))
        elif isinstance(running, asyncio.Future):  # AsyncCrawlerProcess
            running.add_done_callback(
                lambda task: None if task.cancelled() or task.exception() is None
                else errors.append(task.exception()))  # retrieved: asyncio logs nothing
        self.repeated_signals = 0
        for name in ("_signal_kill", "_signal_kill_reactorless"):
            # after the first SIGTERM/SIGINT, Scrapy takes the next one as "stop at once",
            # losing what is not yet staged; `timeout` and service managers send it 50 ms
            # later: finish the graceful stop (its data published) instead. SIGKILL still
            # stops the process at once, and the next run recovers what it staged.
            if hasattr(self.crawler_process, name):
                setattr(self.crawler_process, name, self._repeated_signal)
        self.crawler_process.start()
        if self.repeated_signals:
            logger.warning("%d more stop signal(s) came while the run was stopping; it "
                           "finished stopping and published its data first",
                           self.repeated_signals)
        if errors:
            exc = errors[0]
            code = exit_code_of(exc)
            if code == exitcodes.UNEXPECTED:
                logger.error("The crawl could not start", exc_info=exc)
                return self.stop(code, f"unexpected error: {type(exc).__name__}: {exc}")
            if code == exitcodes.BAD_ARGUMENTS:
                return self.stop(code, f"invalid argument or setting: {exc}")
            return self.stop(code, str(exc))
        assert crawler.stats is not None
        stats = crawler.stats.get_stats()
        code = stats.get("run/exit_code")
        if code is None:  # the RunOutcome extension is not enabled
            if self.crawler_process.bootstrap_failed or "finish_reason" not in stats:
                return exitcodes.UNEXPECTED
            outcome = exitcodes.evaluate(stats, stats["finish_reason"], max_error_rate(crawler))
            code, reason = outcome.exit_code, outcome.reason
        else:
            reason = stats.get("run/outcome_reason", "")
        if code != exitcodes.OK:
            self.tell_stderr(f"run failed: {reason}; exiting with code {code}")
        return int(code)

    def _repeated_signal(self, signum: int, frame: Any) -> None:
        """A stop signal after the first: counted (logging is not safe in a handler)."""
        self.repeated_signals += 1

    def stop(self, code: int, message: str) -> int:
        """Log why the command stops with ``code``; returns ``code``."""
        text = f"{message}; exiting with code {code}"
        logger.error(text)
        self.tell_stderr(text)
        return code

    def tell_stderr(self, text: str) -> None:
        """Print ``text`` on stderr when the log does not go there (cron mails it)."""
        assert self.settings is not None
        if self.settings.get("LOG_FILE") or not self.settings.getbool("LOG_ENABLED"):
            print(f"scrapy crawl: {text}", file=sys.stderr)
