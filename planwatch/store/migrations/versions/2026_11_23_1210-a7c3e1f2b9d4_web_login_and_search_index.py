"""web login passwords and the full-text search index

Revision ID: a7c3e1f2b9d4
Revises: 9a1c2e7d5b10
Create Date: 2026-11-23 12:10:00+00:00

Search over document text (services/search.py, ../shared/STACK.md "Storing and searching"):
- SQLite: an FTS5 `trigram` table over `document.original` (external content, so the text is stored once),
  kept in sync by triggers, because ingest writes documents through the ORM and knows nothing of search.
  Note for later migrations: a batch (copy-and-move) migration of `document` on SQLite drops these triggers;
  such a migration must re-run `_sqlite_search()` afterwards.
- PostgreSQL: pg_trgm GIN indexes on `document.original` and `claim.indicator` (used by LIKE '%term%' for
  terms of 3 characters or more). They make trigrams of CJK text only under a UTF-8 LC_CTYPE, which
  store.create_database sets.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = 'a7c3e1f2b9d4'
down_revision: Union[str, Sequence[str], None] = '9a1c2e7d5b10'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_document_fts USING fts5("
    "original, content='document', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS search_document_ai AFTER INSERT ON document BEGIN "
    "INSERT INTO search_document_fts(rowid, original) VALUES (new.id, new.original); END",
    "CREATE TRIGGER IF NOT EXISTS search_document_ad AFTER DELETE ON document BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, original) VALUES ('delete', old.id, old.original); END",
    "CREATE TRIGGER IF NOT EXISTS search_document_au AFTER UPDATE OF original ON document BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, original) VALUES ('delete', old.id, old.original); "
    "INSERT INTO search_document_fts(rowid, original) VALUES (new.id, new.original); END",
    "INSERT INTO search_document_fts(search_document_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_document_au", "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai", "DROP TABLE IF EXISTS search_document_fts",
]
PG_SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_document_original_trgm ON document USING gin (original gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_claim_indicator_trgm ON claim USING gin (indicator gin_trgm_ops)",
]
PG_DROP = ["DROP INDEX IF EXISTS ix_claim_indicator_trgm", "DROP INDEX IF EXISTS ix_document_original_trgm"]


def _run(statements: list[str]) -> None:
    for sql in statements:
        op.execute(sa.text(sql))


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_hash', sa.Text(), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_SEARCH)
    elif dialect == "postgresql":
        _run(PG_SEARCH)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DROP if dialect == "sqlite" else PG_DROP if dialect == "postgresql" else [])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('password_hash')
