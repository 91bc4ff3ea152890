"""Claims from indicator tables (表1 十三五完成情况, 表2 十四五主要指标): each cell read by its column header.

A column's role comes from its header: 基期值/基数 → baseline (actual), 目标值/目标 → target, 预期值/完成/实际
→ result (actual), 年均或累计增长 → growth, taking the kind of the nearest value column to its left (so in
表1 the growth after 2020年目标 is planned and the one after 2020年预期值 is realized), 属性 → attribute.
The row's unit comes from its name: 地区生产总值（亿元）. Bracketed values [2] are changes over the period.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .context import DocContext
from .model import Claim, Document, Quantity, Sentence
from .quantities import unit_kind
from .subjects import SECTORS

_UNIT_IN_NAME = re.compile(r"[(（]\s*([^()（）]{1,12}?)\s*[)）]\s*$")
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年")
_QUALITATIVE = ("省下达", "保持稳定", "全省领先", "同步", "视为完成")
ATTRIBUTES = {"预期性": "expected", "约束性": "binding"}


@dataclass(frozen=True)
class Column:
    role: str  # name | category | baseline | target | result | growth_target | growth_result | attribute | other
    year: int | None
    part: str = ""  # for a structure row (三次产业结构 4.7:52.5:42.8): the share this number is of


_GROUP = {"baseline": "baseline", "target": "target", "growth_target": "target", "result": "result",
          "growth_result": "result", "estimate": "target"}


def _structure_parts(placed: list, indicator: str) -> list:
    """三次产业结构 4.7:52.5:42.8 → three shares, the n-th number of a column group being the n-th sector's.
    A ratio split over two cells by a broken layout (4.1 | 46.6 49.3) is read as one group, so the numbers
    under 完成情况 stay results and are not taken for growth rates."""
    if "产业" not in indicator:
        return placed
    seen: dict[str, int] = {}
    out = []
    for q, col in placed:
        group = _GROUP.get(col.role)
        if group is None:
            continue
        i = seen.get(group, 0)
        seen[group] = i + 1
        if i < len(SECTORS):
            role = {"baseline": "baseline", "target": "target", "result": "result"}[group]
            out.append((q, Column(role, col.year, SECTORS[i])))
    return out


_QUALITATIVE_TARGET = re.compile(r"省下达|全省领先|保持稳定|基本同步|同步")


def _qualitative_targets(doc, sent, row, cols, shift, names, indicator, row_unit, attribute, end_year, ctx):
    """A target cell with words and no number (省下达的目标, 全省领先, 与经济增长基本同步) is still a target: a
    claim with no value (NaN) whose qualifier says what was promised; the row's 省未下达目标,视为完成 goes with it."""
    deemed = next((c.strip() for c in row.cells if "视为完成" in c), "")
    for ci, cell in enumerate(row.cells):
        col_i = ci + shift
        if ci in names or not 0 <= col_i < len(cols) or cols[col_i].role not in ("target", "growth_target"):
            continue
        text = cell.strip()
        if not text or re.search(r"\d", text) or not _QUALITATIVE_TARGET.search(text):
            continue
        s, e = row.spans[ci]
        start, end = doc.to_original(s, e)
        yield Claim(
            doc=doc.name, start=start, end=end, quote=doc.original[start:end], kind="target",
            measure="share" if row_unit in ("%", "％") else "level", indicator=indicator, region=ctx.region,
            value=float("nan"), unit=row_unit, qualifier="|".join(x for x in (text, deemed) if x),
            target_year=cols[col_i].year or end_year, attribute=attribute, source="table",
            rule="table_qualitative_target", section=" / ".join(sent.path),
        )


