"""Charts of a report: one per main indicator (actuals, target path, target line) and one of the statuses.

Why no charting library: matplotlib is ~40 MB and needs its own CJK font setup; ECharts needs a browser.
The charts are a handful of lines, dots and labels, so each is described once as a list of drawing
operations and rendered twice: as inline SVG (HTML, PDF — WeasyPrint draws SVG with the same CJK fonts as the
text) and as PNG through Pillow (DOCX and XLSX cannot embed SVG portably). Pillow draws at 2× and scales
down, which gives anti-aliased lines.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

from ..services.report_data import ReportModel, ReportRow, TABLES, num, status_color, status_zh, wording

FONT_FAMILY = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"
FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc")
SC_INDEX = 2  # Simplified Chinese face inside the Noto CJK collection (fc-match "Noto Sans CJK SC")
INK, GRID, TARGET, PATH, ACTUAL = "#333333", "#DDDDDD", "#C62828", "#1565C0", "#2E7D32"


@dataclass
class Op:
    kind: str  # line | rect | circle | text
    args: dict


@dataclass
class Drawing:
    width: int
    height: int
    ops: list[Op] = field(default_factory=list)
    title: str = ""

    def line(self, pts, color=INK, width=1.0, dash=False):
        self.ops.append(Op("line", dict(pts=[(float(x), float(y)) for x, y in pts], color=color, width=width, dash=dash)))

    def rect(self, x, y, w, h, color):
        self.ops.append(Op("rect", dict(x=x, y=y, w=w, h=h, color=color)))

    def circle(self, x, y, r, color):
        self.ops.append(Op("circle", dict(x=x, y=y, r=r, color=color)))

    def text(self, x, y, s, size=11, color=INK, anchor="start"):
        self.ops.append(Op("text", dict(x=x, y=y, s=str(s), size=size, color=color, anchor=anchor)))

    # ---- renderers ----

    def svg(self) -> str:
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
                 f'viewBox="0 0 {self.width} {self.height}" role="img" aria-label="{escape(self.title)}" '
                 f'font-family="{escape(FONT_FAMILY)}">']
        for op in self.ops:
            a = op.args
            if op.kind == "line":
                pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in a["pts"])
                dash = ' stroke-dasharray="5 4"' if a["dash"] else ""
                parts.append(f'<polyline points="{pts}" fill="none" stroke="{a["color"]}" '
                             f'stroke-width="{a["width"]}"{dash}/>')
            elif op.kind == "rect":
                parts.append(f'<rect x="{a["x"]:.1f}" y="{a["y"]:.1f}" width="{a["w"]:.1f}" height="{a["h"]:.1f}" '
                             f'fill="{a["color"]}"/>')
            elif op.kind == "circle":
                parts.append(f'<circle cx="{a["x"]:.1f}" cy="{a["y"]:.1f}" r="{a["r"]}" fill="{a["color"]}"/>')
            else:
                parts.append(f'<text x="{a["x"]:.1f}" y="{a["y"]:.1f}" font-size="{a["size"]}" fill="{a["color"]}" '
                             f'text-anchor="{a["anchor"]}">{escape(a["s"])}</text>')
        parts.append("</svg>")
        return "".join(parts)

    def png(self, scale: int = 2) -> bytes:
        from PIL import Image, ImageDraw

        k = scale * 2  # supersampling factor
        img = Image.new("RGB", (self.width * k, self.height * k), "white")
        d = ImageDraw.Draw(img)
        for op in self.ops:
            a = op.args
            if op.kind == "line":
                pts = [(x * k, y * k) for x, y in a["pts"]]
                w = max(1, round(a["width"] * k))
                for seg in (_dashes(pts, 5 * k, 4 * k) if a["dash"] else [pts]):
                    if len(seg) >= 2:
                        d.line(seg, fill=a["color"], width=w, joint="curve")
            elif op.kind == "rect":
                d.rectangle([a["x"] * k, a["y"] * k, (a["x"] + a["w"]) * k, (a["y"] + a["h"]) * k], fill=a["color"])
            elif op.kind == "circle":
                r = a["r"] * k
                d.ellipse([a["x"] * k - r, a["y"] * k - r, a["x"] * k + r, a["y"] * k + r], fill=a["color"])
            else:
                font = _font(round(a["size"] * k))
                anchor = {"start": "ls", "middle": "ms", "end": "rs"}[a["anchor"]]
                d.text((a["x"] * k, a["y"] * k), a["s"], fill=a["color"], font=font, anchor=anchor)
        img = img.resize((self.width * scale, self.height * scale), Image.LANCZOS)
        buf = io.BytesIO()
        img.save(buf, "PNG")
        return buf.getvalue()


def _dashes(pts, on, off):
    """Split a polyline into dash segments (Pillow has no dashed lines)."""
    out, draw, left = [], True, on
    cur = [pts[0]]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        dx, dy = x1 - x0, y1 - y0
        length = (dx * dx + dy * dy) ** 0.5 or 1e-9
        pos = 0.0
        while length - pos > left:
            pos += left
            p = (x0 + dx * pos / length, y0 + dy * pos / length)
            if draw:
                out.append(cur + [p])
            cur = [p]
            draw, left = not draw, (off if draw else on)
        left -= length - pos
        cur.append((x1, y1))
    if draw and len(cur) >= 2:
        out.append(cur)
    return out


@lru_cache(maxsize=32)
def _font(size: int):
    from PIL import ImageFont

    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size, index=SC_INDEX)
    return ImageFont.load_default(size)  # no CJK font installed: Latin only, CJK shows as boxes


# ---- indicator charts -------------------------------------------------------------------------------

@dataclass
class IndicatorChart:
    indicator: str
    kind: str  # level (values) | growth (yearly growth rates against the average target)
    unit: str
    status: str
    actual: list[tuple[int, float]]
    path: list[tuple[int, float]]  # the target path: baseline → target
    target: float | None
    target_year: int | None
    required: tuple[int, int, float] | None = None  # growth still required: (from year, to year, rate)
    x_range: tuple[int, int] | None = None  # the plan period, so every chart of a report has the same years


def _chart_for(rows: list[ReportRow], years: tuple[int, int] | None) -> IndicatorChart | None:
    level = next((r for r in rows if r.measure in ("level", "share", "ratio", "count", "count_new")
                  and r.target_value is not None), None)
    growth = next((r for r in rows if r.measure in ("growth_rate", "avg_growth") and r.target_value is not None), None)
    t0, tT = years or (None, None)
    if level is not None and (level.series or growth is None or not growth.series):
        if level.baseline is None and not level.series:
            return None
        b_year = level.baseline_year or t0
        actual = ([(b_year, level.baseline)] if level.baseline is not None and b_year else []) + \
            [p for p in level.series if p[0] != b_year]
        path = [(b_year, level.baseline), (level.target_year or tT, level.target_value)] \
            if level.baseline is not None and b_year and (level.target_year or tT) else []
        return IndicatorChart(level.indicator, "level", level.unit, level.status, actual, path,
                              level.target_value, level.target_year or tT, x_range=years)
    if growth is not None:
        req = None
        if growth.required and growth.series and (growth.target_year or tT):
            try:
                rate = float(growth.required.rstrip("%"))
                req = (growth.series[-1][0] + 1, growth.target_year or tT, rate)
            except ValueError:
                req = None
        return IndicatorChart(growth.indicator, "growth", "%", growth.status, list(growth.series), [],
                              growth.target_value, growth.target_year or tT, req,
                              x_range=(t0 + 1, tT) if years else None)  # growth is reported from the first plan year
    return None


def indicator_charts(model: ReportModel) -> list[IndicatorChart]:
    """One chart per main indicator that has something to draw (a baseline or an actual), in table order."""
    groups: dict[str, list[ReportRow]] = {}
    for r in model.table("main"):
        groups.setdefault(r.indicator, []).append(r)
    charts = [_chart_for(rows, model.plan_years) for rows in groups.values()]
    return [c for c in charts if c is not None]


def draw_indicator(c: IndicatorChart, width: int = 420, height: int = 230) -> Drawing:
    d = Drawing(width, height, title=c.indicator)
    left, right, top, bottom = 52, 14, 38, 40
    xs = [p[0] for p in c.actual + c.path] + ([c.target_year] if c.target_year else [])
    if c.required:
        xs += [c.required[0], c.required[1]]
    ys = [p[1] for p in c.actual + c.path] + ([c.target] if c.target is not None else [])
    if c.required:
        ys.append(c.required[2])
    if c.x_range:
        xs += list(c.x_range)
    x0, x1 = (min(xs), max(xs)) if xs else (0, 1)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    lo, hi = (min(ys), max(ys)) if ys else (0, 1)
    if c.kind == "growth":
        lo = min(lo, 0)
    pad = (hi - lo) * 0.12 or abs(hi) * 0.1 or 1
    lo, hi = (lo - pad if lo != 0 else 0), hi + pad  # growth charts start at 0 unless a rate was negative

    def X(x):
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def Y(y):
        return top + (hi - y) / (hi - lo) * (height - top - bottom)

    d.rect(0, 0, width, height, "#FFFFFF")
    d.text(left - 40, 18, c.indicator[:22], size=13)
    d.rect(width - right - 78, 6, 78, 18, "#" + status_color(c.status))
    d.text(width - right - 39, 19, status_zh(c.status), size=11, color="#FFFFFF", anchor="middle")
    for i in range(5):  # y grid with labels
        yv = lo + (hi - lo) * i / 4
        d.line([(left, Y(yv)), (width - right, Y(yv))], GRID, 0.7)
        d.text(left - 5, Y(yv) + 4, num(yv, 2 if hi - lo < 5 else 1), size=9, anchor="end")
    for x in range(int(x0), int(x1) + 1):
        d.text(X(x), height - bottom + 15, str(x), size=9, anchor="middle")
    d.line([(left, height - bottom), (width - right, height - bottom)], INK, 1)
    d.text(left - 40, height - 6, c.unit, size=9)
    if c.target is not None:
        d.line([(left, Y(c.target)), (width - right, Y(c.target))], TARGET, 1.2, dash=True)
        d.text(width - right, Y(c.target) - 4, f"目标 {num(c.target)}", size=9, color=TARGET, anchor="end")
    if len(c.path) == 2:
        d.line([(X(x), Y(y)) for x, y in c.path], PATH, 1.2, dash=True)
    if c.required:
        a, b, rate = c.required
        d.line([(X(a), Y(rate)), (X(b), Y(rate))], "#E65100", 1.5, dash=True)
        d.text(X(b), Y(rate) - 5, f"尚需年均 {num(rate)}", size=9, color="#E65100", anchor="end")
    if c.actual:
        pts = [(X(x), Y(y)) for x, y in sorted(c.actual)]
        if len(pts) > 1:
            d.line(pts, ACTUAL, 2)
        for (x, y), (px, py) in zip(sorted(c.actual), pts):
            d.circle(px, py, 3.5, ACTUAL)
            d.text(px, py - 7, num(y), size=9, color=ACTUAL, anchor="middle")
    # legend
    ly = height - 8
    items = [(ACTUAL, "实际值" if c.kind == "level" else "实际增速", False), (TARGET, "目标", True)]
    if c.path:
        items.append((PATH, "目标路径", True))
    lx = left + 60
    for color, label, dash in items:
        d.line([(lx, ly - 4), (lx + 18, ly - 4)], color, 2, dash=dash)
        d.text(lx + 22, ly, label, size=9)
        lx += 30 + 12 * len(label)
    return d


# ---- the status chart -------------------------------------------------------------------------------

def draw_status(model: ReportModel, width: int = 640) -> Drawing:
    """One stacked bar per group of targets (主要指标 / 年度目标 / 末期 / 其他), coloured by status."""
    groups = [(t, model.counts(t)) for t in TABLES if model.counts(t)]
    names = {"main": "规划主要指标", "commitments": "年度目标任务", "final": "上期规划末期", "other": "其他目标"}
    row_h, top, left = 30, 34, 110
    statuses = [s for s in wording()["status_order"] if any(s in c for _, c in groups)]
    legend_rows = (len(statuses) + 4) // 5
    height = top + row_h * len(groups) + 14 + 20 * legend_rows
    d = Drawing(width, height, title="目标完成状态")
    d.rect(0, 0, width, height, "#FFFFFF")
    d.text(10, 20, "目标完成状态（项）", size=13)
    bar_w = width - left - 50
    for i, (t, counts) in enumerate(groups):
        y = top + i * row_h
        total = sum(counts.values())
        d.text(left - 8, y + 17, names[t], size=11, anchor="end")
        x = left
        for s in statuses:
            n = counts.get(s, 0)
            if not n:
                continue
            w = bar_w * n / total
            d.rect(x, y + 2, w, row_h - 8, "#" + status_color(s))
            if w > 18:
                d.text(x + w / 2, y + 17, str(n), size=10, color="#FFFFFF", anchor="middle")
            x += w
        d.text(left + bar_w + 6, y + 17, str(total), size=10)
    y = top + row_h * len(groups) + 16
    for j, s in enumerate(statuses):
        lx, ly = 10 + (j % 5) * 124, y + (j // 5) * 20
        d.rect(lx, ly - 9, 12, 12, "#" + status_color(s))
        d.text(lx + 16, ly + 1, status_zh(s), size=10)
    return d
