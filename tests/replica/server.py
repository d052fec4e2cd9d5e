"""A ThreadingHTTPServer in a daemon thread serving a ReplicaSite."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .pages import ReplicaSite


def make_handler(site: ReplicaSite, base_url_ref: list[str]) -> type[BaseHTTPRequestHandler]:
    """Request handler class bound to ``site``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "nginx"
        sys_version = ""
        # headers and body go out in two writes: with Nagle's algorithm on, a client reusing
        # its connection (Scrapy, urllib3) would wait ~40 ms for each response's body
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            status, headers, body = site.handle(self.command, self.path, base_url_ref[0],
                                                headers=dict(self.headers.items()))
            # logged before answering, so a client that has its answer finds it in the log
            site.log_request(
                self.command, self.path, status, len(body), self.headers.get("User-Agent", "")
            )
            self.send_response_only(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if status != 304:  # a 304 has no body (and so no Content-Length of one)
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and status != 304:
                self.wfile.write(body)

        do_GET = _serve
        do_HEAD = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Silence stderr logging (the site keeps its own log)."""

    return Handler


@dataclass
class RunningServer:
    """Handle returned by serve()."""

    site: ReplicaSite
    httpd: ThreadingHTTPServer
    base_url: str

    @property
    def requests(self) -> list[dict[str, Any]]:
        """The request log."""
        return self.site.requests


@contextmanager
def serve(site: ReplicaSite, host: str = "127.0.0.1", port: int = 0) -> Iterator[RunningServer]:
    """Serve ``site`` until the with-block ends."""
    ref = ["http://127.0.0.1"]
    httpd = ThreadingHTTPServer((host, port), make_handler(site, ref))
    httpd.daemon_threads = True
    real_port = httpd.server_address[1]
    ref[0] = f"http://{host}:{real_port}"
    thread = threading.Thread(target=httpd.serve_forever, name="replica-http", daemon=True)
    thread.start()
    try:
        yield RunningServer(site, httpd, ref[0])
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
