"""The crawl process keeps pandas out of pyarrow and Arrow off mimalloc (crawler.arrowmem)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.crawlrun import PROJECT_ROOT

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl


def test_crawl_command_imports_no_pandas_and_picks_the_allocator(tmp_path: Path):
    script = textwrap.dedent("""
        import sys
        import crawler.commands.crawl, pipelines.writer, pipelines.store.seen
        import pyarrow as pa, pyarrow.parquet as pq
        from pipelines.store import schemas
        table = pa.Table.from_pylist([{"a": 1}])
        pq.write_table(table, sys.argv[1])
        pq.read_table(sys.argv[1])
        assert "pandas" not in sys.modules, "pyarrow imported pandas"
        wanted = "jemalloc" if "jemalloc" in pa.supported_memory_backends() else "mimalloc"
        assert pa.default_memory_pool().backend_name == wanted
        import pandas as pd
        assert pa.table({"a": [1]}).to_pandas().shape == (1, 1)
        assert pa.Table.from_pandas(pd.DataFrame({"b": [2]})).num_rows == 1
        assert pd.read_parquet(sys.argv[1])["a"].tolist() == [1]
    """)
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "t.parquet")],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
