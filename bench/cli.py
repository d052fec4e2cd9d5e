"""Command-line pieces the benchmarks share: the contenders chosen, an earlier run's JSON."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def contenders(ap: argparse.ArgumentParser, text: str, known: Sequence[str]) -> list[str]:
    """The comma-separated contenders of ``--only``; an unknown one is a usage error."""
    chosen = [c.strip() for c in text.split(",") if c.strip()]
    unknown = sorted(set(chosen) - set(known))
    if unknown or not chosen:
        ap.error(f"--only: unknown contender(s) {unknown}; choose from {list(known)}")
    return chosen


def earlier_results(ap: argparse.ArgumentParser, path: Path | None) -> dict[str, Any] | None:
    """The results JSON of ``--compare`` (None without one); an unreadable file is a usage
    error."""
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        ap.error(f"--compare {path}: {exc}")
