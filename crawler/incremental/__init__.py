"""Incremental crawling: what a rerun fetches again, apart from where the spider goes.

- :mod:`.index`: what earlier runs stored (:class:`SeenIndex` of :class:`KnownPost`);
- :mod:`.sitemaps`: the site's sitemaps read against the last run's (:class:`SitemapCheck`);
- :mod:`.planner`: the policy, pure: which article pages to fetch and why (:class:`Planner`);
- :mod:`.state`: an extension that loads the state when the spider opens
  (``spider.seen``) and hands the sitemap state to the writer's commit at the end;
- :mod:`.conditional`: a downloader middleware that makes a stored post's request
  conditional (``If-None-Match`` / ``If-Modified-Since``).
"""

from crawler.incremental.index import KnownPost, SeenIndex
from crawler.incremental.planner import Fetch, Planner
from crawler.incremental.sitemaps import SitemapCheck, parse_lastmod, read_sitemap

__all__ = ["Fetch", "KnownPost", "Planner", "SeenIndex", "SitemapCheck", "parse_lastmod",
           "read_sitemap"]
