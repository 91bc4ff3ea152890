"""Step 7, assess: the rules of DESIGN.md "Assessment rules", on hand-built claims and golden cases."""
from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from planwatch.assess import DEFAULT, Thresholds, assess, assess_all, compare, label, labels
from planwatch.links import link_claims
from planwatch.model import Claim, Link

GOLDEN = Path(__file__).parent / "golden" / "assess.jsonl"
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "nanchang"
_pos = iter(range(20_000, 20_000_000, 50))


def claim(kind="target", **kw) -> Claim:
    start = kw.pop("start", None) or next(_pos)
    kw.setdefault("doc", "001" if kind == "target" else "000")
    base = dict(start=start, end=start + 10, quote=kw.get("indicator", ""), kind=kind, measure="level",
                indicator="", region="南昌市", value=0.0, unit="")
    base.update(kw)
    if base["value"] is None:
        base["value"] = math.nan  # a qualitative cell (省下达目标): no number
    base["flags"] = tuple(base.get("flags", ()))
    return Claim(**base)


def run(target: Claim, actuals: list[Claim], as_of: int | None = 2024, config=DEFAULT, review_years=None):
    links = link_claims([target], actuals, review_years=review_years)
    [a] = assess_all([target], links, as_of, config, review_years=review_years)
    return a


# --- golden cases ---------------------------------------------------------------------------------------

CASES = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden(case):
    target = claim("target", **case["target"])
    actuals = [claim("actual", **a) for a in case["actuals"]]
    a = run(target, actuals, case["as_of"], review_years=case.get("review_years"))
    exp = case["expect"]
    assert a.status == exp["status"], a.explanation
    if "rule" in exp:
        assert a.rule == exp["rule"]
    for key in ("progress", "time_progress"):
        if key in exp:
            assert getattr(a, key) == pytest.approx(exp[key], abs=1e-3)
    if "forecast" in exp:
        assert a.forecast == exp["forecast"]
    if "actual" in exp:
        assert a.numbers["actual"] == pytest.approx(exp["actual"])
    for piece in exp.get("explanation", []):
        assert piece in a.explanation, a.explanation
    assert a.explanation.endswith("。") and a.thresholds == {
        "rate_tolerance": 0.2, "level_tolerance": 0.01, "basically_met_factor": 2.0, "progress_margin": 0.05,
        "avg_growth_ratio": 0.95}


def test_golden_cases_cover_every_status():
    statuses = {c["expect"]["status"] for c in CASES}
    assert statuses == {"met", "basically_met", "not_met", "not_reported", "not_comparable", "achieved", "ahead",
                        "on_track", "lagging", "not_assessable"}


# --- the comparison and its tolerance edges --------------------------------------------------------------


@pytest.mark.parametrize("actual,status", [
    (5.3, "met"), (5.0, "met"), (4.8, "met"), (4.79, "basically_met"), (4.6, "basically_met"), (4.59, "not_met")])
def test_about_tolerance_on_rates(actual, status):
    t = claim(measure="growth_rate", value=5.0, unit="%", comparator="~")
    assert compare(t, actual, "higher") == status


@pytest.mark.parametrize("actual,status", [(1000, "met"), (990, "met"), (989.9, "basically_met"), (980, "basically_met"),
                                           (979.9, "not_met")])
def test_about_tolerance_on_levels_is_one_percent(actual, status):
    t = claim(value=1000, unit="亿元", comparator="~")
    assert compare(t, actual, "higher") == status


@pytest.mark.parametrize("actual,status", [(3.0, "met"), (3.2, "met"), (3.3, "basically_met"), (3.41, "not_met"), (0.0, "met")])
def test_lower_is_better_flips_the_about_tolerance(actual, status):
    t = claim(measure="growth_rate", value=3.0, unit="%", comparator="~")  # 居民消费价格涨幅3%左右
    assert compare(t, actual, "lower") == status


