"""Step 3, quantities: text → `Quantity` mentions (value, range, unit, hedge, span).

No library reads Chinese planning prose well (../shared/STACK.md), so this is our own: one compiled
pattern finds candidate numbers with their unit; small named rules then drop what is not an amount
(years, dates, ordinals, codes, slogans, footnote markers) and read the hedge words around it. The
lexicons are data files (data/units.yaml, data/hedges.yaml, data/numerals.yaml); the rule that kept or
dropped a candidate is recorded, so every decision can be explained.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .lexicon import load_yaml
from .model import Quantity

# --- numerals -------------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 1e4, "亿": 1e8}


def chinese_to_number(s: str) -> float | None:
    """一千二百 → 1200, 两 → 2, 十二 → 12, 五千 → 5000, 二〇三五 → 2035 (digit strings); None if not a numeral."""
    if not s:
        return None
    if all(c in _CN_DIGITS for c in s) and len(s) > 1:  # 二〇三五: digit by digit
        return float(int("".join(str(_CN_DIGITS[c]) for c in s)))
    total, section, digit = 0.0, 0.0, None
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[c]
            digit = None
        elif c in _CN_BIG:
            section += digit or 0
            if section == 0:
                section = 1
            total += section * _CN_BIG[c]
            section, digit = 0.0, None
        else:
            return None
    return total + section + (digit or 0)


def arabic_to_number(s: str) -> float:
    return float(s.replace(",", "").replace(" ", ""))


# --- the candidate pattern ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    pattern: re.Pattern
    multipliers: dict
    unit_kind: dict  # base unit → kind
    arabic_only: frozenset
    before: dict
    after: dict
    flags: dict
    before_re: re.Pattern
    after_re: re.Pattern


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    units = load_yaml("units.yaml")
    hedges = load_yaml("hedges.yaml")
    mult = {k: float(v) for k, v in units["multipliers"].items()}
    unit_kind = {}
    for kind, words in units["units"].items():
        for w in words:
            unit_kind[str(w)] = kind
    for w in units["percent"]:
        unit_kind[str(w)] = "percent"
    for w in units["compound"]:
        unit_kind[str(w)] = "compound"
    base_alt = _alt(unit_kind)
    mult_alt = _alt(mult)
    ar = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    # Chinese numerals: a run that contains a digit word, or a bare big multiplier (超千亿, 超亿元).
    cn = (r"[零〇一二两三四五六七八九十百千万亿]*[一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千万亿]*"
          r"|(?<=[超近破逾])(?:万亿|亿|万)")
    gap = r"[ ]*\n{0,2}[ ]*"  # spaces, or a line wrapped between a number and its unit (建成 5\n个); never a tab
    pattern = re.compile(
        r"(?P<pct>百分之(?P<pn>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?))|"
        r"(?P<frac>(?P<fn>\d+)/(?P<fd>\d+)(?![\d/])|(?P<cfd>[一二三四五六七八九十]+)分之(?P<cfn>[一二三四五六七八九十]+))|"
        r"(?P<open>[\[〔【]\s*(?:约\s*)?)?"  # [2], 〔4.5〕, 【3】: a change over the plan period
        r"(?P<sign>[-−])?"
        r"(?:(?P<ar>" + ar + r")|(?P<cn>" + cn + r"))"
        r"(?:[ ]*(?P<rsep>[-~～—至到])[ ]*(?P<ar2>" + ar + r"))?"
        r"(?:" + gap + r"(?P<mult>" + mult_alt + r"))?"
        r"(?P<yu>余|多)?"
        r"(?:" + gap + r"(?P<unit>" + base_alt + r"))?"
        r"(?(open)\s*[\]〕】])"
    )
    before = {str(k): v for k, v in hedges["before"].items()}
    after = {str(k): v for k, v in hedges["after"].items()}
    return Lexicon(
        pattern=pattern, multipliers=mult, unit_kind=unit_kind,
        arabic_only=frozenset(units["arabic_only"]), before=before, after=after, flags=dict(hedges["flags"]),
        before_re=re.compile(r"(?:" + _alt(before) + r")\s*$"),
        after_re=re.compile(r"\s*(?:" + _alt(after) + r")"),
    )


# --- rules that drop a candidate ------------------------------------------------------------------

_SMALL_CN = frozenset("一二两三四五六七八九十")
_BARE_MAGNITUDE = re.compile(r"[十百千万亿]+")
_BARE_OK_BEFORE = re.compile(r"(?:[超近破逾约达过]|吸引|引进|新增)$")
_LABEL_BEFORE = re.compile(r"(?:表|图|专栏|附件|附表)\s*$")
_YEAR_AFTER = re.compile(r"\s*(?:年|—|-|－)")
_PERIOD_CODE = re.compile(r"[十][一二三四五六七八九]?五")  # 十三五, 十四五, 十五五


def _is_year(m: re.Match, text: str) -> bool:
    """2025年, 2021-2025年, 二〇三五年: a year, not an amount."""
    v = m.group("ar") or ""
    if m.group("unit") == "年" and re.fullmatch(r"(19|20)\d\d", v) and not m.group("mult"):
        return True
    if m.group("cn") and re.fullmatch(r"[〇零一二三四五六七八九]{4}", m.group("cn")):
        return True
    if re.fullmatch(r"(19|20)\d\d", v) and not m.group("unit") and not m.group("mult"):
        nxt = text[m.end():m.end() + 2]
        if nxt[:1] in "年-—至到~" or nxt.startswith(("年", " 年")):
            return True
        return True  # a bare four-digit 19xx/20xx is a year (2020 基期值) far more often than an amount
    return False


def _is_date(m: re.Match, text: str) -> bool:
    """1月15日, 1-11月, 11月: month and day numbers."""
    nxt = text[m.end():m.end() + 1]
    if m.group("unit") in (None, "") and nxt in ("月", "日", "号", "时", "季"):
        return True
    return False


def _is_ordinal(m: re.Match, text: str) -> bool:
    """第一章, 第二批, 第18位 (ranks are kept by the claims step from 第 … 位/名 context)."""
    s = m.start()
    return s > 0 and text[s - 1] in "第每"[:1]


def _is_code(m: re.Match, text: str) -> bool:
    """5G, G320, 4+2+2, 1+10+N, “8810”, 3D, 12345 热线: codes and names, not amounts."""
    s, e = m.start(), m.end()
    before = text[s - 1:s]
    after = text[e:e + 1]
    if before and (before.isascii() and before.isalpha() or before in "+＋×*/·.-") and not m.group("open"):
        return before not in "-" or not text[s - 2:s - 1].isdigit()
    if after and after.isascii() and (after.isalpha() or after in "+＋*/") and not m.group("unit"):
        return True
    return False


def _in_quotes(text: str, s: int, e: int) -> bool:
    """The mention sits inside a short quoted name: “十四五”, “两个维护”, “8810”行动计划."""
    left = text.rfind("“", max(0, s - 12), s)
    if left < 0:
        return False
    close = text.find("”", e, e + 12)
    inner_close = text.find("”", left, s)
    return close >= 0 and inner_close < 0 and close - left <= 16


_BARE_BEFORE = re.compile(r"(?:达到|达|为|至|到|控制在|保持在|提高到|降至|降到|比|是)\s*$")


def _bare_number_ok(text: str, s: int, e: int, after_hedge: str) -> bool:
    """A number with no unit is an amount only in a table cell, a ratio (4.7:52.5), before a hedge
    (2.2 左右) or after a verb of value (达到 8); elsewhere it is a footnote marker or a name."""
    if after_hedge:
        return True
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    if "\t" in line:
        return True
    if re.match(r" \d", text[e:e + 2]) or re.search(r"\d $", text[max(0, s - 2):s]):
        return True  # 4.7 52.5 42.8: a list of shares whose separators were lost
    if (text[e:e + 1] == ":" and text[e + 1:e + 2].isdigit()) or (text[s - 1:s] == ":" and text[s - 2:s - 1].isdigit()):
        return True  # 4.7:52.5:42.8
    return bool(_BARE_BEFORE.search(text, max(0, s - 4), s))


@dataclass(frozen=True)
class Candidate:
    m: re.Match
    value: float
    value_max: float | None
    unit: str
    multiplier: float
    base: str
    kind: str


def _read(m: re.Match, lex: Lexicon) -> Candidate | None:
    """Value, range and unit of a match; None when the numeral cannot be read."""
    if m.group("pct"):  # 百分之三十, 百分之三点五, 百分之15
        n = m.group("pn")
        if n[0].isdigit():
            value = float(n)
        else:
            whole, _, decimals = n.partition("点")
            value = chinese_to_number(whole)
            if value is None:
                return None
            if decimals:
                value += float("0." + "".join(str(_CN_DIGITS[ch]) for ch in decimals))
        return Candidate(m, value, None, "%", 1.0, "%", "percent")
    if m.group("frac"):
        if m.group("fn"):
            n, d = float(m.group("fn")), float(m.group("fd"))
        else:
            d, n = chinese_to_number(m.group("cfd")), chinese_to_number(m.group("cfn"))
        if not d:
            return None
        return Candidate(m, n / d, None, "", 1.0, "", "fraction")
    mult = m.group("mult") or ""
    unit = m.group("unit") or ""
    if m.group("ar"):
        value = arabic_to_number(m.group("ar"))
    else:
        cn = m.group("cn")
        # a numeral run may end in its own multiplier: 五千亿 → 五千 + 亿, 一万 → 一 + 万
        tail = re.search(r"(万亿|亿|万)$", cn)
        if tail and not mult and len(cn) > len(tail.group(1)):
            mult, cn = tail.group(1), cn[: -len(tail.group(1))]
        elif tail and not mult and cn == tail.group(1):
            mult, cn = cn, ""
        value = chinese_to_number(cn) if cn else 1.0
        if value is None:
            return None
    value_max = arabic_to_number(m.group("ar2")) if m.group("ar2") else None
    if m.group("sign"):
        value = -value
    k = lex.multipliers.get(mult, 1.0)
    written = mult + unit
    return Candidate(m, value, value_max, written, k, unit, lex.unit_kind.get(unit, "multiplier" if mult else ""))


def _hedges(text: str, s: int, e: int, lex: Lexicon) -> tuple[str, str, str]:
    """(words before, words after, comparator) read around a span."""
    pre = lex.before_re.search(text, max(0, s - 6), s)
    post = lex.after_re.match(text, e, min(len(text), e + 6))
    before = pre.group(0).strip() if pre else ""
    after = post.group(0).strip() if post else ""
    comparator = "="
    if before:
        comparator = lex.before.get(before, "=") or "="
    if after:
        comparator = lex.after[after]
    return before, after, comparator


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every amount in text[start:end] with its unit and hedge; spans are offsets into `text`."""
    lex = lexicon()
    end = len(text) if end is None else end
    found: list[Quantity] = []
    for m in lex.pattern.finditer(text, start, end):
        q = _quantity(m, text, lex)
        if q is None:
            continue
        if found and _continues_range(found[-1], q, text):
            found[-1] = _as_range(found[-1], q, text)
            continue
        found.append(q)
    return found


