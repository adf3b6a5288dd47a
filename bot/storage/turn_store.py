"""Database work for one turn, inside the turn's transaction. Handlers use this, never SQL of their own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select
from sqlalchemy.orm import Session

from bot.storage.models import OPEN_TICKET, Base, Message, Outbox, Ticket

_UNKNOWN = -1
# Built once: building a statement costs more than running it (see bot/conversations.py).
_TICKET_LOCKED = select(Ticket).where(Ticket.id == bindparam("ticket_id")).with_for_update()
_ENQUEUE = insert(Base.metadata.tables[Outbox.__tablename__])


class Store:
    def __init__(self, conn: Connection, channel: str, user_id: str, chat_id: str | None, now: datetime,
                 open_ticket_id: int | None = _UNKNOWN):
        """`conn`: the turn's connection, in its transaction. `open_ticket_id`: the member's open ticket id (or
        None) when the caller has already looked it up."""
        self.conn = conn
        self._session: Session | None = None
        self.channel = channel
        self.user_id = user_id
        self.chat_id = chat_id
        self.now = now
        self._ticket: Ticket | None = None
        self._ticket_loaded = False
        self._ticket_id = open_ticket_id

    @property
    def session(self) -> Session:
        """An ORM session in the turn's transaction, made on first use: most turns need none."""
        if self._session is None:
            self._session = Session(bind=self.conn, expire_on_commit=False)
        return self._session

    def finish(self) -> None:
        """Write what handlers changed through the ORM; the caller commits the transaction."""
        if self._session is not None:
            self._session.flush()
            self._session.close()

    def has_open_ticket(self) -> bool:
        """Whether the member has an open or claimed ticket, without loading or locking it when that is known."""
        if self._ticket_loaded or self._ticket_id == _UNKNOWN:
            return self.open_ticket() is not None
        return self._ticket_id is not None

    def open_ticket(self) -> Ticket | None:
        """The member's open or claimed ticket, locked for this transaction (looked up once per turn)."""
        if not self._ticket_loaded:
            # Most turns have no ticket: the id first (usually known already), the ORM object only when there is one.
            ticket_id = self._ticket_id
            if ticket_id == _UNKNOWN:
                mine = (Ticket.channel == self.channel, Ticket.user_id == self.user_id, OPEN_TICKET)
                ticket_id = self.session.execute(select(Ticket.id).where(*mine)).scalar()
            if ticket_id is not None:
                self._ticket = self.session.scalars(_TICKET_LOCKED, {"ticket_id": ticket_id}).first()
            self._ticket_loaded = True
        if self._ticket is not None and self._ticket.status == "resolved":
            return None
        return self._ticket

    def create_ticket(self, question: str, reason: str, lang: str) -> Ticket:
        ticket = Ticket(channel=self.channel, user_id=self.user_id, chat_id=self.chat_id, lang=lang, status="open",
                        question=question, reason=reason, created_at=self.now)
        self.session.add(ticket)
        self.session.flush()
        self._ticket, self._ticket_loaded = ticket, True
        from bot.desk import tickets

        tickets.on_opened(self.session, ticket, self.now)
        return ticket

    def resolve_ticket(self, ticket: Ticket) -> None:
        ticket.status = "resolved"
        ticket.resolved_at = self.now

    def log(self, direction: str, text: str, intent: str | None = None) -> None:
        self.session.add(Message(channel=self.channel, user_id=self.user_id, direction=direction, text=text,
                                 intent=intent, created_at=self.now))

    def enqueue_for(self, channel: str, user_id: str, chat_id: str | None, kind: str, payload: dict[str, Any],
                    ticket_id: int | None = None) -> None:
        """Queue something for any member (e.g. a waitlist promotion caused by someone else's cancellation)."""
        enqueue(self.session, self.now, channel, user_id, chat_id, kind, payload, ticket_id)


def member_stream(channel: str, user_id: str) -> str:
    return f"member:{channel}:{user_id}"


def enqueue(session: Session, now: datetime, channel: str, user_id: str, chat_id: str | None, kind: str,
            payload: dict[str, Any], ticket_id: int | None = None, stream: str | None = None) -> None:
    """Add an outbox row in the caller's transaction. Rows of a stream are delivered in the order written.

    A plain INSERT, written at once (rows the caller references, such as a new ticket, are flushed already)."""
    session.connection().execute(_ENQUEUE, {
        "channel": channel, "user_id": user_id, "chat_id": chat_id, "kind": kind, "payload": payload,
        "ticket_id": ticket_id, "stream": stream or member_stream(channel, user_id), "status": "pending",
        "attempts": 0, "next_attempt_at": now, "created_at": now})
