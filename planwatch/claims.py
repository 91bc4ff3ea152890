"""Step 4, claims: quantities + context → `Claim` (target or actual, measure, indicator, region, period).

Prose sentences go through small named rules, each a function of (sentence, quantity, context) that
either decides or passes; the name of the deciding rule is kept on the claim (`Claim.rule`), so a user can
see why a number was read as it was. The rules live by question: claim_rules.py (is it a claim at all?),
this module (target or actual, measure, comparator, period), subjects.py (what it is of), table_claims.py
(indicator tables read by their column headers).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .claim_rules import SKIP_RULES
from .context import DocContext, infer_context
from .lexicon import load_yaml
from .model import Claim, Document, Quantity, Sentence, Structure
from .quantities import find_quantities, unit_kind
from .reading import Reading, clause_span, cues
from .subjects import find_region, list_subjects, structure_share

_YEAR_CUE = re.compile(r"(?:到|至|在|于|截至)?\s*(20\d\d)\s*年(?:底|末|前)?")
_MONTHS = re.compile(r"(\d{1,2})\s*[-—~至到]\s*(\d{1,2})\s*月(?:份)?|(?<![\d-])(\d{1,2})\s*月(?:份)?(?:末|底)?")
_RANK = re.compile(
    r"(?:位列|位居|排名|排在|名列|跃居|稳居|居|列)(?:全国|全省|中部六省会城市|中部地区|省会城市|全市|[\u4e00-\u9fff]{0,8}?)"
    r"第\s*(?P<n>\d+|[一二三四五六七八九十]+)\s*(?:位|名)?"
)
_CN_ORD = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


# --- named rules: target or actual? ---------------------------------------------------------------


def _section_kind(path: tuple[str, ...]) -> tuple[str, str] | None:
    """Review or plan, from the outermost section that says: 一、2023年工作回顾 governs its (三)…重点工作… items."""
    c = cues()
    for title in path:
        if c["review_sections_re"].search(title):
            return "actual", "section_review"
        if c["plan_sections_re"].search(title):
            return "target", "section_plan"
    return None


_FROM_TO = re.compile(r"(?:提高|提升|增加|增长|扩大|上升|下降|降低|减少|压减)(?:到|至)")


RESULTS_DOCS = ("article", "statistical_bulletin")


def decide_kind(r: Reading, ctx: DocContext) -> tuple[str, str, int | None]:
    """(kind, rule, year) for a prose number."""
    c = cues()
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
    results_doc = ctx.doc_type in RESULTS_DOCS
    if future and int(future.group(1)) >= base and (not results_doc or int(future.group(1)) > (ctx.review_year or base)):
        return "target", "future_year", int(future.group(1))
    if re.search(r"[\u4e00-\u9fff]了(?!解)", r.left) and not c["target_cues_re"].search(r.left[-6:]):
        return "actual", "perfective_le", year
    if c["actual_cues_re"].search(r.left) or (section and section[0] == "actual"):
        return "actual", "past_cue" if not section else section[1], year
    if year and ctx.review_year and year <= ctx.review_year and not c["target_cues_re"].search(before):
        return "actual", "past_year", year
    if results_doc:
        # a results text (article, bulletin) reports; it states a goal only in so many words, in the same clause
        if c["strong_target_cues_re"].search(r.left):
            return "target", "target_cue", year
        return "actual", "results_default", year
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


# --- periods ----------------------------------------------------------------------------------------


_FROM = re.compile(r"由[^由，,;；。]*$")
_TO = re.compile(r"(?:调整为|调整到|变为|提高到|提高至|提升到|提升至|增加到|增长到|下降到|下降至|降至|降到|减少到|优化为)")


def _is_from_value(r: Reading, text: str) -> bool:
    """由X调整为Y: X (every number between 由 and the verb) is where the change started."""
    if not _FROM.search(r.left) or _TO.search(r.left[r.left.rfind("由"):]):
        return False
    return bool(_TO.search(text, r.q.end, r.clause_end))


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
    for q in qs:
        a, b = clause_span(text, q.start, q.end, lo, hi)
        r = Reading(sent, q, a, b, text[a:q.start], text[q.end:b], text[lo:q.start])
        if any(rule(r) for rule in SKIP_RULES):
            continue
        kind, krule, year = decide_kind(r, ctx)
        measure, negative = decide_measure(r, kind)
        phrases = list_subjects(r, qs, text, lo, hi)
        unit = q.unit
        sector = structure_share(r, text)
        if sector:
            phrases, measure, unit = [sector], "share", "%"
        named = _named_before(out, r, qs, doc)
        if named:
            phrases = [named]
        elif out and len(phrases) == 1 and _NO_SUBJECT.fullmatch(phrases[0]) and out[-1].start < doc.to_original(q.start, q.end)[0]:
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
            if _is_from_value(r, text):
                # 三次产业结构由4.7 52.5 42.8调整为4.1 46.6 49.3: the first values are the start of the period reviewed
                start_year = ctx.plan_start - 6 if ctx.plan_start else (year or ctx.review_year or 0) - 1
                period = str(start_year) if start_year > 0 else period
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


def _named_before(out: list[Claim], r: Reading, qs: list[Quantity], doc: Document) -> str:
    """城镇居民…48650元、农村居民…23480元，分别增长4.9%和6.9%: a 分别 clause with no subject of its own takes
    the amounts just named in the sentence, in order (the n-th value after 分别 → the n-th of them)."""
    left = r.left
    if "分别" not in left or len(re.sub(r"分别.*$", "", left).strip(" ，,")) >= 2:
        return ""
    run_start = r.clause_start + left.index("分别")
    idx = sum(1 for other in qs if run_start <= other.start < r.q.start)
    # `out` holds this sentence's claims so far; those before this clause (spans in the original text), each
    # indicator once
    clause_start = doc.to_original(r.clause_start, r.clause_start + 1)[0]
    names: list[str] = []
    for c in out:
        if c.end <= clause_start and c.indicator not in names:
            names.append(c.indicator)
    n_values = sum(1 for other in qs if run_start <= other.start < r.clause_end)
    if len(names) >= n_values > idx:
        return names[len(names) - n_values + idx]
    return ""


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


def rank_claims(doc: Document, sent: Sentence, ctx: DocContext, text: str) -> list[Claim]:
    """位列全省第一, 排名第18位 → rank claims (ordinals that state a result are claims)."""
    out = []
    for m in _RANK.finditer(text, sent.start, sent.end):
        n = m.group("n")
        value = float(n) if n.isdigit() else float(_CN_ORD.get(n, 0) or 0)
        if not value:
            continue
        s, e = m.start("n") - 1, m.end()
        a, _ = clause_span(text, s, e, sent.start, sent.end)
        subject = text[a:m.start()].strip(" ，,")
        start, end = doc.to_original(s, e)
        section = _section_kind(sent.path)
        # 力争/确保/保持…第一 is a goal in a plan or the plan part of a report; a results text only reports ranks
        promised = re.search(r"力争|确保|争取|保持", text[a:m.start() + 2])
        reporting = ctx.doc_type in ("article", "statistical_bulletin") or (section and section[0] == "actual")
        kind = "target" if promised and not reporting else "actual"
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
