"""Staff dashboard accounts: names with argon2id password hashes (argon2-cffi's defaults, RFC 9106's second
recommended setting), never the password itself. A new password ends every session signed in with the old one."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from bot.storage.models import StaffSession, StaffUser

_HASHER = PasswordHasher()
# Verifying against this when the name is unknown costs the same time as a real check: the response time does not
# tell which names exist.
_DUMMY = _HASHER.hash("no such user")
MIN_PASSWORD = 10
ROLES = ("editor", "agent")  # editor: knowledge and events too; agent: tickets and registrations


class AccountError(ValueError):
    """A staff account that cannot be made as asked (a name out of bounds, a password too short)."""


class NoSuchAccount(AccountError):
    """A new password for a name that has no account."""


def _checked(name: str, password: str) -> tuple[str, str]:
    name = name.strip()
    if not name or len(name) > 64:
        raise AccountError("the name must be 1 to 64 characters")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must be at least {MIN_PASSWORD} characters")
    return name, _HASHER.hash(password)


def add_user(db: Engine, name: str, password: str, now: datetime, role: str | None = None,
             must_exist: bool = False) -> bool:
    """Create the account (an editor unless `role` says otherwise), or set a new password (and the role, when
    given) for an existing one, which ends all its dashboard sessions. True when it was created; `must_exist`:
    NoSuchAccount instead of creating one."""
    if role is not None and role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    name, hashed = _checked(name, password)
    with db.begin() as conn:
        found = conn.execute(select(StaffUser.id).where(StaffUser.name == name)).first()
        if found is not None:
            # A new role only when one is given: `staff set-password` keeps the account's role.
            changes = {"password_hash": hashed} | ({"role": role} if role else {})
            conn.execute(update(StaffUser).where(StaffUser.id == found[0]).values(**changes))
            # Whoever signed in with the old password (perhaps the reason for the new one) is signed out.
            conn.execute(delete(StaffSession).where(StaffSession.user_id == found[0]))
            return False
        if must_exist:
            raise NoSuchAccount(f"there is no staff account {name!r} (create it with `gasme-bot staff add-user`)")
        conn.execute(insert(StaffUser), {"name": name, "password_hash": hashed, "role": role or "editor",
                                         "created_at": now})
        return True


def check_password(db: Engine, name: str, password: str) -> bool:
    with db.connect() as conn:
        stored = conn.execute(select(StaffUser.password_hash).where(StaffUser.name == name.strip())).scalar()
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def exists(db: Engine, name: str) -> bool:
    with db.connect() as conn:
        return conn.execute(select(StaffUser.id).where(StaffUser.name == name)).first() is not None


def role_of(db: Engine, name: str) -> str | None:
    """The account's role, or None when there is no such account (any more)."""
    with db.connect() as conn:
        role = conn.execute(select(StaffUser.role).where(StaffUser.name == name)).scalar()
    return None if role is None else str(role)
