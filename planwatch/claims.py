"""Step 4, claims: quantities + context → `Claim` (target or actual, measure, indicator, region, period).

Prose sentences go through small named rules, each a function of (sentence, quantity, context) that
either decides or passes; the name of the deciding rule is kept on the claim (`Claim.rule`), so a user can
see why a number was read as it was. Table rows are read by their column headers (table_claims.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .context import DocContext, canonical_region, infer_context, region_names
from .lexicon import load_yaml
from .model import Claim, Document, Quantity, Sentence, Structure
from .quantities import find_quantities, unit_kind

_CLAUSE_END = "，,;；。!?！？：:\n\t"
_YEAR_CUE = re.compile(r"(?:到|至|在|于|截至)?\s*(20\d\d)\s*年(?:底|末|前)?")
_MONTHS = re.compile(r"(\d{1,2})\s*[-—~至到]\s*(\d{1,2})\s*月(?:份)?|(?<![\d-])(\d{1,2})\s*月(?:份)?(?:末|底)?")
_RANK = re.compile(
    r"(?:位列|位居|排名|排在|名列|跃居|稳居|居|列)(?:全国|全省|中部六省会城市|中部地区|省会城市|全市|[\u4e00-\u9fff]{0,8}?)"
    r"第\s*(?P<n>\d+|[一二三四五六七八九十]+)\s*(?:位|名)?"
)
_CN_ORD = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@lru_cache(maxsize=1)
def cues() -> dict:
    raw = load_yaml("cues.yaml")
    out = {}
    for k, words in raw.items():
        words = [str(w) for w in words]
        out[k] = words
        out[k + "_re"] = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    return out


@lru_cache(maxsize=1)
def _region_re() -> re.Pattern:
    return re.compile("|".join(re.escape(n) for n in region_names()))


@dataclass(frozen=True)
class Reading:
    """Where a quantity sits: its clause and the text around it inside the sentence."""

    sentence: Sentence
    q: Quantity
    clause_start: int
    clause_end: int
    left: str  # clause text before the number (hedge words included)
    right: str  # clause text after the number
    before: str  # sentence text before the number


def _clause(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    a = s
    while a > lo and text[a - 1] not in _CLAUSE_END:
        a -= 1
    b = e
    while b < hi and text[b] not in _CLAUSE_END:
        b += 1
    return a, b


# --- named rules: is this number a claim at all? ------------------------------------------------


def rule_streak(r: Reading) -> bool:
    """连续14年: the length of a streak, not a monitored value."""
    return r.q.base_unit == "年" and r.left.rstrip().endswith(tuple(cues()["streak_before"]))


_MODIFIER_END = re.compile(r"^\s*(?:及以上|以上|及以下|以下)?(?:的)?")
_NOT_A_NOUN = "的和及与或等增左以内达超"
_MONEY_NOUN = re.compile(r"专项|经费|资金|资本|基金|投资|投入|补贴|补助|奖励|贷款|债券|大关|规模|元")
_PLACE_NOUN = re.compile(r"[村镇乡县]|社区|城市|小区|企业|单位|学校|医院|人口|园区")


def rule_category_threshold(r: Reading) -> bool:
    """投资50亿元以上项目54个, 年营收1亿元以上企业, 一批超50亿元重大项目: a threshold that defines a
    category (part of the indicator), not an amount."""
    kind = unit_kind(r.q.unit)
    after = _MODIFIER_END.sub("", r.right)
    if kind in ("money", "multiplier") and after and re.match(r"[\u4e00-\u9fff]", after) and after[0] not in _NOT_A_NOUN \
            and not r.right.lstrip().startswith("的") and not _MONEY_NOUN.match(after):
        return True  # an amount of money directly before a noun qualifies the noun (unless the noun is money)
    if not r.q.hedge.endswith(("以上", "及以上", "以下", "及以下")) and not r.right.startswith(("及以上", "以上的", "以下的")):
        return False
    if not after or not re.match(r"[\u4e00-\u9fffA-Za-z“]", after):
        return False  # 引进50个以上。 — the hedge closes the clause: a real amount
    kind = unit_kind(r.q.unit)
    if kind in ("money", "multiplier", "area"):
        return True
    if kind == "people" and _PLACE_NOUN.match(after):
        return True  # 千人以上村庄: a size class of places; 1万名以上青少年 counts the people themselves
    # a count threshold followed by another count in the same clause: 1000个以上重点村庄 stays (no second number)
    return bool(re.search(r"\d", after.split("、")[0][:12]))


def rule_place_size(r: Reading) -> bool:
    """规划面积约22平方公里, 瑶湖岛 6 平方公里区域, 环鄱阳湖 300 米范围内: the size of a place, not a goal."""
    if unit_kind(r.q.unit) not in ("area", "length"):
        return False
    tail = r.left[-10:]
    return any(w in tail for w in cues()["place_size_before"]) or bool(_PLACE_AFTER.match(r.right))


_PLACE_AFTER = re.compile(r"\s*(?:的)?(?:区域|范围|片区|地块|岸线)")
_TIME_NAMING = re.compile(r"[\u4e00-\u9fff](?![^，,。;；]{0,6}圈)")


def rule_time_names_thing(r: Reading) -> bool:
    """24小时城市书房, 2.5 天弹性休假制, 5分钟覆盖率: a time that names a thing. A time that sets an access
    standard (15分钟社区卫生服务圈, 12 小时航空交通圈) is a target and stays."""
    if unit_kind(r.q.unit) != "time" or r.q.unit in ("年", "年一遇"):
        return False
    right = r.right.lstrip("”\" ")
    return bool(_TIME_NAMING.match(right)) and not right.startswith(
        ("以内", "以上", "左右", "内", "之内", "到达", "可达", "直达", "通达", "抵达", "覆盖"))


def rule_comparison_set(r: Reading) -> bool:
    """在全国36个重点城市中位居前列: the size of the set compared against, not a result."""
    return bool(re.search(r"在(?:全国|全省|全市|中部|全球)?$", r.left)) and bool(re.match(r"[^，,。]{0,10}中", r.right))


def rule_context_forecast(r: Reading) -> bool:
    """In a plan's 发展环境 chapter, 老龄化比例预计达20%以上 forecasts the setting; it is neither a goal nor a result."""
    return any(any(w in p for w in cues()["context_sections"]) for p in r.sentence.path) and \
        not cues()["actual_cues_re"].search(r.left)


