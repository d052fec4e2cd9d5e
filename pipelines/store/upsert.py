"""The upsert engine: stored rows updated by a run's rows, as Arrow tables.

The rules, stated row by row in ``tests/merge_oracle.py`` (the test oracle): a run's row
joins the stored row sharing a key (post id, else canonical URL); same data keeps the
stored row and moves ``last_seen_at``; changed data replaces it, keeping
``first_seen_at``; a row seen before the stored one only widens the seen times.
:func:`merge_tables` gives exactly what the oracle's ``merge_rows`` gives for the
same rows (values, order, counts) without turning rows into Python objects: only key
columns are looked at row by row (a URL's canonical form is Python code), everything
else moves as Arrow columns (``take``, ``concat_tables``, compute kernels).

How the row rules map to columns. ``merge_rows`` places rows one after another: a row
joins the slot that the last earlier row sharing its first known key joined (its post
id, else its URL), or opens a new slot. So a row's *parent* is the last earlier row
sharing its strongest key that an earlier row has (found by sorting on key and
position), and its slot is the root of that chain (pointer jumping). Rows of a slot are
then folded in position order, one round per rank, each round one vectorized
:func:`merge_pair_tables`. Real partitions need at most one round: a stored row and the
run's copy.

Only a few narrow columns are merged (:func:`merge_plan`): the result says, per output
row, which input row supplies its values; :func:`assemble` then builds the partition a
column at a time from those input rows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.store.keys import REFRESHED, Key, MergeCounts, Row, latest
from pipelines.store.layout import DatasetSpec, Order

_INDEX = pa.int64()
_NULL = pa.scalar(None, _INDEX)
#: plan columns: the input row an output row keeps, and the one it takes REFRESHED from
SOURCE = "_source"
REFRESHED_SOURCE = "_refreshed_source"


def _arange(n: int) -> pa.Array:
    return pa.array(range(n), _INDEX)


def _equal(a: pa.Array, b: pa.Array) -> pa.Array:
    """Element-wise ``a == b`` as Python compares values: None equals None only."""
    both_null = pc.and_(pc.is_null(a), pc.is_null(b))
    return pc.or_(pc.fill_null(pc.equal(a, b), False), both_null)


def sort_table(table: pa.Table, order: Order) -> pa.Table:
    """``table`` sorted by ``order`` (stable: ties keep their order), as
    ``sorted(rows, key=order_key(order))`` sorts rows."""
    if table.num_rows < 2:
        return table
    columns = [table.column(name) if fill is None else pc.fill_null(table.column(name), fill)
               for name, fill in order]
    keys = pa.table(columns, names=[f"k{i}" for i in range(len(columns))])
    indices = pc.sort_indices(keys, sort_keys=[(f"k{i}", "ascending")
                                               for i in range(len(columns))])
    return table.take(indices)


def _previous_sharing(key: Key, n: int) -> pa.Array:
    """For each of ``n`` rows, the position of the last earlier row sharing ``key``
    (null when the row lacks the key or is the first to have it)."""
    present = pc.indices_nonzero(key.present)
    if len(present) < 2:
        return pa.nulls(n, _INDEX)
    names = [f"k{i}" for i in range(len(key.columns))]
    sub = pa.table([*(c.take(present) for c in key.columns), present], names=[*names, "pos"])
    # nulls sort last (the default): rows whose key columns are all equal are adjacent
    order = pc.sort_indices(sub, sort_keys=[(k, "ascending") for k in [*names, "pos"]])
    ordered = sub.take(order)
    same = None
    for name in names:
        column = ordered.column(name).combine_chunks()
        equal = _equal(column.slice(1), column.slice(0, len(column) - 1))
        same = equal if same is None else pc.and_(same, equal)
    positions = ordered.column("pos").combine_chunks()
    earlier = pc.if_else(same, positions.slice(0, len(positions) - 1), _NULL)
    by_rank = pa.concat_arrays([pa.nulls(1, _INDEX), earlier])  # in sorted order
    by_present = by_rank.take(pc.sort_indices(order))  # in order of ``present``
    spread = pc.replace_with_mask(pa.nulls(n, _INDEX), key.present,
                                  _arange(len(present)))
    return by_present.take(spread)


def _slots(keys: list[Key], n: int) -> pa.Array:
    """The slot (position of its first row) each of ``n`` rows is merged into."""
    parent = pa.nulls(n, _INDEX)
    for key in keys:
        parent = pc.coalesce(parent, _previous_sharing(key, n))
    slot = pc.coalesce(parent, _arange(n))
    while True:
        jumped = slot.take(slot)
        if jumped.equals(slot):
            return slot
        slot = jumped


def _scatter(table: pa.Table, positions: pa.Array, rows: pa.Table) -> pa.Table:
    """``table`` with its rows at ``positions`` (distinct) replaced by ``rows``."""
    n = table.num_rows
    mask = pc.is_in(_arange(n), value_set=positions)
    replacements = pc.add(pc.sort_indices(positions), n)  # rows in ascending position order
    source = pc.replace_with_mask(_arange(n), mask, replacements)
    return pa.concat_tables([table, rows]).take(source)


def _timestamps(function: Any, a: pa.ChunkedArray, b: pa.ChunkedArray) -> pa.ChunkedArray:
    """``function`` (min/max element-wise, nulls skipped) of two timestamp columns (the
    kernels take no time zone: they compare the UTC instants as integers)."""
    return function(a.cast(pa.int64()), b.cast(pa.int64())).cast(a.type)


def merge_pair_tables(old: pa.Table, new: pa.Table, same_columns: tuple[str, ...],
                      refreshed: Collection[str] = REFRESHED) -> tuple[pa.Table, pa.Array]:
    """Row ``i`` of the result is the row oracle's ``merge_pair`` of ``old[i]`` and
    ``new[i]`` (``refreshed``: the columns an unchanged row takes from a newer copy);
    also returns which rows were "updated" (the others are "unchanged")."""
    n = old.num_rows
    older = pc.fill_null(pc.less(new.column("last_seen_at"), old.column("last_seen_at")),
                         False)
    same = pa.array([True] * n, pa.bool_())
    for name in same_columns:
        same = pc.and_(same, _equal(old.column(name), new.column(name)))
    updated = pc.invert(pc.or_(same, older))
    here, there = _arange(n), pc.add(_arange(n), n)
    chosen = pc.if_else(updated, there, here)
    newer = pc.if_else(older, here, there)  # unchanged rows take the newer values
    both = pa.concat_tables([old, new])
    columns = []
    for name in old.column_names:
        if name == "first_seen_at":
            columns.append(_timestamps(pc.min_element_wise, old.column(name), new.column(name)))
        elif name == "last_seen_at":
            columns.append(_timestamps(pc.max_element_wise, old.column(name), new.column(name)))
        else:
            columns.append(both.column(name).take(newer if name in refreshed else chosen))
    return pa.Table.from_arrays(columns, schema=old.schema), updated


def plan_columns(spec: DatasetSpec) -> list[str]:
    """The columns :func:`merge_plan` needs: keys, "same data" and order columns, and the
    seen times."""
    assert spec.merge is not None
    return list(dict.fromkeys([*spec.key_columns, *spec.merge.same_columns,
                               *(name for name, _ in spec.order),
                               "first_seen_at", "last_seen_at"]))


def merge_plan(rows: pa.Table, first_new: int, spec: DatasetSpec,
               replaced: list[pa.Array] | None = None) -> tuple[pa.Table, MergeCounts]:
    """How to build the merged partition, from :func:`plan_columns` of the stored rows
    then the incoming ones (from row ``first_new``), plus columns :data:`SOURCE` and
    :data:`REFRESHED_SOURCE` (each row's own position among all input rows).

    Returns one row per output row, in output order: :data:`SOURCE`, the input row whose
    values it keeps; :data:`REFRESHED_SOURCE`, the input row of its :data:`REFRESHED`
    values; ``first_seen_at``, ``last_seen_at``. See :func:`assemble`. With ``replaced``,
    the :data:`SOURCE` of each row an updated copy replaced is appended to it.
    """
    assert spec.merge is not None
    rows = rows.combine_chunks()
    n = rows.num_rows
    counts = MergeCounts()
    slot = _slots(spec.merge.table_keys(rows), n)
    is_root = pc.equal(slot, _arange(n))
    roots = pc.indices_nonzero(is_root)
    merged = rows.take(roots)
    counts.new = pc.sum(pc.greater_equal(roots, first_new).cast(_INDEX)).as_py() or 0
    # slot -> its row in ``merged``; a row's rank: how many earlier rows share its slot
    at = pc.subtract(pc.cumulative_sum(is_root.cast(_INDEX)), 1).take(slot)
    rank = _ranks(slot)
    for round_ in range(1, (pc.max(rank).as_py() or 0) + 1):
        members = pc.indices_nonzero(pc.equal(rank, round_))
        targets = at.take(members)
        prior = merged.take(targets)
        result, updated = merge_pair_tables(prior, rows.take(members),
                                            spec.merge.same_columns, (REFRESHED_SOURCE,))
        if replaced is not None:
            kept = prior.column(SOURCE).combine_chunks().filter(updated)
            replaced.append(kept.combine_chunks() if isinstance(kept, pa.ChunkedArray)
                            else kept)
        merged = _scatter(merged, targets, result)
        counted = pc.greater_equal(members, first_new)
        changed = pc.sum(pc.and_(counted, updated).cast(_INDEX)).as_py() or 0
        counts.updated += changed
        counts.unchanged += (pc.sum(counted.cast(_INDEX)).as_py() or 0) - changed
    merged = sort_table(merged, spec.order)
    counts.total = merged.num_rows
    return merged.select([SOURCE, REFRESHED_SOURCE, "first_seen_at", "last_seen_at"]), counts


def assemble(plan: pa.Table, gather: Callable[[pa.Field, pa.Array], pa.Array],
             schema: pa.Schema, slice_rows: Callable[[pa.Field], int] | None = None
             ) -> pa.Table:
    """The merged table of ``plan`` (see :func:`merge_plan`), built a column at a time.
    A column the plan holds (the seen times; the marks may add more) is taken from it,
    any other from the input rows the plan names: ``gather(field, positions)`` gives that
    column of those input rows, ``slice_rows(field)`` rows at a time (default: all), so
    the copies made on the way stay small for a wide column."""
    columns = []
    for field in schema:
        if field.name in plan.column_names:
            columns.append(plan.column(field.name))
            continue
        source = REFRESHED_SOURCE if field.name in REFRESHED else SOURCE
        positions = plan.column(source).combine_chunks()
        step = max(1, slice_rows(field)) if slice_rows else max(1, len(positions))
        columns.append(pa.chunked_array(
            [gather(field, positions.slice(start, step))
             for start in range(0, len(positions), step)], field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def with_sources(rows: pa.Table, first: int = 0) -> pa.Table:
    """``rows`` with :data:`SOURCE` and :data:`REFRESHED_SOURCE`: positions from ``first``."""
    positions = pa.array(range(first, first + rows.num_rows), _INDEX)
    return rows.append_column(SOURCE, positions).append_column(REFRESHED_SOURCE, positions)


def merge_tables(stored: pa.Table, incoming: pa.Table,
                 spec: DatasetSpec) -> tuple[pa.Table, MergeCounts]:
    """``stored`` updated by ``incoming`` (two tables of ``spec``'s schema)."""
    rows = pa.concat_tables([stored, incoming])
    plan, counts = merge_plan(with_sources(rows.select(plan_columns(spec))), stored.num_rows,
                              spec)
    return assemble(plan, lambda field, at: rows.column(field.name).take(at).combine_chunks(),
                    spec.schema), counts


def _ranks(slot: pa.Array) -> pa.Array:
    """For each row, how many earlier rows have the same slot."""
    n = len(slot)
    if n == 0:
        return pa.array([], _INDEX)
    order = pc.sort_indices(pa.table({"slot": slot, "pos": _arange(n)}),
                            sort_keys=[("slot", "ascending"), ("pos", "ascending")])
    ordered = slot.take(order)
    starts = pc.not_equal(ordered.slice(1), ordered.slice(0, n - 1))
    first = pa.concat_arrays([pa.array([True]), starts])
    start = pc.fill_null_forward(pc.if_else(first, _arange(n), _NULL))
    return pc.subtract(_arange(n), start).take(pc.sort_indices(order))


def rows_with_keys(table: pa.Table, keys: set[Any], spec: DatasetSpec) -> pa.Array:
    """Which rows of ``table`` have one of ``keys`` (row-level keys, as
    ``spec.merge.keys`` gives them; single-column keys only)."""
    assert spec.merge is not None
    hits = pa.array([False] * table.num_rows, pa.bool_())
    for key in spec.merge.table_keys(table):
        if key.name is None:
            raise ValueError(f"{spec.name}: multi-column keys cannot be looked up by value")
        values = [value for name, value in keys if name == key.name]
        if values:
            found = pc.is_in(key.columns[0], value_set=pa.array(values, key.columns[0].type))
            hits = pc.or_(hits, pc.and_(key.present, found))
    return hits


def _last_rows(table: pa.Table, lookups: pa.Table, spec: DatasetSpec) -> pa.Array:
    """For each row of ``lookups``: the last row of ``table`` sharing its first key that
    ``table`` has (null if none), as the row oracle's ``apply_marks`` finds rows."""
    assert spec.merge is not None
    found = pa.nulls(lookups.num_rows, _INDEX)
    for key, wanted in zip(spec.merge.table_keys(table), spec.merge.table_keys(lookups),
                           strict=True):
        if key.name is None:
            raise ValueError(f"{spec.name}: multi-column keys cannot be looked up by value")
        where = pc.indices_nonzero(key.present)
        latest_first = where.take(pa.array(range(len(where) - 1, -1, -1), _INDEX))
        values = key.columns[0].take(latest_first)
        index = pc.index_in(wanted.columns[0], value_set=values)
        hit = pc.if_else(wanted.present, latest_first.take(index), _NULL)
        found = pc.coalesce(found, hit)
    return found


def apply_marks_table(table: pa.Table, marks: Iterable[Row],
                      spec: DatasetSpec) -> tuple[pa.Table, int]:
    """Article marks applied to a table: returns it with the marks applied
    and the number of marks that changed a row. Marks apply in order, so a row's
    ``last_seen_at`` and ``removed_at`` are updated mark by mark (marks are few)."""
    marks = list(marks)
    if not marks or table.num_rows == 0:
        return table, 0
    lookups = pa.table({"post_id": pa.array([m.get("post_id") for m in marks], pa.int64()),
                        "url": pa.array([m["url"] for m in marks], pa.string())})
    targets = _last_rows(table, lookups, spec).to_pylist()
    touched = sorted({t for t in targets if t is not None})
    if not touched:
        return table, 0
    picked = pa.array(touched, _INDEX)
    state = dict(zip(touched, zip(table.column("last_seen_at").take(picked).to_pylist(),
                                  table.column("removed_at").take(picked).to_pylist(),
                                  strict=True), strict=True))
    changed = 0
    for mark, target in zip(marks, targets, strict=True):
        if target is None:
            continue
        seen, removed = state[target]
        at = mark["at"]
        if mark["event"] == "removed":
            if removed is None and (seen is None or seen <= at):
                state[target] = (seen, at)
                changed += 1
        elif mark["event"] == "not-modified":
            state[target] = (latest(seen, at), None if removed is not None and removed <= at
                             else removed)
            changed += 1
    mask = pc.is_in(_arange(table.num_rows), value_set=picked)
    for index, name in enumerate(("last_seen_at", "removed_at")):
        column = table.column(name).combine_chunks()
        values = pa.array([state[t][index] for t in touched], column.type)
        table = table.set_column(table.schema.get_field_index(name), name,
                                 pc.replace_with_mask(column, mask, values))
    return table, changed


__all__ = ["REFRESHED_SOURCE", "SOURCE", "apply_marks_table", "assemble", "merge_pair_tables",
           "merge_plan", "merge_tables", "plan_columns", "rows_with_keys", "sort_table",
           "with_sources"]
