"""Staff self-service: knowledge edits as revisions, the staff log, staff roles, attendance.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "knowledge_edits",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("staff", sa.String(128), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_knowledge_edits_item", "knowledge_edits", ["kind", "item_id"])
    op.create_table(
        "staff_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("staff", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_staff_log_subject", "staff_log", ["subject"])
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="editor"))
    with op.batch_alter_table("registrations") as batch:
        batch.add_column(sa.Column("checked_in_at", TS, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("checked_in_at")
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("role")
    op.drop_table("staff_log")
    op.drop_index("ix_knowledge_edits_item", "knowledge_edits")
    op.drop_table("knowledge_edits")
