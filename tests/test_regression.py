"""A worse copy never replaces a stored row: the rules of pipelines.regression."""

from __future__ import annotations

import pytest

from pipelines.regression import RepeatedText, worse_copy

ARTICLE = ["Para one has exactly six words.", "Second paragraph holds five words.",
           "Third one here, five words.", "The fourth paragraph: five words."]
BOX = "Subscribe to our newsletter for the daily news from Central Asia."
WALL = "This story is for subscribers only: subscribe to read it in full today."


@pytest.mark.parametrize(("stored", "new", "repeated_in", "worse"), [
    (100, 100, 0, False),
    (100, 30, 0, False),  # 30% of the stored words: an edit may cut that much
    (100, 29, 0, True),
    (14, 0, 0, False),  # a stored stub is not protected
    (None, 0, 0, False),  # nothing stored
    (100, 69, 5, True),  # beside text the site repeats, less own text is enough
    (100, 70, 5, False),
])
def test_worse_copy_thresholds(stored: int | None, new: int, repeated_in: int,
                               worse: bool) -> None:
    assert (worse_copy(stored, new, repeated_in=repeated_in) is not None) is worse


def test_the_reason_says_what_happened() -> None:
    assert worse_copy(98, 9) == ("body shrank from 98 to 9 words (a wall, an error page, a "
                                 "truncated page?); the stored copy is kept")
    assert worse_copy(98, 20, repeated_in=24) == (
        "body is text the site gives for 24 posts and 20 words of its own, against 98 "
        "stored (a wall, an error page?); the stored copy is kept")


def test_repeated_paragraphs_are_counted_once_per_post() -> None:
    text = RepeatedText(min_posts=3)
    text.add(f"{WALL}\n\n{WALL}\n\n{ARTICLE[0]}")
    text.add(f"{ARTICLE[0]}\n\n{WALL}")
    assert not text.any
    text.add(f"{ARTICLE[1]}\n\n{WALL.upper()}")  # case and spacing aside
    assert text.any
    assert text.own(f"{ARTICLE[0]}\n\n{WALL}") == (6, 3)
    assert text.own("\n\n".join(ARTICLE)) == (21, 0)


def test_a_teaser_behind_a_wall_is_worse_and_an_added_box_is_not() -> None:
    walled = RepeatedText()
    boxed = RepeatedText()
    bodies = [[f"Post {n} says something in its own words.", *(f"{p} ({n})" for p in ARTICLE)]
              for n in range(6)]
    for body in bodies:
        walled.add("\n\n".join([body[0], WALL]))
        boxed.add("\n\n".join([*body, BOX]))
    stored = len(" ".join(bodies[0]).split())
    own, most = walled.own("\n\n".join([bodies[0][0], WALL]))
    assert (stored, own, most) == (33, 8, 6)
    assert worse_copy(stored, own, repeated_in=most) is not None
    own, most = boxed.own("\n\n".join([*bodies[0], BOX]))
    assert (own, most) == (stored, 6)
    assert worse_copy(stored, own, repeated_in=most) is None
