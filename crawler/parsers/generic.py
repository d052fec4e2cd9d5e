"""The generic body extractor: trafilatura, the field's reference, on a copy of the page.

Used where no standard signal gives a body and to cross-check one that looks wrong
(:mod:`crawler.parsers.body`). Its result is rendered by :func:`blocks.render_extracted`,
so a body reads the same whichever source supplied it.
"""

from __future__ import annotations

import copy
import logging

from lxml import etree
from trafilatura import bare_extraction

from .blocks import Block, render_extracted

# trafilatura reports every page it finds too short or too noisy at INFO/DEBUG; a crawl's
# log keeps the project's own lines (the cross-check's outcome is counted in the stats)
logging.getLogger("trafilatura").setLevel(logging.WARNING)
logging.getLogger("htmldate").setLevel(logging.WARNING)


def generic_blocks(page: str | etree._Element, url: str | None) -> list[Block]:
    """The article text trafilatura finds in ``page``: its HTML text (trafilatura parses it
    its own way, which it is tuned for), or else an element of its tree (the tree is not
    changed: trafilatura prunes a copy). Empty when it finds none."""
    if isinstance(page, str):
        source: str | etree._Element = page
    else:
        source = copy.deepcopy(page.getroottree().getroot())
    try:
        document = bare_extraction(source, url=url, include_comments=False, include_tables=True,
                                   with_metadata=False)
    except (ValueError, TypeError, AttributeError, etree.LxmlError):  # a page it cannot read
        return []
    body = getattr(document, "body", None)
    if body is None:
        return []
    return render_extracted(body)
