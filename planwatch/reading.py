"""What the claims rules look at: a number in its clause and sentence, and the cue lexicon (data/cues.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import load_yaml
from .model import Quantity, Sentence

CLAUSE_END = "，,;；。!?！？：:\n\t"


@lru_cache(maxsize=1)
def cues() -> dict:
    raw = load_yaml("cues.yaml")
    out = {}
    for k, words in raw.items():
        words = [str(w) for w in words]
        out[k] = words
        out[k + "_re"] = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    return out


@dataclass(frozen=True)
class Reading:
    """Where a quantity sits: its clause and the text around it inside the sentence."""

    sentence: Sentence
    q: Quantity
    clause_start: int
    clause_end: int
    left: str  # clause text before the number (hedge words included)
    right: str  # clause text after the number
    before: str  # sentence text before the number


def clause_span(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    """The clause around text[s:e], bounded by punctuation and by the sentence [lo, hi)."""
    a = s
    while a > lo and text[a - 1] not in CLAUSE_END:
        a -= 1
    b = e
    while b < hi and text[b] not in CLAUSE_END:
        b += 1
    return a, b
