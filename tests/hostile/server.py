"""serve_hostile(): a scenario on loopback (ThreadingHTTPServer in a daemon thread, HTTP/1.1)."""

from __future__ import annotations

import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .base import SCENARIOS, Scenario

#: request headers copied into the log
REQUEST_HEADERS = ("User-Agent", "Accept-Encoding", "If-None-Match", "If-Modified-Since",
                   "Range", "Connection")
#: response headers copied into the log
RESPONSE_HEADERS = ("Location", "Content-Length", "Content-Encoding", "Content-Type",
                    "Retry-After")
#: a client that went away (BrokenPipeError, ConnectionResetError...) or a connection cut at
#: shutdown: all OSErrors
_GONE = OSError
#: how long the with-block's exit waits for the threads, at most
STOP_TIMEOUT = 5.0


class _HTTPServer(ThreadingHTTPServer):
    """Keeps its open connections and handler threads, to cut them at shutdown."""

    daemon_threads = True
    hostile: HostileServer

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lock = threading.Lock()
        self.conns: set[socket.socket] = set()
        self.threads: set[threading.Thread] = set()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away is no error; anything else is printed."""
        if not isinstance(sys.exc_info()[1], _GONE):
            super().handle_error(request, client_address)

    def cut_connections(self) -> None:
        """Shut every open connection (unblocks handlers reading or writing)."""
        with self.lock:
            conns = list(self.conns)
        for conn in conns:
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.conns.add(self.connection)
            self.server.threads.add(threading.current_thread())

    def finish(self) -> None:
        with suppress(_GONE):
            super().finish()
        with self.server.lock:
            self.server.conns.discard(self.connection)
            self.server.threads.discard(threading.current_thread())

    def log_message(self, format: str, *args: Any) -> None:
        """Silent (the server keeps its own log)."""

    def _serve(self) -> None:
        hs = self.server.hostile
        try:
            status, headers, body = hs.scenario.handle(
                self.command, self.path, hs.base_url, dict(self.headers.items())
            )
        except Exception as exc:  # a scenario bug: answer 500, log it, print it
            traceback.print_exc()
            status, headers, body = 500, {"Content-Type": "text/plain"}, repr(exc).encode()
        headers = dict(headers)
        declared = next((headers.pop(k) for k in list(headers) if k.lower() == "content-length"),
                        None)
        stream = not isinstance(body, bytes | bytearray)
        chunked = stream and declared is None and status not in (204, 304)
        if not stream and declared is None and status != 304:
            declared = str(len(body))
        if declared is not None:
            headers["Content-Length"] = declared
        if chunked:
            headers["Transfer-Encoding"] = "chunked"
        entry = hs.log(self, status, headers)  # logged before answering
        chunks: Iterable[bytes] = [bytes(body)] if not stream else body  # type: ignore[arg-type]
        try:
            self.send_response_only(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if self.command == "HEAD" or status == 304:
                entry["done"] = True  # no body to send
                return
            self._write(chunks, chunked, entry, None if declared is None else int(declared))
        except _GONE as exc:
            entry["error"] = type(exc).__name__
            self.close_connection = True
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    def _write(self, chunks: Iterable[bytes], chunked: bool, entry: dict[str, Any],
               length: int | None) -> None:
        """Write the body chunk by chunk, stopping (connection closed) if the server stops.

        The log entry is updated before each write and rolled back if it fails, so that a
        client holding the whole answer finds ``bytes`` and ``done`` already right."""
        stop = self.server.hostile.scenario.stop
        for chunk in chunks:
            if stop.is_set():
                break
            if not chunk:
                continue
            entry["bytes"] += len(chunk)
            entry["done"] = not chunked and length is not None and entry["bytes"] >= length
            try:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
            except _GONE:
                entry["bytes"] -= len(chunk)
                entry["done"] = False
                raise
        if stop.is_set():
            entry["done"] = False
            self.close_connection = True
            return
        if chunked:
            entry["done"] = True
            try:
                self.wfile.write(b"0\r\n\r\n")
            except _GONE:
                entry["done"] = False
                raise
        elif length is not None and entry["bytes"] != length:
            self.close_connection = True  # a lying length: the connection is unusable
        entry["done"] = entry["done"] or length == 0

    do_GET = _serve
    do_HEAD = _serve


@dataclass
class HostileServer:
    """Handle returned by serve_hostile()."""

    scenario: Scenario
    base_url: str
    port: int
    httpd: _HTTPServer
    #: one dict per request, appended before the answer goes out: time, method, path,
    #: status, bytes (body bytes written so far, without chunk framing; a chunk counts as its
    #: write starts and is taken back if the write fails), done (the body went out whole, as
    #: its Content-Length or final chunk frames it), error (the OSError's name when the client
    #: went away), request_headers, response_headers (those of interest)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def log(self, handler: BaseHTTPRequestHandler, status: int,
            headers: dict[str, str]) -> dict[str, Any]:
        """Append (and return) the log entry of one request."""
        entry: dict[str, Any] = {
            "time": time.time(),
            "method": handler.command,
            "path": handler.path,
            "status": status,
            "bytes": 0,
            "done": False,
            "request_headers": {k: handler.headers[k] for k in REQUEST_HEADERS
                                if k in handler.headers},
            "response_headers": {k: v for k, v in headers.items() if k in RESPONSE_HEADERS},
        }
        self.requests.append(entry)  # list.append is atomic
        return entry

    def paths(self) -> list[str]:
        """The requested paths, in order."""
        return [r["path"] for r in list(self.requests)]


@contextmanager
def serve_hostile(
    scenario: str | Scenario, host: str = "127.0.0.1", port: int = 0, **options: Any
) -> Iterator[HostileServer]:
    """Serve ``scenario`` (a SCENARIOS name, built with ``options``, or an instance) until the
    with-block ends; then stop at once, cutting downloads in progress."""
    if isinstance(scenario, str):
        if scenario not in SCENARIOS:
            raise KeyError(f"unknown scenario {scenario!r}; known: {', '.join(SCENARIOS)}")
        scenario = SCENARIOS[scenario](**options)
    elif options:
        raise TypeError("options are for a scenario given by name")
    scenario.stop.clear()
    httpd = _HTTPServer((host, port), _Handler)
    real_port = httpd.server_address[1]
    hs = HostileServer(scenario, f"http://{host}:{real_port}", real_port, httpd)
    httpd.hostile = hs
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                              name=f"hostile-{scenario.name}", daemon=True)
    thread.start()
    try:
        yield hs
    finally:
        scenario.stop.set()
        httpd.shutdown()
        httpd.server_close()
        httpd.cut_connections()
        deadline = time.monotonic() + STOP_TIMEOUT
        thread.join(timeout=STOP_TIMEOUT)
        with httpd.lock:
            threads = list(httpd.threads)
        for t in threads:
            t.join(timeout=max(0.0, deadline - time.monotonic()))
        scenario.close()
