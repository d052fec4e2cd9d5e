"""pyarrow in the crawl process: no pandas, and an allocator that gives memory back.

- The first time pyarrow builds an array it checks whether the value is a pandas object,
  and to do that it imports pandas when pandas is installed: about 50 MB, half of what
  the crawl itself needs. The crawl never hands pandas objects to pyarrow, so that first
  check is made to find no pandas. pandas stays importable, and pyarrow still converts
  to and from pandas when asked (it imports pandas then).
- pyarrow's default allocator (mimalloc) keeps the pages Arrow freed: over a crawl,
  staging batches and then the commit's partitions add up. jemalloc (in pyarrow's Linux
  wheels) hands them back. Arrow picks its allocator once, from the environment variable
  ``ARROW_DEFAULT_MEMORY_POOL``, when pyarrow is first imported (``pa.set_memory_pool``
  would not reach the Parquet reader and writer), so on Linux the crawl sets it to
  ``jemalloc`` before that, unless it is set already. Measured on 5,000 posts, peak RSS:
  mimalloc 230-236, jemalloc 196-199 MB.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType

POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"


class _NoPandas(MetaPathFinder):
    """Makes ``import pandas`` fail while installed."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname == "pandas" or fullname.startswith("pandas."):
            raise ModuleNotFoundError(f"{fullname} is left out of the crawl", name=fullname)
        return None


def skip_pandas_check() -> bool:
    """Run pyarrow's one-time pandas check with pandas out of reach, so it does not
    import pandas. Returns whether pandas is still not imported (False when it was
    imported before, or pyarrow had checked already: then nothing changes)."""
    if "pandas" in sys.modules:
        return False
    blocker = _NoPandas()
    sys.meta_path.insert(0, blocker)
    try:
        import pyarrow as pa

        pa.array([0])  # pyarrow's first array: its pandas check runs here, once
    finally:
        sys.meta_path.remove(blocker)
    return "pandas" not in sys.modules


def prefer_jemalloc() -> bool:
    """Ask Arrow for jemalloc (``ARROW_DEFAULT_MEMORY_POOL``), on Linux, before pyarrow is
    imported, unless the variable is set. Returns whether it asked. (A pyarrow built
    without jemalloc says so on stderr and keeps its default.)"""
    if ("pyarrow" in sys.modules or os.environ.get(POOL_VARIABLE)
            or not sys.platform.startswith("linux")):
        return False
    os.environ[POOL_VARIABLE] = "jemalloc"
    return True


def lean_arrow() -> None:
    """Both, for a crawl process: call before anything imports pyarrow."""
    prefer_jemalloc()
    skip_pandas_check()


__all__ = ["POOL_VARIABLE", "lean_arrow", "prefer_jemalloc", "skip_pandas_check"]
