"""What a document is — type, region, year — from its title block, for the document row and the extraction.

The title block is the first few short lines (a title, a subtitle, a dateline); the body is only consulted
when the title says nothing. Rules, in order (the first that answers wins):
- type: 计划执行情况 → plan_execution_report, 统计公报 → statistical_bulletin, 政府工作报告 → work_report,
  规划纲要 / 五年规划 / 远景目标纲要 → five_year_plan, else article. Only the title block counts: every report
  mentions the “十四五”规划 in its body.
- region: the most specific region of data/regions.yaml named in the title block (青山湖区 over 南昌市), else
  "X市/县/区" before 人民政府 / 国民经济 / 第…届人民代表大会, else the region the body names most often.
- year: a dateline (2024年1月15日 → 2024); the plan period of a five-year plan (第十四个五年规划 → 2021);
  a year in the title block (“2024 工作回顾” → 2024); "2023年工作回顾" in a work report → 2024; else the year
  the body mentions most (the later one on a tie).
Values given on the command line always win; `decided` says which were given and which inferred, and why.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import regions
from .lexicon import plan_periods
from .model import Document
from .read.normalize import is_banner

TYPE_RULES = (
    ("plan_execution_report", re.compile(r"计划执行情况")),
    ("statistical_bulletin", re.compile(r"统计公报")),
    ("work_report", re.compile(r"政府工作报告")),
    ("five_year_plan", re.compile(r"规划纲要|五年规划|远景目标纲要")),
)
_LEVEL_RANK = {"district": 0, "county": 0, "zone": 1, "city": 2, "province": 3}
_PLAN = re.compile(r"第(十[一二三四五])个五年规划|“?(十[一二三四五])五”?规划")
_DATELINE = re.compile(r"(20\d\d)年(\d{1,2})月(\d{1,2})日")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_YEAR_CN = re.compile(r"(?<!\d)(20\d\d)年")
_REVIEW = re.compile(r"(20\d\d)年(?:工作)?回顾")
_REGION_CUE = re.compile(r"([\u4e00-\u9fff]{2,5}?(?:省|市|县|区))(?=人民政府|国民经济|政府工作|统计局|第[一二三四五六七八九十]+届)")


@dataclass(frozen=True)
class DocumentMeta:
    doc_type: str = "article"
    region: str = ""
    year: int | None = None
    decided: dict[str, str] = field(default_factory=dict)  # field → "given" | the rule that inferred it


def title_block(text: str, max_lines: int = 4) -> list[str]:
    """The first short lines of a text (spaces removed), up to the first sentence-like line: what type, region
    and year are inferred from. Not the display title (read: Document.title, one line as written, or an HTML
    <title>): a title spread over several lines (南昌市 / 2024年政府工作报告) needs them all here. Both skip
    the same banner lines (read.normalize.is_banner)."""
    lines = []
    for raw in text.splitlines():
        line = re.sub(r"\s+", "", raw)
        if not line or is_banner(line):
            continue
        if len(line) > 40 or line.endswith(("。", "；")):
            break
        lines.append(line)
        if len(lines) == max_lines:
            break
    return lines


def infer_type(title: str) -> tuple[str, str]:
    for doc_type, rx in TYPE_RULES:
        if rx.search(title):
            return doc_type, f"title:{rx.search(title).group(0)}"
    return "article", "default"


def infer_region(title: str, text: str) -> tuple[str, str]:
    names, rx = regions.catalog(), regions.pattern()
    found = [names[m.group(0)] for m in rx.finditer(title)]
    if found:
        best = min(found, key=lambda r: _LEVEL_RANK.get(r.get("level", ""), 9))
        return best["name"], "title"
    m = _REGION_CUE.search(title) or _REGION_CUE.search(text[:3000])
    if m:
        return (names[m.group(1)]["name"] if m.group(1) in names else m.group(1)), "dateline"
    counts = Counter(names[m.group(0)]["name"] for m in rx.finditer(text))
    below_province = [(n, c) for n, c in counts.most_common() if names[n].get("level") != "province"]
    ranked = below_province or counts.most_common()
    return (ranked[0][0], "most_named") if ranked else ("", "none")


def infer_year(title: str, text: str, doc_type: str) -> tuple[int | None, str]:
    if m := _DATELINE.search(title):
        return int(m.group(1)), "dateline"
    if doc_type == "five_year_plan" and (m := _PLAN.search(title)):
        return plan_periods()[m.group(1) or m.group(2)][0], "plan_period"
    if m := _YEAR.search(title):
        return int(m.group(1)), "title"
    if doc_type == "work_report" and (m := _REVIEW.search(text[:5000])):
        return int(m.group(1)) + 1, "review_year+1"
    counts = Counter(int(y) for y in _YEAR_CN.findall(text))
    if counts:
        top = max(counts.values())
        return max(y for y, c in counts.items() if c == top), "most_mentioned"
    return None, "none"


def infer_metadata(doc: Document, *, doc_type: str | None = None, region: str | None = None,
                   year: int | None = None) -> DocumentMeta:
    """Type, region and year of `doc`; the given values win."""
    title = "\n".join(title_block(doc.text))
    decided = {}
    if doc_type is None:
        doc_type, decided["doc_type"] = infer_type(title)
    else:
        decided["doc_type"] = "given"
    if region is None:
        region, decided["region"] = infer_region(title, doc.text)
    else:
        decided["region"] = "given"
    if year is None:
        year, decided["year"] = infer_year(title, doc.text, doc_type)
    else:
        decided["year"] = "given"
    return DocumentMeta(doc_type=doc_type, region=region, year=year, decided=decided)
