"""URL rules for a WordPress site: canonical form, hosts and links, archive paths, page
numbers. The project's one place for URL helpers (the page parsers use them too).

One post must be fetched once however it is linked: with or without the trailing
slash, with tracking query strings, with a stray query string from an older CMS,
with a fragment or an upper-case host.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string, url_query_cleaner

#: Query variables WordPress itself routes on; every other parameter is noise
#: (utm_*, fbclid, an older CMS's catid/id, ...) and is dropped.
WP_QUERY_VARS = frozenset({"p", "page_id", "cat", "tag", "author", "s", "m", "paged"})

_PAGE_SUFFIX = re.compile(r"/page/(\d+)/?$")


class BadURLError(ValueError):
    """A URL argument that cannot be crawled."""


def check_base_url(url: str) -> str:
    """Return ``url`` as a site root ("https://host[:port]") or raise BadURLError. A URL
    carrying a user name or password is refused (it would be written to logs and runs)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BadURLError(
            f"base_url must be an absolute http(s) URL such as https://timesca.com, got {url!r}"
        )
    if parts.username is not None or parts.password is not None:
        raise BadURLError("base_url must not carry a user name or password (it would be "
                          f"written to logs and to OUTPUT_DIR): {_without_credentials(url)}")
    try:
        port = parts.port
    except ValueError:
        raise BadURLError(f"base_url has a port out of range (1-65535), got {url!r}") from None
    if port == 0:
        raise BadURLError(f"base_url has a port out of range (1-65535), got {url!r}")
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def site_of(url: str) -> str:
    """The site root of a page URL (scheme, host and port: ``scrapy parse`` without
    ``-a base_url``); the URL itself when it has no host (:func:`check_base_url` names it)."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else url


def _without_credentials(url: str) -> str:
    """``url`` with its user name and password replaced by ``***``."""
    parts = urlsplit(url.strip())
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


def canonical_url(url: str) -> str:
    """Canonical form of a site URL: lower-case scheme and host, no fragment,
    only WordPress query variables (sorted), and a trailing slash on
    extension-less paths (WordPress permalinks end in "/")."""
    kept = url_query_cleaner(safe_url_string(url.strip()), WP_QUERY_VARS, unique=False)
    parts = urlsplit(kept)
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower()
    if (scheme, netloc.rsplit(":", 1)[-1]) in {("http", "80"), ("https", "443")}:
        netloc = netloc.rsplit(":", 1)[0]
    path = re.sub(r"/{2,}", "/", parts.path) or "/"
    last = path.rsplit("/", 1)[-1]
    if last and "." not in last and "index.php" not in path:
        path += "/"
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


# -- hosts and links ----------------------------------------------------------------
#
# One host rule: a site's host is its host name without a leading "www." (site_host).
# Pages link to the same URLs over and over, so the helpers the page parsers call per
# link are memoized (they are pure functions of their strings).


def host_of(url: str) -> str:
    """Lower-case host name of ``url`` (no port)."""
    return (urlsplit(url).hostname or "").lower()


@lru_cache(maxsize=8192)
def site_host(url: str) -> str:
    """Lower-case host name of ``url`` without a leading "www." (no port)."""
    host = host_of(url)
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, site_url: str) -> bool:
    """Whether ``url`` is on the site of ``site_url``: same host (a leading
    "www." aside) and same port."""
    return (site_host(url) == site_host(site_url)
            and urlsplit(url).port == urlsplit(site_url).port)


@lru_cache(maxsize=8192)
def same_host(url: str, base: str) -> bool:
    """Whether a link found on page ``base`` points to the page's host (a leading "www."
    aside, any port); a relative link does."""
    return site_host(url) == site_host(base) if urlsplit(url).hostname else True


@lru_cache(maxsize=8192)
def absolute(href: str | None, base: str) -> str | None:
    """``href`` resolved against ``base``; None for an empty href, a fragment, and
    javascript:, mailto:, tel: and data: URLs."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def normalize_listing(path: str) -> str:
    """An archive argument as a relative path without slashes at either end,
    e.g. "/category/kazakhstan/" -> "category/kazakhstan"; "" is the home page.

    Percent-escapes are decoded and backslashes read as slashes before the check, so
    ``%2e%2e/x`` and ``..\\x`` are refused like ``../x``."""
    cleaned = unquote(path).replace("\\", "/").strip().strip("/")
    if "://" in cleaned or cleaned.startswith("?") or "?" in cleaned or "#" in cleaned:
        raise BadURLError(f"listing must be a path relative to base_url, got {path!r}")
    segments = [s for s in cleaned.split("/") if s]
    if any(s.strip() in {".", ".."} for s in segments):
        raise BadURLError(f"listing must not contain '.' or '..' segments, got {path!r}")
    if any(ord(c) < 32 for c in cleaned):
        raise BadURLError(f"listing must not contain control characters, got {path!r}")
    return "/".join(segments)


#: First path segments of WordPress archives and utility pages, never one post.
ARCHIVE_SEGMENTS = frozenset({"category", "tag", "author", "page", "feed", "search",
                              "wp-json", "wp-admin", "wp-content", "latest"})


def is_archive_path(path: str) -> bool:
    """Is ``path`` a WordPress archive (``/category/...``, ``/tag/...``, ``/page/N/``...)
    rather than a post?"""
    segments = [s for s in path.split("/") if s]
    return bool(segments) and (segments[0].lower() in ARCHIVE_SEGMENTS
                               or _PAGE_SUFFIX.search(path) is not None)


def is_permalink(url: str) -> bool:
    """Is ``url`` a post's own permalink in the ``/%postname%/`` structure (one path
    segment, not an archive, no query)? A legacy or query URL is not."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    return (len(segments) == 1 and not parts.query and not is_archive_path(parts.path)
            and "." not in segments[0])


def listing_url(base_url: str, listing: str) -> str:
    """Absolute URL of page 1 of an archive."""
    return canonical_url(f"{base_url}/{listing}/" if listing else f"{base_url}/")


def term_path(url: str, *, base: str = "category") -> str | None:
    """The term path of a link to a taxonomy archive, parents first and lower case:
    ``/category/kazakhstan/kazakhstan-business-economy/page/2/`` ->
    ``kazakhstan/kazakhstan-business-economy``. None when ``url`` is not under ``/BASE/``
    (``base=""``: a site that strips the category base, where the whole path is the term's).
    """
    path = _PAGE_SUFFIX.sub("/", urlsplit(url).path)
    segments = [unquote(s).strip().lower() for s in path.split("/") if s.strip()]
    if base:
        if not segments or segments[0] != base:
            return None
        segments = segments[1:]
    if not segments or any(s in {".", ".."} or "/" in s for s in segments):
        return None
    return "/".join(segments)


def page_number(url: str) -> int:
    """Archive page number of ``url`` ("/page/N/"), 1 when there is none."""
    match = _PAGE_SUFFIX.search(urlsplit(url).path)
    return int(match.group(1)) if match else 1