_GAP_TO_TARGET = re.compile(r"(?:低于|高于|超过|超出|好于|差于)(?:年初|年度)?(?:预期|计划)?目标$")


def rule_gap_to_target(r: Reading) -> bool:
    """低于年初预期目标2.5个百分点: the distance to a target, which assess works out itself; not a claim."""
    return bool(_GAP_TO_TARGET.search(r.left))


def rule_ordinal_in_name(r: Reading) -> bool:
    """第二批, 第十六届 — numbers that order things (the quantity step drops 第 + digits; this catches the rest)."""
    return r.left.endswith("第")


_GLOSSARY = re.compile(r"^\s*(?:\d{1,2}\s*[.、]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*[^。:]{1,30}[:：]|^[^。:]{1,30}:.{0,8}指")


def rule_glossary_note(r: Reading) -> bool:
    """Notes that explain a term (13.“8810”行动计划：第一个“8”指…, ⁹9610：海关监管代码): their numbers repeat or
    name things; only a yearly commitment stated there (每年推进一万家以上企业) is kept."""
    in_notes = any(any(w in p for w in cues()["note_sections"]) for p in r.sentence.path)
    return (in_notes or bool(_GLOSSARY.match(r.sentence.text))) and "每年" not in r.before


SKIP_RULES = (rule_streak, rule_category_threshold, rule_place_size, rule_ordinal_in_name, rule_gap_to_target,
              rule_glossary_note,
              rule_time_names_thing, rule_comparison_set, rule_context_forecast)


# --- named rules: target or actual? ---------------------------------------------------------------


def _section_kind(path: tuple[str, ...]) -> tuple[str, str] | None:
    c = cues()
    for title in reversed(path):
        if c["review_sections_re"].search(title):
            return "actual", "section_review"
        if c["plan_sections_re"].search(title):
            return "target", "section_plan"
    return None


_FROM_TO = re.compile(r"(?:提高|提升|增加|增长|扩大|上升|下降|降低|减少|压减)(?:到|至)")


