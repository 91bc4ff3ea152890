"""Shared fixtures. Append new fixtures in their own section; do not rewrite the others."""
from __future__ import annotations

# ---- databases (test_store, test_ingest, test_review): the same tests on SQLite and on PostgreSQL --------
#
# `db_url` gives each test a fresh, migrated-on-open database: an SQLite file under tmp_path, and a uniquely
# named PostgreSQL database (UTF-8 LC_CTYPE, created by store.create_database, dropped afterwards) on the
# server of $PLANWATCH_TEST_PG. Without that variable the PostgreSQL half is skipped with a message; in CI
# (CI=true) a missing variable or an unreachable server fails the tests instead: CI must test PostgreSQL.

import os
import secrets
from functools import lru_cache
from pathlib import Path

import pytest

SEED_DIR = Path(__file__).resolve().parents[1] / "samples" / "nanchang"
PG_ENV = "PLANWATCH_TEST_PG"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@lru_cache(maxsize=None)
def _pg_unreachable(base: str) -> str:
    """Why the PostgreSQL server of `base` cannot be used ("" when it can). Checked once per session."""
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(base, connect_args={"connect_timeout": 5})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return ""
    except Exception as e:  # any failure to connect: name it in the skip or fail message
        return f"{type(e).__name__}: {str(e).splitlines()[0]}"


def _pg_base() -> str:
    base = os.environ.get(PG_ENV, "")
    if not base:
        msg = (f"PostgreSQL tests need {PG_ENV} "
               "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres)")
        if _in_ci():
            pytest.fail(f"CI=true but {PG_ENV} is not set: {msg}", pytrace=False)
        pytest.skip(f"skipped: {msg}")
    problem = _pg_unreachable(base)
    if problem:
        if _in_ci():
            pytest.fail(f"CI=true and PostgreSQL at {PG_ENV} is unreachable: {problem}", pytrace=False)
        pytest.skip(f"skipped: PostgreSQL at {PG_ENV} is unreachable: {problem}")
    return base


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """URL of an empty database, on each backend."""
    from sqlalchemy.engine import make_url

    from planwatch.store import create_database, drop_database

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'planwatch.db'}"
        return
    url = make_url(_pg_base()).set(drivername="postgresql+psycopg",
                                   database=f"planwatch_test_{secrets.token_hex(6)}")
    create_database(url)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        drop_database(url)


@pytest.fixture
def db(db_url):
    """A session factory on a fresh, migrated database (`with db.begin() as s:`)."""
    from planwatch.store import engine_of, open_db

    factory = open_db(db_url)
    yield factory
    engine_of(factory).dispose()


@pytest.fixture
def seed_dir() -> Path:
    return SEED_DIR


# ---- web (test_web_api, test_web_browser): the Nanchang samples ingested once per module and backend ------

def ingest_seeds(url: str, as_of: int = 2024) -> None:
    """Ingest samples/nanchang into the database at `url` and assess it as of `as_of`."""
    from planwatch.services.ingest import ingest_paths
    from planwatch.store import engine_of, open_db

    factory = open_db(url)
    try:
        report = ingest_paths(factory, [SEED_DIR], as_of=as_of)
        assert report.ok, [(f.path, f.reason) for f in report.failed] or report.reassess_error
    finally:
        engine_of(factory).dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger_url(request, tmp_path_factory):
    """URL of a database holding the ingested, assessed samples, on each backend (shared by a module)."""
    from sqlalchemy.engine import make_url

    from planwatch.store import create_database, drop_database

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('ledger') / 'planwatch.db'}"
        ingest_seeds(url)
        yield url
        return
    pg = make_url(_pg_base()).set(drivername="postgresql+psycopg", database=f"planwatch_web_{secrets.token_hex(6)}")
    create_database(pg)
    url = pg.render_as_string(hide_password=False)
    try:
        ingest_seeds(url)
        yield url
    finally:
        drop_database(pg)


# ---- further empty databases on the backend of `db_url` (test_export: import into an empty database) ----

@pytest.fixture
def make_db_url(db_url, tmp_path):
    """A factory of more empty databases on the same backend as `db_url`, dropped after the test."""
    from sqlalchemy.engine import make_url

    from planwatch.store import create_database, drop_database

    made: list = []

    def make() -> str:
        u = make_url(db_url)
        if u.get_backend_name() == "sqlite":
            url = f"sqlite:///{tmp_path / f'extra_{len(made)}.db'}"
            made.append(None)
            return url
        u = u.set(database=f"planwatch_test_{secrets.token_hex(6)}")
        create_database(u)
        made.append(u)
        return u.render_as_string(hide_password=False)

    yield make
    for u in made:
        if u is not None:
            drop_database(u)
