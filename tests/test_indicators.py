"""Step 5, indicators: the alias catalog and `resolve_indicator`."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from planwatch.indicators import (
    _load_raw, base_code, build_catalog, catalog, get_indicator, indicators, normalize_phrase, resolve,
    resolve_indicator,
)

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"

# The 31 rows of 004 表2 (十四五 main indicators), written as the table writes them.
TABLE2 = {
    "地区生产总值（亿元）": "gdp", "全员劳动生产率（万元/人）": "labor_productivity",
    "规模以上工业增加值增速（%）": "industrial_value_added_growth", "固定资产投资增速（%）": "fixed_asset_investment_growth",
    "社会消费品零售总额（亿元）": "retail_sales", "粮食综合生产能力（亿斤）": "grain_capacity",
    "文化产业增加值占GDP比重（%）": "culture_industry_share", "研发支出占地区生产总值比重（%）": "rd_intensity",
    "数字经济核心产业增加值占GDP比重（%）": "digital_core_share", "每万人口发明专利拥有量（件）": "patents_per_10k",
    "城乡居民人均可支配收入比": "urban_rural_income_ratio", "常住人口城镇化率（%）": "urbanization_rate",
    "服务业增加值占GDP比重（%）": "services_share", "进出口总额（亿元）": "trade_total",
    "实际利用外资额（亿美元）": "fdi_actual", "营商环境便利度": "business_environment",
    "单位GDP能源消耗降幅（%）": "energy_intensity_reduction", "单位GDP二氧化碳排放降幅（%）": "co2_intensity_reduction",
    "单位GDP建设用地降幅（%）": "land_intensity_reduction", "单位GDP用水量降幅（%）": "water_intensity_reduction",
    "耕地保有量（万公顷）": "cultivated_land", "森林覆盖率（%）": "forest_coverage",
    "空气质量优良天数比例（%）": "air_quality_good_days", "国考地表水达到或好于Ⅲ类水体比例（%）": "surface_water_good_share",
    "居民人均可支配收入（元）": "disposable_income", "城镇登记失业率（%）": "unemployment_rate",
    "新增劳动年龄人口平均受教育年限（年）": "schooling_years", "每千人口拥有执业（助理）医师数（人）": "doctors_per_1000",
    "基本养老保险参保率（%）": "pension_coverage", "每千人口拥有0-3岁婴幼儿托位数（个）": "childcare_places_per_1000",
    "亿元GDP安全生产死亡事故率（%）": "work_safety_death_rate",
}

# The rows of 004 表1 (十三五 completion), as written there (spaces and half-width brackets included).
TABLE1 = {
    "地区生产总值 (亿元)": "gdp", "人均地区生产总值 (元)": "gdp_per_capita", "地区生产总值占全省比重 (%)": "gdp_share_province",
    "工业营业收入 (亿元)": "industrial_revenue", "战略性新兴产业增加值 (亿元)": "strategic_emerging_value_added",
    "高新技术产业增加值占工业增加值比重 (%)": "hightech_share_of_industry", "服务业增加值 (亿元)": "services_value_added",
    "合同外资 5000 万美元及立项投资 10 亿元以上的招商引资项目数 (个)": "major_investment_projects",
    "出口总额 (亿美元)": "exports", "地方一般公共预算收入 (亿元)": "general_budget_revenue",
    "500 万元以上固定资产投资 (亿元)": "fixed_asset_investment", "全社会劳动生产率 (万元/人)": "labor_productivity",
    "全社会 R&D 支出占地区生产总值比重 (%)": "rd_intensity", "互联网普及率 (%)": "internet_penetration",
    "新增劳动力平均受教育年限 (年)": "schooling_years", "城市人口 (万人)": "urban_population",
    "城市建成区面积 (平方公里)": "built_up_area", "森林覆盖率 (%)": "forest_coverage", "森林蓄积量 (万立方米)": "forest_stock",
    "城市绿化覆盖率 (%)": "urban_green_coverage", "耕地保有量 (万公顷)": "cultivated_land",
    "城乡建设用地规模 (公顷)": "urban_rural_construction_land", "人均城市建设用地 (平方米)": "construction_land_per_capita",
    "万元 GDP 用水量 (吨)": "water_intensity", "万元 GDP 能耗 (吨标准煤/万元)": "energy_intensity",
    "煤炭消费总量 (万吨标准煤)": "coal_consumption", "万元 GDP 二氧化碳排放 (吨/万元)": "co2_intensity",
    "二氧化碳排放总量(万吨)": "co2_total", "主要河流监测断面 I-III类以上水质比率(%)": "river_section_quality",
    "江河湖泊水功能区水质达标率(%)": "water_function_zone_quality", "空气质量达标率(%)": "air_quality_good_days",
    "城区污水处理率(%)": "sewage_treatment_rate", "化学需氧量累计减少(%)": "cod_reduction", "氨氮累计减少(%)": "ammonia_reduction",
    "二氧化硫累计减少(%)": "so2_reduction", "氮氧化物累计减少(%)": "nox_reduction",
    "挥发性有机污染物累计减少(%)": "voc_reduction", "一般工业固体废物处理处置率(%)": "industrial_solid_waste_disposal",
    "中心城公共交通出行比例(%)": "public_transport_share", "城镇居民年人均可支配收入(元)": "urban_income",
    "农村居民年人均可支配收入(元)": "rural_income", "户籍人口城镇化率(%)": "hukou_urbanization_rate",
    "贫困发生率(%)": "poverty_rate", "城镇常住人口保障性住房覆盖率(%)": "affordable_housing_coverage",
    "城镇登记失业率(%)": "unemployment_rate", "农村安全饮用水普及率(%)": "rural_safe_water",
    "每千人口拥有医疗卫生机构床位数(张)": "hospital_beds_per_1000", "每千名老年人口拥有养老床位数(张)": "elderly_beds_per_1000",
    "村委会": "village_committee_turnout", "居委会": "residents_committee_turnout",
    "注册志愿者占国民人口比例(%)": "volunteers_share", "重点食品安全抽样检测合格率(%)": "food_safety_pass_rate",
    "亿元GDP生产安全事故死亡率(%)": "work_safety_death_rate",
}


@pytest.mark.parametrize("phrase,code", sorted(TABLE2.items()))
def test_every_table2_row_is_catalogued(phrase, code):
    r = resolve(phrase)
    assert r.indicator.code == code and r.method == "exact" and not r.indicator.needs_review


@pytest.mark.parametrize("phrase,code", sorted(TABLE1.items()))
def test_every_table1_row_is_catalogued(phrase, code):
    assert resolve_indicator(phrase).code == code


def test_table2_has_31_rows_and_each_a_distinct_indicator():
    assert len(TABLE2) == 31 and len(set(TABLE2.values())) == 31


@pytest.mark.parametrize("phrase,measure,code", [
    # the usual annual ones, as 001 writes its 主要预期目标
    ("地区生产总值", "growth_rate", "gdp_growth"),
    ("规模以上工业增加值", "growth_rate", "industrial_value_added_growth"),
    ("一般公共预算收入", "growth_rate", "general_budget_revenue_growth"),
    ("固定资产投资", "growth_rate", "fixed_asset_investment_growth"),
    ("社会消费品零售总额", "growth_rate", "retail_sales_growth"),
    ("城镇居民人均可支配收入", "growth_rate", "urban_income_growth"),
    ("农村居民人均可支配收入", "growth_rate", "rural_income_growth"),
    ("粮食播种面积", "level", "grain_sown_area"),
    ("粮食产量", "level", "grain_output"),
    # recurring work-report commitments (001) and results (000)
    ("推进城中村改造", "count_new", "urban_village_renovation"),
    ("推进城中村改造项目", "count", "urban_village_renovation"),
    ("老旧小区改造", "count_new", "old_community_renovation"),
    ("完成老旧小区改造", "count", "old_community_renovation"),
    ("扎实开展年度高标准农田建设", "count_new", "high_standard_farmland"),
    ("累计建成高标准农田", "cumulative", "high_standard_farmland"),
    ("城镇新增就业", "count_new", "new_urban_jobs"),
    ("新增上市公司", "count_new", "new_listed_companies"),
    ("创建“席地而坐”城市客厅示范点", "count_new", "sitting_demo_sites"),
    ("创建城市客厅“席地而坐”示范区", "count", "sitting_demo_sites"),
])
def test_annual_indicators(phrase, measure, code):
    assert resolve_indicator(phrase, measure).code == code


@pytest.mark.parametrize("a,b", [
    ("规上工业增加值增速", "规模以上工业增加值增速"),
    ("粮食播面", "粮食播种面积"),
    ("粮食总产", "粮食产量"),
    ("研发投入强度", "研发经费投入强度"),
    ("研发经费投入强度", "研发支出占地区生产总值比重"),
    ("研发支出占地区生产总值比重", "全社会R&D支出占地区生产总值比重"),
    ("全社会研发投入强度", "研发经费支出占地区生产总值比重"),
    ("GDP", "地区生产总值"),
    ("人均GDP", "人均生产总值"),
    ("全社会劳动生产率", "全员劳动生产率"),
    ("空气质量达标率", "空气质量优良天数比例"),
    ("新增劳动力平均受教育年限", "新增劳动年龄人口平均受教育年限"),
    ("亿元GDP生产安全事故死亡率", "亿元GDP安全生产死亡事故率"),
    ("500 万元以上固定资产投资 (亿元)", "固定资产投资（500万元以上）"),
    ("城镇居民年人均可支配收入", "城镇居民人均可支配收入"),
    ("上市公司累计数量", "新增上市公司数量"),
])
def test_aliases_meet(a, b):
    assert resolve_indicator(a).code == resolve_indicator(b).code


def test_measure_picks_the_sibling():
    assert resolve_indicator("地区生产总值", "growth_rate").code == "gdp_growth"
    assert resolve_indicator("地区生产总值", "avg_growth").code == "gdp_growth"
    assert resolve_indicator("地区生产总值", "level").code == "gdp"
    assert resolve_indicator("地区生产总值增速", "level").code == "gdp"  # the measure decides
    # derived siblings of level indicators
    change = resolve_indicator("研发经费投入强度提高", "cumulative_change")
    assert change.code == "rd_intensity_change" and change.unit == "百分点" and change.measure == "cumulative_change"
    assert resolve_indicator("研发经费支出占地区生产总值比重变化", "change").code == "rd_intensity_change"
    rank = resolve_indicator("空气质量优良率", "rank")
    assert rank.code == "air_quality_good_days_rank" and rank.direction == "lower"
    assert resolve_indicator("技术合同成交额增长", "growth_rate").code == "tech_contract_value_growth"
    # no measure: the suffix says it
    assert resolve_indicator("技术合同成交额增长").code == "tech_contract_value_growth"
    # an intrinsically-change indicator stays itself whatever the measure
    assert resolve_indicator("单位GDP能源消耗降幅", "growth_rate").code == "energy_intensity_reduction"
    assert base_code("gdp_growth") == "gdp" and base_code("rd_intensity_change") == "rd_intensity"


def test_normalization():
    assert normalize_phrase("全市地区生产总值（亿元）") == "地区生产总值"
    assert normalize_phrase("我市规上工业增加值(%)") == "规模以上工业增加值"
    assert normalize_phrase("南昌市 GDP") == "地区生产总值"
    assert normalize_phrase("每千人口拥有执业（助理）医师数（人）") == "每千人口拥有执业(助理)医师数"
    assert normalize_phrase("扎实开展年度高标准农田建设") == "高标准农田建设"
    assert normalize_phrase("粮食总产连续14年") == "粮食总产"
    assert normalize_phrase("2024年新增上市公司数量") == "新增上市公司"
    assert normalize_phrase("青山湖区规上工业增加值") == "规模以上工业增加值"  # regions.yaml names


def test_contains_match_respects_scope_words():
    r = resolve("市级投资棚改安置房项目", "count")
    assert r.indicator.code == "resettlement_housing_projects"
    r = resolve("农业龙头企业带动老旧小区改造试点", "count")  # contains an alias, nothing scope-changing left
    assert r.method == "contains" and r.alias == "老旧小区改造"
    # 占全省比重 changes what is measured: a share of listed companies is not the number of them
    r = resolve("上市公司数量占全省比重", "share")
    assert r.method == "new" and r.indicator.needs_review
    # 新三样出口额 is not 出口总额 (no bare 出口 alias)
    assert resolve("新三样出口额", "growth_rate").method == "new"


def test_new_indicators_are_flagged_and_stable():
    r = resolve("全市孺子书房开放数量", "count", "家")
    ind = r.indicator
    assert ind.code == "new:孺子书房开放" and ind.needs_review and ind.unit == "家"
    assert resolve_indicator("孺子书房开放", "count").code == ind.code
    g = resolve_indicator("农产品网络零售额增长", "growth_rate")
    assert g.code == "new:农产品网络零售额增速" and base_code(g.code) == "new:农产品网络零售额"
    assert resolve_indicator("安全生产事故数", "count").direction == "lower"


def test_resolution_is_explained():
    r = resolve("全社会研发投入强度", "share")
    assert r.method == "exact" and r.alias == "研发投入强度" and "rd_intensity" in r.explain()
    assert "待审核" in resolve("某某新指标", "level").explain()


def test_catalog_fields():
    inds = {i.code: i for i in indicators()}
    assert len([i for i in inds.values() if not i.code.endswith(("_growth", "_change", "_rank"))]) >= 100
    for i in inds.values():
        assert i.direction in ("higher", "lower", "stable")
        assert i.attribute in ("expected", "binding", "")
        assert i.name and i.measure
    assert get_indicator("unemployment_rate").direction == "lower"
    assert get_indicator("cultivated_land").attribute == "binding"
    assert get_indicator("rd_intensity").category == "创新驱动"
    assert get_indicator("gdp_growth").unit == "%"


def test_catalog_refuses_an_alias_naming_two_indicators():
    raw = copy.deepcopy(_load_raw())
    raw["indicators"][1]["aliases"] = list(raw["indicators"][1]["aliases"]) + ["全市 GDP"]  # = 地区生产总值 (gdp)
    with pytest.raises(ValueError, match="names both"):
        build_catalog(raw)
    raw = copy.deepcopy(_load_raw())
    raw["indicators"].append(dict(raw["indicators"][0]))
    with pytest.raises(ValueError, match="duplicate code"):
        build_catalog(raw)


def test_resolution_is_deterministic():
    phrases = ["地区生产总值", "城中村改造", "高标准农田", "新指标甲"]
    first = [resolve_indicator(p, "level") for p in phrases]
    catalog.cache_clear()
    resolve.cache_clear()
    assert [resolve_indicator(p, "level") for p in phrases] == first


@pytest.mark.skipif(not GOLD.exists(), reason="the dev gold (../shared/gold/dev) is not here")
def test_gold_table_indicators_are_catalogued():
    """Every indicator name the dev gold uses for 004's plan tables resolves to a catalog entry."""
    missing = []
    for name in ("004_targets.jsonl", "004_actuals.jsonl"):
        for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if rec.get("source") != "table" or rec["kind"] == "qualitative" or rec["indicator"] == "三次产业结构":
                continue
            measure = {"change": "change"}.get(rec["kind"], rec["kind"])
            if resolve(rec["indicator"], measure).method == "new":
                missing.append(rec["indicator"])
    assert not missing, sorted(set(missing))
