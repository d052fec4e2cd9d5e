"""Optional Spidermon monitoring (docs/MONITORING.md): off unless ``SPIDERMON_ENABLED=1``.

:func:`enable`, called by the :class:`crawler.addons.Monitoring` add-on, checks that Spidermon
is installed and that the monitoring settings are usable (a ``ValueError`` naming the setting
otherwise, which the ``crawl`` command turns into exit code 2 before any request), then turns
on Spidermon's extension, the item validation of what the writer stores, and the project's
suite of monitors, with the defaults below; a value set in ``settings.py`` or with ``-s``
wins over them.

This module imports nothing from Spidermon: the project works without it installed. The
modules that do (:mod:`.monitors`, :mod:`.validation`) are loaded only once it is enabled.
"""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from crawler.config import boolean_setting
from crawler.monitoring.schemas import validation_schemas
from crawler.parsers.sources import LABELS

#: the pip extra that installs Spidermon with what its item validation needs
EXTRA = "timesca-crawler[spidermon]"

#: component paths the add-on enables, and their orders
SPIDERMON_EXTENSION = "spidermon.contrib.scrapy.extensions.Spidermon"
#: after RunOutcome (400) and RunSummary (500): the outcome is on the stats when monitors run
EXTENSION_ORDER = 600
#: after DedupePipeline (300), before ParquetWriterPipeline (900): it sees what is stored
VALIDATION_PIPELINE = "crawler.monitoring.validation.StoredItemValidation"
VALIDATION_ORDER = 850
CLOSE_SUITE = "crawler.monitoring.monitors.CloseMonitorSuite"

#: Spidermon's own settings as the project sets them (Spidermon's meaning, see its docs)
SPIDERMON_DEFAULTS: dict[str, Any] = {
    "SPIDERMON_SPIDER_CLOSE_MONITORS": [CLOSE_SUITE],
    # Finish Reason Monitor: SPIDERMON_EXPECTED_FINISH_REASONS, Spidermon's default ["finished"]
    # Error Count Monitor: ERROR lines in the log
    "SPIDERMON_MAX_ERRORS": 0,
    # Item Validation Monitor: JSON Schema errors in the stored records (schemas.py)
    "SPIDERMON_MAX_ITEM_VALIDATION_ERRORS": 0,
    # Field Coverage Monitor: share of stored articles holding a value
    "SPIDERMON_ADD_FIELD_COVERAGE": True,
    # a null is no value (Spidermon counts it as one by default)
    "SPIDERMON_FIELD_COVERAGE_SKIP_NONE": True,
    "SPIDERMON_FIELD_COVERAGE_RULES": {
        "Article/url": 1.0,
        "Article/title": 1.0,
        "Article/published_at": 1.0,
        "Article/body_text": 1.0,
        "Article/post_id": 0.9,
        "Article/authors": 0.5,
        "Article/categories": 0.5,
    },
    # a run that stored no article (a rerun with nothing new) has no coverage to judge
    "SPIDERMON_MONITOR_SKIPPING_RULES": {
        "Field Coverage Monitor": [["spidermon_item_scraped_count/Article", "==", 0]],
    },
}

#: the project's monitor settings (``MONITOR_*``) and their defaults
MONITOR_DEFAULTS: dict[str, Any] = {
    # Rejects Monitor: rejects / (articles written + rejects) of this run, at most
    "MONITOR_MAX_REJECT_SHARE": 0.05,
    # ... and at most this many rejects (-1: no ceiling on the count)
    "MONITOR_MAX_REJECTS": -1,
    # ... and per reject kind (http, validation, extraction, ...): {"kind": max count}
    "MONITOR_MAX_REJECTS_BY_KIND": {},
    # Extraction Source Monitor: "field/source" -> the largest share of the article pages
    # parsed whose field came from that source (crawl stats extract/<field>/<source>)
    "MONITOR_SOURCE_RULES": {
        "url/url": 0.1,
        "title/none": 0.0,
        "title/generic": 0.1,
        "published_at/none": 0.0,
        "published_at/generic": 0.1,
        "body_text/none": 0.0,
        "body_text/generic": 0.2,
        "post_id/none": 0.05,
    },
    # ... judged only when at least this many article pages were parsed
    "MONITOR_SOURCE_MIN_PAGES": 10,
    # Spidermon actions run when a monitor fails (import paths), e.g. Slack or e-mail
    "MONITOR_FAILED_ACTIONS": [],
}

#: Spidermon settings the project refuses: a record is never dropped or altered by a check
REFUSED = ("SPIDERMON_VALIDATION_DROP_ITEMS_WITH_ERRORS",
           "SPIDERMON_VALIDATION_ADD_ERRORS_TO_ITEMS")


def enabled(settings: BaseSettings) -> bool:
    """``SPIDERMON_ENABLED`` (default off), checked."""
    return boolean_setting(settings, "SPIDERMON_ENABLED", False)


def require_spidermon() -> None:
    """ValueError, saying how to install it, unless Spidermon and its validation import."""
    try:
        import spidermon.contrib.scrapy.extensions
        import spidermon.contrib.scrapy.pipelines  # noqa: F401
    except ImportError as exc:
        raise ValueError(
            f"setting SPIDERMON_ENABLED=1 needs Spidermon, which is not installed "
            f"({exc}); install it with: pip install '{EXTRA}'") from None


