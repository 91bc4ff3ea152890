"""Step 6, links: actual ↔ target by indicator, region, period and measure."""
from __future__ import annotations

import pytest

from planwatch.links import (
    Horizon, Period, infer_review_years, link_claims, parse_period, target_horizon, unit_factor, unit_key,
)
from planwatch.model import Claim

_pos = iter(range(10_000, 10_000_000, 50))


def claim(kind="target", doc="001", **kw) -> Claim:
    start = kw.pop("start", next(_pos))
    base = dict(doc=doc, start=start, end=start + 10, quote=kw.get("indicator", ""), kind=kind, measure="level",
                indicator="", region="南昌市", value=0.0, unit="")
    base.update(kw)
    return Claim(**base)


def actual(**kw) -> Claim:
    kw.setdefault("doc", "000")
    return claim("actual", **kw)


def methods(links):
    return sorted((l.method, l.actual.value) for l in links)


# --- periods, units, horizons ------------------------------------------------------------------------


@pytest.mark.parametrize("text,default,expected", [
    ("2023", None, Period(2023, 2023)),
    ("2023年", None, Period(2023, 2023)),
    ("2021-2025", None, Period(2021, 2025)),
    ("2016—2020年", None, Period(2016, 2020)),
    ("十四五", None, Period(2021, 2025)),
    ("2023-01..2023-11", None, Period(2023, 2023, partial=True)),
    ("2023-01..2023-12", None, Period(2023, 2023)),
    ("1-11月", 2023, Period(2023, 2023, partial=True, inferred=True)),
    ("2024年1-11月", None, Period(2024, 2024, partial=True)),
    ("连续14年", 2024, Period(2024, 2024, streak=True, inferred=True)),
    ("", 2024, Period(2024, 2024, inferred=True)),
    ("", None, None),
    ("1-11月", None, None),
])
def test_parse_period(text, default, expected):
    assert parse_period(text, default) == expected


def test_units():
    assert unit_key("亿元") == ("元", 1e8)
    assert unit_key("万亩") == ("亩", 1e4)
    assert unit_key("万元/人") == ("元/人", 1e4)
    assert unit_key("个") == unit_key("项") == ("count", 1.0)
    assert unit_factor("亿元", "万元") == pytest.approx(1e4)
    assert unit_factor("万人", "人") == pytest.approx(1e4)
    assert unit_factor("个", "家") == 1.0
    assert unit_factor("", "亿元") == 1.0
    assert unit_factor("%", "百分点") == 1.0
    assert unit_factor("万美元", "元") is None
    assert unit_factor("万亩", "亿斤") is None


def test_target_horizon():
    wr = claim(value=5, measure="growth_rate", target_year=2024)
    assert target_horizon(wr) == Horizon("annual", 2024)
    assert target_horizon(wr, review_year=2023) == Horizon("annual", 2024)
    table2 = claim(doc="004", value=8200, target_year=2025, baseline_value=5745.51, baseline_year=2020)
    assert target_horizon(table2) == Horizon("plan", 2025, 2020)
    table1_growth = claim(doc="004", value=9, value_max=10, comparator="range", measure="growth_rate",
                          period="2016-2020", target_year=2020)
    assert target_horizon(table1_growth) == Horizon("plan", 2020, 2015)
    text_target = claim(doc="004", value=8200, target_year=2025)  # 力争地区生产总值8200亿元
    assert target_horizon(text_target, review_year=2020) == Horizon("plan", 2025, 2020)
    assert target_horizon(claim(value=1, target_year=2025, attribute="expected")) == Horizon("plan", 2025, 2020)
    # a 2025 work report target is annual once the document's review year (2024) is known
    assert target_horizon(claim(value=1, target_year=2025, section="十四五收官"), review_year=2024).kind == "annual"


