"""Staff access in one place: session cookies, CSRF tokens, and the sign-in attempts.

A sign-in sets a signed, HttpOnly, SameSite=Strict cookie (Secure over HTTPS) holding a random token; the session
itself is a database row (bot/desk/staff_sessions.py) that every request looks up, so signing out or a new password
ends it in every process, and it lapses after GASME_STAFF_SESSION_HOURS. Every form carries a CSRF token derived
from the session (the sign-in form: a double-submit cookie). Sign-in attempts are recorded in the database before
the password is checked: failures are slowed (a pause that doubles) and, past the caps, refused until the window
passes, whatever the number of processes or of guesses sent at once."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine
from starlette.datastructures import FormData
from starlette.responses import Response

from bot.desk import staff_sessions
from bot.desk.staff_sessions import Attempt

COOKIE = "gasme_staff"
LOGIN_CSRF = "gasme_staff_login"


class Auth:
    """Session cookies and CSRF tokens, and the sign-in attempts. The methods that read or write the database
    block: call them off the event loop."""

    def __init__(self, db: Engine, key: str, hours: float, clock: Callable[[], datetime], pause: float = 0.5):
        self.db = db
        self.key = hashlib.sha256(b"staff-dashboard:" + key.encode()).digest()
        self.lifetime = timedelta(hours=hours)
        self.clock = clock
        self.pause = pause  # seconds after the first failure; doubles with each further one

    def _mac(self, value: str) -> str:
        return base64.urlsafe_b64encode(hmac.new(self.key, value.encode(), hashlib.sha256).digest()).decode()[:43]

    def _token(self, cookie: str | None) -> str | None:
        """The session token of a cookie whose signature is ours (a forged one never reaches the database)."""
        if not cookie or "." not in cookie:
            return None
        token, mac = cookie.rsplit(".", 1)
        return token if hmac.compare_digest(mac, self._mac(token)) else None

    def issue(self, name: str) -> str | None:
        """A new session's cookie value, or None when the account is gone."""
        token = staff_sessions.start(self.db, name, self.clock(), self.lifetime)
        return None if token is None else f"{token}.{self._mac(token)}"

    def user(self, cookie: str | None) -> str | None:
        """The signed-in name, or None for a missing, forged, ended or lapsed session."""
        token = self._token(cookie)
        return None if token is None else staff_sessions.user_of(self.db, token, self.clock())

    def end(self, cookie: str | None) -> None:
        token = self._token(cookie)
        if token is not None:
            staff_sessions.end(self.db, token)

    def csrf(self, cookie: str) -> str:
        return self._mac("csrf\n" + cookie)

    def address_key(self, address: str) -> str:
        """A keyed hash of the client address: enough to count attempts per address, never the address itself."""
        return self._mac("address\n" + address)[:32]

    def attempt(self, name: str, address: str) -> Attempt:
        return staff_sessions.record_attempt(self.db, name, self.address_key(address), self.clock())

    def succeeded(self, attempt: Attempt) -> None:
        staff_sessions.succeeded(self.db, attempt)

    async def failed(self, attempt: Attempt) -> None:
        # A growing pause makes guessing slow for one name from one address, without locking staff out for long.
        await asyncio.sleep(min(self.pause * 2 ** (attempt.count - 1), 8.0))


def csrf_ok(form: FormData, expected: str) -> bool:
    """Whether a posted form carries the expected token (compared in constant time)."""
    return bool(expected) and hmac.compare_digest(str(form.get("csrf", "")), expected)


def csrf_refused() -> Response:
    return Response("CSRF token missing or wrong", status_code=403)
