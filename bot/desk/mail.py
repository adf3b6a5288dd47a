"""Emails to members about their registrations, composed here and queued in the outbox (channel "email") in the
transaction of the change they tell of; the email channel (bot/channels/email.py) only turns the payload into
MIME and hands it to the SMTP server, with the outbox's retries.

Each email is in the member's language and holds the event's details, the `.ics` file (a cancelling one when
the registration ends) and, while the registration is active, a signed single-use "Not you? Cancel" link (and,
for a held seat, the "Confirm" link). Nothing is queued when email is not configured (`Rules.mail` is None).
"""

from __future__ import annotations

import base64
import html
from datetime import datetime
from typing import Any, Literal

import icalendar
from sqlalchemy.orm import Session

from bot.desk import calendar_text, mail_links
from bot.desk.mail_text import mt
from bot.desk.registration_rules import Rules
from bot.messages import Lang
from bot.storage import outbox
from bot.storage.models import Registration
from bot.understanding.knowledge_files import Event

CHANNEL = "email"
KIND = "email"
Purpose = Literal["confirmed", "waitlisted", "hold", "promoted", "cancelled", "lapsed", "duplicate"]
_ENDED = ("cancelled", "lapsed")
Paragraph = tuple[str, str | None]  # text, and the link it carries (if any)


def _lang(value: str) -> Lang:
    return "zh" if value == "zh" else "en"


def moment(dt: datetime, ev: Event, lang: Lang) -> str:
    """A time in the event's zone: "27 November 2026 11:00 (CET)" / "2026年11月27日 11:00（CET）"."""
    local = dt.astimezone(ev.starts.tzinfo)
    zone = f"（{local.tzname()}）" if lang == "zh" else f" ({local.tzname()})"
    return f"{calendar_text.date_range_of(local, lang)} {local:%H:%M}{zone}"


def calendar_file(ev: Event, lang: Lang, now: datetime, ended: bool) -> tuple[str, bytes]:
    """The event's .ics; for an ended registration, one that takes the event out of the member's calendar."""
    att = calendar_text.ics(ev, lang, now)
    if not ended:
        return att.filename, att.data
    cal = icalendar.Calendar.from_ical(att.data)
    cal["method"] = "CANCEL"
    for vevent in cal.walk("VEVENT"):
        vevent["status"] = "CANCELLED"
        vevent["sequence"] = 1
    return att.filename, cal.to_ical()


def _links(session: Session, rules: Rules, reg: Registration, ev: Event, purpose: Purpose,
           now: datetime) -> tuple[list[Paragraph], list[Paragraph]]:
    """The "Confirm" link (a held registration's first email) and the "Not you? Cancel" link, as paragraphs."""
    mail = rules.mail
    if mail is None or mail.public_url is None or purpose in _ENDED or reg.status == "cancelled":
        return [], []
    lang = _lang(reg.lang)
    confirm: list[Paragraph] = []
    if reg.hold_until is not None and purpose == "hold":
        token = mail_links.issue(session, mail.secret_key, reg.id, "confirm", reg.hold_until, now)
        target = mail_links.url(mail.public_url, token)
        confirm.append((mt("confirm_link", lang, url=target), target))
    token = mail_links.issue(session, mail.secret_key, reg.id, "cancel", ev.starts, now)
    target = mail_links.url(mail.public_url, token)
    return confirm, [(mt("cancel_link", lang, url=target), target)]


def _status(reg: Registration, lang: Lang) -> str:
    if reg.status == "cancelled":
        return mt("status_cancelled", lang)
    if reg.hold_until is not None:
        return mt("status_held", lang)
    return mt(f"status_{reg.status}", lang)


def _body(reg: Registration, ev: Event, purpose: Purpose, position: int | None,
          links: tuple[list[Paragraph], list[Paragraph]], lang: Lang) -> list[Paragraph]:
    title = ev.title.get(lang)
    colon = "：" if lang == "zh" else ": "
    if purpose == "hold":
        what = mt("what_seat", lang) if reg.status == "confirmed" else mt("what_place", lang, position=position)
        assert reg.hold_until is not None
        lead = mt("lead_hold", lang, what=what, title=title, until=moment(reg.hold_until, ev, lang))
    else:
        lead = mt(f"lead_{purpose}", lang, title=title, position=position or "?")
    where = ", ".join(p for p in (ev.venue, calendar_text.place(ev, lang)) if p)
    facts = [f"{mt('label_number', lang)}{colon}#{reg.id}", f"{mt('label_status', lang)}{colon}{_status(reg, lang)}",
             f"{mt('label_name', lang)}{colon}{reg.name}", f"{mt('label_company', lang)}{colon}{reg.company}",
             f"{mt('label_email', lang)}{colon}{reg.email}", "",
             title, f"{mt('label_when', lang)}{colon}{calendar_text.when(ev, lang)}"]
    if where:
        facts.append(f"{mt('label_where', lang)}{colon}{where.replace(', ', '，') if lang == 'zh' else where}")
    confirm, rest = links
    return [(mt("greeting", lang, name=reg.name), None), (lead, None), *confirm, ("\n".join(facts), None),
            (mt("calendar_note", lang), None), *rest, (mt("footer", lang), None)]


def _html(paragraphs: list[Paragraph], lang: Lang) -> str:
    def one(text: str, link: str | None) -> str:
        if link is None:
            return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"
        label = text[: text.rfind(link)].rstrip(" :：")
        return f'<p><a href="{html.escape(link)}">{html.escape(label)}</a></p>'

    body = "\n".join(one(text, link) for text, link in paragraphs)
    return f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><meta charset="utf-8"><body>\n' \
           f"{body}\n</body></html>\n"


def queue(session: Session, rules: Rules, ev: Event, registration_id: int, purpose: Purpose, now: datetime,
          position: int | None = None) -> int | None:
    """Queue the email about a registration in the caller's transaction; the outbox row's id, or None when email
    is off."""
    if rules.mail is None:
        return None
    session.flush()
    reg = session.get(Registration, registration_id)
    if reg is None or not reg.email or "@" not in reg.email:
        return None  # erased (forgotten) members get nothing
    lang = _lang(reg.lang)
    paragraphs = _body(reg, ev, purpose, position, _links(session, rules, reg, ev, purpose, now), lang)
    filename, data = calendar_file(ev, lang, now, ended=purpose in _ENDED)
    payload: dict[str, Any] = {
        "to": reg.email, "purpose": purpose, "lang": lang, "registration_id": reg.id, "event_id": ev.id,
        "subject": mt(f"subject_{purpose}", lang, title=ev.title.get(lang)),
        "text": "\n\n".join(text for text, _ in paragraphs) + "\n", "html": _html(paragraphs, lang),
        "attachments": [{"filename": filename, "mime_type": "text/calendar",
                         "method": "CANCEL" if purpose in _ENDED else "PUBLISH",
                         "data_base64": base64.b64encode(data).decode()}]}
    session.flush()
    return outbox.enqueue(session.connection(), now, CHANNEL, f"{reg.channel}:{reg.user_id}", None, KIND, payload)
