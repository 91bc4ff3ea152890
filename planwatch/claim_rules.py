"""Named rules that decide a number is not a claim (../DESIGN.md, "What counts as a claim").

Each rule is a predicate over a `Reading`; `SKIP_RULES` is their order. The quantities step has already
dropped what is never an amount (years, dates, codes); these rules need the words around the number.
"""
from __future__ import annotations

import re

from .quantities import unit_kind
from .reading import Reading, cues


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
    if kind in ("money", "multiplier", "age") and after and re.match(r"[\u4e00-\u9fff]", after) and after[0] not in _NOT_A_NOUN \
            and not r.right.lstrip().startswith("的") and not _MONEY_NOUN.match(after):
        return True  # money or an age directly before a noun qualifies the noun (2-3 岁婴幼儿), unless the noun is money
    if not r.q.hedge.endswith(("以上", "及以上", "以下", "及以下")) and not r.right.startswith(("及以上", "以上的", "以下的")):
        return False
    if not after or not re.match(r"[\u4e00-\u9fffA-Za-z“]", after):
        return False  # 引进50个以上。 — the hedge closes the clause: a real amount
    kind = unit_kind(r.q.unit)
    if kind in ("money", "multiplier", "area", "age"):
        return True  # 50亿元以上项目, 80周岁以上老年人
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
