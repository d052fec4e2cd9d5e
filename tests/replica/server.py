"""A ThreadingHTTPServer in a daemon thread serving a ReplicaSite.

It also answers as a plain-HTTP forward proxy would: a request whose target is in absolute
form (``GET http://www.timesca.test/latest/ HTTP/1.1``, what a client configured with
``http_proxy=<base_url>`` sends) is served for that URL's host, so a crawl of a host name
that does not resolve (``www.timesca.test``) can be routed to the replica on loopback.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from .pages import ReplicaSite

_DEFAULT_PORTS = {"http": 80, "https": 443}


def split_target(target: str) -> tuple[str | None, str]:
    """``(origin, path)`` of a request target: the origin (``http://host[:port]``, lower
    case, default port left out) of an absolute-form target (RFC 9112 3.2.2, sent to a
    proxy) or None for an origin-form one, and the path with its query string."""
    if target.startswith("/") or "://" not in target:
        return None, target
    parts = urlsplit(target)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return f"{scheme}://{netloc}", path


def make_handler(
    site: ReplicaSite,
    base_url_ref: list[str],
    site_url: str | None = None,
    urls: list[str] | None = None,
) -> type[BaseHTTPRequestHandler]:
    """Request handler class bound to ``site``.

    Pages are rendered for ``site_url`` when given (every link, canonical and og:url on
    that host, whichever host the request named), else for the origin of an absolute-form
    target, else for ``base_url_ref[0]``. The absolute URL of every request is appended to
    ``urls``; the site's request log gets the path (with query) only.
    """
    fixed = site_url.rstrip("/") if site_url else None

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "nginx"
        sys_version = ""
        # headers and body go out in two writes: with Nagle's algorithm on, a client reusing
        # its connection (Scrapy, urllib3) would wait ~40 ms for each response's body
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            origin, path = split_target(self.path)
            if urls is not None:
                urls.append(f"{origin or base_url_ref[0]}{path}")
            base = fixed or origin or base_url_ref[0]
            status, headers, body = site.handle(self.command, path, base,
                                                headers=dict(self.headers.items()))
            # logged before answering, so a client that has its answer finds it in the log
            site.log_request(
                self.command, path, status, len(body), self.headers.get("User-Agent", "")
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
    #: the base URL every page is rendered for, if serve() was given one
    site_url: str | None = None
    #: the absolute URL of every request, in arrival order
    urls: list[str] = field(default_factory=list)

    @property
    def requests(self) -> list[dict[str, Any]]:
        """The request log."""
        return self.site.requests

    @property
    def proxy_url(self) -> str:
        """The server as an HTTP proxy (``http_proxy=...``): absolute-form requests for any
        host name are answered by the replica, rendered for that host (or ``site_url``)."""
        return self.base_url

    @property
    def hosts(self) -> set[str]:
        """The host names requests were addressed to."""
        return {urlsplit(u).hostname or "" for u in self.urls}


@contextmanager
def serve(
    site: ReplicaSite, host: str = "127.0.0.1", port: int = 0, site_url: str | None = None
) -> Iterator[RunningServer]:
    """Serve ``site`` until the with-block ends.

    ``site_url`` (e.g. ``http://timesca.test``) is the site's own address, as WordPress's
    "siteurl" option: every page links, and names as canonical, URLs on it, whichever host
    a request was addressed to (the site answers on any, without redirecting).
    """
    ref = ["http://127.0.0.1"]
    urls: list[str] = []
    httpd = ThreadingHTTPServer((host, port), make_handler(site, ref, site_url, urls))
    httpd.daemon_threads = True
    real_port = httpd.server_address[1]
    ref[0] = f"http://{host}:{real_port}"
    thread = threading.Thread(target=httpd.serve_forever, name="replica-http", daemon=True)
    thread.start()
    try:
        yield RunningServer(site, httpd, ref[0], site_url.rstrip("/") if site_url else None,
                            urls)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
