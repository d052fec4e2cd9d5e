"""Spider contracts of the project (``SPIDER_CONTRACTS``), for ``scrapy check``.

The ``timesca`` spider's callbacks say in their docstrings what a page of the site gives
(see docs/DEBUGGING.md). Their URLs are paths on the site the spider is given, so the same
contracts check the replica on any port or the live site::

    scrapy check timesca -a base_url=http://127.0.0.1:8000   # python -m tests.replica serve
    scrapy check timesca -a base_url=https://timesca.com      # the live site

- ``@site_url PATH``: the sample request's URL, ``PATH`` on the spider's site
  (``-a base_url``; without one, the check says what to pass instead of guessing);
- ``@items_of CLASS MIN [MAX]``: the callback yields MIN to MAX items of that class;
- ``@fields_of CLASS FIELD...``: each of them has every FIELD set (not None, not empty);
- ``@requests_to PATH MIN [MAX]``: MIN to MAX of its requests go to ``PATH`` on the site.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter, is_item
from scrapy import Request
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail


class NoSiteGiven(ValueError):
    """``scrapy check`` was not told which site to check."""


def _bounds(args: tuple[Any, ...], start: int) -> tuple[int, float]:
    low = int(args[start]) if len(args) > start else 1
    high = int(args[start + 1]) if len(args) > start + 1 else float("inf")
    return low, high


def _within(count: int, low: int, high: float, what: str) -> None:
    if not low <= count <= high:
        expected = f"{low}" if low == high else (f"{low}..{high}" if high != float("inf")
                                                 else f">= {low}")
        raise ContractFail(f"{what}: {count}, expected {expected}")


def _items_of(output: list[Any], name: str) -> list[Any]:
    return [x for x in output if is_item(x) and type(x).__name__ == name]


class SiteUrlContract(Contract):
    """``@site_url /path/``: the request goes to that path on the spider's site."""

    name = "site_url"

    def __init__(self, method: Callable[..., Any], *args: Any) -> None:
        super().__init__(method, *args)
        self.spider = getattr(method, "__self__", None)

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        spider = self.spider
        if spider is None or not getattr(spider, "base_url_given", False):
            raise NoSiteGiven(
                "scrapy check needs the site to check: pass -a base_url=URL, e.g. "
                "-a base_url=http://127.0.0.1:8000 (python -m tests.replica serve --port "
                "8000) or -a base_url=https://timesca.com (the live site)")
        args["url"] = f"{spider.base_url}/{self.args[0].lstrip('/')}"
        return args


class ItemsOfContract(Contract):
    """``@items_of ArticleItem 1 1``: how many items of one class the callback yields."""

    name = "items_of"

    def post_process(self, output: list[Any]) -> None:
        low, high = _bounds(self.args, 1)
        _within(len(_items_of(output, self.args[0])), low, high, f"{self.args[0]} items")


class FieldsOfContract(Contract):
    """``@fields_of ArticleItem title url``: those fields set in each item of the class."""

    name = "fields_of"

    def post_process(self, output: list[Any]) -> None:
        for item in _items_of(output, self.args[0]):
            adapter = ItemAdapter(item)
            empty = [f for f in self.args[1:] if adapter.get(f) in (None, "", [], ())]
            if empty:
                raise ContractFail(f"{self.args[0]} without {', '.join(empty)}: "
                                   f"{adapter.get('url') or adapter.asdict()}")


class RequestsToContract(Contract):
    """``@requests_to /latest/page/2/ 1 1``: how many requests go to a path of the site."""

    name = "requests_to"

    def post_process(self, output: list[Any]) -> None:
        path = self.args[0]
        count = sum(1 for x in output if isinstance(x, Request) and urlsplit(x.url).path == path)
        low, high = _bounds(self.args, 1)
        _within(count, low, high, f"requests to {path}")


__all__ = ["FieldsOfContract", "ItemsOfContract", "NoSiteGiven", "RequestsToContract",
           "SiteUrlContract"]
