"""Countries and sections of a post, from its category term paths.

The site files most posts under a country's child section only
(``kazakhstan/kazakhstan-business-economy``, shown as "Business & Economy"), so a post's
country is read from the path, never from the names alone, and a section is labelled with
its parents ("Kazakhstan / Features" and "Kyrgyzstan / Features" stay two sections).
"""

from __future__ import annotations

from collections.abc import Sequence

from crawler.parsers.text import humanize

#: The site's country categories (top-level category slug -> name), as its menus list them.
COUNTRIES: dict[str, str] = {
    "kazakhstan": "Kazakhstan",
    "kyrgyzstan": "Kyrgyzstan",
    "tajikistan": "Tajikistan",
    "turkmenistan": "Turkmenistan",
    "uzbekistan": "Uzbekistan",
    "afghanistan": "Afghanistan",
}
_BY_NAME = {name.casefold(): name for name in COUNTRIES.values()}
SEPARATOR = " / "


def _words(slug: str) -> str:
    return humanize(slug) or slug


def country_slug(path: str) -> str | None:
    """The country a term path belongs to: a country segment anywhere in it, else a first
    segment in the site's ``COUNTRY-SECTION`` form (a child slug seen without its parent)."""
    segments = path.split("/")
    for segment in segments:
        if segment in COUNTRIES:
            return segment
    return next((slug for slug in COUNTRIES if segments[0].startswith(f"{slug}-")), None)


def countries(paths: Sequence[str], names: Sequence[str] = ()) -> list[str]:
    """Country names of a post, in its terms' order; without paths, its category names that
    are country names."""
    if not paths:
        return list(dict.fromkeys(_BY_NAME[n.casefold()] for n in names
                                  if n.casefold() in _BY_NAME))
    slugs = (country_slug(path) for path in paths)
    return list(dict.fromkeys(COUNTRIES[s] for s in slugs if s))


def sections(paths: Sequence[str], names: Sequence[str]) -> list[str]:
    """Section labels of a post: every term that is not a bare country, named with its
    parents (``Kazakhstan / Business & Economy``, ``Home / Lead Story``, ``Opinions``).

    ``names`` are the linked names of ``paths`` (same order, "" unknown); a parent that is
    not linked takes its country's name or its slug, humanized."""
    known = {p: n for p, n in zip(paths, names, strict=False) if n}
    out: dict[str, None] = {}
    for path in paths:
        segments = path.split("/")
        if len(segments) == 1 and segments[0] in COUNTRIES:
            continue
        labels = []
        for depth in range(1, len(segments) + 1):
            prefix = "/".join(segments[:depth])
            slug = segments[depth - 1]
            labels.append(known.get(prefix) or COUNTRIES.get(slug) or _words(slug))
        country = country_slug(path)
        if country and country not in segments:  # a child slug seen without its parent
            labels[-1] = known.get(path) or _words(segments[-1][len(country) + 1:])
            labels.insert(0, COUNTRIES[country])
        out[SEPARATOR.join(labels)] = None
    return list(out)


__all__ = ["COUNTRIES", "SEPARATOR", "countries", "country_slug", "sections"]
