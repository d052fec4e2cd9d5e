"""Site boilerplate: paragraphs that repeat, word for word, across many of a site's articles.

A newsletter sign-up, a donation appeal, a "follow us" line or a disclaimer box that a
theme or plugin puts inside every post's content is not article text, whatever its markup
is called. :class:`SiteBoilerplate` learns such blocks from the site itself: it counts
each short paragraph (at most :data:`MAX_CHARS` characters) over the distinct articles of
the stored dataset and of the run. A paragraph is boilerplate when it is found in at least
``max(min_articles, min_share x articles)`` of them *and* in at least :data:`SPAN_SHARE` of
the articles published between its first and its last appearance: a template's block is in
nearly every post from the day it was added, while a paragraph an editor reused (a
background paragraph, a quote) is in a few posts among many. The blocks learned are
kept in ``OUTPUT_DIR/state/boilerplate.json`` (text, fingerprint, articles, the run that
learned it) and stripped from every row before it is published: the run's own rows, and
stored rows that still hold a block (learned later than they were stored). A stripped row
is flagged ``body_text:boilerplate=<fingerprint>``; a body that was nothing but boilerplate
becomes a reject.
"""

from __future__ import annotations

import hashlib
import logging
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pipelines.records import article_content_hash_of, article_identity

logger = logging.getLogger(__name__)

#: Longer paragraphs are never boilerplate candidates (and are not counted).
MAX_CHARS = 600
#: Defaults of the settings BOILERPLATE_MIN_ARTICLES and BOILERPLATE_MIN_SHARE.
MIN_ARTICLES = 5
MIN_SHARE = 0.01
#: Share of the articles published while a paragraph was in use that must hold it.
SPAN_SHARE = 0.5
#: Paragraphs of a body (as the parsers join them).
SEPARATOR = "\n\n"
#: The state file's name (``OUTPUT_DIR/state/<STATE>.json``).
STATE = "boilerplate"
FLAG = "body_text:boilerplate="


_DAY_BITS = 22  # day ordinals (date.max is 3,652,059) fit in 22 bits


def _pack(count: int, first: int, last: int) -> int:
    return (count << (2 * _DAY_BITS)) | (first << _DAY_BITS) | last


def _unpack(packed: int) -> tuple[int, int, int]:
    mask = (1 << _DAY_BITS) - 1
    return packed >> (2 * _DAY_BITS), (packed >> _DAY_BITS) & mask, packed & mask


def paragraphs(body: str | None) -> list[str]:
    """A body's paragraphs."""
    return [p for p in (body or "").split(SEPARATOR) if p.strip()]


def normal_paragraph(paragraph: str) -> str:
    """A paragraph's words, case and spacing aside: what makes two paragraphs the same."""
    return " ".join(paragraph.casefold().split())


def fingerprint(paragraph: str) -> str:
    """A paragraph's stable identity: its words, case and spacing aside (12 hex digits)."""
    data = normal_paragraph(paragraph).encode("utf-8")
    return hashlib.blake2b(data, digest_size=6).hexdigest()


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

    ``observe_stored`` is fed the stored rows (key columns, publication time and
    ``body_text``), ``observe`` each row of the run; :meth:`strip` takes the blocks known so
    far out of a row (those learned by earlier runs until :meth:`learn` adds this run's).
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
        #: hash of a normalized paragraph -> articles, first and last day it was published,
        #: packed in one int (see _pack): tens of thousands of entries on a real site
        self._counts: dict[int, int] = {}
        #: a stored row holds a known block (stored by a run that did not strip it)
        self.stored_dirty = False
        self._texts: dict[int, str] = {}  # of paragraphs seen twice or more
        self._stored_keys: set[tuple[str, Any]] = set()
        self._days: list[int] = []  # the day (ordinal) of every article counted
        self.blocks: dict[str, Block] = {}
        self._keys: dict[int, str] = {}  # hash of a block's normalized text -> fingerprint
        self._use(dict(self.known))
        self.new: list[str] = []

    def _use(self, blocks: dict[str, Block]) -> None:
        self.blocks = blocks
        self._keys = {hash(normal_paragraph(b.text)): b.fingerprint for b in blocks.values()}

    @property
    def articles(self) -> int:
        """Articles counted."""
        return len(self._days)

    def _count(self, published: date | None, body: str | None) -> bool:
        """Count the body's paragraphs; whether it holds a known block."""
        day = published.toordinal() if published is not None else 0
        self._days.append(day)
        holds = False
        for paragraph in {p for p in paragraphs(body) if len(p) <= MAX_CHARS}:
            key = hash(normal_paragraph(paragraph))
            holds = holds or key in self._keys
            seen = self._counts.get(key)
            if seen is None:
                self._counts[key] = _pack(1, day, day)
                continue
            count, first, last = _unpack(seen)
            if count == 1:
                self._texts.setdefault(key, paragraph)
            self._counts[key] = _pack(count + 1, min(first, day), max(last, day))
        return holds

    def observe_stored(self, post_id: int | None, url: str | None, published: date | None,
                       body: str | None) -> None:
        """A stored article (its key, publication time and body as stored)."""
        self._stored_keys.add(article_identity(post_id, url))
        if self._count(published, body):
            self.stored_dirty = True

    def observe(self, post_id: int | None, url: str | None, published: date | None,
                body: str | None) -> None:
        """An article of the run; one already stored is counted once, as stored."""
        key = article_identity(post_id, url)
        if key in self._stored_keys:
            return
        self._stored_keys.add(key)
        self._count(published, body)

    @property
    def threshold(self) -> int:
        """Articles a paragraph must be in to be boilerplate."""
        return max(self.min_articles, int(self.min_share * self.articles + 0.999999))

    def learn(self) -> dict[str, Block]:
        """The blocks: those learned before (their counts brought up to date) and those
        that reach the threshold now (:attr:`new`)."""
        blocks = dict(self.known)
        days = sorted(self._days)
        for key, packed in self._counts.items():
            count, first, last = _unpack(packed)
            if count < self.threshold or key not in self._texts:
                continue
            in_use = bisect_right(days, last) - bisect_left(days, first)
            if count < SPAN_SHARE * in_use:
                continue  # a few posts among the many published meanwhile: not a template's
            text = self._texts[key]
            print_ = fingerprint(text)
            if print_ in blocks:
                blocks[print_].articles = max(blocks[print_].articles, count)
            else:
                blocks[print_] = Block(print_, text, count, self.run_id)
                self.new.append(print_)
        self._use(blocks)
        return blocks

    def _block_of(self, paragraph: str) -> str | None:
        """The fingerprint of the block ``paragraph`` is, if it is one."""
        if len(paragraph) > MAX_CHARS:
            return None
        return self._keys.get(hash(normal_paragraph(paragraph)))

    def holds_block(self, body: str | None) -> bool:
        """Does ``body`` hold a block?"""
        return bool(self._keys) and any(map(self._block_of, paragraphs(body)))

    def strip(self, row: dict[str, Any]) -> Stripped:
        """``row`` (an ``articles`` row) without its boilerplate paragraphs: body, word count,
        content hash and flags updated. Unchanged rows are returned as they are."""
        if not self._keys:
            return Stripped(row)
        kept: list[str] = []
        taken: list[str] = []
        for paragraph in paragraphs(row.get("body_text")):
            found = self._block_of(paragraph)
            if found:
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