def column_roles(header: tuple[str, ...]) -> list[Column]:
    cols: list[Column] = []
    last_value = ""
    for h in header:
        h = re.sub(r"\s+", "", h or "")
        y = _YEAR.search(h)
        year = int(y.group(1)) if y else None
        if "属性" in h:
            role = "attribute"
        elif "类别" in h:
            role = "category"
        elif "指标" in h or "名称" in h or "项目" in h:
            role = "name"
        elif "增长" in h or "增速" in h or "增幅" in h:
            role = "growth_result" if last_value == "result" else "growth_target"
        elif "基期" in h or "基数" in h or "基准" in h:
            role = last_value = "baseline"
        elif "预期值" in h or "完成" in h or "实际" in h or "实现" in h:
            role = last_value = "result"
        elif "目标" in h or "规划" in h:
            role = last_value = "target"
        elif "估算" in h or "预计" in h or "预测" in h:
            role = last_value = "estimate"  # 投资估算 of a plan's project table: an approximate target
        else:
            role = "other"
        cols.append(Column(role, year))
    return _bare_year_roles(cols, header)


def _bare_year_roles(cols: list[Column], header: tuple[str, ...]) -> list[Column]:
    """A column headed only by a year (2020年 | 2025年): the earliest is the baseline, the latest the target, when
    the table has both; the growth column after them is the planned growth."""
    bare = [i for i, c in enumerate(cols) if c.role == "other" and c.year
            and re.fullmatch(r"(?:19|20)\d\d年?(?:[(（][^)）]*[)）])?", re.sub(r"\s+", "", header[i] or ""))]
    if len(bare) < 2:
        return cols
    first, last = min(bare, key=lambda i: cols[i].year), max(bare, key=lambda i: cols[i].year)
    out = list(cols)
    out[first] = Column("baseline", cols[first].year)
    out[last] = Column("target", cols[last].year)
    for i in range(last + 1, len(out)):
        if out[i].role == "growth_result":  # read after a baseline column: it follows the target here
            out[i] = Column("growth_target", out[i].year)
    return out


_VALUE_CELL = re.compile(r"^[\[(（]?\s*(?:约|>|<|≥|≤|不低于|不高于|—|--|-)?\s*[-−]?\d")


def _is_value_cell(c: str) -> bool:
    """7000 亿元, [约 30], >7000, 62-64, 4.7:52.5:42.8 — but not a description that starts with "1. …"."""
    return bool(_VALUE_CELL.match(c)) and len(re.findall(r"[\u4e00-\u9fff]", c)) <= 4


def _name_cells(cells: tuple[str, ...]) -> list[int]:
    """Indices of the cells that name the indicator: the non-numeric cells before the first value."""
    idx = []
    for i, c in enumerate(cells):
        c = c.strip()
        if not c:
            if idx:
                break
            continue
        if _is_value_cell(c) or re.fullmatch(r"[-—–－]+", c):
            break  # a value, or a placeholder (--, —) standing where a value would be
        if c in ATTRIBUTES or any(w in c for w in _QUALITATIVE):
            break
        idx.append(i)
    return idx


def table_claims(doc: Document, sent: Sentence, qs: list[Quantity], ctx: DocContext) -> list[Claim]:
    row = sent.row
    if row is None or not row.header:
        return []
    cols = column_roles(row.header)
    names = _name_cells(row.cells)
    if not names:
        return []
    # cells after the name map to the header columns after the name column (a row may lack its 类别 cell)
    name_col = next((i for i, c in enumerate(cols) if c.role == "name"), names[0])
    shift = name_col - names[-1]
    # the name cells, less a category cell and less a description (专栏 project tables: 1. 传统产业提质效项目：…)
    name = "".join(row.cells[i].strip() for i in names
                   if cols[min(i + shift, len(cols) - 1)].role != "category" and len(row.cells[i].strip()) <= 40)
    name = re.sub(r"\s+", "", name) or row.cells[names[-1]].strip()
    um = _UNIT_IN_NAME.search(name)
    row_unit = um.group(1).strip() if um else ""
    indicator = _UNIT_IN_NAME.sub("", name).strip()
    attribute = next((ATTRIBUTES[c.strip()] for c in row.cells if c.strip() in ATTRIBUTES), "")
    start_year = next((c.year for c in cols if c.role == "baseline" and c.year), ctx.base_year)
    end_year = next((c.year for c in cols if c.role == "target" and c.year), ctx.plan_end)
    period = f"{start_year + 1}-{end_year}" if start_year and end_year else ""
    placed: list[tuple[Quantity, Column]] = []
    for q in qs:
        ci = next((i for i, (s, e) in enumerate(row.spans) if s <= q.start < e), None)
        if ci is None or ci in names or not 0 <= ci + shift < len(cols):
            continue
        placed.append((q, cols[ci + shift]))
    if "结构" in indicator:
        placed = _structure_parts(placed, indicator)
    # the baseline of the row's level target (2020年基期值 5745.51 for 2025年目标值 8200)
    baseline = next((q.value for q, col in placed if col.role == "baseline" and not q.cumulative), None)
    out: list[Claim] = list(_qualitative_targets(doc, sent, row, cols, shift, names, indicator, row_unit,
                                                  attribute, end_year, ctx))
    for q, col in placed:
        part = getattr(col, "part", "")
        claim = _cell_claim(doc, sent, q, col, part or indicator, "%" if part else row_unit, attribute, period,
                            start_year, end_year, ctx)
        if claim is not None:
            if claim.kind == "target" and claim.measure in ("level", "share", "ratio") and baseline is not None:
                claim = replace(claim, baseline_value=baseline)
            out.append(claim)
    return out


