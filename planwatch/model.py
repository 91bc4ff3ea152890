"""Plain, frozen dataclasses that flow through the pipeline.

read → Document → structure → Structure(sections, sentences, table rows) → quantities → Quantity
→ claims → Claim. Every span is a half-open [start, end) range of code points. Spans on
`Document.text` (the normalized text every step works on) are turned into spans on
`Document.original` (the decoded file, what a user sees) by `Document.to_original`.
"""
from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """A decoded, normalized document.

    `original` is the file's text as decoded (newlines normalized to \\n, BOM removed); `text` is the
    normalized text (full-width ASCII folded, PDF lines reflowed, page numbers dropped). `offsets[i]` is
    the position in `original` of `text[i]`; it has len(text) + 1 entries. `offsets is None` means the
    two texts are aligned one to one (txt files: normalization there never changes lengths).
    """

    source: str  # file path as given
    name: str  # file name, the key used in outputs (`doc` of the extract contract)
    format: str  # txt | pdf | docx | html
    encoding: str  # utf-8, gb18030, … (for binary formats, the container's: "pdf", "docx", or the HTML charset)
    original: str
    text: str
    offsets: array | None = None
    pages: tuple[int, ...] = ()  # start offsets in `text` of each page (PDF), else ()
    title: str = ""
    sha256: str = ""

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `text` to the matching span of `original`."""
        if self.offsets is None:
            return start, end
        if end <= start:
            o = self.offsets[start]
            return o, o
        # end maps to just after the last character of the span
        return self.offsets[start], self.offsets[end - 1] + 1

    def quote(self, start: int, end: int) -> str:
        """The original characters behind a span of `text`."""
        s, e = self.to_original(start, end)
        return self.original[s:e]

    def page_of(self, pos: int) -> int | None:
        """1-based page number of a position in `text`, when the document has pages."""
        if not self.pages:
            return None
        return bisect_right(self.pages, pos)


@dataclass(frozen=True)
class Section:
    """A heading and the span it governs (篇/章/节, 一、/（一）/1., 专栏 boxes, 表 tables)."""

    kind: str  # part | chapter | section | item | subitem | point | subpoint | box | table | figure | heading
    title: str  # the heading line as written (normalized text)
    path: tuple[str, ...]  # titles from the outermost section down to this one
    start: int  # span in Document.text, heading included
    end: int
    level: int


@dataclass(frozen=True)
class TableRow:
    """One row of a table: its cells, their spans and the header above them."""

    table: str  # title of the table (表2：…) or "" when unnamed
    cells: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]  # span of each cell in Document.text
    header: tuple[str, ...]  # column headers (may be empty when unknown)
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a table row) with the section path that governs it."""

    text: str
    start: int
    end: int
    path: tuple[str, ...] = ()
    paragraph: int = 0  # index of its paragraph in the document
    row: TableRow | None = None  # set when the sentence is a table row


@dataclass(frozen=True)
class Structure:
    document: Document
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    rows: tuple[TableRow, ...]
    toc: tuple[tuple[int, int], ...] = ()  # spans of table-of-contents lines excluded from the body


@dataclass(frozen=True)
class Quantity:
    """A number mentioned in a sentence, with its unit and the words that hedge it."""

    value: float  # as written, before the unit's multiplier: 8200 for 8200亿元
    unit: str  # as written: 亿元, %, 个百分点, 万元/人, "" when none
    start: int  # span in Document.text covering the number and its unit
    end: int
    surface: str  # the text of that span
    value_max: float | None = None  # for ranges 62-64
    multiplier: float = 1.0  # 1e8 for 亿元 …
    base_unit: str = ""  # unit without its multiplier (元 for 亿元, % for 个百分点)
    hedge: str = ""  # 左右 / 以上 / 以内 / 不低于 / 突破 / 超 / 近 / 约 …
    comparator: str = "="  # = | ~ | >= | <= | range
    cumulative: bool = False  # written in [brackets]: a change over the whole plan period
    negative: bool = False  # 下降 / 减少 sign applied
    rule: str = ""  # the rule that recognised it


