"""`gasme-bot serve`: one ASGI application for every web-facing part of the bot.

Routes: each configured channel's (bot/app/registry.py: the web chat at / and /api/*, /telegram/webhook, /wechat,
/slack/events), the staff dashboard (/staff), /healthz (200 when the database takes writes), calendar files
(/events/ID.ics), the page behind the links in registration emails (/registration/TOKEN) and /metrics
(Prometheus; bot/app/metrics.py). Every route goes through bot.app.guard (body limits while the body streams,
security headers).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app import warm_up, wiring
from bot.app.guard import Guard
from bot.app.ratelimit import Limiter
from bot.app.registry import CHANNELS
from bot.app.reloader import Reloader
from bot.app.settings import Settings, SettingsError
from bot.channels.contract import Mounted
from bot.engine import BotEngine
from bot.storage.database import check_writable

log = logging.getLogger(__name__)


def health(engine: BotEngine) -> Route:
    """/healthz: 200 when the database takes writes."""

    async def healthz(request: Request) -> Response:
        try:
            # A database that answers reads but refuses writes (a read-only file, a replica) cannot serve a turn.
            await asyncio.to_thread(check_writable, engine.db)
        except Exception as exc:
            log.error("health check: database unavailable: %s", exc)
            return JSONResponse({"ok": False, "database": "unavailable"}, status_code=503)
        return JSONResponse({"ok": True})

    return Route("/healthz", healthz)


def event_calendar(engine: BotEngine) -> Route:
    """An event's calendar file by link, for channels that cannot carry files (WeChat text messages)."""

    async def event_ics(request: Request) -> Response:
        from bot.desk import calendar_text

        ev = engine.library.knowledge.event_by_id(request.path_params["event_id"])
        if ev is None:
            return JSONResponse({"error": "no such event"}, status_code=404)
        att = calendar_text.ics(ev, "zh" if request.query_params.get("lang") == "zh" else "en", engine.clock())
        return Response(att.data, media_type="text/calendar; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{att.filename}"'})

    return Route("/events/{event_id:str}.ics", event_ics)


def lifespan(settings: Settings, engine: BotEngine, channels: list[Mounted], reloader: Reloader) -> Any:
    """Start what runs beside the routes (each channel's start-up, the reloader, the worker thread) and stop it."""
    on = {adapter.name for adapter, _ in settings.channels_on()}

    @contextlib.asynccontextmanager
    async def running(app: Starlette) -> AsyncIterator[None]:
        warm_up.process(engine.library)  # before the first request: nothing is served until start-up ends
        log.info("channels on: %s", ", ".join(["console (gasme-bot chat)", *(m.label for m in channels)]))
        tasks = [asyncio.create_task(m.start()) for m in channels if m.start is not None]
        for adapter in CHANNELS:
            if adapter.off_hint and adapter.name not in on:
                log.info("%s", adapter.off_hint)
        reloader.start()
        worker = wiring.worker_for(settings, engine) if settings.worker_in_process else None
        thread = threading.Thread(target=worker.run_forever, name="outbox-worker", daemon=True) if worker else None
        if thread is not None:
            thread.start()
        yield
        for task in tasks:
            task.cancel()
        for m in channels:
            if m.stop is not None:
                await m.stop()
        reloader.stop()
        if worker is not None and thread is not None:
            worker.stop()
            thread.join(timeout=5)

    return running


def create_app(settings: Settings, engine: BotEngine, limiter: Limiter | None = None,
               reloader: Reloader | None = None, staff_login_pause: float = 0.5) -> Guard:
    """The ASGI app: every configured channel's routes, the dashboard, health and calendar files. Raises
    SettingsError for a configuration it must not serve (Telegram without a secret). `reloader` (default: one made
    here) picks up edited knowledge and taught phrasings while it runs."""
    for _, section in settings.channels_on():
        refusal = section.refusal()
        if refusal:
            raise SettingsError(refusal)
    from bot.app import dashboard, metrics, registration_page

    given = wiring.serving(settings, engine, limiter)
    channels = wiring.mount_all(settings, given)
    routes = [health(engine), event_calendar(engine), metrics.route(engine, settings.metrics_token),
              *registration_page.routes(engine, wiring.link_desk(engine, given.secret_key)),
              *dashboard.routes(engine, given.secret_key, settings.staff_session_hours, given.secure_cookies,
                                staff_login_pause),
              *(route for m in channels for route in m.routes)]
    running = lifespan(settings, engine, channels, reloader or Reloader(engine, settings.reload_seconds))
    return Guard(Starlette(routes=routes, lifespan=running), https=given.secure_cookies)


def app_from_environment() -> Guard:
    """The app of one worker process when `gasme-bot serve` runs several (WEB_CONCURRENCY); the parent process
    has already validated the knowledge and migrated the database."""
    from datetime import datetime

    from bot.app.processes import die_with_parent
    from bot.storage.database import make_engine
    die_with_parent()
    settings = Settings.from_env()
    fixed = os.environ.get("GASME_NOW")
    now = datetime.fromisoformat(fixed) if fixed else None
    from bot.desk import knowledge_edits
    from bot.understanding.knowledge_files import load

    db = make_engine(settings.database_url)
    library = knowledge_edits.library(db, load(settings.knowledge_dir))
    return create_app(settings, wiring.bot_engine(settings, library, db, now))
