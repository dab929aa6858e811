"""Approval.request_key: a retried request finds the decision it already recorded

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("approval") as batch:
        batch.add_column(sa.Column("request_key", sa.String(length=200), nullable=True))
        batch.create_unique_constraint(op.f("uq_approval_request_key"), ["request_key"])


def downgrade() -> None:
    with op.batch_alter_table("approval") as batch:
        batch.drop_constraint(op.f("uq_approval_request_key"), type_="unique")
        batch.drop_column("request_key")
