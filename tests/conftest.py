"""Shared fixtures: the replica site served over loopback, and real crawls of it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.reactor import install_reactor, is_reactor_installed

from tests.crawlrun import CrawlOutput, run_crawl
from tests.replica import ReplicaConfig, ReplicaSite, serve

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def pytest_configure(config: pytest.Config) -> None:
    """Install the reactor the crawls run on before any test builds a Crawler.

    ``scrapy.utils.test.get_crawler()`` reads the installed reactor, and Scrapy 2.14 raises
    ``RuntimeError`` when there is none (later versions fall back to a reactorless mode).
    """
    if not is_reactor_installed():
        install_reactor(ASYNCIO_REACTOR)


@dataclass
class CrawlRun(CrawlOutput):
    """One finished crawl of a replica: its output, log, ground truth and request log."""

    returncode: int
    log: str
    truth: dict[str, Any]
    requests: list[dict[str, Any]]
    base_url: str


def crawl_replica(
    tmp: Path, *extra: str, output: Path | None = None, **config: Any
) -> CrawlRun:
    """Serve a replica built from ``config``, crawl it with ``extra`` args, stop it."""
    site = ReplicaSite(ReplicaConfig(**config))
    output = output or tmp / "output"
    with serve(site) as server:
        result = run_crawl(server.base_url, output, *extra)
        requests = list(server.requests)
        truth = site.ground_truth(server.base_url)
    return CrawlRun(output, result.returncode, result.stderr, truth, requests, server.base_url)


@pytest.fixture(scope="session", params=["classic", "magazine"])
def full_crawl(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[CrawlRun]:
    """A complete crawl of a 120-post replica, once per theme."""
    tmp = tmp_path_factory.mktemp(f"crawl-{request.param}")
    yield crawl_replica(tmp, seed=1, posts=120, theme=request.param)


@pytest.fixture(scope="session")
def fault_crawl(tmp_path_factory) -> CrawlRun:
    """A crawl of a replica with every fault switched on."""
    tmp = tmp_path_factory.mktemp("crawl-faults")
    return crawl_replica(
        tmp,
        "-s", "RETRY_TIMES=3",
        "-s", "DOWNLOAD_TIMEOUT=20",
        seed=3, posts=60, theme="classic",
        faults=frozenset({"503", "slow", "truncated", "500", "removed"}),
    )