def test_comparators():
    ge = claim(value=42, unit="亿斤", comparator=">=")
    assert compare(ge, 42, "higher") == "met" and compare(ge, 41.99, "higher") == "not_met"
    le = claim(value=4.5, unit="%", comparator="<=")
    assert compare(le, 4.5, "lower") == "met" and compare(le, 4.51, "lower") == "not_met"
    rng = claim(value=62, value_max=64, unit="%", comparator="range")
    assert compare(rng, 63, "higher") == "met" and compare(rng, 66, "higher") == "met"
    assert compare(rng, 61.9, "higher") == "not_met"
    assert compare(rng, 66, "stable") == "not_met" and compare(rng, 64, "lower") == "met"
    eq = claim(value=27, unit="个")
    assert compare(eq, 27, "higher") == "met" and compare(eq, 26, "higher") == "not_met"
    assert compare(eq, 26, "lower") == "met"


def test_thresholds_are_configuration():
    t = claim(measure="growth_rate", value=5.0, unit="%", comparator="~", target_year=2024, indicator="地区生产总值")
    a = claim("actual", measure="growth_rate", value=4.7, unit="%", period="2024", indicator="地区生产总值")
    assert run(t, [a]).status == "basically_met"
    loose = Thresholds(rate_tolerance=0.3)
    res = run(t, [a], config=loose)
    assert res.status == "met" and res.thresholds["rate_tolerance"] == 0.3
    with pytest.raises(Exception):
        DEFAULT.rate_tolerance = 1.0  # frozen


# --- annual ------------------------------------------------------------------------------------------------


def test_partial_year_actual_is_used_and_flagged():
    t = claim(measure="growth_rate", value=6.5, unit="%", comparator="~", target_year=2024, indicator="规上工业增加值")
    part = claim("actual", measure="growth_rate", value=6.6, unit="%", period="2024-01..2024-11", indicator="规上工业增加值")
    a = run(t, [part])
    assert a.status == "met" and a.numbers["partial"] is True and "部分月份" in a.explanation
    full = claim("actual", doc="009", measure="growth_rate", value=6.2, unit="%", period="2024", indicator="规上工业增加值")
    a = run(t, [part, full])
    assert a.status == "basically_met" and a.numbers["actual"] == 6.2 and a.numbers["partial"] is False


def test_not_yet_due_and_units_converted():
    t = claim(value=3600, unit="亿元", comparator=">=", target_year=2024, indicator="社会消费品零售总额")
    a = claim("actual", value=3.65e7, unit="万元", period="2024", indicator="社会消费品零售总额")
    res = run(t, [a])
    assert res.status == "met" and res.numbers["actual"] == pytest.approx(3650)
    assert run(t, [a], as_of=2023).status == "not_reported"


def test_issue_example_sentence():
    t = claim(measure="count_new", indicator="推进城中村改造", value=27, unit="个", target_year=2024)
    a = claim("actual", measure="count", indicator="推进城中村改造项目", value=26, unit="个", period="2024")
    res = run(t, [a])
    assert res.explanation == "目标为推进城中村改造27个，2024年实际为26个，未完成目标。"
    assert res.numbers["target"] == 27 and res.numbers["actual"] == 26 and res.numbers["actual_year"] == 2024
    assert res.actuals == (a,)


# --- plan targets ------------------------------------------------------------------------------------------


def _plan_share(**kw):
    return claim(doc="004", source="table", measure="share", unit="%", target_year=2025, baseline_year=2020, **kw)


@pytest.mark.parametrize("value,status", [(4.3, "ahead"), (4.2, "on_track"), (4.1, "on_track"), (4.09, "lagging"),
                                          (5.0, "achieved")])
def test_progress_against_time_progress_margin(value, status):
    t = _plan_share(indicator="文化产业增加值占GDP比重", value=5, baseline_value=3)  # s = 0.6 in 2023
    a = claim("actual", doc="d23", period="2023", measure="share", unit="%", indicator="文化产业增加值占GDP比重", value=value)
    res = run(t, [a])
    assert res.status == status and res.time_progress == pytest.approx(0.6)
    assert res.progress == pytest.approx((value - 3) / 2)


def test_progress_margin_is_configurable():
    t = _plan_share(indicator="文化产业增加值占GDP比重", value=5, baseline_value=3)
    a = claim("actual", doc="d23", period="2023", measure="share", unit="%", indicator="文化产业增加值占GDP比重", value=4.1)
    assert run(t, [a], config=Thresholds(progress_margin=0.0)).status == "lagging"


