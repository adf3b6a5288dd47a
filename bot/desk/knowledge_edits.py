"""FAQ entries and events edited by staff in the dashboard, kept in the database as revisions on top of the files.

Each save is a revision: who, when, the item before and after (the knowledge file's format, as JSON). The newest
revision of an item is what members get: it replaces the file's entry of the same id, a new id is added, and an
archived (or cancelled) item is hidden. When the file and an edit disagree, the edit wins until it is exported
with `gasme-bot knowledge export` and the edit is then the file's content. Nothing is ever deleted: reverting a
revision is one more revision that puts the item back as it was before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, func, insert, select

from bot.desk import learning, staff_log
from bot.storage.models import KnowledgeEdit
from bot.understanding.knowledge_base import Library
from bot.understanding.knowledge_events import check_event
from bot.understanding.knowledge_faq import check_faq_entry
from bot.understanding.knowledge_model import Event, FaqEntry, Knowledge, Text

Kind = Literal["faq", "event"]
HIDDEN = ("archived", "cancelled")  # markers on an item's data that keep it from members


@dataclass(frozen=True)
class Revision:
    id: int
    kind: str
    item_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    staff: str
    created_at: datetime


def _text(t: Text | None) -> dict[str, str] | None:
    return None if t is None else {k: v for k, v in (("en", t.en), ("zh", t.zh)) if v}


def faq_data(e: FaqEntry) -> dict[str, Any]:
    """An entry in the file's format (what the forms show and the revisions keep)."""
    data = {"id": e.id, "questions": list(e.questions), "answer": _text(e.answer), "handoff": e.handoff or None,
            "tags": list(e.tags)}
    return {k: v for k, v in data.items() if v is not None and v != []}


def event_data(e: Event) -> dict[str, Any]:
    def local(dt: datetime | None) -> str | None:
        return None if dt is None else dt.replace(tzinfo=None).isoformat(timespec="minutes")

    data = {"id": e.id, "title": _text(e.title), "starts": local(e.starts), "ends": local(e.ends),
            "timezone": e.timezone, "city": _text(e.city), "country": e.country, "venue": e.venue,
            "capacity": e.capacity, "registration_closes": local(e.registration_closes),
            "registration_open": None if e.registration_open else False, "description": _text(e.description),
            "tags": list(e.tags)}
    return {k: v for k, v in data.items() if v is not None and v != []}


def checkable(data: dict[str, Any]) -> dict[str, Any]:
    """The item's fields without the dashboard's markers, as the file would hold them."""
    return {k: v for k, v in data.items() if k not in HIDDEN and v is not None}


def hidden(data: dict[str, Any] | None) -> bool:
    return data is None or any(data.get(k) for k in HIDDEN)


# --- reading ----------------------------------------------------------------------------------------------------


def latest(conn: Connection) -> dict[tuple[str, str], dict[str, Any] | None]:
    """The newest revision's `after` of every edited item, keyed by (kind, id), in the order items were first
    edited (new items are appended in that order)."""
    newest = select(KnowledgeEdit.kind, KnowledgeEdit.item_id, func.max(KnowledgeEdit.id).label("top"),
                    func.min(KnowledgeEdit.id).label("first")).group_by(KnowledgeEdit.kind,
                                                                        KnowledgeEdit.item_id).subquery()
    rows = conn.execute(select(KnowledgeEdit.kind, KnowledgeEdit.item_id, KnowledgeEdit.after)
                        .join(newest, KnowledgeEdit.id == newest.c.top).order_by(newest.c.first)).all()
    return {(str(k), str(i)): a for k, i, a in rows}


def fingerprint(conn: Connection) -> tuple[int, int]:
    count, top = conn.execute(select(func.count(KnowledgeEdit.id), func.max(KnowledgeEdit.id))).one()
    return int(count or 0), int(top or 0)


