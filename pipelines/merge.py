"""Row-level upsert: how a run's rows are merged into stored rows of one partition."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class MergeSpec:
    """How rows of a merged dataset are identified, compared and ordered."""

    #: identity keys of a row, strongest first; a row matches a stored row sharing any key.
    keys: Callable[[Row], list[Any]]
    #: whether a new row carries the same data as the stored one.
    same: Callable[[Row, Row], bool]
    sort_key: Callable[[Row], tuple[Any, ...]]


@dataclass
class MergeCounts:
    """Outcome of merging one run's rows into a stored dataset."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    total: int = 0

    @property
    def written(self) -> int:
        """Rows of the run stored (new + updated + unchanged)."""
        return self.new + self.updated + self.unchanged

    def add(self, other: MergeCounts) -> None:
        """Add ``other``'s new/updated/unchanged (not its total) to these counts."""
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min((x for x in (a, b) if x is not None), default=None)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((x for x in (a, b) if x is not None), default=None)


def _older(row: Row, old: Row) -> bool:
    """Whether ``row`` was seen before the stored ``old`` (then it must not replace it,
    e.g. rows of an interrupted run committed after a later run)."""
    seen, stored = row["last_seen_at"], old["last_seen_at"]
    return seen is not None and stored is not None and seen < stored


def merge_pair(old: Row, row: Row, spec: MergeSpec) -> tuple[Row, str]:
    """The stored row ``old`` updated by ``row`` of the same key, and the outcome
    ("unchanged" or "updated"). ``first_seen_at`` is the earliest, ``last_seen_at`` the
    latest of both; an unchanged row keeps all its other values."""
    if spec.same(old, row) or _older(row, old):
        merged, outcome = dict(old), "unchanged"
    else:
        merged, outcome = dict(row), "updated"
    merged["first_seen_at"] = _earliest(old["first_seen_at"], row["first_seen_at"])
    merged["last_seen_at"] = _latest(old["last_seen_at"], row["last_seen_at"])
    return merged, outcome


def merge_rows(
    stored: Iterable[Row], incoming: Iterable[Row], spec: MergeSpec
) -> tuple[list[Row], MergeCounts]:
    """Merge ``incoming`` rows into ``stored`` ones (later rows win on a key).

    A matching row with the same data keeps the stored row and only moves its
    ``last_seen_at``; a changed row replaces it but keeps its ``first_seen_at``
    (unless it was seen before the stored row: then it only widens the seen times).
    Counts are for ``incoming`` rows only; ``total`` is the rows returned.
    """
    slots: list[Row] = []
    index: dict[Any, int] = {}
    counts = MergeCounts()

    def place(row: Row) -> str:
        keys = spec.keys(row)
        slot = next((index[k] for k in keys if k in index), None)
        if slot is None:
            slots.append(row)
            slot, outcome = len(slots) - 1, "new"
        else:
            slots[slot], outcome = merge_pair(slots[slot], row, spec)
        for key in keys:
            index[key] = slot
        return outcome

    for row in stored:
        place(row)
    for row in incoming:
        outcome = place(row)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    rows = sorted(slots, key=spec.sort_key)
    counts.total = len(rows)
    return rows, counts
