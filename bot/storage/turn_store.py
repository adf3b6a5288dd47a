"""The database side of one turn: its connection and transaction, an ORM session on demand, and the member's open
ticket. Handlers and the domain rules use this; nothing here knows what a ticket or a registration means."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from bot.storage import outbox
from bot.storage.models import OPEN_TICKET, Ticket

_UNKNOWN = -1
_TICKET_LOCKED = select(Ticket).where(Ticket.id == bindparam("ticket_id")).with_for_update()


class Store:
    def __init__(self, conn: Connection, channel: str, user_id: str, chat_id: str | None, now: datetime,
                 open_ticket_id: int | None = _UNKNOWN, info: dict[str, Any] | None = None):
        """`conn`: the turn's connection, in its transaction. `open_ticket_id`: the member's open ticket id (or
        None) when the caller has already looked it up. `info`: what the domain rules may read from the session
        (`Session.info`), such as the client's origin and the ticket cap."""
        self.conn = conn
        self.info = info or {}
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
            self._session = Session(bind=self.conn, expire_on_commit=False, info=dict(self.info))
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

    def remember_ticket(self, ticket: Ticket) -> None:
        """The ticket this turn opened: later questions in the same turn see it."""
        self._ticket, self._ticket_loaded = ticket, True

    def enqueue_for(self, channel: str, user_id: str, chat_id: str | None, kind: str, payload: dict[str, Any],
                    ticket_id: int | None = None) -> None:
        """Queue something for any member (e.g. a waitlist promotion caused by someone else's cancellation)."""
        self.session.flush()  # rows the outbox row refers to go first
        outbox.enqueue(self.session.connection(), self.now, channel, user_id, chat_id, kind, payload, ticket_id)
