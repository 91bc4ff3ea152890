"""Step 6, links: actual claims ↔ the target claims they answer.

A link needs the same indicator (after `resolve_indicator`), the same region, a compatible period and a
compatible measure. Each link carries the name of the rule that made it (`Link.method`):

  annual targets (year Y, from the work report of Y)
    annual_same_year      an actual for the year Y
    annual_partial_year   an actual for part of Y (1-11月): kept, flagged, scored 0.5
    annual_streak         连续14年稳定在42亿斤以上 — a streak that runs through Y
    cumulative_vs_annual  (not comparable) a running total (累计建成262.9万亩) never answers a yearly amount
  plan targets (baseline year t0, target year tT: 十四五 2020 → 2025, 表1 2015 → 2020)
    plan_baseline         the actual of t0 (the baseline itself; from the same table row is fine)
    plan_baseline_level   the t0 level of the quantity whose cumulative change is targeted
    plan_yearly           a level/share/count actual of a year in (t0, tT]
    plan_yearly_amount    a year's amount of a flow quantity (改造老旧小区240个) toward a plan-period total
    plan_running_total    a running total (累计…) of a flow quantity toward a plan-period total
    plan_period_total     a total over the plan years (招商引资项目 [613] 2016-2020)
    plan_yearly_growth    a yearly growth actual answering an average-growth target
    plan_period_growth    an average growth over (part of) the plan period
    plan_period_change    a cumulative change since t0 ([-20.3] 2016-2020)
    plan_change_via_level a later level of the quantity whose cumulative change is targeted (A − B)
  any
    unit_mismatch         (not comparable) units that do not convert (万美元 vs 元)

Uncatalogued phrases of fewer than four characters (总投资, 通车) are too generic to link on their own.

An actual never answers a target written in the same words (overlapping span of the same document), except
as its baseline, or as the final value of a table row (表1: 2020 目标 and 2020 完成情况 in one row).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .indicators import measure_family, resolve
from .lexicon import plan_periods
from .model import Claim, Link

# Every method name link_claims may give a link. Links made by people (any other method: "manual" …) are
# taken by assess as answers the rules did not find.
METHODS = frozenset({
    "annual_same_year", "annual_partial_year", "annual_streak", "cumulative_vs_annual", "unit_mismatch",
    "plan_baseline", "plan_baseline_level", "plan_yearly", "plan_yearly_amount", "plan_running_total",
    "plan_period_total", "plan_yearly_growth", "plan_period_growth", "plan_period_change", "plan_change_via_level",
    "plan_level_via_growth",
})

# --- periods ----------------------------------------------------------------------------------------

_YEAR = re.compile(r"^((?:19|20)\d\d)\s*年?(?:全年|底|末)?$")
_RANGE = re.compile(r"^((?:19|20)\d\d)\s*年?\s*[-–—~至到]\s*((?:19|20)\d\d)\s*年?$")
_ISO_MONTHS = re.compile(r"^((?:19|20)\d\d)-(\d{1,2})\.\.((?:19|20)\d\d)-(\d{1,2})$")
_CN_MONTHS = re.compile(r"^(?:((?:19|20)\d\d)\s*年)?\s*(\d{1,2})\s*[-–—~至到]\s*(\d{1,2})\s*月")
_STREAK = re.compile(r"连续")


@dataclass(frozen=True)
class Period:
    """Years a claim speaks of: [start, end]; partial = part of a year; streak = 连续N年 ending at `end`."""

    start: int
    end: int
    partial: bool = False
    streak: bool = False
    inferred: bool = False  # the year came from the document, not from the claim

    @property
    def single(self) -> bool:
        return self.start == self.end


def parse_period(text: str, default_year: int | None = None) -> Period | None:
    """'2023', '2021-2025', '2023-01..2023-11', '1-11月', '连续14年', '十四五', '' → Period (or None)."""
    s = (text or "").strip()
    for name, (a, b) in plan_periods().items():
        if name.endswith("五") and name in s:  # 十四五 (not the bare ordinal 十四)
            return Period(a, b)
    if m := _YEAR.match(s):
        return Period(int(m.group(1)), int(m.group(1)))
    if m := _RANGE.match(s):
        a, b = int(m.group(1)), int(m.group(2))
        return Period(min(a, b), max(a, b), streak=bool(_STREAK.search(s)))
    if m := _ISO_MONTHS.match(s):
        y1, m1, y2, m2 = (int(g) for g in m.groups())
        return Period(y1, y2, partial=not (m1 == 1 and m2 == 12 and y1 == y2))
    if m := _CN_MONTHS.match(s):
        year = int(m.group(1)) if m.group(1) else default_year
        if year is None:
            return None
        full = int(m.group(2)) == 1 and int(m.group(3)) == 12
        return Period(year, year, partial=not full, inferred=not m.group(1))
    if _STREAK.search(s) and default_year:
        return Period(default_year, default_year, streak=True, inferred=True)
    if not s and default_year:
        return Period(default_year, default_year, inferred=True)
    return None


def infer_review_years(claims: Iterable[Claim]) -> dict[str, int]:
    """doc → the year its actuals speak of: the most frequent single-year period among its actual claims
    (a claim listed n times counts n times; each distinct claim object is parsed once)."""
    times: Counter = Counter()
    objects: dict[int, Claim] = {}
    for c in claims:
        if c.kind == "actual":
            times[id(c)] += 1
            objects[id(c)] = c
    counts: dict[str, Counter] = defaultdict(Counter)
    for key, n in times.items():
        c = objects[key]
        p = parse_period(c.period)
        if p and p.single and not p.partial:
            counts[c.doc][p.end] += n
    return {doc: max(cnt.items(), key=lambda kv: (kv[1], kv[0]))[0] for doc, cnt in counts.items()}


@dataclass(frozen=True)
class Horizon:
    """annual: a target for the year `end`; plan: from baseline year `start` (t0) to target year `end` (tT)."""

    kind: str  # annual | plan
    end: int | None
    start: int | None = None


_PLAN_SECTION = re.compile(r"十[一二三四五]五|规划|远景目标")


def target_horizon(t: Claim, review_year: int | None = None) -> Horizon:
    """Whether a target is a yearly commitment or a multi-year plan target, and its years.

    Plan: a multi-year period (2021-2025), a baseline two or more years back, or — when the document's
    review year is known — a target year two or more years after it (十四五 outline: reviews 2020, targets
    2025). Without a review year, plan words (avg growth, 预期性/约束性, a 规划 section) and a target year
    ending in 0 or 5 make a plan target. Everything else is an annual target (work report of Y: targets Y).
    """
    p = parse_period(t.period)
    end = t.target_year or (p.end if p else None)
    if p and not p.single:
        return Horizon("plan", end or p.end, p.start - 1)
    if t.baseline_year and end and end - t.baseline_year >= 2:
        return Horizon("plan", end, t.baseline_year)
    if end is None:
        return Horizon("annual", None)
    if review_year is not None:
        return Horizon("plan", end, review_year) if end - review_year >= 2 else Horizon("annual", end)
    planlike = (t.measure in ("avg_growth", "cumulative_change") or bool(t.attribute)
                or bool(_PLAN_SECTION.search(t.section or "")))
    if planlike and end % 5 == 0:
        return Horizon("plan", end, end - 5)
    return Horizon("annual", end)


# --- units ------------------------------------------------------------------------------------------

_MULTIPLIERS = (("万亿", 1e12), ("千亿", 1e11), ("百亿", 1e10), ("千万", 1e7), ("百万", 1e6), ("十万", 1e5),
                ("亿", 1e8), ("万", 1e4), ("千", 1e3), ("百", 1e2))
# classifiers that count things: 27个 and 27项 count the same way; 人/名/人次 are people.
_COUNT = set("个家所项座条件台栋幢套张场处辆艘架部款种批户间宗笔只支块片站段")
_PEOPLE = {"人", "名", "人次", "位"}


@lru_cache(maxsize=4096)  # a ledger has a few hundred distinct units; linking asks for them millions of times
def unit_key(unit: str) -> tuple[str, float]:
    """(base, factor): 亿元 → (元, 1e8), 万亩 → (亩, 1e4), 27个 → (count, 1), % → (%, 1), '' → ('', 1)."""
    u = (unit or "").strip().replace(" ", "")
    if u in ("%", "百分点", "个百分点"):
        return "%", 1.0
    if u == "‰":
        return "%", 0.1
    num, slash, den = u.partition("/")
    factor = 1.0
    for prefix, f in _MULTIPLIERS:
        if num.startswith(prefix) and (len(num) > len(prefix) or not slash):
            num, factor = num[len(prefix):], f
            break
    if num in _COUNT:
        num = "count"
    elif num in _PEOPLE:
        num = "people"
    return num + slash + den, factor


def unit_factor(from_unit: str, to_unit: str) -> float | None:
    """Multiply a value in `from_unit` by this to express it in `to_unit`; None when they do not convert.

    An empty unit on either side is taken to be the other's (extractors drop units that tables state once).
    """
    (b1, f1), (b2, f2) = unit_key(from_unit), unit_key(to_unit)
    if not b1 and f1 == 1.0 or not b2 and f2 == 1.0:
        return 1.0
    if b1 == b2:
        return f1 / f2
    if {b1, b2} <= {"count", "people"}:  # 万名 vs 人: both count heads
        return f1 / f2
    return None


# --- linking ----------------------------------------------------------------------------------------


def _region_key(region: str) -> str:
    r = (region or "").strip()
    if r in ("全市", "我市", "本市"):
        return ""
    return r[:-1] if len(r) > 2 and r.endswith("市") else r


def _overlap(t: Claim, a: Claim) -> bool:
    return t.doc == a.doc and t.start < a.end and a.start < t.end


def _is_cumulative(a: Claim) -> bool:
    """A running total: measure cumulative, or 累计 in the phrase or hedge (累计建成…)."""
    return a.measure == "cumulative" or "累计" in (a.indicator or "") or "累计" in (a.qualifier or "")


@dataclass(frozen=True)
class _Side:
    claim: Claim
    code: str
    base: str
    family: str | None
    score: float
    flow: bool  # the catalog counts it as a flow (count_new: 改造, 新增 …), not a stock
    generic: bool  # an uncatalogued phrase too short to identify anything


def _side(c: Claim) -> _Side:
    r = resolve(c.indicator, c.measure, c.unit)
    fam = measure_family(c.measure) or measure_family(r.indicator.measure)
    score = {"exact": 1.0, "exact_suffix": 1.0, "contains": 0.9, "new": 0.8}[r.method]
    flow = r.method != "new" and r.indicator.measure == "count_new"
    generic = r.method == "new" and len(r.base_code) - len("new:") < 4
    return _Side(c, r.indicator.code, r.base_code, fam, score, flow, generic)


def _make(t: _Side, a: _Side, method: str, score: float = 1.0, reason: str = "") -> Link:
    return Link(target=t.claim, actual=a.claim, method=method, score=round(score * min(t.score, a.score), 3),
                comparable=not reason, reason=reason)


def _unit_check(t: _Side, a: _Side) -> Link | None:
    if unit_factor(a.claim.unit, t.claim.unit) is None:
        return _make(t, a, "unit_mismatch", reason=f"单位不同（目标为{t.claim.unit}，实际为{a.claim.unit}），无法换算")
    return None


def link_annual(t: _Side, a: _Side, h: Horizon, p: Period) -> Link | None:
    """Annual target of year Y ↔ an actual of Y (or part of Y, or a streak through Y)."""
    if h.end is None or p.end != h.end or t.code != a.code or _overlap(t.claim, a.claim):
        return None
    if not p.single and not p.streak:
        return None  # a multi-year figure does not answer a yearly target
    if t.family == "level" and _is_cumulative(a.claim) and t.claim.measure != "cumulative":
        return _make(t, a, "cumulative_vs_annual", reason="累计值不能回答年度目标")
    if bad := _unit_check(t, a):
        return bad
    if p.partial:
        return _make(t, a, "annual_partial_year", 0.5)
    if p.streak:
        return _make(t, a, "annual_streak", 0.8)
    return _make(t, a, "annual_same_year", 0.9 if p.inferred else 1.0)


def link_plan(t: _Side, a: _Side, h: Horizon, p: Period) -> Link | None:
    """Plan target (t0 → tT) ↔ its baseline, yearly actuals, and period totals/averages/changes."""
    t0, tT = h.start, h.end
    if tT is None or p.end > tT or p.partial:
        return None
    same = t.code == a.code
    baseline = t0 is not None and p.end == t0
    # the same words may state the baseline, or (a table row) the final value — nothing else
    if _overlap(t.claim, a.claim) and not baseline and not (t.claim.source == "table" and p.end == tT):
        return None
    if t0 is not None and p.end < t0:
        return None
    if baseline:
        if same:  # the t0 value, or the previous plan's average growth / change ([8.3] 十三五平均)
            return _make(t, a, "plan_baseline")
        if t.family == "change" and a.family == "level" and a.code == t.base and p.single:
            return _make(t, a, "plan_baseline_level")
        return None
    if t0 is not None and p.start <= t0 and not p.single and p.start != t0 + 1:
        return None
    if t.family == "level" and same:
        if p.single and t.flow and t.claim.measure in ("count_new", "cumulative"):
            # a total to deliver over the plan (十四五改造老旧小区1500个): yearly amounts add up
            method = "plan_running_total" if _is_cumulative(a.claim) else "plan_yearly_amount"
            return _unit_check(t, a) or _make(t, a, method)
        if p.single:
            return _unit_check(t, a) or _make(t, a, "plan_yearly")
        if t0 is None or p.start == t0 + 1:
            return _unit_check(t, a) or _make(t, a, "plan_period_total")
        return None
    if t.family == "level" and a.family == "growth" and a.base == t.code and a.claim.measure == "avg_growth" \
            and t0 is not None and p.start == t0 + 1 and p.end == tT:
        # a level target whose row reports only the period's average growth (表1 500万元以上固定资产投资:
        # 4000.07 → 8000, 完成 —, 年均 11.2%): assess can work out the level the growth reached
        return _make(t, a, "plan_level_via_growth", 0.9)
    if t.family == "growth" and same:
        if p.single and a.claim.measure == "growth_rate":
            return _make(t, a, "plan_yearly_growth")
        if a.claim.measure == "avg_growth" or not p.single:
            return _make(t, a, "plan_period_growth")
        return None
    if t.family == "change":
        if same and (not p.single or t0 is None or p.start == t0 + 1):
            return _unit_check(t, a) or _make(t, a, "plan_period_change")
        if a.family == "level" and a.code == t.base and p.single:
            return _make(t, a, "plan_change_via_level", 0.9)
        return None
    if t.family == "rank" and same and p.single:
        return _make(t, a, "plan_yearly")
    return None


def link_claims(targets: list[Claim], actuals: list[Claim],
                review_years: Mapping[str, int] | None = None) -> list[Link]:
    """Every link between targets and actuals (comparable or not, with the reason), in target order.

    `review_years` maps a document to the year its actuals speak of, used for actuals whose period has no
    year (1-11月, 连续14年, ""); by default it is inferred from the document's other actual claims.
    """
    years = infer_review_years(actuals)
    years.update(infer_review_years(targets))
    if review_years:
        years.update(review_years)
    # Actuals by (indicator base, region), then by the last year they speak of: an annual target of Y can
    # only link to an actual ending in Y, a plan target to one ending within its years; each actual's period
    # is parsed once. Looking only there keeps linking near-linear in a ledger of thousands of documents
    # of the same region and indicators, where a plain pairwise scan grew with the square of it.
    by_base: dict[tuple[str, str], dict[int, list[tuple[int, _Side, Period]]]] = defaultdict(lambda: defaultdict(list))
    for i, a in enumerate(actuals):
        p = parse_period(a.period, years.get(a.doc))
        if p is not None:
            side = _side(a)
            by_base[(side.base, _region_key(a.region))][p.end].append((i, side, p))
    out: list[Link] = []
    # A pair is linked once. Claims are compared by value; when no two of them are equal (the usual case: a
    # claim is its document and span), by identity, which spares hashing every field of both per link.
    by_value = len(set(targets)) != len(targets) or len(set(actuals)) != len(actuals)
    pair = (lambda t, a: (t, a)) if by_value else (lambda t, a: (id(t), id(a)))
    seen: set[tuple] = set()
    for t in targets:
        ts = _side(t)
        if ts.generic:
            continue
        h = target_horizon(t, years.get(t.doc))
        if h.end is None:
            continue  # neither kind of link can be made without the target's year
        region = _region_key(t.region)
        pools = [by_base.get((ts.base, region), {})] + ([by_base.get((ts.base, ""), {})] if region else [])
        if h.kind == "annual":
            candidates = [x for pool in pools for x in pool.get(h.end, ())]
        else:  # the pairwise order of the scan this replaces: this region's actuals, then the region-less
            candidates = [x for n, pool in enumerate(pools) for x in sorted(
                (n, *x) for y, xs in pool.items() if y <= h.end and (h.start is None or y >= h.start) for x in xs)]
            candidates = [x[1:] for x in candidates]
        for _, a, p in candidates:
            link = link_annual(ts, a, h, p) if h.kind == "annual" else link_plan(ts, a, h, p)
            if link is not None and (key := pair(t, a.claim)) not in seen:
                seen.add(key)
                out.append(link)
    return out
