"""Corrections: edits, confirmations, rejections, links and overrides are audited, survive re-extraction and
reassessment, and a stale edit is refused — on SQLite and on PostgreSQL. The seeds go through the real pipeline.
"""
from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from planwatch.services.assessments import assessment_records, reassess
from planwatch.services.ingest import ingest_paths
from planwatch.services.review import (
    ConflictError, ReviewError, add_link, confirm_claim, edit_claim, override_assessment, reject_claim, remove_link,
)
from planwatch.store import Audit, ClaimRow, DocumentRow
from planwatch.store.repo import ensure_user, get_link

REPORT = "001_d698cca8952d26ee.txt"  # 2024 work report: 推进27个城中村改造，240个老旧小区改造 …
RESULTS = "000_968940452adb4bb1.txt"  # 2024 review: 完成老旧小区改造240个，推进城中村改造项目26个


def claim_id(factory, doc: str, quote: str, kind: str) -> int:
    with factory() as s:
        rows = [c for c in s.scalars(select(ClaimRow).join(ClaimRow.document).where(
            DocumentRow.name.startswith(doc[:3]), ClaimRow.quote == quote, ClaimRow.kind == kind))]
    assert len(rows) == 1, f"{doc[:3]} {kind} {quote!r}: {len(rows)} claims"
    return rows[0].id


def claims_at(factory, doc_id: int, start: int, end: int) -> list[ClaimRow]:
    with factory() as s:
        return list(s.scalars(select(ClaimRow).where(ClaimRow.document_id == doc_id, ClaimRow.start == start,
                                                     ClaimRow.end == end)))


def row(factory, cid: int) -> ClaimRow:
    with factory() as s:
        return s.get(ClaimRow, cid)


@pytest.fixture
def report_db(db, seed_dir, tmp_path):
    """The 2024 work report (a copy we may change) stored in a fresh database."""
    path = tmp_path / REPORT
    shutil.copy(seed_dir / REPORT, path)
    assert ingest_paths(db, [path], reassess=False).files[0].status == "new"
    return db, path


def test_an_edit_is_marked_and_audited(report_db):
    db, _ = report_db
    cid = claim_id(db, REPORT, "27个", "target")
    with db.begin() as s:
        edit_claim(s, cid, {"value": "28", "indicator": "城中村改造项目"}, user="alice", version=1, reason="typo")
    c = row(db, cid)
    assert (c.value, c.indicator, c.review_status, c.human, c.version) == (28.0, "城中村改造项目", "corrected", True, 2)
    assert c.corrected_fields == ["indicator", "value"]
    assert c.extracted["value"] == 27.0  # what the machine read stays on record
    with db() as s:
        (a,) = s.scalars(select(Audit))
        assert (a.who, a.what, a.entity, a.entity_id, a.reason) == ("alice", "claim.edit", "claim", cid, "typo")
        assert (a.before["value"], a.after["value"]) == (27.0, 28.0)
        assert a.at is not None


def test_corrections_survive_forced_reextraction(report_db):
    db, path = report_db
    edited, rejected = claim_id(db, REPORT, "27个", "target"), claim_id(db, REPORT, "42亿斤", "target")
    confirmed = claim_id(db, REPORT, "240个", "target")
    with db() as s:
        all_ids = set(s.scalars(select(ClaimRow.id)))
    with db.begin() as s:
        edit_claim(s, edited, {"value": 28}, user="alice")
        reject_claim(s, rejected, user="alice", reason="not a 2024 commitment")
        confirm_claim(s, confirmed, user="bob")
    report = ingest_paths(db, [path], force=True, reassess=False)
    assert (report.files[0].status, report.files[0].kept_human) == ("updated", 3)
    e, r, c = row(db, edited), row(db, rejected), row(db, confirmed)
    assert (e.value, e.review_status) == (28.0, "corrected")
    assert r.review_status == "rejected" and c.review_status == "confirmed"
    for x in (e, r, c):  # and no fresh copy of a reviewed number appeared beside it
        assert [y.id for y in claims_at(db, x.document_id, x.start, x.end)] == [x.id]
    with db() as s:
        assert set(s.scalars(select(ClaimRow.id))) == all_ids  # every claim kept its id


