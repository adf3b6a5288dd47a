"""`gasme-bot worker`: delivers the outbox (Slack posts and relays, replies to members on push channels) with
retries and back-off, in order per stream. Several workers may run at once: each row is claimed by one."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from bot.engine import Clock, utc_now
from bot.messages import Outgoing
from bot.storage import outbox

log = logging.getLogger(__name__)

Deliver = Callable[[Outgoing], None]


class Worker:
    def __init__(self, db: Engine, senders: dict[str, Deliver], clock: Clock = utc_now,
                 skip_channels: tuple[str, ...] = ()):
        self.db = db
        self.senders = senders
        self.clock = clock
        self.skip_channels = skip_channels
        self._stop = threading.Event()

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
            try:
                sender(item)
            except Exception as exc:  # any failure: keep the row, try again later
                log.warning("outbox %s (%s to %s) failed, attempt %s: %s", item.id, item.kind, item.channel,
                            item.attempts, exc)
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
                if self.run_once() == 0:
                    self._stop.wait(idle_sleep)
            except Exception:  # the database went away for a moment: wait and go on
                log.exception("worker round failed")
                time.sleep(idle_sleep * 4)

    def stop(self) -> None:
        self._stop.set()
