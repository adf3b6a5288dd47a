"""What staff do to an event's registrations from the dashboard: the list, cancelling one (the member is told and
the waitlist moves up), check-in, and cancelling the whole event (every registrant told, in their language, on
their channel, through the outbox). Each action is one transaction and is logged with the staff member's name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select, update

from bot.desk import knowledge_edits, staff_log
from bot.desk.registrations import notify_promoted, staff_cancel, waitlist_position
from bot.i18n import t
from bot.messages import Lang
from bot.storage import outbox
from bot.storage.database import sessions
from bot.storage.models import ACTIVE_REGISTRATION, Registration
from bot.understanding.knowledge_model import Event


@dataclass(frozen=True)
class Row:
    number: int
    status: str
    position: int | None
    name: str
    company: str
    email: str
    channel: str
    registered_at: datetime
    checked_in: bool


def rows(db: Engine, event_id: str) -> list[Row]:
    with sessions(db)() as s:
        regs = s.scalars(select(Registration).where(Registration.event_id == event_id).order_by(Registration.id))
        return [Row(r.id, r.status, waitlist_position(s, r) if r.status == "waitlisted" else None, r.name,
                    r.company, r.email, r.channel, r.created_at, r.checked_in_at is not None) for r in regs]


def counts(db: Engine) -> dict[str, int]:
    """Registrations ever made per event (cancelled ones too: an event with any is never deleted)."""
    with db.connect() as conn:
        return {str(e): int(n) for e, n in conn.execute(
            select(Registration.event_id, func.count()).group_by(Registration.event_id))}


def _lang(value: str) -> Lang:
    return "zh" if value == "zh" else "en"


def cancel_registration(db: Engine, event: Event, reg_id: int, staff: str, now: datetime) -> bool:
    with sessions(db).begin() as s:
        done = staff_cancel(s, event, reg_id, now)
        if done is None:
            return False
        reg, promoted = done
        lang = _lang(reg.lang)
        outbox.enqueue(s.connection(), now, reg.channel, reg.user_id, None, "notice",
                       {"text": t("reg_cancelled_by_staff", lang, id=reg.id, title=event.title.get(lang)),
                        "lang": lang, "event_id": event.id, "registration_id": reg.id})
        notify_promoted(s, event, promoted, now)
        staff_log.record(s.connection(), staff, "registration_cancel", f"registration:{reg.id}",
                            {"event_id": event.id, "promoted": [p.id for p in promoted]}, now)
    return True


def check_in(db: Engine, event_id: str, reg_id: int, staff: str, now: datetime) -> bool:
    with db.begin() as conn:
        done = conn.execute(update(Registration).where(Registration.id == reg_id, Registration.event_id == event_id,
                                                       Registration.status == "confirmed")
                            .values(checked_in_at=now)).rowcount
        if done:
            staff_log.record(conn, staff, "check_in", f"registration:{reg_id}", {"event_id": event_id}, now)
    return bool(done)


def cancel_event(db: Engine, event: Event, staff: str, now: datetime) -> int:
    """Hide the event from members and cancel every active registration, telling each registrant; returns how
    many were told."""
    told = 0
    with sessions(db).begin() as s:
        conn = s.connection()
        before = knowledge_edits.event_data(event)
        knowledge_edits.save(conn, "event", event.id, before, {**before, "cancelled": True}, "cancel", staff, now)
        active = s.scalars(select(Registration).where(Registration.event_id == event.id, ACTIVE_REGISTRATION)
                           .order_by(Registration.id).with_for_update())
        for reg in active:
            reg.status, reg.cancelled_at, reg.updated_at = "cancelled", now, now
            lang = _lang(reg.lang)
            outbox.enqueue(conn, now, reg.channel, reg.user_id, None, "notice",
                           {"text": t("event_cancelled", lang, title=event.title.get(lang), id=reg.id),
                            "lang": lang, "event_id": event.id, "registration_id": reg.id})
            told += 1
    return told
