"""Reaching members: preferences, reminders sent, announcements and their recipients, shared send pacing, and an
outbox priority.

Revision ID: 0006
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_messages_created_at", "messages", ["created_at"])
    op.create_table(
        "member_prefs",
        sa.Column("channel", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(128), primary_key=True),
        sa.Column("announcements", sa.Boolean(), nullable=False),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("registration_id", sa.Integer(), sa.ForeignKey("registrations.id"), nullable=False),
        sa.Column("offset_key", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("registration_id", "offset_key", name="uq_reminders_once"),
    )
    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("text_en", sa.Text(), nullable=True),
        sa.Column("text_zh", sa.Text(), nullable=True),
        sa.Column("event_id", sa.String(100), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("queued_at", TS, nullable=True),
    )
    op.create_table(
        "announcement_recipients",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("announcement_id", sa.Integer(), sa.ForeignKey("announcements.id"), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("outbox_id", sa.Integer(), sa.ForeignKey("outbox.id"), nullable=True),
        sa.UniqueConstraint("announcement_id", "channel", "user_id", name="uq_announcement_member"),
    )
    op.create_index("ix_announcement_recipients_outbox_id", "announcement_recipients", ["outbox_id"])
    op.create_table(
        "rate_slots",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("next_at", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rate_slots")
    op.drop_table("announcement_recipients")
    op.drop_table("announcements")
    op.drop_table("reminders")
    op.drop_table("member_prefs")
    op.drop_index("ix_messages_created_at", "messages")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("priority")
