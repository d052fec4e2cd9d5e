"""SEO plugin switch: which module writes the <head> (Yoast SEO, Rank Math, or WordPress core)."""

from __future__ import annotations

from types import ModuleType

from . import head, head_core, head_rankmath


def get_seo(name: str) -> ModuleType:
    """Head module by ReplicaConfig.seo ('yoast', 'rankmath' or 'none').

    Every module exposes article_head(site, post, base), archive_head(archive, page, pages,
    base, kind, term_id, description=None) and notfound_head(base).
    """
    return {"yoast": head, "rankmath": head_rankmath, "none": head_core}[name]