def test_review_years_are_inferred_from_actual_periods():
    cs = [actual(doc="001", period="2023"), actual(doc="001", period="2023"), actual(doc="001", period="2022"),
          actual(doc="001", period="2023-01..2023-11"), actual(doc="004", period="2016-2020"),
          actual(doc="004", period="2020")]
    assert infer_review_years(cs) == {"001": 2023, "004": 2020}


# --- the four 2024 commitments of 001 against 000 -------------------------------------------------------


def test_issue_examples_link():
    t_village = claim(measure="count_new", indicator="推进城中村改造", value=27, unit="个", target_year=2024)
    t_old = claim(measure="count_new", indicator="老旧小区改造", value=240, unit="个", target_year=2024)
    t_grain = claim(indicator="粮食产量", value=42, unit="亿斤", comparator=">=", target_year=2024)
    t_farm = claim(measure="count_new", indicator="扎实开展年度高标准农田建设", value=14.6, unit="万亩", target_year=2024)
    acts = [
        actual(measure="count", indicator="推进城中村改造项目", value=26, unit="个", period="2024"),
        actual(measure="count", indicator="完成老旧小区改造", value=240, unit="个", period="2024"),
        actual(indicator="粮食总产连续14年", value=42, unit="亿斤", qualifier="以上", period="2024"),
        actual(measure="cumulative", indicator="累计建成高标准农田", value=262.9, unit="万亩", period="2024"),
        actual(measure="level", indicator="完成粮食播面", value=513.5, unit="万亩", period="2024"),
    ]
    links = link_claims([t_village, t_old, t_grain, t_farm], acts)
    by = {l.target.indicator: l for l in links}
    assert len(links) == 4
    assert by["推进城中村改造"].method == "annual_same_year" and by["推进城中村改造"].actual.value == 26
    assert by["老旧小区改造"].actual.value == 240
    assert by["粮食产量"].actual.value == 42
    farm = by["扎实开展年度高标准农田建设"]
    assert farm.method == "cumulative_vs_annual" and not farm.comparable and "累计" in farm.reason


def test_partial_year_and_streak():
    t = claim(measure="growth_rate", indicator="规模以上工业增加值", value=6.5, unit="%", comparator="~", target_year=2024)
    part = actual(measure="growth_rate", indicator="规上工业增加值", value=6.0, unit="%", period="2024-01..2024-11")
    links = link_claims([t], [part])
    assert [(l.method, l.score) for l in links] == [("annual_partial_year", 0.5)]
    # a yearless 1-11月 figure is placed by the document's review year
    yearless = actual(doc="002", measure="growth_rate", indicator="规上工业增加值", value=6.1, unit="%", period="1-11月")
    assert methods(link_claims([t], [yearless], review_years={"002": 2024})) == [("annual_partial_year", 6.1)]
    assert link_claims([t], [yearless]) == []
    g = claim(indicator="粮食产量", value=42, unit="亿斤", comparator=">=", target_year=2024)
    streak = actual(doc="005", indicator="粮食总产", value=42, unit="亿斤", period="连续14年")
    assert methods(link_claims([g], [streak], review_years={"005": 2024})) == [("annual_streak", 42)]


def test_annual_links_need_same_indicator_region_year_measure():
    t = claim(measure="growth_rate", indicator="地区生产总值", value=5.0, unit="%", comparator="~", target_year=2024)
    acts = [
        actual(measure="growth_rate", indicator="全市地区生产总值", value=5.2, unit="%", period="2024"),
        actual(measure="growth_rate", indicator="地区生产总值", value=4.0, unit="%", period="2023"),  # other year
        actual(measure="level", indicator="地区生产总值", value=7800, unit="亿元", period="2024"),  # level ≠ growth
        actual(measure="growth_rate", indicator="地区生产总值", value=6.0, unit="%", period="2024", region="南昌县"),
        actual(measure="growth_rate", indicator="规上工业增加值", value=7.0, unit="%", period="2024"),
        actual(measure="growth_rate", indicator="地区生产总值", value=5.1, unit="%", period="2022-2024"),  # span
    ]
    assert methods(link_claims([t], acts)) == [("annual_same_year", 5.2)]
    # an unnamed region (全市 not resolved yet) may answer
    loose = actual(measure="growth_rate", indicator="地区生产总值", value=5.3, unit="%", period="2024", region="全市")
    assert methods(link_claims([t], [loose])) == [("annual_same_year", 5.3)]


