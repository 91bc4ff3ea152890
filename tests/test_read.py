"""Step 1, read: every format of the five seeds reads back to the seed's text; hostile files fail cleanly.

The PDF, DOCX, GB18030 txt and HTML versions of each seed are generated once per session (WeasyPrint
for PDF with a running header and page numbers, python-docx with real Word tables and merged cells,
an HTML page with nav/sidebar/script around the article) and compared with the txt reader's text.
"""
from __future__ import annotations

import html
import random
import re
import subprocess
import sys
import zipfile
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from planwatch.errors import ReadError
from planwatch.read import fold_width, read_document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "samples" / "nanchang").glob("*.txt"))
SEED_IDS = [p.name[:3] for p in SEEDS]
HEADER = "南昌市人民政府"  # the running header of the generated PDFs
CHROME = ["政务公开首页", "热点新闻推荐", "脚本里的文字", "版权所有南昌市人民政府办公室", "样式里的文字"]

# --- similarity -----------------------------------------------------------------------------------


def _sentences(s: str) -> list[str]:
    return re.findall(r"[^。]*。|[^。]+$", s)


def similarity(ref: str, got: str) -> float:
    """Share of matching characters, whitespace ignored: 2·matched / (len(ref) + len(got)).

    Aligns sentences first (fast on 100k characters), then characters inside the unequal stretches.
    """
    a, b = re.sub(r"\s+", "", ref), re.sub(r"\s+", "", got)
    if not a and not b:
        return 1.0
    sa, sb = _sentences(a), _sentences(b)
    matched = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes():
        x, y = "".join(sa[i1:i2]), "".join(sb[j1:j2])
        if tag == "equal":
            matched += len(x)
        elif tag == "replace" and len(x) * len(y) < 4_000_000:
            matched += sum(m.size for m in SequenceMatcher(None, x, y, autojunk=False).get_matching_blocks())
    return 2 * matched / (len(a) + len(b))


def test_similarity_measure():
    assert similarity("甲乙。丙丁。", "甲 乙。\n丙丁。") == 1.0
    assert similarity("甲乙。丙丁。", "甲乙。") == pytest.approx(2 * 3 / 9)
    assert 0.8 < similarity("甲乙丙丁。戊己。", "甲乙丙X。戊己。") < 1


# --- generated fixtures ---------------------------------------------------------------------------


def _blocks(txt: str):
    """("p", line) and ("table", rows) from a seed: tab-separated lines are table rows."""
    blocks, rows = [], []
    for line in txt.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            blocks.append(("table", rows))
            rows = []
        if line.strip():
            blocks.append(("p", line))
    if rows:
        blocks.append(("table", rows))
    return blocks


def _square(rows: list[list[str]]) -> list[list[str]]:
    n = max(len(r) for r in rows)
    return [r + [""] * (n - len(r)) for r in rows]


def _rowspans(rows: list[list[str]]) -> list[int]:
    """Vertical merges of the first column, as the seeds show them: a category cell, then empty cells."""
    spans = [1] * len(rows)
    for i, row in enumerate(rows):
        if row[0] == "" and i and any(spans[k] > 0 and rows[k][0] for k in range(i)):
            k = max(k for k in range(i) if spans[k] > 0)
            if rows[k][0]:
                spans[k] += 1
                spans[i] = 0
    return spans


def _html_table(rows: list[list[str]]) -> str:
    rows = _square(rows)
    spans = _rowspans(rows)
    out = []
    for row, span in zip(rows, spans):
        first = "" if span == 0 else f'<td rowspan="{span}">{html.escape(row[0])}</td>'
        out.append("<tr>" + first + "".join(f"<td>{html.escape(c)}</td>" for c in row[1:]) + "</tr>")
    return "<table>" + "".join(out) + "</table>"


def _body_html(txt: str) -> str:
    return "".join(f"<p>{html.escape(v)}</p>" if k == "p" else _html_table(v) for k, v in _blocks(txt))