def decide_kind(r: Reading, ctx: DocContext) -> tuple[str, str, int | None]:
    """(kind, rule, year) for a prose number."""
    c = cues()
    sent = r.sentence.text
    rel = r.q.start - r.sentence.start
    before = r.before
    years = [int(y) for y in _YEAR_CUE.findall(before)]
    year = years[-1] if years else None
    # A future year with 到/至 (到2025年) makes a target; a past year with no such word makes an actual.
    future = re.search(r"(?:到|至|在|于)\s*(20\d\d)\s*年", before)
    section = _section_kind(r.sentence.path)
    base = ctx.year or 0
    if r.left.endswith("从") and _FROM_TO.match(r.right):
        return "actual", "from_to_baseline", ctx.base_year or ctx.review_year
    if future and int(future.group(1)) >= base and ctx.doc_type != "article":
        return "target", "future_year", int(future.group(1))
    if re.search(r"[\u4e00-\u9fff]了(?!解)", r.left) and not c["target_cues_re"].search(r.left[-6:]):
        return "actual", "perfective_le", year
    if c["actual_cues_re"].search(r.left) or (section and section[0] == "actual"):
        return "actual", "past_cue" if not section else section[1], year
    if year and ctx.review_year and year <= ctx.review_year and not c["target_cues_re"].search(before):
        return "actual", "past_year", year
    if c["target_cues_re"].search(before[max(0, rel - 40):]):
        return "target", "target_cue", year
    if section:
        return section[0], section[1], year
    if ctx.doc_type in ("five_year_plan",):
        return "target", "plan_default", year
    if ctx.doc_type == "work_report":
        return "target", "report_default", year
    return "actual", "results_default", year


# --- measure ------------------------------------------------------------------------------------


_NO_SUBJECT = re.compile(r"(?:比上年末?|较上年末?|同比|与上年相比)?(?:增长|增加|下降|减少|提高|上升|回落|降低|上涨|增速)?|增长|下降")
_COMPARED = re.compile(r"(?:比上年末?|较上年末?|同比|比年初)(?:增加|增长|减少|下降|提高|降低)$")


def decide_measure(r: Reading, kind: str) -> tuple[str, bool]:
    """(measure, negative) from the unit and the words before the number."""
    c = cues()
    q = r.q
    uk = unit_kind(q.unit)
    left = r.left
    near = left[-8:]
    if uk not in ("percent", "") and _COMPARED.search(left):
        # 比上年末增加3.01万人, 比上年减少3.3万亩: a change of the amount just named, not an amount
        return "change", bool(c["growth_down_re"].search(left[-3:]))
    if q.unit in ("个百分点", "百分点"):
        return "change", bool(c["growth_down_re"].search(near))
    if q.cumulative:
        return ("cumulative_change" if kind == "target" else "change"), False
    if uk == "percent" or q.rule == "fraction":
        if c["level_verbs_re"].search(near[-4:]) and not near.endswith(("增长", "下降")):
            return "share", False
        if c["avg_growth_re"].search(left[-12:]):
            return "avg_growth", bool(c["growth_down_re"].search(near))
        down = c["growth_down_re"].search(near)
        up = c["growth_up_re"].search(near)
        if down and (not up or down.start() > up.start()):
            return "growth_rate", True
        if up:
            return "growth_rate", False
        return "share", False
    if q.unit == "倍" or (not q.unit and "比" in left[-12:]):
        return "ratio", False
    if c["cumulative_cues_re"].search(left[-12:]):
        return "cumulative", False
    if uk in ("count", "people", "animals") or q.unit.endswith(("个", "家", "所", "项", "座", "条", "件", "名", "户", "人")):
        if c["count_new_verbs_re"].search(left[-14:] + r.right[:0]) or kind == "target":
            return ("count_new" if kind == "target" else "count"), False
        return "count", False
    return "level", False


# --- indicator phrase -------------------------------------------------------------------------------

_LEAD_NOISE = re.compile(r"^(?:[\s、，,“”\"]|其中|同时|并且?|以及|和|与|及)+")
_TIME_NOISE = re.compile(r"(?:到|至|在|于|截至)?\s*20\d\d\s*年(?:底|末|前|内)?[，,]?|\d{1,2}\s*[-—~]\s*\d{1,2}\s*月[，,]?|“十[一二三四五]五”(?:期间|时期|末)?")


