"""Event seats and registrations.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
ACTIVE = "status != 'cancelled'"


def upgrade() -> None:
    op.create_table(
        "event_seats",
        sa.Column("event_id", sa.String(100), primary_key=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(100), sa.ForeignKey("event_seats.event_id"), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(128), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("company", sa.String(300), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("email_key", sa.String(320), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("cancelled_at", TS, nullable=True),
    )
    op.create_index("uq_registrations_member", "registrations", ["event_id", "channel", "user_id"], unique=True,
                    sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))
    op.create_index("uq_registrations_email", "registrations", ["event_id", "email_key"], unique=True,
                    sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE))
    op.create_index("ix_registrations_event_status", "registrations", ["event_id", "status", "id"])
    op.create_index("ix_registrations_member", "registrations", ["channel", "user_id", "id"])


def downgrade() -> None:
    op.drop_table("registrations")
    op.drop_table("event_seats")
