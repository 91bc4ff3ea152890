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


@lru_cache(maxsize=1)
def plan_periods() -> dict[str, tuple[int, int]]:
    """十四五 → (2021, 2025), and the same keyed by its ordinal alone (十四 → …), as 第十四个五年规划 writes it."""
    plans = {str(k): (int(v[0]), int(v[1])) for k, v in load_yaml("periods.yaml")["plans"].items()}
    plans.update({k[:-1]: v for k, v in list(plans.items())})
    return plans
