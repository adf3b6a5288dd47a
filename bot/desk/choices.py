"""Learning from members' choices: what a member picks among "did you mean" buttons is a vote that their words
mean that entry. Once enough different members (GASME_LEARN_FROM_CHOICES, default 2) have chosen the same entry
for the same words, the words are taught to the entry (source `members`), so the next member is answered directly.

- "The same words": equal after normalisation, or embeddings within a tight distance of each other (the vector the
  suggestion turn already worked out; nothing is embedded for this).
- One vote per member, entry and normalised words (a UNIQUE key): a redelivered or double tap counts once, and one
  member asking twice teaches nothing.
- A vote withdrawn ("Not helpful" right after the tap) can unteach: a learned phrasing with fewer members behind it
  than needed goes. Staff undo a learned phrasing with `knowledge untaught` or the dashboard; its votes go with it, so
  learning it again takes as many new members.

Every function takes the caller's connection, inside its transaction (a turn's, or a staff command's).
"""

from __future__ import annotations

import base64
import logging
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, select, text

from bot.storage.database import UPSERT_INSERT
from bot.storage.models import MemberChoice, TaughtPhrasing
from bot.understanding import text as textmod

log = logging.getLogger(__name__)

DEFAULT_NEEDED = 2
MAX_PHRASING = 500
MEMBERS = "members"  # TaughtPhrasing.source (and taught_by) of what members taught
MAX_TAUGHT_AT_ONCE = 5  # distinct wordings taught from one agreeing group
# Cosines above which two members' messages count as the same words although they differ after normalisation
# (a typo, a filler word). Measured on the development paraphrases with multilingual-e5-small: different
# questions reach 0.968 in English and 0.979 in Chinese (Chinese sentences sit closer together), a typo or an
# added "please" / "请问" mostly stays above these. Any other embedder's vectors sit further apart, so these only
# merge fewer wordings there.
SAME_MEANING = {"en": 0.975, "zh": 0.985}
_LOCK_BASE = 0x6A5E_1000  # PostgreSQL advisory lock keys: one per entry, taken while its votes are counted


def phrasing_key(phrasing: str) -> str:
    """The words as "the same phrasing" compares them: normalised (case, width, traditional characters), with
    punctuation and spacing reduced to single spaces."""
    return re.sub(r"[\W_]+", " ", textmod.normalize(phrasing)).strip()[:MAX_PHRASING]


def pack_vector(vector: np.ndarray[Any, np.dtype[np.float32]] | None) -> str:
    """A message's vector as text for the conversation state (float16 is plenty for a closeness test)."""
    return "" if vector is None else base64.b64encode(vector.astype(np.float16).tobytes()).decode("ascii")


def unpack_vector(packed: str) -> bytes | None:
    try:
        return base64.b64decode(packed, validate=True) or None
    except ValueError:
        return None


@dataclass(frozen=True)
class Vote:
    member: tuple[str, str]  # (channel, user id)
    phrasing: str
    key: str
    vector: np.ndarray[Any, np.dtype[np.float32]] | None


def _vector(raw: bytes | None) -> np.ndarray[Any, np.dtype[np.float32]] | None:
    if not raw:
        return None
    return np.frombuffer(raw, dtype=np.float16).astype(np.float32)


def _same(vote: Vote, key: str, vectors: Sequence[np.ndarray[Any, np.dtype[np.float32]]], zh: bool) -> bool:
    if vote.key == key:
        return True
    if vote.vector is None:
        return False
    floor = SAME_MEANING["zh" if zh else "en"]
    return any(v.shape == vote.vector.shape and float(v @ vote.vector) >= floor for v in vectors)


def _votes(conn: Connection, entry_id: str) -> list[Vote]:
    rows = conn.execute(select(MemberChoice.channel, MemberChoice.user_id, MemberChoice.phrasing,
                               MemberChoice.phrasing_key, MemberChoice.vector)
                        .where(MemberChoice.entry_id == entry_id).order_by(MemberChoice.id))
    return [Vote((str(c), str(u)), str(p), str(k), _vector(v)) for c, u, p, k, v in rows]


def _agreeing(votes: Sequence[Vote], key: str) -> list[Vote]:
    """The votes for the same words as `key`: equal keys, or close to the vector of any vote with that key."""
    anchors = [v.vector for v in votes if v.key == key and v.vector is not None]
    zh = textmod.has_cjk(key)
    return [v for v in votes if _same(v, key, anchors, zh)]


