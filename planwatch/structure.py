"""Step 2, structure: `Document` → sections, sentences, table rows and table-of-contents lines.

`structure(doc)` reads `doc.text` line by line (readers put every paragraph on its own line) and keeps a
stack of open sections:

- A heading line (patterns in data/structure.yaml) closes every open section of its level or deeper and opens
  its own. Levels: 篇 1, 章 2, 节 3, 一、 4, (一) 5, 1. 6, (1) 7; unnumbered headings (前言, 工作回顾,
  改革向深:激发经济活力) 4. So `Section.end` is the start of the next heading of the same or a higher level.
- 专栏 boxes, 表 tables and 图 figures sit one level below the innermost open 篇/章/节. A box therefore ends
  at the next 篇/章/节, box, table or figure. We do not try to guess where box text turns back into chapter
  text: in the seed plan every box is closed by such a heading, and a wrong guess would strip the box's
  context from its own content.
- Lines of the table of contents (label, dot leaders or a tab, page number) are returned in `toc` and are
  neither sections nor sentences, so a chapter is found once, at its body position.
- Runs of tab-separated lines are tables (two or more lines, or one after a 表 title). Leading rows with no
  figures are the header, merged into one string per column; a header repeated after a page break is
  skipped; every other row becomes a `TableRow` and a `Sentence` that carries it. Notes right after a table
  (注:…) belong to the table's section.
- Every other line is a paragraph, split into sentences after 。 ! ? ; (a closing quote stays with its
  sentence). One exception to "a line is a paragraph": text taken from PDFs cuts paragraphs at page ends,
  often between a number and its unit (…建成 5 / 个以上…), so a long line with no closing punctuation goes on
  in the next body line and a sentence may span that line break (never over a heading, table row or caption).
  A list number at the start of a paragraph (一、 (一) 1. ①) is left out of the first sentence: it is an
  ordinal, not a quantity. Headings of 篇/章/节/专栏/表/图 are titles, not sentences; numbered item headings are also
  sentences, since plan lists often carry content in them.

Every span is an offset into `doc.text`, and `doc.text[s.start:s.end] == s.text` for every sentence.
The work is a handful of regular expressions per line, linear in the length of the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from .model import Document, Section, Sentence, Structure, TableRow

STRUCTURAL = frozenset({"part", "chapter", "section"})
HEADER_SEPARATOR = "/"  # joins the lines of a multi-line header: 规划目标/2015年基数
MAX_HEADER_ROWS = 3
MAX_HEADER_CELL = 20  # header cells are short; a long cell means the row is content

# Sentence ends: ASCII after folding, full-width kept for documents built without folding. Applied to one
# paragraph at a time, so a sentence may run over the line break of a paragraph cut by a page break.
_SENTENCE = re.compile(r"[^。!?;！？；]+[。!?;！？；]*[”’」』]*|[。!?;！？；]+[”’」』]*")
# a line ending like this closes its paragraph; others (…建成 5 | 个以上…) were cut by a page break
_PARAGRAPH_END = re.compile(r"(?:[。!?;！？；:：)]|[。!?！？][”’」』)]*)$")
_ANY_PUNCTUATION = re.compile(r"[。!?;！？；:：,，、]")
MIN_CUT_LINE = 40  # lines cut by a page break are full lines; captions and titles are short
_FOOTNOTE_MARK = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]")
_WORD = re.compile(r"\w")
_TITLE_STOPS = re.compile(r"[。;!?；！？\t]")
_TERSE_STOPS = re.compile(r"[。;!?；！？，,:：\t]")
_UNNUMBERED_STOPS = re.compile(r"[。;!?；！？，,、.\t]")
_LIST_MARKER = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}、|[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,2}\s*[.、](?!\d)|[①-⑳])\s*"
)
_WHITESPACE = re.compile(r"\s+")
# a figure in a table cell, other than a year (2015 年 基数 is a header, 5745.51 is data)
_DATA_DIGIT = re.compile(r"(?<!\d)\d+(?![\d年])")
_CJK_RUN = r"[\u4e00-\u9fff]{2,12}"


@dataclass(frozen=True)
class _HeadingRule:
    kind: str
    level: int | None  # None: nested one below the innermost 篇/章/节
    marker: re.Pattern
    max_title: int
    shape: str  # plain | terse | sentence (see data/structure.yaml)
    emit: bool


@dataclass(frozen=True)
class _Rules:
    headings: tuple[_HeadingRule, ...]
    any_marker: re.Pattern
    bullets: str
    max_unnumbered: int
    keywords: tuple[str, ...]
    pair: re.Pattern
    groups: re.Pattern
    toc_title: re.Pattern
    toc_line: re.Pattern
    toc_label_start: re.Pattern
    note_start: re.Pattern
    note_continuation: re.Pattern


@cache
def _rules() -> _Rules:
    """Compile data/structure.yaml once."""
    source = resources.files("planwatch").joinpath("data/structure.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(source)
    headings = tuple(
        _HeadingRule(
            kind=h["kind"],
            level=None if h["level"] == "nested" else int(h["level"]),
            marker=re.compile(h["marker"]),
            max_title=int(h["max_title"]),
            shape=h["shape"],
            emit=bool(h.get("emit", False)),
        )
        for h in data["headings"]
    )
    unnumbered, toc, notes = data["unnumbered"], data["toc"], data["table_notes"]
    return _Rules(
        headings=headings,
        any_marker=re.compile("|".join(f"(?:{h.marker.pattern})" for h in headings)),
        bullets=unnumbered["bullets"],
        max_unnumbered=int(unnumbered["max_length"]),
        keywords=tuple(unnumbered["keywords"]),
        pair=re.compile(rf"{_CJK_RUN}\s*[:：]\s*{_CJK_RUN}"),
        groups=re.compile(rf"{_CJK_RUN}(?:[ \u3000]+{_CJK_RUN}){{1,3}}"),
        toc_title=re.compile(toc["title"]),
        toc_line=re.compile(toc["line"]),
        toc_label_start=re.compile(toc["label_start"]),
        note_start=re.compile(notes["start"]),
        note_continuation=re.compile(notes["continuation"]),
    )


# ---------------------------------------------------------------- lines and headings


@dataclass(frozen=True)
class _Line:
    raw_start: int  # the whole line, without its newline (table rows keep their leading tabs)
    raw_end: int
    start: int  # the line stripped of surrounding whitespace
    end: int


def _lines(text: str) -> list[_Line]:
    """Non-blank lines with their raw and stripped spans."""
    lines = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group()
        stripped = raw.strip()
        if stripped:
            start = m.start() + (len(raw) - len(raw.lstrip()))
            lines.append(_Line(m.start(), m.end(), start, start + len(stripped)))
    return lines


@dataclass(frozen=True)
class _Heading:
    kind: str
    level: int | None
    title: str
    body_start: int  # offset in the line where its sentence text begins (after the numbering)
    emit: bool


def _classify(line: str) -> _Heading | None:
    """The heading a stripped line is, or None for body text."""
    rules = _rules()
    if rules.any_marker.match(line):
        for rule in rules.headings:
            m = rule.marker.match(line)
            if m:
                heading = _numbered(line, m.end(), rule)
                if heading:
                    return heading
    return _unnumbered(line, rules)


def _numbered(line: str, marker_end: int, rule: _HeadingRule) -> _Heading | None:
    title = line[marker_end:]
    if rule.emit and "\t" in line:  # "1\t南昌县" is a numbered table row, not a list heading
        return None
    if rule.shape == "sentence":
        title_end = _sentence_title_end(title, rule.max_title)
        if title_end is None:
            return None
        return _Heading(rule.kind, rule.level, line[: marker_end + title_end].rstrip(), marker_end, rule.emit)
    stops = _TERSE_STOPS if rule.shape == "terse" else _TITLE_STOPS
    if len(title) > rule.max_title or stops.search(title):
        return None
    if rule.emit and not title:  # a bare "1." is a list number, not a heading
        return None
    return _Heading(rule.kind, rule.level, line, marker_end, rule.emit)


def _sentence_title_end(title: str, max_title: int) -> int | None:
    """Work-report headings: "坚持…，…夯实。" whole, or the short first sentence of a run-in paragraph."""
    if not title:
        return None
    stop = _TITLE_STOPS.search(title)
    if stop is None:
        return len(title) if len(title) <= max_title else None
    if title[stop.start()] != "。" or stop.start() == 0 or stop.start() > max_title:
        return None
    return stop.start()  # the title ends before its 。; a run-in paragraph goes on after it


def _unnumbered(line: str, rules: _Rules) -> _Heading | None:
    """前 言 / 工作回顾 / 改革向深:激发经济活力 / 扩内需 促升级 产业发展取得新突破."""
    text = line.lstrip(rules.bullets).lstrip()
    if not text or len(text) > rules.max_unnumbered:
        return None
    compact = _WHITESPACE.sub("", text)
    is_heading = (
        (not _UNNUMBERED_STOPS.search(text) and ":" not in text and compact.endswith(rules.keywords))
        or rules.pair.fullmatch(text) is not None
        or rules.groups.fullmatch(text) is not None
    )
    if not is_heading:
        return None
    return _Heading("heading", 4, text, len(line) - len(text), False)


def _toc_lines(text: str, lines: list[_Line]) -> set[int]:
    """Indexes of table-of-contents lines: a 目录 title and the label + page-number lines that follow it,
    and anywhere a line whose label starts like a heading or runs into dot leaders."""
    rules = _rules()
    found: set[int] = set()
    in_toc = False
    for i, ln in enumerate(lines):
        line = text[ln.start : ln.end]
        if len(line) <= 8 and rules.toc_title.fullmatch(line):
            found.add(i)
            in_toc = True
            continue
        m = rules.toc_line.fullmatch(line) if len(line) <= 120 else None
        if m and (in_toc or _has_leader(line, m) or rules.toc_label_start.match(m.group("label"))):
            found.add(i)
            in_toc = True
        else:
            in_toc = False
    return found


def _has_leader(line: str, m: re.Match) -> bool:
    between = line[m.end("label") : m.start("page")]
    return ".." in between or "…" in between or "··" in between


# ---------------------------------------------------------------- the walk


@dataclass
class _Open:
    kind: str
    level: int
    title: str
    start: int
    path: tuple[str, ...]
    rows: int = 0


@dataclass
class _Builder:
    text: str
    stack: list[_Open] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    paragraph: int = -1

    def path(self) -> tuple[str, ...]:
        return self.stack[-1].path if self.stack else ()

    def open(self, kind: str, level: int, title: str, start: int) -> None:
        self.close_from(level, start)
        self.stack.append(_Open(kind, level, title, start, self.path() + (title,)))

    def close_from(self, level: int, at: int) -> None:
        while self.stack and self.stack[-1].level >= level:
            self.close_top(at)

    def close_top(self, at: int) -> None:
        o = self.stack.pop()
        self.sections.append(Section(o.kind, o.title, o.path, o.start, max(at, o.start), o.level))

    def nested_level(self) -> int:
        """Boxes, tables and figures: one below the innermost open 篇/章/节 (4, an item's, when none)."""
        for o in reversed(self.stack):
            if o.kind in STRUCTURAL:
                return o.level + 1
        return 4

    def heading(self, h: _Heading, ln: _Line) -> None:
        level = h.level if h.level is not None else self.nested_level()
        self.open(h.kind, level, h.title, ln.start)
        if h.kind == "figure":  # a caption governs nothing after it
            self.close_top(ln.end)
        self.paragraph += 1
        if h.emit:
            self.add_sentences(ln.start + h.body_start, ln.end)

    def body(self, first: _Line, last: _Line | None = None) -> None:
        """A paragraph: one line, or lines first..last when page breaks cut it."""
        end = (last or first).end
        self.paragraph += 1
        start = first.start
        marker = _LIST_MARKER.match(self.text, start, end)
        if marker:
            start = marker.end()
        self.add_sentences(start, end)

    def add_sentences(self, start: int, end: int) -> None:
        path = self.path()
        for m in _SENTENCE.finditer(self.text, start, end):
            raw = m.group()
            stripped = raw.strip()
            if not _WORD.search(stripped):
                continue
            s = m.start() + (len(raw) - len(raw.lstrip()))
            self.sentences.append(Sentence(stripped, s, s + len(stripped), path, self.paragraph))

    def table(self, run: list[_Line], name: str) -> None:
        grid = [_cells(self.text, ln) for ln in run]
        compact = [[_WHITESPACE.sub("", c) for c, _ in row] for row in grid]
        n_header = _header_row_count(compact)
        header = _merge_header(compact[:n_header]) if n_header else ()
        repeated = {_row_form(r) for r in compact[:n_header]}
        for k, (ln, row) in enumerate(zip(run, grid)):
            self.paragraph += 1
            if k < n_header or _row_form(compact[k]) in repeated:
                continue  # the header, or the header repeated after a page break
            cells = tuple(c for c, _ in row)
            spans = tuple(span for _, span in row)
            aligned = (header + ("",) * len(cells))[: len(cells)] if header else ()
            table_row = TableRow(name, cells, spans, aligned, ln.raw_start, ln.raw_end)
            self.rows.append(table_row)
            text = self.text[ln.start : ln.end]
            self.sentences.append(Sentence(text, ln.start, ln.end, self.path(), self.paragraph, table_row))

    def finish(self) -> None:
        while self.stack:
            self.close_top(len(self.text))


def _cells(text: str, ln: _Line) -> list[tuple[str, tuple[int, int]]]:
    """Tab-separated cells of a raw line, stripped, with their spans; leading empty cells are kept so that
    cell i stays under header i."""
    cells = []
    pos = ln.raw_start
    for part in text[ln.raw_start : ln.raw_end].split("\t"):
        stripped = part.strip()
        s = pos + (len(part) - len(part.lstrip()))
        cells.append((stripped, (s, s + len(stripped))))
        pos += len(part) + 1
    return cells


def _is_header_row(cells: list[str]) -> bool:
    return (
        any(cells)
        and all(len(c) <= MAX_HEADER_CELL for c in cells)
        and not any(_DATA_DIGIT.search(c) for c in cells)
    )


def _header_row_count(rows: list[list[str]]) -> int:
    """Leading rows with no figures (years aside) and short cells; at least one row is left as data."""
    n = 0
    while n < min(len(rows), MAX_HEADER_ROWS) and _is_header_row(rows[n]):
        n += 1
    if n == len(rows):
        n = 1 if len(rows) > 1 else 0
    return n


def _merge_header(rows: list[list[str]]) -> tuple[str, ...]:
    """One string per column. A cell that spans columns (规划目标 over 2015年基数, 2020年目标, 累计或年均增长)
    leaves the next cells of its row empty; it is carried over them where the row below has sub-headings."""
    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]
    for upper, lower in zip(grid, grid[1:]):
        owner = ""
        for c in range(width):
            if upper[c]:
                owner = upper[c] if lower[c] else ""
            elif owner and lower[c]:
                upper[c] = owner
            else:
                owner = ""
    return tuple(HEADER_SEPARATOR.join(p for p in column if p) for column in zip(*grid))


