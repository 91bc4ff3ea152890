"""PDF report: the HTML report with print CSS (A4 landscape, 第 N 页 / 共 M 页 footer), laid out by WeasyPrint.

WeasyPrint embeds (subsets of) the fonts it uses; with Debian's fonts-noto-cjk those are Noto Sans/Serif CJK,
so the PDF shows Chinese on any reader, with no font installed there.
"""
from __future__ import annotations

from pathlib import Path

from ..services.report_data import ReportModel
from .html import render_html


class PdfReport:
    suffix = ".pdf"

    def __init__(self, model: ReportModel):
        self.model = model

    def write(self, path: Path) -> Path:
        from weasyprint import HTML

        HTML(string=render_html(self.model, for_print=True)).write_pdf(str(path))
        return path
