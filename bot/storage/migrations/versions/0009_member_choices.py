"""Learning from members' choices: who chose which "did you mean" entry for which words, and where a taught
phrasing came from (staff or members).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_choices",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(128), nullable=False),
        sa.Column("entry_id", sa.String(100), nullable=False),
        sa.Column("phrasing", sa.String(500), nullable=False),
        sa.Column("phrasing_key", sa.String(500), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("channel", "user_id", "entry_id", "phrasing_key", name="uq_member_choice"),
    )
    op.create_index("ix_member_choices_entry", "member_choices", ["entry_id"])
    op.create_index("ix_member_choices_created", "member_choices", ["created_at"])
    with op.batch_alter_table("taught_phrasings") as batch:
        batch.add_column(sa.Column("source", sa.String(16), nullable=False, server_default="staff"))


def downgrade() -> None:
    with op.batch_alter_table("taught_phrasings") as batch:
        batch.drop_column("source")
    op.drop_table("member_choices")
