"""Confirmation emails and registration caps: where a registration came from (a keyed hash of the client
address), a seat held until the email's link is followed, and the links sent by email (single use).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("registrations") as batch:
        batch.add_column(sa.Column("origin", sa.String(64), nullable=True))
        batch.add_column(sa.Column("hold_until", TS, nullable=True))
    op.create_index("ix_registrations_origin", "registrations", ["origin", "created_at"])
    op.create_index("ix_registrations_hold", "registrations", ["hold_until"])
    op.create_table(
        "mail_links",
        sa.Column("nonce", sa.String(64), primary_key=True),
        sa.Column("registration_id", sa.Integer(), sa.ForeignKey("registrations.id"), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_mail_links_registration_id", "mail_links", ["registration_id"])


def downgrade() -> None:
    op.drop_index("ix_mail_links_registration_id", table_name="mail_links")
    op.drop_table("mail_links")
    op.drop_index("ix_registrations_hold", table_name="registrations")
    op.drop_index("ix_registrations_origin", table_name="registrations")
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("hold_until")
        batch.drop_column("origin")