def _row_form(cells: list[str]) -> tuple[str, ...]:
    """A row compared without whitespace and trailing empty cells (a repeated header may gain a tab)."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return tuple(cells[:end])


# ---------------------------------------------------------------- entry point


def structure(doc: Document) -> Structure:
    """Sections, sentences, table rows and TOC lines of a document (pure; never raises on any text)."""
    text = doc.text
    rules = _rules()
    lines = _lines(text)
    toc = _toc_lines(text, lines)
    b = _Builder(text)
    toc_spans = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if i in toc:
            toc_spans.append((ln.start, ln.end))
            i += 1
            continue
        line = text[ln.start : ln.end]
        heading = _classify(line)
        if heading:
            b.heading(heading, ln)
            i += 1
            continue
        if "\t" in line:
            j = _tab_run_end(text, lines, i, toc)
            waiting = bool(b.stack) and b.stack[-1].kind == "table" and b.stack[-1].rows == 0
            if j - i >= 2 or waiting:
                i = _take_table(b, lines, i, j, toc, rules, waiting)
                continue
        j = _paragraph_end(text, lines, i, toc)
        b.body(ln, lines[j])
        i = j + 1
    b.finish()
    sections = sorted(b.sections, key=lambda s: (s.start, s.level))
    return Structure(doc, tuple(sections), tuple(b.sentences), tuple(b.rows), tuple(toc_spans))


def _paragraph_end(text: str, lines: list[_Line], i: int, toc: set[int]) -> int:
    """Index of the last line of the paragraph starting at line i. Text from PDFs breaks paragraphs at page
    ends, often between a number and its unit (…建成 5 / 个以上…): a long line with no closing punctuation
    goes on in the next line when that line is body text too."""
    j = i
    while j + 1 < len(lines) and j + 1 not in toc:
        line = text[lines[j].start : lines[j].end]
        if len(line) < MIN_CUT_LINE or "\t" in line or _PARAGRAPH_END.search(line):
            break
        following = text[lines[j + 1].start : lines[j + 1].end]
        if "\t" in following or _FOOTNOTE_MARK.match(following) or _classify(following):
            break
        if len(following) < MIN_CUT_LINE and not _ANY_PUNCTUATION.search(following):
            break  # a photo caption between the two halves (江铃汽车全自动焊装生产线), not the continuation
        j += 1
    return j


def _tab_run_end(text: str, lines: list[_Line], i: int, toc: set[int]) -> int:
    """Index after the run of tab-separated lines starting at i (blank lines between rows are allowed)."""
    j = i
    while j < len(lines) and j not in toc:
        line = text[lines[j].start : lines[j].end]
        # rows after the first may hold only leading tabs: "\t\t西湖区重点以…" continues the cell above
        tabbed = "\t" in line or (j > i and "\t" in text[lines[j].raw_start : lines[j].start])
        if not tabbed or _classify(line):
            break
        j += 1
    return j


def _take_table(b: _Builder, lines: list[_Line], i: int, j: int, toc: set[int], rules: _Rules, titled: bool) -> int:
    """Rows i..j-1 as a table, then the notes under it; returns the index of the next line to read."""
    if titled:
        name = b.stack[-1].title
        b.stack[-1].rows = j - i
    else:  # an unnamed table in a box takes the box's title
        name = next((o.title for o in reversed(b.stack) if o.kind == "box"), "")
    b.table(lines[i:j], name)
    end = lines[j - 1].raw_end
    k = j
    while k < len(lines) and k not in toc:
        note = b.text[lines[k].start : lines[k].end]
        pattern = rules.note_start if k == j else rules.note_continuation
        if not (pattern.match(note) or (k > j and rules.note_start.match(note))):
            break
        b.body(lines[k])
        end = lines[k].end
        k += 1
    if titled:
        b.close_top(end)
    return k
