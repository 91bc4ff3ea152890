"""The region catalog (data/regions.yaml), read once: official names, aliases, levels and parents.

Metadata (a document's region), claims (a region named before a number) and indicators (region words
stripped from a phrase) all read regions through here.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import load_yaml

# Words that stand for "the document's own region" rather than name one.
GENERIC = frozenset({"全市", "我市", "全省", "全区", "全县"})


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict]:
    """Name or alias → the region's record (name, level, parent, aliases); generic words left out."""
    names: dict[str, dict] = {}
    for r in load_yaml("regions.yaml")["regions"]:
        for n in (r["name"], *(r.get("aliases") or ())):
            if n not in GENERIC:
                names.setdefault(str(n), r)
    return names


def names() -> list[str]:
    """Every name and alias that may be written in text, longest first."""
    return sorted(catalog(), key=len, reverse=True)


@lru_cache(maxsize=1)
def pattern() -> re.Pattern:
    """One pattern matching any region name or alias, longest first."""
    return re.compile("|".join(map(re.escape, names())) or r"(?!)")


def canonical(name: str) -> str:
    """The official name of a name or alias (南昌 → 南昌市); an unknown name as given."""
    r = catalog().get(name)
    return r["name"] if r else name


def info(name: str) -> tuple[str, str]:
    """(level, parent) of a region name, from the catalog or its suffix."""
    r = catalog().get(name)
    if r:
        return r.get("level", ""), r.get("parent", "") or ""
    return {"省": "province", "市": "city", "县": "county", "区": "district"}.get(name[-1:], ""), ""
