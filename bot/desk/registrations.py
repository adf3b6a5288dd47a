"""Registration rules, enforced in the database: a locked seat row per event, unique active rows per member and
per email. Callers run these inside their transaction; nothing here commits.

The seat row is locked (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every write transaction already holds the
database lock from BEGIN IMMEDIATE) before seats are counted, so two workers can never both take the last seat.
The unique partial indexes make a duplicate impossible even if a code path forgot to check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, Protocol

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import DateTime, Engine, Interval, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.desk import mail
from bot.desk.registration_rules import ORIGIN_KEY, RULES_KEY, RegistrationCap, Rules, cap_reached, rules_of
from bot.i18n import t
from bot.messages import Lang
from bot.storage import outbox
from bot.storage.database import UPSERT_INSERT, sessions
from bot.storage.models import ACTIVE_REGISTRATION, EventSeats, Registration, SentOnce
from bot.understanding.knowledge_files import Event

Refusal = Literal["past", "closed", "already_member", "already_email", "capped", "capped_event"]

# The statements, built once with bind parameters (building one costs more than running it on SQLite).
_EVENT = Registration.event_id == bindparam("event_id")
_MEMBER = (Registration.channel == bindparam("channel")) & (Registration.user_id == bindparam("user_id"))
_ACTIVE = ACTIVE_REGISTRATION
_SEATS_LOCKED = select(EventSeats.capacity).where(EventSeats.event_id == bindparam("event_id")).with_for_update()
_SET_CAPACITY = (update(EventSeats).where(EventSeats.event_id == bindparam("p_event"))
                 .values(capacity=bindparam("p_capacity"), updated_at=bindparam("p_now")))
_MINE_AT_EVENT = select(Registration).where(_EVENT, _ACTIVE, _MEMBER)
_SAME_EMAIL = select(Registration).where(_EVENT, _ACTIVE, Registration.email_key == bindparam("email_key"))
_CONFIRMED = select(func.count()).select_from(Registration).where(_EVENT, Registration.status == "confirmed")
_AHEAD = select(func.count()).select_from(Registration).where(
    _EVENT, Registration.status == "waitlisted", Registration.id < bindparam("reg_id"))
_WAITING = (select(Registration).where(_EVENT, Registration.status == "waitlisted").order_by(Registration.id)
            .with_for_update())
_OWN_LOCKED = select(Registration).where(Registration.id == bindparam("reg_id"), _MEMBER, _ACTIVE).with_for_update()
_OF_MEMBER = select(Registration).where(_MEMBER).order_by(Registration.id)
_OF_MEMBER_ACTIVE = select(Registration).where(_MEMBER, _ACTIVE).order_by(Registration.id)
_LAST_OF_MEMBER = select(Registration).where(_MEMBER).order_by(Registration.id.desc()).limit(1)
_CREATE_SEATS = {
    name: ins(EventSeats).values(event_id=bindparam("event_id"), capacity=bindparam("capacity"),
                                 updated_at=bindparam("now")).on_conflict_do_nothing(index_elements=["event_id"])
    for name, ins in UPSERT_INSERT.items()}


@dataclass(frozen=True)
class Details:
    name: str
    company: str
    email: str


class Booked(Protocol):
    """What callers read of a registration, whichever way it was made: an ORM row, or a Seat."""

    @property
    def id(self) -> int: ...
    @property
    def event_id(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def email(self) -> str: ...
    @property
    def lang(self) -> str: ...
    @property
    def status(self) -> str: ...


@dataclass(frozen=True)
class Seat:
    """A registration as the server-side function reports it (PostgreSQL)."""

    id: int
    event_id: str
    channel: str
    user_id: str
    email: str
    lang: str
    status: str


@dataclass(frozen=True)
class Registered:
    registration: Booked
    position: int | None  # place on the waitlist, None when confirmed
    promoted: tuple[Booked, ...] = ()  # waitlisted members confirmed first (staff raised the capacity)
    held_until: datetime | None = None  # GASME_REGISTRATION_CONFIRM=email: held until the email's link is followed


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    existing: Booked | None = None
    # already_email: the answer a newcomer would get now (None: a seat; else the waitlist position), so that the
    # member is told nothing about whoever registered that email. capped: when one more is allowed.
    newcomer_position: int | None = None
    retry_at: datetime | None = None


def normalize_email(raw: str) -> str:
    """The address in canonical form; raises ValueError with a reason a member can act on."""
    try:
        return str(validate_email(raw.strip(), check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None


def why_closed(event: Event, now: datetime) -> Refusal | None:
    if event.starts <= now:
        return "past"
    if not event.registration_open or (event.registration_closes is not None and now > event.registration_closes):
        return "closed"
    return None


def lock_seats(session: Session, event: Event, now: datetime) -> int | None:
    """Lock the event's seat row (made on first use) and return its capacity, brought up to date with the calendar."""
    conn = session.connection()
    conn.execute(_CREATE_SEATS[conn.dialect.name], {"event_id": event.id, "capacity": event.capacity, "now": now})
    capacity = conn.execute(_SEATS_LOCKED, {"event_id": event.id}).scalar_one()
    if capacity != event.capacity:  # staff changed the capacity in events.yaml
        conn.execute(_SET_CAPACITY, {"p_event": event.id, "p_capacity": event.capacity, "p_now": now})
    return event.capacity


