"""JSON-LD helpers: tolerant parsing, Yoast ``@graph`` flattening, ``@id`` resolution."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from parsel import Selector

from .text import normalize_ws

#: schema.org types treated as "the article" of a page.
ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "BlogPosting", "ReportageNews", "AnalysisNewsArticle",
    "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "AskPublicNewsArticle",
    "SatiricalArticle", "ScholarlyArticle", "TechArticle", "Report", "LiveBlogPosting",
    "SocialMediaPosting", "DiscussionForumPosting", "Posting", "MedicalScholarlyArticle",
})
WEBPAGE_TYPES = frozenset({
    "WebPage", "ItemPage", "AboutPage", "CollectionPage", "ProfilePage", "SearchResultsPage",
    "ContactPage", "MediaGallery",
})

_SITE_TYPES = frozenset({"WebSite", "Organization", "NewsMediaOrganization"})
_COMMENTS = re.compile(r"(?://\s*)?(?:<!\[CDATA\[|\]\]>|<!--|-->)")
_COMMENT_MARKS = ("<![CDATA[", "]]>", "<!--", "-->")  # what _COMMENTS needs to match
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def loads_lenient(raw: str) -> Any | None:
    """Parse one ld+json block; tolerate HTML comments, CDATA, control chars, trailing commas."""
    text = raw or ""
    if any(mark in text for mark in _COMMENT_MARKS):
        text = _COMMENTS.sub("", text)
    text = text.strip().rstrip(";").strip()
    if not text:
        return None
    for candidate in (text, _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))):
        try:
            return json.loads(candidate, strict=False)
        except ValueError:
            continue
    return None


def type_names(node: Any) -> set[str]:
    """The node's @type values without a schema.org prefix."""
    if not isinstance(node, dict):
        return set()
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values if v}