def indicator_phrase(r: Reading) -> str:
    """The subject of the number: 全市地区生产总值预计增长4.0%左右 → 地区生产总值."""
    c = cues()
    left = r.left
    # A、B5家、C学院10家: the subject of a later item starts after the previous item's number
    last_digit = max((i for i, ch in enumerate(left) if ch.isdigit()), default=-1)
    if last_digit >= 0:
        cut = max(left.rfind("、", last_digit), left.rfind("和", last_digit))
        if cut > last_digit:
            left = left[cut + 1:]
    left = _TIME_NOISE.sub("", left)
    left = _LEAD_NOISE.sub("", left)
    for _ in range(4):
        before = left
        for w in c["subject_prefixes"]:
            if left.startswith(w) and len(left) > len(w):
                left = left[len(w):]
        left = _LEAD_NOISE.sub("", left)
        if left == before:
            break
    left = left.strip()
    for _ in range(6):
        stripped = left.rstrip(" ")
        for w in sorted(c["subject_suffixes"], key=len, reverse=True):
            if stripped.endswith(w) and len(stripped) > len(w):
                stripped = stripped[: -len(w)]
                break
        if stripped == left:
            break
        left = stripped
    left = left.strip(" 、，,“”\"（(")
    obj = _object_after(r)
    if obj and unit_kind(r.q.unit) not in ("percent", "money", "multiplier", ""):
        return obj  # 推进27个城中村改造, 开展年度14.6万亩高标准农田建设: the counted thing follows the number
    if len(left) < 2 or c["count_new_verbs_re"].fullmatch(left or "-"):
        # 推进27个城中村改造: the object follows the number
        obj = re.split(r"[，,;；。、]", r.right, maxsplit=1)[0]
        obj = re.sub(r"^\s*(?:以上|左右|以内|余|多)?(?:的)?", "", obj).strip(" “”\"")
        return (left + obj).strip() if obj else left
    return left


_OBJECT = re.compile(r"^(?:[“\"]?)([\u4e00-\u9fff][^，,;；。、:]{1,24})")
_NOT_OBJECT_START = ("的", "以", "左", "余", "多", "增", "下", "上", "内", "之", "和", "及", "或", "等", "均", "分", "占", "比", "同")


def _object_after(r: Reading) -> str:
    """The noun a count is of, when it follows the number (27个城中村改造) rather than preceding it."""
    right = r.right.lstrip()
    if right.startswith(("以上", "左右", "以内", "余", "多")):
        right = re.sub(r"^(?:以上|左右|以内|余|多)", "", right).lstrip()
    if not right or right.startswith(_NOT_OBJECT_START):
        return ""
    m = _OBJECT.match(right)
    return m.group(1).strip("“”\" ") if m else ""


def find_region(r: Reading, ctx: DocContext) -> str:
    m = None
    for m in _region_re().finditer(r.left):
        pass
    return canonical_region(m.group(0)) if m else ctx.region


# --- periods ----------------------------------------------------------------------------------------


def actual_period(r: Reading, ctx: DocContext, year: int | None, measure: str) -> str:
    y = year or ctx.review_year
    months = None
    for months in _MONTHS.finditer(r.before):
        pass
    if measure == "avg_growth":
        # 年均增长7.6% in a review of a five-year period: the five years ending in the stated (or review) year
        end = year or (ctx.plan_start - 1 if ctx.plan_start else y)
        return f"{end - 4}-{end}" if end else ""
    if months and y:
        if months.group(1):
            return f"{y}-{int(months.group(1)):02d}..{y}-{int(months.group(2)):02d}"
        return f"{y}-01..{y}-{int(months.group(3)):02d}"
    return str(y) if y else ""


# --- the step ---------------------------------------------------------------------------------------


