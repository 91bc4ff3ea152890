"""Engines and sessions: an SQLite file by default, PostgreSQL by URL; the schema is migrated on open.

URL resolution: the `url` argument (`--db`), else `PLANWATCH_DB`, else `sqlite:///planwatch.db`. A bare path
(no `://`) is taken as an SQLite file. PostgreSQL URLs use psycopg 3 (`postgresql+psycopg://`); a plain
`postgresql://` is mapped to it.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import PlanwatchError

DEFAULT_URL = "sqlite:///planwatch.db"


class StoreError(PlanwatchError):
    """The database cannot be opened, created or migrated."""


def resolve_url(url: str | URL | None = None) -> URL:
    raw = url if url is not None else os.environ.get("PLANWATCH_DB") or DEFAULT_URL
    if isinstance(raw, URL):
        u = raw
    elif "://" not in str(raw):
        u = make_url(f"sqlite:///{Path(raw).expanduser()}")
    else:
        u = make_url(str(raw))
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL: readers (web, assess) never block the ingest writer; foreign keys: cascades and no orphan claims.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")  # durable enough with WAL, much faster commits
    cur.close()


def make_engine(url: str | URL | None = None) -> Engine:
    """An engine for `url`, without touching the schema."""
    u = resolve_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(u, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(u, pool_pre_ping=True)


def _admin_url(u: URL) -> URL:
    """The maintenance database of the same server, to create or drop `u`'s database from."""
    return u.set(database="postgres")


def database_exists(url: str | URL) -> bool:
    u = resolve_url(url)
    if u.get_backend_name() == "sqlite":
        return u.database in (None, "", ":memory:") or Path(u.database).exists()
    admin = create_engine(_admin_url(u))
    try:
        with admin.connect() as conn:
            return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": u.database}).first() is not None
    finally:
        admin.dispose()


def create_database(url: str | URL) -> bool:
    """Create the PostgreSQL database of `url` with a UTF-8 LC_CTYPE when it does not exist.

    pg_trgm makes no trigrams for CJK text under LC_CTYPE 'C' (../shared/STACK.md), so the database is
    created from template0 with C.UTF-8. Returns True when it created one. SQLite files need nothing.
    """
    u = resolve_url(url)
    if u.get_backend_name() != "postgresql":
        return False
    name = u.database
    if not name or not name.replace("_", "").isalnum():
        raise StoreError(f"refusing to create a database named {name!r} (letters, digits and _ only)")
    admin = create_engine(_admin_url(u), isolation_level="AUTOCOMMIT")  # CREATE DATABASE cannot run in a transaction
    try:
        with admin.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                return False
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' '
                              "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"))
            return True
    finally:
        admin.dispose()


def drop_database(url: str | URL) -> None:
    """Drop the PostgreSQL database of `url` (closing its connections), or delete the SQLite file."""
    u = resolve_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                Path(u.database + suffix).unlink(missing_ok=True)
        return
    admin = create_engine(_admin_url(u), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def open_engine(url: str | URL | None = None, *, create: bool = True, migrate: bool = True) -> Engine:
    """An engine on an up-to-date schema: creates a missing PostgreSQL database, then `alembic upgrade head`."""
    from .migrate import upgrade
    from .search_index import ensure_search_index

    u = resolve_url(url)
    engine = make_engine(u)
    if u.get_backend_name() == "postgresql":
        try:
            with engine.connect():
                pass
        except OperationalError as e:
            missing = getattr(e.orig, "sqlstate", None) == "3D000" or "does not exist" in str(e)
            if not (create and missing):
                engine.dispose()
                raise StoreError(f"cannot connect to {u.render_as_string(hide_password=True)}: {e.orig}") from e
            create_database(u)
    if migrate:
        upgrade(engine)
        ensure_search_index(engine)  # after a bulk load that was killed before it could build it again
    return engine


def open_db(url: str | URL | None = None, *, create: bool = True, migrate: bool = True) -> sessionmaker[Session]:
    """A session factory on an up-to-date database. `factory.kw["bind"]` is the engine.

    Use `with factory.begin() as session:` for one transaction (commit on success, rollback on error).
    """
    return sessionmaker(open_engine(url, create=create, migrate=migrate), expire_on_commit=False)


def engine_of(factory: sessionmaker) -> Engine:
    return factory.kw["bind"]
