"""Storage: migrations, the database factory, saving documents and claims, constraints — on SQLite and PostgreSQL.

Documents and claims here are built by hand (the extraction is tested elsewhere), so these tests pin the
storage contract alone: what goes in comes back out as the same `Claim`.
"""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from planwatch.model import Claim, Document, Section
from planwatch.store import (
    ClaimRow, DocumentRow, SectionRow, engine_of, open_db, open_engine, resolve_url,
)
from planwatch.store.documents import save_document
from planwatch.store.migrate import current, head, upgrade
from planwatch.store.repo import claim_from_row, ensure_region

TABLES = {"region", "document", "section", "claim", "indicator", "link", "assessment", "users", "audit",
          "ingest_job", "ledger_stamp", "alembic_version"}
TEXT = "政府工作报告\n2024年主要预期目标：地区生产总值增长5%左右，粮食产量稳定在42亿斤以上。\n"


def make_doc(text: str = TEXT, name: str = "t_report.txt") -> Document:
    return Document(source=f"/tmp/{name}", name=name, format="txt", encoding="utf-8", original=text, text=text,
                    title=text.splitlines()[0], sha256=hashlib.sha256(text.encode()).hexdigest())


def claim_at(doc: Document, quote: str, **kw) -> Claim:
    i = doc.original.index(quote)
    return Claim(doc=doc.name, start=i, end=i + len(quote), quote=quote, kind="target", region="南昌市",
                 target_year=2024, **kw)


def make_claims(doc: Document, grain: str = "42亿斤以上", grain_value: float = 42.0) -> list[Claim]:
    return [
        claim_at(doc, "5%左右", measure="growth_rate", indicator="地区生产总值", value=5.0, unit="%", comparator="~",
           qualifier="左右", flags=("estimate",), section="主要预期目标", rule="test"),
        claim_at(doc, grain, measure="level", indicator="粮食产量", value=grain_value, unit="亿斤", comparator=">="),
    ]


def store(factory, doc: Document | None = None) -> int:
    doc = doc or make_doc()
    with factory.begin() as s:
        saved = save_document(s, doc, make_claims(doc), doc_type="work_report",
                              region=ensure_region(s, "南昌市", level="city"), year=2024,
                              sections=[Section(kind="heading", title="政府工作报告", path=("政府工作报告",),
                                                start=0, end=len(doc.text), level=1)])
        return saved.document.id


def test_migrations_upgrade_an_empty_database_and_back(db_url):
    engine = open_engine(db_url)
    assert current(engine) == head()
    assert TABLES <= set(inspect(engine).get_table_names())
    # every revision can be undone and redone: the history stays usable for the next schema change
    from alembic import command

    from planwatch.store.migrate import alembic_config

    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert current(engine) == head()
    engine.dispose()


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_postgres_databases_get_a_utf8_ctype(db_url):
    # pg_trgm makes no trigrams of CJK text under LC_CTYPE 'C' (STACK.md)
    engine = open_engine(db_url)
    with engine.connect() as conn:
        ctype = conn.execute(text("SELECT datctype FROM pg_database WHERE datname = current_database()")).scalar()
    engine.dispose()
    assert ctype.upper().replace("-", "").endswith("UTF8")


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    factory = open_db(f"sqlite:///{tmp_path / 'p.db'}")
    with engine_of(factory).connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_url_resolution(monkeypatch, tmp_path):
    monkeypatch.delenv("PLANWATCH_DB", raising=False)
    assert str(resolve_url(None)) == "sqlite:///planwatch.db"
    monkeypatch.setenv("PLANWATCH_DB", "postgresql://u@h/db")
    assert resolve_url(None).drivername == "postgresql+psycopg"  # psycopg 3, not psycopg2
    assert resolve_url(str(tmp_path / "x.db")).database == str(tmp_path / "x.db")  # a bare path is SQLite
    assert resolve_url("sqlite:///a.db").database == "a.db"  # --db wins over the environment


def test_saved_claims_read_back_as_the_same_claims(db):
    doc = make_doc()
    doc_id = store(db, doc)
    with db() as s:
        row = s.get(DocumentRow, doc_id)
        assert (row.doc_type, row.region_name, row.year, row.sha256) == ("work_report", "南昌市", 2024, doc.sha256)
        assert [claim_from_row(c) for c in row.claims] == make_claims(doc)
        assert all(row.original[c.start:c.end] == c.quote for c in row.claims)
        assert [sec.title for sec in row.sections] == ["政府工作报告"]
        # no snapshot of an untouched claim: review.py takes it when a human first touches one (test_review)
        assert all(c.review_status == "extracted" and c.version == 1 and c.extracted is None for c in row.claims)


def test_same_bytes_cannot_be_stored_twice(db):
    store(db)
    with pytest.raises(IntegrityError):
        store(db)


