"""Person.code: a person's own identity (staff or mobile number), not their name; Finding.subject

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("code", sa.String(length=40), nullable=True))
    # Everyone entered before codes existed gets one from their number, as new people without a code do.
    op.execute("UPDATE person SET code = 'P' || id WHERE code IS NULL")
    with op.batch_alter_table("person") as batch:
        batch.create_unique_constraint(op.f("uq_person_code"), ["code"])
    with op.batch_alter_table("finding") as batch:
        batch.add_column(sa.Column("subject", sa.String(length=120), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("finding") as batch:
        batch.drop_column("subject")
    with op.batch_alter_table("person") as batch:
        batch.drop_constraint(op.f("uq_person_code"), type_="unique")
        batch.drop_column("code")