def _lock(conn: Connection, entry_id: str) -> None:
    """Count one entry's votes one transaction at a time: two members tapping at once must not both miss each
    other's vote. SQLite has one writer at a time already."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                     {"key": _LOCK_BASE + zlib.crc32(entry_id.encode()) % 1_000_000})


def record(conn: Connection, channel: str, user_id: str, entry_id: str, phrasing: str, vector: bytes | None,
           needed: int, now: datetime) -> list[str]:
    """Count a member's choice of `entry_id` for `phrasing`; returns the wordings taught because of it (mostly
    none). `needed` members must agree; 0 or less records nothing."""
    phrasing = " ".join(phrasing.split())[:MAX_PHRASING]
    key = phrasing_key(phrasing)
    if needed <= 0 or not key:
        return []
    _lock(conn, entry_id)
    insert = UPSERT_INSERT[conn.dialect.name]
    added = conn.execute(insert(MemberChoice).values(
        channel=channel, user_id=user_id, entry_id=entry_id, phrasing=phrasing, phrasing_key=key, vector=vector,
        created_at=now).on_conflict_do_nothing(index_elements=["channel", "user_id", "entry_id", "phrasing_key"])
        .returning(MemberChoice.id)).first()
    if added is None:
        return []  # this member's choice was counted already
    agreeing = _agreeing(_votes(conn, entry_id), key)
    if len({v.member for v in agreeing}) < needed:
        return []
    wordings: dict[str, str] = {}
    for v in agreeing:
        wordings.setdefault(v.key, v.phrasing)  # the first member's way of writing the words
    taught = [w for w in list(wordings.values())[:MAX_TAUGHT_AT_ONCE] if _teach(conn, entry_id, w, now)]
    if taught:
        log.info("learned from %d members' choices: %s <- %r", len({v.member for v in agreeing}), entry_id, taught)
    return taught


def _teach(conn: Connection, entry_id: str, phrasing: str, now: datetime) -> bool:
    insert = UPSERT_INSERT[conn.dialect.name]
    done = conn.execute(insert(TaughtPhrasing).values(entry_id=entry_id, text=phrasing, taught_by=MEMBERS,
                                                      source=MEMBERS, created_at=now)
                        .on_conflict_do_nothing(index_elements=["entry_id", "text"])
                        .returning(TaughtPhrasing.id)).first()
    return done is not None


def withdraw(conn: Connection, channel: str, user_id: str, entry_id: str, phrasing: str, needed: int) -> list[str]:
    """Take back a member's choice; returns the learned wordings that no longer have `needed` members behind
    them and were untaught. With learning off (`needed` 0) what was learned stays for staff to judge."""
    _lock(conn, entry_id)
    gone = conn.execute(delete(MemberChoice).where(
        MemberChoice.channel == channel, MemberChoice.user_id == user_id, MemberChoice.entry_id == entry_id,
        MemberChoice.phrasing_key == phrasing_key(phrasing))).rowcount
    if not gone or needed <= 0:
        return []
    votes = _votes(conn, entry_id)
    learned = conn.execute(select(TaughtPhrasing.id, TaughtPhrasing.text).where(
        TaughtPhrasing.entry_id == entry_id, TaughtPhrasing.source == MEMBERS)).all()
    untaught = []
    for row_id, wording in learned:
        if len({v.member for v in _agreeing(votes, phrasing_key(wording))}) < needed:
            conn.execute(delete(TaughtPhrasing).where(TaughtPhrasing.id == row_id))
            untaught.append(str(wording))
    if untaught:
        log.info("unlearned after a member took their choice back: %s <- %r", entry_id, untaught)
    return untaught


def drop_votes(conn: Connection, entry_id: str, phrasing: str) -> int:
    """Staff undid a learned phrasing: the votes behind it go too, so it takes new members to learn it again."""
    _lock(conn, entry_id)
    behind = {(v.member, v.key) for v in _agreeing(_votes(conn, entry_id), phrasing_key(phrasing))}
    removed = 0
    for (channel, user_id), key in behind:
        removed += int(conn.execute(delete(MemberChoice).where(
            MemberChoice.entry_id == entry_id, MemberChoice.channel == channel, MemberChoice.user_id == user_id,
            MemberChoice.phrasing_key == key)).rowcount or 0)
    return removed
