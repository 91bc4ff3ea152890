"""PDF: pdfplumber lines and ruled tables → reflowed text with an offset map back to the extracted text.

`original` is the text as extracted, before any repair: each page's lines in reading order (a table row
as its cells joined by tabs, a wrapped cell keeping its line breaks), pages separated by a form feed.
`text` is that text repaired for reading: running headers/footers and page numbers dropped, lines of a
paragraph joined again (so "3600 亿\\n元" becomes "3600 亿元" and a number never stays apart from its
unit), each table row on one line, paragraphs separated by a blank line, full-width ASCII folded.
Every non-whitespace character of `text` is copied from `original`; only whitespace is synthesized.
"""
from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from ..errors import ReadError
from ..model import Document, OffsetBuilder
from .normalize import fold_width

# a line ending in one of these ends its paragraph (full-width forms are folded before the test)
_PARA_END = set("。！？；：”）!?;:)」』】")
_BARE_NUMBER = re.compile(r"\d{1,4}")
_PAGE_NUMBER = re.compile(
    r"[-—–~·\s]*[-—–~·]\s*\d{1,4}\s*[-—–~·][-—–~·\s]*"  # - 3 -, — 3 —
    r"|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?"  # 第 3 页 (, / 共 120 页)
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 3/120
    r"|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?"  # Page 3 of 120
)
# units that never start a paragraph: a line ending in a number followed by a line starting with one of
# these is one phrase cut at a page or paragraph boundary (建成 5 | 个以上), whatever the layout says
_UNIT_START = re.compile(r"(?:亿|万|个(?!人)|%|元|家|项|倍|千米|公里|公顷|平方)")
_FIRST_UNIT = re.compile(r"([0-9A-Za-z.,%/+\-]+)?([^0-9A-Za-z.,%/+\-\s])?([,.;:!?)”’》」』】、。]*)((?:[(“‘《「『【]+.)?)")
_EDGE_DEPTH = 3  # lines examined at the top and at the bottom of each page


@dataclass
class _Line:
    """A text line or a table row of one page, with its position (PDF points, top-down)."""

    raw: str  # as extracted; for a row, its cells joined by tabs
    top: float
    bottom: float
    x0: float
    x1: float
    cells: list[str] | None = None  # set for a table row
    table: int = -1  # table number in the document, for rows
    start: int = 0  # offset of `raw` in `original`
    dropped: bool = False  # a running header/footer or a page number

    @property
    def is_row(self) -> bool:
        return self.cells is not None


def read_pdf(data: bytes, path: str) -> Document:
    """Read a PDF's text layer. Raises ReadError for scanned, encrypted, truncated or damaged files."""
    _check_complete(data, path)
    pages = _extract_pages(data, path)
    _drop_page_furniture(pages)
    original = _build_original(pages)
    text, offsets, starts = _reflow(pages, original)
    text = fold_width(text)
    if not text.strip():
        raise ReadError(path, "no text left after removing page numbers and running headers")
    from . import _first_line_title

    return Document(
        source=str(path), name=Path(path).name, format="pdf", encoding="pdf", original=original,
        text=text, offsets=offsets, pages=tuple(starts), title=_first_line_title(text),
        sha256=hashlib.sha256(data).hexdigest(),
    )


# --- opening and extracting -------------------------------------------------------------------


def _check_complete(data: bytes, path: str) -> None:
    """A PDF cut short loses its end marker; pdfminer would still read the pages it finds, silently."""
    if not data.startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise ReadError(path, "not a PDF (no %PDF header)")
    if b"%%EOF" not in data[-4096:]:
        raise ReadError(path, "truncated or damaged PDF: no %%EOF end marker (was the download cut short?)")


