"""Scenario base: a replica site whose answers a subclass changes through a few hooks."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, overload
from urllib.parse import urlsplit

from tests.replica import ReplicaConfig, ReplicaSite
from tests.replica.content import Archive
from tests.replica.model import Post
from tests.replica.views import ArticleView

from .bodies import paragraph_block

#: A body is bytes, or an iterable of byte chunks streamed one by one (Content-Length from
#: the headers if given, else Transfer-Encoding: chunked).
Body = bytes | Iterable[bytes]
Response = tuple[int, dict[str, str], Body]
#: The host every off-site URL points at (.example never resolves: RFC 2606).
ELSEWHERE = "https://elsewhere.example"
_ARTICLE = re.compile(r"^/(?P<slug>[a-z0-9][a-z0-9-]*)/$")


class HookedSite(ReplicaSite):
    """A ReplicaSite whose article views, article pages and results lines pass through its
    scenario's hooks."""

    def __init__(self, cfg: ReplicaConfig, scenario: Scenario) -> None:
        super().__init__(cfg)
        self.scenario = scenario

    def article_view(self, base: str, post: Post) -> ArticleView:
        return self.scenario.edit_view(base, post, super().article_view(base, post))

    def article_page(self, base: str, post: Post) -> tuple[int, dict[str, str], bytes]:
        return self.scenario.edit_page(base, post, super().article_page(base, post))

    def results_text(self, archive: Archive, page: int) -> str:
        return self.scenario.edit_results(archive, page, super().results_text(archive, page))


class Window(Sequence[int]):
    """Stands in for ``Archive.posts`` of a listing with no end: ``length`` entries whose
    current page is ``ids`` (ReplicaSite.archive_page takes only len() and that page's slice)."""

    def __init__(self, length: int, ids: Sequence[int]) -> None:
        self.length, self.ids = length, list(ids)

    def __len__(self) -> int:
        return self.length

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> list[int]: ...
    def __getitem__(self, i: int | slice) -> int | list[int]:
        return self.ids if isinstance(i, slice) else self.ids[i % len(self.ids)]


class Scenario:
    """The plain replica (base class of every scenario)."""

    name: ClassVar[str] = ""
    #: what a robust crawler does with this site, in one sentence
    expected: ClassVar[str] = ""

    def __init__(
        self, *, posts: int = 60, theme: str = "classic", seo: str = "yoast", seed: int = 1
    ) -> None:
        self.site = HookedSite(ReplicaConfig(seed=seed, posts=posts, theme=theme, seo=seo), self)
        #: set when the server stops: streaming bodies end, sleeping ones wake up
        self.stop = threading.Event()
        #: the paths this scenario changes, by role (for tests and the crawler's authors)
        self.targets: dict[str, list[str]] = {}
        self._block: bytes | None = None

    # ------------------------------------------------------------------ helpers
    @property
    def posts(self) -> list[Post]:
        """The replica's posts, newest first."""
        return self.site.content.posts

    def path(self, post: Post) -> str:
        """Site-relative permalink of ``post``."""
        return f"/{post.slug}/"

    def post_for(self, path: str) -> Post | None:
        """The real post whose permalink is ``path`` (query string already stripped)."""
        m = _ARTICLE.match(path)
        return self.site.content.by_slug.get(m.group("slug")) if m else None

    def html_headers(self, base: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        """The replica's response headers for an HTML page."""
        return self.site._headers("text/html; charset=UTF-8", base, extra)

    def split_article(self, base: str, post: Post) -> tuple[dict[str, str], bytes, bytes]:
        """Headers and the article page cut right after its content: (headers, head, tail)."""
        _, headers, body = self.site.article_page(base, post)
        content = self.site.article_view(base, post).content_html.encode()
        cut = body.index(content) + len(content)
        return headers, body[:cut], body[cut:]

    def block(self) -> bytes:
        """About 128 KiB of real paragraphs (from every post) to repeat in big bodies."""
        if self._block is None:
            c = self.site.content
            self._block = paragraph_block(t for p in c.posts for t in c.paragraphs(p))
        return self._block

    def ground_truth(self, base_url: str) -> dict[str, Any]:
        """The replica's ground truth (what an honest copy of the site holds)."""
        return self.site.ground_truth(base_url)

    # ------------------------------------------------------------------ hooks
    def route(self, path: str, base: str) -> Response | None:
        """Answer a path (query string stripped) differently from the replica, or None to let
        the replica answer."""
        return None

    def edit_view(self, base: str, post: Post, view: ArticleView) -> ArticleView:
        """Change an article's view model before the theme renders it."""
        return view

    def edit_page(
        self, base: str, post: Post, resp: tuple[int, dict[str, str], bytes]
    ) -> tuple[int, dict[str, str], bytes]:
        """Change a rendered article page."""
        return resp

    def edit_results(self, archive: Archive, page: int, text: str) -> str:
        """Change a listing's 'Viewing results A - B of N' line."""
        return text

    def rewrite(self, resp: Response) -> Response:
        """Change any response (the replica's or the scenario's) last."""
        return resp

    # ------------------------------------------------------------------ entry points
    def handle(
        self, method: str, target: str, base_url: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        """Answer one request. The body is always the GET body (the server drops it for HEAD)."""
        base = base_url.rstrip("/")
        parts = urlsplit(target)
        resp = self.route(parts.path or "/", base)
        if resp is None:
            resp = self.site.handle("GET", target, base, headers=headers)
        return self.rewrite(resp)

    def close(self) -> None:
        """Release what the scenario holds (sockets); called when its server stops."""


SCENARIOS: dict[str, type[Scenario]] = {}


def register(name: str) -> Any:
    """Class decorator: add a Scenario subclass to SCENARIOS under ``name``."""

    def deco(cls: type[Scenario]) -> type[Scenario]:
        cls.name = name
        SCENARIOS[name] = cls
        return cls

    return deco
