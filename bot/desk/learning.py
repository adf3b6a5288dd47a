"""The learning loop's rules: what the bot could not answer, what staff taught it, what members said of answers.

- Unanswered turns are recorded pointing at the member's transcript line (no second copy of their words), so they
  go when the line goes (members forget, transcript retention).
- Taught phrasings are kept in the database and applied on top of the knowledge files when a Library is built.
- Feedback and FAQ hits keep no member id: only which entry, the channel and when.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from bot.desk import choices
from bot.storage.database import UPSERT_INSERT, utc_iso
from bot.storage.models import FaqHit, Feedback, Message, SentOnce, TaughtPhrasing, Unanswered
from bot.understanding import grouping

if TYPE_CHECKING:
    from bot.understanding.knowledge_base import Library
    from bot.understanding.meaning import Reading

MAX_PHRASING = 500


# --- recording --------------------------------------------------------------------------------------------------


def closest_of(reading: Reading, k: int = 3) -> list[tuple[str, float]]:
    """The FAQ entries nearest to the message, with their scores: by meaning when the bot embeds messages (the
    turn's own vector, already worked out when the FAQ could not answer), else the lexical scores."""
    semantic = reading.semantic_faq(k)
    if semantic:
        return [(i, round(s, 4)) for i, s in semantic]
    return [(m.id, round(float(m.score), 4)) for m in reading.lexical()[:k]]


def record_miss(conn: Connection, message_id: int, channel: str, lang: str, kind: str,
                closest: Sequence[tuple[str, float]], now: datetime) -> None:
    conn.execute(insert(Unanswered), {
        "message_id": message_id, "channel": channel, "lang": lang, "kind": kind, "handed_off": False,
        "closest": [[i, s] for i, s in closest], "score": float(closest[0][1]) if closest else 0.0,
        "created_at": now})


def mark_handed_off(conn: Connection, channel: str, user_id: str) -> None:
    """The member took the offer of a person after a miss: their latest unanswered question is marked."""
    latest = (select(func.max(Unanswered.id)).join(Message, Message.id == Unanswered.message_id)
              .where(Message.channel == channel, Message.user_id == user_id).scalar_subquery())
    conn.execute(update(Unanswered).where(Unanswered.id == latest).values(handed_off=True))


def record_hit(conn: Connection, entry_id: str, channel: str, lang: str, now: datetime) -> None:
    conn.execute(insert(FaqHit), {"entry_id": entry_id, "channel": channel, "lang": lang,
                                             "created_at": now})


def record_feedback(conn: Connection, entry_id: str, vote: str, channel: str, now: datetime) -> None:
    conn.execute(insert(Feedback), {"entry_id": entry_id, "vote": vote, "channel": channel,
                                               "created_at": now})


def purge_orphans(conn: Connection) -> int:
    """Unanswered records whose transcript line is gone. PostgreSQL's ON DELETE CASCADE does this itself; SQLite
    enforces foreign keys only when asked, so the deletions of transcript lines call this too."""
    gone = ~select(Message.id).where(Message.id == Unanswered.message_id).exists()
    return int(conn.execute(delete(Unanswered).where(gone)).rowcount or 0)


def first_time(conn: Connection, key: str, now: datetime) -> bool:
    """True for the first caller with `key` in the whole deployment (every process shares the table)."""
    insert = UPSERT_INSERT[conn.dialect.name]
    done = conn.execute(insert(SentOnce).values(key=key[:200], created_at=now)
                        .on_conflict_do_nothing(index_elements=["key"]).returning(SentOnce.key)).first()
    return done is not None


# --- the unanswered, grouped ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    count: int
    examples: list[str]
    languages: list[str]
    closest: str | None
    score: float
    channels: list[str]
    handed_off: int
    ids: list[int]  # the unanswered records, for teaching the group's phrasings by reference

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "examples": self.examples, "languages": self.languages,
                "closest": self.closest, "score": round(self.score, 3)}


def unanswered_groups(db: Engine, library: Library, since: datetime, limit: int = 2000) -> list[Group]:
    """Questions the bot could not answer since `since`, grouped by meaning, largest group first. Each group
    names the FAQ entry its questions came closest to (the best mean score over the group)."""
    with db.connect() as conn:
        rows = conn.execute(
            select(Message.text, Unanswered.lang, Unanswered.channel, Unanswered.closest, Unanswered.handed_off,
                   Unanswered.id)
            .join(Message, Message.id == Unanswered.message_id)
            .where(Unanswered.created_at >= since).order_by(Unanswered.id.desc()).limit(limit)).all()
    texts = [r[0] for r in rows]
    out = []
    for members in grouping.group(texts, library.reader.embedder):
        scores: dict[str, list[float]] = {}
        for i in members:
            for entry_id, score in rows[i][3] or []:
                scores.setdefault(str(entry_id), []).append(float(score))
        best = max(scores.items(), key=lambda kv: sum(kv[1]) / len(members), default=None)
        examples = list(dict.fromkeys(texts[i] for i in members))[:5]
        out.append(Group(len(members), examples, sorted({rows[i][1] for i in members}),
                         best[0] if best else None, sum(best[1]) / len(members) if best else 0.0,
                         sorted({rows[i][2] for i in members}), sum(1 for i in members if rows[i][4]),
                         [int(rows[i][5]) for i in members]))
    return out


def phrasings_of(db: Engine, unanswered_ids: Sequence[int]) -> list[str]:
    """The members' words of these unanswered records (those whose transcript line still exists), distinct."""
    if not unanswered_ids:
        return []
    with db.connect() as conn:
        texts = conn.execute(select(Message.text).join(Unanswered, Unanswered.message_id == Message.id)
                             .where(Unanswered.id.in_(list(unanswered_ids))).order_by(Unanswered.id)).scalars()
        return list(dict.fromkeys(str(t) for t in texts))