_RANGE_GAP = re.compile(r"[ ]*(?:[-~～—－至到]|—{2})?[ ]*")


def _continues_range(a: Quantity, b: Quantity, text: str) -> bool:
    """5%-8%, 5%至8%, 3万—5万人: the second number closes a range the first opened (same unit, joined by a dash
    or 至/到 — a dash read as the sign of the second number included)."""
    gap = text[a.end:b.start]
    if a.value_max is not None or not _RANGE_GAP.fullmatch(gap):
        return False
    dash = b.negative and b.surface.startswith(("-", "−")) and not gap
    if not (dash or (gap.strip() and gap.strip() in "-~～—－至到——")):
        return False
    return a.unit == b.unit or not a.unit or b.unit.startswith(a.unit) or a.base_unit == b.base_unit


def _as_range(a: Quantity, b: Quantity, text: str) -> Quantity:
    unit = b.unit if len(b.unit) > len(a.unit) else a.unit  # 3万—5万人: the fuller unit is the range's
    return replace(a, value_max=abs(b.value), unit=unit, end=b.end, surface=text[a.start:b.end], comparator="range",
                   hedge=b.hedge or a.hedge, base_unit=b.base_unit or a.base_unit, multiplier=b.multiplier,
                   negative=False, rule=a.rule + "+range")


