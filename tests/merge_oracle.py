"""The upsert rules stated row by row: the oracle :mod:`pipelines.store.upsert` is tested
against (the store itself merges Arrow tables only)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from pipelines.store.keys import REFRESHED, MergeCounts, MergeSpec, Row, latest


def earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min((x for x in (a, b) if x is not None), default=None)


def _older(row: Row, old: Row) -> bool:
    """Whether ``row`` was seen before the stored ``old`` (then it must not replace it,
    e.g. rows of an interrupted run committed after a later run)."""
    seen, stored = row["last_seen_at"], old["last_seen_at"]
    return seen is not None and stored is not None and seen < stored


def merge_pair(old: Row, row: Row, spec: MergeSpec) -> tuple[Row, str]:
    """The stored row ``old`` updated by ``row`` of the same key, and the outcome
    ("unchanged" or "updated"). ``first_seen_at`` is the earliest, ``last_seen_at`` the
    latest of both; an unchanged row keeps all its other values."""
    older = _older(row, old)
    if spec.same(old, row) or older:
        merged, outcome = dict(old), "unchanged"
        if not older:  # seen alive again, with the server's current validators
            for name in REFRESHED:
                if name in row:
                    merged[name] = row[name]
    else:
        merged, outcome = dict(row), "updated"
    merged["first_seen_at"] = earliest(old["first_seen_at"], row["first_seen_at"])
    merged["last_seen_at"] = latest(old["last_seen_at"], row["last_seen_at"])
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


def apply_marks(rows: list[Row], marks: Iterable[Row], keys: Callable[[Row], list[Any]]) -> int:
    """Apply article marks to merged ``rows`` in place; returns the rows changed.

    A mark is ``{post_id, url, event, at}``: "removed" sets ``removed_at`` (unless the
    row was seen alive after ``at`` or is already flagged; ``last_seen_at`` keeps the
    last time it was seen alive); "not-modified" (a 304) moves ``last_seen_at`` to ``at``
    and clears ``removed_at``. A mark matching no row is ignored.
    """
    index: dict[Any, int] = {}
    for number, row in enumerate(rows):
        for key in keys(row):
            index[key] = number
    changed = 0
    for mark in marks:
        slot = next((index[k] for k in keys(mark) if k in index), None)
        if slot is None:
            continue
        row, at = rows[slot], mark["at"]
        seen = row.get("last_seen_at")
        if mark["event"] == "removed":
            if row.get("removed_at") is None and (seen is None or seen <= at):
                row["removed_at"] = at
                changed += 1
        elif mark["event"] == "not-modified":
            row["last_seen_at"] = latest(seen, at)
            if row.get("removed_at") is not None and row["removed_at"] <= at:
                row["removed_at"] = None
            changed += 1
    return changed
