"""Nothing disappears without a row: an error on one page or item becomes a reject.

- :class:`CallbackErrors`, a spider middleware: an exception in a spider callback (a
  parser meeting markup it cannot handle, 1,500 nested elements) is a ``rejects`` row of
  kind ``extraction`` with the page's URL and the error; the crawl goes on.
- :func:`rejecting`, for an item pipeline's ``process_item``: an exception becomes a
  ``rejects`` row of kind ``pipeline`` passed on in place of the item.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from itemadapter import ItemAdapter
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    DropItem,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived
from twisted.web.http import _DataLoss

from crawler.items import RejectItem, now_text

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def error_text(exc: BaseException) -> str:
    """``TypeName: message``, at most 500 characters."""
    message = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {message}"[:500]


class OffsiteRedirect(IgnoreRequest):
    """A redirect (HTTP or ``<meta refresh>``) to another host or port: not followed."""


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL of its own chain: not followed."""


#: exception classes of a failed download -> the kind counted in ``errors/<kind>``;
#: the first match wins (Scrapy's own classes, then Twisted's that it passes through)
_KINDS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((OffsiteRedirect,), "offsite_redirect"),
    ((RedirectLoop,), "redirect_loop"),
    ((DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError), "timeout"),
    ((CannotResolveHostError, net.DNSLookupError), "dns"),
    ((DownloadConnectionRefusedError, net.ConnectionRefusedError), "connection_refused"),
    ((ResponseDataLossError, _DataLoss), "data_loss"),
    ((net.ConnectionLost,), "connection_lost"),
    # a download is cancelled when it grows past DOWNLOAD_MAXSIZE (decompressed too)
    ((DownloadCancelledError, CancelledError), "too_large"),
    ((DownloadFailedError, ResponseFailed, ResponseNeverReceived), "response_failed"),
)


def failure_kind(failure: Failure) -> tuple[str, str, int | None]:
    """(stats kind, human reason, HTTP status or None) of a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}", f"HTTP {status}", status
    name = type(exc).__name__
    detail = str(exc) or name
    kind = next((k for types, k in _KINDS if isinstance(exc, types)), None)
    if isinstance(exc, ResponseFailed) and any(r.check(_DataLoss) for r in exc.reasons):
        kind = "data_loss"
    if kind is None and isinstance(exc, IgnoreRequest):
        # Scrapy's own refusals say why only in their message
        lower = detail.lower()
        kind = ("robots_forbidden" if "robots.txt" in lower else
                "redirect_loop" if "max redirections" in lower else
                "too_large" if "max size" in lower or "maxsize" in lower else "ignored")
    kind = kind or name.lower()
    if kind == "data_loss" and detail == name:
        detail = "the connection closed before the response's Content-Length was read"
    if kind == "too_large":
        detail = ("response larger than DOWNLOAD_MAXSIZE (once decompressed too), download "
                  f"cancelled: {detail}")
    return kind, f"{name}: {detail}"[:500], None


def reject_of(url: str, kind: str, reason: str) -> RejectItem:
    """A reject recorded now."""
    return RejectItem(url=url, kind=kind, reason=reason,
                      recorded_at=now_text())


class CallbackErrors:
    """An exception in a spider callback becomes a reject row (stats ``item_errors/callback``)."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CallbackErrors:
        return cls(crawler.stats)

    def process_spider_exception(self, response: Response, exception: Exception,
                                 ) -> Iterable[Any] | None:
        if isinstance(exception, HttpError):
            return None  # the request's errback and HttpErrorMiddleware deal with these
        self.stats.inc_value("item_errors/callback")
        logger.error("Could not read %s: %s", response.url, error_text(exception),
                     exc_info=logger.isEnabledFor(logging.DEBUG))
        return [reject_of(response.url, "extraction",
                          f"error reading the page: {error_text(exception)}")]


def url_of(item: Any) -> str:
    """The URL an item is about (its url, else the page it was fetched from), or ""."""
    try:
        adapter = ItemAdapter(item)
        return str(adapter.get("url") or adapter.get("fetched_url") or
                   adapter.get("page_url") or "")
    except TypeError:  # not an item type itemadapter knows
        return str(getattr(item, "url", "") or getattr(item, "page_url", "") or "")


def rejecting(process_item: F) -> F:
    """Decorate an item pipeline's ``process_item``: an exception (a ``DropItem`` aside)
    becomes a reject of kind ``pipeline`` naming the pipeline and the error, returned in
    place of the item (stats ``item_errors/pipeline``)."""
    @functools.wraps(process_item)
    def wrapper(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return process_item(self, item, *args, **kwargs)
        except DropItem:
            raise
        except Exception as exc:
            if isinstance(item, RejectItem):  # a reject that cannot be handled: say so
                raise
            url = url_of(item)
            name = type(self).__name__
            self.stats.inc_value("item_errors/pipeline")
            logger.error("%s failed on %s: %s", name, url or type(item).__name__,
                         error_text(exc), exc_info=logger.isEnabledFor(logging.DEBUG))
            return reject_of(url, "pipeline", f"{name}: {error_text(exc)}")
    return wrapper  # type: ignore[return-value]