def _quantity(m: re.Match, text: str, lex: Lexicon) -> Quantity | None:
    c = _read(m, lex)
    if c is None:
        return None
    if m.group("cn") and not c.unit:
        return None  # a Chinese numeral with no unit is a word (一体化, 三农), not an amount
    if m.group("cn") and c.base in lex.arabic_only:
        return None  # 五年, 三方: durations and names
    cn = m.group("cn") or ""
    if cn and not m.group("mult") and cn in _SMALL_CN:
        return None  # 两个维护, 七个方面, 八项规定, 四位一体: a single Chinese digit names things, it rarely counts them
    if cn and _BARE_MAGNITUDE.fullmatch(cn):
        # 千家万户, 千亿级, 华勤千亿产业园: a bare magnitude is an amount only after a hedge (超千亿元) or 吸引 …
        ok = _BARE_OK_BEFORE.search(text, max(0, m.start() - 2), m.start()) or c.base == "年一遇"
        if not ok or text[m.end():m.end() + 1] == "级":
            return None
    if _LABEL_BEFORE.search(text, max(0, m.start() - 3), m.start()):
        return None  # 表 1, 图2, 专栏 3: labels
    for rule in (_is_year, _is_date, _is_ordinal, _is_code):
        if rule(m, text):
            return None
    if _in_quotes(text, m.start(), m.end()) and (cn or c.kind != "time"):
        return None  # “十四五”, “人才新政 22 条”: names (a quoted time is a service radius: “15分钟”社区服务圈)
    if _PERIOD_CODE.fullmatch(m.group("cn") or ""):
        return None
    s, e = m.start(), m.end()
    if m.group("sign") and s > 0 and (text[s - 1].isdigit()):
        return None
    before, after, comparator = _hedges(text, s, e, lex)
    if m.group("yu") and not after:
        after, comparator = m.group("yu"), ">="  # 500余场, 8.8万余户: more than
    if not c.unit and c.kind != "fraction" and not m.group("open") and not _bare_number_ok(text, s, e, after):
        return None
    if m.group("rsep") and m.group("ar2"):
        comparator = "range"
    if m.group("open") and "约" in m.group("open"):
        comparator, before = "~", "约"  # [约 30]
    surface = text[s:e]
    return Quantity(
        value=c.value, unit=c.unit, start=s, end=e, surface=surface, value_max=c.value_max,
        multiplier=c.multiplier, base_unit=c.base if c.kind != "percent" else "%",
        hedge="|".join(x for x in (before, after) if x), comparator=comparator,
        cumulative=bool(m.group("open")), negative=c.value < 0,
        rule="fraction" if c.kind == "fraction" else ("bracketed" if m.group("open") else ("chinese" if m.group("cn") else "arabic")),
    )


def unit_kind(unit: str) -> str:
    """The kind of a unit as written (亿元 → money, % → percent, 个 → count)."""
    lex = lexicon()
    if unit in lex.unit_kind:
        return lex.unit_kind[unit]
    for mult in sorted(lex.multipliers, key=len, reverse=True):
        if unit.startswith(mult):
            rest = unit[len(mult):]
            return lex.unit_kind.get(rest, "multiplier" if not rest else "")
    return ""
