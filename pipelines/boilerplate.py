"""Site boilerplate: paragraphs that repeat, word for word, across many of a site's articles.

A newsletter sign-up, a donation appeal, a "follow us" line or a disclaimer box that a
theme or plugin puts inside every post's content is not article text, whatever its markup
is called. :class:`SiteBoilerplate` learns such blocks from the site itself: it counts
each short paragraph (at most :data:`MAX_CHARS` characters) over the distinct articles of
the stored dataset and of the run, and a paragraph found in at least
``max(min_articles, min_share x articles)`` of them is boilerplate. The blocks learned are
kept in ``OUTPUT_DIR/state/boilerplate.json`` (text, fingerprint, articles, the run that
learned it) and stripped from every row before it is published: the run's own rows, and
stored rows that still hold a block (learned later than they were stored). A stripped row
is flagged ``body_text:boilerplate=<fingerprint>``; a body that was nothing but boilerplate
becomes a reject.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipelines.records import article_content_hash_of, article_keys

logger = logging.getLogger(__name__)

#: Longer paragraphs are never boilerplate candidates (and are not counted).
MAX_CHARS = 600
#: Defaults of the settings BOILERPLATE_MIN_ARTICLES and BOILERPLATE_MIN_SHARE.
MIN_ARTICLES = 5
MIN_SHARE = 0.01
#: Paragraphs of a body (as the parsers join them).
SEPARATOR = "\n\n"
#: The state file's name (``OUTPUT_DIR/state/<STATE>.json``).
STATE = "boilerplate"
FLAG = "body_text:boilerplate="


def paragraphs(body: str | None) -> list[str]:
    """A body's paragraphs."""
    return [p for p in (body or "").split(SEPARATOR) if p.strip()]


def _normal(paragraph: str) -> str:
    return " ".join(paragraph.casefold().split())


def fingerprint(paragraph: str) -> str:
    """A paragraph's stable identity: its words, case and spacing aside (12 hex digits)."""
    return hashlib.blake2b(_normal(paragraph).encode("utf-8"), digest_size=6).hexdigest()


@dataclass
class Block:
    """A learned boilerplate paragraph."""

    fingerprint: str
    text: str
    articles: int
    learned_by: str

    def as_json(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "text": self.text, "articles": self.articles,
                "learned_by": self.learned_by}


@dataclass
class Stripped:
    """A row after stripping: the row (None when nothing was left) and the blocks taken."""

    row: dict[str, Any] | None
    blocks: list[str] = field(default_factory=list)
    paragraphs: int = 0


