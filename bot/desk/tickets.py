"""Staff hand-off tickets: every transition and the outbox rows it causes, whoever triggers it (the member in a
turn, staff in Slack, staff at the command line).

Transitions: open -> claimed (claim, or a first staff reply) -> resolved (staff resolve or hand back, or the member
saying "back to bot"). Each writes what must leave the process (the Slack post and its updates, relays, the
member's notices) to the outbox in the same transaction, so a crash or a Slack outage loses nothing, and a Slack
post always shows the ticket's current state.

The functions taking a Session run inside the caller's transaction. `StaffDesk` is the way in for staff tools
(the CLI; the Slack channel through `StaffActions`): one call per staff action, each its own short transaction,
never any network I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.desk import registrations as regs
from bot.i18n import t
from bot.messages import Lang
from bot.ports import TicketView
from bot.storage import conversations
from bot.storage.database import sessions, utc_iso
from bot.storage.models import OPEN_TICKET, Message, Ticket
from bot.storage.outbox import enqueue

if TYPE_CHECKING:
    from bot.understanding.knowledge_base import Library

NOTE_PREFIX = "note:"
Result = Literal["ok", "not_found", "closed", "note"]


def ticket_stream(ticket_id: int) -> str:
    return f"ticket:{ticket_id}"


def is_note(text: str) -> bool:
    """A staff message starting with `note:` stays among staff, from Slack and from the command line alike."""
    return text.strip().lower().startswith(NOTE_PREFIX)


def _lang(ticket: Ticket) -> Lang:
    return "zh" if ticket.lang == "zh" else "en"


def _to_slack(session: Session, ticket_id: int, kind: str, now: datetime, **payload: Any) -> None:
    """Queue a Slack delivery for the ticket (skipped by the worker where Slack is not configured)."""
    enqueue(session.connection(), now, "slack", f"ticket-{ticket_id}", None, kind, {"ticket_id": ticket_id, **payload},
            ticket_id, ticket_stream(ticket_id))


def _to_member(session: Session, ticket: Ticket, kind: str, now: datetime, **payload: Any) -> None:
    enqueue(session.connection(), now, ticket.channel, ticket.user_id, ticket.chat_id, kind,
            {"ticket_id": ticket.id, **payload}, ticket.id)


# --- inside a turn or a staff action's transaction -------------------------------------------------------------


@dataclass(frozen=True)
class TicketCap:
    """How many tickets an anonymous member (one web chat session) and one client address may open per window.
    Channels with a platform identity (Telegram, WeChat) are not capped: their members cannot mint new ids."""

    per_member: int = 3
    per_origin: int = 10
    window: timedelta = timedelta(hours=1)
    channels: tuple[str, ...] = ("web",)


class TicketCapReached(Exception):
    """Raised by `open_for` past the cap; nothing was written. `retry_at` (aware, UTC): when a new ticket may be
    opened again."""

    def __init__(self, retry_at: datetime):
        super().__init__(f"ticket cap reached until {retry_at.isoformat()}")
        self.retry_at = retry_at


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)  # SQLite hands back naive UTC


def cap_reached(session: Session, cap: TicketCap, channel: str, user_id: str, origin: str | None,
                now: datetime) -> datetime | None:
    """When the member (or their address) may open a ticket again, or None if they may now."""
    since = now - cap.window
    checks: list[tuple[Any, int]] = [((Ticket.channel == channel) & (Ticket.user_id == user_id), cap.per_member)]
    if origin:
        checks.append((Ticket.origin == origin, cap.per_origin))
    retry: datetime | None = None
    for who, limit in checks:
        count, oldest = session.execute(select(func.count(), func.min(Ticket.created_at))
                                        .where(who, Ticket.created_at > since)).one()
        if count >= limit and oldest is not None:
            # The window frees a slot when its oldest ticket leaves it.
            at = _aware(oldest) + cap.window
            retry = at if retry is None else max(retry, at)
    return retry


def open_for(session: Session, channel: str, user_id: str, chat_id: str | None, lang: str, question: str,
             reason: str, now: datetime, *, origin: str | None = None, cap: TicketCap | None = None) -> Ticket:
    """A new ticket for the member, and its staff-channel post.

    Anonymous channels are capped (`cap`, by default the turn's, which the engine puts in `session.info`, as it
    does the client's `origin`): past the cap this raises `TicketCapReached` and writes nothing."""
    origin = origin if origin is not None else session.info.get("origin")
    cap = cap if cap is not None else session.info.get("ticket_cap")
    if cap is not None and channel in cap.channels:
        retry_at = cap_reached(session, cap, channel, user_id, origin, now)
        if retry_at is not None:
            raise TicketCapReached(retry_at)
    ticket = Ticket(channel=channel, user_id=user_id, chat_id=chat_id, lang=lang, status="open", question=question,
                    reason=reason, created_at=now, origin=origin)
    session.add(ticket)
    session.flush()
    _to_slack(session, ticket.id, "slack_post", now)
    return ticket


def member_message(session: Session, ticket: Ticket, text: str, now: datetime) -> None:
    """The member wrote while staff have the conversation: it goes into the ticket's thread."""
    _to_slack(session, ticket.id, "slack_relay", now, who="member", text=text)


def staff_note(session: Session, ticket: Ticket, text: str, now: datetime) -> None:
    """A remark from the bot to staff in the ticket's thread; the member does not see it."""
    _to_slack(session, ticket.id, "slack_relay", now, who="note", staff="bot", text=text)


def get(session: Session, ticket_id: int, lock: bool = False) -> Ticket | None:
    q = select(Ticket).where(Ticket.id == ticket_id)
    return session.scalars(q.with_for_update() if lock else q).first()


def staff_reply(session: Session, ticket_id: int, text: str, staff: str, now: datetime,
                echo_to_slack: bool) -> Result:
    """A staff answer: to the member on their own channel, and into the transcript. A `note:` reaches no member;
    from the command line it is shown in the Slack thread as a note."""
    ticket = get(session, ticket_id, lock=True)
    if ticket is None:
        return "not_found"
    if ticket.status == "resolved":
        return "closed"
    if is_note(text):
        if echo_to_slack:
            _to_slack(session, ticket.id, "slack_relay", now, who="note", staff=staff, text=text)
        return "note"
    if ticket.status == "open":  # answering is taking the ticket
        ticket.status, ticket.claimed_by = "claimed", staff
        _to_slack(session, ticket.id, "slack_update", now)
    _to_member(session, ticket, "staff_reply", now, text=t("staff_reply", _lang(ticket), text=text), staff=staff)
    session.add(Message(channel=ticket.channel, user_id=ticket.user_id, direction="staff", text=text,
                        intent="handoff", created_at=now))
    if echo_to_slack:  # a reply from the command line still shows in the Slack thread
        _to_slack(session, ticket.id, "slack_relay", now, who="staff", staff=staff, text=text)
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
        _to_slack(session, ticket_id, "slack_update", now)
    return Claim(bool(won), ticket.claimed_by if ticket else None)


def close(session: Session, ticket: Ticket, closed_by: str, now: datetime, notice: str | None) -> None:
    """Resolve a ticket already loaded and locked: the Slack post is updated; `notice` (a phrase key) tells the
    member, unless they closed it themselves and the turn's reply says so."""
    ticket.status, ticket.resolved_at, ticket.resolved_by = "resolved", now, closed_by
    if notice is not None:
        _to_member(session, ticket, "notice", now, text=t(notice, _lang(ticket)))
    _to_slack(session, ticket.id, "slack_update", now)


def resolve(session: Session, ticket_id: int, staff: str, now: datetime, hand_back: bool = False) -> Result:
    """Staff close the ticket; the member is told and the bot answers again."""
    ticket = get(session, ticket_id, lock=True)
    if ticket is None:
        return "not_found"
    if ticket.status == "resolved":
        return "closed"
    close(session, ticket, staff, now, "handoff_back" if hand_back else "handoff_resolved")
    return "ok"


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


def as_dict(ticket: Ticket) -> dict[str, Any]:
    def iso(dt: datetime | None) -> str | None:
        return None if dt is None else utc_iso(dt)

    return {"id": ticket.id, "status": ticket.status, "channel": ticket.channel, "user_id": ticket.user_id,
            "lang": ticket.lang, "question": ticket.question, "reason": ticket.reason,
            "claimed_by": ticket.claimed_by, "created_at": iso(ticket.created_at),
            "resolved_at": iso(ticket.resolved_at), "resolved_by": ticket.resolved_by}


# --- the staff side, one transaction per action ----------------------------------------------------------------


class StaffDesk:
    """What staff do to tickets, from any tool. Each method is one transaction and does no network I/O."""

    def __init__(self, db: Engine, clock: Callable[[], datetime]):
        self.db = db
        self.clock = clock
        self._sessions: sessionmaker[Session] = sessions(db)

    def reply_in_thread(self, thread_ts: str, text: str, staff: str, delivery_id: str | None) -> Result:
        """A reply in a ticket's Slack thread. A redelivered event (same id) and a `note:` reach no member."""
        with self._sessions.begin() as s:
            if delivery_id and not conversations.first_delivery(s.connection(), "slack", delivery_id, self.clock()):
                return "closed"
            ticket = s.scalars(select(Ticket).where(Ticket.slack_ts == thread_ts)).first()
            if ticket is None:
                return "not_found"
            if is_note(text):
                return "note"
            return staff_reply(s, ticket.id, text, staff, self.clock(), echo_to_slack=False)

    def reply(self, ticket_id: int, text: str, staff: str, echo_to_slack: bool) -> Result:
        with self._sessions.begin() as s:
            return staff_reply(s, ticket_id, text, staff, self.clock(), echo_to_slack)

    def claim(self, ticket_id: int, staff: str) -> Claim:
        with self._sessions.begin() as s:
            return claim(s, ticket_id, staff, self.clock())

    def resolve(self, ticket_id: int, staff: str, hand_back: bool = False) -> Result:
        with self._sessions.begin() as s:
            return resolve(s, ticket_id, staff, self.clock(), hand_back)

    def view(self, ticket_id: int, with_context: bool = True) -> TicketView | None:
        with self._sessions() as s:
            ticket = get(s, ticket_id)
            return None if ticket is None else self._view(s, ticket, with_context)

    def listing(self, include_resolved: bool = False) -> list[dict[str, Any]]:
        """Tickets with the member's details and transcript, for `gasme-bot tickets`."""
        with self._sessions() as s:
            q = select(Ticket).order_by(Ticket.id)
            if not include_resolved:
                q = q.where(OPEN_TICKET)
            rows = []
            for ticket in s.scalars(q):
                row = as_dict(ticket)
                row["member"] = member_profile(s, ticket.channel, ticket.user_id)
                row["transcript"] = transcript(s, ticket.channel, ticket.user_id)
                rows.append(row)
            return rows

    def record_post(self, ticket_id: int, slack_channel: str, slack_ts: str) -> None:
        """Remember where the ticket's Slack post is (its thread), after the post went through."""
        with self._sessions.begin() as s:
            s.execute(update(Ticket).where(Ticket.id == ticket_id)
                      .values(slack_channel=slack_channel, slack_ts=slack_ts))

    @staticmethod
    def _view(s: Session, ticket: Ticket, with_context: bool) -> TicketView:
        return TicketView(
            ticket.id, ticket.status, ticket.claimed_by, ticket.channel, ticket.user_id, ticket.lang, ticket.question,
            ticket.slack_channel, ticket.slack_ts,
            member_profile(s, ticket.channel, ticket.user_id) if with_context else {},
            transcript(s, ticket.channel, ticket.user_id) if with_context else [])


class StaffActions(StaffDesk):
    """The desk as the staff channel sees it (bot.ports.StaffPort): the ticket actions, and teaching an FAQ entry
    the phrasings of a group from the weekly digest. `library` gives the knowledge in use (it changes on reload)."""

    def __init__(self, db: Engine, clock: Callable[[], datetime], library: Callable[[], Library]):
        super().__init__(db, clock)
        self.library = library

    def teach_group(self, entry_id: str, unanswered_ids: list[int], by: str) -> int:
        from bot.desk.learning import teach_group  # brings the meaning search: only staff channels teach

        return teach_group(self.db, self.library(), entry_id, unanswered_ids, by, self.clock())
