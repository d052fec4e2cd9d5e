"""HTML helpers that mimic WordPress output (wptexturize entities, esc_attr, dates)."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime

_ENTITIES = {
    "’": "&#8217;",
    "‘": "&#8216;",
    "“": "&#8220;",
    "”": "&#8221;",
    "—": "&#8212;",
    "–": "&#8211;",
    "…": "&#8230;",
    "\u00a0": "&nbsp;",
}


def texturize(text: str) -> str:
    """Escape text for HTML the way WordPress content looks: numeric entities for typography."""
    out = html.escape(text, quote=False)
    for ch, ent in _ENTITIES.items():
        out = out.replace(ch, ent)
    return out


def attr(text: str) -> str:
    """esc_attr: escape &, <, >, quotes (WordPress uses &#039; for the apostrophe)."""
    return html.escape(text, quote=True).replace("&#x27;", "&#039;")


def esc(text: str) -> str:
    """esc_html."""
    return html.escape(text, quote=False)


def iso(dt: datetime) -> str:
    """ISO 8601 with offset, seconds precision (WordPress 'c' format)."""
    return dt.isoformat(timespec="seconds")


def iso_utc(dt: datetime) -> str:
    """ISO 8601 in UTC with +00:00 (what Yoast emits)."""
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def human_date(dt: datetime) -> str:
    """'January 10, 2025' (WordPress default date_format 'F j, Y')."""
    return f"{dt:%B} {dt.day}, {dt.year}"


def json_ld(data: object) -> str:
    """JSON as Yoast prints it: unescaped slashes and unicode, '</' made safe."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
