"""The ground truth a crawl of the replica is judged against."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .htmlutil import iso
from .model import COUNTRY_SLUGS, PER_PAGE
from .rates import quotes_for

if TYPE_CHECKING:
    from .pages import ReplicaSite



def _countries(c: Any, p: Any) -> list[str]:
    """Names of the countries a post is filed under, through its categories' parents."""
    out: dict[str, None] = {}
    for key in p.categories:
        root = key.split("/", 1)[0]
        if root in COUNTRY_SLUGS:
            out[c.categories[root].name] = None
    return list(out)


def _sections(c: Any, p: Any) -> list[str]:
    """Each non-country category named with its parent: "Kazakhstan / Features"."""
    out: dict[str, None] = {}
    for key in p.categories:
        cat = c.categories[key]
        if cat.parent is None and key in COUNTRY_SLUGS:
            continue
        names = [c.categories[cat.parent].name, cat.name] if cat.parent else [cat.name]
        out[" / ".join(names)] = None
    return list(out)

def ground_truth(site: ReplicaSite, base_url: str) -> dict[str, Any]:
    """JSON-serializable description of everything the crawler should find."""
    base = base_url.rstrip("/")
    c, f = site.content, site.faults
    dead = set(f.active("removed")) | set(f.active("500"))
    posts = []
    for p in c.posts:
        paras = c.clean_paragraphs(p)
        body = "\n\n".join(paras)
        path = f"/{p.slug}/"
        removed = p.removed or path in f.active("removed")
        entry: dict[str, Any] = {
            "post_id": p.post_id,
            "url": f"{base}{path}",
            "slug": p.slug,
            "title": p.title,
            # seo="none": no meta description / og:description / JSON-LD description is
            # published, so no summary is observable on the article page: null.
            "summary": c.summary(p) if site.cfg.seo != "none" else None,
            "paragraphs": paras,
            "body_text": body,
            "authors": [c.authors[a].name for a in p.authors],
            "published_at": iso(p.published),
            "modified_at": iso(p.modified),
            "categories": [c.categories[k].name for k in p.categories],
            "category_paths": list(p.categories),
            "countries": _countries(c, p),
            "sections": _sections(c, p),
            "tags": [c.tags[t].name for t in p.tags],
            "image_url": f"{base}{p.image_path}" if p.image_path else None,
            "word_count": len(body.split()),
            "removed": removed,
            "reachable": not p.removed and path not in dead,
            "edited": p.edited,
            "has_ticker": not p.extra.get("no_ticker"),
            "old_urls": (
                [f"{base}/index.php/news/{p.legacy_id}-{p.slug[:40]}"] if p.legacy_id else []
            ),
        }
        posts.append(entry)
    rates = [
        {
            "observed_on": c.now.date().isoformat(),
            "base": q.base,
            "quote": q.quote,
            "rate_text": q.rate_text,
            "change_text": q.change_text,
        }
        for q in quotes_for(c.now.date())
    ]
    archives = {
        k: {
            "path": a.path,
            "posts": len(a.posts),
            "pages": max(1, math.ceil(len(a.posts) / PER_PAGE)),
            "results_quirk": a.quirk,
        }
        for k, a in c.archives.items()
    }
    out: dict[str, Any] = {
        "base_url": base,
        "theme": site.cfg.theme,
        "seed": site.cfg.seed,
        "state": site.cfg.state,
        "now": iso(c.now),
        "today": c.now.date().isoformat(),
        "posts": posts,
        "rates": rates,
        "archives": archives,
        "faults": {name: f.active(name) for name in ("503", "slow", "truncated", "500", "removed")},
    }
    if site.cfg.seo != "yoast":  # the key is left out for Yoast so existing truth is unchanged
        out["seo"] = site.cfg.seo
    return out