def prose_claims(doc: Document, sent: Sentence, qs: list[Quantity], ctx: DocContext, text: str) -> list[Claim]:
    out: list[Claim] = []
    lo, hi = sent.start, sent.end
    for i, q in enumerate(qs):
        a, b = _clause(text, q.start, q.end, lo, hi)
        r = Reading(sent, q, a, b, text[a:q.start], text[q.end:b], text[lo:q.start])
        if any(rule(r) for rule in SKIP_RULES):
            continue
        kind, krule, year = decide_kind(r, ctx)
        measure, negative = decide_measure(r, kind)
        phrases = _list_subjects(r, qs, text, lo, hi)
        unit = q.unit
        sector = _structure_share(r, text)
        if sector:
            phrases, measure, unit = [sector], "share", "%"
        if out and len(phrases) == 1 and _NO_SUBJECT.fullmatch(phrases[0]) and out[-1].start < doc.to_original(q.start, q.end)[0]:
            phrases = [out[-1].indicator]  # 出口额120亿元，同比增长56%: the growth of the amount just named
        value = -abs(q.value) if negative and q.value > 0 else q.value
        value_max = q.value_max
        flags = _flags(r)
        start, end = doc.to_original(q.start, q.end)
        region = find_region(r, ctx)
        comparator, qualifier = target_comparator(r) if kind == "target" else ("=", q.hedge)
        if kind == "target":
            target_year = year or ctx.target_year
            period = ""
            if measure == "avg_growth" and ctx.plan_start:
                period = f"{ctx.plan_start}-{ctx.plan_end}"
        else:
            target_year = None
            period = actual_period(r, ctx, year, measure)
        for phrase in phrases:
            out.append(Claim(
                doc=doc.name, start=start, end=end, quote=doc.original[start:end], kind=kind, measure=measure,
                indicator=phrase, region=region, value=value, unit=unit, value_max=value_max,
                comparator=comparator, qualifier=qualifier, period=period, target_year=target_year, flags=flags,
                source="box" if any(p.startswith("专栏") for p in sent.path) else "text",
                rule=f"{q.rule}+{krule}", section=" / ".join(sent.path),
            ))
    out.extend(rank_claims(doc, sent, ctx, text))
    return out


