"""Announcements: one message from staff to many members, each in their own language, through the outbox.

Creating one records the audience one row per member under a UNIQUE (announcement, member) key and queues an outbox
row per reachable member, in batches. If the process is cut off half-way, running the same announcement again (or
`resume`) queues only the members not queued yet: nobody gets it twice. Members who turned announcements off are
recorded and counted, not sent to; so are WeChat members outside the 48-hour window (checked again at delivery,
since a broadcast can take a while).

Counts per announcement come from the recipients and their outbox rows: sent, failed (given up after
MAX_ATTEMPTS), unreachable, pending.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.desk.members import aware, within_window
from bot.storage import outbox
from bot.storage.database import utc_iso
from bot.storage.models import (
    ACTIVE_REGISTRATION,
    Announcement,
    AnnouncementRecipient,
    Conversation,
    MemberPrefs,
    Outbox,
    Registration,
)

BATCH = 500
PRIORITY = 1  # behind replies and notices (0)
MAX_ATTEMPTS = 5
KIND = "announcement"


@dataclass(frozen=True)
class Member:
    channel: str
    user_id: str
    chat_id: str | None
    lang: str
    last_message: datetime | None
    announcements_on: bool


@dataclass
class Tally:
    """What an announcement did (or, dry, would do), per channel."""

    queued: Counter[str] = field(default_factory=Counter)
    opted_out: Counter[str] = field(default_factory=Counter)
    unreachable: Counter[str] = field(default_factory=Counter)
    already: int = 0  # queued by an earlier, interrupted run

    def as_dict(self) -> dict[str, Any]:
        channels = sorted(set(self.queued) | set(self.opted_out) | set(self.unreachable))
        return {
            "recipients": sum(self.queued.values()), "opted_out": sum(self.opted_out.values()),
            "unreachable": sum(self.unreachable.values()), "already_queued": self.already,
            "channels": {c: {"recipients": self.queued[c], "opted_out": self.opted_out[c],
                             "unreachable": self.unreachable[c]} for c in channels},
        }


def text_for(lang: str, text_en: str | None, text_zh: str | None) -> str:
    """The member's language, else the other one."""
    if lang == "zh":
        return text_zh or text_en or ""
    return text_en or text_zh or ""


def audience(conn: Connection, event_id: str | None) -> Iterator[Member]:
    """Everyone who follows the bot (has a conversation), or an event's active registrants; staff channels never."""
    q = (select(Conversation.channel, Conversation.user_id, Conversation.chat_id, Conversation.lang,
                Conversation.updated_at, MemberPrefs.announcements)
         .outerjoin(MemberPrefs, (MemberPrefs.channel == Conversation.channel)
                    & (MemberPrefs.user_id == Conversation.user_id))
         .where(Conversation.channel != "slack"))
    if event_id is not None:
        registered = (select(Registration.id).where(Registration.event_id == event_id, ACTIVE_REGISTRATION,
                                                    Registration.channel == Conversation.channel,
                                                    Registration.user_id == Conversation.user_id).exists())
        q = q.where(registered)
    for row in conn.execute(q.order_by(Conversation.channel, Conversation.user_id)):
        yield Member(row.channel, row.user_id, row.chat_id, row.lang,
                     None if row.updated_at is None else aware(row.updated_at),
                     row.announcements is None or bool(row.announcements))


def _classify(m: Member, now: datetime) -> str:
    if not m.announcements_on:
        return "opted_out"
    if not within_window(m.channel, m.last_message, now):
        return "unreachable"
    return "queued"


def dry_run(db: Engine, event_id: str | None, now: datetime) -> Tally:
    tally = Tally()
    with db.connect() as conn:
        for m in audience(conn, event_id):
            getattr(tally, _classify(m, now))[m.channel] += 1
    return tally


def create(db: Engine, text_en: str | None, text_zh: str | None, event_id: str | None, now: datetime) -> int:
    with db.begin() as conn:
        return int(conn.execute(insert(Announcement).returning(Announcement.id),
                                {"text_en": text_en, "text_zh": text_zh, "event_id": event_id,
                                 "created_at": now}).scalar_one())


def unfinished_like(db: Engine, text_en: str | None, text_zh: str | None, event_id: str | None) -> int | None:
    """An identical announcement whose queueing was cut off: running the command again resumes it."""
    with db.connect() as conn:
        def same(column: Any, value: str | None) -> Any:
            return column.is_(None) if value is None else column == value

        q = select(Announcement.id).where(Announcement.queued_at.is_(None), same(Announcement.text_en, text_en),
                                          same(Announcement.text_zh, text_zh), same(Announcement.event_id, event_id))
        found = conn.execute(q.order_by(Announcement.id.desc()).limit(1)).scalar()
        return None if found is None else int(found)


