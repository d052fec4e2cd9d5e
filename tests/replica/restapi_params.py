"""Query parameters of the replica's REST API, parsed and validated as WordPress core does:
PHP's $_GET parsing, rest_validate_value_from_schema()'s messages, add_query_arg()'s rebuild,
and the global ``_fields`` / ``_embed`` parameters."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from .model import SITE_TZ

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:\d{2})?)?$")


class RestError(Exception):
    """A WP_Error answered as JSON."""

    def __init__(self, code: str, message: str, status: int, **data: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status
        self.data: dict[str, Any] = {"status": status, **data}

    def body(self) -> dict[str, Any]:
        """The error as core serializes it."""
        return {"code": self.code, "message": self.message, "data": self.data}


# ---------------------------------------------------------------------- query strings
def php_query(query: str) -> dict[str, Any]:
    """Parse a query string as PHP fills $_GET: ``a[b]=1`` nests, ``a[]=1`` appends, the
    last of repeated plain keys wins. A PHP list comes back as a Python list."""
    out: dict[str, Any] = {}
    for pair in query.split("&"):
        if not pair:
            continue
        raw_key, _, raw_val = pair.partition("=")
        key, val = unquote_plus(raw_key), unquote_plus(raw_val)
        m = re.match(r"^([^\[]+)((?:\[[^\]]*\])*)$", key)
        if not m or not m.group(2):
            out[key] = val
            continue
        node, name = out, m.group(1)
        subs = re.findall(r"\[([^\]]*)\]", m.group(2))
        for sub in subs:
            if not isinstance(node.get(name), dict):
                node[name] = {}
            node = node[name]
            name = sub if sub else str(sum(1 for k in node if k.isdigit()))
        node[name] = val
    return _lists(out)


def _lists(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    value = {k: _lists(v) for k, v in value.items()}
    if value and all(k.isdigit() for k in value):
        return list(value.values())
    return value


def build_query(params: dict[str, Any] | list[Any], prefix: str = "") -> str:
    """add_query_arg()'s rebuild: values urlencode()d, nested keys as ``a%5Bb%5D``."""
    pairs = params.items() if isinstance(params, dict) else enumerate(params)
    parts = []
    for k, v in pairs:
        key = f"{prefix}%5B{k}%5D" if prefix else str(k)
        if isinstance(v, dict | list):
            parts.append(build_query(v, key))
        else:
            parts.append(f"{key}={quote_plus(str(v), safe='').replace('~', '%7E')}")
    return "&".join(p for p in parts if p)


def wp_list_l(items: list[str] | tuple[str, ...]) -> str:
    """wp_sprintf()'s %l: 'a and b', 'a, b, and c'."""
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


