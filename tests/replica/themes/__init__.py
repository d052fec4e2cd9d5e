"""The replica's themes; all expose the same rendering functions.

classic and magazine are the development themes; block (a WordPress block theme, Twenty
Twenty-Four/Five style) and jnews (JNews by Jegtheme style) are holdout themes: markup the
crawler's parsers were not written against.
"""

from __future__ import annotations

from types import ModuleType

from . import block, classic, jnews, magazine


def get_theme(name: str) -> ModuleType:
    """Theme module by config name ('classic', 'magazine', 'block' or 'jnews')."""
    return {"classic": classic, "magazine": magazine, "block": block, "jnews": jnews}[name]
