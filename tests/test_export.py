"""Exports and the round trip: export the samples' claims as JSON Lines and CSV, import each into an empty
database, re-assess — the same assessments (statuses and numbers), on SQLite and on PostgreSQL. Open SDG
CSV and SDMX-CSV parse with csv and have the expected columns."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

AS_OF = 2024


def _ingest(url: str, *paths: Path) -> None:
    from planwatch.services.ingest import ingest_paths
    from planwatch.store import engine_of, open_db

    factory = open_db(url)
    try:
        assert ingest_paths(factory, list(paths), as_of=AS_OF).ok
    finally:
        engine_of(factory).dispose()


def _assessments(url: str) -> dict:
    """Assessments keyed by what identifies a target across databases (ids may differ)."""
    from planwatch.services.assessments import assessment_records
    from planwatch.store import engine_of, open_db

    factory = open_db(url)
    try:
        with factory() as s:
            records = assessment_records(s, AS_OF)
    finally:
        engine_of(factory).dispose()
    out = {}
    for r in records:
        t = r["target"]
        key = (t["doc"], t["start"], t["end"], t["kind"], t["indicator"], t["measure"])
        out[key] = (r["status"], r["computed_status"], r["progress"], r["time_progress"], r["required_growth"],
                    r["forecast"], json.dumps(r["numbers"], sort_keys=True), r["explanation"], r["override"] and
                    r["override"]["status"], sorted((a["doc"], a["start"], a["value"]) for a in r["actuals"]))
    return out


def _cli(*args):
    from typer.testing import CliRunner

    from planwatch.cli import app

    res = CliRunner().invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res.output


def test_round_trip_jsonl_and_csv(db_url, make_db_url, seed_dir, tmp_path):
    from planwatch.services.review import override_assessment
    from planwatch.store import engine_of, open_db

    _ingest(db_url, seed_dir)
    # a human decision travels too: override one verdict, then re-assess as the CLI does
    factory = open_db(db_url)
    with factory.begin() as s:
        from planwatch.services.assessments import assessment_records, reassess

        tid = assessment_records(s, AS_OF)[0]["target"]["id"]
        override_assessment(s, tid, "met", reason="省统计局核定", user="tester", as_of=AS_OF)
        reassess(s, AS_OF)
    engine_of(factory).dispose()
    before = _assessments(db_url)
    assert len(before) > 300 and any(v[8] == "met" for v in before.values())

    for fmt in ("jsonl", "csv"):
        path = tmp_path / f"claims.{fmt}"
        _cli("export", "--db", db_url, "--what", "claims", "--format", fmt, "--out", path)
        target = make_db_url()
        out = _cli("import", path, "--db", target, "--as-of", AS_OF)
        assert "imported 5 documents" in out
        after = _assessments(target)
        assert after.keys() == before.keys(), fmt
        diff = [k for k in before if before[k] != after[k]]
        assert not diff, (fmt, diff[:3], [before[k] for k in diff[:1]], [after[k] for k in diff[:1]])


def test_import_refuses_a_non_empty_database(db_url, seed_dir, tmp_path):
    from typer.testing import CliRunner

    from planwatch.cli import app

    _ingest(db_url, next(seed_dir.glob("002_*.txt")))  # one small document is enough to be non-empty
    path = tmp_path / "claims.jsonl"
    _cli("export", "--db", db_url, "--what", "claims", "--format", "jsonl", "--out", path)
    res = CliRunner().invoke(app, ["import", str(path), "--db", db_url])
    assert res.exit_code == 1 and "empty database" in res.output


@pytest.fixture(scope="module")
def sqlite_ledger(tmp_path_factory):
    from conftest import SEED_DIR

    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'planwatch.db'}"
    _ingest(url, SEED_DIR)
    return url


def test_table_exports(sqlite_ledger, tmp_path):
    from openpyxl import load_workbook

    claims = [json.loads(line) for line in _cli("export", "--db", sqlite_ledger, "--what", "claims").splitlines()]
    assert {"id", "doc", "doc_sha256", "doc_type", "quote", "kind", "value", "links", "overrides"} <= set(claims[0])
    rows = list(csv.DictReader(io.StringIO(_cli("export", "--db", sqlite_ledger, "--what", "assessments",
                                                "--format", "csv").lstrip("\ufeff"))))
    assert rows and {"target_id", "indicator", "status", "progress", "numbers", "explanation"} <= set(rows[0])
    assert {r["status"] for r in rows} >= {"met", "not_met", "lagging"}
    xlsx = tmp_path / "indicators.xlsx"
    _cli("export", "--db", sqlite_ledger, "--what", "indicators", "--format", "xlsx", "--out", xlsx)
    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[1]][:3] == ["code", "name", "aliases"] and ws.max_row > 50


def test_opensdg(sqlite_ledger, tmp_path):
    folder = tmp_path / "opensdg"
    printed = _cli("export", "--db", sqlite_ledger, "--format", "opensdg", "--out", folder).split()
    meta = list(csv.DictReader(io.StringIO((folder / "metadata.csv").read_text(encoding="utf-8-sig"))))
    assert len(printed) == len(meta) + 1 and len(meta) > 20
    files = {m["file"]: m for m in meta}
    rd = next(m for m in meta if m["name"] == "地区生产总值")
    assert rd["targets"] and rd["sources"]
    for name in files:
        rows = list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8-sig"))))
        assert rows, name
        assert list(rows[0]) == ["Year", "Region", "Series", "Units", "Value"]
        keys = [(r["Year"], r["Region"], r["Series"], r["Units"]) for r in rows]
        assert len(keys) == len(set(keys)), name  # one value per year and disaggregation
        for r in rows:
            int(r["Year"]), float(r["Value"])
    gdp = list(csv.DictReader(io.StringIO((folder / rd["file"]).read_text(encoding="utf-8-sig"))))
    assert ("2020", "南昌市", "level", "亿元", "5745.51") in [tuple(r.values()) for r in gdp]


def test_sdmx_csv(sqlite_ledger, tmp_path):
    from planwatch.services.exchange import SDMX_COLUMNS, SDMX_DATAFLOW

    path = tmp_path / "planwatch.sdmx.csv"
    _cli("export", "--db", sqlite_ledger, "--format", "sdmx", "--out", path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == SDMX_COLUMNS and len(rows) > 300
    assert {r["DATAFLOW"] for r in rows} == {SDMX_DATAFLOW}
    assert {r["VALUE_TYPE"] for r in rows} == {"ACTUAL", "TARGET"}
    assert {r["OBS_STATUS"] for r in rows} <= {"A", "E", "F"}
    for r in rows:
        int(r["TIME_PERIOD"]), float(r["OBS_VALUE"])
        assert r["REF_AREA"] and r["INDICATOR"] and r["COMMENT"]
    assert any(r["INDICATOR_NAME"] == "地区生产总值" and r["TIME_PERIOD"] == "2025" and r["OBS_VALUE"] == "8200.0"
               and r["VALUE_TYPE"] == "TARGET" for r in rows)
