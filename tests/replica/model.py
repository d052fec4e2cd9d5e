"""Dataclasses of the replica: configuration, authors, terms and posts."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from .banks import COUNTRIES

COUNTRY_SLUGS = frozenset(slug for slug, _name, _adj in COUNTRIES)

SITE_TZ = ZoneInfo("Asia/Almaty")
SITE_NAME = "The Times Of Central Asia"
FAULT_NAMES = ("503", "slow", "truncated", "500", "removed")
#: Theme names accepted by ReplicaConfig; "block" and "jnews" are holdout themes (see themes/).
THEME_NAMES = ("classic", "magazine", "block", "jnews")
#: SEO plugin emitting the <head>: Yoast SEO (default), Rank Math, or none (WordPress core only).
SEO_NAMES = ("yoast", "rankmath", "none")
#: The WordPress REST API: served, locked by a security plugin (401), or off (404, no discovery).
REST_API_MODES = ("on", "locked", "off")
PER_PAGE = 6


def stable_hash(*parts: object) -> int:
    """A process-independent hash (Python's ``hash`` is salted per process)."""
    return zlib.crc32("\x1f".join(str(p) for p in parts).encode("utf-8"))


@dataclass(frozen=True)
class ReplicaConfig:
    """Everything that determines the replica's output."""

    seed: int = 1
    posts: int = 120
    theme: str = "classic"
    state: str = "initial"
    faults: frozenset[str] = frozenset()
    slow_seconds: float = 2.0
    seo: str = "yoast"
    #: article pages send ETag / Last-Modified and answer conditional requests with 304
    #: (what a cache or CDN in front of WordPress does; WordPress itself does not)
    validators: bool = False
    #: Yoast XML sitemaps; False: no Sitemap line in robots.txt, every sitemap URL 404s
    sitemaps: bool = True
    #: the site's own appeal box inside every post's content (a reader-support message
    #: written into the theme, under class names no extractor knows): site boilerplate
    appeal: bool = False
    #: the REST API (/wp-json/): "on", "locked" (401 rest_cannot_access, discovery kept) or
    #: "off" (404 like any unknown URL, no discovery link or header); see restapi.py
    rest_api: str = "on"
    #: the API's content of a few posts differs from their pages (restapi_objects.mismatch_ids)
    rest_html_mismatch: bool = False

    def __post_init__(self) -> None:
        if self.theme not in THEME_NAMES:
            raise ValueError(f"unknown theme {self.theme!r}")
        if self.seo not in SEO_NAMES:
            raise ValueError(f"unknown seo {self.seo!r}")
        if self.rest_api not in REST_API_MODES:
            raise ValueError(f"unknown rest_api {self.rest_api!r}")
        if self.state not in ("initial", "later"):
            raise ValueError(f"unknown state {self.state!r}")
        if not 10 <= self.posts <= 50_000:
            raise ValueError("posts must be between 10 and 50,000")
        unknown = set(self.faults) - set(FAULT_NAMES)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}")
        object.__setattr__(self, "faults", frozenset(self.faults))


@dataclass(frozen=True)
class Author:
    """A WordPress user shown as a byline."""

    slug: str
    name: str
    bio: str
    user_id: int


@dataclass(frozen=True)
class Category:
    """A category term; ``path`` is the archive path below /category/."""

    path: str
    name: str
    term_id: int
    parent: str | None = None

    @property
    def slug(self) -> str:
        """The term slug (last path segment)."""
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Tag:
    """A post_tag term."""

    slug: str
    name: str
    term_id: int


@dataclass
class Post:
    """A post's metadata; its paragraphs are generated lazily by the content module."""

    index: int
    post_id: int
    slug: str
    title: str
    authors: tuple[str, ...]
    published: datetime
    modified: datetime
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    has_image: bool
    seed_index: int | None = None
    legacy_id: int | None = None
    clutter: str = "none"
    image_w: int = 1200
    image_h: int = 800
    edited: bool = False
    removed: bool = False
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def country(self) -> str | None:
        """Slug of the post's country: the first category under a country (a post may be filed
        under a country's child section only)."""
        roots = (c.split("/", 1)[0] for c in self.categories)
        return next((r for r in roots if r in COUNTRY_SLUGS), None)

    @property
    def image_path(self) -> str | None:
        """Site-relative path of the featured image, if any."""
        if not self.has_image:
            return None
        return f"/wp-content/uploads/{self.published:%Y/%m}/{self.slug[:40]}-{self.post_id}.jpg"
