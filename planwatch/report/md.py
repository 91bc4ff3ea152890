"""Markdown report: the same sections and tables as the others, for a repository, a wiki or a diff.

Charts are not embedded (Markdown has no portable image data); the status of each row is spelled out.
"""
from __future__ import annotations

from pathlib import Path

from ..services.report_data import ReportModel
from .common import Column, method, sections, summary


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(columns: list[Column], rows) -> list[str]:
    out = ["| 序号 | " + " | ".join(c.title for c in columns) + " |",
           "|---" * (len(columns) + 1) + "|"]
    for i, r in enumerate(rows, 1):
        out.append(f"| {i} | " + " | ".join(_cell(c.cell(r)) for c in columns) + " |")
    return out


def render_markdown(model: ReportModel) -> str:
    lines = [f"# {model.title}", "",
             f"评估时点：{model.as_of}年 · 地区：{model.region} · 依据文件{len(model.documents)}份 · "
             f"生成于{model.generated_at} · planwatch 规划监测", "", "## 一、总体情况", ""]
    for p in summary(model):
        lines += [p, ""]
    for key, heading, columns, rows in sections(model):
        lines += [f"## {heading}", ""]
        if key == "other":
            lines += [f"仅列出已找到实际值的{len(rows)}项；全部{len(model.table('other'))}项见 Excel 台账。", ""]
        lines += _table(columns, rows) + [""]
    lines += ["## 附录一 评估方法与阈值", ""]
    for p in method(model):
        lines += [f"- {p}"]
    lines += ["", "## 附录二 依据文件", "", "| 文件 | 标题 | 类型 | 地区 | 年份 | SHA-256 |", "|---|---|---|---|---|---|"]
    for d in model.documents:
        lines.append(f"| {_cell(d.name)} | {_cell(d.title)} | {d.doc_type_zh} | {d.region} | {d.year or ''} | `{d.sha256}` |")
    return "\n".join(lines) + "\n"


class MarkdownReport:
    suffix = ".md"

    def __init__(self, model: ReportModel):
        self.model = model

    def write(self, path: Path) -> Path:
        path.write_text(render_markdown(self.model), encoding="utf-8")
        return path