def _cell_claim(doc, sent, q, col, indicator, row_unit, attribute, period, start_year, end_year, ctx) -> Claim | None:
    role = col.role
    if role not in ("baseline", "target", "result", "growth_target", "growth_result", "estimate"):
        return None
    kind = "target" if role in ("target", "growth_target") or (role == "estimate" and ctx.doc_type == "five_year_plan") else "actual"
    pct_row = row_unit in ("%", "％")
    is_growth = role.startswith("growth")
    if q.cumulative:
        measure = "cumulative_change" if kind == "target" else "change"
        # [2] in a % row is 2 percentage points; [-16] for 万元GDP能耗 (吨标准煤/万元) or [41.5] for an amount
        # in 亿元 is a change in per cent; [110] for 森林蓄积量 (万立方米) is 110 万立方米
        unit = "百分点" if pct_row else ("%" if ("/" in row_unit or unit_kind(row_unit) == "money") else row_unit)
        if role == "baseline" and ("增速" in indicator or "增长" in indicator):
            measure, unit = "avg_growth", "%"
        elif role == "baseline":
            measure, unit = "change", "%" if pct_row else row_unit
    elif is_growth:
        measure, unit = ("growth_rate" if kind == "target" else "avg_growth"), "%"
    else:
        unit = q.unit or row_unit
        if pct_row or (not row_unit and ("比重" in indicator or "结构" in indicator)):
            measure = "share"
            unit = q.unit or "%"
        elif not unit and "比" in indicator:
            measure = "ratio"
        else:
            measure = "level"
    if kind == "target":
        target_year = col.year or end_year
        tperiod = period if (is_growth or q.cumulative) else ""
    else:
        target_year = None
        if is_growth or q.cumulative:
            tperiod = period if role != "baseline" else (f"{start_year - 4}-{start_year}" if start_year else "")
        else:
            tperiod = str(col.year or (end_year if role == "result" else start_year) or "")
    flags = ("estimate",) if role == "result" or (role == "baseline" and ctx.doc_type == "five_year_plan" and (start_year or 0) >= (ctx.base_year or 9999)) else ()
    start, end = doc.to_original(q.start, q.end)
    return Claim(
        doc=doc.name, start=start, end=end, quote=doc.original[start:end], kind=kind, measure=measure,
        indicator=indicator, region=ctx.region, value=q.value, unit=unit, value_max=q.value_max,
        comparator=(("~" if role == "estimate" and q.comparator == "=" else q.comparator) if kind == "target" else "="), qualifier=q.hedge, period=tperiod,
        target_year=target_year,
        baseline_value=None, baseline_year=start_year if kind == "target" else None,
        attribute=attribute, flags=flags, source="table", rule=f"table_{role}", section=" / ".join(sent.path),
    )
