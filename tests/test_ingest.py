"""Ingest: the five seeds go in whole, the same bytes twice are a no-op, a bad file does not stop the batch,
and a run killed with SIGKILL leaves only complete documents — on SQLite and on PostgreSQL.

These run the real pipeline (read → structure → claims) on the seeds: no part of planwatch is faked.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from planwatch.read import read_document
from planwatch.services.ingest import extract_document, ingest_paths
from planwatch.metadata import infer_metadata
from planwatch.store import ClaimRow, DocumentRow, Region, SectionRow

ROOT = Path(__file__).resolve().parents[1]

# The metadata a user expects for the seeds (issue 4): type from the title, region, the report's own year.
SEED_META = {
    "000": ("article", "南昌市", 2024),  # “2024 工作回顾”
    "001": ("work_report", "南昌市", 2024),  # dated 2024年1月15日, reviews 2023
    "002": ("article", "南昌县", 2023),
    "003": ("article", "青山湖区", 2024),
    "004": ("five_year_plan", "南昌市", 2021),  # 第十四个五年规划: 2021–2025
}


def expected_claims(path: Path) -> int:
    doc = read_document(path)
    return len(extract_document(doc, infer_metadata(doc))[1])


def stored(factory) -> dict[str, dict]:
    with factory() as s:
        out = {}
        for d in s.scalars(select(DocumentRow)):
            claims = list(d.claims)
            out[d.name] = {"id": d.id, "type": d.doc_type, "region": d.region_name, "year": d.year,
                           "claims": len(claims), "sections": len(d.sections),
                           "quotes_ok": all(d.original[c.start:c.end] == c.quote for c in claims),
                           "claim_ids": sorted(c.id for c in claims), "sha": d.sha256}
        return out


def test_ingest_stores_every_seed_with_its_claims_and_metadata(db, seed_dir):
    report = ingest_paths(db, [seed_dir], reassess=False)
    assert [(Path(f.path).name[:3], f.status) for f in report.files] == [(k, "new") for k in SEED_META]
    docs = stored(db)
    for path in sorted(seed_dir.glob("*.txt")):
        d = docs[path.name]
        assert (d["type"], d["region"], d["year"]) == SEED_META[path.name[:3]], path.name
        assert d["claims"] == expected_claims(path) > 0, path.name
        assert d["quotes_ok"], f"{path.name}: a stored span does not point at its quote"
    assert docs["004_8e5210381ffd19f4.txt"]["sections"] > 50  # 篇/章/节 of the plan
    with db() as s:  # regions with their levels and parents, from data/regions.yaml
        regions = {r.name: (r.level, r.parent.name if r.parent else None) for r in s.scalars(select(Region))}
    assert regions["青山湖区"] == ("district", "南昌市") and regions["南昌市"] == ("city", "江西省")


def test_given_metadata_wins(db, seed_dir):
    ingest_paths(db, [seed_dir / "002_a7b25a9fdb0ac2e0.txt"], doc_type="statistical_bulletin", region="南昌市",
                 year=2022, reassess=False)
    d = stored(db)["002_a7b25a9fdb0ac2e0.txt"]
    assert (d["type"], d["region"], d["year"]) == ("statistical_bulletin", "南昌市", 2022)


def test_reingesting_the_same_bytes_is_a_noop(db, seed_dir):
    ingest_paths(db, [seed_dir], reassess=False)
    before = stored(db)
    copy_dir = seed_dir  # the same files again, and nothing is re-extracted or rewritten
    report = ingest_paths(db, [copy_dir], reassess=False)
    assert {f.status for f in report.files} == {"unchanged"}
    assert [f.claims for f in report.files] == [before[Path(f.path).name]["claims"] for f in report.files]
    assert stored(db) == before
    with db() as s:
        assert s.scalar(select(func.max(ClaimRow.version))) == 1  # no row was touched


def test_a_failed_file_is_reported_and_the_rest_goes_on(db, seed_dir, tmp_path):
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_broken.pdf").write_bytes(b"%PDF-1.7\n garbage, not a PDF at all")
    (tmp_path / "c_binary.txt").write_bytes(bytes(range(256)) * 4)
    shutil.copy(seed_dir / "001_d698cca8952d26ee.txt", tmp_path / "d_report.txt")
    report = ingest_paths(db, [tmp_path, tmp_path / "missing.txt"], reassess=False)
    status = {Path(f.path).name: (f.status, f.reason) for f in report.files}
    assert status["d_report.txt"][0] == "new"
    for name in ("a_empty.txt", "b_broken.pdf", "c_binary.txt", "missing.txt"):
        assert status[name][0] == "failed" and status[name][1], name
    assert "empty" in status["a_empty.txt"][1] and "no such file" in status["missing.txt"][1]
    assert not report.ok and len(report.failed) == 4
    assert list(stored(db)) == ["d_report.txt"]


def _variants(seed_dir: Path, out: Path, copies: int) -> list[Path]:
    """Distinct files (different bytes) with the seeds' text: many documents to be killed in the middle of."""
    out.mkdir()
    files = []
    for i in range(copies):
        for seed in sorted(seed_dir.glob("*.txt")):
            f = out / f"{i:02d}_{seed.name}"
            f.write_bytes(seed.read_bytes() + f"\n附件{i}\n".encode())
            files.append(f)
    return files


