"""ParquetWriterPipeline: normalized records and rejects -> Parquet datasets.

Settings: ``OUTPUT_DIR`` (default "output", relative to the working directory),
``PARQUET_BATCH_ROWS`` (default 1000) and optionally ``RUN_ID`` (default: a new
:func:`pipelines.store.commit.new_run_id`). Storage logic is in
:mod:`pipelines.store.commit`, the schemas in :mod:`pipelines.store.schemas`.
"""

from __future__ import annotations

import json
import logging
import operator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler import signals as project_signals
from crawler.config import config_of, writes_output
from crawler.errors import error_text, reject_of, url_of
from crawler.items import ARTICLE_STORED_FIELDS, ArticleMark, RejectItem
from crawler.timing import WRITE_CPU, WRITE_WALL, charged
from crawler.urls import canonical_url
from pipelines import boilerplate
from pipelines.normalize import Unparsed, parse_datetime
from pipelines.records import Article, Rate, article_identity
from pipelines.regression import RepeatedText, worse_copy
from pipelines.store import (
    OutputError,
    ParquetStore,
    Row,
    SchemaMismatch,
    UnreadableFile,
    new_run_id,
)

logger = logging.getLogger(__name__)



def article_row(article: Article, seen_at: datetime) -> Row:
    """The ``articles`` row of a record first and last seen at ``seen_at``."""
    row: Row = {name: getattr(article, name)
                for name in (*ARTICLE_STORED_FIELDS, "countries", "sections")}
    for name in ("authors", "categories", "tags", "category_paths", "countries", "sections"):
        row[name] = list(row[name])
    return {
        **row,
        "content_hash": article.content_hash,
        "field_sources": sorted(article.sources.items()),
        "fetched_at": article.fetched_at,
        "first_seen_at": seen_at,
        "last_seen_at": seen_at,
        "removed_at": None,
        "http_etag": article.http_etag,
        "http_last_modified": article.http_last_modified,
        "flags": list(article.flags),
    }


def mark_row(mark: ArticleMark, now: datetime) -> Row:
    """The staged form of an :class:`ArticleMark` (times as UTC datetimes)."""
    try:
        at = parse_datetime(mark.at, UTC) or now
    except Unparsed:
        at = now
    published = parse_datetime(mark.published_at, UTC)
    return {"post_id": mark.post_id, "url": mark.url, "event": mark.event,
            "published_at": published.isoformat() if published else None,
            "at": at.isoformat()}


def rate_row(rate: Rate, seen_at: datetime) -> Row:
    """The ``rates`` row of a record first and last seen at ``seen_at``."""
    return {
        "observed_on": rate.observed_on,
        "base": rate.base,
        "quote": rate.quote,
        "pair": rate.pair,
        "rate": rate.rate,
        "rate_text": rate.rate_text,
        "change_pct": rate.change_pct,
        "change_text": rate.change_text,
        "direction": rate.direction,
        "observed_on_source": rate.observed_on_source,
        "date_inferred": rate.observed_on_source != "dateline",
        "page_url": rate.page_url,
        "fetched_at": rate.fetched_at,
        "first_seen_at": seen_at,
        "last_seen_at": seen_at,
    }


def reject_row(reject: RejectItem, run_id: str, now: datetime) -> Row:
    """The ``rejects`` row of a RejectItem (``now`` if its recorded_at is unusable)."""
    try:
        recorded = parse_datetime(reject.recorded_at, UTC) or now
    except Unparsed:
        recorded = now
    raw = reject.raw_value
    return {
        "run_id": run_id,
        "recorded_at": recorded,
        "url": reject.url,
        "kind": reject.kind,
        "reason": reject.reason,
        "field": reject.field,
        "raw_value": raw if raw is None or isinstance(raw, str) else repr(raw),
    }


