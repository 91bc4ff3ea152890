"""Storage of the ledger: SQLAlchemy 2 models, engine/session factory, Alembic migrations, repositories.

    from planwatch.store import open_db
    factory = open_db()                  # --db URL, else $PLANWATCH_DB, else sqlite:///planwatch.db; migrated
    with factory.begin() as session:     # one transaction
        ...
"""
from .db import (
    DEFAULT_URL, StoreError, create_database, database_exists, drop_database, engine_of, make_engine, open_db,
    open_engine, resolve_url,
)
from .models import (
    Audit, AssessmentRow, Base, ClaimRow, DocumentRow, IndicatorRow, IngestJobRow, LedgerStamp, LinkRow, Region,
    SectionRow, User,
)
from .stamp import ledger_stamp

__all__ = [
    "DEFAULT_URL", "StoreError", "create_database", "database_exists", "drop_database", "engine_of",
    "make_engine", "open_db", "open_engine", "resolve_url",
    "Audit", "AssessmentRow", "Base", "ClaimRow", "DocumentRow", "IndicatorRow", "IngestJobRow", "LedgerStamp",
    "LinkRow", "Region", "SectionRow", "User", "ledger_stamp",
]