def queue(db: Engine, announcement_id: int, now: datetime,
          progress: Callable[[int, int], None] | None = None) -> Tally:
    """Queue the announcement for its audience, BATCH members per transaction; members already recorded (an
    earlier run) are left alone. A concurrent run of the same announcement loses its batch to the UNIQUE key
    and moves on, so the two together still queue everyone once."""
    with db.connect() as conn:
        ann = conn.execute(select(Announcement).where(Announcement.id == announcement_id)).first()
        if ann is None:
            raise KeyError(announcement_id)
        members = list(audience(conn, ann.event_id))
        recorded = {(c, u) for c, u in conn.execute(
            select(AnnouncementRecipient.channel, AnnouncementRecipient.user_id)
            .where(AnnouncementRecipient.announcement_id == announcement_id))}
    tally = Tally()
    todo = []
    for m in members:
        if (m.channel, m.user_id) in recorded:
            tally.already += 1
        else:
            todo.append(m)
    total = len(todo)
    for start in range(0, total, BATCH):
        batch = todo[start:start + BATCH]
        try:
            with db.begin() as conn:
                _queue_batch(conn, announcement_id, ann.text_en, ann.text_zh, batch, now, tally)
        except IntegrityError:  # another run queued some of these meanwhile: take them one by one
            for m in batch:
                try:
                    with db.begin() as conn:
                        _queue_batch(conn, announcement_id, ann.text_en, ann.text_zh, [m], now, tally)
                except IntegrityError:
                    tally.already += 1
        if progress is not None:
            progress(min(start + BATCH, total), total)
    with db.begin() as conn:
        conn.execute(update(Announcement).where(Announcement.id == announcement_id).values(queued_at=now))
    return tally


def _queue_batch(conn: Connection, announcement_id: int, text_en: str | None, text_zh: str | None,
                 batch: list[Member], now: datetime, tally: Tally) -> None:
    rows: list[dict[str, Any]] = []
    sending: list[Member] = []
    for m in batch:
        status = _classify(m, now)
        if status == "queued":
            sending.append(m)
        else:
            rows.append({"announcement_id": announcement_id, "channel": m.channel, "user_id": m.user_id,
                         "status": status, "outbox_id": None})
    ids = outbox.enqueue_many(conn, now, [
        {"channel": m.channel, "user_id": m.user_id, "chat_id": m.chat_id,
         "payload": {"text": text_for(m.lang, text_en, text_zh), "announcement_id": announcement_id}}
        for m in sending], KIND, priority=PRIORITY)
    rows += [{"announcement_id": announcement_id, "channel": m.channel, "user_id": m.user_id, "status": "queued",
              "outbox_id": i} for m, i in zip(sending, ids, strict=True)]
    if rows:
        conn.execute(insert(AnnouncementRecipient), rows)
    # Counted only once the batch is in; a batch lost to a concurrent run is counted by that run.
    for r in rows:
        getattr(tally, r["status"])[r["channel"]] += 1


def listing(db: Engine) -> list[dict[str, Any]]:
    """Every announcement with its counts: sent, failed, unreachable, pending, opted_out."""
    status = case(
        (AnnouncementRecipient.status != "queued", AnnouncementRecipient.status),
        (Outbox.status == "sent", "sent"),
        (Outbox.status.in_(("pending", "sending")), "pending"),
        (Outbox.status == "unreachable", "unreachable"),
        else_="failed")
    with db.connect() as conn:
        counts: dict[int, Counter[str]] = {}
        for ann_id, st, n in conn.execute(
                select(AnnouncementRecipient.announcement_id, status, func.count())
                .outerjoin(Outbox, Outbox.id == AnnouncementRecipient.outbox_id)
                .group_by(AnnouncementRecipient.announcement_id, status)):
            counts.setdefault(int(ann_id), Counter())[str(st)] += int(n)
        out = []
        for a in conn.execute(select(Announcement).order_by(Announcement.id)):
            c = counts.get(a.id, Counter())
            out.append({"id": a.id, "created_at": utc_iso(a.created_at), "event_id": a.event_id,
                        "target": a.event_id or "all", "text": a.text_en or a.text_zh, "text_zh": a.text_zh,
                        "complete": a.queued_at is not None, "sent": c["sent"], "failed": c["failed"],
                        "unreachable": c["unreachable"], "pending": c["pending"], "opted_out": c["opted_out"]})
        return out
