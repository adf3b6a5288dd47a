"""`gasme-bot worker`: delivers the outbox (Slack posts and relays, replies to members on push channels) with
retries and back-off, in order per stream, and runs the timers (due reminders, transcript retention). Several
workers may run at once: each row is claimed by one, each reminder is queued once (bot/desk/reminders.py)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.desk import digest, holds, members, reminders
from bot.desk.registration_rules import DEFAULT_RULES, Rules
from bot.engine import Clock, utc_now
from bot.messages import Outgoing, Unreachable
from bot.storage import outbox
from bot.understanding.knowledge_base import Library
from bot.understanding.knowledge_files import Event

log = logging.getLogger(__name__)

Deliver = Callable[[Outgoing], None]
# Messages that lose their point if they arrive days late: given up after a few tries rather than retried forever.
GIVE_UP_KINDS = ("announcement", "reminder")
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Timers:
    """The worker's periodic duties besides delivery."""

    events: Callable[[], Sequence[Event]]
    offsets: tuple[reminders.Offset, ...]
    transcript_days: int = 365
    public_url: str | None = None
    every: timedelta = timedelta(seconds=60)
    # With Slack on: the knowledge in use (it changes on reload), for the weekly digest.
    library: Callable[[], Library] | None = None
    rules: Rules | None = None  # registration rules: seats held for email confirmation lapse here

    def lapse_holds(self, db: Engine, now: datetime) -> int:
        by_id = {e.id: e for e in self.events()}
        return holds.lapse_due(db, by_id.get, self.rules or DEFAULT_RULES, now)

    def run(self, db: Engine, now: datetime) -> tuple[int, int]:
        """Queue due reminders and delete old transcript lines: (reminders queued, lines deleted)."""
        queued = reminders.queue_due(db, self.events(), self.offsets, now, self.public_url)
        purged = members.purge_transcripts(db, now, self.transcript_days)
        if lapsed := self.lapse_holds(db, now):
            log.info("timers: %s held registration(s) not confirmed in time were released", lapsed)
        if self.library is not None and digest.queue_weekly(db, self.library(), now):
            log.info("timers: weekly digest queued for Slack")
        if queued or purged:
            log.info("timers: %s reminders queued, %s old transcript lines deleted", queued, purged)
        return queued, purged


class Worker:
    def __init__(self, db: Engine, senders: dict[str, Deliver], clock: Clock = utc_now,
                 skip_channels: tuple[str, ...] = (), timers: Timers | None = None):
        self.db = db
        self.senders = senders
        self.clock = clock
        self.skip_channels = skip_channels
        self.timers = timers
        self._stop = threading.Event()
        self._timers_due = 0.0

    def run_timers(self, now: datetime | None = None) -> tuple[int, int]:
        if self.timers is None:
            return 0, 0
        return self.timers.run(self.db, now or self.clock())

    def run_once(self, now: datetime | None = None) -> int:
        """Deliver what is due now; returns how many rows were handled (sent, failed or skipped)."""
        now = now or self.clock()
        handled = 0
        for item in outbox.claim(self.db, now, channels=tuple(self.senders) + self.skip_channels):
            handled += 1
            sender = self.senders.get(item.channel)
            if sender is None:
                outbox.skip(self.db, item.id, now, f"channel {item.channel} is not configured")
                continue
            if not members.reachable(self.db, item.channel, item.user_id, now):
                # WeChat refuses (45015) once 48 hours have passed since the member last wrote: no point trying.
                outbox.give_up(self.db, item.id, now, "unreachable", "outside the platform's messaging window")
                continue
            try:
                sender(item)
            except Unreachable as exc:
                outbox.give_up(self.db, item.id, now, "unreachable", str(exc))
            except Exception as exc:  # any failure: keep the row, try again later
                log.warning("outbox %s (%s to %s) failed, attempt %s: %s", item.id, item.kind, item.channel,
                            item.attempts, exc)
                if item.kind in GIVE_UP_KINDS and item.attempts >= MAX_ATTEMPTS:
                    outbox.give_up(self.db, item.id, now, "failed", f"{type(exc).__name__}: {exc}")
                else:
                    outbox.failed(self.db, item, now, f"{type(exc).__name__}: {exc}")
            else:
                outbox.done(self.db, item.id, now)
        return handled

    def drain(self, now: datetime | None = None, rounds: int = 100) -> int:
        """Run until nothing is due (ordered streams deliver one row per round)."""
        total = 0
        for _ in range(rounds):
            n = self.run_once(now)
            total += n
            if n == 0:
                break
        return total

    def run_forever(self, idle_sleep: float = 0.5) -> None:
        log.info("worker started: channels %s", ", ".join(self.senders) or "none")
        while not self._stop.is_set():
            try:
                if self.timers is not None and time.monotonic() >= self._timers_due:
                    self._timers_due = time.monotonic() + self.timers.every.total_seconds()
                    self.run_timers()
                if self.run_once() == 0:
                    self._stop.wait(idle_sleep)
            except Exception:  # the database went away for a moment: wait and go on
                log.exception("worker round failed")
                time.sleep(idle_sleep * 4)

    def stop(self) -> None:
        self._stop.set()
