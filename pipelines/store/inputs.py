"""The input rows of one partition rebuild (Parquet files and tables), read by column.

A merged partition is built a column at a time (:func:`pipelines.store.upsert.assemble`)
from the rows :meth:`Inputs.gather` picks out of the inputs one piece (a file's row
group, or a table) at a time: memory holds the new partition and one piece of one input
column, not every input row as well. Files of an older compatible schema read with the
newer nullable columns null (see :mod:`pipelines.store.evolution`).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.store.evolution import check_schema


@dataclass(frozen=True)
class _Piece:
    """Rows ``start`` to ``stop`` (positions among all input rows) of one part: a row
    group of a file, or a whole table (``row_group`` None)."""

    part: int
    row_group: int | None
    start: int
    stop: int


class Inputs:
    """Rows of ``schema`` from files and tables, in the order given."""

    def __init__(self, schema: pa.Schema, parts: list[Path | pa.Table] | None = None) -> None:
        self.schema = schema
        self.parts: list[pq.ParquetFile | pa.Table] = []
        self._names: dict[int, frozenset[str]] = {}  # id of a file -> its column names
        for part in parts or []:
            self.add(part)

    def add(self, part: Path | pa.Table) -> None:
        """Append the rows of a file (its footer is read now) or of a table."""
        if isinstance(part, pa.Table):
            self.parts.append(part)
            return
        handle = pq.ParquetFile(part)
        check_schema(handle.schema_arrow, self.schema, part)
        self.parts.append(handle)
        self._names[id(handle)] = frozenset(handle.schema_arrow.names)

    def __add__(self, other: Inputs) -> Inputs:
        both = Inputs(self.schema)
        both.parts = [*self.parts, *other.parts]
        both._names = {**self._names, **other._names}
        return both

    def _has(self, part: pq.ParquetFile, name: str) -> bool:
        return name in self._names[id(part)]

    def nbytes(self, field: pa.Field) -> int:
        """About how many bytes column ``field`` of every row takes in memory (from the
        files' footers: no data is read)."""
        total = 0
        for part in self.parts:
            if not isinstance(part, pq.ParquetFile):
                total += part.column(field.name).nbytes
                continue
            for group in range(part.metadata.num_row_groups):
                meta = part.metadata.row_group(group)
                total += sum(meta.column(i).total_uncompressed_size
                             for i in range(meta.num_columns)
                             if meta.column(i).path_in_schema.split(".")[0] == field.name)
        return total

    def _pieces(self) -> list[_Piece]:
        pieces: list[_Piece] = []
        start = 0
        for number, part in enumerate(self.parts):
            if isinstance(part, pq.ParquetFile):
                for group in range(part.metadata.num_row_groups):
                    rows = part.metadata.row_group(group).num_rows
                    pieces.append(_Piece(number, group, start, start + rows))
                    start += rows
            else:
                pieces.append(_Piece(number, None, start, start + part.num_rows))
                start += part.num_rows
        return pieces

    def _piece_column(self, piece: _Piece, field: pa.Field) -> pa.Array:
        part = self.parts[piece.part]
        if not isinstance(part, pq.ParquetFile):
            return part.column(field.name).combine_chunks()
        if not self._has(part, field.name):  # a column added after the file was written
            return pa.nulls(piece.stop - piece.start, field.type)
        assert piece.row_group is not None
        table = part.read_row_group(piece.row_group, columns=[field.name], use_threads=False)
        return table.column(0).combine_chunks()

    def gather(self, field: pa.Field, positions: pa.Array) -> pa.Array:
        """Column ``field`` of the rows at ``positions`` (among all input rows, in any
        order), reading only the pieces that hold them, one at a time."""
        order = pc.sort_indices(positions)
        ascending = positions.take(order)
        bounds = ascending.to_pylist()
        values: list[pa.Array] = []
        low = 0
        for piece in self._pieces():
            if low == len(bounds):
                break
            high = bisect_left(bounds, piece.stop, low)
            if high == low:
                continue
            local = pc.subtract(ascending.slice(low, high - low), piece.start)
            column = self._piece_column(piece, field)
            whole = len(local) == len(column) and local.equals(
                pa.array(range(len(column)), local.type))
            values.append(column if whole else column.take(local))  # whole: no copy
            low = high
        if len(values) == 1 and order.equals(pa.array(range(len(order)), order.type)):
            return values[0]  # one piece holds them all, in the order asked
        rows = pa.concat_arrays(values) if values else pa.array([], field.type)
        values.clear()  # memory: the rows once, then in the order asked
        return rows.take(pc.sort_indices(order))

    @property
    def num_rows(self) -> int:
        return sum(part.metadata.num_rows if isinstance(part, pq.ParquetFile)
                   else part.num_rows for part in self.parts)

    def _chunks(self, field: pa.Field) -> list[pa.Array]:
        chunks: list[pa.Array] = []
        for part in self.parts:
            if isinstance(part, pq.ParquetFile):
                if self._has(part, field.name):
                    column = part.read(columns=[field.name], use_threads=False).column(0)
                else:  # a nullable column added after the file was written
                    column = pa.chunked_array([pa.nulls(part.metadata.num_rows, field.type)])
            else:
                column = part.column(field.name)
            chunks.extend(column.chunks)
        return chunks

    def column(self, field: pa.Field) -> pa.ChunkedArray:
        """One column of every row."""
        return pa.chunked_array(self._chunks(field), field.type)

    def read(self, names: list[str]) -> pa.Table:
        """Some columns of every row (all of them: a table of the schema)."""
        fields = [self.schema.field(name) for name in names]
        return pa.Table.from_arrays([self.column(f) for f in fields],
                                    schema=pa.schema(fields, self.schema.metadata))


__all__ = ["Inputs"]
