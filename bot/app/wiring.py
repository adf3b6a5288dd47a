"""How the parts are put together, in one place for `serve`, `worker` and the command line: the engine, what each
configured channel is handed (bot.channels.contract), its routes and its sender, and the worker with its timers."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from bot.app.registry import CHANNELS
from bot.app.settings import Settings
from bot.channels.contract import Deliver, Delivery, Limiter, Mounted, Pace, Serving
from bot.desk.tickets import StaffActions, StaffDesk
from bot.engine import BotEngine, utc_now
from bot.storage.database import shared_secret

if TYPE_CHECKING:
    from bot.app.worker import Timers, Worker
    from bot.understanding.knowledge_base import Library


def bot_engine(settings: Settings, library: Library, db: Engine, now: datetime | None = None) -> BotEngine:
    """The engine of one process; `now` fixes its clock (previews and tests)."""
    return BotEngine(library, db, clock=(lambda: now) if now else utc_now, office_hours=settings.hours(),
                     turn_threads=settings.turn_threads, ticket_cap=settings.ticket_cap())


def shared_pace(db: Engine) -> Callable[[str, float, float], Pace]:
    """Send pacing that every worker process shares through the database."""

    def pace(name: str, overall: float, per_chat: float) -> Pace:
        from bot.storage.ratelimit import SharedPace

        return SharedPace(db, name, overall, per_chat).wait

    return pace


def senders_for(settings: Settings, db: Engine, paced: bool = True) -> dict[str, Deliver]:
    """The outbox delivery function of each configured channel that pushes its messages."""
    delivery = Delivery(StaffDesk(db, utc_now), shared_pace(db) if paced else None)
    senders: dict[str, Deliver] = {}
    for adapter, section in settings.channels_on():
        deliver = adapter.sender(section, delivery) if adapter.sender else None
        if deliver is not None:
            senders[adapter.name] = deliver
    return senders


def staff_channel_on(settings: Settings) -> bool:
    return any(adapter.staff for adapter, _ in settings.channels_on())


def timers_for(settings: Settings, engine: BotEngine) -> Timers:
    """The worker's timers: reminders from the engine's calendar, transcript retention, and the weekly digest when
    a staff channel is on."""
    from bot.app.worker import Timers

    return Timers(lambda: engine.library.knowledge.events, settings.reminder_offsets(), settings.transcript_days,
                  settings.public_url, library=(lambda: engine.library) if staff_channel_on(settings) else None)


def worker_for(settings: Settings, engine: BotEngine) -> Worker:
    """Outbox delivery and timers, for `gasme-bot worker` and the worker thread inside `serve`. Rows for a staff
    channel that is off are dropped, since no one would ever deliver them."""
    from bot.app.worker import Worker

    on = {adapter.name for adapter, _ in settings.channels_on()}
    skip = tuple(adapter.name for adapter in CHANNELS if adapter.staff and adapter.name not in on)
    return Worker(engine.db, senders_for(settings, engine.db), engine.clock, skip_channels=skip,
                  timers=timers_for(settings, engine))


def session_key(settings: Settings, db: Engine) -> str:
    """GASME_SECRET_KEY, else a key made once and kept in the database, so restarts and every process of a
    deployment accept the same session cookies."""
    return settings.secret_key or shared_secret(db, "web_session_key", lambda: secrets.token_urlsafe(48))


def serving(settings: Settings, engine: BotEngine, limiter: Limiter | None = None) -> Serving:
    """What `serve` hands every channel. `limiter` (default: one per channel's rates, shared through
    GASME_REDIS_URL when it is set) counts requests."""
    db = engine.db

    def limiter_for(rates: dict[str, str]) -> Limiter:
        from bot.app.ratelimit import Limiter as RateLimiter

        return limiter or RateLimiter(rates, settings.redis_url)

    def first_nonce(channel: str, key: str, keep: timedelta) -> bool:
        from bot.storage.database import first_nonce as record

        return record(db, channel, key, datetime.now(UTC), keep)

    return Serving(engine, StaffActions(db, engine.clock, lambda: engine.library), session_key(settings, db),
                   limiter_for, first_nonce, settings.public_url,
                   secure_cookies=bool(settings.public_url and settings.public_url.startswith("https:")))


def mount_all(settings: Settings, given: Serving) -> list[Mounted]:
    """Every configured channel's part of the web server, in the order of registration."""
    return [adapter.mount(section, given) for adapter, section in settings.channels_on()]
