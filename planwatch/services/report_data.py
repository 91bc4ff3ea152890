"""Use case: the report model — one tidy table of assessed targets plus the metadata every output needs.

Every writer (planwatch/report: docx, xlsx, pdf, html, md) renders this one model, so the Word report, the
Excel ledger and the PDF show the same rows with the same statuses as `planwatch assess`: the rows are built
from `assessment_records`, never recomputed.

Each assessed target becomes one `ReportRow` and lands in one group (`ReportRow.table`):
- ``main``        the current plan's indicator table (表2 "主要指标"): plan targets whose year is after the plan
                  document's year;
- ``final``       the previous plan's table quoted in the outline (表1 "十三五规划主要指标完成情况"): its final
                  verdicts (末期评估);
- ``commitments`` the numeric commitments of the work report of the as-of year (目标任务);
- ``other``       every other target (专栏 boxes, plan text, articles).
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from ..store.models import ClaimRow, DocumentRow
from .assessments import assessment_records

TABLES = ("main", "commitments", "final", "other")
COMPARATOR_TEXT = {">=": "不低于", "<=": "不高于", "~": "左右", "range": "", "=": ""}


@lru_cache(maxsize=1)
def wording() -> dict:
    """planwatch/data/report.zh.yaml, with the status labels of labels.zh.yaml merged in."""
    from ..assess import labels

    with resources.files("planwatch.data").joinpath("report.zh.yaml").open(encoding="utf-8") as f:
        w = yaml.safe_load(f)
    w["status"] = {k: v["zh"] for k, v in labels()["status"].items()}
    w["forecast"] = {k: v["zh"] for k, v in labels()["forecast"].items()}
    return w


def status_zh(code: str) -> str:
    return wording()["status"].get(code, code)


def status_color(code: str) -> str:
    return wording()["colors"].get(code, "9E9E9E")


def num(v: float | None, digits: int = 2) -> str:
    """8200 → "8200", 5.7455 → "5.75", None → "" (no trailing zeros, no scientific notation)."""
    if v is None or v != v:
        return ""
    s = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def pct(v: float | None) -> str:
    return "" if v is None or v != v else f"{v * 100:.1f}%"


@dataclass
class ReportRow:
    """One assessed target, flattened: what every table cell and chart of a report is made of."""

    table: str
    target_id: int
    indicator: str
    measure: str
    measure_zh: str
    attribute: str
    attribute_zh: str
    region: str
    unit: str
    comparator: str
    target_value: float | None
    target_max: float | None
    target_year: int | None
    period: str
    target_text: str  # 8200亿元 / 7.5%左右 / 不低于90%
    baseline: float | None
    baseline_year: int | None
    actual: float | None
    actual_year: int | None
    actual_text: str  # 2024年 2% / 年均 4%（2023）
    progress: float | None
    time_progress: float | None
    progress_text: str  # 9.1% / 80.0%
    required: str  # growth (or change) still required per year
    status: str
    status_zh: str
    forecast_zh: str
    explanation: str
    quote: str  # the target's own characters
    context: str  # the sentence around them
    doc: str
    doc_title: str
    evidence_quote: str  # the sentence around the actual that decided
    evidence_doc: str
    override: str  # the reason of a human verdict, if any
    series: list[tuple[int, float]] = field(default_factory=list)  # (year, actual) used by the verdict
    rule: str = ""


@dataclass
class DocumentInfo:
    name: str
    title: str
    doc_type: str
    doc_type_zh: str
    region: str
    year: int | None
    sha256: str
    claims: int


@dataclass
class ReportModel:
    region: str
    as_of: int
    plan_period: str  # 十四五
    plan_years: tuple[int, int] | None
    title: str
    commitments_title: str
    final_title: str
    generated_at: str
    rows: list[ReportRow]
    documents: list[DocumentInfo]
    thresholds: dict[str, Any]

    def table(self, name: str) -> list[ReportRow]:
        return [r for r in self.rows if r.table == name]

    def counts(self, name: str | None = None) -> dict[str, int]:
        """Targets by status (best first), of one group or of all."""
        c = Counter(r.status for r in self.rows if name is None or r.table == name)
        order = wording()["status_order"]
        return {s: c[s] for s in sorted(c, key=lambda s: order.index(s) if s in order else len(order))}

    def lagging(self) -> list[ReportRow]:
        """Plan targets behind schedule and commitments not met, binding ones first."""
        bad = ("lagging", "not_met")
        rows = [r for r in self.rows if r.status in bad and r.table in ("main", "commitments")]
        return sorted(rows, key=lambda r: (r.attribute != "binding", TABLES.index(r.table)))

    def binding(self) -> list[ReportRow]:
        return [r for r in self.table("main") if r.attribute == "binding"]

    def records(self) -> list[dict]:
        """The tidy table as plain dicts (for the 台账 sheet and exports)."""
        return [asdict(r) for r in self.rows]


# ---- building the rows --------------------------------------------------------------------------------

_SENTENCE_END = "。；;！？!?\n"


def sentence_around(text: str, start: int, end: int, reach: int = 45) -> str:
    """The sentence (or table row) holding [start, end): the evidence a reader checks a number against."""
    if not text or not (0 <= start <= end <= len(text)):
        return ""
    lo = start
    while lo > 0 and start - lo < reach and text[lo - 1] not in _SENTENCE_END:
        lo -= 1
    hi = end
    while hi < len(text) and hi - end < reach and text[hi] not in _SENTENCE_END:
        hi += 1
    if hi < len(text) and text[hi] in "。；;！？!?":
        hi += 1
    s = re.sub(r"[ \t\u3000]+", " ", text[lo:hi]).strip()
    return ("…" if lo > 0 and text[lo - 1] not in _SENTENCE_END else "") + s


def target_text(t: dict) -> str:
    v, vmax, unit, cmp = t.get("value"), t.get("value_max"), t.get("unit") or "", t.get("comparator") or "="
    if v is None:
        return t.get("qualifier") or t.get("quote") or ""
    body = f"{num(v)}–{num(vmax)}{unit}" if vmax is not None else f"{num(v)}{unit}"
    if t.get("measure") == "cumulative_change" or t.get("source") == "table" and t.get("quote", "").startswith("["):
        body = f"[{body}]"
    if cmp == "~":
        return body + "左右"
    if cmp in (">=", "<="):
        return COMPARATOR_TEXT[cmp] + body
    return body


def _latest(rec: dict) -> tuple[float | None, int | None, str, list[tuple[int, float]]]:
    """The latest actual a verdict rests on: (value, year, text, series of (year, value))."""
    n = rec.get("numbers") or {}
    unit = n.get("unit") or rec["target"].get("unit") or ""
    years = sorted((int(y), v) for y, v in (n.get("years") or {}).items() if v is not None)
    year = n.get("actual_year") or (years[-1][0] if years else None)
    if "realized_growth" in n and n.get("realized_growth") is not None:
        g = n["realized_growth"]
        if len(years) > 1:  # the years the average really rests on, not the whole elapsed period
            return g, year, f"年均 {num(g)}%（{years[0][0]}–{years[-1][0]}）", years
        return g, year, f"{num(g)}%（{year}）" if year else f"{num(g)}%", years
    if n.get("actual") is not None:
        return n["actual"], year, f"{num(n['actual'])}{unit}（{year}）" if year else f"{num(n['actual'])}{unit}", years
    if years:
        y, v = years[-1]
        return v, y, f"{num(v)}{unit}（{y}）", years
    # a verdict that found nothing may still list the baseline actual it used: that is no latest result
    for a in (rec.get("actuals") or []) if rec.get("status") != "not_reported" else []:
        if a.get("value") is not None:
            y = a.get("target_year") or (int(a["period"][:4]) if (a.get("period") or "")[:4].isdigit() else None)
            return a["value"], y, f"{num(a['value'])}{a.get('unit') or ''}" + (f"（{a['period']}）" if a.get("period") else ""), []
    return None, None, "", []


def _progress_text(rec: dict) -> str:
    n = rec.get("numbers") or {}
    if rec.get("progress") is not None and rec.get("time_progress") is not None:
        return f"{pct(rec['progress'])} / {pct(rec['time_progress'])}"
    if n.get("ratio") is not None:
        return f"为目标的 {pct(n['ratio'])}"
    return ""


def _required(rec: dict) -> str:
    n = rec.get("numbers") or {}
    if rec.get("required_growth") is not None:
        return f"{num(rec['required_growth'])}%"
    per_year = n.get("required_change_per_year")
    if per_year is not None:
        unit = n.get("unit") or ""
        return f"每年 {num(per_year, 3)}{'个百分点' if unit == '%' else unit}"
    return ""


def classify(rec: dict, docs: dict[str, DocumentRow], as_of: int) -> str:
    t = rec["target"]
    doc = docs.get(t["doc"])
    doc_type, doc_year = (doc.doc_type, doc.year) if doc else ("", None)
    if doc_type == "five_year_plan" and t.get("source") == "table" and "主要指标" in (t.get("section") or ""):
        ty = t.get("target_year")
        if doc_year and ty:
            return "main" if ty >= doc_year else "final"
        return "final" if (rec.get("rule") or "").endswith("_final") else "main"
    if doc_type == "work_report" and doc_year == as_of and (t.get("target_year") in (as_of, None)):
        return "commitments"
    return "other"


def _doc_label(docs: dict[str, DocumentRow], name: str) -> str:
    """A document as a reader knows it: its title, unless the title is too short to say anything (\"2024\")."""
    doc = docs.get(name)
    title = "".join((doc.title if doc else "").split())
    return title if len(title) >= 4 else name


def _row(rec: dict, table: str, docs: dict[str, DocumentRow], texts: dict[str, str]) -> ReportRow:
    w = wording()
    t = rec["target"]
    n = rec.get("numbers") or {}
    actual, year, actual_text, series = _latest(rec)
    ev = next((a for a in reversed(rec.get("actuals") or []) if a.get("value") is not None), None)
    baseline = t.get("baseline_value")
    if baseline is None and t.get("measure") != "cumulative_change":  # a change's "baseline" is a 0 by definition
        baseline = n.get("baseline")
    return ReportRow(
        table=table, target_id=t["id"], indicator=t.get("indicator") or "", measure=t.get("measure") or "",
        measure_zh=w["measure"].get(t.get("measure") or "", t.get("measure") or ""),
        attribute=t.get("attribute") or "", attribute_zh=w["attribute"].get(t.get("attribute") or "", ""),
        region=t.get("region") or "", unit=t.get("unit") or "", comparator=t.get("comparator") or "=",
        target_value=t.get("value"), target_max=t.get("value_max"), target_year=t.get("target_year"),
        period=t.get("period") or "", target_text=target_text(t),
        baseline=baseline, baseline_year=t.get("baseline_year") or n.get("baseline_year"),
        actual=actual, actual_year=year, actual_text=actual_text,
        progress=rec.get("progress"), time_progress=rec.get("time_progress"), progress_text=_progress_text(rec),
        required=_required(rec), status=rec["status"], status_zh=status_zh(rec["status"]),
        forecast_zh=w["forecast"].get(rec.get("forecast") or "", ""), explanation=rec.get("explanation") or "",
        quote=t.get("quote") or "", context=sentence_around(texts.get(t["doc"], ""), t["start"], t["end"]) or t.get("quote", ""),
        doc=t["doc"], doc_title=_doc_label(docs, t["doc"]),
        evidence_quote=(sentence_around(texts.get(ev["doc"], ""), ev["start"], ev["end"]) or ev.get("quote", "")) if ev else "",
        evidence_doc=_doc_label(docs, ev["doc"]) if ev else "",
        override=(rec.get("override") or {}).get("reason") or ("人工认定" if rec.get("override") else ""),
        series=series, rule=rec.get("rule") or "",
    )


def _plan_period(rows: list[ReportRow]) -> tuple[str, tuple[int, int] | None]:
    periods = Counter(r.period for r in rows if re.fullmatch(r"\d{4}-\d{4}", r.period or ""))
    if not periods:
        years = Counter(r.target_year for r in rows if r.target_year)
        if not years:
            return "", None
        end = years.most_common(1)[0][0]
        start = end - 4
    else:
        start, end = map(int, periods.most_common(1)[0][0].split("-"))
    return wording()["periods"].get(start, f"{start}–{end}"), (start, end)


def _default_region(session: Session) -> str:
    for doc_type in ("five_year_plan", "work_report", None):
        q = select(DocumentRow)
        if doc_type:
            q = q.where(DocumentRow.doc_type == doc_type)
        doc = session.scalars(q.order_by(DocumentRow.year.desc(), DocumentRow.id)).first()
        if doc is not None and doc.region_name:
            return doc.region_name
    return ""


def build_report(session: Session, as_of: int | None = None, region: str | None = None) -> ReportModel:
    """The report model of the stored ledger as of a year (default: the latest assessed), for one region.

    `region` filters the targets by their region (default: all targets; the title names the plan's region).
    """
    records = assessment_records(session, as_of)
    as_of = records[0]["as_of"] if records else (as_of or datetime.now().year)
    if region:
        records = [r for r in records if r["target"].get("region") == region]
    docs = {d.name: d for d in session.scalars(select(DocumentRow).options(undefer(DocumentRow.original)))}
    texts = {name: d.original or "" for name, d in docs.items()}
    rows = [_row(rec, classify(rec, docs, as_of), docs, texts) for rec in records]
    rows.sort(key=lambda r: TABLES.index(r.table))  # stable: document order inside each group
    period, years = _plan_period([r for r in rows if r.table == "main"])
    final_period, _ = _plan_period([r for r in rows if r.table == "final"])
    name = region or _default_region(session)
    stage = "中期评估" if not years or as_of < years[1] else "总结评估"
    claims = dict(session.execute(select(ClaimRow.document_id, func.count()).group_by(ClaimRow.document_id)).all())
    documents = [DocumentInfo(name=d.name, title=d.title or d.name, doc_type=d.doc_type,
                              doc_type_zh=wording()["doc_type"].get(d.doc_type, d.doc_type),
                              region=d.region_name, year=d.year, sha256=d.sha256, claims=claims.get(d.id, 0))
                 for d in sorted(docs.values(), key=lambda d: d.name)]
    thresholds = next((r["thresholds"] for r in records if r.get("thresholds")), {})
    return ReportModel(
        region=name, as_of=as_of, plan_period=period, plan_years=years,
        title=f"{name}“{period}”规划实施{stage}报告（截至{as_of}年）" if period else f"{name}规划实施评估报告（截至{as_of}年）",
        commitments_title=f"{as_of}年政府工作报告目标任务完成情况",
        final_title=f"“{final_period}”规划主要指标完成情况" if final_period else "上一规划期主要指标完成情况",
        generated_at=datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M"),
        rows=rows, documents=documents, thresholds=thresholds,
    )


def fingerprint(model: ReportModel) -> str:
    """A short hash of the rows: two reports with the same fingerprint show the same verdicts."""
    h = hashlib.sha256()
    for r in model.rows:
        h.update(f"{r.target_id}|{r.status}|{r.actual_text}|{r.progress_text}\n".encode())
    return h.hexdigest()[:12]
