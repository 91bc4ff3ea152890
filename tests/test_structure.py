"""Step 2, structure: golden snippets, the five Nanchang samples, and "never raises" on any text."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planwatch.model import Document, Structure
from planwatch.read import read_text_bytes
from planwatch.read.normalize import fold_width
from planwatch.structure import structure

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "nanchang"
GOLDEN = Path(__file__).parent / "golden" / "structure.jsonl"


def make_doc(text: str) -> Document:
    return Document(source="x", name="x", format="txt", encoding="utf-8", original=text, text=fold_width(text))


def sample(prefix: str) -> Structure:
    (path,) = SAMPLES.glob(f"{prefix}_*.txt")
    return structure(read_text_bytes(path.read_bytes(), str(path)))


@pytest.fixture(scope="module")
def plan() -> Structure:
    return sample("004")


def the_sentence(s: Structure, fragment: str):
    found = [x for x in s.sentences if fragment in x.text]
    assert len(found) == 1, f"{fragment!r}: {[x.text for x in found]}"
    return found[0]


def check_spans(s: Structure) -> None:
    """Every span points at the characters it claims to hold."""
    text = s.document.text
    for x in s.sentences:
        assert text[x.start : x.end] == x.text and x.text == x.text.strip() and x.text
    for a, b in zip(s.sentences, s.sentences[1:]):
        assert a.end <= b.start and a.paragraph <= b.paragraph
    for r in s.rows:
        assert len(r.cells) == len(r.spans)
        assert not r.header or len(r.header) == len(r.cells)
        for cell, (a, b) in zip(r.cells, r.spans):
            assert text[a:b] == cell and r.start <= a <= b <= r.end
    for sec in s.sections:
        assert 0 <= sec.start <= sec.end <= len(text)
        assert sec.path[-1] == sec.title and len(sec.path) >= 1
    for a, b in s.toc:
        assert 0 <= a < b <= len(text)


# ---------------------------------------------------------------- golden snippets

GOLDEN_CASES = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=[c["id"] for c in GOLDEN_CASES])
def test_golden(case):
    s = structure(make_doc(case["text"]))
    check_spans(s)
    assert [[x.kind, list(x.path)] for x in s.sections] == case["sections"]
    if "sentence_count" in case:
        assert len(s.sentences) == case["sentence_count"], [x.text for x in s.sentences]
    if "sentences" in case:
        assert [x.text for x in s.sentences] == case["sentences"]
    for fragment, path in case.get("sentence_paths", {}).items():
        assert list(the_sentence(s, fragment).path) == path
    if "rows" in case:
        got = [{"table": r.table, "cells": list(r.cells), "header": list(r.header)} for r in s.rows]
        assert got == case["rows"]
        row_sentences = [x for x in s.sentences if x.row is not None]
        assert [x.row for x in row_sentences] == list(s.rows)
    if "toc_count" in case:
        assert len(s.toc) == case["toc_count"]


# ---------------------------------------------------------------- 004, the 十四五 plan outline


def toc_entries(s: Structure) -> list[str]:
    """TOC labels without page numbers, dot leaders and whitespace."""
    text = s.document.text
    labels = [re.sub(r"[\s.…]*\d+$", "", text[a:b]) for a, b in s.toc]
    return [re.sub(r"[\s.…]+", "", label) for label in labels if not re.fullmatch(r"目\s*录", label)]


def test_plan_parts_and_chapters(plan):
    kinds = Counter(x.kind for x in plan.sections)
    assert kinds["part"] == 16
    assert kinds["chapter"] == 54
    parts = [x for x in plan.sections if x.kind == "part"]
    assert parts[0].title == "第一篇 开启全面建设社会主义现代化新征程"
    assert parts[-1].title == "第十六篇 加强规划实施保障"
    for chapter in (x for x in plan.sections if x.kind == "chapter"):
        assert len(chapter.path) == 2 and chapter.path[0].startswith("第") and "篇" in chapter.path[0]


def test_plan_body_headings_match_the_toc(plan):
    """The TOC lists every 篇/章/节 once, in order: the body must yield the same sequence."""
    body = [re.sub(r"\s+", "", x.title) for x in plan.sections if x.kind in ("part", "chapter", "section")]
    entries = [e for e in toc_entries(plan) if e != "前言"]
    assert len(entries) == 233
    assert body == entries


def test_plan_sections_per_chapter(plan):
    sections = [x for x in plan.sections if x.kind == "section"]
    per_chapter = Counter(x.path[1].split()[0] for x in sections)
    assert per_chapter["第一章"] == 0
    assert per_chapter["第四章"] == 4
    assert per_chapter["第五章"] == 3
    assert per_chapter["第七章"] == 4
    assert per_chapter["第三十五章"] == 5
    assert per_chapter["第四十四章"] == 5
    assert per_chapter["第五十四章"] == 3
    assert len(sections) == 163
    for x in sections:
        assert len(x.path) == 3 and "篇" in x.path[0] and "章" in x.path[1]
    main_targets = next(x for x in sections if x.title == "第四节 主要目标")
    assert main_targets.path == ("第一篇 开启全面建设社会主义现代化新征程", "第四章 总体要求", "第四节 主要目标")


def test_plan_toc_is_excluded(plan):
    text = plan.document.text
    toc_start, toc_end = plan.toc[0][0], plan.toc[-1][1]
    assert text[toc_start:toc_end].startswith("目 录")
    assert len(plan.toc) == 235  # the title, 前言 and 233 篇/章/节 lines
    assert all(not (toc_start <= x.start < toc_end) for x in plan.sections)
    assert all(not (toc_start <= x.start < toc_end) for x in plan.sentences)
    first_chapter = next(x for x in plan.sections if x.kind == "chapter")
    assert first_chapter.start == text.index("\n第一章 发展基础\n") + 1
    assert first_chapter.start > toc_end
    assert first_chapter.end == text.index("\n第二章 发展环境\n") + 1


def test_plan_paragraphs_cut_by_page_breaks_are_joined(plan):
    cut = the_sentence(plan, "综合性工业互联网平台,建成 5")
    assert cut.text.endswith("建成 5\n\n个以上细分领域工业互联网平台,培育 50 个“5G+工业互联网”应用项目和企业。")
    assert cut.path[-1] == "(三)“入网上云”示范工程"
    share = the_sentence(plan, "比重达到 8%左右")
    assert share.path[-1] == "第四节 主要目标"
    # the footnote after a cut line is not glued to it
    assert the_sentence(plan, "五城:").text.startswith("¹")


def test_plan_boxes(plan):
    boxes = [x for x in plan.sections if x.kind == "box"]
    assert len(boxes) == 37
    talent = boxes[0]
    assert talent.title == "专栏 1:重大人才工程"
    assert talent.path[-2] == "第三节 打造成就人才的生态体系"
    # the box runs to the next chapter; its (一) headings sit inside it
    assert plan.document.text[talent.end :].startswith("第七章 提升创新发展能级")
    inner = [x for x in plan.sections if talent.start < x.start < talent.end]
    assert [x.kind for x in inner] == ["subitem"] * 3 and all(x.path[:-1] == talent.path for x in inner)
    digital = next(x for x in boxes if x.title.startswith("专栏4"))
    assert plan.document.text[digital.end :].startswith("图 4")


def test_plan_table_1(plan):
    rows = [r for r in plan.rows if r.table == "表 1:“十三五”规划主要指标完成情况"]
    assert len(rows) == 54
    gdp = rows[0]
    assert gdp.cells[:3] == ("跨越 升级", "地区生产总值 (亿元)", "3778.82")
    assert dict(zip(gdp.header, gdp.cells)) == {
        "类别": "跨越 升级",
        "指标名称": "地区生产总值 (亿元)",
        "规划目标/2015年基数": "3778.82",
        "规划目标/2020年目标": ">7000",
        "规划目标/累计或年均增长(%)": "9-10",
        "完成情况/2020年预期值": "5745.51",
        "完成情况/累计或年均增长(%)": "7.6",
        "属性": "预期性",
    }
    per_capita = rows[1]
    assert per_capita.cells[0] == "" and per_capita.cells[1] == "人均地区生产总值 (元)"
    assert per_capita.header[2] == "规划目标/2015年基数" and per_capita.cells[2] == "71683"
    # the header repeated after the page break is not a row, and the rows after it keep the header
    assert not any(r.cells[0] == "类别" or "2015年基数" in "".join(r.cells) for r in rows)
    water = next(r for r in rows if r.cells[1] == "江河湖泊水功能区水质达标率(%)")
    assert water.header[5] == "完成情况/2020年预期值" and water.cells[5] == "93"
    # the note under the table is text of the table's section, not a row
    note = the_sentence(plan, "[]为五年累计值")
    assert note.row is None and note.path[-1] == "表 1:“十三五”规划主要指标完成情况"


def test_plan_table_2(plan):
    rows = [r for r in plan.rows if r.table == "表2:南昌市“十四五”规划主要指标"]
    assert len(rows) == 31
    gdp = next(r for r in rows if r.cells[1] == "地区生产总值(亿元)")
    by_header = dict(zip(gdp.header, gdp.cells))
    assert by_header["2020年基期值"] == "5745.51"
    assert by_header["2025年目标值"] == "8200"
    assert by_header["年均或累计增长"] == "7.5左右"
    assert by_header["属性"] == "预期性"
    sentence = next(x for x in plan.sentences if x.row is gdp)
    assert sentence.text == "综合 质效\t地区生产总值(亿元)\t5745.51\t8200\t7.5左右\t预期性"
    assert sentence.path == (
        "第一篇 开启全面建设社会主义现代化新征程", "第四章 总体要求", "第四节 主要目标", "表2:南昌市“十四五”规划主要指标",
    )
    note = the_sentence(plan, "2020年基期值均为预计数")
    assert note.row is None and note.path == sentence.path
    after = the_sentence(plan, "围绕产业链部署创新链")
    assert after.path[-1] == "第一节 产业布局"


def test_plan_box_tables_take_the_box_title(plan):
    rows = [r for r in plan.rows if r.table == "专栏 37:“十四五”重大工程项目"]
    assert rows and rows[0].header == ("重点战略", "重点工程项目包", "投资估算")
    traffic = next(r for r in rows if r.cells[0] == "交通战略")
    assert traffic.cells[2] == "4500 亿元"


# ---------------------------------------------------------------- 001, 000, 003: section context for tense


def test_work_report_paths():
    s = sample("001")
    review = the_sentence(s, "预计全市规模以上工业营业收入突破6500亿元")
    assert review.path == ("一、2023年工作回顾", "(一)坚持产业强市、制造业立市,经济基础不断夯实")
    goals = the_sentence(s, "主要预期目标是")
    assert goals.path == ("二、2024年工作安排",)
    plan_item = the_sentence(s, "力争实现全市规模以上")
    assert plan_item.path == ("二、2024年工作安排", "(一)以科技创新引领现代化产业体系建设")
    items = [x for x in s.sections if x.kind == "item"]
    assert [x.title for x in items] == ["一、2023年工作回顾", "二、2024年工作安排", "三、全面加强政府自身建设"]
    subitems = Counter(x.path[0] for x in s.sections if x.kind == "subitem")
    assert subitems == {"一、2023年工作回顾": 7, "二、2024年工作安排": 7}
    note = the_sentence(s, "四首:指区域首店")
    assert note.path == ("《政府工作报告》注释",)


def test_results_article_paths():
    s = sample("000")
    first = the_sentence(s, "221.2亿元")
    assert first.path == ("工作回顾", "1 聚焦扩大内需 经济循环持续畅通")
    last = the_sentence(s, "矛盾纠纷化解率达98.5%")
    assert last.path == ("工作回顾", "8 聚焦共同富裕 民生福祉持续增进")
    assert sum(x.kind == "point" for x in s.sections) == 8


def test_district_article_paths():
    s = sample("003")
    outlook = the_sentence(s, "2025年是“十四五”规划收官之年")
    assert outlook.path == ("前景向好:坚持稳中求进",)
    assert the_sentence(s, "全区科技型中小企业达375家").path == ("产业向新:撑起发展脊梁",)


# ---------------------------------------------------------------- all samples; any text


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_sample_spans_round_trip(prefix):
    s = sample(prefix)
    check_spans(s)
    assert len(s.sentences) > 50
    # every body line is covered: no characters of a sentence line are lost but whitespace and list numbers
    covered = sum(x.end - x.start for x in s.sentences)
    assert covered > 0.8 * len(re.sub(r"\s", "", s.document.text)) - sum(b - a for a, b in s.toc)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list("第一二三四五六七八九十章节篇专栏表图注目录前言:：。!?;、,()（）\t\n .…0123456789%“”●")),
            st.characters(),
        ),
        max_size=300,
    )
)
def test_never_raises(text):
    s = structure(make_doc(text))
    check_spans(s)


@pytest.mark.parametrize(
    "text",
    ["", "\t\t\t", "\n\n\t\n", "表", "表\n表", "第一章\n" * 5, "第一章 \t1\n第一章", "专栏", "\ufeff\u3000\x85\u2028",
     "目 录\n目 录\t1", "\t1\n\t2\n注:", "1.\n(一)\n一、"],
)
def test_edge_cases(text):
    s = structure(make_doc(text))
    check_spans(s)


def test_repeated_chapter_headings_each_close_the_previous():
    s = structure(make_doc("第一章\n第一章\n第一章\n"))
    chapters = [x for x in s.sections if x.kind == "chapter"]
    assert len(chapters) == 3 and all(x.path == ("第一章",) for x in chapters)
    assert [x.end for x in chapters] == [4, 8, 12]