def test_count_new_target_answered_by_count_actual_but_not_by_running_total():
    t = claim(measure="count_new", indicator="新增上市公司", value=3, unit="家", comparator=">=", target_year=2024)
    acts = [actual(measure="count_new", indicator="新增上市公司", value=4, unit="家", period="2024"),
            actual(measure="cumulative", indicator="上市公司累计数量", value=60, unit="家", period="2024")]
    links = {l.actual.value: l for l in link_claims([t], acts)}
    assert links[4].comparable and links[4].method == "annual_same_year"
    assert not links[60].comparable and links[60].reason == "累计值不能回答年度目标"


def test_units_that_do_not_convert_are_not_comparable():
    t = claim(doc="004", indicator="人均地区生产总值", value=1.8, unit="万美元", comparator=">=", target_year=2025,
              baseline_year=2020, baseline_value=1.5)
    a = actual(indicator="人均地区生产总值", value=120000, unit="元", period="2024")
    [link] = link_claims([t], [a])
    assert link.method == "unit_mismatch" and not link.comparable and "万美元" in link.reason


def test_the_same_words_never_answer_themselves():
    t = claim(doc="001", start=500, end=520, measure="growth_rate", indicator="地区生产总值", value=5, unit="%",
              target_year=2024)
    a = actual(doc="001", start=505, end=515, measure="growth_rate", indicator="地区生产总值", value=5, unit="%",
               period="2024")
    assert link_claims([t], [a]) == []


# --- plan targets ----------------------------------------------------------------------------------------


def test_table1_row_links_baseline_and_final_value():
    t = claim(doc="004", source="table", indicator="森林覆盖率", measure="share", value=23.1, unit="%",
              target_year=2020, baseline_value=22.88, baseline_year=2015, attribute="binding")
    acts = [actual(doc="004", source="table", indicator="森林覆盖率", measure="share", value=22.88, unit="%", period="2015"),
            actual(doc="004", source="table", indicator="森林覆盖率", measure="share", value=21.27, unit="%", period="2020"),
            actual(doc="004", indicator="森林覆盖率", measure="share", value=21.3, unit="%", period="2021"),
            actual(doc="004", indicator="森林覆盖率", measure="share", value=22.0, unit="%", period="2012")]
    assert methods(link_claims([t], acts)) == [("plan_baseline", 22.88), ("plan_yearly", 21.27)]


def test_plan_target_links_baseline_and_yearly_actuals():
    t = claim(doc="004", source="table", indicator="研发支出占地区生产总值比重", measure="share", value=2.5, unit="%",
              comparator="~", target_year=2025, baseline_value=1.95, baseline_year=2020, attribute="expected")
    acts = [actual(doc="004", indicator="全社会R&D支出占地区生产总值比重", measure="share", value=1.95, unit="%", period="2020"),
            actual(doc="001", indicator="研发投入强度", measure="share", value=1.98, unit="%", period="2023"),
            actual(doc="000", indicator="全社会研发投入强度", measure="share", value=2.0, unit="%", period="2024"),
            actual(doc="004", indicator="研发投入强度", measure="share", value=1.59, unit="%", period="2015"),
            actual(doc="000", indicator="研发投入强度", measure="share", value=2.0, unit="%", period="2024-01..2024-06")]
    assert methods(link_claims([t], acts)) == [("plan_baseline", 1.95), ("plan_yearly", 1.98), ("plan_yearly", 2.0)]