def test_rd_intensity_mid_term_numbers():
    t = _plan_share(indicator="研发支出占地区生产总值比重", value=2.5, comparator="~", baseline_value=1.95)
    acts = [claim("actual", doc="001", period="2023", measure="share", unit="%", indicator="研发投入强度", value=1.98),
            claim("actual", doc="000", period="2024", measure="share", unit="%", indicator="全社会研发投入强度", value=2.0)]
    res = run(t, acts)
    assert res.status == "lagging" and res.rule == "plan_progress"
    assert res.progress == pytest.approx(0.05 / 0.55) and res.time_progress == pytest.approx(0.8)
    assert res.numbers["actual_year"] == 2024 and res.numbers["baseline"] == 1.95
    assert res.numbers["required_change_per_year"] == pytest.approx(0.5)
    assert res.forecast == "needs_acceleration"
    q = ((2.0 * (2.0 / 1.95) ** 0.25) - 1.95) / 0.55
    assert res.numbers["forecast_ratio"] == pytest.approx(q)
    assert "9.1%" in res.explanation and "80.0%" in res.explanation


def test_cumulative_change_target_via_levels_matches_share_progress():
    t = claim(doc="004", source="table", indicator="研发支出占地区生产总值比重", measure="cumulative_change", value=0.55,
              unit="百分点", period="2021-2025", target_year=2025)
    acts = [claim("actual", doc="004", source="table", period="2020", measure="share", unit="%", indicator="研发支出占地区生产总值比重", value=1.95),
            claim("actual", doc="000", period="2024", measure="share", unit="%", indicator="全社会研发投入强度", value=2.0)]
    res = run(t, acts)
    assert res.rule == "plan_change" and res.status == "lagging"
    assert res.progress == pytest.approx(0.05 / 0.55)


def test_level_target_required_growth():
    t = claim(doc="004", source="table", indicator="地区生产总值", value=8200, unit="亿元", target_year=2025,
              baseline_value=5745.51, baseline_year=2020)
    a = claim("actual", doc="d23", period="2023", indicator="地区生产总值", value=7200, unit="亿元")
    res = run(t, [a])
    assert res.required_growth == pytest.approx(((8200 / 7200) ** 0.5 - 1) * 100)
    assert res.numbers["required_growth"] == res.required_growth


@pytest.mark.parametrize("value,forecast", [(7300, "on_course"), (7000, "needs_acceleration"), (5600, "reversing")])
def test_anticipated_progress(value, forecast):
    t = claim(doc="004", indicator="地区生产总值", value=8200, unit="亿元", target_year=2025, baseline_value=5745.51,
              baseline_year=2020)
    a = claim("actual", doc="d23", period="2023", indicator="地区生产总值", value=value, unit="亿元")
    assert run(t, [a]).forecast == forecast


def test_lower_is_better_plan_progress():
    t = claim(doc="004", indicator="亿元GDP安全生产死亡事故率", measure="share", value=0.027, unit="%", target_year=2025,
              baseline_value=0.038, baseline_year=2020)
    a = claim("actual", doc="d23", period="2023", indicator="亿元GDP生产安全事故死亡率", measure="share", value=0.03, unit="%")
    res = run(t, [a])
    assert res.progress == pytest.approx((0.03 - 0.038) / (0.027 - 0.038))  # 0.727 > s 0.6 + 0.05
    assert res.status == "ahead" and res.forecast == "on_course"
    worse = replace(a, value=0.04)
    res = run(t, [worse])
    assert res.status == "lagging" and res.forecast == "reversing"
    done = replace(a, value=0.025)
    assert run(t, [done]).status == "achieved"