class ParquetWriterPipeline:
    """Stores :class:`Article`, :class:`Rate`, :class:`RejectItem` and
    :class:`ArticleMark` (others pass through).

    At close, what the receivers of the ``state_to_commit`` signal answer
    (``{name: JSON-able}``, see :mod:`crawler.signals`) is staged as
    ``OUTPUT_DIR/state/<name>.json`` and published by the same commit.

    Site boilerplate (:mod:`pipelines.boilerplate`; settings ``BOILERPLATE``,
    ``BOILERPLATE_MIN_ARTICLES``, ``BOILERPLATE_MIN_SHARE``): the stored bodies are counted
    at open, each article is counted and stripped of the blocks known as it comes, and at
    close the blocks learned by this run are stripped from what was staged before and from
    the stored rows; ``state/boilerplate.json`` is published with the run.

    Stats: ``run/id``, ``output/dir``, ``output/articles_written`` (= ``_new`` +
    ``_updated`` + ``_unchanged``), ``output/articles_total``, the same for rates,
    ``output/rejects_written`` (and ``output/rejects/<kind>`` per reject staged),
    ``output/recovered_runs``/``output/recovered_rows``, and
    the wall and CPU seconds of all its storage work (rows built and staged, recovery,
    merge, commit): ``timing/parquet_write_s``, ``timing/parquet_write_cpu_s``;
    ``boilerplate/*`` (blocks, blocks_new, threshold, articles_stripped,
    paragraphs_stripped, articles_rejected, stored_rows_cleaned).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        config = config_of(settings)  # a bad value stops the crawl, naming the setting
        self.stats = crawler.stats
        self.root = config.output_dir
        self.batch_rows = config.parquet_batch_rows
        self.run_id: str = settings.get("RUN_ID") or new_run_id()
        self.started_at = datetime.now(UTC)
        self.store: ParquetStore | None = None
        self._warned_types: set[str] = set()
        self.learn_boilerplate = config.boilerplate
        self.boilerplate_limits = {"min_articles": config.boilerplate_min_articles,
                                   "min_share": config.boilerplate_min_share}
        self.boilerplate: boilerplate.SiteBoilerplate | None = None
        self._run_keys: set[Any] = set()  # keys of the articles this run stores
        #: identity -> words of the stored body (see pipelines.regression)
        self.stored_words: dict[Any, int | None] = {}
        self.refetched = RepeatedText()  # the paragraphs of this run's refetched bodies

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParquetWriterPipeline:
        if not writes_output(crawler.settings):  # shell, parse, check (crawler.config)
            raise NotConfigured
        return cls(crawler)

    def open_spider(self, spider: Spider | None = None) -> None:
        root = self.root
        store = ParquetStore(root, self.run_id, self.batch_rows, url_key=canonical_url)
        store.on_bad_row = lambda dataset, row, error: self._bad_row(store, dataset, row, error)
        for key in (WRITE_WALL, WRITE_CPU):
            self.stats.set_value(key, 0.0)
        try:
            with self._storage():
                recovered = store.open()
        except (OutputError, SchemaMismatch, UnreadableFile) as exc:
            logger.error("Cannot write the datasets: %s", exc)
            raise
        self.store = store
        with self._storage():
            self._read_stored(root, store)
        self.stats.set_value("run/id", self.run_id)
        self.stats.set_value("run/started_at", self.started_at.isoformat())
        self.stats.set_value("output/dir", str(root))
        if recovered:
            self.stats.set_value("output/recovered_runs", len(recovered))
            self.stats.set_value("output/recovered_rows", sum(recovered.values()))
            self.stats.set_value("output/recovered_ids", sorted(recovered))
        logger.info("Run %s writing to %s", self.run_id, root)

    def _read_stored(self, root: Path, store: ParquetStore) -> None:
        """What the stored articles tell this run, in one pass over them: their body
        lengths (a worse copy never replaces one) and, when the site's boilerplate is
        learned, their bodies."""
        learner = None
        if self.learn_boilerplate:
            path = root / "state" / f"{boilerplate.STATE}.json"
            known: list[Any] = []
            if path.exists():
                try:
                    known = json.loads(path.read_text(encoding="utf-8")).get("blocks") or []
                except (OSError, ValueError, AttributeError) as exc:
                    logger.warning("Ignoring unreadable %s (blocks are learned again): %s",
                                   path, exc)
            learner = boilerplate.SiteBoilerplate(known, run_id=self.run_id,
                                                  **self.boilerplate_limits)
        columns = ["post_id", "url", "published_at", "word_count"]
        for row in store.stored_rows("articles", [*columns, "body_text"] if learner
                                     else columns):
            self.stored_words[article_identity(row["post_id"], row["url"])] = row[
                "word_count"]
            if learner is not None:
                learner.observe_stored(row["post_id"], row["url"], row["published_at"],
                                       row["body_text"])
        self.boilerplate = learner

    def _storage(self) -> AbstractContextManager[None]:
        """Counts the block's wall and CPU time as storage work."""
        return charged(self.stats, WRITE_CPU, WRITE_WALL)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if self.store is None:
            raise RuntimeError("ParquetWriterPipeline used before open_spider")
        if isinstance(item, Article | Rate | RejectItem | ArticleMark):
            with self._storage():
                try:
                    self._store(self.store, item)
                except (ValueError, TypeError, OverflowError, KeyError) as exc:
                    if isinstance(item, RejectItem):
                        raise
                    self._reject_item(self.store, item, exc)
        else:
            name = type(item).__name__
            self.stats.inc_value(f"output/not_written/{name}")
            if name not in self._warned_types:
                self._warned_types.add(name)
                logger.warning("ParquetWriterPipeline does not store %s items (is "
                               "NormalizePipeline enabled?)", name)
        return item

    def _store(self, store: ParquetStore, item: Article | Rate | RejectItem | ArticleMark
               ) -> None:
        if isinstance(item, Article):
            row = article_row(item, item.fetched_at or self.started_at)
            identity = article_identity(item.post_id, item.url)
            self._run_keys.add(identity)
            if self.boilerplate is not None:
                self.boilerplate.observe(item.post_id, item.url, item.published_at,
                                         item.body_text)
                row = self._stripped(store, row)  # the blocks earlier runs learned
            if row is None:
                return
            worse = worse_copy(self.stored_words.get(identity), row["word_count"])
            if worse:
                self._run_keys.discard(identity)
                self._worse_copy(store, {**row, "url": item.ref_url}, worse)
                return
            if identity in self.stored_words:
                self.refetched.add(row["body_text"])
            store.add("articles", row)
        elif isinstance(item, Rate):
            store.add("rates", rate_row(item, item.fetched_at or self.started_at))
        elif isinstance(item, RejectItem):
            self._add_reject(store, item)
        else:
            store.add_mark(mark_row(item, datetime.now(UTC)))
            self.stats.inc_value(f"output/article_marks/{item.event}")

    def _add_reject(self, store: ParquetStore, reject: RejectItem) -> None:
        """Stage a reject row, counted by kind (``output/rejects/<kind>``)."""
        store.add("rejects", reject_row(reject, self.run_id, datetime.now(UTC)))
        self.stats.inc_value(f"output/rejects/{reject.kind}")

    def _keep_stored_copies(self, store: ParquetStore) -> None:
        """Refetched bodies whose own text is little beside text the site now gives for
        many posts (a wall, an error page that keeps a teaser) leave their stored rows as
        they are (see pipelines.regression)."""
        refetched = self.refetched

        def keep(rows: list[Row]) -> list[Row] | None:
            out = []
            for row in rows:
                identity = article_identity(row["post_id"], row["url"])
                worse = None
                if identity in self.stored_words:
                    own, most = refetched.own(row["body_text"])
                    worse = most and worse_copy(self.stored_words[identity], own,
                                                repeated_in=most)
                if worse:
                    self._run_keys.discard(identity)
                    self._worse_copy(store, row, worse)
                else:
                    out.append(row)
            return None if len(out) == len(rows) else out

        store.rewrite_staged("articles", keep)

    def _worse_copy(self, store: ParquetStore, row: Row, reason: str) -> None:
        """``row`` does not replace the stored copy: a reject says why."""
        self.stats.inc_value("output/worse_copies")
        logger.warning("Not replacing %s: %s", row["url"], reason)
        self._add_reject(store, RejectItem(
            url=row["url"], kind="regression", reason=reason, field="body_text",
            raw_value=(row["body_text"] or "")[:500]))

    def _reject_item(self, store: ParquetStore, item: Any, error: Exception) -> None:
        """``item`` could not be stored: a reject row says why, the run goes on."""
        url = url_of(item)
        self.stats.inc_value("item_errors/not_stored")
        logger.error("Could not store %s %s: %s", type(item).__name__, url, error_text(error))
        self._add_reject(store, reject_of(url, "storage", error_text(error)))

    def _bad_row(self, store: ParquetStore, dataset: str, row: Row, error: Exception) -> None:
        """A staged row that does not fit its dataset's schema: a reject instead."""
        url = str(row.get("url") or row.get("page_url") or "")
        self.stats.inc_value("item_errors/not_stored")
        logger.error("Could not store a %s row of %s: %s", dataset, url, error_text(error))
        if dataset == "rejects":  # a reject's values are strings: this is a bug
            raise error
        reason = f"a value does not fit the {dataset} schema: {error_text(error)}"
        self._add_reject(store, reject_of(url, "storage", reason))

    def _stripped(self, store: ParquetStore, row: Row) -> Row | None:
        """``row`` without the site boilerplate known so far (itself when it holds none);
        None, and a reject, when nothing else was left."""
        assert self.boilerplate is not None
        result = self.boilerplate.strip(row)
        if result.blocks:
            self.stats.inc_value("boilerplate/articles_stripped")
            self.stats.inc_value("boilerplate/paragraphs_stripped", result.paragraphs)
        if result.row is None:
            self.stats.inc_value("boilerplate/articles_rejected")
            self._add_reject(store, RejectItem(
                url=row["url"], kind="validation", field="body_text",
                reason="body is only site boilerplate",
                raw_value=(row["body_text"] or "")[:500]))
        return result.row

    def _strip_boilerplate(self, store: ParquetStore,
                           learner: boilerplate.SiteBoilerplate) -> None:
        """Learn this run's site boilerplate. Rows were stripped of the blocks earlier runs
        learned as they came; a block learned now is taken out of the rows this run staged
        before it was known, and, like a block a stored row still holds (stored by a run
        that did not strip), out of the stored rows."""
        blocks = learner.learn()
        stats = self.stats
        stats.set_value("boilerplate/blocks", len(blocks))
        stats.set_value("boilerplate/blocks_new", len(learner.new))
        stats.set_value("boilerplate/threshold", learner.threshold)
        for print_ in learner.new:
            logger.info("Site boilerplate learned (in %d articles): %s %r",
                        blocks[print_].articles, print_, blocks[print_].text[:120])
        def strip(rows: list[Row]) -> list[Row] | None:
            """The staged part's rows stripped (None: none held a block)."""
            out = []
            for row in rows:
                done = self._stripped(store, row)
                if done is not None:
                    out.append(done)
            unchanged = len(out) == len(rows) and all(map(operator.is_, out, rows))
            return None if unchanged else out

        if learner.new:
            store.rewrite_staged("articles", strip)
        cleaned = 0
        if learner.new or learner.stored_dirty:
            for row in store.stored_rows("articles",
                                         where=("body_text", learner.holds_block)):
                if article_identity(row["post_id"], row["url"]) in self._run_keys:
                    continue  # this run's copy supersedes it (stripped above)
                result = learner.strip(row)
                if result.row is None:  # the stored row stays as it is
                    logger.warning("Stored article %s is only site boilerplate; kept as "
                                   "stored", row["url"])
                    continue
                stats.inc_value("boilerplate/articles_stripped")
                stats.inc_value("boilerplate/paragraphs_stripped", result.paragraphs)
                store.add("articles", result.row)
                cleaned += 1
        stats.set_value("boilerplate/stored_rows_cleaned", cleaned)
        if blocks:
            store.stage_state(boilerplate.STATE, learner.state())

    def close_spider(self, spider: Spider | None = None) -> None:
        if self.store is None:
            return
        store, self.store = self.store, None
        # state published with this run (e.g. the sitemaps read): whoever has some
        # answers the signal
        answers = self.crawler.signals.send_catch_log(project_signals.state_to_commit)
        with self._storage():
            for _, states in answers:
                for name, data in (states if isinstance(states, dict) else {}).items():
                    store.stage_state(name, data)
            if self.refetched.any:
                self._keep_stored_copies(store)
            if self.boilerplate is not None:
                self._strip_boilerplate(store, self.boilerplate)
        try:
            with self._storage():
                counts = store.commit()
        except Exception:
            logger.exception("Run %s not published; its rows stay staged in %s and are "
                             "committed by the next run", self.run_id, store.staging)
            raise
        for name in ("articles", "rates"):
            c = counts[name]
            for key, value in (("written", c.written), ("new", c.new), ("updated", c.updated),
                               ("unchanged", c.unchanged), ("total", c.total)):
                self.stats.set_value(f"output/{name}_{key}", value)
        self.stats.set_value("output/rejects_written", counts["rejects"].written)
