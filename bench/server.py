"""The replica site served by its own process, with a request log the bench counts from."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .measure import PROJECT_ROOT


@dataclass
class Replica:
    """A running replica: its base URL, ground truth and request log."""

    base_url: str
    ground_truth_path: Path
    request_log: Path
    posts: int
    _mark: int = 0

    def ground_truth(self) -> dict:
        """The replica's ground truth (tests/replica/groundtruth.py)."""
        return json.loads(self.ground_truth_path.read_text(encoding="utf-8"))

    def _entries(self) -> list[dict]:
        if not self.request_log.exists():
            return []
        with open(self.request_log, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def mark(self) -> None:
        """Start counting requests from now."""
        self._mark = len(self._entries())

    def requests_since_mark(self) -> tuple[int, dict[int, int]]:
        """Requests answered since :meth:`mark`, and their count per status."""
        new = self._entries()[self._mark:]
        return len(new), dict(sorted(Counter(e["status"] for e in new).items()))


@contextmanager
def replica(posts: int, workdir: Path, *, theme: str = "classic", seo: str = "yoast",
            seed: int = 1, startup_timeout: float = 300) -> Iterator[Replica]:
    """Serve a replica of ``posts`` posts on loopback until the with-block ends."""
    workdir.mkdir(parents=True, exist_ok=True)
    log, truth = workdir / "requests.jsonl", workdir / "ground-truth.json"
    log.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "tests.replica", "serve", "--posts", str(posts),
           "--theme", theme, "--seo", seo, "--seed", str(seed),
           "--request-log", str(log), "--ground-truth", str(truth)]
    proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + startup_timeout
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("READY ") or time.monotonic() > deadline:
            raise RuntimeError(f"replica did not start (exit {proc.poll()}): {line!r}")
        yield Replica(line.split()[1], truth, log, posts)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