def test_avg_growth_ratio_and_required_growth():
    t = claim(doc="004", source="table", indicator="规模以上工业增加值增速", measure="growth_rate", value=7.5, unit="%",
              comparator="~", period="2021-2025", target_year=2025)
    yearly = {2021: 8.0, 2022: 6.0, 2023: 7.0}
    acts = [claim("actual", doc=f"d{y}", period=str(y), indicator="规上工业增加值", measure="growth_rate", value=v, unit="%")
            for y, v in yearly.items()]
    res = run(t, acts)
    prod = 1.08 * 1.06 * 1.07
    g = (prod ** (1 / 3) - 1) * 100
    assert res.numbers["realized_growth"] == pytest.approx(g)
    assert res.numbers["ratio"] == pytest.approx(g / 7.5)
    assert res.required_growth == pytest.approx(((1.075 ** 5 / prod) ** 0.5 - 1) * 100)
    assert res.status == "lagging"  # g = 6.99 % → R = 0.93 < 0.95
    assert res.numbers["years"] == yearly
    faster = [replace(a, value=a.value + 0.5) for a in acts]  # g = 7.5 % → R = 1.0
    assert run(t, faster).status == "on_track"
    assert run(t, faster, config=Thresholds(avg_growth_ratio=1.01)).status == "lagging"


def test_avg_growth_final_uses_the_period_average():
    t = claim(doc="004", source="table", indicator="出口总额", measure="growth_rate", value=3, unit="%", comparator=">=",
              period="2016-2020", target_year=2020)
    a = claim("actual", doc="004", source="table", indicator="出口总额", measure="avg_growth", value=3.9, unit="%",
              period="2016-2020")
    res = run(t, [a])
    assert res.status == "met" and res.rule == "plan_avg_growth_final" and res.numbers["ratio"] == pytest.approx(1.3)


def test_avg_growth_with_missing_years_says_so():
    t = claim(doc="004", source="table", indicator="地区生产总值", measure="growth_rate", value=7.5, unit="%",
              comparator="~", period="2021-2025", target_year=2025)
    a = claim("actual", doc="001", period="2023", indicator="地区生产总值", measure="growth_rate", value=4.0, unit="%",
              qualifier="预计|左右", flags=("estimate",))
    res = run(t, [a])
    assert res.status == "lagging" and res.numbers["missing_years"] == [2021, 2022]
    assert res.required_growth == pytest.approx(((1.075 ** 5 / 1.04 ** 3) ** 0.5 - 1) * 100)
    assert "2023年实际增长4%" in res.explanation and "缺2021-2022年数据" in res.explanation
    assert "为目标的53.3%" in res.explanation


def test_plan_total_adds_up_yearly_amounts():
    t = claim(doc="004", indicator="老旧小区改造", measure="count_new", value=1500, unit="个", target_year=2025)
    years = {2021: 320, 2022: 300, 2023: 303, 2024: 240}
    acts = [claim("actual", doc=f"d{y}", period=str(y), indicator="改造老旧小区", measure="count", value=v, unit="个")
            for y, v in years.items()]
    res = run(t, acts, review_years={"004": 2020})
    assert res.rule == "plan_total" and res.numbers["actual"] == 1163
    assert res.progress == pytest.approx(1163 / 1500) and res.time_progress == pytest.approx(0.8)
    assert res.status == "on_track" and "2021-2024年合计1163个" in res.explanation
    # with years missing the sum is a lower bound: a shortfall cannot be judged, a lead can
    res = run(t, acts[2:], review_years={"004": 2020})
    assert res.status == "not_assessable" and res.numbers["missing_years"] == [2021, 2022]
    big = [replace(a, value=700) for a in acts[2:]]
    assert run(t, big, review_years={"004": 2020}).status == "ahead"
    # the final year reported: met or not
    final = acts + [claim("actual", doc="d2025", period="2025", indicator="改造老旧小区", measure="count", value=400, unit="个")]
    res = run(t, final, as_of=2025, review_years={"004": 2020})
    assert res.status == "met" and res.rule == "plan_total_final"


def test_floor_final_every_year_must_hold():
    t = _plan_share(indicator="空气质量优良天数比例", value=90, comparator=">=", qualifier="不低于", baseline_value=91.5)
    acts = [claim("actual", doc=f"d{y}", period=str(y), indicator="空气质量优良率", measure="share", unit="%", value=v)
            for y, v in {2021: 92.0, 2022: 89.0, 2023: 91.0, 2024: 93.0, 2025: 94.0}.items()]
    res = run(t, acts, as_of=2025)
    assert res.status == "not_met" and res.rule == "plan_bound_final" and res.numbers["violations"] == [2022]
    assert run(t, [a for a in acts if a.period != "2022"], as_of=2025).status == "met"
    assert run(t, acts[:1], as_of=2024).status == "on_track"


