"""Event reminders: confirmed registrants hear from us at set offsets before the start (GASME_REMINDERS, 7d,1d by
default), waitlisted members get one "still on the waitlist" notice the day before.

Due is decided by the clock the process runs on. Each (registration, offset) reminder is a row under a UNIQUE key,
inserted in the same transaction as its outbox row: of two workers (or one restarted) only the first insert wins,
so a reminder is queued exactly once and never lost between "decided" and "queued".

A member who registered after an offset's moment does not get that offset's reminder late; when several offsets
are due at once (a worker that was down for days) only the nearest one is sent, the others are recorded as skipped.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select

from bot.desk import calendar_text
from bot.desk.members import prefs
from bot.i18n import t
from bot.messages import Lang
from bot.storage.database import UPSERT_INSERT
from bot.storage.models import ACTIVE_REGISTRATION, Conversation, Registration, ReminderSent
from bot.storage.outbox import enqueue
from bot.understanding.knowledge_files import Event

DEFAULT = "7d,1d"
WAITLIST_KEY = "waitlist"
WAITLIST_BEFORE = timedelta(days=1)
_OFFSET = re.compile(r"^\s*(\d+)\s*([dhm])\s*$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


@dataclass(frozen=True)
class Offset:
    key: str  # as configured: "7d"
    before: timedelta


def parse_offsets(spec: str) -> tuple[Offset, ...]:
    """"7d,1d,2h" -> offsets, largest first; ValueError naming the bad part."""
    found: list[Offset] = []
    for part in spec.split(","):
        if not part.strip():
            continue
        m = _OFFSET.match(part)
        if not m or int(m.group(1)) <= 0:
            raise ValueError(f"{part.strip()!r} is not an offset like 7d, 1d, 12h or 30m")
        found.append(Offset(f"{int(m.group(1))}{m.group(2)}", timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})))
    return tuple(sorted({o.key: o for o in found}.values(), key=lambda o: o.before, reverse=True))


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _lang(value: str | None) -> Lang:
    return "zh" if value == "zh" else "en"


def _in_time(before: timedelta, lang: Lang) -> str:
    if before >= timedelta(days=2):
        return t("reminder_in_days", lang, n=round(before / timedelta(days=1)))
    if before >= timedelta(hours=20):
        return t("reminder_tomorrow", lang)
    return t("reminder_in_hours", lang, n=max(1, round(before / timedelta(hours=1))))


def reminder_payload(ev: Event, reg_id: int, lang: Lang, before: timedelta, now: datetime,
                     public_url: str | None) -> dict[str, Any]:
    """The reminder as the outbox carries it: text, a cancel button and the .ics file. Channels that cannot show a
    button or a file use `text_only` (a typed command and a link) instead."""
    where = calendar_text.place(ev, lang)
    if ev.venue:
        where = f"{ev.venue}, {where}" if where else ev.venue
    text = t("reminder", lang, title=ev.title.get(lang), in_time=_in_time(before, lang),
             when=calendar_text.when(ev, lang), where=where or "—")
    ics = calendar_text.ics(ev, lang, now)
    plain = [text, t("reminder_cancel_hint", lang, id=reg_id)]
    if public_url:
        plain.insert(1, t("reminder_calendar_link", lang, url=f"{public_url}/events/{ev.id}.ics?lang={lang}"))
    return {
        "text": text, "lang": lang, "event_id": ev.id, "registration_id": reg_id,
        "buttons": [{"label": t("btn_cant_come", lang), "payload": f"/cancelreg {reg_id}"}],
        "attachments": [{"filename": ics.filename, "mime_type": ics.mime_type,
                         "data_base64": base64.b64encode(ics.data).decode()}],
        "text_only": "\n\n".join(plain),
    }


_CLAIM = {name: ins(ReminderSent).on_conflict_do_nothing(index_elements=["registration_id", "offset_key"])
          .returning(ReminderSent.id) for name, ins in UPSERT_INSERT.items()}


def _claim(conn: Connection, reg_id: int, key: str, status: str, now: datetime) -> bool:
    """Record the reminder; True only for the one caller whose row went in."""
    row = conn.execute(_CLAIM[conn.dialect.name].values(registration_id=reg_id, offset_key=key, status=status,
                                                        created_at=now)).first()
    return row is not None


def _chat_id(conn: Connection, channel: str, user_id: str) -> str | None:
    return conn.execute(select(Conversation.chat_id).where(Conversation.channel == channel,
                                                           Conversation.user_id == user_id)).scalar()


def queue_due(db: Engine, events: Sequence[Event], offsets: Sequence[Offset], now: datetime,
              public_url: str | None = None) -> int:
    """Queue every reminder due at `now`; returns how many were queued by this call."""
    queued = 0
    for ev in events:
        if ev.starts <= now or ev.starts - max([o.before for o in offsets] + [WAITLIST_BEFORE]) > now:
            continue
        due = [o for o in offsets if ev.starts - o.before <= now]
        with db.begin() as conn:
            regs = conn.execute(select(Registration.id, Registration.channel, Registration.user_id,
                                       Registration.lang, Registration.status, Registration.created_at)
                                .where(Registration.event_id == ev.id, ACTIVE_REGISTRATION)
                                .order_by(Registration.id)).all()
            done = {(r, k) for r, k in conn.execute(
                select(ReminderSent.registration_id, ReminderSent.offset_key)
                .join(Registration, Registration.id == ReminderSent.registration_id)
                .where(Registration.event_id == ev.id))}
            position = 0
            for reg in regs:
                if reg.status == "waitlisted":
                    position += 1
                    if ev.starts - WAITLIST_BEFORE <= now and (reg.id, WAITLIST_KEY) not in done:
                        queued += _waitlist_notice(conn, ev, reg, position, now)
                    continue
                todo = [o for o in due if (reg.id, o.key) not in done]
                if not todo or not prefs(conn, reg.channel, reg.user_id).reminders:
                    continue
                created = _aware(reg.created_at)
                # Only the nearest due offset is sent; earlier ones, and ones whose moment came before the member
                # registered, are recorded as skipped so they never go out late.
                nearest = todo[-1]
                for o in todo:
                    send = o is nearest and ev.starts - o.before >= created
                    if _claim(conn, reg.id, o.key, "queued" if send else "skipped", now) and send:
                        lang = _lang(reg.lang)
                        enqueue(conn, now, reg.channel, reg.user_id, _chat_id(conn, reg.channel, reg.user_id),
                                "reminder", reminder_payload(ev, reg.id, lang, ev.starts - now, now, public_url))
                        queued += 1
    return queued


def _waitlist_notice(conn: Connection, ev: Event, reg: Any, position: int, now: datetime) -> int:
    if not prefs(conn, reg.channel, reg.user_id).reminders:
        return 0
    if not _claim(conn, reg.id, WAITLIST_KEY, "queued", now):
        return 0
    lang = _lang(reg.lang)
    text = t("reminder_waitlist", lang, title=ev.title.get(lang), position=position)
    enqueue(conn, now, reg.channel, reg.user_id, _chat_id(conn, reg.channel, reg.user_id), "reminder",
            {"text": text, "lang": lang, "event_id": ev.id, "registration_id": reg.id})
    return 1
