"""HTML report: one self-contained page (inline CSS and SVG charts, no script, no network).

The same page, with print CSS, is what WeasyPrint turns into the PDF (report/pdf.py), so the two never
differ. Built with plain string formatting and `html.escape`: the page is small and fixed, a template
engine would add a dependency and no safety that escape() does not give.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from ..services.report_data import ReportModel, status_color
from .charts import draw_indicator, draw_status, indicator_charts
from .common import Column, method, sections, summary

FONTS_SANS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
FONTS_SERIF = "'Noto Serif CJK SC', 'Source Han Serif SC', 'SimSun', 'Songti SC', serif"

CSS = f"""
body {{ font-family: {FONTS_SERIF}; font-size: 10.5pt; line-height: 1.6; color: #222; margin: 2em auto;
       max-width: 1200px; padding: 0 1em; }}
h1 {{ font-family: {FONTS_SANS}; font-size: 20pt; text-align: center; margin: 0.6em 0 0.2em; }}
h2 {{ font-family: {FONTS_SANS}; font-size: 14pt; margin: 1.4em 0 0.5em; border-bottom: 2px solid #B71C1C;
      padding-bottom: 0.15em; }}
p.meta {{ text-align: center; color: #666; font-size: 9.5pt; margin-bottom: 1.5em; }}
p {{ text-indent: 2em; margin: 0.4em 0; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; font-family: {FONTS_SANS}; font-size: 8.5pt; margin: 0.6em 0; }}
th, td {{ border: 0.6pt solid #999; padding: 2px 4px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }}
th {{ background: #ECEFF1; font-weight: bold; }}
thead {{ display: table-header-group; }}
tr {{ page-break-inside: avoid; }}
td.status {{ color: #fff; font-weight: bold; text-align: center; }}
td.num {{ white-space: nowrap; }}
.charts {{ display: block; }}
.charts svg {{ display: inline-block; border: 0.5pt solid #ddd; margin: 0 4px 6px 0; vertical-align: top; }}
.chart-block {{ page-break-inside: avoid; }}
code {{ font-family: 'DejaVu Sans Mono', monospace; font-size: 7.5pt; word-break: break-all; }}
.note {{ color: #666; font-size: 9pt; text-indent: 0; }}
"""

PRINT_CSS = f"""
@page {{ size: A4 landscape; margin: 16mm 14mm 18mm 14mm;
  @bottom-center {{ content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
                    font-family: {FONTS_SANS}; font-size: 9pt; color: #555; }}
  @top-right {{ content: string(doctitle); font-family: {FONTS_SANS}; font-size: 8pt; color: #888; }} }}
@page :first {{ @top-right {{ content: none; }} }}
body {{ margin: 0; max-width: none; padding: 0; }}
h1 {{ string-set: doctitle content(); }}
h2 {{ page-break-after: avoid; }}
.charts svg {{ width: 32%; height: auto; page-break-inside: avoid; }}
"""


def _table(columns: list[Column], rows, numbered: bool = True) -> str:
    total = sum(c.width for c in columns) + (4 if numbered else 0)
    cols = ("<col style='width:3%'>" if numbered else "") + "".join(
        f"<col style='width:{c.width / total * 100:.1f}%'>" for c in columns)
    head = ("<th>序号</th>" if numbered else "") + "".join(f"<th>{escape(c.title)}</th>" for c in columns)
    body = []
    for i, r in enumerate(rows, 1):
        cells = [f"<td class='num'>{i}</td>"] if numbered else []
        for c in columns:
            text = escape(c.cell(r))
            if c.status:
                cells.append(f"<td class='status' style='background:#{status_color(r.status)}' "
                             f"data-status='{escape(r.status)}'>{text}</td>")
            else:
                cells.append(f"<td>{text}</td>")
        body.append(f"<tr data-target='{r.target_id}'>{''.join(cells)}</tr>")
    return f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_html(model: ReportModel, *, for_print: bool = False) -> str:
    parts = [f"<h1>{escape(model.title)}</h1>",
             f"<p class='meta'>评估时点：{model.as_of}年 · 地区：{escape(model.region)} · "
             f"依据文件{len(model.documents)}份 · 生成于{escape(model.generated_at)} · planwatch 规划监测</p>",
             "<h2>一、总体情况</h2>"]
    parts += [f"<p>{escape(p)}</p>" for p in summary(model)]
    parts.append(f"<div class='chart-block'>{draw_status(model).svg()}</div>")
    for key, heading, columns, rows in sections(model):
        parts.append(f"<h2 id='{key}'>{escape(heading)}</h2>")
        if key == "other":
            parts.append(f"<p class='note'>仅列出已找到实际值的{len(rows)}项；全部{len(model.table('other'))}项见 Excel 台账。</p>")
        parts.append(_table(columns, rows))
        if key == "main":
            charts = indicator_charts(model)
            if charts:
                parts.append("<p class='note'>图：主要指标实际值（绿）、目标路径（蓝虚线）与目标值（红虚线）。</p>")
                parts.append("<div class='charts'>" + "".join(draw_indicator(c).svg() for c in charts) + "</div>")
    parts.append("<h2>附录一 评估方法与阈值</h2>")
    parts += [f"<p>{escape(p)}</p>" for p in method(model)]
    parts.append("<h2>附录二 依据文件</h2>")
    doc_rows = "".join(
        f"<tr><td>{escape(d.name)}</td><td>{escape(d.title)}</td><td>{escape(d.doc_type_zh)}</td>"
        f"<td>{escape(d.region)}</td><td>{d.year or ''}</td><td>{d.claims}</td><td><code>{d.sha256}</code></td></tr>"
        for d in model.documents)
    parts.append("<table><colgroup><col style='width:17%'><col style='width:24%'><col style='width:9%'>"
                 "<col style='width:7%'><col style='width:5%'><col style='width:5%'><col style='width:33%'></colgroup>"
                 "<thead><tr><th>文件</th><th>标题</th><th>类型</th><th>地区</th><th>年份</th>"
                 f"<th>数字</th><th>SHA-256</th></tr></thead><tbody>{doc_rows}</tbody></table>")
    css = CSS + (PRINT_CSS if for_print else "")
    return ("<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>{escape(model.title)}</title><style>{css}</style></head><body>"
            + "\n".join(parts) + "</body></html>")


class HtmlReport:
    suffix = ".html"

    def __init__(self, model: ReportModel):
        self.model = model

    def write(self, path: Path) -> Path:
        path.write_text(render_html(self.model), encoding="utf-8")
        return path
