"""Step 7, assess: a target + its links (+ baseline) → `Assessment` (../DESIGN.md "Assessment rules").

Annual targets (rule ``annual``): compare the best actual of the target year with the comparator —
  >= met if A ≥ T; <= met if A ≤ T; ~ met within the tolerance, basically_met within 2× (rates: 0.2
  percentage points; levels: 1 % of T); range met inside/past the range in the better direction;
  = met if A reaches T in the better direction. No actual → not_reported; only incomparable ones →
  not_comparable with the linker's reason.
Plan targets (t0 → tT, latest actual year t, s = (t−t0)/(tT−t0)):
  ``plan_progress``        level/share: p = (A−B)/(T−B); achieved / ahead (p ≥ s+m) / on_track (p ≥ s−m) / lagging
  ``plan_change``          cumulative change [x]: the same with B = 0 and A the change since t0
  ``plan_avg_growth``      g = geometric mean of yearly growth, R = g/g*, on_track if R ≥ 0.95; growth still required
  ``plan_bound``           floors / caps / 保持稳定: every reported year must satisfy the bound
  ``plan_total``           a total to deliver over the plan (改造老旧小区1500个): B = 0, A = the yearly amounts
                           added up; with years missing A is only a lower bound, so a shortfall is not_assessable
  ``*_final``              t = tT: met / basically_met / not_met by the annual comparison
  ``qualitative``          省下达目标, 全省领先 …: not_assessable — met when the row says 省未下达目标视为完成
A forecast extrapolates the observed CAGR to tT: Q ≥ 1 on_course, 0 < Q < 1 needs_acceleration, Q ≤ 0 reversing.
Lower-is-better indicators flip the comparisons; ratios of differences (p, Q) need no flip.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from importlib import resources

import yaml

from .indicators import resolve
from .links import METHODS, Horizon, infer_review_years, parse_period, target_horizon, unit_factor, unit_key
from .model import Assessment, Claim, Indicator, Link

EPS = 1e-9


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of the rules; printed into each Assessment so a reader sees what was applied."""

    rate_tolerance: float = 0.2  # percentage points: ~ on rates (growth, shares)
    level_tolerance: float = 0.01  # share of the target value: ~ on levels and counts
    basically_met_factor: float = 2.0  # basically_met within this many tolerances
    progress_margin: float = 0.05  # ahead / on_track band around 序时进度
    avg_growth_ratio: float = 0.95  # R = g/g* at or above this is on track


DEFAULT = Thresholds()

_QUALITATIVE_WORDS = ("省下达", "全省领先", "基本同步", "同步增长", "国家下达", "上级下达")
_DEEMED_MET = "视为完成"
_BOUND_HEDGES = ("以上", "超过", "超", "突破", "近", "接近", "不到", "以内", "以下", "余", "多")
_BOUND_WORDS = ("不低于", "以内", "控制在", "不高于", "不超过", "以下")


@lru_cache(maxsize=1)
def labels() -> dict:
    with resources.files("planwatch.data").joinpath("labels.zh.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def label(code: str, lang: str = "zh", group: str = "status") -> str:
    return labels()[group].get(code, {}).get(lang, code)


# --- small pure helpers ------------------------------------------------------------------------------


def _n(v: float | None) -> str:
    """5745.51 → '5745.51', 2.0 → '2', 0.0909 → '0.09' (numbers as a reader writes them)."""
    if v is None:
        return "—"
    s = f"{v:.2f}" if abs(v) >= 1 or v == 0 else f"{v:.3g}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def _years(ys: list[int]) -> str:
    """[2021, 2022, 2023] → '2021-2023'; [2021, 2023] → '2021、2023'."""
    if len(ys) > 1 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}-{ys[-1]}"
    return "、".join(str(y) for y in ys)


def _pct(v: float) -> str:
    return f"{v * 100:.1f}%"


def _valid(v) -> bool:
    return isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v))


