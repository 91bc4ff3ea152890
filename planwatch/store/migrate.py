"""Alembic, configured in code (no alembic.ini): the scripts ship inside the package, in `migrations/`.

`upgrade(engine)` runs on every open. For developers, after changing models.py:

    .venv/bin/python -m planwatch.store.migrate revision -m "what changed"   # autogenerate against a fresh db
    .venv/bin/python -m planwatch.store.migrate upgrade --db URL
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).with_name("migrations")
# Dated file names: the history reads in order in a directory listing.
FILE_TEMPLATE = "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s"
_PG_LOCK = 0x706C616E  # "plan": serializes concurrent upgrades of one PostgreSQL database


def include_name(name, type_, parent_names) -> bool:
    """What Alembic compares with the models. The search index (FTS5 tables and triggers on SQLite, pg_trgm
    indexes on PostgreSQL) is made by raw SQL in its migration and has no model: autogenerate must not
    propose to drop it."""
    return not (name or "").startswith("search_") and not (name or "").endswith("_trgm")


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("file_template", FILE_TEMPLATE)
    cfg.set_main_option("timezone", "UTC")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of `engine` to `revision`, in one transaction where the backend allows it."""
    cfg = alembic_config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy a table and drop the old one; with foreign keys on, dropping `claim`
            # would cascade into `link` and `assessment`. The pragma only works outside a transaction.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
                if revision == "head" and MigrationContext.configure(conn).get_current_revision() == head():
                    return  # the common case: nothing to do
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if sqlite and (bad := conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                    raise RuntimeError(f"migration broke foreign keys: {bad[:5]}")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def _main() -> None:  # pragma: no cover - developer tool
    from .db import make_engine, resolve_url

    ap = argparse.ArgumentParser(prog="python -m planwatch.store.migrate")
    sub = ap.add_subparsers(dest="cmd", required=True)
    rev = sub.add_parser("revision", help="autogenerate a revision from models.py")
    rev.add_argument("-m", "--message", required=True)
    up = sub.add_parser("upgrade")
    up.add_argument("--db")
    up.add_argument("revision", nargs="?", default="head")
    args = ap.parse_args()
    if args.cmd == "revision":
        # Compare the models with a scratch SQLite database at head.
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/scratch.db"
            engine = make_engine(url)
            upgrade(engine)
            cfg = alembic_config(url)
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.revision(cfg, message=args.message, autogenerate=True)
    else:
        upgrade(make_engine(resolve_url(args.db)), args.revision)


if __name__ == "__main__":  # pragma: no cover
    _main()
