"""How registrations are taken in this deployment: the caps on how many one member or one client address may
make, whether a seat waits for the email's link, and what is needed to send emails at all.

The engine puts the deployment's `Rules` in the turn's `Session.info` (as it does the client's `origin`), so the
desk reads them wherever a registration is made; staff tools pass them explicitly.

Caps count rows in the database (cancelled ones too: registering and cancelling in a loop is what they stop),
so every process sees the same counts. The per-event counts are taken with the event's seat row locked, so two
requests from one address at the same instant cannot both slip under a per-event cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.models import Registration

Confirm = Literal["none", "email"]
RULES_KEY = "registration_rules"
ORIGIN_KEY = "origin"
# How long a seat is held for a member who has not yet followed the link in their email (GASME_REGISTRATION_
# CONFIRM=email): long enough to read the email the next morning, short enough that seats taken with made-up
# addresses come back the next day. Never past the event's start.
HOLD = timedelta(hours=24)


@dataclass(frozen=True)
class RegistrationCap:
    """At most this many registrations made by one member (a web chat session is one member) and from one client
    address (web chat), for one event and within `window` across events. 0 turns a cap off."""

    per_member_event: int = 3
    per_member_hour: int = 5
    per_address_event: int = 3
    per_address_hour: int = 10
    window: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class MailPolicy:
    """What the desk needs to put a working link in an email: the key that signs it and the public address of
    `serve` (GASME_PUBLIC_URL). Without a public address emails go out without links."""

    secret_key: str
    public_url: str | None


@dataclass(frozen=True)
class Rules:
    cap: RegistrationCap | None = RegistrationCap()
    confirm: Confirm = "none"
    hold: timedelta = HOLD
    mail: MailPolicy | None = None  # None: no email is queued (GASME_SMTP_URL unset)


DEFAULT_RULES = Rules()


def rules_of(session: Session) -> Rules:
    found = session.info.get(RULES_KEY)
    return found if isinstance(found, Rules) else DEFAULT_RULES


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)  # SQLite hands back naive UTC


@dataclass(frozen=True)
class CapHit:
    """A cap that one more registration would pass: an event's (never frees up for this member or address) or an
    hourly one, free again at `retry_at` (aware, UTC)."""

    per_event: bool
    retry_at: datetime | None = None


def cap_reached(session: Session, cap: RegistrationCap, event_id: str, channel: str, user_id: str,
                origin: str | None, now: datetime) -> CapHit | None:
    """None when one more registration is allowed; else the cap it would pass (an event's first)."""
    member = (Registration.channel == channel) & (Registration.user_id == user_id)
    since = now - cap.window
    checks: list[tuple[Any, int, bool]] = [
        (member & (Registration.event_id == event_id), cap.per_member_event, True),
        (member & (Registration.created_at > since), cap.per_member_hour, False)]
    if origin:
        by_address = Registration.origin == origin
        checks += [(by_address & (Registration.event_id == event_id), cap.per_address_event, True),
                   (by_address & (Registration.created_at > since), cap.per_address_hour, False)]
    retry: datetime | None = None
    for who, limit, per_event in sorted(checks, key=lambda c: not c[2]):
        if limit <= 0:
            continue
        count, oldest = session.execute(select(func.count(), func.min(Registration.created_at)).where(who)).one()
        if count < limit:
            continue
        if per_event:
            return CapHit(True)
        at = _aware(oldest) + cap.window  # the window frees a place when its oldest registration leaves it
        retry = at if retry is None else max(retry, at)
    return None if retry is None else CapHit(False, retry)