def _walk(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, dict):
        yield obj
        for value in obj.values():
            yield from _walk(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _walk(value)


def _top_nodes(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, list):
        for item in obj:
            yield from _top_nodes(item)
    elif isinstance(obj, dict):
        if "@graph" in obj:
            if obj.get("@type"):
                yield obj
            yield from _top_nodes(obj["@graph"])
        else:
            yield obj


@dataclass
class JsonLd:
    """All JSON-LD of a page: top-level nodes (graphs flattened) and an ``@id`` index."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    index: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: number of blocks that could not be parsed at all.
    broken: int = 0
    #: a block is Yoast SEO's graph (its keywords are the post's tags; see :func:`is_yoast`).
    yoast: bool = False

    @classmethod
    def from_selector(cls, sel: Selector) -> JsonLd:
        """Collect every ``<script type="application/ld+json">`` of the page."""
        return cls.from_scripts(script.root for script in sel.xpath(
            "//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]"))

    @classmethod
    def from_scripts(cls, scripts: Iterable[etree._Element]) -> JsonLd:
        """Collect the given ld+json ``<script>`` elements (see :func:`is_ld_json`)."""
        out = cls()
        for script in scripts:
            data = loads_lenient("".join(script.xpath("text()")))
            if data is None:
                out.broken += 1
                continue
            out.yoast = out.yoast or is_yoast(data, script.get("class", ""))
            out.nodes.extend(_top_nodes(data))
            for node in _walk(data):
                node_id = node.get("@id")
                known = out.index.get(node_id) if isinstance(node_id, str) else None
                if isinstance(node_id, str) and len(node) > max(1, len(known or ())):
                    out.index[node_id] = node
        return out

    def resolve(self, value: Any) -> Any:
        """Replace a bare ``{"@id": …}`` reference by the node it names (when known)."""
        if isinstance(value, dict) and "@id" in value:
            target = self.index.get(str(value["@id"]))
            if target is not None:
                merged = dict(target)
                merged.update({k: v for k, v in value.items() if k != "@id" and v})
                return merged
        return value

    def first_of_types(self, wanted: frozenset[str]) -> list[dict[str, Any]]:
        """Top-level nodes (and nested ones as fallback) having one of ``wanted`` types."""
        top = [n for n in self.nodes if type_names(n) & wanted]
        if top:
            return top
        seen: list[dict[str, Any]] = []
        for node in self.nodes:
            for sub in _walk(node):
                if type_names(sub) & wanted and sub not in seen:
                    seen.append(sub)
        return seen

    def article(self) -> dict[str, Any] | None:
        """The Article-like node (one with a headline preferred)."""
        found = self.first_of_types(ARTICLE_TYPES)
        if not found:
            found = [n for n in self.nodes
                     if any(t.endswith(("Article", "Posting")) for t in type_names(n))]
        for node in found:
            if node.get("headline") or node.get("name"):
                return node
        return found[0] if found else None

    def webpage(self) -> dict[str, Any] | None:
        """The WebPage node the article belongs to, else the first WebPage node."""
        art = self.article()
        if art:
            for key in ("mainEntityOfPage", "isPartOf"):
                ref = self.resolve(art.get(key))
                if isinstance(ref, dict) and type_names(ref) & WEBPAGE_TYPES:
                    return ref
        pages = self.first_of_types(WEBPAGE_TYPES)
        return pages[0] if pages else None

    def site_names(self) -> list[str]:
        """Names of WebSite / Organization nodes (to strip title suffixes)."""
        out = []
        for node in self.first_of_types(_SITE_TYPES):
            for key in ("name", "alternateName"):
                value = node.get(key)
                if isinstance(value, str) and value.strip():
                    out.append(normalize_ws(value))
        return out

    def names(self, value: Any) -> list[str]:
        """Names from a Person/Organization value: string, node, reference, or a list of them."""
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for item in items:
            item = self.resolve(item)
            if isinstance(item, str):
                name = item
            elif isinstance(item, dict):
                name = item.get("name") or ""
                if isinstance(name, list):
                    name = name[0] if name else ""
            else:
                continue
            name = normalize_ws(str(name))
            if name and not name.startswith(("http://", "https://")) and name not in out:
                out.append(name)
        return out

    def image_url(self, value: Any) -> str | None:
        """URL from an image value: string, ImageObject, reference, or a list of them."""
        items = value if isinstance(value, list) else [value]
        for item in items:
            item = self.resolve(item)
            if isinstance(item, str) and item.strip():
                return item.strip()
            if isinstance(item, dict):
                for key in ("url", "contentUrl"):
                    url = item.get(key)
                    if isinstance(url, str) and url.strip():
                        return url.strip()
        return None

    def strings(self, value: Any, *, split_commas: bool = False) -> list[str]:
        """A string or list of strings (e.g. articleSection, keywords) as a clean list."""
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for item in items:
            if isinstance(item, dict):
                item = item.get("name")
            if not isinstance(item, str):
                continue
            pieces = item.split(",") if split_commas else [item]
            for piece in pieces:
                piece = normalize_ws(piece)
                if piece and piece not in out:
                    out.append(piece)
        return out


_LD_JSON_FOLD = str.maketrans("LDJSON", "ldjson")


def is_ld_json(script: etree._Element) -> bool:
    """XPath ``contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')``."""
    return "ld+json" in (script.get("type") or "").translate(_LD_JSON_FOLD)


def is_yoast(data: Any, script_class: str = "") -> bool:
    """Is this JSON-LD block Yoast SEO's graph?

    By the script's class (``yoast-schema-graph``) or by the shape Yoast emits: an ``@graph``
    whose ids use Yoast's ``#/schema/`` paths (``/#/schema/person/…``, ``/#/schema/logo/…``)
    or whose Article ``@id`` ends in ``#article`` and points (isPartOf) at a WebPage whose
    ``@id`` is the bare page URL. Other plugins differ (Rank Math: ``#richSnippet``).
    """
    if "yoast-schema-graph" in script_class.split():
        return True
    if not isinstance(data, dict) or not isinstance(data.get("@graph"), list):
        return False
    ids = [str(n.get("@id")) for n in _walk(data["@graph"]) if isinstance(n.get("@id"), str)]
    if any("/#/schema/" in i for i in ids):
        return True
    for node in data["@graph"]:
        if not isinstance(node, dict) or not type_names(node) & ARTICLE_TYPES:
            continue
        part = url_value(node.get("isPartOf"))
        if str(node.get("@id", "")).endswith("#article") and part and "#" not in part:
            return True
    return False


def text_value(value: Any) -> str | None:
    """A plain string value (first of a list), whitespace-normalized; None otherwise."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = normalize_ws(value)
        return value or None
    return None


def url_value(value: Any) -> str | None:
    """A URL given as a string or a node with @id/url."""
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
