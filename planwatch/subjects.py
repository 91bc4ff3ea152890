"""The subject of a number — the indicator phrase — and the lists that share one number or one verb.

全市地区生产总值预计增长4.0%左右 → 地区生产总值; 推进27个城中村改造 → 城中村改造; A、B、C分别增长x、y、z →
one phrase per value; 汽车及装备、新材料、医药健康等全产业链营业收入均超千亿元 → one per item; 三次产业结构
为3.6:40.7:55.7 → one share per sector.
"""
from __future__ import annotations

import re

from . import regions
from .context import DocContext
from .model import Quantity
from .quantities import unit_kind
from .reading import Reading, cues

SECTORS = ("第一产业增加值占GDP比重", "第二产业增加值占GDP比重", "第三产业增加值占GDP比重")


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
        region = regions.pattern().match(left)
        if region and len(left) > region.end() + 1:
            left = left[region.end():]  # 南昌县全年地区生产总值: the region is the claim's region, not its subject
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
    left = _tidy(left)
    obj = _object_after(r)
    if obj and unit_kind(r.q.unit) not in ("percent", "money", "multiplier", ""):
        return obj  # 推进27个城中村改造, 开展年度14.6万亩高标准农田建设: the counted thing follows the number
    if len(left) < 2 or c["count_new_verbs_re"].fullmatch(left or "-"):
        # 推进27个城中村改造: the object follows the number
        obj = re.split(r"[，,;；。、]", r.right, maxsplit=1)[0]
        obj = re.sub(r"^\s*(?:以上|左右|以内|余|多)?(?:的)?", "", obj).strip(" “”\"")
        return _tidy(left + obj) if obj else left
    return left


_ASIDE = re.compile(r"[(（]含[^()（）]{0,20}[)）]")  # 电子信息（含电子信息服务业）全产业链营业收入
_LEAD_COUNT = re.compile(r"^\d+(?:\.\d+)?[个家项所座条件名]")  # 1005个重大重点项目 …
_LEAD_VERB = re.compile(r"^(?:发放|举办|开展|完成|实现|推进|推动|争取|引进|建成|建设|打造|实施|培育|整治|创建|累计完成|全年完成)")  # 新增 and 累计 stay: they say what is counted


def _tidy(phrase: str) -> str:
    """An indicator phrase without quotes, spaces, asides, a leading count or a leading verb (发放消费券 → 消费券),
    as long as something of two characters or more is left."""
    phrase = _ASIDE.sub("", phrase)
    phrase = re.sub(r"[“”\"‘’\s]", "", phrase).strip("、，,（(")
    for rx in (_LEAD_COUNT, _LEAD_VERB):
        m = rx.match(phrase)
        if m and len(phrase) - m.end() >= 2:
            phrase = phrase[m.end():]
    return phrase


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
    return _tidy(m.group(1)) if m else ""


def find_region(r: Reading, ctx: DocContext) -> str:
    m = None
    for m in regions.pattern().finditer(r.left):
        pass
    return regions.canonical(m.group(0)) if m else ctx.region


# --- periods ----------------------------------------------------------------------------------------


def structure_share(r: Reading, text: str) -> str:
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
    return SECTORS[i % 3] if in_ratio else ""


def list_subjects(r: Reading, qs: list[Quantity], text: str, lo: int, hi: int) -> list[str]:
    """The subject phrase(s) of a number: one, or one per item of a 分别/均 list."""
    phrase = indicator_phrase(r)
    left = r.left
    if "分别" in left:
        # A、B、C分别增长x、y、z: the n-th value takes the n-th item
        subject = left[: left.index("分别")]
        subject = indicator_phrase(Reading(r.sentence, r.q, r.clause_start, r.clause_end, subject, "", r.before))
        if len(subject) < 2:
            # …分别实现159.4亿元、85亿元，分别增长8.2%、9.4%: a bare 分别 clause shares the previous one's list
            earlier = re.findall(r"([^，,;；。:]+?)分别", text[lo:r.clause_start])
            if earlier:
                subject = indicator_phrase(Reading(r.sentence, r.q, r.clause_start, r.clause_end, earlier[-1], "", r.before))
        items = _items(subject, joiners=True)
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
