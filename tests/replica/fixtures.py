"""save-pages: representative pages plus the parse a correct crawler should produce."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .body import has_tweet
from .model import PER_PAGE
from .rates import header_spec

if TYPE_CHECKING:
    from . import ReplicaSite


def _pick_pages(site: ReplicaSite) -> dict[str, str]:
    c = site.content
    posts = [p for p in c.posts if not p.removed]
    pages: dict[str, str] = {}
    latest = c.archives["latest"]
    n_pages = math.ceil(len(latest.posts) / PER_PAGE)
    pages["archive-latest-page1"] = "/latest/"
    pages["archive-latest-middle"] = f"/latest/page/{max(2, n_pages // 2)}/"
    pages["archive-kazakhstan-seed-page"] = "/category/kazakhstan/page/17/"
    pages["archive-total-missing"] = "/category/uzbekistan/"
    tag = max(
        (a for k, a in c.archives.items() if k.startswith("tag/")), key=lambda a: len(a.posts)
    )
    pages["archive-tag-page2"] = f"{tag.path}page/2/" if len(tag.posts) > PER_PAGE else tag.path
    pages["archive-author"] = "/author/j-smithexample-com/"
    two = next(p for p in posts if len(p.authors) == 2 and p.seed_index is None)
    pages["article-two-authors"] = f"/{two.slug}/"
    bare = next(
        (p for p in posts if not p.has_image and not p.tags and p.seed_index is None),
        next(p for p in posts if p.seed_index == 2),
    )
    pages["article-no-image-no-tags"] = f"/{bare.slug}/"
    for p in posts:
        if p.seed_index is not None:
            pages[f"article-seed-{p.seed_index + 1}"] = f"/{p.slug}/"
    full = next(
        p for p in posts if has_tweet(p) and p.clutter != "none" and len(c.paragraphs(p)) >= 4
    )
    pages["article-all-clutter"] = f"/{full.slug}/"
    pages["not-found-404"] = "/no-such-page-here/"
    old = next(p for p in posts if p.extra.get("no_ticker"))
    pages["article-no-ticker"] = f"/{old.slug}/"
    two_copies = next(
        f"/{p.slug}/"
        for p in posts
        if header_spec(f"/{p.slug}/", c.now.date()).copies == 2 and not p.extra.get("no_ticker")
    )
    pages["article-two-marquee-copies"] = two_copies
    pages["article-uncategorized-dateline"] = site.uncategorized_path
    return pages


def _header_expect(site: ReplicaSite, path: str) -> dict[str, Any]:
    c = site.content
    post = c.by_slug.get(path.strip("/"))
    spec = site._spec(path, post)
    return {
        "ticker": [
            {
                "base": q.base,
                "quote": q.quote,
                "rate_text": q.rate_text,
                "change_text": q.change_text,
            }
            for q in spec.quotes
        ],
        "ticker_copies": spec.copies,
        "dateline": c.now.date().isoformat() if spec.dateline else None,
    }


def expected(site: ReplicaSite, path: str, base: str, gt: dict[str, Any]) -> dict[str, Any]:
    """The expected parse of one page."""
    c = site.content
    out: dict[str, Any] = {"path": path, "url": f"{base}{path}"}
    out.update(_header_expect(site, path))
    post = c.by_slug.get(path.strip("/"))
    m = re.match(r"^(.*/)page/(\d+)/$", path)
    arch_path, page = (m.group(1), int(m.group(2))) if m else (path, 1)
    if post is not None:
        g = next(x for x in gt["posts"] if x["post_id"] == post.post_id)
        out["kind"] = "article"
        for k in (
            "url",
            "post_id",
            "title",
            "summary",
            "body_text",
            "authors",
            "published_at",
            "modified_at",
            "categories",
            "tags",
            "category_paths",
            "image_url",
            "word_count",
        ):
            out[k] = g[k]
        # every category is linked on the page with its own name
        out["category_path_names"] = g["categories"]
    elif arch_path in site._by_path:
        a = site._by_path[arch_path]
        pages = max(1, math.ceil(len(a.posts) / PER_PAGE))
        idx = a.posts[(page - 1) * PER_PAGE : page * PER_PAGE]
        text = site.results_text(a, page)
        rm = re.match(r"Viewing results (\d+) - (\d+) of ?(\d+)?", text)
        assert rm
        out.update(
            {
                "kind": "archive",
                "archive": a.key,
                "page": page,
                "pages": pages,
                "post_urls": [f"{base}/{c.posts[i].slug}/" for i in idx],
                "next_url": f"{base}{a.path}page/{page + 1}/" if page < pages else None,
                "results": {
                    "first": int(rm.group(1)),
                    "last": int(rm.group(2)),
                    "total": int(rm.group(3)) if rm.group(3) else None,
                    "quirk": a.quirk,
                    "text": text,
                },
            }
        )
    else:
        out["kind"] = "not-found"
        out["status"] = 404
    return out


def save_pages(site: ReplicaSite, out_dir: str, base: str) -> list[str]:
    """Write DIR/<name>.html and DIR/<name>.json for the representative set; return names."""
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    gt = site.ground_truth(base)
    names = []
    for name, path in _pick_pages(site).items():
        status, _headers, body = site.handle("GET", path, base)
        (d / f"{name}.html").write_bytes(body)
        exp = expected(site, path, base, gt)
        exp["status"] = status
        exp["theme"] = site.cfg.theme
        (d / f"{name}.json").write_text(
            json.dumps(exp, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        names.append(name)
    return names
