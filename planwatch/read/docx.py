"""DOCX: python-docx package → paragraphs and table rows, in document order.

Paragraphs are separated by a blank line (as in the txt seeds); each table row is one line with its
cells separated by tabs. A merged cell is written once, in its first grid column; the other columns it
covers (gridSpan) and the rows below it (vMerge continue) are empty cells, so rows keep their column
count and no number is repeated. Content controls (w:sdt, often the TOC) and text boxes are read too;
headers, footers, footnotes and comments are not.

`original` is the extracted text; `text` is the same with full-width ASCII folded, so the offset map is
the identity (`offsets` None). A quote cannot be mapped back into the XML.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from ..errors import ReadError
from ..model import Document
from .normalize import fold_width

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # no real report is this big once unzipped
MAX_RATIO = 100  # … nor compresses 100:1 past BOMB_FLOOR
BOMB_FLOOR = 50 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (_W + t for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_SKIP = {_W + "rt", _W + "delText", _W + "instrText", _MC + "Fallback", _W + "pPr", _W + "rPr"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(data: bytes, path: str) -> Document:
    """Read a Word .docx. Raises ReadError for legacy .doc, non-Word zips, corrupt files, zip bombs."""
    _check_package(data, path)
    import docx

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as e:  # python-docx: KeyError/ValueError/XMLSyntaxError on broken packages
        raise ReadError(path, f"damaged .docx: {type(e).__name__}: {e}") from e
    blocks = list(_blocks(body))
    original = _join_blocks(blocks)
    if not original.strip():
        raise ReadError(path, "no text (the Word document is empty)")
    text = fold_width(original)
    from . import _first_line_title

    return Document(
        source=str(path), name=Path(path).name, format="docx", encoding="docx", original=original,
        text=text, offsets=None, title=_first_line_title(text), sha256=hashlib.sha256(data).hexdigest(),
    )


def _check_package(data: bytes, path: str) -> None:
    """Refuse what is not a .docx before any XML is parsed; zip bombs by their declared sizes
    (zipfile never inflates an entry past its declared size, so the sums bound the work)."""
    if data.startswith(_OLE2):
        raise ReadError(path, "legacy Word .doc (or other OLE2) file: convert it to .docx first "
                              "(libreoffice --headless --convert-to docx)")
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise ReadError(path, f"not a valid .docx: corrupt or truncated zip container ({e})") from e
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED or (total > BOMB_FLOOR and total > MAX_RATIO * len(data)):
        raise ReadError(path, f"looks like a zip bomb: {len(data):,} bytes unzip to {total:,} bytes; refused")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise ReadError(path, "a zip archive but not a Word document (no word/document.xml)")


def _blocks(parent):
    """("p", text) and ("row", cells) in document order; w:sdt content controls are opened."""
    for el in parent:
        if el.tag == _P:
            text, boxes = _paragraph(el)
            yield "p", text
            for box in boxes:  # text boxes anchored in the paragraph, after it
                yield from _blocks(box)
        elif el.tag == _TBL:
            for tr in el.iter(_TR):
                if _owning_table(tr) is el:
                    yield "row", _row_cells(tr)
        elif el.tag in (_SDT, _SDT_CONTENT, _W + "customXml"):
            yield from _blocks(el)


def _owning_table(tr):
    node = tr.getparent()
    while node is not None and node.tag != _TBL:
        node = node.getparent()
    return node


def _paragraph(p) -> tuple[str, list]:
    """Text of a paragraph (w:tab → tab, w:br → newline) and the w:txbxContent text boxes it anchors.

    Runs inside hyperlinks, fields, smart tags, inline content controls and tracked insertions count;
    deleted text, field codes, ruby guides and the mc:Fallback copy of a drawing do not.
    """
    parts: list[str] = []
    boxes: list = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag == _W + "tab":
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                parts.append("\n")
            elif tag == _W + "txbxContent":
                boxes.append(child)
            else:
                walk(child)

    walk(p)
    return "".join(parts), boxes


def _row_cells(tr) -> list[str]:
    cells: list[str] = [""] * _grid_count(tr, "gridBefore")
    for tc in tr:
        if tc.tag == _SDT:  # a content control around cells
            tcs = [c for c in tc.iter(_TC) if _owning_table(c) is _owning_table(tr)]
        elif tc.tag == _TC:
            tcs = [tc]
        else:
            continue
        for cell in tcs:
            props = cell.find(_W + "tcPr")
            span = _int_attr(props, "gridSpan", 1)
            vmerge = props.find(_W + "vMerge") if props is not None else None
            continued = vmerge is not None and vmerge.get(_W + "val", "continue") == "continue"
            cells.append("" if continued else _cell_text(cell))
            cells.extend([""] * (span - 1))
    return cells


def _cell_text(tc) -> str:
    """A cell on one line: its paragraphs (and nested tables) joined by spaces."""
    pieces = []
    for kind, value in _blocks(tc):
        text = " ".join(value) if kind == "row" else value
        text = " ".join(text.replace("\t", " ").split())
        if text:
            pieces.append(text)
    return " ".join(pieces)


def _grid_count(tr, name: str) -> int:
    return _int_attr(tr.find(_W + "trPr"), name, 0)


def _int_attr(props, name: str, default: int) -> int:
    if props is None:
        return default
    el = props.find(_W + name)
    try:
        return int(el.get(_W + "val")) if el is not None else default
    except (TypeError, ValueError):
        return default


def _join_blocks(blocks) -> str:
    """Blank line between paragraphs and around tables, newline between rows; empty paragraphs skipped."""
    out: list[str] = []
    prev = None
    for kind, value in blocks:
        # paragraphs lose the spaces (often ideographic) that indent them; rows keep their empty cells
        line = "\t".join(value) if kind == "row" else value.strip()
        if not line.strip():
            continue
        if prev is not None:
            out.append("\n" if kind == prev == "row" else "\n\n")
        out.append(line)
        prev = kind
    return "".join(out) + "\n" if out else ""
