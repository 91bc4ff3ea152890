"""Step 4, claims: golden documents (tests/golden/claims.jsonl), the JSONL contract, the dev gold floor."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from planwatch.claims import extract_claims
from planwatch.model import Document
from planwatch.read import fold_width, read_text_bytes

HERE = Path(__file__).parent
ROOT = HERE.parent
GOLDEN = [json.loads(line) for line in (HERE / "golden" / "claims.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
SHARED = ROOT.parent / "shared"


def _claims(text: str):
    doc = read_text_bytes(text.encode("utf-8"), "golden.txt")
    return doc, extract_claims(doc)


@pytest.mark.parametrize("case", GOLDEN, ids=[c["why"] for c in GOLDEN])
def test_golden(case):
    doc, claims = _claims(case["doc"])
    assert len(claims) == len(case["expect"]), [(c.value, c.unit, c.kind, c.rule) for c in claims]
    for claim, want in zip(claims, case["expect"]):
        rec = claim.as_record()
        for key, value in want.items():
            assert rec[key] == value, (key, rec)
        # every claim is traceable: its quote is the original text at its span and holds the number
        assert doc.original[claim.start:claim.end] == claim.quote
        assert claim.rule


def test_deciding_rule_is_kept():
    _, claims = _claims("政府工作报告\n——2024年1月15日\n\n一、2023年工作回顾\n\n新增上市公司5家。\n")
    (c,) = claims
    assert c.kind == "actual" and "section_review" in c.rule


def test_extract_cli_jsonl_contract(tmp_path):
    src = tmp_path / "report.txt"
    src.write_text(GOLDEN[0]["doc"], encoding="gb18030")  # a GB18030 file reads the same
    out = subprocess.run([sys.executable, "-m", "planwatch", "extract", str(src), "--format", "jsonl"],
                         capture_output=True, text=True, check=True)
    records = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(records) == 6
    keys = {"doc", "start", "end", "quote", "kind", "measure", "indicator", "region", "value", "value_max", "unit",
            "comparator", "qualifier", "period", "target_year", "baseline_value", "baseline_year", "attribute", "rule"}
    text = src.read_text(encoding="gb18030")
    for r in records:
        assert keys <= set(r)
        assert r["doc"] == "report.txt"
        assert text[r["start"]:r["end"]] == r["quote"]


def test_extract_cli_goes_on_after_a_bad_file(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOLDEN[3]["doc"], encoding="utf-8")
    bad = tmp_path / "junk.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    out = subprocess.run([sys.executable, "-m", "planwatch", "extract", str(bad), str(good)], capture_output=True, text=True)
    assert out.returncode == 1
    assert "junk.txt" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stdout.splitlines()) == 3


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.%-[]约超以上左右亿万个家元年第“”，。；\t\n表一二章节到力争完成增长预计累计分别均、")), max_size=200))
def test_never_raises(text):
    doc = Document(source="x", name="x.txt", format="txt", encoding="utf-8", original=text, text=fold_width(text))
    for c in extract_claims(doc):
        assert c.quote == text[c.start:c.end]


@pytest.mark.skipif(not (SHARED / "gold" / "dev").is_dir(), reason="../shared/gold/dev not beside this checkout")
def test_dev_gold_floor():
    """The dev gold (004 + 001): the issue's floors. The figures themselves are printed by `planwatch eval`."""
    from planwatch.evaluate import load_gold, score
    from planwatch.read import read_document

    texts, preds = {}, []
    for path in sorted((ROOT / "samples" / "nanchang").glob("*.txt")):
        doc = read_document(path)
        texts[doc.name] = doc.original
        preds.extend(c.as_record() for c in extract_claims(doc))
    s = score(preds, load_gold(SHARED / "gold" / "dev", texts)).summary()
    assert s["f1"] >= 0.97 and s["type_accuracy"] >= 0.97 and s["comparator_accuracy"] >= 0.95, s
