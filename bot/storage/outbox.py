"""Reading the outbox: claiming pending messages for delivery and recording the result.

Rows are written by turns (bot/store.py) in the same transaction as the change that caused them. A sender claims
due rows, delivers them, and marks them sent; a failed delivery is retried later with back-off. Claiming is an
atomic conditional UPDATE (status pending -> sending), so two workers never deliver the same row, on SQLite too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, exists, select, update
from sqlalchemy.orm import aliased

from bot.storage.database import sessions
from bot.storage.models import Outbox

MAX_BACKOFF = timedelta(minutes=30)


@dataclass(frozen=True)
class Item:
    id: int
    channel: str
    user_id: str
    chat_id: str | None
    kind: str
    payload: dict[str, Any]
    attempts: int


def claim(db: Engine, now: datetime, channel: str | None = None, user_id: str | None = None,
          limit: int = 50, channels: tuple[str, ...] | None = None) -> list[Item]:
    """Take up to `limit` due rows (oldest first) for delivery; each is handed to exactly one caller."""
    make = sessions(db)
    with make.begin() as s:
        earlier = aliased(Outbox)
        # A row waits while an earlier row of its stream is undelivered: Slack down, then back, keeps the order.
        blocked = exists().where(earlier.stream == Outbox.stream, earlier.id < Outbox.id,
                                 earlier.status.in_(("pending", "sending")))
        q = select(Outbox.id).where(Outbox.status == "pending", Outbox.next_attempt_at <= now, ~blocked)
        if channel is not None:
            q = q.where(Outbox.channel == channel)
        if channels is not None:
            q = q.where(Outbox.channel.in_(channels))
        if user_id is not None:
            q = q.where(Outbox.user_id == user_id)
        ids = list(s.scalars(q.order_by(Outbox.id).limit(limit)))
        claimed: list[Item] = []
        for row_id in ids:
            # Conditional update: only one claimant sees its row count go to 1.
            res = s.execute(update(Outbox).where(Outbox.id == row_id, Outbox.status == "pending")
                            .values(status="sending", attempts=Outbox.attempts + 1).returning(Outbox))
            row = res.scalars().first()
            if row is not None:
                claimed.append(Item(row.id, row.channel, row.user_id, row.chat_id, row.kind, dict(row.payload),
                                    row.attempts))
        return claimed


def done(db: Engine, item_id: int, now: datetime) -> None:
    with sessions(db).begin() as s:
        s.execute(update(Outbox).where(Outbox.id == item_id).values(status="sent", sent_at=now, last_error=None))


def failed(db: Engine, item: Item, now: datetime, error: str) -> None:
    """Put the row back for a later try: 2, 4, 8 ... seconds, at most MAX_BACKOFF."""
    delay = min(timedelta(seconds=2 ** min(item.attempts, 20)), MAX_BACKOFF)
    with sessions(db).begin() as s:
        s.execute(update(Outbox).where(Outbox.id == item.id)
                  .values(status="pending", next_attempt_at=now + delay, last_error=error[:2000]))


def skip(db: Engine, item_id: int, now: datetime, why: str) -> None:
    """Nothing will ever deliver this row here (e.g. a Slack post where Slack is not configured)."""
    with sessions(db).begin() as s:
        s.execute(update(Outbox).where(Outbox.id == item_id).values(status="skipped", sent_at=now, last_error=why))


def take(db: Engine, now: datetime, channel: str, user_id: str) -> list[Item]:
    """Hand over a member's due messages to a channel that pulls them (console, web chat): claimed and marked
    delivered in one go, so each is shown once."""
    items = claim(db, now, channel=channel, user_id=user_id)
    for item in items:
        done(db, item.id, now)
    return items
