"""index document.source: ingest looks every file up by its path (a new version of the same file)

Without it each ingested file cost a scan of the document table: fine for five documents, a quadratic
term for ten thousand. CREATE INDEX needs no table copy on SQLite, so the search triggers stay.

Revision ID: b41d7e9c2a55
Revises: a7c3e1f2b9d4
Create Date: 2026-11-23 13:00:00+00:00

"""
from typing import Sequence, Union

from alembic import op

revision: str = "b41d7e9c2a55"
down_revision: Union[str, Sequence[str], None] = "a7c3e1f2b9d4"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_document_source", "document", ["source"])


def downgrade() -> None:
    op.drop_index("ix_document_source", table_name="document")