class SiteBoilerplate:
    """Counts paragraphs over distinct articles, decides which are boilerplate, strips them.

    ``observe_stored`` is fed the stored rows (key columns and ``body_text``), ``observe``
    each row of the run; :meth:`learn` then fixes the blocks, and :meth:`strip` takes them out
    of a row.
    """

    def __init__(self, known: Iterable[dict[str, Any]] = (), *, run_id: str = "",
                 min_articles: int = MIN_ARTICLES, min_share: float = MIN_SHARE) -> None:
        if min_articles < 2:
            raise ValueError(f"BOILERPLATE_MIN_ARTICLES must be at least 2, got {min_articles}")
        if not 0 <= min_share < 1:
            raise ValueError(f"BOILERPLATE_MIN_SHARE must be in [0, 1), got {min_share}")
        self.run_id = run_id
        self.min_articles = min_articles
        self.min_share = min_share
        self.known: dict[str, Block] = {}
        for entry in known:
            try:
                block = Block(str(entry["fingerprint"]), str(entry["text"]),
                              int(entry["articles"]), str(entry.get("learned_by") or ""))
            except (KeyError, TypeError, ValueError):
                logger.warning("Ignoring a malformed boilerplate state entry: %r", entry)
                continue
            self.known[block.fingerprint] = block
        self._counts: dict[int, int] = {}  # hash of a normalized paragraph -> articles
        self._texts: dict[int, str] = {}  # of paragraphs seen twice or more
        self._stored_keys: set[tuple[str, Any]] = set()
        self.articles = 0
        self.blocks: dict[str, Block] = {}
        self.new: list[str] = []

    def _count(self, body: str | None) -> None:
        self.articles += 1
        for paragraph in {p for p in paragraphs(body) if len(p) <= MAX_CHARS}:
            key = hash(_normal(paragraph))
            seen = self._counts.get(key, 0)
            if seen == 1:
                self._texts.setdefault(key, paragraph)
            self._counts[key] = seen + 1

    def observe_stored(self, post_id: int | None, url: str | None, body: str | None) -> None:
        """A stored article (its key and its body as stored)."""
        keys = article_keys(post_id, url)
        if keys:
            self._stored_keys.add(keys[0])
        self._count(body)

    def observe(self, post_id: int | None, url: str | None, body: str | None) -> None:
        """An article of the run; one already stored is counted once, as stored."""
        keys = article_keys(post_id, url)
        if keys and any(k in self._stored_keys for k in keys):
            return
        if keys:
            self._stored_keys.add(keys[0])
        self._count(body)

    @property
    def threshold(self) -> int:
        """Articles a paragraph must be in to be boilerplate."""
        return max(self.min_articles, int(self.min_share * self.articles + 0.999999))

    def learn(self) -> dict[str, Block]:
        """The blocks: those learned before (their counts brought up to date) and those
        that reach the threshold now (:attr:`new`)."""
        blocks = dict(self.known)
        for key, count in self._counts.items():
            if count < self.threshold or key not in self._texts:
                continue
            text = self._texts[key]
            print_ = fingerprint(text)
            if print_ in blocks:
                blocks[print_].articles = max(blocks[print_].articles, count)
            else:
                blocks[print_] = Block(print_, text, count, self.run_id)
                self.new.append(print_)
        self.blocks = blocks
        return blocks

    def holds_block(self, body: str | None, only: Iterable[str] | None = None) -> bool:
        """Does ``body`` hold a learned block (or one of ``only``)?"""
        wanted = set(only) if only is not None else set(self.blocks)
        return any(fingerprint(p) in wanted for p in paragraphs(body) if len(p) <= MAX_CHARS)

    def strip(self, row: dict[str, Any]) -> Stripped:
        """``row`` (an ``articles`` row) without its boilerplate paragraphs: body, word count,
        content hash and flags updated. Unchanged rows are returned as they are."""
        kept: list[str] = []
        taken: list[str] = []
        for paragraph in paragraphs(row.get("body_text")):
            found = fingerprint(paragraph) if len(paragraph) <= MAX_CHARS else ""
            if found in self.blocks:
                taken.append(found)
            else:
                kept.append(paragraph)
        if not taken:
            return Stripped(row)
        if not kept:
            return Stripped(None, sorted(set(taken)), len(taken))
        out = dict(row)
        out["body_text"] = SEPARATOR.join(kept)
        out["word_count"] = len(out["body_text"].split())
        flags = [f for f in (row.get("flags") or []) if not f.startswith(FLAG)]
        out["flags"] = [*flags, *(FLAG + f for f in sorted(set(taken)))]
        out["content_hash"] = article_content_hash_of(out)
        return Stripped(out, sorted(set(taken)), len(taken))

    def state(self) -> dict[str, Any]:
        """What ``state/boilerplate.json`` holds."""
        return {"threshold": self.threshold, "articles": self.articles,
                "blocks": [b.as_json() for b in sorted(self.blocks.values(),
                                                       key=lambda b: -b.articles)]}


def stored_rows(rows: Iterator[dict[str, Any]], boilerplate: SiteBoilerplate,
                only: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """The ``rows`` that hold a learned block (or one of ``only``)."""
    wanted = list(only) if only is not None else None
    for row in rows:
        if boilerplate.holds_block(row.get("body_text"), wanted):
            yield row