def _is_rate(c: Claim) -> bool:
    return unit_key(c.unit)[0] == "%" or (not c.unit and c.measure in ("growth_rate", "avg_growth", "share"))


def tolerance(t: Claim, config: Thresholds = DEFAULT) -> float:
    """Tolerance of a ~ target: percentage points for rates, a share of the value for levels."""
    return config.rate_tolerance if _is_rate(t) else config.level_tolerance * abs(t.value)


def compare(t: Claim, actual: float, direction: str, config: Thresholds = DEFAULT) -> str:
    """met / basically_met / not_met of one actual value (in the target's unit) against a target."""
    T, hi = t.value, t.value_max if _valid(t.value_max) else t.value
    tol = tolerance(t, config)
    c = t.comparator
    if c == ">=":
        return "met" if actual >= T - EPS else "not_met"
    if c == "<=":
        return "met" if actual <= T + EPS else "not_met"
    if c == "range":
        if direction == "lower":
            return "met" if actual <= hi + EPS else "not_met"
        if direction == "stable":
            return "met" if T - EPS <= actual <= hi + EPS else "not_met"
        return "met" if actual >= T - EPS else "not_met"
    gap = {"lower": actual - T, "stable": abs(actual - T)}.get(direction, T - actual)  # shortfall
    if c == "~":
        if gap <= tol + EPS:
            return "met"
        return "basically_met" if gap <= config.basically_met_factor * tol + EPS else "not_met"
    if direction == "stable":
        return "met" if gap <= tol + EPS else "not_met"
    return "met" if gap <= EPS else "not_met"


def _target_text(t: Claim, unit: str) -> str:
    name = t.indicator
    if t.comparator == "range" and _valid(t.value_max):
        return f"{name}{_n(t.value)}-{_n(t.value_max)}{unit}"
    if t.comparator == "~":
        return f"{name}{_n(t.value)}{unit}左右"
    word = {">=": "不低于", "<=": "不高于"}.get(t.comparator, "")
    return f"{name}{word}{_n(t.value)}{unit}"


@dataclass(frozen=True)
class _Obs:
    """One usable actual: its year (end of its period), value in the target's unit, and its link."""

    year: int
    start: int
    value: float
    link: Link

    @property
    def claim(self) -> Claim:
        return self.link.actual


def _priority(o: _Obs) -> tuple:
    """Which of several actuals of one year speaks for it: a full year over part of it, a figure over a
    bound (91.5 over 超过90%), a final figure over a 预计 one, the target's own document and table over
    others, then the better link, then document order."""
    a, t = o.claim, o.link.target
    estimate = "estimate" in a.flags or "预计" in (a.qualifier or "")
    bound = a.comparator in (">=", "<=") or any(w in (a.qualifier or "") for w in _BOUND_HEDGES)
    near = (a.doc != t.doc, a.source != t.source)
    return (o.link.method == "annual_partial_year", bound, estimate, near, -o.link.score, a.doc, a.start)


def _obs(link: Link, review_years: Mapping[str, int]) -> _Obs | None:
    a, t = link.actual, link.target
    p = parse_period(a.period, review_years.get(a.doc))
    if p is None and link.method.startswith("annual"):
        p = parse_period("", t.target_year)
    if p is None or not _valid(a.value):
        return None
    factor = unit_factor(a.unit, t.unit) or 1.0
    return _Obs(p.end, p.start, a.value * factor, link)


def _best(obs: list[_Obs]) -> _Obs:
    return min(obs, key=_priority)


def _by_year(obs: list[_Obs]) -> dict[int, _Obs]:
    out: dict[int, list[_Obs]] = defaultdict(list)
    for o in obs:
        out[o.year].append(o)
    return {y: _best(v) for y, v in sorted(out.items())}


def _result(t: Claim, status: str, rule: str, as_of, config, obs=(), numbers=None, text="", shown=(),
            **kw) -> Assessment:
    actuals = tuple(dict.fromkeys([o.claim for o in obs] + list(shown)))
    return Assessment(target=t, actuals=actuals, status=status, as_of=as_of, numbers=numbers or {},
                      explanation=text, thresholds=asdict(config), rule=rule, **kw)


