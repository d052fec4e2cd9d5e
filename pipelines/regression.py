"""A worse copy never replaces a good stored row.

A site that starts answering with a subscription wall, an error page or a truncated page
still answers 200 with a page that parses: the refetched article is valid, only far
shorter, or made of text the site now gives for many posts. A refetch must not replace the
stored row (of at least :data:`MIN_STORED_WORDS`) when its body is under
:data:`SHRINK_RATIO` of the stored body's words, or when some of its paragraphs are in
:data:`MIN_POSTS` or more refetched posts of the run (see :class:`RepeatedText`) and its
own text, the rest, is under :data:`REPEATED_SHRINK_RATIO` of the stored words: a wall
that keeps a teaser. Site boilerplate learned by earlier runs is stripped before the
comparison, so a newsletter box added to every post does not hold back its edits for
long. The writer then records a reject (kind ``regression``) and keeps
the stored row; the run summary warns (``worse_copies``).
"""

from __future__ import annotations

from collections import Counter

from pipelines.boilerplate import normal_paragraph, paragraphs

#: A refetched body with less own text than this share of the stored one is a worse copy ...
SHRINK_RATIO = 0.3
#: ... of a stored body of at least this many words.
MIN_STORED_WORDS = 15
#: A paragraph in this many refetched posts of one run is text the site repeats ...
MIN_POSTS = 5
#: ... and a body holding some with less own text than this share of the stored words is
#: a worse copy.
REPEATED_SHRINK_RATIO = 0.7


def worse_copy(stored_words: int | None, new_words: int | None, *,
               repeated_in: int = 0) -> str | None:
    """Why a refetched body of ``new_words`` own words must not replace a stored one of
    ``stored_words`` (None when it may); ``repeated_in``: the most refetched posts that share
    one of its other paragraphs."""
    if stored_words is None or stored_words < MIN_STORED_WORDS:
        return None
    got = new_words or 0
    if got >= (REPEATED_SHRINK_RATIO if repeated_in else SHRINK_RATIO) * stored_words:
        return None
    if repeated_in:
        return (f"body is text the site gives for {repeated_in} posts and {got} words of "
                f"its own, against {stored_words} stored (a wall, an error page?); the "
                "stored copy is kept")
    return (f"body shrank from {stored_words} to {got} words (a wall, an error page, a "
            "truncated page?); the stored copy is kept")


class RepeatedText:
    """Counts the paragraphs of a run's refetched bodies over posts (one count per post)."""

    def __init__(self, min_posts: int = MIN_POSTS) -> None:
        self.min_posts = min_posts
        self._counts: Counter[int] = Counter()

    @staticmethod
    def _keys(body: str | None) -> dict[int, int]:
        """Each paragraph's key -> its words."""
        return {hash(normal_paragraph(p)): len(p.split()) for p in paragraphs(body)}

    def add(self, body: str | None) -> None:
        """One refetched post's body."""
        self._counts.update(self._keys(body).keys())

    @property
    def any(self) -> bool:
        """Does some paragraph reach :attr:`min_posts`?"""
        return bool(self._counts) and max(self._counts.values()) >= self.min_posts

    def own(self, body: str | None) -> tuple[int, int]:
        """``body``'s words outside the repeated paragraphs, and the most posts one of its
        repeated paragraphs is in (0: none is)."""
        own = most = 0
        for key, words in self._keys(body).items():
            count = self._counts[key]
            if count >= self.min_posts:
                most = max(most, count)
            else:
                own += words
        return own, most