PDF_CSS = f"""
@page {{ size: A4; margin: 25mm 20mm;
  @top-center {{ content: "{HEADER}"; font-family: "Noto Sans CJK SC"; font-size: 9pt }}
  @bottom-center {{ content: counter(page); font-family: "Noto Sans CJK SC"; font-size: 9pt }} }}
body {{ font-family: "Noto Sans CJK SC"; font-size: 11pt; }}
p {{ text-indent: 2em; margin: 0 0 0.5em 0; }}
table {{ border-collapse: separate; border-spacing: 0; margin: 0.5em 0; }}
tr {{ break-inside: avoid; }}
td {{ border: 0.5pt solid black; padding: 2pt 4pt; font-size: 9pt; }}
"""


# other layouts seen in government PDFs: justified text with indents only and "— 3 —" page numbers
# (Word exports); no indent, spacing between paragraphs and "第 3 页 共 9 页" footers (web exports)
PDF_STYLES = {
    "plain": PDF_CSS,
    "justified": PDF_CSS.replace('content: "南昌市人民政府"', 'content: ""').replace(
        "content: counter(page)", 'content: "— " counter(page) " —"').replace(
        "p { text-indent: 2em; margin: 0 0 0.5em 0; }",
        "p { text-indent: 2em; margin: 0; text-align: justify; line-height: 1.8; }"),
    "spaced": PDF_CSS.replace(
        "content: counter(page)", 'content: "第 " counter(page) " 页 共 " counter(pages) " 页"').replace(
        "p { text-indent: 2em; margin: 0 0 0.5em 0; }", "p { margin: 0 0 0.8em 0; }"),
}


def make_pdf(txt: str, out: Path, style: str = "plain") -> Path:
    from weasyprint import HTML

    css = PDF_STYLES[style]
    page = f"<html><head><meta charset='utf-8'><style>{css}</style></head><body>{_body_html(txt)}</body></html>"
    HTML(string=page).write_pdf(out)
    return out


def make_docx(txt: str, out: Path) -> Path:
    import docx

    d = docx.Document()
    for kind, value in _blocks(txt):
        if kind == "p":
            d.add_paragraph(value)
            continue
        rows = _square(value)
        table = d.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
        spans = _rowspans(rows)
        for r, span in enumerate(spans):
            if span > 1:  # a real vertical merge (w:vMerge), keeping the text of the first cell only
                top = table.cell(r, 0)
                text = top.text
                top.merge(table.cell(r + span - 1, 0)).text = text
    d.save(out)
    return out


SITE_CHROME = """
<div id="top"><nav><a href="/">政务公开首页</a> | <a href="/news">新闻中心</a> | <a href="/x">互动交流</a></nav></div>
<div id="sidebar" class="sidebar"><h3>热点新闻推荐</h3><ul><li><a href="/1">市领导调研</a></li>
<li><a href="/2">会议召开</a></li></ul></div>
<script>var msg = "脚本里的文字"; document.title = msg;</script>
<style>.x:after {{ content: "样式里的文字" }}</style>
"""


def make_html(txt: str, out: Path, charset: str = "utf-8") -> Path:
    page = f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>南昌市人民政府 - 文件</title></head>
<body>{SITE_CHROME}<div id="content"><article class="article-content">{_body_html(txt)}</article></div>
<div class="footer"><p>版权所有南昌市人民政府办公室 赣ICP备05000000号</p></div></body></html>"""
    encoding = "gb18030" if charset.lower() in ("gb2312", "gbk", "gb18030") else charset
    out.write_bytes(page.encode(encoding))
    return out


class Corpus:
    """Each seed in each format, made on first use and read once per session."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.docs: dict = {}

    def seed_text(self, seed: str) -> str:
        return next(p for p in SEEDS if p.name.startswith(seed)).read_text(encoding="utf-8")

    def path(self, seed: str, fmt: str) -> Path:
        out = self.folder / f"{seed}.{fmt}"  # fmt: pdf, docx, html, gb.txt, justified.pdf, spaced.pdf
        if not out.exists():
            txt = self.seed_text(seed)
            if fmt.endswith("pdf"):  # pdf, justified.pdf, spaced.pdf
                make_pdf(txt, out, fmt[:-4] or "plain")
            elif fmt == "docx":
                make_docx(txt, out)
            elif fmt == "html":  # one page labelled gb2312 (its bytes are GB18030, as servers do)
                make_html(txt, out, "gb2312" if seed == "002" else "utf-8")
            elif fmt == "gb.txt":
                out.write_bytes(txt.encode("gb18030"))
        return out

    def read(self, seed: str, fmt: str):
        if (seed, fmt) not in self.docs:
            src = next(p for p in SEEDS if p.name.startswith(seed)) if fmt == "txt" else self.path(seed, fmt)
            self.docs[seed, fmt] = read_document(src)
        return self.docs[seed, fmt]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("read-corpus"))


