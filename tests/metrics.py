"""Text comparison used by the tests and the benchmark."""

from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall((text or "").lower())


def token_f1(predicted: str | None, expected: str | None) -> float:
    """Bag-of-tokens F1 between two texts (1.0 for two empty texts)."""
    p, e = Counter(tokens(predicted)), Counter(tokens(expected))
    if not p and not e:
        return 1.0
    overlap = sum((p & e).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(e.values())
    return 2 * precision * recall / (precision + recall)