def confirmed_count(session: Session, event_id: str) -> int:
    session.flush()  # counts must see registrations changed through the ORM in this transaction
    return int(session.connection().execute(_CONFIRMED, {"event_id": event_id}).scalar() or 0)


def waitlist_position(session: Session, reg: Registration) -> int:
    session.flush()
    ahead = session.connection().execute(_AHEAD, {"event_id": reg.event_id, "reg_id": reg.id}).scalar()
    return int(ahead or 0) + 1


def register(session: Session, event: Event, channel: str, user_id: str, details: Details, lang: str,
             now: datetime) -> Registered | Refused:
    """Register the member, within the deployment's caps (`Rules` in `session.info`), and queue the email."""
    reason = why_closed(event, now)
    if reason:
        return Refused(reason)
    rules, origin = rules_of(session), session.info.get(ORIGIN_KEY)
    held = min(now + rules.hold, event.starts) if rules.confirm == "email" else None
    if session.get_bind().dialect.name == "postgresql":
        result = _register_in_one_statement(session, event, channel, user_id, details, lang, now,
                                            Extras(rules, origin, held))
    else:
        result = _register_capped_here(session, event, channel, user_id, details, lang, now,
                                       Extras(rules, origin, held))
    if isinstance(result, Registered):
        return _made(session, rules, event, result, held, now)
    if result.reason == "already_email" and result.existing is not None:
        # Told as if new; the person who registered that address gets an email instead (bot/desk/mail.py), at
        # most one a day, so that nobody can flood their inbox by trying again and again.
        if _first_today(session, f"mail-duplicate:{result.existing.id}:{now.date().isoformat()}", now):
            mail.queue(session, rules, event, result.existing.id, "duplicate", now)
        return replace(result, newcomer_position=newcomer_position(session, event))
    return result


_SET_ORIGIN_HOLD = (update(Registration).where(Registration.id == bindparam("reg_id"))
                    .values(origin=bindparam("p_origin"), hold_until=bindparam("p_hold")))
_WAITLISTED = select(func.count()).select_from(Registration).where(_EVENT, Registration.status == "waitlisted")


@dataclass(frozen=True)
class Extras:
    """What a registration carries beside the member's details: the deployment's rules (caps), the client's origin
    (a keyed hash of its address, web chat only) and how long the seat is held for the email's link."""

    rules: Rules
    origin: str | None
    held: datetime | None


def _register_capped_here(session: Session, event: Event, channel: str, user_id: str, details: Details,
                          lang: str, now: datetime, extras: Extras) -> Registered | Refused:
    """The caps, then the rules, in SQLAlchemy statements (SQLite, where a round trip costs nothing)."""
    cap = extras.rules.cap
    if cap is not None:
        lock_seats(session, event, now)  # the per-event counts are taken with the seat row locked
        hit = cap_reached(session, cap, event.id, channel, user_id, extras.origin, now)
        if hit is not None:
            return Refused("capped_event" if hit.per_event else "capped", retry_at=hit.retry_at)
    result = _register_here(session, event, channel, user_id, details, lang, now)
    if isinstance(result, Registered) and (extras.origin or extras.held):
        session.flush()
        session.connection().execute(_SET_ORIGIN_HOLD, {"reg_id": result.registration.id, "p_origin": extras.origin,
                                                        "p_hold": extras.held})
        if isinstance(result.registration, Registration):
            session.expire(result.registration, ["origin", "hold_until"])
    return result


def _made(session: Session, rules: Rules, event: Event, made: Registered, held: datetime | None,
          now: datetime) -> Registered:
    """A new registration: its email (confirmed, waitlisted, or held until the email's link is followed)."""
    purpose: mail.Purpose = "hold" if held else "confirmed" if made.position is None else "waitlisted"
    mail.queue(session, rules, event, made.registration.id, purpose, now, made.position)
    return replace(made, held_until=held)


