"""HTML: decode by its charset, keep the main content (readability-lxml), turn it into lines.

Block elements become paragraphs separated by a blank line, <br> a line break, each table row one line
with its cells separated by tabs (a colspan/rowspan cell written once, the columns it covers left
empty). Scripts, styles, navigation and sidebars are dropped (readability drops the page chrome;
nav/aside/script/style left inside the main content are dropped here).

`original` is the extracted main text and `text` the same with full-width ASCII folded, so the offset
map is the identity (`offsets` None): a quote points into the extracted text, not into the raw HTML.
"""
from __future__ import annotations

import codecs
import hashlib
import logging
import re
from pathlib import Path

from ..errors import ReadError
from ..model import Document
from .normalize import fold_width, normalize_newlines
from .txt import decode_bom

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)
_AS_GB18030 = {"gb2312", "gbk", "cp936", "x-gbk", "gb_2312-80", "euc-cn", "euc_cn", "gb18030", "hz-gb-2312"}
_MAX_BAD = 0.002  # share of undecodable bytes tolerated in a best-effort decode (a few broken characters)

_BLOCK = set("p div section article main header footer h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote pre "
             "figure figcaption address hr form fieldset center caption table tbody thead tfoot".split())
_DROP = set("script style noscript nav aside template iframe object embed svg button select textarea "
            "input head title menu".split())
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]")


def read_html(data: bytes, path: str) -> Document:
    """Read an HTML page's main text. Raises ReadError when it cannot be decoded or has no main text."""
    html, encoding = decode_html(data, path)
    title, main = _main_content(html, path)
    original = html_to_text(main)
    if not original.strip():
        raise ReadError(path, "no main text found in the HTML page")
    text = fold_width(original)
    from . import _first_line_title

    if not title or title == "[no-title]":
        title = _first_line_title(text)
    return Document(
        source=str(path), name=Path(path).name, format="html", encoding=encoding, original=original,
        text=text, offsets=None, title=fold_width(title.strip())[:120], sha256=hashlib.sha256(data).hexdigest(),
    )


# --- decoding -----------------------------------------------------------------------------------


def _declared(data: bytes) -> str | None:
    head = data[:4096]
    m = _CHARSET.search(head) or _XML_DECL.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    if name in _AS_GB18030:
        return "gb18030"  # gb2312/gbk labels: decode with the superset (〇 堽 堎, · and — stay right)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes, path: str) -> tuple[str, str]:
    """BOM → strict UTF-8 → the declared charset → GB18030 → a best-effort decode with few errors."""
    if (decoded := decode_bom(data, path)) is not None:
        return decoded
    declared = _declared(data)
    # valid UTF-8 with non-ASCII bytes is almost never anything else, whatever the page declares
    candidates = ["utf-8"] + ([declared] if declared and declared != "utf-8" else []) + ["gb18030"]
    for enc in dict.fromkeys(candidates):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    enc = declared or "gb18030"
    text = data.decode(enc, errors="replace")
    if text.count("\ufffd") <= _MAX_BAD * len(data):
        return text, enc
    raise ReadError(path, f"undecodable HTML: not UTF-8 and not {enc} (charset declared: {declared or 'none'})")


# --- main content -------------------------------------------------------------------------------


def _main_content(html: str, path: str) -> tuple[str, str]:
    from readability import Document as Readable

    logging.getLogger("readability.readability").setLevel(logging.ERROR)
    try:
        doc = Readable(html)
        return doc.title(), doc.summary(html_partial=True)
    except Exception as e:  # readability.Unparseable and lxml errors on hostile markup
        raise ReadError(path, f"cannot parse the HTML page: {type(e).__name__}: {e}") from e


class _Lines:
    """Collects inline text into lines; breaks are requested and applied before the next text."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.cur: list[str] = []
        self.pending = 0  # 1: line break, 2: paragraph break

    def text(self, s: str) -> None:
        if s:
            self.cur.append(s)

    def line(self, s: str) -> None:
        """A line made elsewhere (a table row), on its own."""
        self.brk(1)
        self._flush()
        if s.strip():
            self._emit(s)
        self.brk(1)

    def brk(self, n: int) -> None:
        self._flush()
        self.pending = max(self.pending, n)

    def _flush(self) -> None:
        s = collapse(("".join(self.cur)))
        self.cur = []
        if s:
            self._emit(s)

    def _emit(self, s: str) -> None:
        if self.out:
            self.out.append("\n" * max(self.pending, 1))
        self.out.append(s)
        self.pending = 0

    def result(self) -> str:
        self._flush()
        return "".join(self.out) + "\n" if self.out else ""


def collapse(s: str) -> str:
    """HTML whitespace rules, CJK-aware: a whitespace run with a line break between two CJK characters
    disappears (a source line wrap inside a Chinese sentence), any other run becomes one space."""

    def repl(m: re.Match) -> str:
        ws, a, b = m.group(0), s[m.start() - 1:m.start()], s[m.end():m.end() + 1]
        if "\n" in ws and a and b and _CJK.match(a) and _CJK.match(b):
            return ""
        return " "

    s = s.replace("\u200b", "")  # zero-width spaces: invisible, and they would split numbers
    return re.sub(r"[ \t\r\n\f]+", repl, s).strip()


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment with paragraph, line and table-row breaks."""
    import lxml.html

    if not fragment.strip():
        return ""
    root = lxml.html.fromstring(fragment)
    out = _Lines()
    _walk(root, out)
    return normalize_newlines(out.result())


def _walk(el, out: _Lines) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROP:
        pass  # the element goes, its tail stays
    elif tag == "br":
        out.brk(1)
    elif tag == "table" and _is_data_table(el):
        out.brk(2)
        for cells in _table_rows(el):
            out.line("\t".join(cells))
        out.brk(2)
    else:
        block = tag in _BLOCK or tag in ("tr", "td", "th")
        if block:
            out.brk(2 if tag not in ("li", "tr", "td", "th", "dt", "dd") else 1)
        if el.text and tag:
            out.text(el.text)
        for child in el:
            _walk(child, out)
        if block:
            out.brk(2 if tag not in ("li", "tr", "td", "th", "dt", "dd") else 1)
    if el.tail:
        out.text(el.tail)


def _is_data_table(table) -> bool:
    """A table of data, not a layout grid: no nested table and no cell holding a long text."""
    if table.find(".//table") is not None:
        return False
    return all(len(cell.text_content()) <= 300 for cell in table.iter("td", "th"))


def _cell_text(cell) -> str:
    parts = []
    for node in cell.iter():
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                parts.append(node.tail)
            continue
        if node.text and node.tag not in _DROP:
            parts.append(node.text)
        if node is not cell and node.tail:
            parts.append(node.tail)
        if node.tag in _BLOCK or node.tag == "br":
            parts.append(" ")
    return collapse("".join(parts).replace("\t", " "))


def _table_rows(table) -> list[list[str]]:
    """Rows of cells, a spanned cell's text written once and the grid positions it covers left empty."""
    rows: list[list[str]] = []
    below: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    for tr in table.iter("tr"):
        cells: list[str] = []
        col = 0

        def skip_covered() -> None:
            nonlocal col
            while below.get(col, 0) > 0:
                below[col] -= 1
                cells.append("")
                col += 1

        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            skip_covered()
            span, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            cells.append(_cell_text(cell))
            cells.extend([""] * (span - 1))
            for c in range(col, col + span):
                if rowspan > 1:
                    below[c] = rowspan - 1
            col += span
        skip_covered()
        if any(c.strip() for c in cells):
            rows.append(cells)
    return rows


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, "1")), 100))
    except ValueError:
        return 1