def _count_documents(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM document")).scalar()
    except Exception:  # the schema may not exist yet
        return 0
    finally:
        engine.dispose()


def _ingest_and_kill_9(db_url: str, tmp_path: Path, *options: str) -> None:
    """`planwatch ingest tmp_path/docs`, killed with SIGKILL once 3 documents are stored: mid-way through."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "planwatch", "ingest", str(tmp_path / "docs"), "--db", db_url,
                             *options], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while _count_documents(db_url) < 3:
            assert proc.poll() is None, "ingest ended before it could be killed"
            assert time.monotonic() < deadline, "ingest stored nothing in 120 s"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL


def test_kill_9_during_ingest_leaves_only_complete_documents(db_url, seed_dir, tmp_path):
    files = _variants(seed_dir, tmp_path / "docs", copies=4)
    _ingest_and_kill_9(db_url, tmp_path)

    from planwatch.store import engine_of, open_db

    factory = open_db(db_url)
    try:
        docs = stored(factory)
        assert 3 <= len(docs) < len(files), "the kill did not land mid-batch"
        by_name = {f.name: f for f in files}
        for name, d in docs.items():  # every stored document has all of its claims and sections
            assert d["claims"] == expected_claims(by_name[name]), name
            assert d["sections"] > 0 and d["quotes_ok"], name
        with factory() as s:  # and nothing hangs off a document that is not there
            doc_ids = select(DocumentRow.id)
            assert s.scalar(select(func.count()).select_from(ClaimRow).where(ClaimRow.document_id.not_in(doc_ids))) == 0
            assert s.scalar(select(func.count()).select_from(SectionRow).where(SectionRow.document_id.not_in(doc_ids))) == 0
        # the next run completes the batch: what was stored is unchanged, the rest is new
        report = ingest_paths(factory, [tmp_path / "docs"], reassess=False)
        assert report.count("unchanged") == len(docs) and report.count("new") == len(files) - len(docs)
    finally:
        engine_of(factory).dispose()


def _search_indexes(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.scalars(text("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%_trgm'")))
    finally:
        engine.dispose()


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_a_bulk_load_drops_the_search_index_and_builds_it_again(db_url, seed_dir, tmp_path):
    from planwatch.services.search import search
    from planwatch.store import engine_of, open_db
    from planwatch.store.search_index import PG_SEARCH_INDEXES, ensure_search_index, search_index_suspended

    factory = open_db(db_url)
    try:
        assert _search_indexes(db_url) == set(PG_SEARCH_INDEXES)
        during = []
        files = _variants(seed_dir, tmp_path / "docs", copies=2)
        report = ingest_paths(factory, [tmp_path / "docs"], reassess=False, bulk=True,
                              progress=lambda done, total, path, r: during.append(_search_indexes(db_url)))
        assert report.count("new") == len(files)
        assert during and all(names == set() for names in during)  # no index to update while loading
        assert _search_indexes(db_url) == set(PG_SEARCH_INDEXES)  # and both built again after
        with factory() as s:  # the rebuilt index finds what a scan finds
            found = search(s, "地区生产总值", limit=100)
            assert found["method"] == "trgm" and found["documents_total"] == sum(
                "地区生产总值" in f.read_text(encoding="utf-8") for f in files)
        # a failing load builds them again too; while a load runs, opening the database does not race it
        with pytest.raises(RuntimeError), search_index_suspended(engine_of(factory)):
            assert ensure_search_index(engine_of(factory)) == [] and _search_indexes(db_url) == set()
            raise RuntimeError("the load failed")
        assert _search_indexes(db_url) == set(PG_SEARCH_INDEXES)
    finally:
        engine_of(factory).dispose()


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_kill_9_during_a_bulk_load_the_next_command_builds_the_search_index(db_url, seed_dir, tmp_path):
    from planwatch.store import engine_of, open_db
    from planwatch.store.search_index import PG_SEARCH_INDEXES

    engine_of(open_db(db_url)).dispose()
    _variants(seed_dir, tmp_path / "docs", copies=4)
    _ingest_and_kill_9(db_url, tmp_path, "--bulk")
    assert _search_indexes(db_url) == set()  # killed mid-load: nothing built them again
    factory = open_db(db_url)  # what any next planwatch command does first
    try:
        assert _search_indexes(db_url) == set(PG_SEARCH_INDEXES)
    finally:
        engine_of(factory).dispose()


def test_cli_ingest_prints_a_summary_and_fails_when_a_file_failed(db_url, seed_dir, tmp_path):
    from typer.testing import CliRunner

    from planwatch.cli import app

    shutil.copy(seed_dir / "003_92562d3a8dbc5146.txt", tmp_path / "district.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    run = CliRunner().invoke
    r = run(app, ["ingest", str(tmp_path), "--db", db_url])
    assert r.exit_code == 1, r.output
    for word in ("district.txt", "new", "青山湖区", "empty.txt", "failed", "empty file"):
        assert word in r.output, word
    (tmp_path / "empty.txt").unlink()
    r = run(app, ["ingest", str(tmp_path), "--db", db_url])
    assert r.exit_code == 0 and "unchanged" in r.output, r.output


def test_cli_tables_show_qualitative_targets(tmp_path, seed_dir):
    """The plan's 省下达目标 / 全省领先 targets have no value: the table views print them, not crash on them."""
    from typer.testing import CliRunner

    from planwatch.cli import app

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    run = CliRunner().invoke
    r = run(app, ["ingest", str(seed_dir / "004_8e5210381ffd19f4.txt"), "--db", url, "--as-of", "2024"])
    assert r.exit_code == 0, r.output
    r = run(app, ["assess", "--db", url, "--as-of", "2024", "--format", "table"])
    assert r.exit_code == 0, r.output
    assert "—" in r.output or "省" in r.output  # the qualitative rows are printed (cells wrap in a narrow terminal)
    r = run(app, ["assess", "--db", url, "--as-of", "2024"])
    qualitative = [json.loads(line) for line in r.stdout.splitlines() if json.loads(line)["target"]["value"] is None]
    assert qualitative and {q["status"] for q in qualitative} <= {"met", "not_assessable"}
