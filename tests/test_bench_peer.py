"""bench.peer (trafilatura as the benchmark's peer) against a small in-process replica."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.replica import ReplicaConfig, ReplicaSite, serve

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

ROOT = Path(__file__).resolve().parent.parent
KEYS = {
    "discovery", "articles_found", "articles_expected", "wall_s", "discover_s", "download_s",
    "extract_s", "extract_cpu_s", "articles_per_s", "requests_by_trafilatura", "body_f1",
    "title_exact", "version",
}


def run_peer(base_url: str, truth: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """``python -m bench.peer`` in its own process, as the bench runs it."""
    cmd = [sys.executable, "-m", "bench.peer", base_url, "--ground-truth", str(truth),
           "--json", str(out), *extra]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)


def write_truth(path: Path, truth: dict[str, Any]) -> Path:
    path.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("sitemaps", "discovery"), [(True, "sitemap"), (False, "sitemap->crawl")]
)
def test_peer_collects_every_article(tmp_path: Path, sitemaps: bool, discovery: str) -> None:
    """Sitemap search, or the focused crawler when the site has no sitemap: every article
    found, every request counted (the replica's own log agrees), sensible scores."""
    site = ReplicaSite(ReplicaConfig(seed=2, posts=30, sitemaps=sitemaps))
    out = tmp_path / "peer.json"
    with serve(site) as server:
        truth = site.ground_truth(server.base_url)
        proc = run_peer(server.base_url, write_truth(tmp_path / "gt.json", truth), out)
        log = list(server.requests)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result.keys() >= KEYS
    assert result["discovery"] == discovery
    expected = sum(p["reachable"] for p in truth["posts"])
    assert result["articles_expected"] == expected == 30
    assert result["articles_found"] == expected
    assert result["requests_by_trafilatura"] == len(log)
    assert sum(result["requests_by_phase"].values()) == len(log)
    assert result["requests_by_phase"]["download"] >= expected
    assert {e["user_agent"].split("/")[0] for e in log} == {"trafilatura"}
    f1 = result["body_f1"]
    assert f1["count"] == expected
    assert 0 < f1["min"] <= f1["median"] <= 1 and 0 < f1["mean"] <= 1
    assert 0 <= result["title_exact"] <= 1
    assert result["wall_s"] >= result["discover_s"] + result["download_s"] > 0
    assert result["articles_per_s"] == pytest.approx(expected / result["wall_s"], rel=0.01)


def test_peer_unreachable_base_url(tmp_path: Path) -> None:
    """Nothing listening at BASE_URL: exit status 2, one line on stderr, no JSON."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    truth = ReplicaSite(ReplicaConfig(posts=10)).ground_truth(base)
    out = tmp_path / "peer.json"
    proc = run_peer(base, write_truth(tmp_path / "gt.json", truth), out)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "unreachable" in lines[0]
    assert not out.exists()
