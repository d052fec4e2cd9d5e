"""A hostile, broken web server on loopback for the crawler's failure tests.

Each scenario (``SCENARIOS``) is the replica site (tests.replica) doing one thing wrong;
``serve_hostile(name, **options)`` serves it over real HTTP:

>>> with serve_hostile("endless-same", posts=60) as srv:
...     srv.base_url, srv.port, srv.scenario, srv.requests
"""

from __future__ import annotations

from .base import SCENARIOS, Response, Scenario
from .scenarios import EXPECTED, describe
from .server import HostileServer, serve_hostile

__all__ = ["EXPECTED", "SCENARIOS", "HostileServer", "Response", "Scenario", "describe",
           "serve_hostile"]
