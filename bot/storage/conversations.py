"""The statements every turn runs: delivery dedupe, the member's conversation row, the transcript.

They are built once, with bind parameters, and run through bot.storage.prepared: building and executing a SQLAlchemy
statement costs several times what SQLite takes to run it (bench/webhook.py), and these run on every message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from bot.storage.database import UPSERT_INSERT
from bot.storage.models import OPEN_TICKET, Base, Conversation, Inbound, Message, Ticket
from bot.storage.prepared import Prepared

CONV = Base.metadata.tables[Conversation.__tablename__]
INBOUND = Base.metadata.tables[Inbound.__tablename__]
MESSAGES = Base.metadata.tables[Message.__tablename__]
TICKETS = Base.metadata.tables[Ticket.__tablename__]

# Bind names differ from column names: SQLAlchemy reserves column names for the VALUES/SET of inserts and updates.
_ME = (CONV.c.channel == bindparam("p_channel")) & (CONV.c.user_id == bindparam("p_user"))

# The member's row, locked until the turn commits, with the id of their open ticket (if any) in the same round trip:
# most turns have none, and the hand-off handler asks on every turn.
_OPEN_TICKET = (select(TICKETS.c.id)
                .where(TICKETS.c.channel == CONV.c.channel, TICKETS.c.user_id == CONV.c.user_id,
                       OPEN_TICKET)
                .limit(1).scalar_subquery())
_LOAD = Prepared(select(CONV.c.lang, CONV.c.state, _OPEN_TICKET.label("ticket_id")).where(_ME)
                 .with_for_update(of=CONV))
_SAVE_STMT = update(CONV).where(_ME).values(lang=bindparam("p_lang"), state=bindparam("p_state"),
                                            updated_at=bindparam("p_now"))
_SAVE = Prepared(_SAVE_STMT)
_SAVE_WITH_CHAT = Prepared(_SAVE_STMT.values(chat_id=bindparam("p_chat")))
_LOG_COLUMNS = ("channel", "user_id", "direction", "text", "intent", "lang", "created_at")
_LOGS: dict[int, Prepared] = {}  # by number of lines


def _log_statement(n: int) -> Prepared:
    """INSERT of n transcript lines in one statement: one round trip on PostgreSQL, where the driver's
    executemany costs a pipeline set-up per call."""
    if n not in _LOGS:
        _LOGS[n] = Prepared(insert(MESSAGES).values([{c: bindparam(f"{c}_{i}") for c in _LOG_COLUMNS}
                                                     for i in range(n)]))
    return _LOGS[n]


def _by_dialect(build: Any) -> dict[str, Prepared]:
    return {name: Prepared(build(insert)) for name, insert in UPSERT_INSERT.items()}


# INSERT ... ON CONFLICT DO NOTHING RETURNING: the row went in (first delivery) exactly when a row comes back;
# rowcount is not reliable across drivers.
_FIRST_DELIVERY = _by_dialect(lambda ins: ins(INBOUND)
                              .values(channel=bindparam("channel"), dedupe_key=bindparam("key"),
                                      created_at=bindparam("now"))
                              .on_conflict_do_nothing(index_elements=["channel", "dedupe_key"])
                              .returning(INBOUND.c.id))
_CREATE = _by_dialect(lambda ins: ins(CONV)
                      .values(channel=bindparam("channel"), user_id=bindparam("user_id"),
                              chat_id=bindparam("chat_id"), lang=bindparam("lang"), state={},
                              created_at=bindparam("now"), updated_at=bindparam("now"))
                      .on_conflict_do_nothing(index_elements=["channel", "user_id"]))


def first_delivery(conn: Connection, channel: str, message_id: str, now: datetime) -> bool:
    """Record a delivery; False when it was recorded before (a redelivery)."""
    stmt = _FIRST_DELIVERY[conn.dialect.name]
    return bool(stmt.rows(conn, {"channel": channel, "key": message_id[:200], "now": now}))


def load(conn: Connection, channel: str, user_id: str) -> tuple[str, dict[str, Any], int | None] | None:
    """(language, state, open ticket id) of the member, their row locked; None for a new member."""
    rows = _LOAD.rows(conn, {"p_channel": channel, "p_user": user_id})
    if not rows:
        return None
    lang, state, ticket_id = rows[0]
    return str(lang), dict(state or {}), ticket_id


def create(conn: Connection, channel: str, user_id: str, chat_id: str | None, lang: str, now: datetime) -> None:
    """Insert the member's row if absent: two workers taking a member's first two messages both end up locking it."""
    _CREATE[conn.dialect.name].rows(
        conn, {"channel": channel, "user_id": user_id, "chat_id": chat_id, "lang": lang, "now": now})


def save(conn: Connection, channel: str, user_id: str, chat_id: str | None, lang: str, state: dict[str, Any],
         now: datetime) -> None:
    params = {"p_channel": channel, "p_user": user_id, "p_lang": lang, "p_state": state, "p_now": now}
    if chat_id:
        _SAVE_WITH_CHAT.rows(conn, {**params, "p_chat": chat_id})
    else:
        _SAVE.rows(conn, params)


def log(conn: Connection, channel: str, user_id: str, lines: Sequence[tuple[str, str, str | None]],
        now: datetime, lang: str | None = None) -> None:
    """Append (direction, text, intent) lines, said in `lang`, to the member's transcript."""
    params: dict[str, Any] = {}
    for i, (direction, text, intent) in enumerate(lines):
        params |= {f"channel_{i}": channel, f"user_id_{i}": user_id, f"direction_{i}": direction, f"text_{i}": text,
                   f"intent_{i}": intent, f"lang_{i}": lang, f"created_at_{i}": now}
    _log_statement(len(lines)).rows(conn, params)


def log_line(conn: Connection, channel: str, user_id: str, direction: str, text: str, intent: str | None,
             now: datetime, lang: str | None = None) -> int:
    """Append one transcript line and return its id (for records that point at it)."""
    row = conn.execute(insert(MESSAGES).returning(MESSAGES.c.id),
                       {"channel": channel, "user_id": user_id, "direction": direction, "text": text,
                        "intent": intent, "lang": lang, "created_at": now})
    return int(row.scalar_one())


def history(conn: Connection, channel: str, user_id: str, limit: int) -> list[dict[str, str]]:
    """The member's last `limit` transcript lines, oldest first, without the commands they typed."""
    rows = conn.execute(select(MESSAGES.c.direction, MESSAGES.c.text)
                        .where(MESSAGES.c.channel == channel, MESSAGES.c.user_id == user_id)
                        .order_by(MESSAGES.c.id.desc()).limit(limit)).all()
    return [{"who": who, "text": text} for who, text in reversed(rows) if not text.startswith("/")]
