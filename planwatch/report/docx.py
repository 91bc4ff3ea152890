"""Word report (python-docx): A4 landscape, 第 N 页 / 共 M 页 footer, status cells shaded, PNG charts.

Word picks the font of Chinese characters from `w:rFonts/@w:eastAsia`, not from the font name python-docx
sets (`w:ascii`/`w:hAnsi`): without it Chinese falls back to whatever the reader's Word chooses. So every
style and every run written here carries an East-Asian font: 宋体 (SimSun) for text and tables, 黑体 (SimHei)
for headings — present on every Chinese Windows and mapped by Word for Mac and LibreOffice.
"""
from __future__ import annotations

import io
from pathlib import Path

from ..services.report_data import ReportModel, status_color
from .charts import draw_indicator, draw_status, indicator_charts
from .common import Column, method, sections, summary

BODY_FONT, BODY_EA = "Times New Roman", "SimSun"
HEAD_FONT, HEAD_EA = "Arial", "SimHei"


def set_fonts(target, latin: str, east_asian: str) -> None:
    """Set the Latin and the East-Asian font of a style or a run (`w:rFonts` w:ascii/w:hAnsi/w:eastAsia)."""
    from docx.oxml.ns import qn

    target.font.name = latin
    rpr = target.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _shade(cell, hex_color: str) -> None:
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    shd = tcpr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): hex_color})
    tcpr.append(shd)


def _repeat_header(row) -> None:
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) in its own run, updated by Word when the page is laid out."""
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    set_fonts(run, BODY_FONT, BODY_EA)
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        elif text == code:
            el = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = f" {code} "
        else:
            el = run._r.makeelement(qn("w:t"), {})
            el.text = text
        run._r.append(el)


class DocxReport:
    suffix = ".docx"

    def __init__(self, model: ReportModel):
        self.model = model

    # ---- building blocks ----

    def _run(self, paragraph, text: str, *, size=None, bold=False, color=None, heading=False):
        from docx.shared import Pt, RGBColor

        run = paragraph.add_run(text)
        set_fonts(run, HEAD_FONT if heading else BODY_FONT, HEAD_EA if heading else BODY_EA)
        if size:
            run.font.size = Pt(size)
        run.bold = bold or None
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
        return run

    def _heading(self, doc, text: str, level: int = 1):
        p = doc.add_heading(level=level)
        self._run(p, text, heading=True)
        return p

    def _table(self, doc, columns: list[Column], rows) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Cm

        table = doc.add_table(rows=1, cols=len(columns) + 1)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        usable = 25.7  # cm of an A4 landscape page between the margins
        total = sum(c.width for c in columns) + 3
        widths = [Cm(usable * 3 / total)] + [Cm(usable * c.width / total) for c in columns]
        header = table.rows[0]
        _repeat_header(header)
        for cell, title, w in zip(header.cells, ["序号"] + [c.title for c in columns], widths):
            cell.width = w
            _shade(cell, "ECEFF1")
            self._run(cell.paragraphs[0], title, size=8, bold=True, heading=True)
        for i, r in enumerate(rows, 1):
            cells = table.add_row().cells
            for cell, w in zip(cells, widths):
                cell.width = w
            self._run(cells[0].paragraphs[0], str(i), size=8)
            for cell, c in zip(cells[1:], columns):
                if c.status:
                    _shade(cell, status_color(r.status))
                    self._run(cell.paragraphs[0], c.cell(r), size=8, bold=True, color="FFFFFF")
                else:
                    self._run(cell.paragraphs[0], c.cell(r), size=8)

    def _pictures(self, doc, pngs: list[bytes], per_row: int = 2, width_cm: float = 12.5) -> None:
        from docx.shared import Cm

        for k in range(0, len(pngs), per_row):
            p = doc.add_paragraph()
            for png in pngs[k:k + per_row]:
                p.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
                p.add_run("  ")

    def _setup(self, doc) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt, RGBColor

        sec = doc.sections[0]
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
        for side in ("left_margin", "right_margin"):
            setattr(sec, side, Cm(2.0))
        sec.top_margin, sec.bottom_margin = Cm(1.8), Cm(1.8)
        normal = doc.styles["Normal"]
        set_fonts(normal, BODY_FONT, BODY_EA)
        normal.font.size = Pt(10.5)
        for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 12.5)):
            st = doc.styles[name]
            set_fonts(st, HEAD_FONT, HEAD_EA)
            st.font.size = Pt(size)
            st.font.color.rgb = RGBColor(0x22, 0x22, 0x22)
        set_fonts(doc.styles["Table Grid"], BODY_FONT, BODY_EA)
        foot = sec.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(foot, "第 ", size=9)
        _field(foot, "PAGE")
        self._run(foot, " 页 / 共 ", size=9)
        _field(foot, "NUMPAGES")
        self._run(foot, " 页", size=9)
        doc.core_properties.title = self.model.title
        doc.core_properties.author = "planwatch 规划监测"
        doc.core_properties.language = "zh-CN"

    def build(self):
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        m = self.model
        doc = Document()
        self._setup(doc)
        title = doc.add_paragraph(style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(title, m.title, heading=True)
        meta = doc.add_paragraph()
        meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(meta, f"评估时点：{m.as_of}年 · 地区：{m.region} · 依据文件{len(m.documents)}份 · "
                        f"生成于{m.generated_at} · planwatch 规划监测", size=9, color="666666")
        self._heading(doc, "一、总体情况")
        for text in summary(m):
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(21)
            self._run(p, text)
        self._pictures(doc, [draw_status(m).png()], per_row=1, width_cm=18)
        for key, heading, columns, rows in sections(m):
            self._heading(doc, heading)
            if key == "other":
                self._run(doc.add_paragraph(), f"仅列出已找到实际值的{len(rows)}项；全部{len(m.table('other'))}项见 Excel 台账。",
                          size=9, color="666666")
            self._table(doc, columns, rows)
            if key == "main":
                charts = indicator_charts(m)
                if charts:
                    self._run(doc.add_paragraph(), "图：主要指标实际值（绿）、目标路径（蓝虚线）与目标值（红虚线）。",
                              size=9, color="666666")
                    self._pictures(doc, [draw_indicator(c).png() for c in charts])
        self._heading(doc, "附录一 评估方法与阈值")
        for text in method(m):
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(21)
            self._run(p, text)
        self._heading(doc, "附录二 依据文件")
        table = doc.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        widths = [Cm(4.2), Cm(6.8), Cm(2.4), Cm(1.6), Cm(1.4), Cm(9.3)]
        for cell, t, w in zip(table.rows[0].cells, ["文件", "标题", "类型", "地区", "年份", "SHA-256"], widths):
            cell.width = w
            _shade(cell, "ECEFF1")
            self._run(cell.paragraphs[0], t, size=8, bold=True, heading=True)
        for d in m.documents:
            cells = table.add_row().cells
            for cell, text, w in zip(cells, [d.name, d.title, d.doc_type_zh, d.region, str(d.year or ""), d.sha256],
                                     widths):
                cell.width = w
                self._run(cell.paragraphs[0], text, size=7 if text == d.sha256 else 8)
        return doc

    def write(self, path: Path) -> Path:
        self.build().save(str(path))
        return path
