"""Loading the lexicons kept as data files under planwatch/data (units, hedges, cues, regions …)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=None)
def load_yaml(name: str):
    """Parse a data file once; callers must not mutate what it returns."""
    with resources.files("planwatch.data").joinpath(name).open(encoding="utf-8") as f:
        return yaml.safe_load(f)