@lru_cache(maxsize=1)
def _floor_re() -> re.Pattern:
    words = sorted(load_yaml("hedges.yaml")["clause_floor"], key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def target_comparator(r: Reading) -> tuple[str, str]:
    """The comparator of a target: the hedge next to the number, else a floor word earlier in the clause
    (力争 / 达到 / 提高到 / 至少 … → >=), else exact."""
    q = r.q
    if q.comparator != "=":
        return q.comparator, q.hedge
    m = None
    for m in _floor_re().finditer(r.left):
        pass
    if m is not None:
        word = m.group(0)
        # a bare 到 counts only right before the number (提高到60%), not in 到2025年
        if word != "到" or not r.left[m.end():].strip():
            return ">=", "|".join(x for x in (word, q.hedge) if x)
    return "=", q.hedge


_SECTORS = ("第一产业增加值占GDP比重", "第二产业增加值占GDP比重", "第三产业增加值占GDP比重")


def _structure_share(r: Reading, text: str) -> str:
    """三次产业结构为3.6:40.7:55.7 (or 4.7 52.5 42.8 with the colons lost): the n-th number is the n-th
    sector's share of GDP."""
    if r.q.unit or "产业结构" not in r.sentence.text[: r.q.start - r.sentence.start][-30:]:
        return ""
    i, pos = 0, r.q.start
    while pos > 0 and text[pos - 1] in ": " and pos - 2 >= 0 and text[pos - 2].isdigit():
        # walk back over the previous number of the ratio
        pos -= 1
        while pos > 0 and (text[pos - 1].isdigit() or text[pos - 1] == "."):
            pos -= 1
        i += 1
    nxt = text[r.q.end:r.q.end + 2]
    in_ratio = i > 0 or (nxt[:1] in ": " and nxt[1:2].isdigit())
    return _SECTORS[i % 3] if in_ratio else ""


def _flags(r: Reading) -> tuple[str, ...]:
    flags = []
    window = r.left
    if "力争" in window or "争取" in window:
        flags.append("aspirational")
    if "确保" in window:
        flags.append("guaranteed")
    if any(w in window for w in cues()["estimate_cues"]):
        flags.append("estimate")
    return tuple(flags)


def _list_subjects(r: Reading, qs: list[Quantity], text: str, lo: int, hi: int) -> list[str]:
    """The subject phrase(s) of a number: one, or one per item of a 分别/均 list."""
    phrase = indicator_phrase(r)
    left = r.left
    if "分别" in left:
        # A、B、C分别增长x、y、z: the n-th value takes the n-th item
        subject = left[: left.index("分别")]
        subject = indicator_phrase(Reading(r.sentence, r.q, r.clause_start, r.clause_end, subject, "", r.before))
        items = _items(subject)
        # index of this value in the run of values after 分别
        run_start = r.clause_start + left.index("分别")
        idx = 0
        for other in qs:
            if run_start <= other.start < r.q.start:
                idx += 1
        if len(items) > 1 and idx < len(items):
            return [items[idx]]
        return [subject]
    if "均" in left[-6:] and not left.endswith("年均") and "年均" not in left[-6:]:
        subject = left[: left.rfind("均")]
        subject = indicator_phrase(Reading(r.sentence, r.q, r.clause_start, r.clause_end, subject, "", r.before))
        items = _items(subject, joiners=True)
        if len(items) > 1:
            return items
    if r.q.hedge in ("超", "超过", "突破") and phrase.count("、") >= 2 and unit_kind(r.q.unit) in ("money", "multiplier"):
        # 电子信息、汽车和新能源汽车、绿色食品、新型材料产业超千亿: each item exceeds the amount
        items = _items(phrase)
        if len(items) > 2:
            return items
    return [phrase]


_PAIRS = {"城乡居民": ("城镇居民", "农村居民"), "城乡": ("城镇", "农村")}


def _items(subject: str, joiners: bool = False) -> list[str]:
    """Split a list subject into its items, carrying the shared head noun to each item.

    汽车及装备、新材料、医药健康等全产业链营业收入 → 汽车及装备全产业链营业收入, 新材料全产业链营业收入, …;
    城乡居民人均可支配收入 → 城镇居民人均可支配收入, 农村居民人均可支配收入.
    """
    for pair, (a, b) in _PAIRS.items():
        if subject.startswith(pair):
            rest = subject[len(pair):]
            return [a + rest, b + rest]
    parts = [p for p in re.split(r"、", subject) if p]
    if len(parts) < 2 and joiners:
        parts = [p for p in re.split(r"和|及|与", subject) if p]  # 总容量和招生计划均达到…
    if len(parts) < 2:
        return [subject]
    last = parts[-1]
    m = re.match(r"(.+?)等(.+)", last)
    head = ""
    if m:
        parts[-1], head = m.group(1), m.group(2)
    prefix = ""
    pm = re.match(r"^(规上|规模以上|全市)", parts[0])
    if pm:
        prefix = pm.group(1)
    items = []
    for j, p in enumerate(parts):
        p = p.strip()
        if prefix and j > 0 and not p.startswith(prefix):
            p = prefix + p
        items.append(p + head)
    return items


def rank_claims(doc: Document, sent: Sentence, ctx: DocContext, text: str) -> list[Claim]:
    """位列全省第一, 排名第18位 → rank claims (ordinals that state a result are claims)."""
    out = []
    for m in _RANK.finditer(text, sent.start, sent.end):
        n = m.group("n")
        value = float(n) if n.isdigit() else float(_CN_ORD.get(n, 0) or 0)
        if not value:
            continue
        s, e = m.start("n") - 1, m.end()
        a, _ = _clause(text, s, e, sent.start, sent.end)
        subject = text[a:m.start()].strip(" ，,")
        start, end = doc.to_original(s, e)
        section = _section_kind(sent.path)
        kind = "target" if re.search(r"力争|确保|争取|保持|稳居", text[a:m.start() + 2]) and not (section and section[0] == "actual") else "actual"
        out.append(Claim(
            doc=doc.name, start=start, end=end, quote=doc.original[start:end], kind=kind, measure="rank",
            indicator=subject, region=ctx.region, value=value, unit="位", comparator="=" if kind == "actual" else "<=",
            period=str(ctx.review_year or "") if kind == "actual" else "", target_year=ctx.target_year if kind == "target" else None,
            rule="rank", section=" / ".join(sent.path),
        ))
    return out


def extract_claims(doc: Document, st: Structure | None = None, ctx: DocContext | None = None) -> list[Claim]:
    """Every claim of a document, in document order."""
    from .structure import structure
    from .table_claims import table_claims

    st = st or structure(doc)
    ctx = ctx or infer_context(doc)
    text = doc.text
    quantities = find_quantities(text)
    out: list[Claim] = []
    qi = 0
    for sent in st.sentences:
        while qi < len(quantities) and quantities[qi].start < sent.start:
            qi += 1
        qj = qi
        while qj < len(quantities) and quantities[qj].start < sent.end:
            qj += 1
        qs = quantities[qi:qj]  # a number that starts in the sentence belongs to it, even if its unit wrapped
        if sent.row is not None:
            out.extend(table_claims(doc, sent, qs, ctx))
        elif qs or "第" in sent.text:
            out.extend(prose_claims(doc, sent, qs, ctx, text))
        qi = qj
    return out
