"""Figures for the staff dashboard, per day over a period: messages by channel and language, what became of the
questions (answered, suggested, unknown, handed off), tickets and the time to the first staff reply, and seats."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, func, select

from bot.storage.models import OPEN_TICKET, Conversation, FaqHit, Message, Registration, Ticket, Unanswered
from bot.understanding.knowledge_files import Event


@dataclass(frozen=True)
class Overview:
    days: list[str]
    by_channel: dict[str, list[int]]
    by_language: dict[str, list[int]]
    outcomes: dict[str, list[int]]  # answered | suggested | unknown | handed off
    tickets_opened: list[int]
    open_tickets: int
    first_reply_minutes: float | None  # median over the period's tickets that got a staff reply


def _day(dt: datetime) -> str:
    aware = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return aware.astimezone(UTC).date().isoformat()


def overview(db: Engine, now: datetime, days: int = 14) -> Overview:
    first = (now.astimezone(UTC) - timedelta(days=days - 1)).date()
    labels = [(first + timedelta(days=i)).isoformat() for i in range(days)]
    since = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    index = {d: i for i, d in enumerate(labels)}

    def per_day(rows: Sequence[tuple[datetime, str]]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for created, key in rows:
            i = index.get(_day(created))
            if i is not None:
                out.setdefault(key, [0] * days)[i] += 1
        return dict(sorted(out.items(), key=lambda kv: -sum(kv[1])))

    with db.connect() as conn:
        incoming = conn.execute(
            # The line's own language; lines written before it was stored fall back to the member's language.
            select(Message.created_at, Message.channel, func.coalesce(Message.lang, Conversation.lang, "en"))
            .outerjoin(Conversation, (Conversation.channel == Message.channel)
                       & (Conversation.user_id == Message.user_id))
            .where(Message.direction == "in", Message.created_at >= since)).all()
        hits = conn.execute(select(FaqHit.created_at).where(FaqHit.created_at >= since)).scalars().all()
        misses = conn.execute(select(Unanswered.created_at, Unanswered.kind)
                              .where(Unanswered.created_at >= since)).all()
        tickets = conn.execute(select(Ticket.id, Ticket.created_at, Ticket.channel, Ticket.user_id)
                               .where(Ticket.created_at >= since)).all()
        open_now = int(conn.execute(select(func.count(Ticket.id)).where(OPEN_TICKET)).scalar() or 0)
        waits = []
        for _tid, created, channel, user_id in tickets:
            reply = conn.execute(select(func.min(Message.created_at)).where(
                Message.channel == channel, Message.user_id == user_id, Message.direction == "staff",
                Message.created_at >= created)).scalar()
            if reply is not None:
                waits.append((_aware(reply) - _aware(created)).total_seconds() / 60)
    outcomes = {"answered": [0] * days, "suggested": [0] * days, "unknown": [0] * days, "handed off": [0] * days}
    for created in hits:
        if (i := index.get(_day(created))) is not None:
            outcomes["answered"][i] += 1
    for created, kind in misses:
        if (i := index.get(_day(created))) is not None:
            outcomes["suggested" if kind == "suggested" else "unknown"][i] += 1
    opened = [0] * days
    for _tid, created, _c, _u in tickets:
        if (i := index.get(_day(created))) is not None:
            outcomes["handed off"][i] += 1
            opened[i] += 1
    return Overview(labels, per_day([(c, ch) for c, ch, _ in incoming]),
                    per_day([(c, str(lang)) for c, _, lang in incoming]), outcomes, opened, open_now,
                    statistics.median(waits) if waits else None)


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def seats(db: Engine, events: Sequence[Event], now: datetime) -> list[tuple[Event, int, int]]:
    """Each coming event with its confirmed and waitlisted registrations."""
    with db.connect() as conn:
        counts = Counter({(e, s): int(n) for e, s, n in conn.execute(
            select(Registration.event_id, Registration.status, func.count(Registration.id))
            .group_by(Registration.event_id, Registration.status))})
    return [(ev, counts[(ev.id, "confirmed")], counts[(ev.id, "waitlisted")]) for ev in events if ev.starts > now]


def today(now: datetime) -> date:
    return now.astimezone(UTC).date()
