"""Reports built from the samples: the files open, hold every 表2 indicator and every 2024 commitment with the
statuses of `assessment_records`, the PDF embeds CJK fonts and numbers its pages, DOCX runs carry East-Asian
fonts, the XLSX holds values with conditional formatting and frozen panes.

Page 1 of the PDF is rendered to tests/_artifacts/report-page-1.png (pdftoppm) for a human to look at.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from planwatch.services.report_data import status_zh

ARTIFACTS = Path(__file__).parent / "_artifacts"
AS_OF = 2024


@pytest.fixture(scope="module")
def ledger(tmp_path_factory, ):
    """The samples ingested into an SQLite file and assessed as of 2024: (url, assessment records)."""
    from planwatch.services.assessments import assessment_records
    from planwatch.services.ingest import ingest_paths
    from planwatch.store import engine_of, open_db

    seeds = Path(__file__).resolve().parents[1] / "samples" / "nanchang"
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'planwatch.db'}"
    factory = open_db(url)
    report = ingest_paths(factory, [seeds], as_of=AS_OF)
    assert report.ok
    with factory() as s:
        records = assessment_records(s, AS_OF)
    engine_of(factory).dispose()
    return url, records


@pytest.fixture(scope="module")
def files(ledger, tmp_path_factory):
    from planwatch.report import write_reports
    from planwatch.services.report_data import build_report
    from planwatch.store import engine_of, open_db

    url, _ = ledger
    factory = open_db(url)
    with factory() as s:
        model = build_report(s, AS_OF)
    engine_of(factory).dispose()
    out = tmp_path_factory.mktemp("out")
    paths = write_reports(model, out)
    return {p.suffix[1:]: p for p in paths} | {"model": model}


def _main(records):
    """表2 rows of the plan, in document order: (indicator, status label)."""
    return [(r["target"]["indicator"], status_zh(r["status"])) for r in records
            if r["target"]["doc"].startswith("004") and r["target"]["source"] == "table"
            and "表2" in r["target"]["section"]]


def _commitments(records):
    """The 2024 work report's commitments: (indicator, status label)."""
    return [(r["target"]["indicator"], status_zh(r["status"])) for r in records
            if r["target"]["doc"].startswith("001") and r["target"]["target_year"] == AS_OF]


def test_model_groups_match_assess(ledger, files):
    _, records = ledger
    model = files["model"]
    assert model.title == "南昌市“十四五”规划实施中期评估报告（截至2024年）"
    assert model.commitments_title == "2024年政府工作报告目标任务完成情况"
    assert [(r.indicator, r.status_zh) for r in model.table("main")] == _main(records)
    assert [(r.indicator, r.status_zh) for r in model.table("commitments")] == _commitments(records)
    assert len(_main(records)) >= 30 and len(_commitments(records)) >= 25
    # every assessed target is in the model once, with its status
    assert Counter((r.target_id, r.status) for r in model.rows) == Counter((r["target"]["id"], r["status"]) for r in records)
    assert {r.status for r in model.table("final")} <= {"met", "not_met", "basically_met", "not_reported"}
    assert any(r.indicator == "地区生产总值" and r.status == "lagging" for r in model.lagging())


def _docx_rows(path, first_header):
    from docx import Document

    doc = Document(str(path))
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[1] == first_header:
            return header, [[c.text for c in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table starting with {first_header}")


def test_docx_holds_tables_and_east_asian_fonts(ledger, files):
    from docx import Document
    from docx.oxml.ns import qn

    _, records = ledger
    header, rows = _docx_rows(files["docx"], "指标")
    i, s = header.index("指标"), header.index("状态")
    assert [(r[i], r[s]) for r in rows] == _main(records)
    header, rows = _docx_rows(files["docx"], "目标任务")
    i, s = header.index("目标任务"), header.index("评价")
    got = [(r[i], r[s]) for r in rows]
    assert [(t.split("：")[0], st) for t, st in got] == _commitments(records)

    doc = Document(str(files["docx"]))
    assert doc.paragraphs[0].text == files["model"].title
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs
             if r.text.strip()]
    assert runs
    for r in runs:
        fonts = r._r.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), r.text
    for name in ("Normal", "Heading 1", "Title"):
        assert doc.styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "第 " in footer
    assert len(doc.inline_shapes) >= 10  # the status chart and the indicator charts