# --- every format reads back to the seed ----------------------------------------------------------

MIN_SIMILARITY = {"pdf": 0.99, "docx": 0.99, "html": 0.98}


@pytest.mark.parametrize("seed", SEED_IDS)
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_format_reads_back_to_seed(corpus, seed, fmt):
    ref = corpus.read(seed, "txt").text
    doc = corpus.read(seed, fmt)
    assert doc.format == fmt
    sim = similarity(ref, doc.text)
    print(f"{seed} {fmt} similarity {sim:.4f}")
    assert sim >= MIN_SIMILARITY[fmt]
    assert doc.title and doc.sha256


@pytest.mark.parametrize("seed", SEED_IDS)
def test_gb18030_txt_reads_identical(corpus, seed):
    doc = corpus.read(seed, "gb.txt")
    assert doc.encoding == "gb18030"
    assert doc.text == corpus.read(seed, "txt").text


@pytest.mark.parametrize("seed", SEED_IDS)
def test_html_main_text_only(corpus, seed):
    doc = corpus.read(seed, "html")
    for chrome in CHROME:
        assert chrome not in doc.text
    assert doc.encoding == ("gb18030" if seed == "002" else "utf-8")
    assert doc.title == "南昌市人民政府 - 文件"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_pdf_page_furniture_dropped(corpus, seed):
    doc = corpus.read(seed, "pdf")
    lines = [ln.strip() for ln in doc.text.split("\n")]
    assert HEADER not in lines  # the running header
    assert not [ln for ln in lines if re.fullmatch(r"\d{1,3}", ln)]  # page numbers (no seed has such lines
    # but 000's "2024", which must stay)
    if seed == "000":
        assert "2024" in doc.text.split("\n")
    assert len(doc.pages) >= 1 and list(doc.pages) == sorted(doc.pages)
    assert doc.pages[0] == 0


def _paragraphs(text: str) -> list[str]:
    return [re.sub(r"\s+", "", ln) for ln in text.split("\n") if ln.strip()]


