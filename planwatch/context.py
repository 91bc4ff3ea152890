"""What a document is: its type, region and years, inferred from its title and first lines.

The claims step needs these to read numbers: in a work report dated 2024 the review speaks of 2023 and
the targets of 2024; in the 十四五 outline targets are for 2025 and the baseline is 2020. Everything here can
be given explicitly (CLI options) and is only inferred when it is not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .lexicon import plan_periods
from .metadata import infer_metadata
from .model import Document

_EXECUTION_YEARS = re.compile(r"(20\d\d)\s*年[^\n]{0,30}?执行情况(?:[^\n]{0,6}?(20\d\d)\s*年)?")
_PLAN_NAME = re.compile(r"第(十[一二三四五])个\s*五年规划|“?(十[一二三四五])五”?规划")


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


def infer_context(doc: Document, **given) -> DocContext:
    """Type, region and year from the title block (planwatch.metadata), and the years a reader of its
    numbers needs: a work report dated 2024 reviews 2023 and sets 2024 targets; the 十四五 outline sets
    2025 targets against a 2020 baseline; a results article or bulletin reports its own year. `given`
    values (from the command line) win."""
    given = {k: v for k, v in given.items() if v is not None}
    meta = infer_metadata(doc, doc_type=given.pop("doc_type", None), region=given.pop("region", None),
                          year=given.pop("year", None))
    ctx = DocContext(doc_type=meta.doc_type, region=meta.region, year=meta.year)
    y = meta.year
    if meta.doc_type == "five_year_plan":
        plan = _PLAN_NAME.search(doc.text[:1500])
        if plan:
            start, end = plan_periods()[plan.group(1) or plan.group(2)]
            ctx = replace(ctx, year=y or start, plan_start=start, plan_end=end, target_year=end, review_year=start - 1)
    elif meta.doc_type == "plan_execution_report":
        # 关于2023年…计划执行情况与2024年计划草案的报告: the years are in the title; else dated like a work report
        m = _EXECUTION_YEARS.search(doc.text[:400])
        review = int(m.group(1)) if m else (y - 1 if y else None)
        target = int(m.group(2)) if m and m.group(2) else (review + 1 if review else None)
        ctx = replace(ctx, review_year=review, target_year=target)
    elif y and meta.doc_type == "work_report":
        ctx = replace(ctx, review_year=y - 1, target_year=y)
    elif y:
        ctx = replace(ctx, review_year=y, target_year=y + 1)
    return replace(ctx, **given)