def _open(data: bytes, path: str):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfplumber wraps pdfminer's errors in PdfminerException
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, PDFPasswordIncorrect):
            raise ReadError(path, "encrypted PDF: it needs a password to open") from e
        if isinstance(cause, PDFEncryptionError):
            raise ReadError(path, f"encrypted PDF that cannot be decrypted: {cause}") from e
        raise ReadError(path, f"damaged PDF: {type(cause).__name__}: {cause}") from e


def _extract_pages(data: bytes, path: str) -> list[list[_Line]]:
    pdf = _open(data, path)
    pages: list[list[_Line]] = []
    table_no = [0]
    n_chars = cid_chars = 0
    with pdf:
        if not pdf.pages:
            raise ReadError(path, "PDF without pages")
        for i, page in enumerate(pdf.pages):
            try:
                page = _dedupe(page)
                n_chars += len(page.chars)
                cid_chars += sum(1 for c in page.chars if c["text"].startswith("(cid:"))
                pages.append(_page_lines(page, table_no))
            except ReadError:
                raise
            except Exception as e:
                raise ReadError(path, f"damaged PDF: page {i + 1}: {type(e).__name__}: {e}") from e
    if n_chars == 0:
        raise ReadError(path, "no text layer (scanned PDF?): OCR is needed first, e.g. ocrmypdf -l chi_sim")
    if cid_chars > n_chars / 2:
        raise ReadError(path, "the text layer has no Unicode mapping (cid codes only): OCR is needed first")
    return pages


def _dedupe(page):
    """Fake bold drawn twice doubles characters (地地区区); dedupe only when it happens, it costs 2x."""
    chars = page.chars
    keys = {(c["text"], round(c["x0"]), round(c["top"])) for c in chars}
    if len(keys) < 0.97 * len(chars):
        return page.dedupe_chars()
    return page


def _page_lines(page, table_no: list[int]) -> list[_Line]:
    """Text lines outside tables plus one line per table row, in top-down order."""
    tables = _find_tables(page)
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    body = page.filter(outside) if boxes else page
    lines = [_Line(raw=ln["text"], top=ln["top"], bottom=ln["bottom"], x0=ln["x0"], x1=ln["x1"])
             for ln in body.extract_text_lines(return_chars=False) if ln["text"].strip()]
    for table in tables:
        for row, cells in zip(table.rows, table.extract()):
            # None = covered by a merged cell: empty, so columns stay aligned and no number is repeated
            cells = [(c or "").strip() for c in cells]
            if any(cells):
                x0, top, x1, bottom = row.bbox
                lines.append(_Line(raw="\t".join(cells), top=top, bottom=bottom, x0=x0, x1=x1,
                                   cells=cells, table=table_no[0]))
        table_no[0] += 1
    lines.sort(key=lambda ln: (round(ln.top, 1), ln.x0))
    return lines


def _find_tables(page) -> list:
    """Ruled tables with at least two columns (a framed box of text is one cell: it stays text)."""
    if not (page.rects or page.lines or page.curves):
        return []  # no ruling lines, no table: skip the costly search
    found = []
    for table in page.find_tables():
        rows = table.rows
        if rows and max(sum(1 for c in r.cells if c is not None) for r in rows) >= 2:
            found.append(table)
    return found


# --- page numbers and running headers/footers --------------------------------------------------


def _edge_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", fold_width(line.raw)))