# --- the rules -----------------------------------------------------------------------------------------


def _qualitative(t: Claim, links: list[Link], as_of, config) -> Assessment | None:
    words = (t.qualifier or "") + (t.quote or "")
    if _valid(t.value) and not any(w in (t.qualifier or "") for w in _QUALITATIVE_WORDS):
        return None
    if not _valid(t.value) or any(w in words for w in _QUALITATIVE_WORDS):
        deemed = [l for l in links if _DEEMED_MET in (l.actual.quote or "") + (l.actual.qualifier or "")]
        if _DEEMED_MET in words or deemed:
            text = f"{t.indicator}目标为“{t.qualifier or '省下达目标'}”，省未下达目标，视为完成。"
            return _result(t, "met", "qualitative_deemed_met", as_of, config, numbers={"qualifier": t.qualifier},
                           text=text)
        text = f"{t.indicator}目标为“{t.qualifier or t.quote}”，无量化目标值，无法评估。"
        return _result(t, "not_assessable", "qualitative", as_of, config, numbers={"qualifier": t.qualifier}, text=text)
    return None


def _assess_annual(t: Claim, links: list[Link], h: Horizon, ind: Indicator, as_of, config, years) -> Assessment:
    Y = h.end
    unit = t.unit
    numbers = {"target": t.value, "target_max": t.value_max, "comparator": t.comparator, "unit": unit,
               "target_year": Y, "direction": ind.direction, "tolerance": tolerance(t, config)}
    if Y is not None and as_of is not None and as_of < Y:
        return _result(t, "not_reported", "annual", as_of, config, numbers=numbers,
                       text=f"目标为{_target_text(t, unit)}（{Y}年），截至{as_of}年尚未到评估年份，未报告。")
    # a link a person made answers the target whatever year its actual names
    obs = [o for l in links if l.comparable and (o := _obs(l, years)) and (o.year == Y or l.method == "human")]
    if not obs:
        bad = [l for l in links if not l.comparable]
        if bad:
            l = bad[0]
            a = l.actual
            numbers.update(actual=a.value, actual_unit=a.unit, reason=l.reason, method=l.method)
            text = (f"目标为{_target_text(t, unit)}，报告值为{a.indicator}{_n(a.value)}{a.unit}，"
                    f"{l.reason}，不可比。")
            return _result(t, "not_comparable", "annual_not_comparable", as_of, config, numbers=numbers,
                           text=text, shown=(a,))
        by = f"{as_of}年" if as_of is not None else "目前"
        text = (f"目标为{_target_text(t, unit)}，截至{by}未找到{Y}年的可比实际值，未报告。" if Y is not None
                else f"目标为{_target_text(t, unit)}，目标年份不明，未找到可比实际值，未报告。")
        return _result(t, "not_reported", "annual", as_of, config, numbers=numbers, text=text)
    best = _best(obs)
    status = compare(t, best.value, ind.direction, config)
    partial = best.link.method == "annual_partial_year"
    numbers.update(actual=best.value, actual_year=best.year, method=best.link.method, partial=partial)
    note = "（部分月份数据）" if partial else ""
    text = (f"目标为{_target_text(t, unit)}，{Y}年实际为{_n(best.value)}{unit}{note}，"
            f"{label(status, 'sentence')}。")
    return _result(t, status, "annual", as_of, config, obs=[best], numbers=numbers, text=text)


def _plan_obs(links, h: Horizon, as_of, years, methods) -> list[_Obs]:
    out = []
    for l in links:
        if not l.comparable or l.method not in methods:
            continue
        o = _obs(l, years)
        if o is None or (h.end is not None and o.year > h.end) or (as_of is not None and o.year > as_of):
            continue
        if h.start is not None and o.year <= h.start:
            continue
        out.append(o)
    return out


