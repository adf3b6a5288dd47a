"""Rate limits for the web chat, with the `limits` package: a moving window per key, each key held to several
rates at once (a burst and a sustained rate). Counters live in memory for one process, or in Redis
(GASME_REDIS_URL) so that every process of a deployment counts the same hits.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # whole seconds, for the Retry-After header


class Limiter:
    """`check(kind, key)` counts one hit for `key` against every rate of `kind` (e.g. "session", "address")."""

    def __init__(self, rates: dict[str, str], redis_url: str | None = None, namespace: str = "gasme"):
        self.rates: dict[str, list[RateLimitItem]] = {kind: parse_many(spec) for kind, spec in rates.items()}
        if redis_url:
            # redis-py (installed with limits[redis]); the key prefix keeps our counters apart from anything else
            # in the same Redis. The synchronous client, called off the event loop: its connections are not tied
            # to one event loop, so they outlive a server's loop cleanly.
            storage = storage_from_string(redis_url, key_prefix=namespace, wrap_exceptions=True,
                                          socket_timeout=2, socket_connect_timeout=2)
        else:
            storage = storage_from_string("memory://")
        self.shared = bool(redis_url)
        self.strategy = MovingWindowRateLimiter(storage)
        self._warned_at = 0.0

    async def check(self, kind: str, key: str) -> Verdict:
        if self.shared:
            return await asyncio.to_thread(self.check_now, kind, key)
        return self.check_now(kind, key)  # in memory: a few microseconds, no reason to leave the loop

    def check_now(self, kind: str, key: str) -> Verdict:
        try:
            for item in self.rates[kind]:
                if not self.strategy.hit(item, kind, key):
                    stats = self.strategy.get_window_stats(item, kind, key)
                    return Verdict(False, max(1, math.ceil(stats.reset_time - time.time())))
        except Exception as exc:
            # Redis unreachable: serve members rather than refuse everyone; say so, at most once a minute.
            if time.monotonic() - self._warned_at > 60:
                self._warned_at = time.monotonic()
                log.warning("rate limits: counter storage unavailable (%s); not limiting for now", exc)
        return Verdict(True)
