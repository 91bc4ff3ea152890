"""Step 5, indicators: an indicator phrase (+ the claim's measure) → a canonical `Indicator`.

The catalog is data (planwatch/data/indicators.yaml). Resolution is deterministic and explainable:
`resolve(phrase, measure, unit)` returns a `Resolution` that says which alias matched and how; the plain
`resolve_indicator` returns only the `Indicator`.

Steps, first hit wins:
  1. ``exact``          the normalized phrase is a normalized alias;
  2. ``exact_suffix``   the phrase minus one measure suffix (增速, 提高 …) is an alias;
  3. ``contains``       the longest alias contained in the phrase, unless what is left over changes what is
                        measured (占, 比重, 人均 … see `scope_markers`);
  4. ``new``            an uncatalogued indicator, code ``new:<normalized phrase>``, needs_review=True.
Then the measure picks the sibling: a growth claim on 地区生产总值 resolves to 地区生产总值增速 (explicit entry
with ``of: gdp``, or one derived as ``<code>_growth``), a level claim to 地区生产总值.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import yaml

from . import regions
from .model import Indicator

log = logging.getLogger(__name__)

# measure → family. Claims of one family compare with each other; a level-family indicator has one sibling
# per other family (its growth, its change, its rank).
FAMILIES = {
    "level": "level", "count": "level", "count_new": "level", "cumulative": "level", "share": "level",
    "ratio": "level", "growth_rate": "growth", "avg_growth": "growth", "cumulative_change": "change",
    "change": "change", "rank": "rank",
}
_SIBLING = {  # family → (code suffix, name suffix, measure of the derived indicator)
    "growth": ("_growth", "增速", "growth_rate"),
    "change": ("_change", "变化", "cumulative_change"),
    "rank": ("_rank", "排名", "rank"),
}
_UNIT_CHARS = set("%‰万亿千百十元美欧吨人件张个家年亩斤公顷里米平方立标准煤头台辆套户次名所座条处项/·瓦时克升")
_BRACKET = re.compile(r"\(([^()]*)\)")
_STREAK = re.compile(r"连续\s*(?:\d+|[一二三四五六七八九十]+)\s*年")
_QUOTES = re.compile(r"[“”\"'‘’「」『』《》〈〉\s]")


def measure_family(measure: str) -> str | None:
    return FAMILIES.get(measure or "")


@dataclass(frozen=True)
class Resolution:
    """How a phrase was resolved: the indicator, the rule, the alias that matched, the normalized phrase."""

    indicator: Indicator
    method: str  # exact | exact_suffix | contains | new
    alias: str  # the normalized alias that matched ("" for new)
    normalized: str  # the normalized phrase
    base_code: str  # code of the level-family indicator this one belongs to (itself for level indicators)

    def explain(self) -> str:
        if self.method == "new":
            return f"“{self.normalized}” 不在指标目录中，作为新指标待审核"
        return f"“{self.normalized}” 经 {self.method} 匹配别名 “{self.alias}” → {self.indicator.code}"


@dataclass(frozen=True)
class Catalog:
    entries: dict  # code → Indicator
    base_of: dict  # code → code of its level-family base (explicit `of`, derived siblings, or itself)
    siblings: dict  # (base code, family) → code
    by_alias: dict  # normalized alias → code
    aliases_by_length: tuple  # (alias, code) sorted longest first, for `contains`
    rules: dict  # the `normalize` section


# --- normalization ------------------------------------------------------------------------------


def _region_words() -> list[str]:
    """Region names and aliases, and the words for the document's own region, to strip from a phrase (not
    全省/江西: a phrase about the province keeps them)."""
    return [w for w in [*regions.names(), *sorted(regions.GENERIC)] if w not in ("全省", "江西")]


def _strip_unit_brackets(s: str) -> str:
    """地区生产总值(亿元) → 地区生产总值; keeps brackets that name things: 执业(助理)医师, (PM2.5)."""
    return _BRACKET.sub(lambda m: "" if m.group(1) and set(m.group(1)) <= _UNIT_CHARS else m.group(0), s)


def normalize_phrase(phrase: str, rules: dict | None = None) -> str:
    """The form aliases and phrases are compared in. Pure; the same function normalizes both sides."""
    rules = rules if rules is not None else catalog().rules
    s = unicodedata.normalize("NFKC", phrase or "")
    s = re.sub(r"[A-Za-z]+", lambda m: m.group(0).upper(), s)
    s = _QUOTES.sub("", s)
    s = _strip_unit_brackets(s)
    for old, new in rules["replacements"]:
        s = s.replace(old, new)
    s = re.sub(r"(?<!地区)生产总值", "地区生产总值", s)
    s = _STREAK.sub("", s)  # 粮食总产连续14年 → 粮食总产: a streak says how long, not what
    # leading region, time and verb words, repeatedly (扎实开展年度14.6万亩… → …); never down to nothing
    prefixes = sorted(set(rules["region_prefixes"]) | set(rules["lead_words"]), key=len, reverse=True)
    s = re.sub(r"^20\d\d年", "", s)
    changed = True
    while changed:
        changed = False
        for p in prefixes:
            if s.startswith(p) and len(s) > len(p) + 1:
                s = s[len(p):]
                s = re.sub(r"^20\d\d年", "", s)
                changed = True
                break
    for w in sorted(rules["trailing_words"], key=len, reverse=True):
        if s.endswith(w) and len(s) > len(w) + 1:
            s = s[: -len(w)]
            break
    return s.strip("，,、;；:：。.")


# --- the catalog ----------------------------------------------------------------------------------


def _load_raw() -> dict:
    with resources.files("planwatch.data").joinpath("indicators.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def build_catalog(raw: dict) -> Catalog:
    """Check and index a parsed catalog. Refuses duplicate codes and aliases shared by two indicators."""
    rules = dict(raw["normalize"])
    rules["region_prefixes"] = list(rules.get("region_prefixes", [])) + [
        w for w in _region_words() if w not in rules.get("region_prefixes", [])]
    entries: dict[str, Indicator] = {}
    base_of: dict[str, str] = {}
    siblings: dict[tuple[str, str], str] = {}
    by_alias: dict[str, str] = {}
    explicit_of = {}
    for e in raw["indicators"]:
        code = e["code"]
        if code in entries:
            raise ValueError(f"indicators.yaml: duplicate code {code}")
        if measure_family(e["measure"]) is None:
            raise ValueError(f"indicators.yaml: {code} has unknown measure {e['measure']}")
        if e.get("direction", "higher") not in ("higher", "lower", "stable"):
            raise ValueError(f"indicators.yaml: {code} has unknown direction {e.get('direction')}")
        aliases = tuple(str(a) for a in e.get("aliases") or ())
        entries[code] = Indicator(
            code=code, name=str(e["name"]), aliases=aliases, unit=str(e.get("unit") or ""),
            measure=e["measure"], direction=e.get("direction", "higher"), category=e.get("category", ""),
            attribute=e.get("attribute") or "",
        )
        explicit_of[code] = e.get("of")
        for a in (e["name"],) + aliases:
            key = normalize_phrase(str(a), rules)
            if by_alias.get(key, code) != code:
                raise ValueError(f"indicators.yaml: alias {a!r} (normalized {key!r}) names both {by_alias[key]} and {code}")
            by_alias[key] = code
    for code, ind in entries.items():
        of = explicit_of[code]
        if of:
            if of not in entries:
                raise ValueError(f"indicators.yaml: {code} is `of` unknown {of}")
            base_of[code] = of
            siblings[(of, measure_family(ind.measure))] = code
        else:
            base_of[code] = code
    # derive the missing growth / change / rank siblings of every level-family indicator
    for code, ind in list(entries.items()):
        if base_of[code] != code or measure_family(ind.measure) != "level":
            continue
        for fam, (csuf, nsuf, measure) in _SIBLING.items():
            if (code, fam) in siblings:
                continue
            unit = {"growth": "%", "rank": "位"}.get(fam, "百分点" if ind.unit == "%" else ind.unit)
            direction = "lower" if fam == "rank" else ind.direction
            d = Indicator(code=code + csuf, name=ind.name + nsuf, unit=unit, measure=measure,
                          direction=direction, category=ind.category, attribute=ind.attribute)
            entries[d.code] = d
            base_of[d.code] = code
            siblings[(code, fam)] = d.code
    ordered = tuple(sorted(by_alias.items(), key=lambda kv: (-len(kv[0]), kv[0])))
    return Catalog(entries, base_of, siblings, by_alias, ordered, rules)


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    return build_catalog(_load_raw())


def indicators() -> list[Indicator]:
    """Every catalog indicator, derived siblings included."""
    return list(catalog().entries.values())


def get_indicator(code: str) -> Indicator | None:
    return catalog().entries.get(code)


def base_code(code: str) -> str:
    """The level-family indicator a code belongs to: gdp_growth → gdp; new:X增速 → new:X."""
    cat = catalog()
    if code in cat.base_of:
        return cat.base_of[code]
    if code.startswith("new:"):
        for _, name_suffix, _ in _SIBLING.values():
            if code.endswith(name_suffix):
                return code[: -len(name_suffix)]
    return code


# --- resolution -------------------------------------------------------------------------------------


def _sibling(cat: Catalog, code: str, family: str | None) -> str:
    """The indicator of `code`'s quantity measured as `family` (growth of GDP → gdp_growth)."""
    ind = cat.entries[code]
    own = measure_family(ind.measure)
    if family is None or family == own:
        return code
    base = cat.base_of[code]
    if base != code:  # a growth/change/rank entry: go through its base
        return _sibling(cat, base, family)
    if own != "level":  # an intrinsically growth/change quantity (单位GDP能耗降幅): the words win
        return code
    return cat.siblings.get((code, family), code)