def _baseline(t: Claim, links, h: Horizon, years, methods=("plan_baseline",)) -> tuple[float | None, int | None, list]:
    if _valid(t.baseline_value) and t.measure not in ("cumulative_change", "change") and \
            (h.start is None or t.baseline_year in (None, h.start)):
        return t.baseline_value, t.baseline_year or h.start, []
    obs = [o for l in links if l.comparable and l.method in methods and (o := _obs(l, years))]
    obs = [o for o in obs if o.start == o.year]  # a single year, not the previous plan's average
    if not obs:
        return None, h.start, []
    b = _best(obs)
    return b.value, b.year, [b]


def _forecast(A, B, T, t, t0, tT) -> tuple[str, float | None, float | None]:
    """Extrapolate the observed CAGR (linear when a value is not positive) to tT → (code, Â, Q)."""
    if None in (B, t0) or t <= t0 or tT <= t or abs(T - B) < EPS:
        return "", None, None
    if A > 0 and B > 0:
        rate = (A / B) ** (1 / (t - t0))
        est = A * rate ** (tT - t)
    else:
        est = A + (A - B) / (t - t0) * (tT - t)
    q = (est - B) / (T - B)
    code = "on_course" if q >= 1 - EPS else "needs_acceleration" if q > EPS else "reversing"
    return code, est, q


def _schedule_status(p: float, s: float, config: Thresholds) -> str:
    if p >= s + config.progress_margin - EPS:
        return "ahead"
    return "on_track" if p >= s - config.progress_margin - EPS else "lagging"


def _is_bound(t: Claim, B: float | None, direction: str) -> str:
    """'stable' | 'floor' | 'cap' | '' — targets every year must satisfy rather than progress toward."""
    q = t.qualifier or ""
    if "稳定" in q:
        return "stable"
    if t.comparator in (">=", "<="):
        kind = "floor" if t.comparator == ">=" else "cap"
        if any(w in q for w in _BOUND_WORDS):
            return kind
        if B is not None and ((kind == "floor" and B >= t.value - EPS) or (kind == "cap" and B <= t.value + EPS)):
            return kind
    if B is not None and _valid(t.value) and abs(t.value - B) < EPS:  # 3.5 → 3.5: hold the line
        return {"higher": "floor", "lower": "cap"}.get(direction, "stable")
    return ""


def _assess_bound(t, kind, links, h, ind, as_of, config, years, B, by) -> Assessment:
    bound = t.value if _valid(t.value) else B
    tol = tolerance(t, config) if kind == "stable" else 0.0
    obs = _by_year(_plan_obs(links, h, as_of, years, ("plan_yearly",)))
    lower = kind == "cap" or (kind == "stable" and ind.direction == "lower")
    ok = {y: (o.value <= bound + tol + EPS) if lower else (o.value >= bound - tol - EPS) for y, o in obs.items()}
    numbers = {"target": bound, "bound": kind, "unit": t.unit, "target_year": h.end, "baseline": B,
               "baseline_year": by, "years": {y: o.value for y, o in obs.items()},
               "violations": [y for y, good in ok.items() if not good], "tolerance": tol}
    word = {"floor": "不低于", "cap": "不高于", "stable": "保持稳定在"}[kind]
    if not obs:
        return _result(t, "not_reported", "plan_bound", as_of, config, numbers=numbers,
                       text=f"{t.indicator}目标{word}{_n(bound)}{t.unit}，尚无{h.start or ''}年以后的实际值，未报告。")
    final = h.end in obs
    bad = numbers["violations"]
    status = ("met" if not bad else "not_met") if final else ("on_track" if not bad else "lagging")
    y1, y2 = min(obs), max(obs)
    span = f"{y1}年" if y1 == y2 else f"{y1}-{y2}年各年"
    detail = ("均达到要求" if y1 != y2 else "达到要求") if not bad else f"{'、'.join(str(y) for y in bad)}年未达到要求"
    if bad and y1 != y2:
        span = f"{y1}-{y2}年中"
    extreme = max(o.value for o in obs.values()) if lower else min(o.value for o in obs.values())
    text = (f"{t.indicator}目标{word}{_n(bound)}{t.unit}，{span}{detail}"
            f"（{'最高' if lower else '最低'}{_n(extreme)}{t.unit}），{label(status, 'sentence')}。")
    return _result(t, status, "plan_bound_final" if final else "plan_bound", as_of, config,
                   obs=list(obs.values()), numbers=numbers, text=text)