def test_deleting_a_document_deletes_its_claims_and_sections(db):
    doc_id = store(db)
    with db.begin() as s:
        s.execute(DocumentRow.__table__.delete().where(DocumentRow.id == doc_id))  # database-level cascade
    with db() as s:
        assert s.scalar(select(func.count()).select_from(ClaimRow)) == 0
        assert s.scalar(select(func.count()).select_from(SectionRow)) == 0


def test_a_new_version_keeps_ids_of_claims_found_again_and_moves_their_spans(db):
    doc_id = store(db)
    with db() as s:
        before = {c.quote: (c.id, c.start) for c in s.get(DocumentRow, doc_id).claims}
    new = make_doc("更多数据\n" + TEXT.replace("42亿斤", "43亿斤"))
    with db.begin() as s:
        prev = s.get(DocumentRow, doc_id)
        result = save_document(s, new, make_claims(new, "43亿斤以上", 43.0), doc_type="work_report", region=None, year=2024, previous=prev)
        assert (result.unchanged, result.inserted, result.deleted) == (1, 1, 1)
    with db() as s:
        after = {c.quote: (c.id, c.start) for c in s.get(DocumentRow, doc_id).claims}
    assert after["5%左右"] == (before["5%左右"][0], before["5%左右"][1] + len("更多数据\n"))
    assert "42亿斤以上" not in after and "43亿斤以上" in after


def test_upgrading_a_database_with_data_keeps_the_data(db_url):
    """Every revision runs on a filled database (SQLite batch copies must not cascade-delete links)."""
    from planwatch.store import LinkRow, make_engine
    from planwatch.store.migrate import alembic_config
    from alembic.script import ScriptDirectory

    engine = make_engine(db_url)
    first = ScriptDirectory.from_config(alembic_config()).get_base()
    upgrade(engine, first)
    with engine.begin() as conn:  # rows written with the first schema, in plain SQL
        conn.execute(text("INSERT INTO document (id, sha256, name, title, doc_type, source, format, encoding, text, "
                          "original, pages, metadata_source, extractor, ingested_at, updated_at) VALUES (1, 'x', "
                          "'d.txt', '', 'article', '', 'txt', 'utf-8', '增长5%', '增长5%', '[]', '{}', '', "
                          "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        for cid, kind in ((1, "target"), (2, "actual")):
            conn.execute(text(
                "INSERT INTO claim (id, document_id, start, \"end\", quote, kind, measure, indicator, region, value, "
                "unit, comparator, qualifier, period, attribute, flags, source, rule, section, extractor, "
                "review_status, human, corrected_fields, anchor_lost, note, version, created_at, updated_at) "
                f"VALUES ({cid}, 1, 2, 4, '5%', '{kind}', 'growth_rate', '增长', '', 5, '%', '=', '', '', '', '[]', "
                "'text', '', '', 'rules', 'extracted', false, '[]', false, '', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO link (target_id, actual_id, method, score, comparable, reason, status, "
                          "created_by, version, created_at, updated_at) VALUES (1, 2, 'manual', 1, true, '', "
                          "'manual', 'alice', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    upgrade(engine)
    assert current(engine) == head()
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(ClaimRow)) == 2
        assert [(l.target_id, l.actual_id, l.status) for l in s.scalars(select(LinkRow))] == [(1, 2, "manual")]
    engine.dispose()


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_opening_a_missing_postgres_database_creates_it(db_url):
    from planwatch.store import database_exists, drop_database

    drop_database(db_url)
    assert not database_exists(db_url)
    factory = open_db(db_url)
    assert database_exists(db_url) and current(engine_of(factory)) == head()
    engine_of(factory).dispose()


def test_the_migrations_make_the_schema_the_models_describe(db_url):
    """Alembic's own comparison of the migrated database with models.py finds nothing to change: a model edited
    without its migration (or the reverse) fails here, not on a user's database."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from planwatch.store import Base
    from planwatch.store.migrate import include_name

    engine = open_engine(db_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": include_name, "compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []
    engine.dispose()


def test_every_committed_write_raises_the_ledger_stamp_and_nothing_else_does(db):
    """The caches of the web are keyed by the stamp: a write that did not raise it would leave a stale page."""
    from sqlalchemy import update

    from planwatch.store import ledger_stamp

    def stamp() -> int:
        with db() as s:
            return ledger_stamp(s)

    v0 = stamp()
    store(db)  # objects and bulk INSERTs in one transaction
    v1 = stamp()
    assert v1 == v0 + 1
    with db.begin() as s:  # a transaction that only reads
        s.scalars(select(ClaimRow)).all()
    assert stamp() == v1
    with pytest.raises(RuntimeError), db.begin() as s:  # a write rolled back
        s.execute(update(ClaimRow).values(note="x"))
        raise RuntimeError
    assert stamp() == v1
    with db.begin() as s:  # a bulk UPDATE statement, no objects
        s.execute(update(ClaimRow).values(note="checked"))
    assert stamp() == v1 + 1
    with db() as s:  # an ORM change committed by hand
        s.scalars(select(ClaimRow)).first().note = "again"
        s.commit()
    assert stamp() == v1 + 2
