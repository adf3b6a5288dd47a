"""Hardening: shared secrets, seen request nonces, and the origin of a ticket (for the per-address cap).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "seen_nonces",
        sa.Column("channel", sa.String(32), primary_key=True),
        sa.Column("nonce", sa.String(128), primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_seen_nonces_seen_at", "seen_nonces", ["seen_at"])
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("origin", sa.String(64), nullable=True))
    op.create_index("ix_tickets_origin", "tickets", ["origin", "created_at"])
    op.create_index("ix_tickets_member_created", "tickets", ["channel", "user_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_member_created", table_name="tickets")
    op.drop_index("ix_tickets_origin", table_name="tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("origin")
    op.drop_index("ix_seen_nonces_seen_at", table_name="seen_nonces")
    op.drop_table("seen_nonces")
    op.drop_table("app_secrets")