def _assess_avg_growth(t, links, h, ind, as_of, config, years) -> Assessment:
    g_star = t.value if not (t.comparator == "range" and ind.direction == "lower") else t.value_max
    yearly = _by_year(_plan_obs(links, h, as_of, years, ("plan_yearly_growth",)))
    periods = _plan_obs(links, h, as_of, years, ("plan_period_growth",))
    numbers = {"target": g_star, "target_max": t.value_max, "comparator": t.comparator, "unit": "%",
               "target_year": h.end, "baseline_year": h.start, "years": {y: o.value for y, o in yearly.items()}}
    used: list[_Obs] = list(yearly.values())
    g = last = first = None
    if yearly:
        prod = math.prod(1 + o.value / 100 for o in yearly.values())
        g = (prod ** (1 / len(yearly)) - 1) * 100
        last, first = max(yearly), min(yearly)
    period = max(periods, key=lambda o: (o.year, -o.start), default=None)
    if period is not None and (last is None or period.year >= last):
        g, last, first, used = period.value, period.year, period.start, [period]
    if g is None:
        return _result(t, "not_reported", "plan_avg_growth", as_of, config, numbers=numbers,
                       text=f"{t.indicator}目标年均增长{_n(g_star)}%，尚无规划期内的增长实际值，未报告。")
    k = (last - h.start) if h.start is not None else len(yearly) or 1
    missing = [] if used and used[0].link.method == "plan_period_growth" or h.start is None else \
        [y for y in range(h.start + 1, last + 1) if y not in yearly]
    ratio = g / g_star if abs(g_star) > EPS else None
    required = None
    if h.start is not None and h.end is not None and h.end > last:
        need = (1 + g_star / 100) ** (h.end - h.start) / (1 + g / 100) ** k
        required = (need ** (1 / (h.end - last)) - 1) * 100
    numbers.update(realized_growth=g, ratio=ratio, required_growth=required, actual_year=last, missing_years=missing)
    if last == h.end:
        status, rule = compare(t, g, ind.direction, config), "plan_avg_growth_final"
    else:
        rule = "plan_avg_growth"
        if ind.direction == "lower":
            good = g <= g_star + (1 - config.avg_growth_ratio) * abs(g_star) + EPS
        else:
            good = ratio is not None and ratio >= config.avg_growth_ratio - EPS if g_star > 0 else g >= g_star - EPS
        status = "on_track" if good else "lagging"
    if first == last:
        text = f"{t.indicator}目标年均增长{_n(g_star)}%，{last}年实际增长{_n(g)}%"
    else:
        text = f"{t.indicator}目标年均增长{_n(g_star)}%，{first}-{last}年实际年均增长{_n(g)}%"
    notes = [f"为目标的{_pct(ratio)}"] if ratio is not None else []
    if missing:  # the required growth then assumes the missing years grew at the known average
        notes.append(f"缺{_years(missing)}年数据，按已知年份平均计")
    if notes:
        text += f"（{'；'.join(notes)}）"
    if required is not None:
        text += f"，其余年份需年均增长{_n(required)}%"
    text += f"，{label(status, 'sentence')}。"
    return _result(t, status, rule, as_of, config, obs=used, numbers=numbers, text=text,
                   required_growth=required)