def teach_group(db: Engine, library: Library, entry_id: str, unanswered_ids: Sequence[int], by: str,
                now: datetime) -> int:
    """Teach an entry every phrasing of a group at once; returns how many were new."""
    return sum(teach(db, library, entry_id, text, by, now) for text in phrasings_of(db, unanswered_ids[:50]))


# --- teaching ---------------------------------------------------------------------------------------------------


class UnknownEntry(ValueError):
    """Teaching a phrasing to an FAQ entry the knowledge does not have."""


def teach(db: Engine, library: Library, entry_id: str, phrasing: str, by: str, now: datetime) -> bool:
    """Add a phrasing to an entry's questions. False when the entry already had it; UnknownEntry when there is no
    such entry; ValueError for an empty one."""
    if library.knowledge.faq_by_id(entry_id) is None:
        raise UnknownEntry(entry_id)
    phrasing = " ".join(phrasing.split())[:MAX_PHRASING]
    if not phrasing:
        raise ValueError("the phrasing is empty")
    with db.begin() as conn:
        insert = UPSERT_INSERT[conn.dialect.name]
        done = conn.execute(insert(TaughtPhrasing).values(entry_id=entry_id, text=phrasing, taught_by=by[:128],
                                                          created_at=now)
                            .on_conflict_do_nothing(index_elements=["entry_id", "text"])
                            .returning(TaughtPhrasing.id)).first()
    return done is not None


def taught(db: Engine) -> list[tuple[str, str]]:
    """Every taught (entry id, phrasing), by staff or learned from members, oldest first."""
    with db.connect() as conn:
        return [(str(e), str(t)) for e, t in conn.execute(
            select(TaughtPhrasing.entry_id, TaughtPhrasing.text).order_by(TaughtPhrasing.id))]


@dataclass(frozen=True)
class Taught:
    entry: str
    phrasing: str
    source: str  # staff | members
    taught_by: str
    created_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {"entry": self.entry, "phrasing": self.phrasing, "source": self.source, "taught_by": self.taught_by,
                "created_at": utc_iso(self.created_at)}


def taught_list(db: Engine, source: str | None = None) -> list[Taught]:
    """What staff taught and what was learned from members' choices (`source` picks one), oldest first."""
    q = select(TaughtPhrasing.entry_id, TaughtPhrasing.text, TaughtPhrasing.source, TaughtPhrasing.taught_by,
               TaughtPhrasing.created_at).order_by(TaughtPhrasing.id)
    if source is not None:
        q = q.where(TaughtPhrasing.source == source)
    with db.connect() as conn:
        return [Taught(str(e), str(t), str(s), str(b), c) for e, t, s, b, c in conn.execute(q)]


def untaught(db: Engine, entry_id: str, phrasing: str) -> bool:
    """Remove a taught phrasing (the exact words, else the same words after normalisation); False when the entry
    has no such taught phrasing. A phrasing learned from members takes its members' votes with it."""
    phrasing = " ".join(phrasing.split())
    with db.begin() as conn:
        rows = conn.execute(select(TaughtPhrasing.id, TaughtPhrasing.text, TaughtPhrasing.source)
                            .where(TaughtPhrasing.entry_id == entry_id)).all()
        found = [r for r in rows if r.text == phrasing] or \
            [r for r in rows if choices.phrasing_key(r.text) == choices.phrasing_key(phrasing)]
        for row in found:
            conn.execute(delete(TaughtPhrasing).where(TaughtPhrasing.id == row.id))
            if row.source == choices.MEMBERS:
                choices.drop_votes(conn, entry_id, row.text)
        return bool(found)


def taught_fingerprint(conn: Connection) -> tuple[int, int, int]:
    """Changes whenever a phrasing is taught or removed: (count, highest id, a checksum of the rows). The
    checksum catches SQLite giving a deleted top row's id to the next one."""
    rows = conn.execute(select(TaughtPhrasing.id, TaughtPhrasing.entry_id, TaughtPhrasing.text)).all()
    digest = hashlib.blake2b(digest_size=8)
    for row in sorted(rows):
        digest.update(f"{row[0]}\0{row[1]}\0{row[2]}\0".encode())
    return len(rows), max((int(r[0]) for r in rows), default=0), int.from_bytes(digest.digest(), "big")


# --- counts for staff -------------------------------------------------------------------------------------------


def feedback_counts(db: Engine, since: datetime | None = None) -> dict[str, Counter[str]]:
    """Votes per entry: {entry id: Counter(up=.., down=..)}."""
    q = select(Feedback.entry_id, Feedback.vote, func.count()).group_by(Feedback.entry_id, Feedback.vote)
    if since is not None:
        q = q.where(Feedback.created_at >= since)
    out: dict[str, Counter[str]] = {}
    with db.connect() as conn:
        for entry_id, vote, n in conn.execute(q):
            out.setdefault(str(entry_id), Counter())[str(vote)] += int(n)
    return out


def hit_counts(db: Engine, since: datetime | None = None) -> Counter[str]:
    q = select(FaqHit.entry_id, func.count()).group_by(FaqHit.entry_id)
    if since is not None:
        q = q.where(FaqHit.created_at >= since)
    with db.connect() as conn:
        return Counter({str(e): int(n) for e, n in conn.execute(q)})


def week_ago(now: datetime) -> datetime:
    return now - timedelta(days=7)
