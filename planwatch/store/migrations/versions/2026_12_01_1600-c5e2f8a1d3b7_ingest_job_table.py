"""ingest_job: the job queue of `planwatch ingest --queue` / `planwatch worker` becomes part of the schema

It used to be created on first use (CREATE TABLE IF NOT EXISTS under an advisory lock); a database that was
queued on before this revision already has the table, with the same columns and index, and keeps it.

Revision ID: c5e2f8a1d3b7
Revises: b41d7e9c2a55
Create Date: 2026-12-01 16:00:00+00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "c5e2f8a1d3b7"
down_revision: Union[str, Sequence[str], None] = "b41d7e9c2a55"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("ingest_job"):
        return
    op.create_table(
        "ingest_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("claims", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.Text(), nullable=False),
        sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_job")),
    )
    op.create_index("ix_ingest_job_status_id", "ingest_job", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_ingest_job_status_id", table_name="ingest_job")
    op.drop_table("ingest_job")