def _assess_progress(t, links, h, ind, as_of, config, years, change: bool) -> Assessment:
    """Level/share targets (B → T) and cumulative-change targets ([x] since t0, B = 0)."""
    derived_from = None  # the average growth a level was worked out from, when no level is reported
    T = t.value_max if t.comparator == "range" and ind.direction == "lower" and _valid(t.value_max) else t.value
    if change:
        B0, by0, base_obs = _baseline(t, links, h, years, ("plan_baseline_level",))
        obs = _plan_obs(links, h, as_of, years, ("plan_period_change",))
        if B0 is not None:
            obs += [
                _Obs(o.year, o.start, o.value - B0, o.link)
                for o in _plan_obs(links, h, as_of, years, ("plan_change_via_level",))
            ]
        B, by = 0.0, h.start
    else:
        B, by, base_obs = _baseline(t, links, h, years)
        obs = _plan_obs(links, h, as_of, years, ("plan_yearly", "plan_period_total"))
        if not obs and B is not None and h.start is not None:
            # no level reported, but the period's average growth is: the level it implies, B·(1+g)^n
            for g in _plan_obs(links, h, as_of, years, ("plan_level_via_growth",)):
                derived_from = g.value
                obs.append(_Obs(g.year, g.year, B * (1 + g.value / 100) ** (g.year - h.start), g.link))
    kind = "" if change else _is_bound(t, B, ind.direction)
    if kind:
        return _assess_bound(t, kind, links, h, ind, as_of, config, years, B, by)
    unit = t.unit
    byy = _by_year(obs)
    numbers = {"target": t.value, "target_max": t.value_max, "comparator": t.comparator, "unit": unit,
               "target_year": h.end, "baseline": B, "baseline_year": by, "direction": ind.direction,
               "years": {y: o.value for y, o in byy.items()}}
    rule = "plan_change" if change else "plan_progress"
    if not byy:
        return _result(t, "not_reported", rule, as_of, config, obs=base_obs, numbers=numbers,
                       text=f"{t.indicator}目标{h.end or ''}年{_target_text(t, unit)[len(t.indicator):]}，"
                            f"尚无{by or ''}年以后的实际值，未报告。")
    t_last = max(byy)
    last = byy[t_last]
    A = last.value
    numbers.update(actual=A, actual_year=t_last)
    status = compare(t, A, ind.direction, config)
    what = "累计变化" if change else ""
    if t_last == h.end:  # final evaluation: the plan year itself is reported
        how = f"（由{by}年{_n(B)}{unit}按年均增长{_n(derived_from)}%推算）" if derived_from is not None else ""
        if derived_from is not None:
            numbers.update(derived_from_avg_growth=derived_from)
        text = (f"{t.indicator}目标{h.end}年{what}{_target_text(t, unit)[len(t.indicator):]}，"
                f"{h.end}年实际{what}为{_n(A)}{unit}{how}，{label(status, 'sentence')}。")
        return _result(t, status, rule + "_final", as_of, config, obs=base_obs + [last], numbers=numbers, text=text)
    if B is None or h.start is None or h.end is None or abs(T - B) < EPS:
        status = "achieved" if status == "met" else "not_assessable"
        why = "已达到目标" if status == "achieved" else "缺少基期值，无法计算进度"
        text = f"{t.indicator}目标{_target_text(t, unit)[len(t.indicator):]}，{t_last}年为{_n(A)}{unit}，{why}。"
        return _result(t, status, rule, as_of, config, obs=base_obs + [last], numbers=numbers, text=text)
    s = (t_last - h.start) / (h.end - h.start)
    p = (A - B) / (T - B)
    status = "achieved" if status == "met" else _schedule_status(p, s, config)
    fc, est, q = _forecast(A, B, T, t_last, h.start, h.end)
    required = None
    if not change and not _is_rate(t) and A > 0 and T > 0:
        required = ((T / A) ** (1 / (h.end - t_last)) - 1) * 100
    numbers.update(progress=p, time_progress=s, required_growth=required,
                   required_change_per_year=(T - A) / (h.end - t_last), forecast_value=est, forecast_ratio=q)
    if change:
        head = f"{t.indicator}目标{h.start}-{h.end}年累计变化{_n(T)}{unit}，{h.start}-{t_last}年累计变化{_n(A)}{unit}"
    else:
        head = (f"{t.indicator}由{by}年的{_n(B)}{unit}变为{t_last}年的{_n(A)}{unit}，"
                f"目标{h.end}年{_target_text(t, unit)[len(t.indicator):]}")
    text = f"{head}，完成进度{_pct(p)}，序时进度{_pct(s)}，{label(status, 'sentence')}"
    if fc and status != "achieved":
        text += f"；{label(fc, 'sentence', 'forecast')}"
    text += "。"
    return _result(t, status, rule, as_of, config, obs=base_obs + [last], numbers=numbers, text=text,
                   progress=p, time_progress=s, required_growth=required, forecast=fc)


