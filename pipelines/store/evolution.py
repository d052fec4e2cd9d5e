"""Schema evolution: which stored files the current schemas can read, and how.

Compatible: a file lacking a *nullable* column of the current schema (it reads as
null), or holding a column the schema no longer has (ignored). Anything else (a
column of another type, a required column missing) is incompatible and raises
:class:`SchemaMismatch` naming the file and the column; ``python -m crawler.cli.migrate
OUTPUT_DIR`` rewrites such files to the current schema where a safe cast exists.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.store import schemas

MIGRATE_HINT = "rewrite old files with: python -m crawler.cli.migrate OUTPUT_DIR"


class SchemaMismatch(ValueError):
    """A stored file does not fit the current schema of its dataset."""

    def __init__(self, path: Path | str, column: str, problem: str) -> None:
        self.path, self.column = str(path), column
        super().__init__(f"{path}: column {column!r} {problem}; {MIGRATE_HINT}")


class UnreadableFile(ValueError):
    """A stored file cannot be read at all (truncated, damaged, not Parquet)."""

    def __init__(self, path: Path | str, error: Exception) -> None:
        self.path = str(path)
        super().__init__(f"{path} is not a readable Parquet file ({error}); move it out of "
                         "the output directory or restore it from a backup")


def read_schema(path: Path) -> pa.Schema:
    """A stored file's schema (its footer); :class:`UnreadableFile` when it has none."""
    try:
        return pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise UnreadableFile(path, exc) from None


def _version(schema: pa.Schema) -> str:
    meta = schema.metadata or {}
    return meta.get(b"timesca.schema_version", b"?").decode()


def check_schema(found: pa.Schema, expected: pa.Schema, path: Path | str) -> None:
    """Raise :class:`SchemaMismatch` unless a file of schema ``found`` is compatible."""
    for field in expected:
        index = found.get_field_index(field.name)
        if index < 0:
            if not field.nullable:
                raise SchemaMismatch(path, field.name,
                                     f"is missing but required ({field.type})")
            continue
        got = found.field(index).type
        if not got.equals(field.type):
            raise SchemaMismatch(
                path, field.name,
                f"is {got} (schema version {_version(found)}), expected {field.type} "
                f"(schema version {_version(expected)})")


def check_file(path: Path, expected: pa.Schema) -> None:
    """Check one Parquet file's schema (its footer only) against ``expected``."""
    check_schema(read_schema(path), expected, path)


def is_current(path: Path, expected: pa.Schema) -> bool:
    """Whether ``path`` was written with exactly the current schema and version."""
    return read_schema(path).equals(expected, check_metadata=True)


def conform(table: pa.Table, schema: pa.Schema, path: Path | str = "<table>",
            cast: bool = False) -> pa.Table:
    """``table`` with exactly ``schema``'s columns, types and metadata.

    Missing nullable columns become nulls, extra columns are dropped. A type
    difference raises :class:`SchemaMismatch`, or with ``cast`` is cast safely
    (still :class:`SchemaMismatch`, naming the column, where the values do not fit).
    """
    if not cast:
        check_schema(table.schema, schema, path)
    columns = []
    for field in schema:
        if field.name not in table.column_names:
            if not field.nullable:
                raise SchemaMismatch(path, field.name, "is missing but required")
            columns.append(pa.nulls(table.num_rows, field.type))
            continue
        column = table.column(field.name)
        if not column.type.equals(field.type):
            try:
                column = column.cast(field.type, safe=True)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise SchemaMismatch(path, field.name,
                                     f"cannot be cast from {column.type} to {field.type}: "
                                     f"{exc}") from exc
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def read_conformed(path: Path, schema: pa.Schema, cast: bool = False) -> pa.Table:
    """One stored file as a table of ``schema`` (see :func:`conform`)."""
    # ParquetFile, not read_table: one file needs no dataset machinery (nor its memory)
    try:
        table = pq.ParquetFile(path).read()
    except (pa.ArrowException, OSError) as exc:
        raise UnreadableFile(path, exc) from None
    return conform(table, schema, path, cast=cast)


__all__ = ["SchemaMismatch", "UnreadableFile", "check_file", "check_schema", "conform",
           "is_current",
           "read_conformed", "schemas"]
