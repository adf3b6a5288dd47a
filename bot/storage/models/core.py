"""The tables of members, conversations, tickets, registrations and delivery (bot.storage.models re-exports them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Conversation(Base):
    """What the bot remembers of one member on one channel: language and any form or hand-off in progress."""

    __tablename__ = "conversations"
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    chat_id: Mapped[str | None] = mapped_column(String(128))
    lang: Mapped[str] = mapped_column(String(8), default="en")
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Inbound(Base):
    """One row per delivery the bot has processed; the UNIQUE key is what makes a redelivery a no-op."""

    __tablename__ = "inbound"
    __table_args__ = (UniqueConstraint("channel", "dedupe_key", name="uq_inbound_channel_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Message(Base):
    """The transcript: what members said and what was said to them (staff see it on a hand-off)."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_member", "channel", "user_id", "id"),
                      Index("ix_messages_created_at", "created_at"))  # the retention purge
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(128))
    direction: Mapped[str] = mapped_column(String(8))  # "in" | "out" | "staff"
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(32))
    lang: Mapped[str | None] = mapped_column(String(8))  # the turn's language; None on lines older than 0014
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# The conditions of the partial indexes below. Queries use OPEN_TICKET and ACTIVE_REGISTRATION (end of this file),
# which repeat them with the literal value: SQLite (and PostgreSQL's generic plans) use a partial index only then;
# with a bound parameter they scan the table.
TICKET_OPEN = text("status != 'resolved'")
REGISTRATION_ACTIVE = text("status != 'cancelled'")


