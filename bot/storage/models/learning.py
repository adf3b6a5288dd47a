"""The tables of the learning loop and of staff accounts (bot.storage.models re-exports them)."""

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
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.core import Base


class Unanswered(Base):
    """A turn the bot could not answer: "I don't know", suggestions instead of an answer, or a hand-off after a
    miss. The member's words stay only in the transcript line it points at, and go with it (forget, retention)."""

    __tablename__ = "unanswered"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))  # unknown | suggested
    handed_off: Mapped[bool] = mapped_column(Boolean, default=False)  # the member then took the offer of a person
    closest: Mapped[list[Any]] = mapped_column(JSON)  # [[entry id, score], ...], best first
    score: Mapped[float] = mapped_column(Float)  # the best of those scores (0 when none)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class TaughtPhrasing(Base):
    """A member's phrasing staff added to an FAQ entry's questions; applied on top of the knowledge files."""

    __tablename__ = "taught_phrasings"
    __table_args__ = (UniqueConstraint("entry_id", "text", name="uq_taught_phrasing"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(String(500))
    taught_by: Mapped[str] = mapped_column(String(128))
    # staff (a command, the dashboard) | members (enough members chose the entry for it: bot/desk/choices.py)
    source: Mapped[str] = mapped_column(String(16), default="staff", server_default="staff")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MemberChoice(Base):
    """A member's pick among "did you mean" buttons: their words and the entry they chose. UNIQUE per member,
    entry and normalised words, so a redelivered or double tap counts once. Deleted with the member (forget) and
    by transcript retention, since it holds their words."""

    __tablename__ = "member_choices"
    __table_args__ = (UniqueConstraint("channel", "user_id", "entry_id", "phrasing_key", name="uq_member_choice"),
                      Index("ix_member_choices_entry", "entry_id"),
                      Index("ix_member_choices_created", "created_at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(128))
    entry_id: Mapped[str] = mapped_column(String(100))
    phrasing: Mapped[str] = mapped_column(String(500))  # the member's words, as they wrote them
    phrasing_key: Mapped[str] = mapped_column(String(500))  # the same, normalised: what "the same phrasing" means
    vector: Mapped[bytes | None] = mapped_column(LargeBinary)  # their embedding (float16), when the bot embeds
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FaqHit(Base):
    """One FAQ answer given (no member id: only which entry, where and when), for hits per entry and the
    answered share of the dashboard."""

    __tablename__ = "faq_hits"
    __table_args__ = (Index("ix_faq_hits_created", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(100), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Feedback(Base):
    """A member's "Helpful" / "Not helpful" under an FAQ answer, counted per entry (no member id kept)."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(100), index=True)
    vote: Mapped[str] = mapped_column(String(8))  # up | down
    channel: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StaffUser(Base):
    """An account for the staff dashboard; the password only as a slow hash (argon2id)."""

    __tablename__ = "staff_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # editor: knowledge and events (and everything an agent does); agent: tickets and registrations
    role: Mapped[str] = mapped_column(String(16), default="editor", server_default="editor")


class KnowledgeEdit(Base):
    """One revision of an FAQ entry or an event made by staff in the dashboard: the item as it was before and after
    (the file format as JSON; `after` null or `archived: true` hides it from members). The newest revision of an
    item is applied on top of the knowledge files when a Library is built."""

    __tablename__ = "knowledge_edits"
    __table_args__ = (Index("ix_knowledge_edits_item", "kind", "item_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))  # faq | event
    item_id: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(16))  # create | edit | archive | revert | cancel
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    staff: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StaffLog(Base):
    """Every change staff make in the dashboard, with their name: edits, registrations cancelled, check-ins, ticket
    replies, claims and internal notes (a note's text is kept here: the member never sees it)."""

    __tablename__ = "staff_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    staff: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(200), index=True)  # "faq:founding", "ticket:12", "registration:3"
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StaffSession(Base):
    """A signed-in dashboard session. The cookie carries a random token; only its SHA-256 is kept, so a copy of
    the table signs no one in. Deleting the row ends the session (sign-out, a new password)."""

    __tablename__ = "staff_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # hex SHA-256 of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class StaffLoginAttempt(Base):
    """A dashboard sign-in attempt, recorded before its password is checked; counted per name and address (a
    keyed hash, never the address itself) to cap guessing across every process."""

    __tablename__ = "staff_login_attempts"
    __table_args__ = (Index("ix_staff_login_attempts_who", "name", "address", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class SentOnce(Base):
    """Things done once per deployment whatever the number of processes: the weekly digest of a week, the notice
    of a broken knowledge base. The primary key lets only the first process through."""

    __tablename__ = "sent_once"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
