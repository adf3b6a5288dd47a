"""Staff hand-off tickets: the work staff do on them, whether from Slack or from the command line.

Every change writes what must leave the process (a Slack post, a relay, the member's notice) to the outbox in the
same transaction, so a crash or a Slack outage loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.desk import registrations as regs
from bot.i18n import t
from bot.messages import Lang
from bot.storage.database import utc_iso
from bot.storage.models import Message, Ticket
from bot.storage.turn_store import enqueue


def ticket_stream(ticket_id: int) -> str:
    return f"ticket:{ticket_id}"


def _lang(ticket: Ticket) -> Lang:
    return "zh" if ticket.lang == "zh" else "en"


def member_profile(session: Session, channel: str, user_id: str) -> dict[str, Any]:
    """What the bot knows of a member, for staff: details from registrations and the registrations themselves."""
    details = regs.last_details(session, channel, user_id)
    return {
        "name": details.name if details else None,
        "company": details.company if details else None,
        "email": details.email if details else None,
        "registrations": [{"event_id": r.event_id, "status": r.status, "id": r.id}
                          for r in regs.of_member(session, channel, user_id)],
    }


def transcript(session: Session, channel: str, user_id: str, limit: int = 12) -> list[dict[str, str]]:
    rows = session.scalars(select(Message).where(Message.channel == channel, Message.user_id == user_id)
                           .order_by(Message.id.desc()).limit(limit)).all()
    return [{"who": m.direction, "text": m.text} for m in reversed(rows)]


def on_opened(session: Session, ticket: Ticket, now: datetime) -> None:
    """Queue the staff-channel post for a new ticket (delivered only where Slack is configured)."""
    enqueue(session, now, "slack", f"ticket-{ticket.id}", None, "slack_post", {"ticket_id": ticket.id},
            ticket.id, ticket_stream(ticket.id))


def on_member_message(session: Session, ticket: Ticket, text: str, now: datetime) -> None:
    enqueue(session, now, "slack", f"ticket-{ticket.id}", None, "slack_relay",
            {"ticket_id": ticket.id, "who": "member", "text": text}, ticket.id, ticket_stream(ticket.id))


def get(session: Session, ticket_id: int, lock: bool = False) -> Ticket | None:
    q = select(Ticket).where(Ticket.id == ticket_id)
    return session.scalars(q.with_for_update() if lock else q).first()


def by_slack_thread(session: Session, thread_ts: str) -> Ticket | None:
    return session.scalars(select(Ticket).where(Ticket.slack_ts == thread_ts)).first()


Result = Literal["ok", "not_found", "closed"]


def staff_reply(session: Session, ticket_id: int, text: str, staff: str, now: datetime,
                echo_to_slack: bool) -> Result:
    """A staff member's answer: to the member on their own channel, and into the transcript."""
    ticket = get(session, ticket_id, lock=True)
    if ticket is None:
        return "not_found"
    if ticket.status == "resolved":
        return "closed"
    if ticket.status == "open":  # answering is taking the ticket
        ticket.status, ticket.claimed_by = "claimed", staff
    lang = _lang(ticket)
    enqueue(session, now, ticket.channel, ticket.user_id, ticket.chat_id, "staff_reply",
            {"text": t("staff_reply", lang, text=text), "ticket_id": ticket.id, "staff": staff}, ticket.id)
    session.add(Message(channel=ticket.channel, user_id=ticket.user_id, direction="staff", text=text,
                        intent="handoff", created_at=now))
    if echo_to_slack:  # a reply from the command line still shows in the Slack thread
        enqueue(session, now, "slack", f"ticket-{ticket.id}", None, "slack_relay",
                {"ticket_id": ticket.id, "who": "staff", "staff": staff, "text": text}, ticket.id,
                ticket_stream(ticket.id))
    return "ok"


@dataclass(frozen=True)
class Claim:
    won: bool
    owner: str | None


def claim(session: Session, ticket_id: int, staff: str, now: datetime) -> Claim:
    """Atomic: of two staff clicking at once, exactly one becomes the owner."""
    won = session.execute(update(Ticket).where(Ticket.id == ticket_id, Ticket.status == "open")
                          .values(status="claimed", claimed_by=staff).returning(Ticket.id)).first()
    ticket = get(session, ticket_id)
    if won:
        enqueue(session, now, "slack", f"ticket-{ticket_id}", None, "slack_update", {"ticket_id": ticket_id},
                ticket_id, ticket_stream(ticket_id))
    return Claim(bool(won), ticket.claimed_by if ticket else None)


def resolve(session: Session, ticket_id: int, staff: str, now: datetime, hand_back: bool = False) -> Result:
    """Close the ticket; the member is told and the bot answers again."""
    ticket = get(session, ticket_id, lock=True)
    if ticket is None:
        return "not_found"
    if ticket.status == "resolved":
        return "closed"
    ticket.status, ticket.resolved_at, ticket.resolved_by = "resolved", now, staff
    lang = _lang(ticket)
    enqueue(session, now, ticket.channel, ticket.user_id, ticket.chat_id, "notice",
            {"text": t("handoff_back" if hand_back else "handoff_resolved", lang), "ticket_id": ticket.id}, ticket.id)
    enqueue(session, now, "slack", f"ticket-{ticket_id}", None, "slack_update", {"ticket_id": ticket_id}, ticket_id,
            ticket_stream(ticket_id))
    return "ok"


def as_dict(ticket: Ticket) -> dict[str, Any]:
    def iso(dt: datetime | None) -> str | None:
        return None if dt is None else utc_iso(dt)

    return {"id": ticket.id, "status": ticket.status, "channel": ticket.channel, "user_id": ticket.user_id,
            "lang": ticket.lang, "question": ticket.question, "reason": ticket.reason,
            "claimed_by": ticket.claimed_by, "created_at": iso(ticket.created_at),
            "resolved_at": iso(ticket.resolved_at), "resolved_by": ticket.resolved_by}
