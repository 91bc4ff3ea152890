"""Extraction speed: chars/s of read → structure → quantities → claims over the seeds repeated to ≥ 2 M chars,
beside a plain regex pass (numbers with a unit) over the same text in the same run. A benchmark, not a test.

    .venv/bin/python bench/extract_speed.py [--chars 2000000]
"""
from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from planwatch.claims import extract_claims
from planwatch.read import read_text_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "nanchang"
# Two plain regex passes for reference: a minimal "number + common unit" pattern, and planwatch's own candidate
# pattern (numerals, ranges, multipliers, every unit of data/units.yaml) run alone, without rules or structure —
# the kind of 41-line regex ../shared/STACK.md measured at ~4.2 M chars/s.
MINIMAL = re.compile(r"\d+(?:\.\d+)?\s*(?:亿元|万元|元|%|个|家|万|亿|公里|亩|吨|人)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=2_000_000)
    args = ap.parse_args()
    seeds = [p.read_bytes() for p in sorted(SAMPLES.glob("*.txt"))]
    docs, total = [], 0
    while total < args.chars:
        for i, data in enumerate(seeds):
            d = read_text_bytes(data, f"seed{i}_{len(docs)}.txt")
            docs.append(d)
            total += len(d.text)
    extract_claims(docs[0])  # warm the lexicon caches, as a long-running process would be

    from planwatch.quantities import lexicon

    t0 = time.perf_counter()
    n_min = sum(len(MINIMAL.findall(d.text)) for d in docs)
    t_min = time.perf_counter() - t0

    pattern = lexicon().pattern
    t0 = time.perf_counter()
    n_raw = sum(sum(1 for _ in pattern.finditer(d.text)) for d in docs)
    t_raw = time.perf_counter() - t0

    t0 = time.perf_counter()
    n_claims = sum(len(extract_claims(d)) for d in docs)
    t_ext = time.perf_counter() - t0

    raw_speed, ext_speed = total / t_raw, total / t_ext
    print(f"documents: {len(docs)}  chars: {total:,}")
    print(f"minimal regex  : {total / t_min:14,.0f} chars/s  ({n_min:,} matches, {t_min:.2f} s)")
    print(f"raw regex pass : {raw_speed:14,.0f} chars/s  ({n_raw:,} candidates, {t_raw:.2f} s; planwatch's pattern alone)")
    print(f"planwatch extract: {ext_speed:12,.0f} chars/s  ({n_claims:,} claims, {t_ext:.2f} s)")
    print(f"ratio extract / raw regex: {ext_speed / raw_speed:.1%}")
    print(f"target: ≥ 500,000 chars/s and ≥ 12 % of the raw pass → {'met' if ext_speed >= 500_000 and ext_speed / raw_speed >= 0.12 else 'NOT met'}")


if __name__ == "__main__":
    main()