def _setting(settings: BaseSettings, name: str, convert: Callable[[Any], Any],
             check: Callable[[Any], bool], expected: str) -> Any:
    raw = settings.get(name)
    try:
        value = convert(raw)
    except (TypeError, ValueError, OverflowError):
        value = None
    if value is None or not check(value):
        raise ValueError(f"setting {name} must be {expected}, got {raw!r}")
    return value


def _mapping(raw: Any) -> dict[str, Any] | None:
    if isinstance(raw, str):
        raw = json.loads(raw) if raw.strip() else {}
    if isinstance(raw, BaseSettings):
        raw = raw.copy_to_dict()
    return dict(raw) if isinstance(raw, Mapping) else None


def _is_share(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def max_reject_share(settings: BaseSettings) -> float:
    """``MONITOR_MAX_REJECT_SHARE``, checked."""
    return _setting(settings, "MONITOR_MAX_REJECT_SHARE", float, lambda v: 0 <= v <= 1,
                    "a number from 0 to 1")


def max_rejects(settings: BaseSettings) -> int:
    """``MONITOR_MAX_REJECTS``, checked (-1: no ceiling)."""
    return _setting(settings, "MONITOR_MAX_REJECTS", int, lambda v: v >= -1,
                    "a whole number >= -1 (-1: no ceiling)")


def max_rejects_by_kind(settings: BaseSettings) -> dict[str, int]:
    """``MONITOR_MAX_REJECTS_BY_KIND``, checked: reject kind -> largest count."""
    return _setting(
        settings, "MONITOR_MAX_REJECTS_BY_KIND", _mapping,
        lambda rules: all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                          for v in rules.values()),
        'a dict of reject kind -> whole number >= 0, e.g. {"http": 5}')


def source_rules(settings: BaseSettings) -> dict[tuple[str, str], float]:
    """``MONITOR_SOURCE_RULES``, checked: (field, source label) -> largest share."""
    rules = _setting(
        settings, "MONITOR_SOURCE_RULES", _mapping,
        lambda rules: all(isinstance(k, str) and k.count("/") == 1
                          and k.partition("/")[2] in LABELS and _is_share(v)
                          for k, v in rules.items()),
        f'a dict of "field/source" -> a share from 0 to 1 (sources: {", ".join(LABELS)})')
    return {tuple(key.split("/")): float(share) for key, share in rules.items()}


def source_min_pages(settings: BaseSettings) -> int:
    """``MONITOR_SOURCE_MIN_PAGES``, checked."""
    return _setting(settings, "MONITOR_SOURCE_MIN_PAGES", int, lambda v: v >= 0,
                    "a whole number >= 0")


def failed_actions(settings: BaseSettings) -> list[str]:
    """``MONITOR_FAILED_ACTIONS``: import paths of Spidermon actions."""
    return settings.getlist("MONITOR_FAILED_ACTIONS")


def check(settings: BaseSettings) -> None:
    """Every monitoring setting, checked (ValueError naming a bad one)."""
    for name in ("SPIDERMON_MAX_ERRORS", "SPIDERMON_MAX_ITEM_VALIDATION_ERRORS"):
        _setting(settings, name, int, lambda v: v >= 0, "a whole number >= 0")
    for name in REFUSED:
        if boolean_setting(settings, name, False):
            raise ValueError(f"setting {name} is not supported: the project stores every "
                             "record as it is and reports validation errors on the stats")
    max_reject_share(settings)
    max_rejects(settings)
    max_rejects_by_kind(settings)
    source_rules(settings)
    source_min_pages(settings)
    for path in failed_actions(settings):
        try:
            load_object(path)
        except (ImportError, NameError, ValueError, AttributeError) as exc:
            raise ValueError(f"setting MONITOR_FAILED_ACTIONS names {path!r}, which cannot "
                             f"be loaded: {exc}") from None


def enable(settings: BaseSettings) -> None:
    """Turn the project's Spidermon monitoring on in ``settings`` (the add-on's work).

    Defaults are set at the add-on's priority, so ``settings.py`` and ``-s`` values win;
    the components are added unless the component dicts already name them (``None``
    there disables one).
    """
    require_spidermon()
    # Spidermon's result log goes through Spider.log(), which Scrapy deprecates: a warning
    # of Spidermon's own at every run, not one of the crawl's
    warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated",
                            category=ScrapyDeprecationWarning, module=r"spidermon\.")
    for name, value in {**SPIDERMON_DEFAULTS, **MONITOR_DEFAULTS}.items():
        settings.set(name, copy.deepcopy(value), priority="addon")
    settings.set("SPIDERMON_VALIDATION_SCHEMAS", validation_schemas(), priority="addon")
    check(settings)
    for name, path, order in (("EXTENSIONS", SPIDERMON_EXTENSION, EXTENSION_ORDER),
                              ("ITEM_PIPELINES", VALIDATION_PIPELINE, VALIDATION_ORDER)):
        settings.setdefault_in_component_priority_dict(name, load_object(path), order)
