"""What every report format shares: section titles, the columns of each table, the summary sentences.

A writer only decides how a heading, a paragraph, a table and a chart look in its format; which rows and
cells there are is decided here, once, so the DOCX, PDF, HTML, Markdown and XLSX reports cannot disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..services.report_data import ReportModel, ReportRow, num, status_zh


@dataclass(frozen=True)
class Column:
    title: str
    cell: Callable[[ReportRow], str]
    width: float = 10  # relative width (Excel characters; scaled in DOCX/PDF)
    status: bool = False  # the cell is a status: coloured in every format


def _year(v: float | None, year: int | None, unit: str = "") -> str:
    if v is None:
        return ""
    return f"{num(v)}{unit}" + (f"（{year}）" if year else "")


def short_title(title: str, limit: int = 14) -> str:
    title = "".join(title.split())
    return title if len(title) <= limit else title[:limit] + "…"


def _source(r: ReportRow) -> str:
    doc = short_title(r.doc_title)
    return f"{r.context}〔{doc}〕" if r.context else doc


def _commitment(r: ReportRow) -> str:
    return f"{r.indicator}：{r.target_text}"


MAIN = [
    Column("指标", lambda r: r.indicator, 22),
    Column("口径", lambda r: r.measure_zh, 8),
    Column("属性", lambda r: r.attribute_zh, 8),
    Column("基期值", lambda r: _year(r.baseline, r.baseline_year), 12),
    Column("目标值", lambda r: r.target_text + (f"（{r.target_year}）" if r.target_year else ""), 14),
    Column("最新实际", lambda r: r.actual_text, 16),
    Column("完成进度/序时进度", lambda r: r.progress_text, 14),
    Column("状态", lambda r: r.status_zh, 11, status=True),
    Column("尚需年均", lambda r: r.required, 10),
    Column("来源", _source, 36),
]

COMMITMENTS = [
    Column("目标任务", _commitment, 26),
    Column("完成情况", lambda r: r.actual_text, 16),
    Column("评价", lambda r: r.status_zh, 9, status=True),
    Column("原文", lambda r: r.context, 40),
    Column("完成情况依据", lambda r: (f"{r.evidence_quote}〔{short_title(r.evidence_doc)}〕" if r.evidence_quote else ""), 40),
]

FINAL = [
    Column("指标", lambda r: r.indicator, 22),
    Column("口径", lambda r: r.measure_zh, 8),
    Column("属性", lambda r: r.attribute_zh, 8),
    Column("基期值", lambda r: _year(r.baseline, r.baseline_year), 12),
    Column("目标值", lambda r: r.target_text + (f"（{r.target_year}）" if r.target_year else ""), 14),
    Column("实际", lambda r: r.actual_text, 16),
    Column("评价", lambda r: r.status_zh, 9, status=True),
    Column("说明", lambda r: r.explanation, 44),
]

OTHER = [
    Column("目标", lambda r: f"{r.indicator}：{r.target_text}", 26),
    Column("地区", lambda r: r.region, 8),
    Column("最新实际", lambda r: r.actual_text, 16),
    Column("状态", lambda r: r.status_zh, 11, status=True),
    Column("说明", lambda r: r.explanation, 44),
    Column("来源", _source, 40),
]

# every column of the tidy table, for the 台账 (ledger) sheet
LEDGER_FIELDS = [
    ("target_id", "目标编号"), ("table", "分组"), ("indicator", "指标"), ("measure_zh", "口径"),
    ("attribute_zh", "属性"), ("region", "地区"), ("target_text", "目标"), ("target_value", "目标值"),
    ("target_max", "目标上限"), ("unit", "单位"), ("target_year", "目标年份"), ("period", "期间"),
    ("baseline", "基期值"), ("baseline_year", "基期年份"), ("actual", "最新实际值"), ("actual_year", "实际年份"),
    ("progress", "完成进度"), ("time_progress", "序时进度"), ("required", "尚需年均"), ("status", "状态代码"),
    ("status_zh", "状态"), ("forecast_zh", "预判"), ("explanation", "说明"), ("quote", "原文数字"),
    ("context", "原文"), ("doc", "文件"), ("evidence_quote", "实际值依据"), ("evidence_doc", "依据文件"),
    ("override", "人工认定"), ("rule", "规则"),
]

GROUP_ZH = {"main": "主要指标", "commitments": "年度目标任务", "final": "上期末期评估", "other": "其他目标"}


def sections(model: ReportModel) -> list[tuple[str, str, list[Column], list[ReportRow]]]:
    """(key, heading, columns, rows) of the report's tables, in order; empty groups are left out."""
    plan = f"“{model.plan_period}”规划" if model.plan_period else "规划"
    other = [r for r in model.table("other") if r.status != "not_reported"]
    out = [
        ("main", f"二、{plan}主要指标完成情况", MAIN, model.table("main")),
        ("commitments", f"三、{model.commitments_title}", COMMITMENTS, model.table("commitments")),
        ("final", f"四、{model.final_title}（末期评估）", FINAL, model.table("final")),
        ("other", "五、其他已有实际值的目标", OTHER, other),
    ]
    return [s for s in out if s[3]]


