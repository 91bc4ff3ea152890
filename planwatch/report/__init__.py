"""Publish step: the report model (services/report_data.py) written as DOCX, XLSX, PDF, HTML and Markdown.

    from planwatch.report import write_reports
    paths = write_reports(model, out_dir, ["docx", "xlsx", "pdf"])

Each format is a class over the one model (`suffix`, `write(path)`), registered by name in WRITERS.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..services.report_data import ReportModel


def _writers() -> dict[str, type]:
    # imported lazily: python-docx, openpyxl, WeasyPrint and Pillow load only for the formats asked for
    from .docx import DocxReport
    from .html import HtmlReport
    from .md import MarkdownReport
    from .pdf import PdfReport
    from .xlsx import XlsxReport

    return {"docx": DocxReport, "xlsx": XlsxReport, "pdf": PdfReport, "html": HtmlReport, "md": MarkdownReport}


FORMATS = ("docx", "xlsx", "pdf", "html", "md")


def file_stem(model: ReportModel) -> str:
    """planwatch-report-南昌市-2024: readable, and stable for a region and a year."""
    return f"planwatch-report-{model.region or 'all'}-{model.as_of}"


def write_reports(model: ReportModel, out_dir: str | Path, formats: Iterable[str] = FORMATS) -> list[Path]:
    formats = [f.strip().lower() for f in formats if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format(s) {', '.join(unknown)} (one of {', '.join(FORMATS)})")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    writers = _writers()
    paths = []
    for f in formats:
        writer = writers[f](model)
        paths.append(writer.write(out / f"{file_stem(model)}{writer.suffix}"))
    return paths
