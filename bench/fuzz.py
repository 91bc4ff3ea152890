"""Fuzz read → structure → claims with N random examples (default 100,000; a plain seeded random generator,
faster than hypothesis at this count): random text over the characters the extractor reacts to, seed lines cut,
shuffled and mutated, and random bytes under each file type. Checks that nothing raises except ReadError and
that every claim's quote is the text at its span. Prints examples/s and every failure (first 10 in full).

    .venv/bin/python bench/fuzz.py [--examples 100000] [--seed 0] [--save failures.jsonl]

CI runs a bounded hypothesis version of the same checks (tests/test_robust.py). A benchmark, not a test.
"""
from __future__ import annotations

import argparse
import json
import random
import time
import traceback
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "nanchang"
ALPHABET = ("0123456789.%-~:：，。；、（）()[]【】\t\n 　一二三四五六七八九十百千万亿两〇第章节篇表专栏"
            "年月日元个家亿元万元公里亩吨人增长下降左右以上以内不低于力争确保预计累计年均全市南昌县青山湖区"
            "地区生产总值规模以上工业增加值比上年目标主要指标工作回顾工作安排")
SUFFIXES = ["x.txt", "x.pdf", "x.docx", "x.html", "x.bin"]


def example(rng: random.Random, lines: list[str]) -> tuple[bytes, str]:
    k = rng.random()
    if k < 0.4:  # random text over the extractor's alphabet
        s = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 300)))
        return s.encode("utf-8"), "fuzz.txt"
    if k < 0.85:  # seed lines recombined and mutated (cut, duplicated digits, swapped characters)
        s = "\n".join(rng.choice(lines) for _ in range(rng.randint(1, 8)))
        chars = list(s)
        for _ in range(rng.randint(0, 6)):
            if not chars:
                break
            i = rng.randrange(len(chars))
            op = rng.random()
            if op < 0.4:
                chars[i] = rng.choice(ALPHABET)
            elif op < 0.7:
                del chars[i]
            else:
                chars.insert(i, rng.choice("0123456789.%亿万"))
        s = "".join(chars)
        return s.encode("gb18030" if rng.random() < 0.2 else "utf-8"), "mix.txt"
    data = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 400)))
    if rng.random() < 0.3:  # with a plausible magic number
        data = rng.choice([b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf"]) + data
    return data, rng.choice(SUFFIXES)


def check(data: bytes, name: str) -> int:
    from planwatch.claims import extract_claims
    from planwatch.errors import ReadError
    from planwatch.read import read_bytes
    from planwatch.structure import structure

    try:
        doc = read_bytes(data, name)
    except ReadError as e:
        if not e.reason:
            raise AssertionError("ReadError without a reason")
        return 0
    claims = extract_claims(doc, structure(doc))
    for c in claims:
        if doc.original[c.start:c.end] != c.quote:
            raise AssertionError(f"quote {c.quote!r} is not the text at {c.start}:{c.end}")
    return len(claims)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--save", type=Path, help="write failing examples here (JSON Lines, bytes as latin-1)")
    a = ap.parse_args()
    from planwatch.read import read_document

    lines = [l for p in sorted(SAMPLES.glob("*.txt")) for l in read_document(p).text.splitlines() if l.strip()]
    check("全市地区生产总值增长5%。".encode(), "warm.txt")  # load lexicons before timing
    rng = random.Random(a.seed)
    failures, claims, chars = [], 0, 0
    t0 = time.perf_counter()
    for i in range(a.examples):
        data, name = example(rng, lines)
        chars += len(data)
        try:
            claims += check(data, name)
        except Exception as e:  # a failure: record it and go on
            failures.append({"i": i, "name": name, "data": data.decode("latin-1"),
                             "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()})
            if len(failures) <= 10:
                print(f"FAIL #{i} {name}: {type(e).__name__}: {e}\n  input: {data[:200]!r}")
        if (i + 1) % 20_000 == 0:
            print(f"  {i + 1:,} examples, {len(failures)} failures", flush=True)
    s = time.perf_counter() - t0
    print(f"examples: {a.examples:,} in {s:.1f} s → {a.examples / s:,.0f} examples/s ({chars / s:,.0f} bytes/s), "
          f"{claims:,} claims checked")
    print(f"failures: {len(failures)}")
    if a.save and failures:
        with open(a.save, "w", encoding="utf-8") as f:
            for x in failures:
                f.write(json.dumps(x, ensure_ascii=False) + "\n")
        print(f"saved to {a.save}")


if __name__ == "__main__":
    main()