def _assess_total(t, links, h, ind, as_of, config, years) -> Assessment:
    """A plan-period total of a flow quantity: the yearly amounts since t0 add up toward T."""
    yearly = _by_year(_plan_obs(links, h, as_of, years, ("plan_yearly_amount",)))
    running = _by_year(_plan_obs(links, h, as_of, years, ("plan_running_total",)))
    unit = t.unit
    numbers = {"target": t.value, "comparator": t.comparator, "unit": unit, "target_year": h.end, "baseline": 0.0,
               "baseline_year": h.start, "years": {y: o.value for y, o in yearly.items()}}
    if not yearly and not running:
        return _result(t, "not_reported", "plan_total", as_of, config, numbers=numbers,
                       text=f"{t.indicator}目标{h.end or ''}年累计{_n(t.value)}{unit}，尚无规划期内的实际值，未报告。")
    last_year = max(list(yearly) + list(running))
    missing = [y for y in range(h.start + 1, last_year + 1) if y not in yearly] if h.start is not None else []
    total, used = sum(o.value for o in yearly.values()), list(yearly.values())
    if running and (not yearly or max(running) >= max(yearly) and running[max(running)].value >= total):
        # a stated running total covers the years it speaks for
        r = running[max(running)]
        total, used, missing = r.value, [r], []
    numbers.update(actual=total, actual_year=last_year, missing_years=missing)
    status = compare(t, total, ind.direction, config)
    known = f"{_years(sorted(yearly))}年合计" if used and used[0].link.method == "plan_yearly_amount" else "累计"
    if last_year == h.end and not missing:
        text = f"{t.indicator}目标累计{_n(t.value)}{unit}，{known}{_n(total)}{unit}，{label(status, 'sentence')}。"
        return _result(t, status, "plan_total_final", as_of, config, obs=used, numbers=numbers, text=text)
    if status != "met" and (h.start is None or h.end is None):
        return _result(t, "not_assessable", "plan_total", as_of, config, obs=used, numbers=numbers,
                       text=f"{t.indicator}目标累计{_n(t.value)}{unit}，{known}{_n(total)}{unit}，规划期不明，无法评估。")
    if status == "met":
        status, p, s = "achieved", None, None
    else:
        s = (last_year - h.start) / (h.end - h.start)
        p = total / t.value if abs(t.value) > EPS else None
        status = _schedule_status(p, s, config) if p is not None else "not_assessable"
        numbers.update(progress=p, time_progress=s)
        if missing and status == "lagging":  # a lower bound that falls short says nothing
            status = "not_assessable"
    text = f"{t.indicator}目标{h.end}年累计{_n(t.value)}{unit}，{known}{_n(total)}{unit}"
    if missing:
        text += f"（缺{_years(missing)}年数据）"
    if status in ("ahead", "on_track", "lagging"):
        text += f"，完成进度{_pct(p)}，序时进度{_pct(s)}"
    text += f"，{label(status, 'sentence')}。"
    return _result(t, status, "plan_total", as_of, config, obs=used, numbers=numbers, text=text,
                   progress=p, time_progress=s)