@dataclass(frozen=True)
class Claim:
    """A quantity read as a target or an actual of something monitored."""

    doc: str
    start: int  # span in Document.original (evidence, covers at least the number)
    end: int
    quote: str
    kind: str  # target | actual
    measure: str  # level | growth_rate | avg_growth | share | ratio | count | count_new | cumulative | cumulative_change | change | rank
    indicator: str
    region: str
    value: float  # NaN for a qualitative target (省下达目标, 全省领先): a claim with no number
    unit: str
    value_max: float | None = None
    comparator: str = "="
    qualifier: str = ""
    period: str = ""
    target_year: int | None = None
    baseline_value: float | None = None
    baseline_year: int | None = None
    attribute: str = ""  # expected (预期性) | binding (约束性) | ""
    flags: tuple[str, ...] = ()  # estimate, aspirational, guaranteed
    source: str = "text"  # text | table | box
    rule: str = ""
    section: str = ""  # section path joined with " / "

    def as_record(self) -> dict:
        """The JSON Lines extract contract."""
        return {
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "kind": self.kind,
            "measure": self.measure,
            "indicator": self.indicator,
            "region": self.region,
            "value": None if self.value != self.value else self.value,  # NaN → null: JSON has no NaN
            "value_max": self.value_max,
            "unit": self.unit,
            "comparator": self.comparator,
            "qualifier": self.qualifier,
            "period": self.period,
            "target_year": self.target_year,
            "baseline_value": self.baseline_value,
            "baseline_year": self.baseline_year,
            "attribute": self.attribute,
            "flags": list(self.flags),
            "source": self.source,
            "section": self.section,
            "rule": self.rule,
        }


def identity_offsets(n: int) -> array:
    """An explicit offset map for a text aligned one to one with its original."""
    return array("l", range(n + 1))


@dataclass
class OffsetBuilder:
    """Builds a normalized text and its offset map piece by piece.

    `keep(i, j)` copies original[i:j]; `put(s, at)` inserts text standing for original position `at`.
    """

    original: str
    parts: list[str] = field(default_factory=list)
    offsets: array = field(default_factory=lambda: array("l"))

    def keep(self, i: int, j: int) -> None:
        if j > i:
            self.parts.append(self.original[i:j])
            self.offsets.extend(range(i, j))

    def put(self, s: str, at: int) -> None:
        if s:
            self.parts.append(s)
            self.offsets.extend([at] * len(s))

    def build(self) -> tuple[str, array]:
        text = "".join(self.parts)
        self.offsets.append(len(self.original))
        return text, self.offsets


@dataclass(frozen=True)
class Indicator:
    """A canonical monitored quantity (地区生产总值, 规模以上工业增加值增速 …), from the catalog or new."""

    code: str  # stable identifier: catalog code (gdp, gdp_growth …) or "new:<name>" for unknown phrases
    name: str  # canonical Chinese name
    aliases: tuple[str, ...] = ()
    unit: str = ""
    measure: str = ""
    direction: str = "higher"  # higher | lower | stable (is better)
    category: str = ""
    attribute: str = ""  # expected | binding | ""
    needs_review: bool = False  # True for phrases not found in the catalog


@dataclass(frozen=True, slots=True)  # millions of them on a large ledger
class Link:
    """An actual claim answering a target claim (or found not comparable to it, with the reason)."""

    target: Claim
    actual: Claim
    method: str  # the rule that linked them
    score: float = 1.0
    comparable: bool = True
    reason: str = ""  # why not comparable, in Chinese


@dataclass(frozen=True)
class Assessment:
    """The verdict on one target as of a year, with its numbers and a one-sentence explanation."""

    target: Claim
    actuals: tuple[Claim, ...]
    status: str  # met | basically_met | not_met | not_reported | not_comparable | achieved | ahead | on_track | lagging | not_assessable
    as_of: int | None = None
    progress: float | None = None  # share of the way from baseline to target (plan targets)
    time_progress: float | None = None  # 序时进度: share of the plan period elapsed
    required_growth: float | None = None  # growth per year still needed to reach the target
    forecast: str = ""  # on_course | needs_acceleration | reversing | ""
    numbers: dict = field(default_factory=dict)
    explanation: str = ""
    thresholds: dict = field(default_factory=dict)
    rule: str = ""
