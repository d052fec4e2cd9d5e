"""Theme-independent view models handed from the router to a theme."""

from __future__ import annotations

from dataclasses import dataclass, field

Link = tuple[str, str]  # (text, absolute URL)


@dataclass
class TeaserView:
    """One post in an archive list."""

    post_id: int
    href: str
    title: str
    excerpt_html: str
    date_iso: str
    date_human: str
    categories: list[Link]
    authors: list[Link]
    image_url: str | None
    post_class: str
    sticky: bool = False


@dataclass
class ArchiveView:
    """One archive page."""

    kind: str  # latest | home | category | tag | author
    heading: str
    archive_url: str
    page: int
    pages: int
    results_text: str
    teasers: list[TeaserView]
    sponsored: Link
    page_links_noslash: bool = False
    author_bio: str | None = None
    author_avatar: str | None = None
    description: str | None = None


@dataclass
class ArticleView:
    """One single-post page."""

    url: str
    post_id: int
    title: str
    authors: list[Link]
    published_iso: str
    published_human: str
    modified_iso: str
    modified_human: str
    categories: list[Link]
    tags: list[Link]
    image: tuple[str, int, int] | None
    content_html: str
    post_class: str
    breadcrumbs: list[Link] = field(default_factory=list)
    more: list[Link] = field(default_factory=list)  # nearby posts (related / "More posts")


@dataclass
class SidebarView:
    """Widgets shared by all pages."""

    recent: list[Link]
    most_read: list[Link]
