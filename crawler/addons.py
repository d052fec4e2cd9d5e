"""Scrapy add-ons of the project."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.settings import BaseSettings

from crawler import monitoring
from crawler.config import boolean_setting


class PoliteSwitch:
    """``-s POLITE=0``: no AutoThrottle, no delay, higher concurrency.

    For crawls of the bundled replica on loopback (tests, demo, benchmarks).
    Explicit command-line settings still win over what this sets.
    """

    #: the settings POLITE=0 applies
    FAST: ClassVar[dict[str, Any]] = {
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS": 32,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    }

    def update_settings(self, settings: BaseSettings) -> None:
        if boolean_setting(settings, "POLITE", True):
            return
        for name, value in self.FAST.items():
            settings.set(name, value, priority="project")


class Monitoring:
    """``-s SPIDERMON_ENABLED=1``: the project's Spidermon monitors (docs/MONITORING.md).

    Off by default; Spidermon is imported only when it is on, and a missing Spidermon is a
    configuration error (exit code 2) naming the extra to install.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        if monitoring.enabled(settings):
            monitoring.enable(settings)
