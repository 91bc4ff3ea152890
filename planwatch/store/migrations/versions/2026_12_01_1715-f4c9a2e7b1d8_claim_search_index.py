"""a search index over claims: indicator, quote and section

Search scanned every claim for a term (0.4–0.6 s at 1.7 M claims) before it could count or order them:
- SQLite: an FTS5 `trigram` table over claim (indicator, quote, section), external content kept in sync by
  triggers, like search_document_fts (a batch copy-and-move migration of `claim` drops these triggers and must
  run SQLITE_SEARCH again).
- PostgreSQL: pg_trgm GIN indexes on claim.quote and claim.section (claim.indicator has one since
  a7c3e1f2b9d4); a bulk load drops and rebuilds them with the others (store/search_index.py).

Revision ID: f4c9a2e7b1d8
Revises: d7a4b9c3e6f1
Create Date: 2026-12-01 17:15:00+00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "f4c9a2e7b1d8"
down_revision: Union[str, Sequence[str], None] = "d7a4b9c3e6f1"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_COLS = "indicator, quote, section"
_NEW = "new.id, new.indicator, new.quote, new.section"
_OLD = "'delete', old.id, old.indicator, old.quote, old.section"
SQLITE_SEARCH = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS search_claim_fts USING fts5({_COLS}, content='claim', "
    "content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS search_claim_ai AFTER INSERT ON claim BEGIN "
    f"INSERT INTO search_claim_fts(rowid, {_COLS}) VALUES ({_NEW}); END",
    f"CREATE TRIGGER IF NOT EXISTS search_claim_ad AFTER DELETE ON claim BEGIN "
    f"INSERT INTO search_claim_fts(search_claim_fts, rowid, {_COLS}) VALUES ({_OLD}); END",
    f"CREATE TRIGGER IF NOT EXISTS search_claim_au AFTER UPDATE OF {_COLS} ON claim BEGIN "
    f"INSERT INTO search_claim_fts(search_claim_fts, rowid, {_COLS}) VALUES ({_OLD}); "
    f"INSERT INTO search_claim_fts(rowid, {_COLS}) VALUES ({_NEW}); END",
    "INSERT INTO search_claim_fts(search_claim_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_claim_au", "DROP TRIGGER IF EXISTS search_claim_ad",
    "DROP TRIGGER IF EXISTS search_claim_ai", "DROP TABLE IF EXISTS search_claim_fts",
]
PG_SEARCH = [
    "CREATE INDEX IF NOT EXISTS ix_claim_quote_trgm ON claim USING gin (quote gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_claim_section_trgm ON claim USING gin (section gin_trgm_ops)",
]
PG_DROP = ["DROP INDEX IF EXISTS ix_claim_section_trgm", "DROP INDEX IF EXISTS ix_claim_quote_trgm"]


def _run(statements: list[str]) -> None:
    for sql in statements:
        op.execute(sa.text(sql))


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_SEARCH if dialect == "sqlite" else PG_SEARCH if dialect == "postgresql" else [])


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DROP if dialect == "sqlite" else PG_DROP if dialect == "postgresql" else [])
