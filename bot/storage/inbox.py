"""The inbox: platform updates written before the platform is told they arrived, so that an acknowledged update
survives a crash. A row is `received` (stored, its turn not yet committed), `answered` (the turn committed in the
same transaction that moved the row on and kept its replies) or `done` (the replies were sent). Each row carries a
lease: the process that stored it owns it until then; after that any process takes it up again (a start-up or a
periodic sweep), runs the turn if it never committed, and sends the replies that were kept. The engine's dedupe
key still guarantees one turn per update; a reply may be sent twice only if a process dies between sending it and
recording that it did.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, select, update

from bot.messages import Incoming, KeepUpdate, Reply, Stored, reply_from_json, reply_to_json
from bot.storage.database import UPSERT_INSERT
from bot.storage.models import Base, InboxItem
from bot.storage.prepared import Prepared

INBOX = Base.metadata.tables[InboxItem.__tablename__]
KEEP = timedelta(days=1)  # finished rows are kept this long: a web chat retry still gets its replies
MAX_ATTEMPTS = 20  # a row taken up this often is left alone (and stays in the table for a look)


def _by_dialect(build: Any) -> dict[str, Prepared]:
    return {name: Prepared(build(insert)) for name, insert in UPSERT_INSERT.items()}


# The statements every stored update runs, compiled once (bot/storage/prepared.py): they are on the webhook's path.
_RECEIVE = _by_dialect(lambda ins: ins(INBOX)
                       .values(channel=bindparam("p_channel"), dedupe_key=bindparam("p_key"),
                               payload=bindparam("p_payload", type_=INBOX.c.payload.type), status="received",
                               received_at=bindparam("p_now"), lease_until=bindparam("p_lease"), attempts=0)
                       .on_conflict_do_nothing(index_elements=["channel", "dedupe_key"])
                       .returning(INBOX.c.id))
_ROW = (INBOX.c.channel == bindparam("p_channel")) & (INBOX.c.dedupe_key == bindparam("p_key"))
_ANSWERED = Prepared(update(INBOX).where(_ROW, INBOX.c.status == "received")
                     .values(status="answered", replies=bindparam("p_replies", type_=INBOX.c.replies.type)))


def receive(conn: Connection, channel: str, key: str, payload: dict[str, Any], now: datetime,
            lease: timedelta) -> bool:
    """In the caller's transaction: store an update; False when it was stored before (the platform's redelivery)."""
    return bool(_RECEIVE[conn.dialect.name].rows(conn, {
        "p_channel": channel, "p_key": key[:200], "p_payload": payload, "p_now": now, "p_lease": now + lease}))


def _keep(insert: Any) -> Any:
    """A turn that stores its own update (Telegram's webhook answers only after it): the row is written answered,
    with its replies. A row stored earlier and still `received` (taken up by a sweep) is moved on instead."""
    stmt = insert(INBOX).values(channel=bindparam("p_channel"), dedupe_key=bindparam("p_key"),
                                payload=bindparam("p_payload", type_=INBOX.c.payload.type), status="answered",
                                replies=bindparam("p_replies", type_=INBOX.c.replies.type),
                                received_at=bindparam("p_now"), lease_until=bindparam("p_lease"), attempts=0)
    return stmt.on_conflict_do_update(index_elements=["channel", "dedupe_key"], where=INBOX.c.status == "received",
                                      set_={"status": "answered", "replies": stmt.excluded.replies})


_KEPT = _by_dialect(_keep)


def record_turn(conn: Connection, inc: Incoming, replies: tuple[Reply, ...], now: datetime) -> None:
    """In the turn's transaction, for a message the inbox holds or is to hold (`inc.raw["inbox"]`): a row stored
    before is moved on; a `KeepUpdate` is stored now, answered. Other messages leave no row."""
    how = inc.raw.get("inbox")
    if not how or inc.message_id is None:
        return
    if isinstance(how, KeepUpdate):
        kept(conn, inc.channel, str(inc.message_id), how.payload, replies, now, how.lease)
    else:
        answered(conn, inc.channel, str(inc.message_id), replies)


def answered(conn: Connection, channel: str, key: str, replies: tuple[Reply, ...]) -> None:
    """In the turn's transaction: the update's turn is done, and these replies are still to be sent."""
    _ANSWERED.rows(conn, {"p_channel": channel, "p_key": key[:200], "p_replies": [reply_to_json(r) for r in replies]})


def kept(conn: Connection, channel: str, key: str, payload: dict[str, Any], replies: tuple[Reply, ...],
         now: datetime, lease: timedelta) -> None:
    """In the turn's transaction: store the update the turn answered, with the replies still to be sent. Until
    `lease` runs out the process that answered sends them; after that a sweep of any process does."""
    _KEPT[conn.dialect.name].rows(conn, {
        "p_channel": channel, "p_key": key[:200], "p_payload": payload, "p_now": now, "p_lease": now + lease,
        "p_replies": [reply_to_json(r) for r in replies]})


def done(conn: Connection, keys: list[tuple[str, str]]) -> None:
    """In the caller's transaction: the replies of these (channel, key) updates were sent, or there were none.
    One statement per channel: the keys gather while turns run, a dozen at a time under load."""
    by_channel: dict[str, list[str]] = {}
    for channel, key in keys:
        by_channel.setdefault(channel, []).append(key[:200])
    for channel, channel_keys in by_channel.items():
        conn.execute(update(INBOX).where(INBOX.c.channel == channel, INBOX.c.dedupe_key.in_(channel_keys))
                     .values(status="done", replies=None))


def stored_replies(db: Engine, channel: str, key: str) -> tuple[Reply, ...] | None:
    """The replies kept for an update whose turn committed (answered or done), else None."""
    with db.connect() as conn:
        row = conn.execute(select(INBOX.c.status, INBOX.c.replies)
                           .where(INBOX.c.channel == channel, INBOX.c.dedupe_key == key[:200])).first()
    if row is None or row.status == "received":
        return None
    return tuple(reply_from_json(r) for r in row.replies or ())


def take_unfinished(db: Engine, channel: str, now: datetime, lease: timedelta, limit: int = 20,
                    statuses: tuple[str, ...] = ("received", "answered")) -> list[Stored]:
    """Rows of `channel` in `statuses` whose lease ran out, oldest first, each now leased to the caller. Rows
    finished more than KEEP ago are deleted on the way (their dedupe key lives on in `inbound`)."""
    due = ((INBOX.c.channel == channel) & INBOX.c.status.in_(statuses)
           & (INBOX.c.lease_until < now) & (INBOX.c.attempts < MAX_ATTEMPTS))
    taken: list[Stored] = []
    with db.begin() as conn:
        conn.execute(delete(INBOX).where(INBOX.c.channel == channel, INBOX.c.status.in_(("done", "answered")),
                                         INBOX.c.lease_until < now - KEEP))
        for row_id in list(conn.scalars(select(INBOX.c.id).where(due).order_by(INBOX.c.id).limit(limit))):
            row = conn.execute(update(INBOX).where(INBOX.c.id == row_id, due)
                               .values(lease_until=now + lease, attempts=INBOX.c.attempts + 1)
                               .returning(INBOX.c.dedupe_key, INBOX.c.payload, INBOX.c.status, INBOX.c.replies)
                               ).first()
            if row is not None:
                replies = None if row.status == "received" else tuple(reply_from_json(r) for r in row.replies or ())
                taken.append(Stored(channel, row.dedupe_key, dict(row.payload), replies))
    return taken
