"""How much the report's charts show (the command's ``--top`` and ``--runs``)."""

from __future__ import annotations

from dataclasses import dataclass

#: bars of the "top N" charts
TOP_N = 20
#: runs shown in the run-health charts (the latest)
LAST_RUNS = 60


@dataclass(frozen=True)
class Options:
    """How much the charts show."""

    #: bars of the "top N" charts
    top: int = TOP_N
    #: the latest runs shown in the run-health charts
    last_runs: int = LAST_RUNS


def plural(count: int, noun: str) -> str:
    """``1 run``, ``3 runs``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
