"""Alembic environment: runs on the connection that bot.storage.database.upgrade hands in (or DATABASE_URL by hand)."""

from __future__ import annotations

import os

from alembic import context

from bot.storage.database import DEFAULT_URL, make_engine
from bot.storage.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(os.environ.get("DATABASE_URL", DEFAULT_URL))
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
