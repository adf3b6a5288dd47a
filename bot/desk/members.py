"""A member's own side: what they asked us to send them (announcements, reminders), what we keep about them
(export), erasing it (forget), and how long transcripts are kept.

Functions taking a Session run in the caller's transaction (a turn, or a staff command's); nothing here commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, String, delete, select, update
from sqlalchemy.orm import Session

from bot.desk import learning, tickets
from bot.desk import registrations as regs
from bot.i18n import t
from bot.messages import Lang
from bot.storage.database import UPSERT_INSERT, utc_iso
from bot.storage.models import (
    AnnouncementRecipient,
    Conversation,
    MemberChoice,
    MemberPrefs,
    Message,
    Outbox,
    Registration,
    ReminderSent,
    Ticket,
)
from bot.understanding.knowledge_files import Event

# A WeChat Official Account may send customer-service messages only this long after the member's last message
# (WeChat's "客服消息" rules); beyond it the API answers 45015. Other channels have no such window.
WINDOWS: dict[str, timedelta] = {"wechat": timedelta(hours=48)}
ERASED = ""


@dataclass(frozen=True)
class Prefs:
    announcements: bool = True
    reminders: bool = True


def aware(dt: datetime) -> datetime:
    from datetime import UTC

    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def parse_member(spec: str) -> tuple[str, str]:
    """"telegram:5123456789" -> ("telegram", "5123456789"); ValueError when there is no channel."""
    channel, sep, user_id = spec.partition(":")
    if not sep or not channel or not user_id:
        raise ValueError(f"expected CHANNEL:USER_ID, not {spec!r}")
    return channel, user_id


# --- preferences -----------------------------------------------------------------------------------------------


def prefs(conn: Connection, channel: str, user_id: str) -> Prefs:
    row = conn.execute(select(MemberPrefs.announcements, MemberPrefs.reminders)
                       .where(MemberPrefs.channel == channel, MemberPrefs.user_id == user_id)).first()
    return Prefs() if row is None else Prefs(bool(row.announcements), bool(row.reminders))


def set_prefs(conn: Connection, channel: str, user_id: str, now: datetime, announcements: bool | None = None,
              reminders: bool | None = None) -> Prefs:
    """Change what the member receives; None leaves that setting as it was."""
    old = prefs(conn, channel, user_id)
    new = Prefs(old.announcements if announcements is None else announcements,
                old.reminders if reminders is None else reminders)
    values = {"channel": channel, "user_id": user_id, "announcements": new.announcements,
              "reminders": new.reminders, "updated_at": now}
    ins = UPSERT_INSERT[conn.dialect.name](MemberPrefs).values(**values)
    conn.execute(ins.on_conflict_do_update(index_elements=["channel", "user_id"],
                                           set_={k: values[k] for k in ("announcements", "reminders", "updated_at")}))
    return new


def settings_text(p: Prefs, lang: Lang) -> str:
    def word(on: bool) -> str:
        return t("prefs_on" if on else "prefs_off", lang)

    return t("prefs_settings", lang, announcements=word(p.announcements), reminders=word(p.reminders))


# --- the platform's messaging window -----------------------------------------------------------------------------


def last_message_at(conn: Connection, channel: str, user_id: str) -> datetime | None:
    """When the member last wrote (conversations.updated_at moves with each of their messages)."""
    at = conn.execute(select(Conversation.updated_at)
                      .where(Conversation.channel == channel, Conversation.user_id == user_id)).scalar()
    return None if at is None else aware(at)


def within_window(channel: str, last_message: datetime | None, now: datetime) -> bool:
    """Whether the platform still lets us write to the member first."""
    window = WINDOWS.get(channel)
    if window is None:
        return True
    return last_message is not None and now - last_message <= window


def reachable(db: Engine, channel: str, user_id: str, now: datetime) -> bool:
    if channel not in WINDOWS:
        return True
    with db.connect() as conn:
        return within_window(channel, last_message_at(conn, channel, user_id), now)


# --- export ----------------------------------------------------------------------------------------------------


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else utc_iso(dt)


def export(session: Session, channel: str, user_id: str) -> dict[str, Any] | None:
    """Everything stored about the member, as JSON-ready data; None when nothing is."""
    conv = session.get(Conversation, (channel, user_id))
    registrations = list(session.scalars(select(Registration).where(
        Registration.channel == channel, Registration.user_id == user_id).order_by(Registration.id)))
    member_tickets = list(session.scalars(select(Ticket).where(
        Ticket.channel == channel, Ticket.user_id == user_id).order_by(Ticket.id)))
    lines = list(session.scalars(select(Message).where(
        Message.channel == channel, Message.user_id == user_id).order_by(Message.id)))
    picked = session.execute(select(MemberChoice.entry_id, MemberChoice.phrasing, MemberChoice.created_at)
                             .where(MemberChoice.channel == channel, MemberChoice.user_id == user_id)
                             .order_by(MemberChoice.id)).all()
    if conv is None and not registrations and not member_tickets and not lines and not picked:
        return None
    p = prefs(session.connection(), channel, user_id)
    details = regs.last_details(session, channel, user_id)
    reminders = session.execute(select(ReminderSent.registration_id, ReminderSent.offset_key, ReminderSent.created_at)
                                .join(Registration, Registration.id == ReminderSent.registration_id)
                                .where(Registration.channel == channel, Registration.user_id == user_id)
                                .order_by(ReminderSent.id)).all()
    received = session.execute(select(AnnouncementRecipient.announcement_id, AnnouncementRecipient.status)
                               .where(AnnouncementRecipient.channel == channel,
                                      AnnouncementRecipient.user_id == user_id)
                               .order_by(AnnouncementRecipient.id)).all()
    return {
        "member": {"channel": channel, "user_id": user_id, "lang": conv.lang if conv else None,
                   "chat_id": conv.chat_id if conv else None,
                   "first_seen": _iso(conv.created_at) if conv else None,
                   "last_message_at": _iso(conv.updated_at) if conv else None,
                   "conversation_state": dict(conv.state or {}) if conv else {}},
        "profile": {"name": details.name if details else None, "company": details.company if details else None,
                    "email": details.email if details else None},
        "preferences": {"announcements": p.announcements, "reminders": p.reminders},
        "registrations": [{"id": r.id, "event_id": r.event_id, "name": r.name, "company": r.company,
                           "email": r.email, "status": r.status, "lang": r.lang, "created_at": _iso(r.created_at),
                           "cancelled_at": _iso(r.cancelled_at), "held_until": _iso(r.hold_until)}
                          for r in registrations],
        "tickets": [tickets.as_dict(tk) for tk in member_tickets],
        "transcript": [{"at": _iso(m.created_at), "who": m.direction, "text": m.text} for m in lines],
        "reminders": [{"registration_id": r, "offset": o, "at": _iso(at)} for r, o, at in reminders],
        "announcements": [{"announcement_id": a, "status": s} for a, s in received],
        "choices": [{"entry_id": e, "phrasing": p, "at": _iso(at)} for e, p, at in picked],
    }


# --- forget ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Forgotten:
    registrations_kept: int  # anonymous rows, so that seat counts do not change
    seats_released: int
    promoted: int
    transcript_lines: int
    tickets: int


def forget(session: Session, event_by_id: Callable[[str], Event | None], channel: str, user_id: str,
           now: datetime) -> Forgotten | None:
    """Erase the member: name, company, email, transcript, conversation state and settings. Registrations stay as
    anonymous rows so seat numbers do not change, but seats at events still to come are released (the waitlist
    moves up and is told). Staff are told in the open ticket's thread. None when nothing was stored."""
    if export(session, channel, user_id) is None:
        return None
    released = promoted_n = 0
    mine = list(session.scalars(select(Registration).where(
        Registration.channel == channel, Registration.user_id == user_id).order_by(Registration.id)))
    for reg in mine:
        if reg.status != "cancelled":
            ev = event_by_id(reg.event_id)
            if ev is None:  # gone from the calendar: free the row, nobody to promote
                reg.status, reg.cancelled_at, reg.updated_at = "cancelled", now, now
                released += 1
            elif ev.starts > now:
                done = regs.cancel(session, ev, reg.id, channel, user_id, now)
                if done is not None:
                    released += 1
                    promoted_n += len(done[1])
                    regs.notify_promoted(session, ev, done[1], now)
        # The row stays (a past event's attendance still counts) but says nothing about the person.
        anon = f"forgotten-{reg.id}"
        reg.name, reg.company, reg.email, reg.email_key, reg.user_id = ERASED, ERASED, ERASED, anon, anon
        reg.updated_at = now
    session.flush()

    member_tickets = list(session.scalars(select(Ticket).where(Ticket.channel == channel, Ticket.user_id == user_id)))
    ticket_ids = [tk.id for tk in member_tickets]
    # Deliveries already made (or dropped) keep no text of the member's; pending ones to the member never go.
    done_rows = Outbox.status.notin_(("pending", "sending"))
    session.execute(update(Outbox).where(Outbox.channel == channel, Outbox.user_id == user_id, done_rows)
                    .values(payload={}))
    if ticket_ids:
        session.execute(update(Outbox).where(Outbox.ticket_id.in_(ticket_ids), done_rows).values(payload={}))
    # Emails about the member's registrations (bot/desk/mail.py) are kept under "<channel>:<user id>".
    mine_email = (Outbox.channel == "email") & (Outbox.user_id == f"{channel}:{user_id}")
    session.execute(update(Outbox).where(mine_email, done_rows).values(payload={}))
    session.execute(update(Outbox).where((Outbox.channel == channel) & (Outbox.user_id == user_id) | mine_email,
                                         Outbox.status.in_(("pending", "sending")))
                    .values(status="skipped", last_error="the member erased their data", lease_until=None,
                            payload={}))
    for tk in member_tickets:
        if tk.status != "resolved":
            tickets.staff_note(session, tk, t("forgotten_note", "en"), now)
            tickets.close(session, tk, "member", now, notice=None)
        tk.question, tk.user_id, tk.chat_id = ERASED, f"forgotten-{tk.id}", None
    session.execute(update(AnnouncementRecipient)
                    .where(AnnouncementRecipient.channel == channel, AnnouncementRecipient.user_id == user_id)
                    .values(user_id="forgotten-" + AnnouncementRecipient.id.cast(String(128))))
    lines = session.connection().execute(delete(Message).where(Message.channel == channel,
                                                               Message.user_id == user_id)).rowcount
    learning.purge_orphans(session.connection())  # the unanswered records pointed at those lines
    # What was learned from their choices stays (it keeps no member id); their votes and words go.
    session.execute(delete(MemberChoice).where(MemberChoice.channel == channel, MemberChoice.user_id == user_id))
    session.execute(delete(MemberPrefs).where(MemberPrefs.channel == channel, MemberPrefs.user_id == user_id))
    session.execute(delete(Conversation).where(Conversation.channel == channel, Conversation.user_id == user_id))
    session.flush()
    return Forgotten(len(mine), released, promoted_n, int(lines or 0), len(member_tickets))


# --- retention ------------------------------------------------------------------------------------------------


def purge_transcripts(db: Engine, now: datetime, days: int) -> int:
    """Delete transcript lines older than `days`, and members' choices as old (they hold their words); returns how
    many lines went."""
    cutoff = now - timedelta(days=days)
    with db.begin() as conn:
        result = conn.execute(delete(Message).where(Message.created_at < cutoff))
        learning.purge_orphans(conn)
        conn.execute(delete(MemberChoice).where(MemberChoice.created_at < cutoff))
        return int(result.rowcount or 0)