class Ticket(Base):
    """A case handed to staff. At most one open (or claimed) ticket per member: a partial unique index."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("uq_tickets_one_open", "channel", "user_id", unique=True,
              sqlite_where=TICKET_OPEN, postgresql_where=TICKET_OPEN),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str | None] = mapped_column(String(128))
    lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | claimed | resolved
    question: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(32))  # asked | faq | fallback
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(128))
    slack_channel: Mapped[str | None] = mapped_column(String(64))
    slack_ts: Mapped[str | None] = mapped_column(String(64), index=True)  # the staff-channel post; its thread
    # A keyed hash of the client address that opened it (anonymous web chat only), for the per-address hourly cap;
    # never the address itself.
    origin: Mapped[str | None] = mapped_column(String(64))


class Outbox(Base):
    """Everything that leaves the process later, written in the same transaction as the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str | None] = mapped_column(String(128))
    # notice | staff_reply | slack_post | slack_relay | slack_update | reminder | announcement | email
    kind: Mapped[str] = mapped_column(String(32))
    # Rows of one stream are delivered strictly in order: "member:<channel>:<user>" or "ticket:<id>".
    stream: Mapped[str] = mapped_column(String(200), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    # pending | sending | sent | skipped, or given up: failed (too many attempts) | unreachable (outside the platform's
    # messaging window, e.g. WeChat's 48 hours)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # Lower goes first: a broadcast of thousands (priority 1) never holds up a staff reply (0).
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # a claim lapses then
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EventSeats(Base):
    """One row per event that takes registrations: the row locked while a seat is given or freed, so that two
    workers can never hand out the same last seat."""

    __tablename__ = "event_seats"
    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Registration(Base):
    """A member's place at an event. Active (not cancelled) rows are unique per member and per email."""

    __tablename__ = "registrations"
    __table_args__ = (
        Index("uq_registrations_member", "event_id", "channel", "user_id", unique=True,
              sqlite_where=REGISTRATION_ACTIVE, postgresql_where=REGISTRATION_ACTIVE),
        Index("uq_registrations_email", "event_id", "email_key", unique=True,
              sqlite_where=REGISTRATION_ACTIVE, postgresql_where=REGISTRATION_ACTIVE),
        Index("ix_registrations_event_status", "event_id", "status", "id"),
        Index("ix_registrations_member", "channel", "user_id", "id"),
        Index("ix_registrations_origin", "origin", "created_at"),
        Index("ix_registrations_hold", "hold_until"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("event_seats.event_id"))
    channel: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(320))
    email_key: Mapped[str] = mapped_column(String(320))  # normalised for the uniqueness check
    lang: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))  # confirmed | waitlisted | cancelled
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # attendance, marked by staff
    # A keyed hash of the client address that made it (web chat), for the per-address caps; never the address.
    origin: Mapped[str | None] = mapped_column(String(64))
    # With GASME_REGISTRATION_CONFIRM=email: the seat (or waitlist place) is held until then, unless the link in
    # the email is followed first; None once confirmed (or when no confirmation is asked).
    hold_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MailLink(Base):
    """A link sent in an email ("Not you? Cancel", "Confirm my seat"): the token carries `nonce` signed with the
    app's secret key; this row says what it does, until when, and whether it was used (single use)."""

    __tablename__ = "mail_links"
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # cancel | confirm
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MemberPrefs(Base):
    """What a member asked the bot to send them; no row means the defaults (announcements and reminders on)."""

    __tablename__ = "member_prefs"
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    announcements: Mapped[bool] = mapped_column(Boolean, default=True)
    reminders: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReminderSent(Base):
    """One row per (registration, offset) reminder queued: the UNIQUE key is what makes a reminder go out once,
    whichever worker got there first and however often it restarted."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("registration_id", "offset_key", name="uq_reminders_once"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"))
    offset_key: Mapped[str] = mapped_column(String(32))  # "7d", "1d", "waitlist"
    status: Mapped[str] = mapped_column(String(16))  # queued | skipped (a later offset was due already)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Announcement(Base):
    """A message from staff to many members. Each recipient gets a row in announcement_recipients."""

    __tablename__ = "announcements"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text_en: Mapped[str | None] = mapped_column(Text)
    text_zh: Mapped[str | None] = mapped_column(Text)
    event_id: Mapped[str | None] = mapped_column(String(100))  # None: everyone who follows the bot
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # None while (or if cut) queueing


class AnnouncementRecipient(Base):
    """One member of an announcement's audience. UNIQUE per (announcement, member): a resumed announcement queues
    only those not queued yet, so nobody gets it twice."""

    __tablename__ = "announcement_recipients"
    __table_args__ = (
        UniqueConstraint("announcement_id", "channel", "user_id", name="uq_announcement_member"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcements.id"))
    channel: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(128))
    # queued (the outbox row tells the rest) | opted_out | unreachable (known before queueing)
    status: Mapped[str] = mapped_column(String(16))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), index=True)


class RateSlot(Base):
    """Shared send pacing (bot/storage/ratelimit.py): the earliest time, in seconds since the epoch, at which the
    next message under `key` may go. Shared by every worker process through the database."""

    __tablename__ = "rate_slots"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)
Index("ix_tickets_origin", Ticket.origin, Ticket.created_at)
Index("ix_tickets_member_created", Ticket.channel, Ticket.user_id, Ticket.created_at)


class AppSecret(Base):
    """Values every process of a deployment must share, made once (the web chat's session signing key when
    GASME_SECRET_KEY is unset): the first process inserts, the others read what it wrote."""

    __tablename__ = "app_secrets"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InboxItem(Base):
    """A platform update stored before the platform was told it arrived (Telegram's webhook, the web chat), so a
    crash cannot lose it: `received`, then `answered` (the turn committed, its replies kept here until they are
    sent), then `done`. A row whose lease has run out is taken up again by any process."""

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("channel", "dedupe_key", name="uq_inbox_channel_key"),
                      Index("ix_inbox_due", "channel", "status", "lease_until"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # received | answered | done
    replies: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SeenNonce(Base):
    """Signed request nonces already accepted (WeChat), kept for the freshness window: the primary key refuses a
    replay in every process at once."""

    __tablename__ = "seen_nonces"
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


OPEN_TICKET = Ticket.status != literal_column("'resolved'")
ACTIVE_REGISTRATION = Registration.status != literal_column("'cancelled'")