def test_xlsx_values_colours_frozen(ledger, files):
    from openpyxl import load_workbook

    _, records = ledger
    wb = load_workbook(files["xlsx"])
    assert {"说明", "台账", "主要指标", "年度目标任务", "末期评估", "依据文件", "图表"} <= set(wb.sheetnames)
    by_id = {r["target"]["id"]: r["status"] for r in records}
    ws = wb["台账"]
    header = [c.value for c in ws[1]]
    ids = [row[header.index("目标编号")] for row in ws.iter_rows(min_row=2, values_only=True)]
    codes = [row[header.index("状态代码")] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert dict(zip(ids, codes)) == by_id
    for name, expected in (("主要指标", _main(records)), ("年度目标任务", _commitments(records))):
        ws = wb[name]
        header = [c.value for c in ws[1]]
        first = header[1]
        status_col = "状态" if "状态" in header else "评价"
        got = [(row[1], row[header.index(status_col)]) for row in ws.iter_rows(min_row=2, values_only=True)]
        if first == "目标任务":
            got = [(t.split("：")[0], s) for t, s in got]
        assert got == expected, name
        assert ws.freeze_panes == "B2"
        assert len(ws.conditional_formatting) >= 1
        assert ws.column_dimensions["B"].width > 10
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v.startswith("=") for v in row), ws.title
    assert wb["图表"]._images


def _pdf_fonts(path):
    from pypdf import PdfReader

    fonts = {}
    for page in PdfReader(str(path)).pages:
        res = page.get("/Resources") or {}
        for font in (res.get("/Font") or {}).values():
            font = font.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def test_pdf_tables_fonts_pages(ledger, files):
    import pdfplumber

    _, records = ledger
    main, commitments = [], []
    with pdfplumber.open(str(files["pdf"])) as pdf:
        pages = len(pdf.pages)
        first = pdf.pages[0].extract_text()
        footers = [p.extract_text() for p in pdf.pages]
        for page in pdf.pages:
            for table in page.extract_tables():
                header = [(c or "").replace("\n", "") for c in table[0]]
                rows = [[(c or "").replace("\n", "") for c in row] for row in table[1:]]
                if header[1:2] == ["指标"] and "尚需年均" in header:
                    main += [(r[1], r[header.index("状态")]) for r in rows]
                elif header[1:2] == ["目标任务"]:
                    commitments += [(r[1].split("：")[0], r[header.index("评价")]) for r in rows]
    assert main == _main(records)
    assert commitments == _commitments(records)
    assert "南昌市“十四五”规划实施中期评估报告" in first.replace("\n", "")
    for n, text in enumerate(footers, 1):
        assert f"第 {n} 页 / 共 {pages} 页" in text

    fonts = _pdf_fonts(files["pdf"])
    cjk = {name: emb for name, emb in fonts.items() if re.search(r"Noto-?(Sans|Serif)-?CJK", name)}
    assert cjk and all(cjk.values()), fonts  # CJK fonts, embedded (subset) in the file
    assert all(fonts.values()), fonts

    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(files["pdf"]),
                        str(ARTIFACTS / "report-page-1")], check=True)
        assert (ARTIFACTS / "report-page-1.png").stat().st_size > 20_000


def test_html_and_markdown(ledger, files):
    _, records = ledger
    html = files["html"].read_text(encoding="utf-8")
    assert "<svg" in html and "<script" not in html
    assert html.count("data-status=") == len([r for r in files["model"].rows if r.table != "other"]) + \
        len([r for r in files["model"].table("other") if r.status != "not_reported"])
    md = files["md"].read_text(encoding="utf-8")
    for indicator, status in _main(records) + _commitments(records):
        assert indicator.replace("|", "\\|") in md
    assert "## 附录二 依据文件" in md and md.count("`") >= 10  # sha256 of every document


def test_charts_render_both_ways(files):
    from planwatch.report.charts import draw_indicator, draw_status, indicator_charts

    charts = indicator_charts(files["model"])
    assert {c.indicator for c in charts} >= {"地区生产总值", "研发支出占地区生产总值比重"}
    d = draw_indicator(charts[0])
    assert d.svg().startswith("<svg") and "地区生产总值" in d.svg()
    assert d.png(scale=1)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "未报告" in draw_status(files["model"]).svg()


def test_cli_report(ledger, tmp_path):
    from typer.testing import CliRunner

    from planwatch.cli import app

    url, _ = ledger
    res = CliRunner().invoke(app, ["report", "--db", url, "--as-of", str(AS_OF), "--out", str(tmp_path),
                                   "--format", "md,html"])
    assert res.exit_code == 0, res.output
    written = [Path(line) for line in res.output.split() if line.strip()]
    assert [p.suffix for p in written] == [".md", ".html"] and all(p.exists() for p in written)
    bad = CliRunner().invoke(app, ["report", "--db", url, "--out", str(tmp_path), "--format", "odt"])
    assert bad.exit_code == 1
