"""Partition inputs read a column and a piece at a time (pipelines.store.inputs)."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.store.evolution import SchemaMismatch
from pipelines.store.inputs import Inputs

SCHEMA = pa.schema([pa.field("n", pa.int64(), nullable=False), pa.field("tag", pa.string()),
                    pa.field("tags", pa.list_(pa.string()))], metadata={b"k": b"v"})


def _table(start: int, stop: int) -> pa.Table:
    return pa.table({"n": list(range(start, stop)), "tag": [f"t{i}" for i in range(start, stop)],
                     "tags": [[str(i)] * (i % 3) for i in range(start, stop)]}, schema=SCHEMA)


@pytest.fixture
def inputs(tmp_path: Path) -> Inputs:
    pq.write_table(_table(0, 10), tmp_path / "a.parquet", row_group_size=4)  # 3 row groups
    pq.write_table(_table(10, 15).drop_columns(["tags"]), tmp_path / "b.parquet")  # older file
    return Inputs(SCHEMA, [tmp_path / "a.parquet", tmp_path / "b.parquet"]) + Inputs(
        SCHEMA, [_table(15, 20)])


def test_read_and_gather_in_any_order(inputs: Inputs):
    every = inputs.read(SCHEMA.names)
    assert inputs.num_rows == 20 and every.schema.equals(SCHEMA, check_metadata=True)
    assert every.column("n").to_pylist() == list(range(20))
    assert every.column("tags").to_pylist()[10:15] == [None] * 5
    rng = random.Random(7)
    for size in (0, 1, 4, 13, 20):
        positions = pa.array(rng.sample(range(20), size), pa.int64())
        for field in SCHEMA:
            assert inputs.gather(field, positions).to_pylist() == (
                every.column(field.name).take(positions).to_pylist())
    whole = pa.array(range(4), pa.int64())  # exactly one piece, in order
    assert inputs.gather(SCHEMA.field("tag"), whole).to_pylist() == ["t0", "t1", "t2", "t3"]


def test_incompatible_file_is_refused(tmp_path: Path):
    pq.write_table(pa.table({"n": ["x"]}), tmp_path / "bad.parquet")
    with pytest.raises(SchemaMismatch, match="'n'"):
        Inputs(SCHEMA, [tmp_path / "bad.parquet"])