@pytest.mark.parametrize("seed", ["001", "003"])
@pytest.mark.parametrize("style", ["", "justified.", "spaced."])
def test_pdf_paragraphs_rebuilt(corpus, seed, style):
    """Lines of a paragraph are joined again, paragraphs are not: the PDF has the seed's lines."""
    ref = _paragraphs(corpus.read(seed, "txt").text)
    doc = corpus.read(seed, style + "pdf")
    got = _paragraphs(doc.text)
    assert similarity(corpus.read(seed, "txt").text, doc.text) >= 0.99
    missing = [p for p in ref if p not in set(got)]
    assert len(missing) <= max(1, len(ref) // 50), missing[:3]  # a page break hides spacing
    assert not re.search(r"第\d+页|—\d+—|^\d+$", "\n".join(got), re.M)


UNIT_SPLIT = re.compile(r"\d\s*\n\s*(亿|万|个|%|元|家|公里)")


@pytest.mark.parametrize("seed", SEED_IDS)
def test_pdf_numbers_stay_with_their_units(corpus, seed):
    doc = corpus.read(seed, "pdf")
    assert not UNIT_SPLIT.search(doc.text), UNIT_SPLIT.search(doc.text)
    if seed == "004":
        assert re.search(r"3600 ?亿元", doc.text)


ROW_2020 = re.compile(r"^.*地区生产总值\(亿元\)\t5745\.51\t8200\t7\.5左右\t预期性$", re.M)
ROW_TABLE1 = re.compile(r"^.*\t全员劳动生产率\(万元/人\)\t17\.5\t23\.3\t5\.8左右\t预期性$", re.M)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_004_table_rows_intact(corpus, fmt):
    text = corpus.read("004", fmt).text
    assert ROW_2020.search(text)
    assert ROW_TABLE1.search(text)  # the merged category cell left empty, as in the seed
    assert re.search(r"^综合 ?质效\t地区生产总值", text, re.M)
    ref = corpus.read("004", "txt").text
    for cell in ("5745.51", "3778.82", "全员劳动生产率"):  # table text is not repeated as plain lines
        assert text.count(cell) == ref.count(cell)


@pytest.mark.parametrize("seed", ["002", "004"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_offsets_map_back_to_original(corpus, seed, fmt):
    doc = corpus.read(seed, fmt)
    text, original = doc.text, doc.original
    if doc.offsets is not None:
        assert len(doc.offsets) == len(text) + 1
        # every character that is not synthesized whitespace is a copy of the original one
        bad = [i for i, ch in enumerate(text) if not ch.isspace() and fold_width(original[doc.offsets[i]]) != ch]
        assert not bad, [(text[i], original[doc.offsets[i]]) for i in bad[:5]]
    rng = random.Random(7)
    bounds = list(doc.pages or [0]) + [len(text)]
    for _ in range(300):  # random spans inside a page: the quote is the span, up to folding and reflow
        p = rng.randrange(len(bounds) - 1)
        lo, hi = bounds[p], bounds[p + 1]
        if hi - lo < 2:
            continue
        s = rng.randrange(lo, hi - 1)
        e = min(hi, s + rng.randrange(1, 200))
        quote = doc.quote(s, e)
        assert re.sub(r"\s", "", fold_width(quote)) == re.sub(r"\s", "", text[s:e]), (s, e)


# --- hostile files --------------------------------------------------------------------------------


def _expect_error(path: Path, *words: str) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_document(path)
    msg = str(info.value)
    assert str(path) in msg
    for w in words:
        assert w in msg.lower(), msg
    return info.value


@pytest.fixture(scope="session")
def bad(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("with-problems")


def test_missing_and_empty(bad):
    _expect_error(bad / "missing.txt", "no such file")
    (bad / "empty.txt").write_bytes(b"")
    _expect_error(bad / "empty.txt", "empty")
    (bad / "blank.txt").write_text(" \n\n \t\n")
    _expect_error(bad / "blank.txt", "no text")


def test_binary_junk_named_txt(bad):
    (bad / "junk.txt").write_bytes(random.Random(1).randbytes(4096))
    _expect_error(bad / "junk.txt", "binary")


def test_truncated_pdf(corpus, bad):
    data = corpus.path("000", "pdf").read_bytes()
    (bad / "truncated.pdf").write_bytes(data[: len(data) // 2])
    _expect_error(bad / "truncated.pdf", "truncated")


def test_pdf_that_is_not_a_pdf(bad):
    (bad / "fake.pdf").write_bytes(b"%PDF-1.7\n" + b"garbage " * 500 + b"\n%%EOF\n")
    _expect_error(bad / "fake.pdf", "pdf")
    (bad / "html.pdf").write_bytes(b"<html><body>404 not found</body></html>")
    _expect_error(bad / "html.pdf", "not a pdf")


def test_encrypted_pdf(corpus, bad):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(corpus.path("000", "pdf"))
    for password, name in (("secret", "locked.pdf"), ("", "owner-only.pdf")):
        writer = pypdf.PdfWriter(clone_from=reader)
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
        with open(bad / name, "wb") as f:
            writer.write(f)
    _expect_error(bad / "locked.pdf", "encrypted", "password")
    # owner-password-only PDFs (printing/copying restricted) open without a password: read them
    doc = read_document(bad / "owner-only.pdf")
    assert similarity(corpus.read("000", "txt").text, doc.text) >= 0.99


def test_pdf_without_text_layer(bad):
    from weasyprint import HTML

    HTML(string="<html><body><div style='width:300px;height:200px;background:#c33'></div></body></html>"
         ).write_pdf(bad / "scan.pdf")
    _expect_error(bad / "scan.pdf", "no text layer", "ocr")


def test_docx_random_bytes_and_other_zips(bad):
    (bad / "random.docx").write_bytes(random.Random(2).randbytes(5000))
    _expect_error(bad / "random.docx", "docx")
    with zipfile.ZipFile(bad / "notword.docx", "w") as z:
        z.writestr("hello.txt", "not a word document")
    _expect_error(bad / "notword.docx", "not a word document")
    (bad / "legacy.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000)
    _expect_error(bad / "legacy.docx", "legacy")


def test_truncated_docx(corpus, bad):
    data = corpus.path("003", "docx").read_bytes()
    (bad / "truncated.docx").write_bytes(data[: len(data) // 2])
    _expect_error(bad / "truncated.docx", "docx")


def test_zip_bomb_docx(bad):
    path = bad / "bomb.docx"
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            for _ in range(300):
                f.write(chunk)
    assert path.stat().st_size < 2_000_000
    _expect_error(path, "zip bomb")


def test_gbk_outside_gb2312(bad):
    text = "〇堽堎村·2024年—人均收入39121元\n"
    (bad / "gbk.txt").write_bytes(text.encode("gbk"))
    doc = read_document(bad / "gbk.txt")
    assert doc.encoding == "gb18030" and doc.text == text


def test_undecodable_bytes(bad):
    """Bytes that are neither UTF-8 nor GB18030: charset-normalizer's guess when one fits (the encoding
    used is reported, so it can be seen), else a ReadError."""
    (bad / "undecodable.txt").write_bytes(bytes(range(128, 256)) * 30)
    _expect_error(bad / "undecodable.txt", "undecodable")
    (bad / "guessed.txt").write_bytes(b"abc \x80\x80\x80 " * 2000)  # \x80: invalid in UTF-8 and GB18030
    assert read_document(bad / "guessed.txt").encoding not in ("utf-8", "gb18030")


def test_html_undecodable_and_empty(bad):
    (bad / "bad.html").write_bytes(b"<html><head><meta charset='utf-8'></head><body><p>" + b"\x80\xff" * 3000
                                   + b"</p></body></html>")
    _expect_error(bad / "bad.html", "undecodable")
    (bad / "empty.html").write_bytes(b"<html><head><title>x</title></head><body><script>var a=1;</script></body></html>")
    _expect_error(bad / "empty.html", "no main text")


# --- merged cells, content order, decoding details -------------------------------------------------


def test_docx_merged_cells_written_once(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("表1：指标")
    t = d.add_table(rows=3, cols=4)
    for r, row in enumerate([["类别", "指标", "2020年", ""], ["", "", "目标", "实际"], ["经济", "GDP(亿元)", "8200", "8100"]]):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    t.cell(0, 2).merge(t.cell(0, 3)).text = "2020年"  # horizontal (gridSpan)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "类别"  # vertical (vMerge)
    d.add_paragraph("注：数据为预计数。")
    d.save(tmp_path / "m.docx")
    doc = read_document(tmp_path / "m.docx")
    assert doc.text == "表1:指标\n\n类别\t指标\t2020年\t\n\t\t目标\t实际\n经济\tGDP(亿元)\t8200\t8100\n\n注:数据为预计数。\n"


def _pdf_from_html(body: str, out: Path) -> Path:
    from weasyprint import HTML

    HTML(string=f"<html><body style='font-family: \"Noto Sans CJK SC\"'>{body}</body></html>").write_pdf(out)
    return out


def test_pdf_merged_cells_written_once(tmp_path):
    td = "td style='border: 1px solid'"
    table = (f"<table style='border-collapse: separate; border-spacing: 0'>"
             f"<tr><{td} rowspan=2>类别</td><{td} rowspan=2>指标</td><{td} colspan=2>2020年</td></tr>"
             f"<tr><{td}>目标</td><{td}>实际</td></tr>"
             f"<tr><{td}>经济</td><{td}>GDP(亿元)</td><{td}>8200</td><{td}>8100</td></tr></table>")
    doc = read_document(_pdf_from_html("<p>表1：指标</p>" + table, tmp_path / "m.pdf"))
    # the colspan cell once, the column it covers empty; the rowspan cells empty in the row below
    assert doc.text == "表1:指标\n\n类别\t指标\t2020年\t\n\t\t目标\t实际\n经济\tGDP(亿元)\t8200\t8100\n"


def test_pdf_fake_bold_read_once(tmp_path):
    """Bold faked by printing the text twice, a fraction of a point apart: 全全市市 → 全市."""
    t = "全市地区生产总值增长5.0%，达到7800亿元。"
    p = "p style='position: absolute; top: 0; margin: 0; left: {}px'"
    body = f"<div style='position: relative'><{p.format(0)}>{t}</p><{p.format(0.4)}>{t}</p></div>"
    doc = read_document(_pdf_from_html(body, tmp_path / "bold.pdf"))
    assert doc.text == fold_width(t) + "\n"


def test_docx_content_controls_tracked_changes_text_boxes(tmp_path):
    """Text inside w:sdt (often the TOC) and tracked insertions counts; deleted text does not."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    d.add_paragraph("第一段。")
    body = d.element.body
    body.insert(len(body) - 1, parse_xml(
        f'<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>目录内容</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    body.insert(len(body) - 1, parse_xml(
        f'<w:p {w}><w:r><w:t>增长</w:t></w:r><w:del><w:r><w:delText>6%</w:delText></w:r></w:del>'
        f'<w:ins><w:r><w:t>5%</w:t></w:r></w:ins><w:r><w:tab/><w:t>左右</w:t><w:br/><w:t>下一行</w:t></w:r></w:p>'))
    d.save(tmp_path / "c.docx")
    assert read_document(tmp_path / "c.docx").text == "第一段。\n\n目录内容\n\n增长5%\t左右\n下一行\n"


def test_html_rowspan_colspan_and_breaks(tmp_path):
    page = """<html><body><article><h1>标题</h1><p>第一段，地区生产
总值增长5%。<br>第二行</p>
<table><tr><td rowspan="2">综合质效</td><td colspan="2">地区生产总值（亿元）</td></tr>
<tr><td>目标值8200亿元</td><td>实际值8100亿元</td></tr></table>
<p>Latin words
wrap with a space.</p>
<p>""" + "这是正文内容，足够长以便被识别为主要内容。" * 20 + "</p></article></body></html>"
    (tmp_path / "t.html").write_text(page, encoding="utf-8")
    doc = read_document(tmp_path / "t.html")
    assert "第一段,地区生产总值增长5%。\n第二行" in doc.text
    # readability drops tables with under 25 characters; this one is long enough to stay
    assert "综合质效\t地区生产总值(亿元)\t\n\t目标值8200亿元\t实际值8100亿元" in doc.text
    assert "Latin words wrap with a space." in doc.text


# --- the CLI: a batch goes on past bad files ------------------------------------------------------


def test_cli_batch_reports_bad_files(tmp_path):
    pytest.importorskip("planwatch.structure")
    good = tmp_path / "good.txt"
    good.write_text("政府工作报告\n\n全市地区生产总值增长5%。\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "planwatch", "read", str(good), str(tmp_path / "missing.txt"),
                           str(tmp_path / "empty.txt")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode != 0
    assert "good.txt" in proc.stdout
    errors = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(errors) == 2, proc.stderr
    assert "missing.txt" in errors[0] and "empty.txt" in errors[1]
    assert "Traceback" not in proc.stderr


# --- the same claims whatever the format -----------------------------------------------------------

@pytest.mark.parametrize("seed", ["001", "004"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_same_claims_from_every_format(corpus, seed, fmt):
    """Extraction reads a PDF or DOCX of a seed as it reads the txt: the same numbers, units, kinds and
    comparators (as a multiset), and every quote is the original text at its span."""
    from collections import Counter

    from planwatch.claims import extract_claims

    def key(c):
        return (round(c.value, 6) if c.value == c.value else None, c.unit, c.kind, c.comparator)

    ref = Counter(key(c) for c in extract_claims(corpus.read(seed, "txt")))
    doc = corpus.read(seed, fmt)
    claims = extract_claims(doc)
    got = Counter(key(c) for c in claims)
    common = sum((ref & got).values())
    print(f"{seed} {fmt}: {len(claims)} claims, {common}/{sum(ref.values())} as from the txt")
    assert common / sum(ref.values()) >= 0.98 and common / sum(got.values()) >= 0.98, (ref - got, got - ref)
    for c in claims:
        assert doc.original[c.start:c.end] == c.quote
