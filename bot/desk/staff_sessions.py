"""Staff dashboard sessions and sign-in attempts, kept in the database: every process of a deployment sees the
same ones, and a restart keeps them.

A session is a row keyed by the SHA-256 of a random token that only the cookie holds. Signing out deletes the row,
a new password deletes every row of the account, and every request looks its row up, so an ended session is ended
everywhere at once.

A sign-in attempt is recorded, and committed, *before* its password is checked; the check is skipped when the
attempts already recorded for the same name and address (or for the name from anywhere) pass the cap. The k-th
attempt to commit counts at least k rows, so however many guesses arrive at once, at most the cap are checked.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select

from bot.storage.models import StaffLoginAttempt, StaffSession, StaffUser

PER_ADDRESS = 5  # password checks per name and client address in WINDOW
PER_NAME = 25  # password checks per name from all addresses together in WINDOW (guessing from many addresses)
WINDOW = timedelta(minutes=15)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- sessions -----------------------------------------------------------------------------------------------------


def start(db: Engine, name: str, now: datetime, lifetime: timedelta) -> str | None:
    """A new session for the account; its token (for the cookie), or None when there is no such account."""
    token = secrets.token_urlsafe(32)
    with db.begin() as conn:
        user_id = conn.execute(select(StaffUser.id).where(StaffUser.name == name.strip())).scalar()
        if user_id is None:
            return None
        conn.execute(delete(StaffSession).where(StaffSession.expires_at <= now))  # lapsed ones, anyone's
        conn.execute(insert(StaffSession), {"id": _digest(token), "user_id": user_id, "created_at": now,
                                            "expires_at": now + lifetime})
    return token


def user_of(db: Engine, token: str, now: datetime) -> str | None:
    """The name signed in with this token, or None for an unknown, ended or lapsed session."""
    with db.connect() as conn:
        return conn.execute(select(StaffUser.name).join(StaffSession, StaffSession.user_id == StaffUser.id)
                            .where(StaffSession.id == _digest(token), StaffSession.expires_at > now)).scalar()


def end(db: Engine, token: str) -> None:
    with db.begin() as conn:
        conn.execute(delete(StaffSession).where(StaffSession.id == _digest(token)))


# --- sign-in attempts ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    id: int
    name: str
    address: str
    count: int  # attempts for this name and address in the window, this one included
    locked: bool  # over a cap: the password must not be checked


def record_attempt(db: Engine, name: str, address: str, now: datetime) -> Attempt:
    """Record an attempt (committed at once), then count. A refused attempt's row is removed again, so that only
    checked attempts (and those still being checked) keep a name locked: the lock lasts WINDOW after the last
    checked guess, however long someone keeps knocking."""
    name = name.strip().lower()[:64]
    with db.begin() as conn:
        conn.execute(delete(StaffLoginAttempt).where(StaffLoginAttempt.created_at < now - WINDOW))
        attempt_id = conn.execute(insert(StaffLoginAttempt).returning(StaffLoginAttempt.id),
                                  {"name": name, "address": address, "created_at": now}).scalar_one()
    since = now - WINDOW
    with db.connect() as conn:  # a new transaction: it sees every attempt committed before ours
        recent = select(func.count()).where(StaffLoginAttempt.name == name, StaffLoginAttempt.created_at > since)
        here = conn.execute(recent.where(StaffLoginAttempt.address == address)).scalar_one()
        anywhere = conn.execute(recent).scalar_one()
    locked = here > PER_ADDRESS or anywhere > PER_NAME
    if locked:
        with db.begin() as conn:
            conn.execute(delete(StaffLoginAttempt).where(StaffLoginAttempt.id == attempt_id))
    return Attempt(attempt_id, name, address, here, locked)


def succeeded(db: Engine, attempt: Attempt) -> None:
    """The password was right: the failures before it, from this address, no longer count."""
    with db.begin() as conn:
        conn.execute(delete(StaffLoginAttempt).where(StaffLoginAttempt.name == attempt.name,
                                                     StaffLoginAttempt.address == attempt.address,
                                                     StaffLoginAttempt.id <= attempt.id))
