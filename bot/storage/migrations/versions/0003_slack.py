"""Slack thread of a ticket, who resolved it, and ordered outbox streams.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("resolved_by", sa.String(128), nullable=True))
        batch.add_column(sa.Column("slack_channel", sa.String(64), nullable=True))
        batch.add_column(sa.Column("slack_ts", sa.String(64), nullable=True))
        batch.create_index("ix_tickets_slack_ts", ["slack_ts"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("stream", sa.String(200), nullable=False, server_default=""))
        batch.create_index("ix_outbox_stream", ["stream"])
    # Existing rows: one stream per member.
    op.execute("UPDATE outbox SET stream = 'member:' || channel || ':' || user_id")


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_stream")
        batch.drop_column("stream")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_index("ix_tickets_slack_ts")
        batch.drop_column("slack_ts")
        batch.drop_column("slack_channel")
        batch.drop_column("resolved_by")