def test_avg_growth_target_links_yearly_growth_and_period_averages():
    t = claim(doc="004", source="table", indicator="规模以上工业增加值增速", measure="growth_rate", value=7.5, unit="%",
              comparator="~", period="2021-2025", target_year=2025)
    acts = [actual(doc="004", source="table", indicator="规模以上工业增加值增速", measure="avg_growth", value=8.3, unit="%",
                   period="2016-2020"),
            actual(doc="001", indicator="规上工业增加值", measure="growth_rate", value=4.0, unit="%", period="2023"),
            actual(doc="000", indicator="规模以上工业增加值", measure="growth_rate", value=7.0, unit="%", period="2024"),
            actual(doc="000", indicator="规模以上工业增加值", measure="avg_growth", value=6.0, unit="%", period="2021-2024"),
            actual(doc="000", indicator="规模以上工业增加值", measure="level", value=2000, unit="亿元", period="2024")]
    assert methods(link_claims([t], acts)) == [("plan_baseline", 8.3), ("plan_period_growth", 6.0),
                                               ("plan_yearly_growth", 4.0), ("plan_yearly_growth", 7.0)]


def test_cumulative_change_target_links_changes_and_levels():
    t = claim(doc="004", source="table", indicator="研发支出占地区生产总值比重", measure="cumulative_change", value=0.55,
              unit="百分点", period="2021-2025", target_year=2025)
    acts = [actual(doc="004", indicator="研发支出占地区生产总值比重", measure="share", value=1.95, unit="%", period="2020"),
            actual(doc="000", indicator="研发投入强度", measure="share", value=2.0, unit="%", period="2024"),
            actual(doc="009", indicator="研发投入强度", measure="change", value=0.04, unit="百分点", period="2021-2024"),
            actual(doc="009", indicator="研发投入强度", measure="change", value=0.01, unit="百分点", period="2024")]
    assert methods(link_claims([t], acts)) == [("plan_baseline_level", 1.95), ("plan_change_via_level", 2.0),
                                               ("plan_period_change", 0.04)]


def test_links_are_deterministic_and_in_target_order():
    ts = [claim(measure="count_new", indicator=n, value=v, unit="个", target_year=2024)
          for n, v in (("城中村改造", 27), ("老旧小区改造", 240))]
    acts = [actual(measure="count", indicator=n, value=v, unit="个", period="2024")
            for n, v in (("老旧小区改造", 240), ("城中村改造项目", 26))]
    first = link_claims(ts, acts)
    assert [l.target.indicator for l in first] == ["城中村改造", "老旧小区改造"]
    assert link_claims(ts, acts) == first


def test_generic_uncatalogued_phrases_do_not_link():
    t = claim(doc="004", indicator="总投资", value=100, unit="亿元", target_year=2025, baseline_year=2020)
    a = actual(indicator="总投资", value=2500, unit="亿元", period="2024")
    assert link_claims([t], [a]) == []
    t = claim(doc="004", indicator="孺子书房开放", measure="count", value=100, unit="家", target_year=2025, baseline_year=2020)
    a = actual(indicator="孺子书房开放", measure="count", value=80, unit="家", period="2024")
    assert methods(link_claims([t], [a])) == [("plan_yearly", 80)]


def test_plan_total_of_a_flow_links_yearly_amounts_and_running_totals():
    t = claim(doc="004", indicator="老旧小区改造", measure="count_new", value=1500, unit="个", target_year=2025,
              baseline_year=2020)
    acts = [actual(indicator="改造老旧小区", measure="count", value=303, unit="个", period="2023"),
            actual(indicator="累计改造老旧小区", measure="cumulative", value=1100, unit="个", period="2024")]
    assert methods(link_claims([t], acts)) == [("plan_running_total", 1100), ("plan_yearly_amount", 303)]
    # a stock (5G基站 count) target is not a flow: its yearly values are levels
    s = claim(doc="004", indicator="5G基站", measure="count_new", value=25000, unit="个", target_year=2025,
              baseline_year=2020)
    b = actual(indicator="5G基站", measure="count", value=19500, unit="个", period="2023")
    assert methods(link_claims([s], [b])) == [("plan_yearly", 19500)]