# ---------------------------------------------------------------------- parameters
class Params:
    """A request's query parameters, validated as core's rest_validate_value_from_schema()
    does; every invalid one is collected, then raise_invalid() answers them all at once."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.invalid: dict[str, tuple[str, str, dict[str, Any] | None]] = {}

    def bad(self, name: str, code: str, message: str, data: dict[str, Any] | None = None) -> None:
        """Record an invalid parameter."""
        self.invalid.setdefault(name, (code, message, data))

    def raise_invalid(self) -> None:
        """400 rest_invalid_param listing every invalid parameter."""
        if self.invalid:
            raise RestError(
                "rest_invalid_param",
                f"Invalid parameter(s): {', '.join(self.invalid)}",
                400,
                params={k: v[1] for k, v in self.invalid.items()},
                details={k: {"code": v[0], "message": v[1], "data": v[2]}
                         for k, v in self.invalid.items()},
            )

    @staticmethod
    def as_int(value: Any) -> int | None:
        """rest_is_integer(): a numeric string with an integral value."""
        if not isinstance(value, str) or "_" in value:
            return None
        try:
            f = float(value.strip())
        except ValueError:
            return None
        return int(f) if math.isfinite(f) and f == int(f) else None

    def integer(self, name: str, default: int | None, lo: int | None = None,
                hi: int | None = None) -> int | None:
        """An integer parameter with optional bounds."""
        if name not in self.raw:
            return default
        n = self.as_int(self.raw[name])
        if n is None:
            self.bad(name, "rest_invalid_type", f"{name} is not of type integer.", {"param": name})
            return default
        if lo is not None and hi is not None and not lo <= n <= hi:
            self.bad(name, "rest_out_of_bounds",
                     f"{name} must be between {lo} (inclusive) and {hi} (inclusive)")
            return default
        if lo is not None and n < lo:
            self.bad(name, "rest_out_of_bounds", f"{name} must be greater than or equal to {lo}")
            return default
        return n

    @staticmethod
    def parse_list(value: Any) -> list[Any]:
        """wp_parse_list(): a comma/space separated string or a list."""
        if isinstance(value, list):
            return value
        if isinstance(value, str):
            return [v for v in re.split(r"[\s,]+", value) if v]
        return [value]

    def ids(self, name: str, value: Any = None) -> list[int] | None:
        """An array of integers (``include=1,2``, ``include[]=1&include[]=2``)."""
        value = self.raw.get(name) if value is None else value
        if value is None:
            return None
        if isinstance(value, dict):
            self.bad(name, "rest_invalid_type", f"{name} is not of type array.", {"param": name})
            return None
        out = []
        for i, item in enumerate(self.parse_list(value)):
            n = self.as_int(item)
            if n is None:
                self.bad(name, "rest_invalid_type", f"{name}[{i}] is not of type integer.",
                         {"param": f"{name}[{i}]"})
                return None
            out.append(n)
        return out

    def strings(self, name: str) -> list[str] | None:
        """An array of strings (``slug=a,b``)."""
        if name not in self.raw:
            return None
        return [str(v) for v in self.parse_list(self.raw[name])]

    def enum(self, name: str, choices: tuple[str, ...], default: str) -> str:
        """A string that must be one of ``choices``."""
        value = self.raw.get(name, default)
        if value not in choices:
            self.bad(name, "rest_not_in_enum",
                     f"{name} is not one of {wp_list_l([str(c) for c in choices])}.")
            return default
        return value

    def boolean(self, name: str) -> bool | None:
        """rest_is_boolean() / rest_sanitize_boolean()."""
        if name not in self.raw:
            return None
        value = self.raw[name]
        if not isinstance(value, str) or value.lower() not in ("true", "false", "1", "0"):
            self.bad(name, "rest_invalid_type", f"{name} is not of type boolean.", {"param": name})
            return None
        return value.lower() in ("true", "1")

    def date(self, name: str) -> datetime | None:
        """A date-time (rest_parse_date()), read as WP_Date_Query does: an offset is
        honoured, none means site time; compared to the second."""
        if name not in self.raw:
            return None
        value = self.raw[name]
        if not isinstance(value, str) or not _DATE.match(value):
            self.bad(name, "rest_invalid_date", "Invalid date.")
            return None
        text = value.replace("t", "T").replace(" ", "T").replace("Z", "+00:00")
        if re.search(r"[+-]\d{2}$", text):
            text += ":00"
        dt = datetime.fromisoformat(text)
        dt = dt.replace(tzinfo=SITE_TZ) if dt.tzinfo is None else dt.astimezone(SITE_TZ)
        return dt.replace(microsecond=0)

    def terms(self, name: str, hierarchical: bool) -> tuple[list[int], bool, str] | None:
        """A taxonomy filter: ``categories=1,2`` (a Term ID List) or ``categories[terms]=1&
        categories[include_children]=1&categories[operator]=AND`` (a Term ID Taxonomy Query).
        Returns (term ids, include_children, operator)."""
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, dict):
            probe = Params({name: value})
            ids = probe.ids(name)
            if ids is None:
                reason = probe.invalid[name][1]
                self.bad(name, "rest_no_matching_schema",
                         f"{name} is not a valid Term ID List. Reason: {reason}", {"position": 0})
                return None
            return ids, False, "IN"
        allowed = ("terms", "include_children", "operator") if hierarchical else (
            "terms", "operator")
        extra = next((k for k in value if k not in allowed), None)
        probe = Params(value)
        ids = probe.ids("terms") or []
        children = bool(probe.boolean("include_children")) if hierarchical else False
        operator = probe.enum("operator", ("AND", "OR"), "OR")
        if extra is not None or probe.invalid:
            reason = (f"{extra} is not a valid property of Object." if extra is not None
                      else next(iter(probe.invalid.values()))[1])
            self.bad(name, "rest_no_matching_schema",
                     f"{name} is not a valid Term ID Taxonomy Query. Reason: {reason}",
                     {"position": 1})
            return None
        return ids, children, "AND" if operator == "AND" else "IN"


# ---------------------------------------------------------------------- global parameters
def parse_embed(value: Any) -> bool | list[str]:
    """rest_parse_embed_param(): True (all links) or a list of link relations."""
    if not value or value in ("true", "1"):
        return True
    rels = Params.parse_list(value)
    return [str(r) for r in rels] if rels else True


def _fields_tree(value: Any) -> dict[str, Any] | None:
    fields = [str(f).strip() for f in Params.parse_list(value)] if value else []
    if not fields:
        return None
    tree: dict[str, Any] = {}
    for f in fields:
        ref, parts = tree, f.split(".")
        for part in parts[:-1]:
            if ref.get(part) is True:
                break
            ref = ref.setdefault(part, {})
        else:
            ref[parts[-1]] = True
    return tree


def _intersect(data: Any, tree: dict[str, Any]) -> Any:
    out = {}
    for k, v in data.items():
        if k in tree:
            out[k] = _intersect(v, tree[k]) if isinstance(v, dict) and isinstance(
                tree[k], dict) else v
    return out


def filter_fields(data: Any, value: Any) -> Any:
    """rest_filter_response_fields(): keep the ``_fields`` (``title.rendered`` nests)."""
    tree = _fields_tree(value)
    if tree is None:
        return data
    if isinstance(data, list):
        return [_intersect(item, tree) if isinstance(item, dict) else item for item in data]
    return _intersect(data, tree) if isinstance(data, dict) else data


def links_wanted(value: Any) -> bool:
    """rest_is_field_included('_links' or '_embedded', _fields): links are prepared."""
    tree = _fields_tree(value)
    return tree is None or "_links" in tree or "_embedded" in tree