def _first_today(session: Session, key: str, now: datetime) -> bool:
    conn = session.connection()
    insert = UPSERT_INSERT[conn.dialect.name](SentOnce).values(key=key, created_at=now)
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT ... ON CONFLICT DO NOTHING.
    first = insert.on_conflict_do_nothing(index_elements=["key"]).returning(SentOnce.key)
    return conn.execute(first).first() is not None


def newcomer_position(session: Session, event: Event) -> int | None:
    """None when a new registration would get a seat now, else its waitlist position."""
    if event.capacity is None or confirmed_count(session, event.id) < event.capacity:
        return None
    return int(session.connection().execute(_WAITLISTED, {"event_id": event.id}).scalar() or 0) + 1


def _register_here(session: Session, event: Event, channel: str, user_id: str, details: Details, lang: str,
                   now: datetime) -> Registered | Refused:
    email_key = details.email.lower()
    capacity = lock_seats(session, event, now)
    mine = session.scalars(_MINE_AT_EVENT, {"event_id": event.id, "channel": channel, "user_id": user_id}).first()
    if mine is not None:
        return Refused("already_member", mine)
    same_email = session.scalars(_SAME_EMAIL, {"event_id": event.id, "email_key": email_key}).first()
    if same_email is not None:
        return Refused("already_email", same_email)
    # If staff raised the capacity, the waitlist moves up before anyone new is seated.
    promoted = promote_waiting(session, event.id, capacity, now)
    full = capacity is not None and confirmed_count(session, event.id) >= capacity
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


_REGISTER_FUNCTION = select(func.gasme_register_capped(
    bindparam("event"), bindparam("capacity"), bindparam("channel"), bindparam("user_id"), bindparam("name"),
    bindparam("company"), bindparam("email"), bindparam("email_key"), bindparam("lang"),
    bindparam("now", type_=DateTime(timezone=True)), bindparam("origin"),
    bindparam("hold", type_=DateTime(timezone=True)),
    bindparam("member_event"), bindparam("member_window"), bindparam("address_event"), bindparam("address_window"),
    bindparam("window", type_=Interval())).table_valued(
        "kind", "reg_id", "reg_status", "reg_channel", "reg_user", "reg_lang", "reg_email", "waitlist_position",
        "retry_at"))
_NO_CAP = RegistrationCap(0, 0, 0, 0)


def _register_in_one_statement(session: Session, event: Event, channel: str, user_id: str, details: Details,
                               lang: str, now: datetime, extras: Extras) -> Registered | Refused:
    """The caps and the rules as above, as one call of the server-side function gasme_register_capped() (migration
    0016): one round trip instead of up to eleven, made with the seat row locked, which on PostgreSQL is most of a
    registration's time (bench/registration.py)."""
    session.flush()
    cap = extras.rules.cap or _NO_CAP
    rows = session.connection().execute(_REGISTER_FUNCTION, {
        "event": event.id, "capacity": event.capacity, "channel": channel, "user_id": user_id, "name": details.name,
        "company": details.company, "email": details.email, "email_key": details.email.lower(), "lang": lang,
        "now": now, "origin": extras.origin, "hold": extras.held, "member_event": cap.per_member_event,
        "member_window": cap.per_member_hour, "address_event": cap.per_address_event,
        "address_window": cap.per_address_hour, "window": cap.window}).all()
    if rows and rows[0].kind in ("capped", "capped_event"):
        return Refused(rows[0].kind, retry_at=rows[0].retry_at)
    seats = [(r.kind, Seat(r.reg_id, event.id, r.reg_channel, r.reg_user, r.reg_email, r.reg_lang, r.reg_status),
              r.waitlist_position) for r in rows]
    promoted = tuple(seat for kind, seat, _ in seats if kind == "promoted")
    for kind, seat, position in seats:
        if kind == "new":
            return Registered(seat, position, promoted)
        if kind in ("already_member", "already_email"):
            return Refused(kind, seat if seat.id is not None else None)
    raise RuntimeError(f"gasme_register_capped returned no outcome for {event.id}")


