"""Staff access in one place: signed session cookies, CSRF tokens, and the failed-login counters.

A login sets a signed, HttpOnly, SameSite=Strict session cookie that carries the name and the login time and lapses
after GASME_STAFF_SESSION_HOURS. Every form carries a CSRF token derived from the session (the login form: a
double-submit cookie). Failed logins are slowed (a growing pause per name and address) and, past five in fifteen
minutes, refused until the window passes."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime, timedelta

from starlette.datastructures import FormData
from starlette.responses import Response

COOKIE = "gasme_staff"
LOGIN_CSRF = "gasme_staff_login"
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)


class Auth:
    """Signed session cookies and CSRF tokens, and the failed-login counters."""

    def __init__(self, key: str, hours: float, clock: Callable[[], datetime], pause: float = 0.5):
        self.key = hashlib.sha256(b"staff-dashboard:" + key.encode()).digest()
        self.lifetime = timedelta(hours=hours)
        self.clock = clock
        self.pause = pause  # seconds after the first failure; doubles with each further one
        self.failures: dict[str, list[datetime]] = {}

    def _mac(self, value: str) -> str:
        return base64.urlsafe_b64encode(hmac.new(self.key, value.encode(), hashlib.sha256).digest()).decode()[:43]

    def issue(self, name: str) -> str:
        body = base64.urlsafe_b64encode(f"{name}\n{self.clock().timestamp():.0f}".encode()).decode()
        return f"{body}.{self._mac(body)}"

    def user(self, cookie: str | None) -> str | None:
        """The signed-in name, or None for a missing, forged or expired cookie."""
        if not cookie or "." not in cookie:
            return None
        body, mac = cookie.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            name, issued = base64.urlsafe_b64decode(body.encode()).decode().split("\n")
            age = self.clock().timestamp() - float(issued)
        except ValueError:
            return None
        return name if 0 <= age <= self.lifetime.total_seconds() else None

    def csrf(self, cookie: str) -> str:
        return self._mac("csrf\n" + cookie)

    def locked(self, who: str) -> bool:
        now = self.clock()
        recent = [t for t in self.failures.get(who, []) if now - t < FAILURE_WINDOW]
        self.failures[who] = recent
        return len(recent) >= MAX_FAILURES

    async def failed(self, who: str) -> None:
        self.failures.setdefault(who, []).append(self.clock())
        # A growing pause makes guessing slow for one name from one address, without locking staff out for long.
        await asyncio.sleep(min(self.pause * 2 ** (len(self.failures[who]) - 1), 8.0))


def csrf_ok(form: FormData, expected: str) -> bool:
    """Whether a posted form carries the expected token (compared in constant time)."""
    return bool(expected) and hmac.compare_digest(str(form.get("csrf", "")), expected)


def csrf_refused() -> Response:
    return Response("CSRF token missing or wrong", status_code=403)
