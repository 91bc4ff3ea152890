"""Step 3, quantities: golden cases (tests/golden/quantities.jsonl), the traps of DESIGN.md, never raises."""
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from planwatch.quantities import chinese_to_number, find_quantities
from planwatch.read import fold_width

GOLDEN = [json.loads(line) for line in (Path(__file__).parent / "golden" / "quantities.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", GOLDEN, ids=[c["why"] for c in GOLDEN])
def test_golden(case):
    text = fold_width(case["text"])
    got = [[q.value, q.unit, q.comparator] for q in find_quantities(text)]
    assert got == [[float(v), u, c] for v, u, c in case["expect"]], case["why"]


def test_spans_cover_the_number_and_unit():
    text = "社会消费品零售总额达到 3600 亿元，增长8%左右"
    qs = find_quantities(text)
    assert [text[q.start:q.end] for q in qs] == ["3600 亿元", "8%"]
    assert [q.surface for q in qs] == ["3600 亿元", "8%"]


def test_multiplier_and_base_unit():
    (q,) = find_quantities("本外币贷款余额突破2万亿元")
    assert (q.value, q.unit, q.multiplier, q.base_unit) == (2.0, "万亿元", 1e12, "元")


@pytest.mark.parametrize("numeral,value", [("一千二百", 1200), ("两", 2), ("十二", 12), ("五千", 5000),
                                           ("二〇三五", 2035), ("三万五千", 35000), ("一百零五", 105)])
def test_chinese_numerals(numeral, value):
    assert chinese_to_number(numeral) == value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.%-:[]约超以上左右亿万千百十一二两三个家元年月第“”，。\t\n 表G+")), max_size=80))
def test_never_raises_on_number_soup(text):
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_text(text):
    find_quantities(text)
