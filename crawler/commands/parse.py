"""``scrapy parse`` for any page of the site given: the spider's site follows the URL.

Replaces Scrapy's ``parse`` command (``COMMANDS_MODULE``). A spider with an
``args_for_url(url, spargs)`` class method (``timesca``: without ``-a base_url``, the site
is the URL's scheme, host and port) is created with the arguments it returns; a URL off
the site of an explicit ``-a base_url`` is said in one line (the offsite filter would drop
it without a word) and the command exits 1. Like every command but ``crawl``, it never
changes ``OUTPUT_DIR`` (``WRITE_OUTPUT``, see :func:`crawler.config.writes_output`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.commands.parse import Command as ScrapyParseCommand

from crawler.urls import same_site

if TYPE_CHECKING:
    import argparse

    from scrapy import Request, Spider

logger = logging.getLogger(__name__)


def netloc(url: str) -> str:
    """Host and port of ``url`` ("?" when it has none)."""
    return urlsplit(url).netloc or "?"


class Command(ScrapyParseCommand):
    def set_spidercls(self, url: str, opts: argparse.Namespace) -> None:
        super().set_spidercls(url, opts)
        args_for_url = getattr(self.spidercls, "args_for_url", None)
        if callable(args_for_url):
            opts.spargs = args_for_url(url, dict(opts.spargs))

    def prepare_request(self, spider: Spider, request: Request,
                        opts: argparse.Namespace) -> Request:
        site = getattr(spider, "base_url", None)
        if isinstance(site, str) and not same_site(request.url, site):
            logger.error("Offsite: %s is on %s, not on the spider's site %s (-a base_url=%s), "
                         "so the spider drops it; leave -a base_url out to parse a page of "
                         "any site", request.url, netloc(request.url), netloc(site), site)
            self.exitcode = 1
        return super().prepare_request(spider, request, opts)
