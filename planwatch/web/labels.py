"""Labels of the UI by stable English code, in Chinese (default) and English, from the package's data files:
data/labels.zh.yaml (statuses, forecasts, comparators — shared with the CLI and reports) and
data/ui_labels.yaml (everything the web pages say)."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

LANGS = ("zh", "en")


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict]:
    data = resources.files("planwatch.data")
    tables = yaml.safe_load((data / "labels.zh.yaml").read_text("utf-8"))
    tables.update(yaml.safe_load((data / "ui_labels.yaml").read_text("utf-8")))
    return tables


def label(group: str, code: str | None, lang: str = "zh") -> str:
    """The label of `code` in `group` (status, ui, doc_type …); the code itself when it has none."""
    entry = _tables().get(group, {}).get(code or "")
    if not entry:
        return code or ""
    return entry.get(lang) or entry.get("zh") or code or ""


def codes(group: str) -> list[str]:
    return list(_tables().get(group, {}))


class Labels:
    """`L.ui('nav.overview')`, `L.status('met')` … in templates, bound to one language."""

    def __init__(self, lang: str):
        self.lang = lang if lang in LANGS else "zh"

    def __getattr__(self, group: str):
        if group.startswith("_"):
            raise AttributeError(group)
        return lambda code: label(group, code, self.lang)
