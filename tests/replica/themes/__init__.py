"""The two unrelated themes; both expose the same rendering functions."""

from __future__ import annotations

from types import ModuleType

from . import classic, magazine


def get_theme(name: str) -> ModuleType:
    """Theme module by config name ('classic' or 'magazine')."""
    return {"classic": classic, "magazine": magazine}[name]
