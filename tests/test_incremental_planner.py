"""The incremental policy alone (crawler.incremental.planner): which article pages a run
fetches and why, decided without a crawl."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.incremental.index import SeenIndex
from crawler.incremental.planner import Planner
from crawler.incremental.sitemaps import SitemapCheck

SITE = "https://example.org"
NOW = datetime(2025, 1, 10, 12, tzinfo=UTC)


def row(slug: str, post_id: int, day: int, *, modified: int | None = None,
        removed: bool = False) -> dict:
    return {"url": f"{SITE}/{slug}/", "post_id": post_id,
            "published_at": datetime(2025, 1, day, tzinfo=UTC),
            "modified_at": datetime(2025, 1, modified, tzinfo=UTC) if modified else None,
            "last_seen_at": datetime(2025, 1, 9, tzinfo=UTC),
            "removed_at": datetime(2025, 1, 9, tzinfo=UTC) if removed else None,
            "http_etag": None, "http_last_modified": None}


def planner(index: SeenIndex, *, incremental: bool = True, refresh_days: float = 0,
            listings: tuple[str, ...] = ("latest",), max_pages: int | None = None,
            max_urls: int = 1000) -> Planner:
    return Planner(index, incremental=incremental, refresh_days=refresh_days,
                   listings=list(listings), max_pages=max_pages, sitemap_max_urls=max_urls)


INDEX = SeenIndex([row("a", 1, 1), row("b", 2, 5, modified=6), row("gone", 3, 2, removed=True)],
                  retry_urls=[f"{SITE}/failed/"], completed_archives={"latest"})


def test_each_url_is_planned_once_per_run() -> None:
    plan = planner(INDEX)
    first = plan.fetch(f"{SITE}/new/", "listing")
    assert first is not None and (first.url, first.reason, first.known) == (
        f"{SITE}/new/", "listing", None)
    assert plan.fetch(f"{SITE}/new/", "sitemap_new") is None


def test_the_start_retries_earlier_failures() -> None:
    assert [(f.url, f.reason) for f in planner(INDEX).start()] == [
        (f"{SITE}/failed/", "retry_failed")]


def test_a_listing_skips_stored_posts_and_catches_up() -> None:
    urls = [f"{SITE}/{s}/" for s in ("new", "a", "gone", "failed")]
    plan = planner(INDEX).listing("latest", urls)
    # a stored live post is skipped; a removed one is fetched again (it may be back)
    assert [(f.url, f.reason) for f in plan.fetches] == [
        (f"{SITE}/new/", "listing"), (f"{SITE}/gone/", "listing"),
        (f"{SITE}/failed/", "listing")]
    assert (plan.known_skipped, plan.caught_up) == (1, False)
    stored_only = planner(INDEX).listing("latest", [f"{SITE}/a/", f"{SITE}/b/"])
    assert (stored_only.fetches, stored_only.known_skipped, stored_only.caught_up) == (
        [], 2, True)
    # an archive never read to its end is not caught up, whatever the page shows
    assert not planner(INDEX).listing("tag/x", [f"{SITE}/a/"]).caught_up


def test_a_full_run_fetches_every_link_but_knows_the_stored_copy() -> None:
    plan = planner(INDEX, incremental=False).listing("latest", [f"{SITE}/a/"])
    assert [(f.url, f.known.post_id if f.known else None) for f in plan.fetches] == [
        (f"{SITE}/a/", 1)]
    assert not plan.caught_up


def test_a_sitemap_refetches_what_changed_and_discovers_only_on_a_whole_site_run() -> None:
    urls = {f"{SITE}/a/": "2025-01-08T00:00:00+00:00",   # changed after the stored copy
            f"{SITE}/b/": "2025-01-06T00:00:00+00:00",   # as stored
            f"{SITE}/gone/": None,                       # stored removed, listed again
            f"{SITE}/unseen/": None}
    plan = planner(INDEX).sitemap(urls)
    assert [(f.url, f.reason) for f in plan.fetches] == [
        (f"{SITE}/a/", "sitemap_refetch"), (f"{SITE}/gone/", "sitemap_refetch"),
        (f"{SITE}/unseen/", "sitemap_new")]
    for limited in (planner(INDEX, max_pages=3), planner(INDEX, listings=("tag/x",)),
                    planner(SeenIndex([row("a", 1, 1)])),  # archives never read to the end
                    planner(INDEX, incremental=False)):
        assert f"{SITE}/unseen/" not in [f.url for f in limited.sitemap(urls).fetches]


def test_sitemap_urls_beyond_the_cap_are_counted_not_planned() -> None:
    plan = planner(INDEX, max_urls=2)
    first = plan.sitemap({f"{SITE}/x{n}/": None for n in range(3)})
    second = plan.sitemap({f"{SITE}/y/": None})
    assert ([f.url for f in first.fetches], first.capped, second.fetches, second.capped) == (
        [f"{SITE}/x0/", f"{SITE}/x1/"], 1, [], 1)


def test_after_the_sitemaps_removal_checks_then_the_refresh_window() -> None:
    old = {"version": 1, "base_url": SITE, "sitemaps": {f"{SITE}/post-sitemap.xml": {
        "lastmod": "x", "urls": {f"{SITE}/a/": None, f"{SITE}/b/": None}}}}
    sitemaps = SitemapCheck(SITE, old)
    sitemaps.plan([(f"{SITE}/post-sitemap.xml", "y")])
    # the sitemap now lists b (dated as stored) but no longer a
    sitemaps.add(f"{SITE}/post-sitemap.xml", "y", [(f"{SITE}/b/", "2025-01-06T00:00:00Z")])
    fetches, vouched = planner(INDEX, refresh_days=30).after_sitemaps(sitemaps, NOW)
    # a: unlisted, so a removal check (and not again for the refresh window); b is
    # vouched for by its sitemap date
    assert [(f.url, f.reason) for f in fetches] == [(f"{SITE}/a/", "removal_check")]
    assert vouched == 1
    full, vouched = planner(INDEX, refresh_days=30, incremental=False).after_sitemaps(
        sitemaps, NOW)
    assert ([(f.url, f.reason) for f in full], vouched) == ([(f"{SITE}/a/", "removal_check")], 0)


def test_the_refresh_window_without_sitemaps_takes_recent_posts_newest_first() -> None:
    fetches, vouched = planner(INDEX, refresh_days=7).after_sitemaps(SitemapCheck(SITE, None),
                                                                     NOW)
    # b was published on the 5th (in the window), a on the 1st (out), gone is removed
    assert ([(f.url, f.reason) for f in fetches], vouched) == (
        [(f"{SITE}/b/", "refresh_window")], 0)
    assert planner(INDEX, refresh_days=0).after_sitemaps(SitemapCheck(SITE, None), NOW) == (
        [], 0)