def test_corrections_survive_a_changed_version_of_the_file(report_db):
    db, path = report_db
    cid = claim_id(db, REPORT, "27个", "target")
    old = row(db, cid)
    with db() as s:
        old_sha = s.get(DocumentRow, old.document_id).sha256
    with db.begin() as s:
        edit_claim(s, cid, {"value": 28}, user="alice")
    insert = "（本段为修订稿新增的说明文字。）\n"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("二、2024年工作安排", insert + "二、2024年工作安排", 1), encoding="utf-8")
    result = ingest_paths(db, [path], reassess=False).files[0]
    assert (result.status, result.kept_human) == ("updated", 1)
    c = row(db, cid)
    assert (c.value, c.review_status, c.anchor_lost) == (28.0, "corrected", False)
    assert c.start == old.start + len(insert)  # moved with its quote
    with db() as s:
        d = s.get(DocumentRow, c.document_id)
        assert d.original[c.start:c.end] == "27个" and d.sha256 != old_sha
        assert s.scalar(select(DocumentRow.id).where(DocumentRow.id != d.id)) is None  # one document, updated
    assert [x.id for x in claims_at(db, c.document_id, c.start, c.end)] == [cid]


def test_a_stale_edit_is_refused(report_db):
    db, _ = report_db
    cid = claim_id(db, REPORT, "27个", "target")
    with db.begin() as s:
        edit_claim(s, cid, {"value": 28}, user="alice", version=1)
    with pytest.raises(ConflictError):
        with db.begin() as s:
            edit_claim(s, cid, {"value": 29}, user="bob", version=1)  # bob read version 1
    # two editors at once: bob's session loaded the claim before alice committed
    bob = db()
    bob_row = bob.get(ClaimRow, cid)
    assert bob_row.version == 2
    with db.begin() as s:
        edit_claim(s, cid, {"value": 30}, user="alice")
    with pytest.raises(ConflictError):
        edit_claim(bob, cid, {"value": 31}, user="bob")
    bob.rollback()
    bob.close()
    assert (row(db, cid).value, row(db, cid).version) == (30.0, 3)
    with db() as s:
        assert [a.who for a in s.scalars(select(Audit).order_by(Audit.id))] == ["alice", "alice"]


def test_bad_corrections_are_refused(report_db):
    db, _ = report_db
    target, actual = claim_id(db, REPORT, "27个", "target"), claim_id(db, REPORT, "42亿斤", "target")
    cases = [
        lambda s: edit_claim(s, target, {"kind": "promise"}, user="alice"),
        lambda s: edit_claim(s, target, {"value": "many"}, user="alice"),
        lambda s: edit_claim(s, target, {"quote": "x"}, user="alice"),
        lambda s: edit_claim(s, 10 ** 9, {"value": 1}, user="alice"),
        lambda s: edit_claim(s, target, {"value": 1}, user=""),
        lambda s: add_link(s, target, actual, user="alice"),  # a target cannot answer a target
        lambda s: override_assessment(s, target, "met", reason=" ", user="alice"),
        lambda s: override_assessment(s, target, "done", reason="x", user="alice"),
    ]
    for case in cases:
        with pytest.raises(ReviewError):
            with db.begin() as s:
                case(s)
    with db.begin() as s:
        ensure_user(s, "carol", role="viewer")
    with pytest.raises(ReviewError, match="viewer"):
        with db.begin() as s:
            edit_claim(s, target, {"value": 1}, user="carol")
    assert row(db, target).version == 1


@pytest.fixture
def ledger(db, seed_dir, tmp_path):
    """The 2024 report and the 2024 results, linked and assessed as of 2024."""
    for name in (REPORT, RESULTS):
        shutil.copy(seed_dir / name, tmp_path / name)
    report = ingest_paths(db, [tmp_path], as_of=2024)
    assert report.ok, report.reassess_error
    return db, tmp_path


def verdict(factory, target: int, as_of: int = 2024) -> dict:
    with factory() as s:
        return next(r for r in assessment_records(s, as_of) if r["target"]["id"] == target)


def test_links_and_overrides_survive_reassessment_and_reextraction(ledger):
    db, folder = ledger
    target, found = claim_id(db, REPORT, "27个", "target"), claim_id(db, RESULTS, "26个", "actual")
    other = claim_id(db, RESULTS, "240个", "actual")
    assert verdict(db, target)["status"] == "not_met"
    with db() as s:
        assert get_link(s, target, found).status == "auto"
    with db.begin() as s:
        remove_link(s, target, found, user="alice", reason="wrong scope")
        add_link(s, target, other, user="alice", reason="test")
        override_assessment(s, target, "basically_met", reason="省里认定基本完成", user="bob", as_of=2024)
    for _ in range(2):  # reassess, then re-extract everything and reassess again
        with db.begin() as s:
            reassess(s, 2024)
        with db() as s:
            assert get_link(s, target, found).status == "rejected"
            assert get_link(s, target, other).status == "manual"
        v = verdict(db, target)
        assert (v["status"], v["override"]["status"], v["override"]["by"]) == ("basically_met", "basically_met", "bob")
        assert [a["id"] for a in v["actuals"]] == [other]  # the verdict used the human link, not the rejected one
        assert "省里认定基本完成" in v["explanation"]
        ingest_paths(db, [folder], force=True, as_of=2024)
    with db() as s:
        whats = [a.what for a in s.scalars(select(Audit).order_by(Audit.id))]
    assert whats == ["link.remove", "link.add", "assessment.override"]


