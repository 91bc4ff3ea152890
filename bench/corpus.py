"""Synthetic corpus for the scale benchmarks: N documents (default 10,000 × ~30,000 chars ≈ 300 M chars) made by
recombining the seed sentences (samples/nanchang/*.txt, split by planwatch.structure) with other numbers, years
and regions (南昌县, 进贤县, 安义县, 新建区 …). Deterministic by --seed: the same arguments give the same bytes.

Most files are UTF-8 .txt, a share (--gb18030, default 10 %) GB18030 .txt, and --samples of them are also written
as PDF (WeasyPrint, needs fonts-noto-cjk) and DOCX (python-docx) beside the text files, under samples/.

    .venv/bin/python bench/corpus.py --out /tmp/pw-corpus [--docs 10000] [--chars 30000] [--seed 1] [--jobs 2]

A benchmark helper, not a test. Other scripts import `make_corpus` and `make_document`.
"""
from __future__ import annotations

import argparse
import random
import re
import time
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "nanchang"

# region → its collective word (全市 → 全县 / 全区) as the documents write it
REGIONS = {
    "南昌市": "全市", "南昌县": "全县", "进贤县": "全县", "安义县": "全县", "新建区": "全区", "东湖区": "全区",
    "西湖区": "全区", "青云谱区": "全区", "青山湖区": "全区", "红谷滩区": "全区", "湾里管理局": "全局",
    "南昌高新区": "全区", "南昌经开区": "全区", "小蓝经开区": "全区",
}
KINDS = [  # (title pattern, review heading, plan heading)
    ("{region}{year}年政府工作报告", "一、{prev}年工作回顾", "二、{year}年工作安排"),
    ("关于{region}{prev}年国民经济和社会发展计划执行情况与{year}年计划草案的报告", "一、{prev}年计划执行情况",
     "二、{year}年经济社会发展的主要目标"),
    ("{region}{prev}年国民经济和社会发展统计公报", "一、综合", "二、农业"),
    ("{region}{prev}年工作回顾", "一、经济运行", "二、重点工作"),
]
_YEAR = re.compile(r"(?<![\d.])(20[0-3]\d)(?=年)")
_NUMBER = re.compile(r"(?<![\d.])(\d+)(?:\.(\d+))?(?![\d年])")


