"""Links sent in emails ("Not you? Cancel", "Confirm my seat"): signed with the app's secret key, single use,
expiring.

A token is a random nonce and its HMAC under the secret key; the nonce's row (mail_links) says which registration
and what the link does, until when, and whether it was used. A token that was altered fails the signature; one
used before, or past its time, is refused by its row. Using one is an atomic conditional UPDATE, so of two clicks
(or two processes) exactly one wins. No member or registration id appears in the URL.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.storage.models import MailLink

Purpose = Literal["cancel", "confirm"]
State = Literal["ok", "used", "expired", "invalid"]
PATH = "/registration/"


def _sign(key: str, nonce: str) -> str:
    mac = hmac.new(key.encode(), b"mail-link:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def nonce_of(key: str, token: str) -> str | None:
    """The nonce of a token whose signature holds, else None."""
    if not token or token.count(".") != 1 or len(token) > 200:
        return None
    nonce, sig = token.split(".")
    return nonce if nonce and hmac.compare_digest(sig.encode(), _sign(key, nonce).encode()) else None


def issue(session: Session, key: str, registration_id: int, purpose: Purpose, expires_at: datetime,
          now: datetime) -> str:
    """A new link's token, recorded in the caller's transaction."""
    nonce = secrets.token_urlsafe(24)
    session.add(MailLink(nonce=nonce, registration_id=registration_id, purpose=purpose, expires_at=expires_at,
                         created_at=now))
    return f"{nonce}.{_sign(key, nonce)}"


def url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}{PATH}{token}"


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Found:
    state: State
    link: MailLink | None = None


def find(session: Session, key: str, token: str, now: datetime) -> Found:
    """The link a token names, and whether it may still be used."""
    nonce = nonce_of(key, token)
    link = session.get(MailLink, nonce) if nonce else None
    if link is None:
        return Found("invalid")
    if link.used_at is not None:
        return Found("used", link)
    if _aware(link.expires_at) <= now:
        return Found("expired", link)
    return Found("ok", link)


def use(session: Session, link: MailLink, now: datetime) -> bool:
    """Mark the link used; False when another request used it first (or it expired meanwhile)."""
    won = session.execute(update(MailLink).where(MailLink.nonce == link.nonce, MailLink.used_at.is_(None),
                                                 MailLink.expires_at > now)
                          .values(used_at=now).returning(MailLink.nonce)
                          .execution_options(synchronize_session=False)).first()
    return won is not None
