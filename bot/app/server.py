"""`gasme-bot serve`: one ASGI application for every web-facing part of the bot.

Routes: / (the web chat page) and /api/* (its JSON API), /healthz (200 when the database takes writes) and, when
Slack is configured, /slack/events (Events API and interactivity). Every route goes through bot.app.guard (body
limits while the body streams, security headers).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import threading
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app.guard import Guard
from bot.app.ratelimit import Limiter
from bot.app.reloader import Reloader
from bot.app.settings import Settings, SettingsError
from bot.desk.tickets import StaffDesk
from bot.engine import BotEngine, utc_now
from bot.storage.database import check_writable, shared_secret

log = logging.getLogger(__name__)


def senders_for(settings: Settings, db: Engine, telegram_limit: bool = True) -> dict[str, Any]:
    """The outbox delivery function of each configured channel. Telegram's is paced by a limiter shared through
    the database by every worker process (TELEGRAM_MAX_RATE overall, TELEGRAM_CHAT_RATE per chat)."""
    senders: dict[str, Any] = {}
    if settings.slack_enabled:
        from bot.channels.slack import SlackSender

        assert settings.slack_bot_token and settings.slack_staff_channel
        senders["slack"] = SlackSender(settings.slack_bot_token, settings.slack_staff_channel,
                                       settings.slack_api_url, StaffDesk(db, utc_now)).deliver
    if settings.telegram_bot_token:
        from bot.channels.telegram import TelegramSender
        from bot.storage.ratelimit import SharedPace

        pace = SharedPace(db, "telegram", settings.telegram_max_rate, settings.telegram_chat_rate).wait
        senders["telegram"] = TelegramSender(settings.telegram_bot_token, settings.telegram_api_base_url,
                                             pace if telegram_limit else None).deliver
    if settings.wechat_token and settings.wechat_app_id and settings.wechat_app_secret:
        from bot.channels.wechat import WeChatSender

        senders["wechat"] = WeChatSender(settings.wechat_app_id, settings.wechat_app_secret,
                                         settings.wechat_api_base_url).deliver
    return senders


def timers_for(settings: Settings, engine: BotEngine) -> Any:
    """The worker's timers: reminders from the engine's calendar, transcript retention."""
    from bot.app.worker import Timers

    return Timers(lambda: engine.library.knowledge.events, settings.reminder_offsets(), settings.transcript_days,
                  settings.public_url, library=(lambda: engine.library) if settings.slack_enabled else None)


def session_key(settings: Settings, db: Engine) -> str:
    """GASME_SECRET_KEY, else a key made once and kept in the database, so restarts and every process of a
    deployment accept the same session cookies."""
    return settings.secret_key or shared_secret(db, "web_session_key", lambda: secrets.token_urlsafe(48))


def create_app(settings: Settings, engine: BotEngine, limiter: Limiter | None = None,
               reloader: Reloader | None = None, staff_login_pause: float = 0.5) -> Guard:
    """The ASGI app. Raises SettingsError for a configuration it must not serve (Telegram without a secret).
    `reloader` (default: one made here) picks up edited knowledge and taught phrasings while it runs."""
    db = engine.db
    reloader = reloader or Reloader(engine, settings.reload_seconds)
    refusal = settings.telegram_webhook_refusal()
    if refusal:
        raise SettingsError(refusal)

    async def healthz(request: Request) -> Response:
        def ping() -> None:
            # A database that answers reads but refuses writes (a read-only file, a replica) cannot serve a turn.
            check_writable(db)

        try:
            await asyncio.to_thread(ping)
        except Exception as exc:
            log.error("health check: database unavailable: %s", exc)
            return JSONResponse({"ok": False, "database": "unavailable"}, status_code=503)
        return JSONResponse({"ok": True})

    from bot.channels import webchat

    async def event_ics(request: Request) -> Response:
        """An event's calendar file by link, for channels that cannot carry files (WeChat text messages)."""
        from bot.desk import calendar_text

        ev = engine.library.knowledge.event_by_id(request.path_params["event_id"])
        if ev is None:
            return JSONResponse({"error": "no such event"}, status_code=404)
        att = calendar_text.ics(ev, "zh" if request.query_params.get("lang") == "zh" else "en", engine.clock())
        return Response(att.data, media_type="text/calendar; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{att.filename}"'})

    if limiter is None:
        limiter = Limiter({"session": settings.rate_session, "address": settings.rate_address}, settings.redis_url)
    web_cfg = webchat.WebConfig(session_key(settings, db), limiter,
                                secure_cookies=bool(settings.public_url and settings.public_url.startswith("https:")))
    from bot.app import dashboard, metrics

    routes = [Route("/healthz", healthz), Route("/events/{event_id:str}.ics", event_ics),
              metrics.route(engine, settings.metrics_token),
              *webchat.routes(engine, web_cfg),
              *dashboard.routes(engine, web_cfg.secret_key, settings.staff_session_hours, web_cfg.secure_cookies,
                                staff_login_pause)]
    on: list[str] = ["web chat (/)"]
    if settings.slack_enabled:
        from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

        from bot.channels.slack import build_app

        assert settings.slack_bot_token and settings.slack_signing_secret and settings.slack_staff_channel
        def teach_group(entry_id: str, ids: list[int], by: str) -> int:
            from bot.desk.learning import teach_group as teach

            return teach(db, engine.library, entry_id, ids, by, engine.clock())

        bolt = build_app(settings.slack_bot_token, settings.slack_signing_secret, settings.slack_staff_channel,
                         settings.slack_api_url, engine.staff, teach_group)
        slack_handler = AsyncSlackRequestHandler(bolt)

        async def slack_events(request: Request) -> Response:
            body = await request.body()  # bounded by the guard; bolt reads the same cached bytes
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:
                return JSONResponse({"error": "body must be UTF-8"}, status_code=400)
            try:
                response: Response = await slack_handler.handle(request)
            except Exception as exc:
                # Junk that got past bolt's own checks is the sender's fault, not a server error.
                log.warning("slack: refused a malformed request: %s: %s", type(exc).__name__, exc)
                return JSONResponse({"error": "malformed request"}, status_code=400)
            return response

        routes.append(Route("/slack/events", slack_events, methods=["POST"]))
        on.append("slack")

    if settings.wechat_token:
        from bot.channels import wechat

        def first_nonce(key: str) -> bool:
            from datetime import UTC, datetime, timedelta

            from bot.storage.database import first_nonce as record

            # Twice the freshness window: a timestamp may be up to that far in the past or the future.
            return record(db, "wechat", key, datetime.now(UTC), timedelta(seconds=2 * wechat.FRESH_SECONDS))

        wechat_handler = wechat.endpoint(wechat.WeChatConfig(
            settings.wechat_token, settings.wechat_app_id, settings.wechat_app_secret, settings.wechat_aes_key,
            settings.wechat_api_base_url, settings.public_url, replay_guard=first_nonce), engine)
        routes.append(Route("/wechat", wechat_handler, methods=["GET", "POST"]))
        on.append("wechat" + (" (safe mode)" if settings.wechat_aes_key else ""))
        if not (settings.wechat_app_id and settings.wechat_app_secret):
            log.warning("wechat: WECHAT_APP_ID/WECHAT_APP_SECRET not set: only passive replies can be sent")

    tg_app: Any = None
    if settings.telegram_bot_token:
        from bot.channels import telegram

        tg_app = telegram.build_application(settings.telegram_bot_token, settings.telegram_api_base_url, engine,
                                            max_rate=settings.telegram_max_rate)
        if not settings.telegram_webhook_secret:
            log.warning("telegram: TELEGRAM_ALLOW_UNVERIFIED=1: webhook calls are NOT authenticated")
        tg_endpoint = telegram.webhook_endpoint(tg_app, settings.telegram_webhook_secret)
        tg_ready = asyncio.Event()

        async def telegram_webhook(request: Request) -> Response:
            if not tg_ready.is_set():
                return JSONResponse({"error": "starting"}, status_code=503)  # Telegram retries later
            response: Response = await tg_endpoint(request)
            return response

        routes.append(Route("/telegram/webhook", telegram_webhook, methods=["POST"]))
        on.append("telegram (webhook)")

        async def start_telegram() -> None:
            # Start-up never needs the network: if Telegram can't be reached, keep trying without blocking the rest.
            delay = 1.0
            while True:
                try:
                    await tg_app.initialize()
                    await tg_app.start()
                    tg_ready.set()
                    break
                except Exception as exc:
                    log.warning("telegram: not reachable yet (%s); retrying in %.0fs", exc, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 60)
            try:
                await telegram.register_commands(tg_app)
            except Exception as exc:
                log.warning("telegram: setMyCommands failed: %s", exc)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        log.warning("channels on: %s", ", ".join(["console (gasme-bot chat)", *on]))
        tg_task = asyncio.create_task(start_telegram()) if tg_app is not None else None
        if not settings.slack_enabled:
            log.warning("slack: off (set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_STAFF_CHANNEL to turn it on)")
        thread = None
        worker = None
        reloader.start()
        if settings.worker_in_process:
            from bot.app.worker import Worker

            worker = Worker(db, senders_for(settings, db), engine.clock,
                            skip_channels=() if settings.slack_enabled else ("slack",),
                            timers=timers_for(settings, engine))
            thread = threading.Thread(target=worker.run_forever, name="outbox-worker", daemon=True)
            thread.start()
        yield
        if tg_task is not None:
            tg_task.cancel()
            if tg_app.running:
                await tg_app.stop()
            with contextlib.suppress(Exception):
                await tg_app.shutdown()
        reloader.stop()
        if worker is not None:
            worker.stop()
        if thread is not None:
            thread.join(timeout=5)

    return Guard(Starlette(routes=routes, lifespan=lifespan))


def app_from_environment() -> Guard:
    """The app of one worker process when `gasme-bot serve` runs several (WEB_CONCURRENCY); the parent process
    has already validated the knowledge and migrated the database."""
    from datetime import datetime

    from bot.app.processes import die_with_parent
    from bot.storage.database import make_engine
    from bot.understanding.knowledge_base import Library

    die_with_parent()
    settings = Settings.from_env()
    fixed = os.environ.get("GASME_NOW")
    now = datetime.fromisoformat(fixed) if fixed else None
    from bot.desk.learning import taught
    from bot.understanding.knowledge_files import load

    db = make_engine(settings.database_url)
    engine = BotEngine(Library.build(load(settings.knowledge_dir), taught=taught(db)), db,
                       clock=(lambda: now) if now else utc_now, office_hours=settings.hours(),
                       turn_threads=settings.turn_threads, ticket_cap=settings.ticket_cap())
    return create_app(settings, engine)
