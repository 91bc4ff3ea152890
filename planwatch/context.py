"""What a document is: its type, region and years, inferred from its title and first lines.

The claims step needs these to read numbers: in a work report dated 2024 the review speaks of 2023 and
the targets of 2024; in the 十四五 outline targets are for 2025 and the baseline is 2020. Everything here can
be given explicitly (CLI options) and is only inferred when it is not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .lexicon import load_yaml
from .model import Document

DOC_TYPES = (
    ("five_year_plan", re.compile(r"五年规划|规划纲要|远景目标纲要")),
    ("work_report", re.compile(r"政府工作报告")),
    ("plan_execution_report", re.compile(r"计划执行情况|计划草案的报告")),
    ("statistical_bulletin", re.compile(r"统计公报")),
)
_PLAN_ORDINALS = {"十一": (2006, 2010), "十二": (2011, 2015), "十三": (2016, 2020), "十四": (2021, 2025), "十五": (2026, 2030)}
_PLAN_NAME = re.compile(r"第(十[一二三四五])个\s*五年规划|“?(十[一二三四五])五”?规划")
_DATED = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


@dataclass(frozen=True)
class DocContext:
    doc_type: str = "article"  # five_year_plan | work_report | plan_execution_report | statistical_bulletin | article
    region: str = ""
    year: int | None = None  # the document's own year (date of a report; first plan year for a plan)
    review_year: int | None = None  # the year its review speaks of (actuals without a year)
    target_year: int | None = None  # the year its targets are for, when not stated
    plan_start: int | None = None  # plan period, for five-year plans
    plan_end: int | None = None

    @property
    def base_year(self) -> int | None:
        """The plan's baseline year (2020 for 十四五)."""
        return self.plan_start - 1 if self.plan_start else None


@lru_cache(maxsize=1)
def _regions() -> tuple[tuple[str, tuple[str, ...]], ...]:
    data = load_yaml("regions.yaml")["regions"]
    return tuple((r["name"], tuple(r.get("aliases") or ())) for r in data)


def region_names() -> list[str]:
    """Every official region name and alias that may be named in text, longest first."""
    names = []
    for name, aliases in _regions():
        names.append(name)
        names.extend(a for a in aliases if a not in ("全市", "我市", "全省"))
    return sorted(set(names), key=len, reverse=True)


def canonical_region(name: str) -> str:
    for official, aliases in _regions():
        if name == official or name in aliases:
            return official
    return name


def _infer_region(head: str) -> str:
    for name in region_names():
        if name in head:
            return canonical_region(name)
    m = re.search(r"([\u4e00-\u9fff]{2,4}(?:市|县|区))(?:人民政府|国民经济|政府工作|第)", head)
    return m.group(1) if m else ""


def infer_context(doc: Document, **given) -> DocContext:
    """Infer type, region and years from the first lines of a document; `given` values win."""
    head = doc.text[:1500]
    # the type is read from the title lines only: a results article may well mention “十四五”规划 in its text
    title = "\n".join([ln for ln in head.splitlines() if ln.strip() and not ln.startswith("更多数据")][:3])
    doc_type = next((t for t, rx in DOC_TYPES if rx.search(title)), "article")
    region = _infer_region(head)
    ctx = DocContext(doc_type=doc_type, region=region)
    plan = _PLAN_NAME.search(head)
    if doc_type == "five_year_plan" and plan:
        start, end = _PLAN_ORDINALS[plan.group(1) or plan.group(2)]
        ctx = replace(ctx, year=start, plan_start=start, plan_end=end, target_year=end, review_year=start - 1)
    elif doc_type == "work_report":
        dated = _DATED.search(head)
        year = int(dated.group(1)) if dated else _first_year(head)
        if year:
            ctx = replace(ctx, year=year, review_year=year - 1, target_year=year)
    else:
        year = _first_year(head)
        if year:
            ctx = replace(ctx, year=year, review_year=year, target_year=year + 1)
    given = {k: v for k, v in given.items() if v is not None}
    if "year" in given and "review_year" not in given:
        y = given["year"]
        given.setdefault("review_year", y - 1 if ctx.doc_type == "work_report" else y)
        given.setdefault("target_year", y if ctx.doc_type == "work_report" else y + 1)
    return replace(ctx, **given)


def _first_year(head: str) -> int | None:
    m = _YEAR.search(head)
    return int(m.group(1)) if m else None
