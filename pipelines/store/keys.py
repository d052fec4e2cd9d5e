"""Identity keys, merge specs and counts of the merged datasets.

The upsert rules themselves are applied to Arrow tables by :mod:`pipelines.store.upsert`
(the one engine); ``tests/merge_oracle.py`` states them row by row as its test oracle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

Row = dict[str, Any]


@dataclass(frozen=True)
class Key:
    """One identity key of every row of a table, in columns.

    A row has the key where ``present`` is true; two rows share it where all
    ``columns`` are equal (a null equal to a null). ``name`` labels a single-column key:
    its row-level form is ``(name, value)``.
    """

    columns: tuple[pa.Array, ...]
    present: pa.Array
    name: str | None = None


@dataclass(frozen=True)
class MergeSpec:
    """How rows of a merged dataset are identified, compared and ordered."""

    #: identity keys of a row, strongest first; a row matches a stored row sharing any key.
    keys: Callable[[Row], list[Any]]
    #: the same keys for every row of a table, in the same order.
    table_keys: Callable[[pa.Table], list[Key]]
    #: a new row carries the same data as the stored one when these columns are equal
    #: (None equal to None).
    same_columns: tuple[str, ...]
    sort_key: Callable[[Row], tuple[Any, ...]]

    def same(self, old: Row, new: Row) -> bool:
        """Whether ``new`` carries the same data as ``old``."""
        return all(old[name] == new[name] for name in self.same_columns)


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


def latest(a: datetime | None, b: datetime | None) -> datetime | None:
    """The later of two optional times."""
    return max((x for x in (a, b) if x is not None), default=None)


#: columns an unchanged row still takes from a newer copy (articles: a post seen alive
#: is not removed; the validators are the ones the server gave last).
REFRESHED = ("removed_at", "http_etag", "http_last_modified")