@lru_cache(maxsize=1)
def seed_sentences() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Sentences of the seeds that hold a digit (the claim-bearing ones) and those that do not."""
    from planwatch.read import read_document
    from planwatch.structure import structure

    with_num, plain = [], []
    for path in sorted(SAMPLES.glob("*.txt")):
        doc = read_document(path)
        for s in structure(doc).sentences:
            t = s.text.strip()
            if len(t) < 8 or "\t" in t:  # table rows need their header: not recombined
                continue
            (with_num if any(c.isdigit() for c in t) else plain).append(t)
    return tuple(with_num), tuple(plain)


def _renumber(text: str, rng: random.Random, shift: int) -> str:
    text = _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)

    def num(m: re.Match) -> str:
        whole, frac = m.group(1), m.group(2)
        if len(whole) == 4 and whole.startswith(("19", "20")) and not frac:
            return whole  # a year written without 年 (2035远景目标): keep
        v = float(m.group(0)) * rng.uniform(0.6, 1.6)
        if frac:
            return f"{v:.{len(frac)}f}"
        return str(max(1, round(v)))

    return _NUMBER.sub(num, text)


def make_document(i: int, seed: int = 1, chars: int = 30_000) -> tuple[str, str]:
    """Document `i` of the corpus: (file stem, text). Pure function of (i, seed, chars)."""
    with_num, plain = seed_sentences()
    pool = with_num + plain
    rng = random.Random(seed * 1_000_003 + i)
    region = rng.choice(list(REGIONS))
    year = rng.randint(2017, 2026)
    shift = year - 2024
    title, review, plan = rng.choice(KINDS)
    fmt = {"region": region, "year": year, "prev": year - 1}
    lines = [title.format(**fmt), "", f"{region}人民政府", f"{year}年1月{rng.randint(5, 28)}日", ""]
    size = sum(map(len, lines))
    headings = [review.format(**fmt), plan.format(**fmt)]
    collective = REGIONS[region]
    part = 0
    while size < chars:
        if part < len(headings) and size >= part * chars // len(headings):
            lines.append(headings[part])
            part += 1
        para = []
        for _ in range(rng.randint(3, 7)):
            para.append(rng.choice(pool))  # the seeds' own mix of sentences with and without numbers
        text = _renumber("".join(para), rng, shift)
        if region != "南昌市":
            text = text.replace("南昌市", region).replace("全市", collective)
        lines.append("　　" + text)
        size += len(text) + 3
    return f"{i:05d}_{region}_{year}", "\n".join(lines) + "\n"


def _write(args: tuple[int, int, int, float, str]) -> tuple[int, int]:
    i, seed, chars, gb_share, out = args
    stem, text = make_document(i, seed, chars)
    gb = random.Random(seed * 7 + i).random() < gb_share
    data = text.encode("gb18030" if gb else "utf-8")
    (Path(out) / f"{stem}{'.gb' if gb else ''}.txt").write_bytes(data)
    return len(text), len(data)


def make_corpus(out: Path, docs: int = 10_000, chars: int = 30_000, seed: int = 1, gb_share: float = 0.1,
                samples: int = 2, jobs: int = 2) -> dict:
    """Write the corpus into `out` (created); returns its figures."""
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    work = [(i, seed, chars, gb_share, str(out)) for i in range(docs)]
    if jobs > 1 and docs > 50:
        seed_sentences()
        with ProcessPoolExecutor(jobs) as pool:
            sizes = list(pool.map(_write, work, chunksize=64))
    else:
        sizes = [_write(w) for w in work]
    n_chars, n_bytes = sum(c for c, _ in sizes), sum(b for _, b in sizes)
    made = []
    if samples:
        made = make_samples(out / "samples", range(min(samples, docs)), seed, min(chars, 8_000))
    return {"docs": docs, "chars": n_chars, "bytes": n_bytes, "seconds": time.perf_counter() - t0,
            "samples": [str(p) for p in made]}


def make_samples(folder: Path, ids, seed: int = 1, chars: int = 8_000) -> list[Path]:
    """The documents `ids` as PDF (WeasyPrint) and DOCX (python-docx); a library missing → that format skipped."""
    import html

    folder.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    for i in ids:
        stem, text = make_document(i, seed, chars)
        paras = [p.strip() for p in text.splitlines() if p.strip()]
        try:
            from weasyprint import HTML

            body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
            HTML(string=f"<html><head><meta charset='utf-8'><style>body{{font-family:'Noto Sans CJK SC'}}"
                        f"</style></head><body>{body}</body></html>").write_pdf(folder / f"{stem}.pdf")
            made.append(folder / f"{stem}.pdf")
        except ImportError:
            pass
        try:
            import docx

            d = docx.Document()
            for p in paras:
                d.add_paragraph(p)
            d.save(folder / f"{stem}.docx")
            made.append(folder / f"{stem}.docx")
        except ImportError:
            pass
    return made


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--chars", type=int, default=30_000, help="characters per document (about)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gb18030", type=float, default=0.1, help="share of files written in GB18030")
    ap.add_argument("--samples", type=int, default=2, help="documents also written as PDF and DOCX")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    r = make_corpus(a.out, a.docs, a.chars, a.seed, a.gb18030, a.samples, a.jobs)
    print(f"corpus: {r['docs']:,} documents, {r['chars']:,} chars, {r['bytes'] / 1e6:,.1f} MB in {a.out} "
          f"({r['seconds']:.1f} s, {r['chars'] / r['seconds']:,.0f} chars/s)")
    for p in r["samples"]:
        print(f"sample: {p}")


if __name__ == "__main__":
    main()