def _edge_lines(lines: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    """Text lines at the top and at the bottom of a page (the bottom list from the last line up)."""
    top, bottom = [], []
    for ln in lines[:_EDGE_DEPTH]:
        if ln.is_row:
            break
        top.append(ln)
    for ln in reversed(lines[-_EDGE_DEPTH:]):
        if ln.is_row:
            break
        bottom.append(ln)
    return top, bottom


def _drop_page_furniture(pages: list[list[_Line]]) -> None:
    """Mark page numbers and running headers/footers as dropped.

    A line at a page edge goes when it looks like a page number (- 3 -, 第 3 页, 3/120; a bare number
    only when it equals the page number or bare numbers sit at that edge of other pages too), or when
    the same line (digits ignored) sits at the same edge of >= 3 pages or of more than half the pages.
    """
    n = len(pages)
    counts = {"top": Counter(), "bottom": Counter()}
    for lines in pages:
        top, bottom = _edge_lines(lines)
        counts["top"].update({_edge_key(ln) for ln in top})
        counts["bottom"].update({_edge_key(ln) for ln in bottom})

    def furniture(ln: _Line, page_no: int, edge: str) -> bool:
        s = fold_width(ln.raw).strip()
        seen = counts[edge][_edge_key(ln)]
        if _PAGE_NUMBER.fullmatch(s):
            return True
        if _BARE_NUMBER.fullmatch(s):
            return int(s) == page_no or seen >= 2
        return n >= 2 and (seen >= 3 or seen > n / 2)

    for page_no, lines in enumerate(pages, 1):
        top, bottom = _edge_lines(lines)
        for edge, candidates in (("top", top), ("bottom", bottom)):
            for ln in candidates:  # from the edge inwards, stop at the first body line
                if not furniture(ln, page_no, edge):
                    break
                ln.dropped = True


# --- original text and reflow ------------------------------------------------------------------


def _build_original(pages: list[list[_Line]]) -> str:
    parts: list[str] = []
    pos = 0
    for p, lines in enumerate(pages):
        if p:
            parts.append("\f")
            pos += 1
        for i, ln in enumerate(lines):
            if i:
                parts.append("\n")
                pos += 1
            ln.start = pos
            parts.append(ln.raw)
            pos += len(ln.raw)
    return "".join(parts)


@dataclass
class _Layout:
    """Document-wide geometry the reflow decisions compare against."""

    left: float
    right: float
    size: float  # typical line height ≈ font size
    pitch: float  # typical distance between the tops of two lines of a paragraph
    indented: bool = False  # paragraphs are marked by a first-line indent
    spaced: bool = False  # … or by extra space between them


def _layout(pages: list[list[_Line]]) -> _Layout:
    text = [ln for lines in pages for ln in lines if not ln.is_row and not ln.dropped]
    if not text:
        return _Layout(0, 0, 10, 0)
    # the left margin: the leftmost x0 shared by a fair number of lines (in a document of short
    # paragraphs the most common x0 is the indented first line, not the margin)
    x0s = Counter(round(ln.x0) for ln in text)
    left = min(x for x, k in x0s.items() if k >= max(2, len(text) // 20) or len(x0s) == 1 or k == max(x0s.values()))
    x1 = sorted(ln.x1 for ln in text)
    size = median(ln.bottom - ln.top for ln in text) or 10
    pitches = sorted(b.top - a.top for lines in pages for a, b in zip(lines, lines[1:])
                     if not a.is_row and not b.is_row and not a.dropped and not b.dropped
                     and 0 < b.top - a.top < 3 * size)
    # the line pitch inside a paragraph is the low end (between paragraphs comes extra space)
    pitch = pitches[len(pitches) // 5] if pitches else 0
    enough = max(2, len(text) // 50)
    indented = sum(1 for ln in text if left + 0.8 * size < ln.x0 < left + 4 * size) >= enough
    spaced = pitch > 0 and sum(1 for d in pitches if d > 1.3 * pitch) >= enough
    return _Layout(left=left, right=x1[int(0.97 * (len(x1) - 1))], size=size, pitch=pitch,
                   indented=indented, spaced=spaced)


def _ends_paragraph(a: _Line, b: _Line, same_page: bool, lay: _Layout) -> bool:
    """Whether text line `a` ends its paragraph, `b` being the next text line."""
    if a.x1 < lay.right - lay.size * (1.5 + _first_unit_width(b.raw)):
        return True  # a short line (a heading, a paragraph's last line): b's first word would have fitted
    if b.x0 > lay.left + 0.8 * lay.size:
        return True  # the next line is indented (or centred): a new paragraph
    if same_page and lay.pitch > 0 and b.top - a.top > 1.3 * lay.pitch:
        return True  # paragraph spacing
    # a full line ending a sentence: where paragraphs are marked by indents (or by spacing, which a
    # page break hides) and b has none, the paragraph goes on; elsewhere the sentence end decides
    if lay.indented or (lay.spaced and same_page):
        return False
    return fold_width(a.raw.rstrip()[-1:]) in _PARA_END


def _first_unit_width(s: str) -> float:
    """Width, in character sizes, of what cannot start on a line without what follows it: a run of
    Latin letters and digits (8.2%) or one CJK character, the closing punctuation after it, and an
    opening quote or bracket with the character it opens (城“十: “ never ends a line)."""
    m = _FIRST_UNIT.match(fold_width(s.lstrip()))
    if not m:
        return 1.0
    latin, cjk, closing, opening = m.groups()
    return 0.6 * len(latin or "") + (1.0 if cjk else 0.0) + len(closing) + len(opening)


def _joiner(a: str, b: str) -> str:
    """What replaces a line break inside a paragraph: nothing between CJK characters or between a
    number and its unit, a space between two Latin words."""
    a, b = fold_width(a), fold_width(b)
    if not (a.isascii() and b.isascii() and b.isalnum()):
        return ""
    if a.isalpha() or a in ",;:!?)%":
        return " "
    return " " if a.isdigit() and b.isalpha() else ""


def _keep_wrapped(ob: OffsetBuilder, s: str, start: int) -> None:
    """Copy s (which starts at original[start]) with its line breaks reflowed away."""
    pos = start
    last = ""  # last character copied from this cell
    for piece in s.split("\n"):
        stripped = piece.strip()
        if stripped:
            if last:
                ob.put(_joiner(last, stripped[0]), pos - 1)
            lead = len(piece) - len(piece.lstrip())
            ob.keep(pos + lead, pos + lead + len(stripped))
            last = stripped[-1]
        pos += len(piece) + 1


def _reflow(pages: list[list[_Line]], original: str):
    lay = _layout(pages)
    ob = OffsetBuilder(original)
    starts: list[int] = []
    prev: _Line | None = None
    prev_page = -1
    for p, lines in enumerate(pages):
        page_started = False
        for ln in lines:
            if ln.dropped:
                continue
            if prev is not None:
                ob.put(_separator(prev, ln, prev_page == p, lay), prev.start + len(prev.raw))
            if not page_started:
                starts.append(len(ob.offsets))  # one offset per character built so far
                page_started = True
            if ln.is_row:
                _keep_row(ob, ln)
            else:
                ob.keep(ln.start, ln.start + len(ln.raw))
            prev, prev_page = ln, p
        if not page_started:
            starts.append(len(ob.offsets))
    if prev is not None:
        ob.put("\n", prev.start + len(prev.raw))
    text, offsets = ob.build()
    return text, offsets, starts


def _separator(a: _Line, b: _Line, same_page: bool, lay: _Layout) -> str:
    if a.is_row and b.is_row:
        return "\n"  # rows of a table (also a table continued on the next page)
    if a.is_row or b.is_row:
        return "\n\n"
    if fold_width(a.raw.rstrip()[-1:]).isdigit() and _UNIT_START.match(fold_width(b.raw.lstrip())):
        return ""
    if _ends_paragraph(a, b, same_page, lay):
        return "\n\n"
    return _joiner(a.raw.rstrip()[-1:], b.raw.lstrip()[:1])


def _keep_row(ob: OffsetBuilder, ln: _Line) -> None:
    """One table row on one line: cells copied with their own line breaks reflowed, tabs between."""
    pos = ln.start
    for k, cell in enumerate(ln.cells or []):
        if k:
            ob.keep(pos - 1, pos)  # the tab of the original
        _keep_wrapped(ob, cell, pos)
        pos += len(cell) + 1
