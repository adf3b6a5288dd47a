"""The outbox: writing rows in the caller's transaction, claiming due rows for delivery, recording the result.

Rows are written in the same transaction as the change that caused them. A worker claims due rows, delivers them
outside any transaction, and marks them sent; a failed delivery is retried later with back-off. Statuses:
pending -> sending (claimed, under a lease) -> sent | skipped, or back to pending after a failure; rows that must
not be retried forever (announcements, reminders) end as failed, or as unreachable when the platform's messaging
window has closed. Rows with a lower priority number go first, so a broadcast never holds up a staff reply.

Claiming is an atomic conditional UPDATE, so two workers never hold the same row, on SQLite too. A claim carries a
lease: a worker that dies between claim and delivery (kill -9, a lost machine) leaves its rows in `sending`, and
once the lease has run out another worker takes them again, in order, since later rows of the same stream wait
for them. The lease is far longer than a send may take (senders time out after 10 s), so a live worker never
loses its rows to another.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, insert, or_, select, update
from sqlalchemy.orm import aliased

from bot.messages import Outgoing
from bot.storage.models import Base, Outbox

MAX_BACKOFF = timedelta(minutes=30)
LEASE = timedelta(minutes=5)
_TABLE = Base.metadata.tables[Outbox.__tablename__]


def member_stream(channel: str, user_id: str) -> str:
    return f"member:{channel}:{user_id}"


def enqueue(conn: Connection, now: datetime, channel: str, user_id: str, chat_id: str | None, kind: str,
            payload: dict[str, Any], ticket_id: int | None = None, stream: str | None = None,
            priority: int = 0) -> int:
    """Add a row in the caller's transaction and return its id. Rows of one stream are delivered in the order
    written (by default one stream per member)."""
    row = conn.execute(insert(_TABLE).returning(_TABLE.c.id), {
        "channel": channel, "user_id": user_id, "chat_id": chat_id, "kind": kind, "payload": payload,
        "ticket_id": ticket_id, "stream": stream or member_stream(channel, user_id), "status": "pending",
        "attempts": 0, "next_attempt_at": now, "created_at": now, "priority": priority})
    return int(row.scalar_one())


def enqueue_many(conn: Connection, now: datetime, rows: list[dict[str, Any]], kind: str,
                 priority: int = 0) -> list[int]:
    """Many rows in one statement (a broadcast); each dict has channel, user_id, chat_id and payload. Returns the
    ids in the order given."""
    if not rows:
        return []
    params = [{"channel": r["channel"], "user_id": r["user_id"], "chat_id": r["chat_id"], "kind": kind,
               "payload": r["payload"], "ticket_id": None, "stream": member_stream(r["channel"], r["user_id"]),
               "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now, "priority": priority}
              for r in rows]
    result = conn.execute(insert(_TABLE).returning(_TABLE.c.id, sort_by_parameter_order=True), params)
    return [int(i) for i in result.scalars()]


def _claimable(now: datetime) -> Any:
    due = and_(Outbox.status == "pending", Outbox.next_attempt_at <= now)
    lapsed = and_(Outbox.status == "sending", or_(Outbox.lease_until.is_(None), Outbox.lease_until < now))
    return or_(due, lapsed)


def claim(db: Engine, now: datetime, channel: str | None = None, user_id: str | None = None,
          limit: int = 50, channels: tuple[str, ...] | None = None) -> list[Outgoing]:
    """Take up to `limit` due rows (oldest first) under a lease; each is handed to exactly one caller."""
    with db.begin() as conn:
        earlier = aliased(Outbox)
        # A row waits while an earlier row of its stream is undelivered: Slack down, then back, keeps the order.
        blocked = exists().where(earlier.stream == Outbox.stream, earlier.id < Outbox.id,
                                 earlier.status.in_(("pending", "sending")))
        q = select(Outbox.id).where(_claimable(now), ~blocked)
        if channel is not None:
            q = q.where(Outbox.channel == channel)
        if channels is not None:
            q = q.where(Outbox.channel.in_(channels))
        if user_id is not None:
            q = q.where(Outbox.user_id == user_id)
        ids = list(conn.scalars(q.order_by(Outbox.priority, Outbox.id).limit(limit)))
        claimed: list[Outgoing] = []
        for row_id in ids:
            # Conditional update: only one claimant gets the row back.
            row = conn.execute(
                update(Outbox).where(Outbox.id == row_id, _claimable(now))
                .values(status="sending", attempts=Outbox.attempts + 1, lease_until=now + LEASE)
                .returning(Outbox.id, Outbox.channel, Outbox.user_id, Outbox.chat_id, Outbox.kind, Outbox.payload,
                           Outbox.attempts)).first()
            if row is not None:
                claimed.append(Outgoing(row.id, row.channel, row.user_id, row.chat_id, row.kind, dict(row.payload),
                                        row.attempts))
        return claimed


def done(db: Engine, item_id: int, now: datetime) -> None:
    with db.begin() as conn:
        conn.execute(update(Outbox).where(Outbox.id == item_id)
                     .values(status="sent", sent_at=now, last_error=None, lease_until=None))


def failed(db: Engine, item: Outgoing, now: datetime, error: str) -> None:
    """Put the row back for a later try: 2, 4, 8 ... seconds, at most MAX_BACKOFF."""
    delay = min(timedelta(seconds=2 ** min(item.attempts, 20)), MAX_BACKOFF)
    with db.begin() as conn:
        conn.execute(update(Outbox).where(Outbox.id == item.id)
                     .values(status="pending", next_attempt_at=now + delay, last_error=error[:2000],
                             lease_until=None))


def skip(db: Engine, item_id: int, now: datetime, why: str) -> None:
    """Nothing will ever deliver this row here (e.g. a Slack post where Slack is not configured)."""
    with db.begin() as conn:
        conn.execute(update(Outbox).where(Outbox.id == item_id)
                     .values(status="skipped", sent_at=now, last_error=why, lease_until=None))


def give_up(db: Engine, item_id: int, now: datetime, status: str, why: str) -> None:
    """No more tries: `failed` (too many attempts) or `unreachable` (the platform no longer lets us write)."""
    assert status in ("failed", "unreachable")
    with db.begin() as conn:
        conn.execute(update(Outbox).where(Outbox.id == item_id)
                     .values(status=status, sent_at=now, last_error=why[:2000], lease_until=None))


def take(db: Engine, now: datetime, channel: str, user_id: str) -> list[Outgoing]:
    """Hand over a member's due messages to a channel that pulls them (console, web chat): claimed and marked
    delivered in one go, so each is shown once."""
    items = claim(db, now, channel=channel, user_id=user_id)
    for item in items:
        done(db, item.id, now)
    return items
