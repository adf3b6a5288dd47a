"""Seats held for email confirmation (GASME_REGISTRATION_CONFIRM=email), and the links in the emails.

A held registration counts as a seat (or a waitlist place) like any other, and carries `hold_until`. Following
the email's "Confirm" link clears the hold; a hold that runs out is ended by the worker's timer (`lapse_due`),
and the seat goes to the waitlist. The "Not you? Cancel" link cancels the registration, as the member could
in the chat. Each change is one short transaction, with the event's seat row locked, and queues what the member
and the waitlist are told.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.desk import mail_links
from bot.desk import registrations as regs
from bot.desk.registration_rules import RULES_KEY, Rules
from bot.i18n import t
from bot.messages import Lang
from bot.storage import outbox
from bot.storage.database import sessions
from bot.storage.models import ACTIVE_REGISTRATION, MailLink, Registration
from bot.understanding.knowledge_files import Event

EventById = Callable[[str], Event | None]


def _notice(session: Session, reg: Registration, key: str, title: str, now: datetime) -> None:
    lang: Lang = "zh" if reg.lang == "zh" else "en"
    outbox.enqueue(session.connection(), now, reg.channel, reg.user_id, None, "notice",
                   {"text": t(key, lang, title=title), "lang": lang, "event_id": reg.event_id,
                    "registration_id": reg.id})


def _locked(session: Session, event: Event | None, reg_id: int,
            now: datetime) -> tuple[Registration | None, int | None]:
    """The active registration, locked after its event's seat row (the order every registration path takes)."""
    capacity = regs.lock_seats(session, event, now) if event is not None else None
    reg = session.scalars(select(Registration).where(Registration.id == reg_id, ACTIVE_REGISTRATION)
                          .with_for_update()).first()
    return reg, capacity


def end(session: Session, event: Event | None, reg_id: int, why: str, now: datetime) -> Registration | None:
    """End an active registration (`why`: cancelled by the link, or the hold lapsed): the member's email and chat
    notice, the waitlist moved up and told. None when it was no longer active."""
    reg, capacity = _locked(session, event, reg_id, now)
    if reg is None or (why == "lapsed" and reg.hold_until is None):
        return None  # confirmed (or cancelled) meanwhile
    title = event.title.get("zh" if reg.lang == "zh" else "en") if event else reg.event_id
    if event is None:  # gone from the calendar: nobody to move up
        reg.status, reg.cancelled_at, reg.updated_at, reg.hold_until = "cancelled", now, now, None
    else:
        promoted = regs.release(session, event, reg, capacity, now, "lapsed" if why == "lapsed" else "cancelled")
        regs.notify_promoted(session, event, promoted, now)
    _notice(session, reg, "reg_hold_lapsed" if why == "lapsed" else "reg_link_cancelled", title, now)
    return reg


def confirm(session: Session, event: Event | None, reg_id: int, now: datetime) -> Registration | None:
    """The member followed the "Confirm" link: the hold ends and the registration stands."""
    reg, _ = _locked(session, event, reg_id, now)
    if reg is None:
        return None
    if reg.hold_until is not None:
        reg.hold_until, reg.updated_at = None, now
        _notice(session, reg, "reg_link_confirmed", event.title.get("zh" if reg.lang == "zh" else "en")
                if event else reg.event_id, now)
    return reg


def lapse_due(db: Engine, event_by_id: EventById, rules: Rules, now: datetime) -> int:
    """End every hold that ran out (the worker's timer); one transaction each. Returns how many lapsed."""
    with db.connect() as conn:
        due = conn.execute(select(Registration.id, Registration.event_id)
                           .where(Registration.hold_until <= now, ACTIVE_REGISTRATION)).all()
    lapsed = 0
    for reg_id, event_id in due:
        with sessions(db).begin() as s:
            s.info[RULES_KEY] = rules
            lapsed += end(s, event_by_id(event_id), reg_id, "lapsed", now) is not None
    return lapsed


@dataclass(frozen=True)
class LinkPage:
    """What the page behind an email's link shows."""

    state: str  # ok | used | expired | invalid | gone (the registration ended) | done (just used)
    purpose: str = "cancel"
    lang: Lang = "en"
    number: int = 0
    name: str = ""
    company: str = ""
    email: str = ""
    status: str = ""
    held: bool = False
    event: Event | None = None


class LinkDesk:
    """The page of an email's link: look (GET, changes nothing) and use (POST). One transaction each."""

    def __init__(self, db: Engine, event_by_id: EventById, rules: Rules, clock: Callable[[], datetime]):
        self.db, self.event_by_id, self.rules, self.clock = db, event_by_id, rules, clock

    def _page(self, state: str, link: MailLink | None, reg: Registration | None) -> LinkPage:
        if link is None or reg is None:
            return LinkPage(state)
        lang: Lang = "zh" if reg.lang == "zh" else "en"
        if state == "ok" and reg.status == "cancelled":
            state = "gone"
        return LinkPage(state, link.purpose, lang, reg.id, reg.name, reg.company, reg.email, reg.status,
                        reg.hold_until is not None, self.event_by_id(reg.event_id))

    def look(self, token: str) -> LinkPage:
        assert self.rules.mail is not None
        with sessions(self.db)() as s:
            found = mail_links.find(s, self.rules.mail.secret_key, token, self.clock())
            reg = s.get(Registration, found.link.registration_id) if found.link else None
            return self._page(found.state, found.link, reg)

    def use(self, token: str) -> LinkPage:
        assert self.rules.mail is not None
        now = self.clock()
        with sessions(self.db).begin() as s:
            s.info[RULES_KEY] = self.rules
            found = mail_links.find(s, self.rules.mail.secret_key, token, now)
            link = found.link
            reg = s.get(Registration, link.registration_id) if link else None
            if found.state != "ok" or link is None or reg is None or reg.status == "cancelled":
                return self._page(found.state, link, reg)
            if not mail_links.use(s, link, now):
                return self._page("used", link, reg)
            event = self.event_by_id(reg.event_id)
            if link.purpose == "confirm":
                confirm(s, event, reg.id, now)
            else:
                end(s, event, reg.id, "cancelled", now)
            s.flush()
            s.refresh(reg)
            return self._page("done", link, reg)
