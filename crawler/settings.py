"""Scrapy settings for timesca-crawler.

Defaults are polite enough for the real site (robots.txt, AutoThrottle, a small
per-site concurrency, retries that honour Retry-After). For the bundled replica on
loopback, switch politeness off with ``-s POLITE=0`` (see README).
"""

from crawler import __version__

BOT_NAME = "timesca"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
#: `scrapy crawl` exits with codes a scheduler can act on (crawler/exitcodes.py)
COMMANDS_MODULE = "crawler.commands"

USER_AGENT = (
    f"timesca-crawler/{__version__} (Scrapy; news archive crawler; "
    "respects robots.txt and Retry-After)"
)
ROBOTSTXT_OBEY = True

# Politeness for the real site.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30

# Limits (docs/SCHEDULING.md, "Limits"): what one hostile or broken site can cost a run.
#: the largest response taken, in bytes, also after decompression (a gzip bomb stops here);
#: a larger one is a reject with its reason
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
#: a run stops after this many seconds and publishes what it has (0: no limit)
CLOSESPIDER_TIMEOUT = 6 * 3600
#: an archive stops after this many pages, or once it has given ARCHIVE_OVERRUN times the
#: posts its "Viewing results" line reports (plus 60)
ARCHIVE_MAX_PAGES = 10_000
ARCHIVE_OVERRUN = 4.0
#: post sitemaps read per run, and post URLs taken from them
SITEMAP_MAX_FILES = 1_000
SITEMAP_MAX_URLS = 200_000
#: an article body longer than this (characters) is a reject
BODY_MAX_CHARS = 1_000_000
#: REST API runs (-a source=auto|api): posts per run also fetched as HTML and compared,
#: and the hours taken back from the stored high-water mark for modified_after
API_HTML_SAMPLE = 3
API_OVERLAP_HOURS = 24

# Retries: transient statuses and network errors, waiting for Retry-After.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
RETRY_AFTER_MAX = 120.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    # sees responses before the redirect middlewares (600, 580): a redirect leaving host
    # or port is a named reject, not a request the offsite filter drops without a word
    "crawler.middlewares.StayOnSite": 610,
    # a stored post's request: 304/404/410 answered, validators sent (incremental runs)
    "crawler.incremental.conditional.ConditionalGet": 620,
}
#: an exception in a spider callback becomes a reject row (crawler/errors.py)
SPIDER_MIDDLEWARES = {"crawler.errors.CallbackErrors": 45}

# Project settings.
OUTPUT_DIR = "output"
#: whether a process may change OUTPUT_DIR (lock, datasets, runs, last_run.json, state):
#: off here, so `scrapy shell/parse/check/fetch` are read-only; the one place that turns it
#: on is the crawl command (crawler/commands/crawl.py); see docs/DEBUGGING.md
WRITE_OUTPUT = False
SITE_TIMEZONE = "Asia/Almaty"
#: POLITE=0 turns AutoThrottle and the download delay off and raises
#: concurrency, for crawls of the bundled replica on loopback only.
POLITE = True

# Incremental reruns (see README "Reruns"). INCREMENTAL=0 or -a full=1: a full crawl.
INCREMENTAL = True
#: stored posts published within this many days before "now" are fetched again
#: (conditionally when the server gave validators) unless a sitemap vouches for them.
REFRESH_DAYS = 3
#: "now" for the refresh window (ISO 8601); default: the Date header of the first
#: archive page (the site's clock), else the local clock.
REFRESH_NOW = None
#: a failed fetch is tried again by every run for this many days after it first failed.
RETRY_FAILED_DAYS = 30
#: read the XML sitemaps (robots.txt "Sitemap:", else /sitemap_index.xml, /sitemap.xml).
SITEMAPS = True

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.writer.ParquetWriterPipeline": 900,
}
ADDONS = {"crawler.addons.PoliteSwitch": 0}
#: they depend on each other through signals (crawler/signals.py), not on these orders
EXTENSIONS = {
    "crawler.incremental.state.IncrementalState": 300,
    "crawler.extensions.outcome.RunOutcome": 400,
    "crawler.extensions.summary.RunSummary": 500,
}

# --- Monitoring (optional, docs/MONITORING.md) -------------------------------------------
#: Spidermon monitors (pip install 'timesca-crawler[spidermon]'): -s SPIDERMON_ENABLED=1.
#: A failed monitor is an alert (log, stats monitors/*, Spidermon actions); the exit code
#: stays the run's outcome. Defaults when enabled (crawler/monitoring/__init__.py):
SPIDERMON_ENABLED = False
ADDONS = {**ADDONS, "crawler.addons.Monitoring": 10}
# SPIDERMON_EXPECTED_FINISH_REASONS = ["finished"]
# SPIDERMON_MAX_ERRORS = 0                      # ERROR lines in the log
# SPIDERMON_MAX_ITEM_VALIDATION_ERRORS = 0      # schema errors in stored records
# SPIDERMON_FIELD_COVERAGE_RULES = {"Article/post_id": 0.9, "Article/authors": 0.5, ...}
# MONITOR_MAX_REJECT_SHARE = 0.05               # rejects / (articles written + rejects)
# MONITOR_MAX_REJECTS = -1                      # -1: no ceiling on the count
# MONITOR_MAX_REJECTS_BY_KIND = {}              # e.g. {"validation": 0}
# MONITOR_SOURCE_RULES = {"title/none": 0.0, "body_text/generic": 0.2, ...}
# MONITOR_SOURCE_MIN_PAGES = 10
# MONITOR_FAILED_ACTIONS = []                   # e.g. Spidermon's Slack or e-mail actions
# --- end of monitoring ---------------------------------------------------------------------

#: a run in which more than this share of requests failed for good (after retries)
#: is a failed run (exit code 3); see docs/SCHEDULING.md
MAX_ERROR_RATE = 0.25

#: `scrapy check timesca -a base_url=URL`: contract URLs relative to the spider's site
#: (crawler/contracts.py, docs/DEBUGGING.md)
SPIDER_CONTRACTS = {
    "crawler.contracts.SiteUrlContract": 10,
    "crawler.contracts.ItemsOfContract": 10,
    "crawler.contracts.FieldsOfContract": 10,
    "crawler.contracts.RequestsToContract": 10,
}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
TELNETCONSOLE_ENABLED = False
#: Scrapy's remote-control endpoint (an HTTP server running code sent to it, its token
#: written under the user's home) has no place in an unattended crawl
REMOTE_CONTROL_ENABLED = False
