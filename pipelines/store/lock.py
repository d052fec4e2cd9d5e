"""The output directory's lock: one crawl (or migration) per ``OUTPUT_DIR`` at a time.

``OUTPUT_DIR/.lock`` is locked with ``flock`` for as long as a run uses the directory.
The kernel releases an flock when its holder dies, however it dies, so a lock left by a
killed run is never stale: the next run simply gets it. The holder writes its pid,
host and start time into the file so that a run refused the lock can name it, and a
run that finds a previous holder's details still there (the previous holder was killed
before it could clear them) logs that it took the lock over.

The ``crawl`` command takes the lock with :func:`reserve` before the crawler starts (so a
second run stops before anything else happens); the Parquet store of that crawl, which
takes it with :func:`acquire` when it opens, adopts the reservation once. Any other
acquisition in the same process is refused like one from another process, and the file
is unlocked when the last user releases it.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

from pipelines.store.layout import LOCK as LOCK_FILE

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) a lock, as written into the lock file."""

    pid: int | None = None
    host: str | None = None
    started_at: str | None = None

    def describe(self) -> str:
        if self.pid is None:
            return "holder unknown"
        where = "" if self.host in (None, socket.gethostname()) else f" on {self.host}"
        since = f" since {self.started_at}" if self.started_at else ""
        return f"pid {self.pid}{where}{since}"

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        """The holder recorded in a lock file's text (None if it records none)."""
        try:
            data = json.loads(text)
            pid = int(data["pid"])
        except (ValueError, TypeError, KeyError):
            return None
        return cls(pid=pid, host=data.get("host"), started_at=data.get("started_at"))


class LockBusy(RuntimeError):
    """Another process holds the output directory's lock."""

    def __init__(self, root: Path, holder: Holder | None) -> None:
        self.root = root
        self.holder = holder
        super().__init__(
            f"output directory {root} is in use by another crawl "
            f"({(holder or Holder()).describe()}; lock {root / LOCK_FILE})"
        )


def pid_running(pid: int) -> bool:
    """Whether a process with this pid exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by another user
        return True
    return True


def read_holder(path: Path) -> Holder | None:
    """The holder recorded in the lock file at ``path`` (None if none is recorded)."""
    try:
        return Holder.parse(path.read_text(encoding="utf-8"))
    except OSError:
        return None


@dataclass
class _Held:
    handle: IO[bytes]
    count: int
    adoptable: bool = False  # reserved for the next acquire() of this process


#: locks this process holds: real path of the lock file -> open handle and users
_HELD: dict[str, _Held] = {}


def reserve(root: Path) -> str:
    """Lock ``root`` (which must exist) for this process and keep it for the next
    :func:`acquire` in this process (the run's store); returns the key to release it.

    Raises :class:`LockBusy` naming the holder when another process has it.
    """
    key = _lock(root)
    if key in _HELD:  # (not on a platform without flock)
        _HELD[key].adoptable = True
    return key


def acquire(root: Path) -> str:
    """Lock ``root`` (which must exist), or adopt this process's :func:`reserve`-ation of
    it; returns the key to release it.

    Raises :class:`LockBusy` naming the holder when another process (or another user in
    this one) has it.
    """
    key = os.path.realpath(root / LOCK_FILE)
    held = _HELD.get(key)
    if held is not None and held.adoptable:
        held.adoptable = False
        held.count += 1
        return key
    return _lock(root)


def _lock(root: Path) -> str:
    path = root / LOCK_FILE
    key = os.path.realpath(path)
    if key in _HELD:
        raise LockBusy(root, read_holder(path))
    if fcntl is None:  # pragma: no cover - no locking on this platform
        return key
    handle = open(path, "a+b")  # noqa: SIM115 - held for the run
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise LockBusy(root, read_holder(path)) from None
    except BaseException:
        handle.close()
        raise
    try:
        previous = read_holder(path)
        if previous is not None and previous.pid != os.getpid():
            same_host = previous.host in (None, socket.gethostname())
            state = ("which is not running"
                     if same_host and not pid_running(previous.pid or 0)
                     else "which no longer holds it")
            logger.warning("Took over the lock of %s left by %s, %s", root,
                           previous.describe(), state)
        me = {"pid": os.getpid(), "host": socket.gethostname(),
              "started_at": datetime.now(UTC).isoformat(timespec="seconds")}
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(me).encode() + b"\n")
        handle.flush()
    except BaseException:
        handle.close()
        raise
    _HELD[key] = _Held(handle, 1)
    return key


def release(key: str) -> None:
    """Release one use of a lock taken with :func:`acquire` or :func:`reserve`; the last
    one unlocks it
    (clearing the holder details first, so the next run knows it was released)."""
    held = _HELD.get(key)
    if held is None:
        return
    held.count -= 1
    if held.count > 0:
        return
    del _HELD[key]
    try:
        held.handle.seek(0)
        held.handle.truncate()
    except OSError:  # pragma: no cover - the lock goes with the handle anyway
        pass
    finally:
        held.handle.close()