def revisions(db: Engine, kind: Kind, item_id: str) -> list[Revision]:
    with db.connect() as conn:
        rows = conn.execute(select(KnowledgeEdit).where(KnowledgeEdit.kind == kind, KnowledgeEdit.item_id == item_id)
                            .order_by(KnowledgeEdit.id.desc())).all()
    return [Revision(r.id, r.kind, r.item_id, r.action, r.before, r.after, r.staff, r.created_at) for r in rows]


def edited_ids(db: Engine, kind: Kind) -> dict[str, bool]:
    """Every item of this kind staff edited: {id: hidden}."""
    with db.connect() as conn:
        return {i: hidden(a) for (k, i), a in latest(conn).items() if k == kind}


def stored(db: Engine, kind: Kind, item_id: str) -> dict[str, Any] | None:
    """The item's newest revision, or None when staff never edited it."""
    with db.connect() as conn:
        return latest(conn).get((kind, item_id))


# --- applying ---------------------------------------------------------------------------------------------------


def _merged(items: Iterable[Any], edits: dict[str, dict[str, Any] | None], parse: Any) -> list[Any]:
    out = []
    for item in items:
        if item.id not in edits:
            out.append(item)
            continue
        data = edits.pop(item.id)
        if not hidden(data) and data is not None:
            parsed, _ = parse(checkable(data))
            out.append(parsed if parsed is not None else item)  # a revision the checks now refuse: the file's
    for data in edits.values():
        if not hidden(data) and data is not None:
            parsed, _ = parse(checkable(data))
            if parsed is not None:
                out.append(parsed)
    return out


def overlay(knowledge: Knowledge, edits: dict[tuple[str, str], dict[str, Any] | None]) -> Knowledge:
    """The knowledge with staff edits applied: an edit of an id replaces the file's item, a new id is added, an
    archived or cancelled one is hidden."""
    faq = {i: a for (k, i), a in edits.items() if k == "faq"}
    events = {i: a for (k, i), a in edits.items() if k == "event"}
    if not faq and not events:
        return knowledge
    merged_events = _merged(knowledge.events, events, check_event)
    return replace(knowledge, faq=tuple(_merged(knowledge.faq, faq, check_faq_entry)),
                   events=tuple(sorted(merged_events, key=lambda e: e.starts)))


def with_edits(db: Engine, knowledge: Knowledge) -> Knowledge:
    with db.connect() as conn:
        return overlay(knowledge, latest(conn))


def library(db: Engine, knowledge: Knowledge, embedder_name: str | None = None) -> Library:
    """What members are answered from: the files, staff edits on top, taught phrasings added."""
    return Library.build(with_edits(db, knowledge), embedder_name, taught=learning.taught(db))


# --- writing ----------------------------------------------------------------------------------------------------


def save(conn: Connection, kind: Kind, item_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
         action: str, staff: str, now: datetime) -> None:
    """One revision, logged with the staff member's name, in the caller's transaction."""
    conn.execute(insert(KnowledgeEdit), {"kind": kind, "item_id": item_id, "action": action, "before": before,
                                         "after": after, "staff": staff[:128], "created_at": now})
    staff_log.record(conn, staff, f"{kind}_{action}", f"{kind}:{item_id}", {}, now)


def revert(db: Engine, revision_id: int, kind: Kind, current: Callable[[str], dict[str, Any] | None], staff: str,
           now: datetime) -> str | None:
    """Put the item back as it was before a revision (`current` gives an item's data now, the new revision's
    `before`); returns the item's id, or None for an unknown revision or one of another kind."""
    with db.connect() as conn:
        row = conn.execute(select(KnowledgeEdit).where(KnowledgeEdit.id == revision_id,
                                                       KnowledgeEdit.kind == kind)).first()
    if row is None:
        return None
    before = current(str(row.item_id))
    with db.begin() as conn:
        save(conn, row.kind, row.item_id, before, row.before, "revert", staff, now)
    return str(row.item_id)
