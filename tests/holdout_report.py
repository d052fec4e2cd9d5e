"""Holdout report: crawl the replica in unseen theme x SEO combinations and score the output.

    .venv/bin/python -m tests.holdout_report                 # all combinations, table on stdout
    .venv/bin/python -m tests.holdout_report --json out.json # also the full comparison as JSON
    .venv/bin/python -m tests.holdout_report block/none jnews/rankmath --jobs 2

``compare(run)`` scores one finished ``tests.conftest.CrawlRun`` against its ground truth:
posts found exactly once, per-field exact-match rates (over the reachable posts that were
found), body-text token F1, header rates and rejects, with a few concrete mismatches per field.
Nothing under crawler/ or pipelines/ is imported; only the crawl's Parquet output is read.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.metrics import token_f1

COMBOS: tuple[tuple[str, str], ...] = (
    ("block", "yoast"),
    ("block", "rankmath"),
    ("block", "none"),
    ("jnews", "yoast"),
    ("jnews", "rankmath"),
    ("jnews", "none"),
    ("classic", "none"),
    ("magazine", "rankmath"),
)
FIELDS = (
    "url",
    "title",
    "authors",
    "published_at",
    "modified_at",
    "categories",
    "category_paths",
    "countries",
    "tags",
    "image_url",
    "summary",
    "body_text",
)
SITE_TZ = ZoneInfo("Asia/Almaty")


def _instant(value: Any) -> datetime | None:
    """An aware datetime (UTC) from a datetime/str/date value; naive values count as UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    else:
        try:
            dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _norm_list(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _same(field: str, expected: Any, got: Any) -> bool:
    if field in ("published_at", "modified_at"):
        return _instant(expected) == _instant(got)
    if field in ("authors", "categories", "category_paths", "countries", "tags"):
        return (_norm_list(expected) or []) == (_norm_list(got) or [])
    if field == "summary" and expected is None:
        return got in (None, "")
    return expected == got


def _same_day(expected: Any, got: Any) -> bool:
    e, g = _instant(expected), _instant(got)
    if e is None or g is None:
        return e is g
    return e.astimezone(SITE_TZ).date() == g.astimezone(SITE_TZ).date()


def _short(value: Any, limit: int = 110) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and len(value) > limit:
        return value[: limit - 1] + "…"
    if isinstance(value, list | tuple):
        return [_short(v, 40) for v in value]
    return value


def compare(run: Any, examples: int = 2) -> dict[str, Any]:
    """Score a CrawlRun (tests.conftest) against its ground truth."""
    truth = run.truth
    posts = {p["post_id"]: p for p in truth["posts"] if p["reachable"]}
    rows = run.table("articles")
    ids = Counter(r.get("post_id") for r in rows)
    found = {pid for pid in ids if pid in posts}
    first: dict[int, dict[str, Any]] = {}
    for r in rows:
        pid = r.get("post_id")
        if pid in posts and pid not in first:
            first[pid] = r
    fields: dict[str, Any] = {}
    for f in FIELDS:
        ok, bad = 0, []
        for pid, row in first.items():
            exp, got = posts[pid].get(f), row.get(f)
            if _same(f, exp, got):
                ok += 1
            else:
                bad.append({"post_id": pid, "expected": _short(exp), "got": _short(got)})
        entry: dict[str, Any] = {
            "exact": ok / len(first) if first else 0.0,
            "mismatches": len(bad),
            "examples": bad[:examples],
        }
        if f in ("published_at", "modified_at"):
            day = sum(_same_day(posts[p][f], r.get(f)) for p, r in first.items())
            entry["same_day"] = day / len(first) if first else 0.0
        if f in ("authors", "categories", "tags"):
            sets = sum(
                set(_norm_list(posts[p][f]) or []) == set(_norm_list(r.get(f)) or [])
                for p, r in first.items()
            )
            entry["as_set"] = sets / len(first) if first else 0.0
        fields[f] = entry
    f1s = [token_f1(r.get("body_text"), posts[p]["body_text"]) for p, r in first.items()]
    worst = sorted(first, key=lambda p: token_f1(first[p].get("body_text"), posts[p]["body_text"]))
    exp_rates = {(r["base"], r["quote"]): r for r in truth["rates"]}
    got_rates = run.table("rates")
    rate_keys = ("rate_text", "change_text", "observed_on")
    got_map: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in got_rates:
        got_map.setdefault((r.get("base"), r.get("quote")), []).append(r)
    rates_ok = set(got_map) == set(exp_rates) and all(
        all(str(g.get(k)) == str(exp_rates[key][k]) for g in got_map[key] for k in rate_keys)
        for key in exp_rates
        if key in got_map
    )
    rejects = run.table("rejects")
    reasons = Counter(
        str(r.get("reason") or r.get("error") or r.get("kind") or "?")[:80] for r in rejects
    )
    statuses = Counter(r.get("status") for r in run.requests)
    slugs = {f"/{p['slug']}/" for p in posts.values()}
    return {
        "returncode": run.returncode,
        "requests": len(run.requests),
        "request_statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "article_pages_fetched": len({r["path"] for r in run.requests if r["path"] in slugs}),
        "posts_expected": len(posts),
        "posts_found": len(found),
        "posts_missing": sorted(set(posts) - found)[:10],
        "duplicates": sum(n - 1 for pid, n in ids.items() if pid in posts and n > 1),
        "rows": len(rows),
        "rows_post_id_none": ids.get(None, 0),
        "rows_unknown_post_id": sum(
            n for pid, n in ids.items() if pid is not None and pid not in posts
        ),
        "fields": fields,
        "body_f1_min": min(f1s) if f1s else 0.0,
        "body_f1_mean": sum(f1s) / len(f1s) if f1s else 0.0,
        "body_f1_worst": [
            {
                "post_id": p,
                "f1": round(token_f1(first[p].get("body_text"), posts[p]["body_text"]), 3),
                "expected_head": _short(posts[p]["body_text"], 160),
                "got_head": _short(first[p].get("body_text"), 160),
            }
            for p in worst[:examples]
        ],
        "rates_match": rates_ok,
        "rates_expected": len(exp_rates),
        "rates_rows": len(got_rates),
        "rates_sample": [
            {k: _short(v) for k, v in r.items() if k in ("base", "quote", *rate_keys)}
            for r in got_rates[:2]
        ],
        "rejects": len(rejects),
        "reject_reasons": dict(reasons.most_common(5)),
        "reject_sample": [{k: _short(v, 80) for k, v in r.items()} for r in rejects[:2]],
    }


def run_combo(theme: str, seo: str, posts: int = 120, seed: int = 1,
              appeal: bool = False) -> dict[str, Any]:
    """Crawl one theme/SEO combination into a temporary directory and compare (``appeal``:
    with the site's reader-support box in every post, which only the site-boilerplate
    learner takes out)."""
    from tests.conftest import crawl_replica

    with tempfile.TemporaryDirectory(prefix=f"holdout-{theme}-{seo}-") as tmp:
        started = time.monotonic()
        run = crawl_replica(Path(tmp), seed=seed, posts=posts, theme=theme, seo=seo,
                            appeal=appeal)
        wall = time.monotonic() - started
        result = compare(run)
        result["wall_seconds"] = round(wall, 1)
        result["log_tail"] = run.log.strip().splitlines()[-3:]
    result["combo"] = f"{theme}/{seo}"
    return result


def table(results: list[dict[str, Any]]) -> str:
    """Fixed-width table: one line per combination."""
    short = {
        "url": "url",
        "title": "title",
        "authors": "auth",
        "published_at": "pub",
        "modified_at": "mod",
        "categories": "cats",
        "category_paths": "paths",
        "countries": "ctry",
        "tags": "tags",
        "image_url": "img",
        "summary": "summ",
        "body_text": "body",
    }
    head = (
        f"{'combo':<18}{'rc':>3}{'exp':>5}{'found':>6}{'dup':>4}{'none':>5}"
        + "".join(f"{short[f]:>6}" for f in FIELDS)
        + f"{'F1min':>7}{'F1avg':>7}{'rates':>7}{'rej':>5}{'req':>7}{'wall s':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r['combo']:<18}{r['returncode']:>3}{r['posts_expected']:>5}{r['posts_found']:>6}"
            f"{r['duplicates']:>4}{r['rows_post_id_none']:>5}"
            + "".join(f"{r['fields'][f]['exact']:>6.2f}" for f in FIELDS)
            + f"{r['body_f1_min']:>7.3f}{r['body_f1_mean']:>7.3f}"
            f"{('yes' if r['rates_match'] else 'NO'):>7}{r['rejects']:>5}"
            f"{r['requests']:>7}{r['wall_seconds']:>8.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(prog="python -m tests.holdout_report")
    ap.add_argument("combos", nargs="*", help="THEME/SEO (default: all holdout combinations)")
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--json", help="write the full comparison here")
    ap.add_argument("--posts", type=int, default=120)
    ap.add_argument("--appeal", action="store_true",
                    help="the site's reader-support box in every post (site boilerplate)")
    args = ap.parse_args(argv)
    combos = [tuple(c.split("/", 1)) for c in args.combos] or list(COMBOS)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(
            lambda c: run_combo(c[0], c[1], args.posts, appeal=args.appeal), combos))
    print(table(results))
    for r in results:
        bad = {f: v for f, v in r["fields"].items() if v["mismatches"]}
        complete = r["posts_found"] == r["posts_expected"] and not r["duplicates"]
        if complete and not bad and r["rates_match"] and not r["rejects"]:
            continue
        print(
            f"\n== {r['combo']}: {r['requests']} requests {r['request_statuses']}, "
            f"{r['article_pages_fetched']} article pages fetched, {r['rows']} rows"
        )
        for f, v in bad.items():
            extra = "".join(
                f" {k}={v[k]:.2f}" for k in ("same_day", "as_set") if k in v
            )
            print(f"  {f}: {v['mismatches']} mismatches{extra}")
            for ex in v["examples"]:
                print(f"    #{ex['post_id']}: expected {ex['expected']!r}")
                print(f"    {'':>{len(str(ex['post_id'])) + 1}}  got      {ex['got']!r}")
        if not r["rates_match"]:
            print(
                f"  rates: expected {r['rates_expected']}, rows {r['rates_rows']}: "
                f"{r['rates_sample']}"
            )
        if r["rejects"]:
            print(f"  rejects: {r['rejects']} {r['reject_reasons']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
