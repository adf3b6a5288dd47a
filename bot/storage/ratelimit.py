"""Send pacing shared by every worker process, kept in the database (table rate_slots).

A generic cell-rate algorithm: each key holds the earliest time the next message may go. Taking a slot moves it on
by one interval (1 / rate), under the row lock, so two workers can never take the same slot and messages under one
key are at least one interval apart wherever they were sent from. A sliding one-second window therefore never holds
more than `rate` messages, unlike a token bucket, which lets a full bucket go at once on top of the steady rate.

Times are wall-clock seconds since the epoch, since several processes (on one machine or several with synced
clocks) must agree on them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Connection, Engine, delete, select, update

from bot.storage.database import UPSERT_INSERT
from bot.storage.models import RateSlot


class SharedPace:
    """Paces sends: at most `rate` per second overall and `per_chat` per second to any one chat, each scaled by
    `headroom`: a message reaches the platform a few milliseconds after its slot, and that jitter alone would
    otherwise put `rate` + 1 messages into some one-second window at the platform's end (bench/broadcast.py)."""

    def __init__(self, db: Engine, name: str, rate: float, per_chat: float | None = None,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 headroom: float = 0.9):
        self.db = db
        self.name = name
        rate *= headroom
        per_chat = None if per_chat is None else per_chat * headroom
        # A microsecond on top: summed in floating point, `rate` plain intervals can come out a hair under a second
        # and let one message too many into it.
        self.interval = 1.0 / rate + 1e-6
        self.chat_interval = None if per_chat is None else 1.0 / per_chat + 1e-6
        self.clock = clock
        self.sleep = sleep
        self._calls = 0

    @staticmethod
    def _slot(conn: Connection, key: str) -> float:
        ins = UPSERT_INSERT[conn.dialect.name](RateSlot).values(key=key, next_at=0.0)
        conn.execute(ins.on_conflict_do_nothing(index_elements=["key"]))
        return float(conn.execute(select(RateSlot.next_at).where(RateSlot.key == key).with_for_update()).scalar_one())

    def reserve(self, chat: str | None) -> float:
        """Take the next slot for a message to `chat`; returns how long to wait before sending (seconds).
        While the chat itself is not due, no overall slot is taken: a slot taken and then left unused for the
        chat's sake would let later messages bunch up behind it."""
        overall = f"{self.name}:all"
        per_chat = f"{self.name}:chat:{chat}" if chat is not None and self.chat_interval else None
        while True:
            now = self.clock()
            with self.db.begin() as conn:
                chat_next = self._slot(conn, per_chat) if per_chat else 0.0
                if chat_next <= now:
                    at = max(now, self._slot(conn, overall))
                    conn.execute(update(RateSlot).where(RateSlot.key == overall).values(next_at=at + self.interval))
                    if per_chat and self.chat_interval:
                        conn.execute(update(RateSlot).where(RateSlot.key == per_chat)
                                     .values(next_at=at + self.chat_interval))
                    self._tidy(conn, now)
                    return at - now
            self.sleep(chat_next - now)

    def wait(self, chat: str | None) -> None:
        """Block until a message to `chat` may be sent."""
        delay = self.reserve(chat)
        if delay > 0:
            self.sleep(delay)

    def _tidy(self, conn: Connection, now: float) -> None:
        # One row per chat ever written to: drop the long-past ones now and then.
        self._calls += 1
        if self._calls % 1000 == 0:
            conn.execute(delete(RateSlot).where(RateSlot.key.like(f"{self.name}:chat:%"), RateSlot.next_at < now - 60))