def promote_waiting(session: Session, event_id: str, capacity: int | None, now: datetime) -> tuple[Registration, ...]:
    """Confirm waitlisted registrations, oldest first, while seats are free. Call with the seat row locked."""
    free = None if capacity is None else capacity - confirmed_count(session, event_id)
    if free is not None and free <= 0:
        return ()
    waiting = list(session.scalars(_WAITING if free is None else _WAITING.limit(free), {"event_id": event_id}))
    for reg in waiting:
        reg.status, reg.updated_at = "confirmed", now
    session.flush()
    return tuple(waiting)


def cancel(session: Session, event: Event, reg_id: int, channel: str, user_id: str,
           now: datetime) -> tuple[Registration, tuple[Registration, ...]] | None:
    """Cancel a member's own active registration; returns it and the waitlisted members promoted, if any."""
    capacity = lock_seats(session, event, now)
    reg = session.scalars(_OWN_LOCKED, {"reg_id": reg_id, "channel": channel, "user_id": user_id}).first()
    if reg is None:
        return None
    return reg, release(session, event, reg, capacity, now, "cancelled")


def release(session: Session, event: Event, reg: Registration, capacity: int | None, now: datetime,
             why: mail.Purpose) -> tuple[Registration, ...]:
    """End a registration (locked, with its event's seat row): its email, and the waitlist moves up."""
    was_confirmed = reg.status == "confirmed"
    reg.status, reg.cancelled_at, reg.updated_at, reg.hold_until = "cancelled", now, now, None
    session.flush()
    mail.queue(session, rules_of(session), event, reg.id, why, now)
    # A freed seat goes to the first on the waitlist (several, if staff also raised the capacity).
    return promote_waiting(session, event.id, capacity, now) if was_confirmed else ()


_ANY_LOCKED = select(Registration).where(Registration.id == bindparam("reg_id"), _EVENT, _ACTIVE).with_for_update()


def staff_cancel(session: Session, event: Event, reg_id: int,
                 now: datetime) -> tuple[Registration, tuple[Registration, ...]] | None:
    """Staff cancel any active registration of the event; returns it and the waitlisted members promoted."""
    capacity = lock_seats(session, event, now)
    reg = session.scalars(_ANY_LOCKED, {"reg_id": reg_id, "event_id": event.id}).first()
    if reg is None:
        return None
    was_confirmed = reg.status == "confirmed"
    reg.status, reg.cancelled_at, reg.updated_at = "cancelled", now, now
    session.flush()
    return reg, (promote_waiting(session, event.id, capacity, now) if was_confirmed else ())


def of_member(session: Session, channel: str, user_id: str, active_only: bool = True) -> list[Registration]:
    q = _OF_MEMBER_ACTIVE if active_only else _OF_MEMBER
    return list(session.scalars(q, {"channel": channel, "user_id": user_id}).all())


def last_details(session: Session, channel: str, user_id: str) -> Details | None:
    last = session.scalars(_LAST_OF_MEMBER, {"channel": channel, "user_id": user_id}).first()
    return Details(last.name, last.company, last.email) if last else None


def notify_promoted(session: Session, event: Event, promoted: Iterable[Booked], now: datetime) -> None:
    """Queue each promoted member's notice on their own channel, and their email, in the caller's transaction."""
    rules = rules_of(session)
    for reg in promoted:
        mail.queue(session, rules, event, reg.id, "promoted", now)
        lang: Lang = "zh" if reg.lang == "zh" else "en"
        notice = t("reg_promoted", lang, title=event.title.get(lang), id=reg.id)
        outbox.enqueue(session.connection(), now, reg.channel, reg.user_id, None, "notice",
                       {"text": notice, "lang": lang, "event_id": event.id, "registration_id": reg.id})


_HAS_SEATS = select(EventSeats.event_id).where(EventSeats.event_id == bindparam("event_id"))


def apply_capacities(db: Engine, events: Iterable[Event], now: datetime, rules: Rules | None = None) -> int:
    """At start-up (serve, worker, chat): bring every event's seat row up to the calendar's capacity and, where
    staff raised it, confirm waitlisted members into the new seats and tell them, without waiting for someone
    else to register. One short transaction per event that has registrations; returns how many were promoted."""
    count = 0
    for event in events:
        if event.starts <= now:
            continue  # a past event's list is history
        with sessions(db).begin() as s:
            s.info[RULES_KEY] = rules or Rules()
            if s.connection().execute(_HAS_SEATS, {"event_id": event.id}).first() is None:
                continue  # nobody ever registered: nothing to move up
            capacity = lock_seats(s, event, now)
            promoted = promote_waiting(s, event.id, capacity, now)
            notify_promoted(s, event, promoted, now)
            count += len(promoted)
    return count
