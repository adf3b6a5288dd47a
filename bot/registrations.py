"""Registration rules, enforced in the database: a locked seat row per event, unique active rows per member and
per email. Callers run these inside their transaction; nothing here commits.

The seat row is locked (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every write transaction already holds the
database lock from BEGIN IMMEDIATE) before seats are counted, so two workers can never both take the last seat.
The unique partial indexes make a duplicate impossible even if a code path forgot to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Select, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.knowledge import Event
from bot.models import EventSeats, Registration

Refusal = Literal["past", "closed", "already_member", "already_email"]


@dataclass(frozen=True)
class Details:
    name: str
    company: str
    email: str


@dataclass(frozen=True)
class Registered:
    registration: Registration
    position: int | None  # place on the waitlist, None when confirmed
    promoted: tuple[Registration, ...] = ()  # waitlisted members confirmed first (staff raised the capacity)


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    existing: Registration | None = None


def normalize_email(raw: str) -> str:
    """The address in canonical form; raises ValueError with a reason a member can act on."""
    try:
        return str(validate_email(raw.strip(), check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None


def why_closed(event: Event, now: datetime) -> Refusal | None:
    if event.starts <= now:
        return "past"
    if event.registration_closes is not None and now > event.registration_closes:
        return "closed"
    return None


def _lock_seats(session: Session, event: Event, now: datetime) -> EventSeats:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(EventSeats).values(event_id=event.id, capacity=event.capacity, updated_at=now)
                    .on_conflict_do_nothing(index_elements=["event_id"]))
    seats = session.scalars(select(EventSeats).where(EventSeats.event_id == event.id).with_for_update()
                            .execution_options(populate_existing=True)).one()
    if seats.capacity != event.capacity:  # staff changed the capacity in events.yaml
        seats.capacity = event.capacity
        seats.updated_at = now
    return seats


def _active(session: Session, event_id: str) -> Select[Registration]:
    return select(Registration).where(Registration.event_id == event_id, Registration.status != "cancelled")


def confirmed_count(session: Session, event_id: str) -> int:
    return int(session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event_id, Registration.status == "confirmed")) or 0)


def waitlist_position(session: Session, reg: Registration) -> int:
    ahead = session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == reg.event_id, Registration.status == "waitlisted", Registration.id < reg.id))
    return int(ahead or 0) + 1


def register(session: Session, event: Event, channel: str, user_id: str, details: Details, lang: str,
             now: datetime) -> Registered | Refused:
    reason = why_closed(event, now)
    if reason:
        return Refused(reason)
    email_key = details.email.lower()
    seats = _lock_seats(session, event, now)
    mine = session.scalars(_active(session, event.id).where(
        Registration.channel == channel, Registration.user_id == user_id)).first()
    if mine is not None:
        return Refused("already_member", mine)
    same_email = session.scalars(_active(session, event.id).where(Registration.email_key == email_key)).first()
    if same_email is not None:
        return Refused("already_email", same_email)
    # If staff raised the capacity, the waitlist moves up before anyone new is seated.
    promoted = promote_waiting(session, event.id, seats.capacity, now)
    full = seats.capacity is not None and confirmed_count(session, event.id) >= seats.capacity
    reg = Registration(event_id=event.id, channel=channel, user_id=user_id, name=details.name,
                       company=details.company, email=details.email, email_key=email_key, lang=lang,
                       status="waitlisted" if full else "confirmed", created_at=now, updated_at=now)
    nested = session.begin_nested()
    try:
        session.add(reg)
        session.flush()
        nested.commit()
    except IntegrityError:  # the unique indexes are the last line of defence
        nested.rollback()
        return Refused("already_member")
    return Registered(reg, waitlist_position(session, reg) if full else None, promoted)


def promote_waiting(session: Session, event_id: str, capacity: int | None, now: datetime) -> tuple[Registration, ...]:
    """Confirm waitlisted registrations, oldest first, while seats are free. Call with the seat row locked."""
    free = None if capacity is None else capacity - confirmed_count(session, event_id)
    if free is not None and free <= 0:
        return ()
    q = (select(Registration).where(Registration.event_id == event_id, Registration.status == "waitlisted")
         .order_by(Registration.id).with_for_update())
    waiting = list(session.scalars(q if free is None else q.limit(free)))
    for reg in waiting:
        reg.status, reg.updated_at = "confirmed", now
    session.flush()
    return tuple(waiting)


def cancel(session: Session, event: Event, reg_id: int, channel: str, user_id: str,
           now: datetime) -> tuple[Registration, tuple[Registration, ...]] | None:
    """Cancel a member's own active registration; returns it and the waitlisted members promoted, if any."""
    seats = _lock_seats(session, event, now)
    reg = session.scalars(select(Registration).where(
        Registration.id == reg_id, Registration.channel == channel, Registration.user_id == user_id,
        Registration.status != "cancelled").with_for_update()).first()
    if reg is None:
        return None
    was_confirmed = reg.status == "confirmed"
    reg.status, reg.cancelled_at, reg.updated_at = "cancelled", now, now
    session.flush()
    # A freed seat goes to the first on the waitlist (several, if staff also raised the capacity).
    promoted = promote_waiting(session, event.id, seats.capacity, now) if was_confirmed else ()
    return reg, promoted


def of_member(session: Session, channel: str, user_id: str, active_only: bool = True) -> list[Registration]:
    q = select(Registration).where(Registration.channel == channel, Registration.user_id == user_id)
    if active_only:
        q = q.where(Registration.status != "cancelled")
    return list(session.scalars(q.order_by(Registration.id)).all())


def last_details(session: Session, channel: str, user_id: str) -> Details | None:
    last = session.scalars(select(Registration).where(Registration.channel == channel, Registration.user_id == user_id)
                           .order_by(Registration.id.desc()).limit(1)).first()
    return Details(last.name, last.company, last.email) if last else None