def test_qualitative_targets():
    t = claim(doc="004", source="table", indicator="单位GDP能源消耗降幅", measure="cumulative_change", value=None,
              qualifier="省下达目标", target_year=2025, baseline_year=2020)
    assert run(t, []).status == "not_assessable"
    deemed = replace(t, target_year=2020, qualifier="省下达的目标，省未下达目标，视为完成")
    res = run(deemed, [])
    assert res.status == "met" and "视为完成" in res.explanation


def test_assess_accepts_links_of_other_targets_and_as_of_none():
    t1 = claim(measure="count_new", indicator="老旧小区改造", value=240, unit="个", target_year=2024)
    t2 = claim(measure="count_new", indicator="城中村改造", value=27, unit="个", target_year=2024)
    acts = [claim("actual", measure="count", indicator="老旧小区改造", value=240, unit="个", period="2024"),
            claim("actual", measure="count", indicator="城中村改造", value=30, unit="个", period="2024")]
    links = link_claims([t1, t2], acts)
    assert assess(t1, links, None).status == "met" and assess(t2, links, None).numbers["actual"] == 30
    assert [a.target for a in assess_all([t2, t1], links, 2024)] == [t2, t1]


def test_links_made_by_people_are_answers():
    t = claim(measure="count_new", indicator="新建城市公园", value=12, unit="个", target_year=2024)
    a = claim("actual", measure="count", indicator="口袋公园", value=8, unit="个", period="2024")
    assert run(t, [a]).status == "not_reported"  # the rules do not link a pocket park to a city park
    manual = Link(target=t, actual=a, method="manual")
    res = assess(t, [manual], 2024)
    assert res.status == "not_met" and res.numbers["method"] == "human"
    plan = claim(doc="004", indicator="研发支出占地区生产总值比重", measure="share", value=2.5, unit="%", comparator="~",
                 target_year=2025, baseline_value=1.95, baseline_year=2020)
    other = claim("actual", indicator="R&D经费占比", measure="share", value=2.0, unit="%", period="2024")
    res = assess(plan, [Link(target=plan, actual=other, method="manual")], 2024)
    assert res.status == "lagging" and res.progress == pytest.approx(0.05 / 0.55)
    refused = Link(target=t, actual=a, method="manual", comparable=False, reason="口径不同")
    assert assess(t, [refused], 2024).status == "not_comparable"


def test_labels_cover_every_code():
    codes = {"met", "basically_met", "not_met", "not_reported", "not_comparable", "achieved", "ahead", "on_track",
             "lagging", "not_assessable"}
    assert set(labels()["status"]) == codes
    for code in codes:
        assert label(code) and label(code, "en") and label(code, "sentence")
    assert label("met") == "完成" and label("not_assessable") == "无法评估" and label("lagging", "en") == "lagging"
    assert label("needs_acceleration", group="forecast") == "需加快"


# --- end to end on the seeds -----------------------------------------------------------------------------


def _seed(prefix: str) -> Path:
    return next(SAMPLES.glob(f"{prefix}_*.txt"))


def test_seeds_end_to_end_2024_verdicts():
    """001's 2024 commitments against 000's 2024 results, from the seed texts through the extractor.

    The documents' region is given, as `planwatch ingest` lets a user give it (metadata inference is the
    reader's business, not the ledger's).
    """
    claims_mod = pytest.importorskip("planwatch.claims")
    from planwatch.context import infer_context
    from planwatch.read import read_document

    claims = []
    for prefix in ("001", "000"):
        doc = read_document(_seed(prefix))
        claims += claims_mod.extract_claims(doc, ctx=infer_context(doc, region="南昌市"))
    targets = [c for c in claims if c.kind == "target"]
    actuals = [c for c in claims if c.kind == "actual"]
    results = assess_all(targets, link_claims(targets, actuals), 2024)
    by_value = {(a.target.value, a.target.unit): a for a in results if a.target.target_year == 2024}
    assert by_value[(27.0, "个")].status == "not_met"
    assert by_value[(240.0, "个")].status == "met"
    assert by_value[(42.0, "亿斤")].status == "met"
    assert by_value[(14.6, "万亩")].status == "not_comparable"