def _suffix_split(s: str, rules: dict) -> list[tuple[str, str]]:
    """(base, family) for each measure suffix the phrase ends with, longest suffix first."""
    out = []
    pairs = [(suf, fam) for fam, sufs in rules["measure_suffixes"].items() for suf in sufs]
    for suf, fam in sorted(pairs, key=lambda p: len(p[0]), reverse=True):
        if s.endswith(suf) and len(s) > len(suf) + 1:
            out.append((s[: -len(suf)], fam))
    return out


def _contains(cat: Catalog, s: str) -> tuple[str, str] | None:
    markers = cat.rules["scope_markers"]
    for alias, code in cat.aliases_by_length:
        if len(alias) < 2 or alias not in s or alias == s:
            continue
        rest = s.replace(alias, "", 1)
        if any(m in rest and m not in alias for m in markers):
            continue
        return alias, code
    return None


@lru_cache(maxsize=8192)
def resolve(phrase: str, measure: str = "", unit: str = "") -> Resolution:
    """Resolve an indicator phrase; see the module docstring for the rules. `unit` is kept for new indicators."""
    cat = catalog()
    s = normalize_phrase(phrase, cat.rules)
    family = measure_family(measure)
    hit: tuple[str, str, str] | None = None  # (method, alias, code)
    hint = None
    if s in cat.by_alias:
        hit = ("exact", s, cat.by_alias[s])
    if hit is None:
        for base, fam in _suffix_split(s, cat.rules):
            if base in cat.by_alias:
                hit, hint = ("exact_suffix", base, cat.by_alias[base]), fam
                break
    if hit is None:
        found = _contains(cat, s)
        if found is None:
            for base, fam in _suffix_split(s, cat.rules):
                found = _contains(cat, base)
                if found:
                    hint = fam
                    break
        if found:
            hit = ("contains", found[0], found[1])
    if hit is not None:
        method, alias, code = hit
        code = _sibling(cat, code, family or hint)
        ind = cat.entries[code]
        res = Resolution(ind, method, alias, s, cat.base_of[code])
    else:
        res = _new(cat, s or (phrase or "").strip(), family, measure, unit)
    log.debug("indicator %r (%s) → %s", phrase, measure, res.explain())
    return res


def _new(cat: Catalog, s: str, family: str | None, measure: str, unit: str) -> Resolution:
    """An uncatalogued phrase: one new indicator per (phrase without its measure suffix, family)."""
    base = s
    splits = _suffix_split(s, cat.rules)
    if splits and (family is None or splits[0][1] == family):
        base, hint = splits[0]
        family = family or hint
    name = base + (_SIBLING[family][1] if family in _SIBLING else "")
    lower = any(w in base for w in cat.rules.get("lower_is_better_words", []))
    ind = Indicator(code="new:" + name, name=name, unit=unit, measure=measure,
                    direction="lower" if lower or family == "rank" else "higher", needs_review=True)
    return Resolution(ind, "new", "", s, "new:" + base)


def resolve_indicator(phrase: str, measure: str = "", unit: str = "") -> Indicator:
    """The canonical indicator of a phrase (see `resolve` for how it was found)."""
    res = resolve(phrase, measure, unit)
    if res.method == "new" and unit and not res.indicator.unit:
        return replace(res.indicator, unit=unit)
    return res.indicator