def test_assess_records_follow_the_contract(ledger):
    db, _ = ledger
    with db() as s:
        records = assessment_records(s, 2024)
    assert records
    fields = {"doc", "start", "end", "quote", "kind", "measure", "indicator", "region", "value", "value_max", "unit",
              "comparator", "qualifier", "period", "target_year", "baseline_value", "baseline_year", "attribute",
              "rule"}
    for r in records:
        assert {"target", "actuals", "status", "progress", "required_growth", "explanation", "thresholds"} <= set(r)
        assert fields <= set(r["target"]) and all(fields <= set(a) for a in r["actuals"])
        assert r["target"]["kind"] == "target" and all(a["kind"] == "actual" for a in r["actuals"])
        json.dumps(r, ensure_ascii=False)
    by_quote = {(r["target"]["doc"][:3], r["target"]["quote"]): r["status"] for r in records}
    assert by_quote[("001", "27个")] == "not_met"  # 推进27个城中村改造 vs 推进城中村改造项目26个
    assert by_quote[("001", "240个")] == "met"


def test_cli_corrections(ledger):
    from planwatch.cli import app

    db, _ = ledger
    url = str(db.kw["bind"].url.render_as_string(hide_password=False))
    target = claim_id(db, REPORT, "27个", "target")
    run = CliRunner().invoke
    r = run(app, ["claims", "edit", str(target), "--value", "26", "--version", "1", "--reason", "核对原文",
                  "--db", url, "--user", "alice"])
    assert r.exit_code == 0, r.output
    r = run(app, ["claims", "edit", str(target), "--value", "25", "--version", "1", "--db", url, "--user", "bob"])
    assert r.exit_code == 3 and "conflict" in r.output  # stale version
    r = run(app, ["override", str(target), "met", "--db", url, "--user", "bob"])
    assert r.exit_code == 1 and "reason" in r.output
    r = run(app, ["override", str(target), "met", "--reason", "人工核定", "--as-of", "2024", "--db", url,
                  "--user", "bob"])
    assert r.exit_code == 0, r.output
    r = run(app, ["audit", "--db", url])
    trail = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(a["who"], a["what"]) for a in trail] == [("bob", "assessment.override"), ("alice", "claim.edit")]
    r = run(app, ["assess", "--db", url, "--as-of", "2024"])
    assert r.exit_code == 0
    rec = next(json.loads(line) for line in r.stdout.splitlines() if json.loads(line)["target"]["id"] == target)
    assert (rec["status"], rec["target"]["value"]) == ("met", 26.0)


def test_a_rejected_claim_leaves_the_overview_counts(report_db):
    from planwatch.services.queries import overview

    db, _ = report_db
    with db() as s:
        before = overview(s)
    cid = claim_id(db, REPORT, "27个", "target")
    with db.begin() as s:
        reject_claim(s, cid, user="alice", version=1, reason="not a target")
    with db() as s:
        after = overview(s)
    assert after["targets"] == before["targets"] - 1 and after["actuals"] == before["actuals"]


def test_claim_search_follows_edits_and_deletions(db, seed_dir):
    """The claim search index (FTS5 triggers on SQLite, trigram indexes on PostgreSQL) must agree with the rows
    after an edit, a re-extraction and a deletion, as a plain substring scan does."""
    from sqlalchemy import delete

    from planwatch.services.search import search

    assert ingest_paths(db, [seed_dir / REPORT], reassess=False).files[0].status == "new"

    def scanned(term: str) -> int:  # the answer without any index
        with db() as s:
            return sum(term in (c.indicator + "\x00" + c.quote + "\x00" + c.section)
                       for c in s.scalars(select(ClaimRow).where(ClaimRow.review_status != "rejected")))

    with db() as s:
        for term in ("地区生产总值", "城中村改造", "粮食", "不存在的指标"):
            assert search(s, term, limit=500)["claims_total"] == scanned(term), term
    cid = claim_id(db, REPORT, "27个", "target")
    with db.begin() as s:
        edit_claim(s, cid, {"indicator": "试点指标甲乙丙"}, user="alice", version=1, reason="test")
    with db() as s:
        assert [c["id"] for c in search(s, "试点指标甲乙丙")["claims"]] == [cid]
        assert search(s, "城中村改造")["claims_total"] == scanned("城中村改造")  # the old words left the index
    with db.begin() as s:
        s.execute(delete(ClaimRow))
    with db() as s:
        assert search(s, "地区生产总值")["claims_total"] == 0
