"""Test hook: kill the process with SIGKILL at a named point of the commit protocol.

Set ``TIMESCA_TEST_CRASH_AT`` to a point name (e.g. ``staged-part-3``, ``prepared``,
``published-1``, ``published``) and the writer kills itself there, exactly as an
operator's ``kill -9`` or the OOM killer would. Unset, it costs one dict lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "TIMESCA_TEST_CRASH_AT"


def crash_point(name: str) -> None:
    """SIGKILL this process if ``TIMESCA_TEST_CRASH_AT`` equals ``name``."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
