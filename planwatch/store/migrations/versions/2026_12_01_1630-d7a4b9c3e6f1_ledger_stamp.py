"""ledger_stamp: one row whose version every writing transaction raises (store/stamp.py)

The web caches were keyed by counts and maxima over the document, assessment and audit tables, a query that
grows with the ledger (tens of milliseconds per request at 10,000 documents); the stamp is one row.

Revision ID: d7a4b9c3e6f1
Revises: c5e2f8a1d3b7
Create Date: 2026-12-01 16:30:00+00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "d7a4b9c3e6f1"
down_revision: Union[str, Sequence[str], None] = "c5e2f8a1d3b7"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    stamp = op.create_table(
        "ledger_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_stamp")),
    )
    op.bulk_insert(stamp, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("ledger_stamp")