def counts_text(counts: dict[str, int]) -> str:
    return "、".join(f"{status_zh(s)}{n}项" for s, n in counts.items())


def summary(model: ReportModel) -> list[str]:
    """The paragraphs of 一、总体情况: counts by status, binding indicators first, the lagging ones named."""
    out = []
    main, com, fin = model.table("main"), model.table("commitments"), model.table("final")
    plan = f"“{model.plan_period}”规划纲要" if model.plan_period else "规划纲要"
    if main:
        out.append(f"截至{model.as_of}年，{plan}主要指标共{len(main)}项目标（同一指标的总量与增速分别计），"
                   f"其中{counts_text(model.counts('main'))}。")
        binding = model.binding()
        if binding:
            items = "；".join(f"{r.indicator}{('（' + r.measure_zh + '）') if r.measure_zh else ''}{r.status_zh}"
                             for r in binding)
            out.append(f"约束性指标{len(binding)}项：{items}。")
    if com:
        out.append(f"{model.commitments_title.replace('完成情况', '')}中可量化的目标任务共{len(com)}项，"
                   f"其中{counts_text(model.counts('commitments'))}。")
    if fin:
        out.append(f"{model.final_title}（末期评估）共{len(fin)}项目标，其中{counts_text(model.counts('final'))}。")
    lag = model.lagging()
    if lag:
        names = "；".join(f"{r.indicator}（{r.measure_zh}，目标{r.target_text}，"
                          f"{('实际' + r.actual_text) if r.actual_text else '无实际值'}，{r.status_zh}"
                          f"{('，尚需年均' + r.required) if r.required and r.status == 'lagging' else ''}）" for r in lag)
        out.append(f"需要关注的指标{len(lag)}项（约束性在前）：{names}。")
    nr = sum(1 for r in main + com if r.status == "not_reported")
    if nr:
        out.append(f"另有{nr}项目标在已收录的文件中尚未找到可比的实际值（未报告），需补充统计公报或部门数据后再评估。")
    return out


def method(model: ReportModel) -> list[str]:
    """附录一: how the verdicts are reached, with the thresholds actually applied."""
    th = model.thresholds or {}
    return [
        "数据来源：下列公开文件（附录二），逐一记录原文位置；每个目标值、实际值均可追溯到原文字符。",
        "年度目标：以次年政府工作报告或统计公报的同口径实际值比较。“以上/不低于”实际值不低于目标即完成；"
        "“以内/控制在”实际值不高于目标即完成；“左右”在容差内为完成（增速、比重容差"
        f"{num(th.get('rate_tolerance', 0.2))}个百分点，总量容差为目标值的{num(th.get('level_tolerance', 0.01) * 100)}%），"
        f"在{num(th.get('basically_met_factor', 2))}倍容差内为基本完成，否则为未完成；无可比实际值为未报告。",
        "规划目标：完成进度 p =（实际值 − 基期值）/（目标值 − 基期值），序时进度 s =（评估年 − 基期年）/（目标年 − 基期年）；"
        f"已达到目标为已实现，p ≥ s + {num(th.get('progress_margin', 0.05))}为超序时进度，"
        f"p ≥ s − {num(th.get('progress_margin', 0.05))}为符合序时进度，否则为滞后。",
        f"年均增长目标：已实现的年均增速与目标之比不低于{num(th.get('avg_growth_ratio', 0.95))}为符合序时进度，"
        "否则为滞后，并给出其余年份为实现目标所需的年均增速。下限、上限类指标要求每个报告年份均满足。",
        "预判：按已观察到的年均变化外推至目标年，可如期实现、需加快或逆向变化。人工认定的结论替代计算结论，并注明理由。",
        "状态颜色：绿色为完成/实现，浅绿为符合序时进度，黄色为基本完成，橙色为滞后，红色为未完成，灰色为未报告或无法评估。",
    ]
