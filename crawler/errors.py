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
from datetime import UTC, datetime
from typing import Any, TypeVar

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.items import RejectItem

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def error_text(exc: BaseException) -> str:
    """``TypeName: message``, at most 500 characters."""
    message = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {message}"[:500]


def reject_of(url: str, kind: str, reason: str) -> RejectItem:
    """A reject recorded now."""
    return RejectItem(url=url, kind=kind, reason=reason,
                      recorded_at=datetime.now(UTC).isoformat(timespec="seconds"))


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


def _url_of(item: Any) -> str:
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
            url = _url_of(item)
            name = type(self).__name__
            self.stats.inc_value("item_errors/pipeline")
            logger.error("%s failed on %s: %s", name, url or type(item).__name__,
                         error_text(exc), exc_info=logger.isEnabledFor(logging.DEBUG))
            return reject_of(url, "pipeline", f"{name}: {error_text(exc)}")
    return wrapper  # type: ignore[return-value]