def _as_rule(link: Link, h: Horizon, target: Claim, years) -> Link:
    """A link made by a person (method not one of links.METHODS) → the rule that would read it."""
    if link.method in METHODS:
        return link
    if h.kind != "plan":
        return replace(link, method="human")
    a = link.actual
    p = parse_period(a.period, years.get(a.doc))
    if p is not None and h.start is not None and p.end <= h.start:
        method = "plan_baseline"
    elif target.measure in ("avg_growth", "growth_rate"):
        method = "plan_period_growth" if a.measure == "avg_growth" or (p and not p.single) else "plan_yearly_growth"
    elif target.measure in ("cumulative_change", "change"):
        method = "plan_period_change" if a.measure in ("change", "cumulative_change") else "plan_change_via_level"
    else:
        method = "plan_yearly"
    return replace(link, method=method)


# --- entry points ----------------------------------------------------------------------------------------


def assess(target: Claim, links: list[Link], as_of: int | None = None, config: Thresholds = DEFAULT,
           review_years: Mapping[str, int] | None = None) -> Assessment:
    """The verdict on one target as of a year (None: everything known), from the links made for it.

    `review_years` (doc → the year its actuals speak of) places actuals whose period has no year; by
    default it is inferred from the linked claims themselves, as the linker does.
    """
    links = [l for l in links if l.target == target]
    years = infer_review_years([target] + [l.actual for l in links])
    if review_years:
        years.update(review_years)
    return _assess(target, links, as_of, config, years)


def _assess(target: Claim, links: list[Link], as_of: int | None, config: Thresholds,
            years: Mapping[str, int]) -> Assessment:
    """`assess` with this target's links and the review years already settled."""
    ind = resolve(target.indicator, target.measure, target.unit).indicator
    if (q := _qualitative(target, links, as_of, config)) is not None:
        return q
    h = target_horizon(target, years.get(target.doc))
    links = [_as_rule(l, h, target, years) for l in links]
    if h.kind == "plan" or any(l.method.startswith("plan_") for l in links):
        if h.kind != "plan":
            h = Horizon("plan", h.end, None)
        fam = {"avg_growth": "growth", "growth_rate": "growth", "cumulative_change": "change", "change": "change"}
        kind = fam.get(target.measure) or ("growth" if ind.measure in ("growth_rate", "avg_growth") else "")
        if kind == "growth":
            return _assess_avg_growth(target, links, h, ind, as_of, config, years)
        if any(l.method in ("plan_yearly_amount", "plan_running_total") for l in links):
            return _assess_total(target, links, h, ind, as_of, config, years)
        return _assess_progress(target, links, h, ind, as_of, config, years, change=kind == "change")
    return _assess_annual(target, links, h, ind, as_of, config, years)


def assess_all(targets: list[Claim], links: list[Link], as_of: int | None = None,
               config: Thresholds = DEFAULT, review_years: Mapping[str, int] | None = None) -> list[Assessment]:
    """One Assessment per target, in target order."""
    # Links are grouped by target object (the linker hands back the objects it was given), and by value only
    # for a link whose target is an equal object from elsewhere: hashing every field of a Claim per link was
    # most of the time at millions of links.
    by_object: dict[int, list[Link]] = defaultdict(list)
    by_value: dict[Claim, list[Link]] = defaultdict(list)
    given = {id(t) for t in targets}
    for l in links:
        (by_object[id(l.target)] if id(l.target) in given else by_value[l.target]).append(l)
    if len(set(targets)) != len(targets):  # equal targets share their links, as grouping by value did
        for l in [l for group in by_object.values() for l in group]:
            by_value[l.target].append(l)
        by_object.clear()
    # Inferred once over every claim: what `assess` would infer from one target's links is a subset of it,
    # and would be overridden by it key for key.
    years = infer_review_years(list(targets) + [l.actual for l in links])
    if review_years:
        years.update(review_years)
    return [_assess(t, by_object.get(id(t), []) + (by_value.get(t, []) if by_value else []), as_of, config, years)
            for t in targets]
