"""Measure extraction against hand-made gold annotations (../shared/gold/dev, format in DESIGN.md).

A prediction matches a gold record when it names the same document, its span overlaps the gold quote's
span, and its value equals the gold value after unit multipliers (8200 亿元 == 0.82 万亿元) — the rule of
../shared/tools/score_extract.py, so both give the same figures. On top of the reference figures this
reports indicator-name agreement and lists the misses and false hits, which is what one fixes from.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

_MULT = [("万亿", 1e12), ("千亿", 1e11), ("百亿", 1e10), ("亿", 1e8), ("千万", 1e7), ("百万", 1e6), ("万", 1e4), ("千", 1e3), ("百", 1e2)]
_PCT = {"%", "百分点", "个百分点", "％"}


def normalize_value(value, unit) -> tuple[float, str] | None:
    """(magnitude, base unit): 8200 亿元 → (8.2e11, 元); % and 百分点 compare as %."""
    if value is None:
        return None
    unit = (unit or "").strip().replace(" ", "")
    if unit in _PCT:
        return float(value), "%"
    m = 1.0
    for prefix, k in _MULT:
        if (unit.startswith(prefix) and len(unit) > len(prefix)) or unit == prefix:
            m, unit = k, unit[len(prefix):]
            break
    return float(value) * m, unit


def same_value(a, b) -> bool:
    if a is None or b is None:
        return False
    (va, ua), (vb, ub) = a, b
    close = abs(va - vb) <= 1e-6 * max(1.0, abs(va), abs(vb))
    return close and (not ua or not ub or ua[:1] == ub[:1])


def _locate(text: str, quote: str, occurrence: int = 1):
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            return None
    return pos, pos + len(quote)


@dataclass
class Scores:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    type_ok: int = 0
    comparator_total: int = 0
    comparator_ok: int = 0
    indicator_ok: int = 0
    misses: list = field(default_factory=list)
    false_hits: list = field(default_factory=list)
    wrong_kind: list = field(default_factory=list)
    wrong_comparator: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> dict:
        return {
            "gold": self.gold, "predicted": self.predicted, "matched": self.matched,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "type_accuracy": round(self.type_ok / self.matched, 4) if self.matched else 0.0,
            "comparator_accuracy": round(self.comparator_ok / self.comparator_total, 4) if self.comparator_total else 0.0,
            "indicator_agreement": round(self.indicator_ok / self.matched, 4) if self.matched else 0.0,
        }


def load_gold(gold_dir: Path, texts: dict[str, str]) -> list[dict]:
    """Gold records with their file and span; qualitative rows (no value) are left out, as the scorer does."""
    records = []
    for path in sorted(Path(gold_dir).glob("*.jsonl")):
        if "target" in path.name:
            typ = "target"
        elif "actual" in path.name:
            typ = "actual"
        else:
            continue  # links files are for verdicts, not extraction
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("value") is None:
                continue
            f = next((n for n in texts if n.startswith(str(r["doc"]))), None)
            if f is None:
                continue
            span = _locate(texts[f], r["quote"], r.get("occurrence", 1))
            if span is None:
                raise ValueError(f"gold quote not found: {r['id']} in {f}")
            records.append(dict(r, _file=f, _span=span, _type=typ, _n=normalize_value(r["value"], r.get("unit"))))
    return records


def _indicator_agrees(pred: dict, gold: dict) -> bool:
    from .indicators import resolve_indicator

    g = resolve_indicator(gold.get("indicator") or "", gold.get("kind") or "", gold.get("unit") or "")
    p = resolve_indicator(pred.get("indicator") or "", pred.get("measure") or "", pred.get("unit") or "")
    if g.code == p.code and not g.needs_review:
        return True
    a, b = (gold.get("indicator") or ""), (pred.get("indicator") or "")
    return bool(a and b) and (a in b or b in a)


def score(predictions: list[dict], gold: list[dict]) -> Scores:
    s = Scores(gold=len(gold))
    files = {g["_file"] for g in gold}
    preds = []
    for p in predictions:
        if p.get("doc") not in files or p.get("value") is None:
            continue
        preds.append(dict(p, _n=normalize_value(p["value"], p.get("unit")), _span=(int(p["start"]), int(p["end"]))))
    s.predicted = len(preds)
    by_file: dict[str, list[int]] = {}
    for i, p in enumerate(preds):
        by_file.setdefault(p["doc"], []).append(i)
    used: set[int] = set()
    for g in gold:
        gs, ge = g["_span"]
        cands = [i for i in by_file.get(g["_file"], ()) if i not in used and preds[i]["_span"][0] < ge
                 and gs < preds[i]["_span"][1] and same_value(g["_n"], preds[i]["_n"])]
        if not cands:
            s.misses.append(g)
            continue
        best = min(cands, key=lambda i: (preds[i].get("kind") != g["_type"], abs(preds[i]["_span"][0] - gs)))
        used.add(best)
        p = preds[best]
        s.matched += 1
        if p.get("kind") == g["_type"]:
            s.type_ok += 1
        else:
            s.wrong_kind.append((g, p))
        if g["_type"] == "target" and g.get("comparator"):
            s.comparator_total += 1
            if p.get("comparator") == g["comparator"]:
                s.comparator_ok += 1
            else:
                s.wrong_comparator.append((g, p))
        try:
            if _indicator_agrees(p, g):
                s.indicator_ok += 1
        except ImportError:  # the indicator catalog is optional for scoring quantities
            pass
    s.false_hits = [p for i, p in enumerate(preds) if i not in used]
    return s
