"""claim value nullable: qualitative targets (省下达目标, 全省领先) are claims without a number

Revision ID: 9a1c2e7d5b10
Revises: 3f00ca0a070c
Create Date: 2026-11-23 12:05:00+00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = "9a1c2e7d5b10"
down_revision: Union[str, Sequence[str], None] = "3f00ca0a070c"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.alter_column("value", existing_type=sa.Float(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM claim WHERE value IS NULL")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.alter_column("value", existing_type=sa.Float(), nullable=False)
