"""Excel workbook (openpyxl): 说明, 台账 (the whole tidy table), one sheet per report table, 依据文件, 图表.

Cells hold values, never formulas: openpyxl stores a formula without its result, so a reader that does not
recalculate (pandas, a web viewer, a PDF converter) would see empty cells. Status colours are conditional
formatting on the status text, so a user who corrects a status by hand sees the colour follow.
"""
from __future__ import annotations

import io
from pathlib import Path

from ..services.report_data import ReportModel, status_zh, wording
from .charts import draw_indicator, draw_status, indicator_charts
from .common import GROUP_ZH, LEDGER_FIELDS, Column, counts_text, method, sections, summary

HEADER_FILL = "ECEFF1"
SHEET_NAMES = {"main": "主要指标", "commitments": "年度目标任务", "final": "末期评估", "other": "其他目标"}
PERCENT_FIELDS = ("progress", "time_progress")


def _status_rules(ws, ref: str) -> None:
    """Colour every status cell of `ref` by its text (one rule per status label)."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill

    for code, color in wording()["colors"].items():
        ws.conditional_formatting.add(ref, CellIsRule(
            operator="equal", formula=[f'"{status_zh(code)}"'],
            fill=PatternFill(start_color=color, end_color=color, fill_type="solid", bgColor=color),
            font=Font(color="FFFFFF", bold=True)))


def _header(ws, titles: list[str], widths: list[float]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(titles)
    for i, (cell, w) in enumerate(zip(ws[1], widths), 1):
        cell.font = Font(bold=True)
        cell.fill = PatternFill(start_color=HEADER_FILL, end_color=HEADER_FILL, fill_type="solid")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "B2"  # header row and the first column stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}1"


def _table_sheet(wb, name: str, columns: list[Column], rows) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    _header(ws, ["目标编号"] + [c.title for c in columns], [9] + [min(max(c.width * 1.1, 8), 60) for c in columns])
    for r in rows:
        ws.append([r.target_id] + [c.cell(r) for c in columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for i, c in enumerate(columns, 2):
        if c.status:
            col = get_column_letter(i)
            _status_rules(ws, f"{col}2:{col}{max(ws.max_row, 2)}")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns) + 1)}{max(ws.max_row, 1)}"


class XlsxReport:
    suffix = ".xlsx"

    def __init__(self, model: ReportModel):
        self.model = model

    def _about(self, wb) -> None:
        from openpyxl.styles import Alignment, Font

        m = self.model
        ws = wb.active
        ws.title = "说明"
        ws.column_dimensions["A"].width = 18
        ws.column_dimensions["B"].width = 110
        ws.append([m.title])
        ws["A1"].font = Font(bold=True, size=14)
        for k, v in (("评估时点", f"{m.as_of}年"), ("地区", m.region), ("生成时间", m.generated_at),
                     ("依据文件", f"{len(m.documents)}份（见“依据文件”表）")):
            ws.append([k, v])
        ws.append([])
        ws.append(["分组", "目标数及状态"])
        for t, name in GROUP_ZH.items():
            if m.counts(t):
                ws.append([name, f"{sum(m.counts(t).values())}项：{counts_text(m.counts(t))}"])
        ws.append([])
        for text in summary(m):
            ws.append(["总体情况", text])
        for text in method(m):
            ws.append(["评估方法", text])
        for row in ws.iter_rows(min_row=2):
            row[1].alignment = Alignment(wrap_text=True, vertical="top") if len(row) > 1 else None

    def _ledger(self, wb) -> None:
        from openpyxl.utils import get_column_letter

        ws = wb.create_sheet("台账")
        widths = {"indicator": 24, "target_text": 16, "explanation": 50, "context": 50, "evidence_quote": 40,
                  "doc": 26, "evidence_doc": 26, "status_zh": 12, "table": 10}
        _header(ws, [zh for _, zh in LEDGER_FIELDS], [widths.get(f, 11) for f, _ in LEDGER_FIELDS])
        for r in self.model.rows:
            rec = r.__dict__
            ws.append([GROUP_ZH.get(rec[f], rec[f]) if f == "table" else rec[f] for f, _ in LEDGER_FIELDS])
        for i, (f, _) in enumerate(LEDGER_FIELDS, 1):
            col = get_column_letter(i)
            if f in PERCENT_FIELDS:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = "0.0%"
            if f == "status_zh":
                _status_rules(ws, f"{col}2:{col}{max(ws.max_row, 2)}")
        ws.auto_filter.ref = f"A1:{get_column_letter(len(LEDGER_FIELDS))}{max(ws.max_row, 1)}"

    def _documents(self, wb) -> None:
        ws = wb.create_sheet("依据文件")
        _header(ws, ["文件", "标题", "类型", "地区", "年份", "数字", "SHA-256"], [28, 40, 12, 10, 8, 8, 70])
        for d in self.model.documents:
            ws.append([d.name, d.title, d.doc_type_zh, d.region, d.year, d.claims, d.sha256])

    def _charts(self, wb) -> None:
        from openpyxl.drawing.image import Image

        ws = wb.create_sheet("图表")
        pngs = [draw_status(self.model).png(scale=1)] + [draw_indicator(c).png(scale=1)
                                                         for c in indicator_charts(self.model)]
        row = 1
        for i, png in enumerate(pngs):
            img = Image(io.BytesIO(png))
            col = "A" if i == 0 or i % 2 == 1 else "J"
            ws.add_image(img, f"{col}{row}")
            if i == 0 or i % 2 == 0:
                row += 13 if i else 16

    def build(self):
        from openpyxl import Workbook

        wb = Workbook()
        self._about(wb)
        self._ledger(wb)
        for key, _heading, columns, rows in sections(self.model):
            rows = self.model.table("other") if key == "other" else rows  # the workbook holds them all
            _table_sheet(wb, SHEET_NAMES[key], columns, rows)
        self._documents(wb)
        self._charts(wb)
        wb.properties.title = self.model.title
        wb.properties.creator = "planwatch 规划监测"
        return wb

    def write(self, path: Path) -> Path:
        self.build().save(str(path))
        return path
