"""Telegram, with python-telegram-bot: translation between Telegram updates and the engine, nothing else.

Webhook mode runs inside `gasme-bot serve` (our own route, so PTB's updater is off): the route checks the secret
token, stores the update in the inbox (through the engine), hands it to PTB's queue and answers 200; PTB's handlers
then run the engine turn in a thread and send the replies. An update that cannot be stored gets 503, and Telegram
sends it again; one stored by a process that died is taken up by the inbox sweep of another (`take_up`).
`gasme-bot telegram --polling` runs the same handlers with long polling for local use. A redelivered update carries
the same update_id, which the engine's dedupe key turns into a no-op.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import hmac
import json
import logging
import os
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.contract import Adapter, Deliver, Delivery, Mounted, Section, Serving, env
from bot.engine import BotEngine
from bot.messages import Incoming, Lang, Outgoing, Reply, Unreachable

if TYPE_CHECKING:
    from telegram import InlineKeyboardMarkup, Update
    from telegram.ext import Application, ContextTypes

# python-telegram-bot is imported where it is used: the command line reads every channel's settings section, and
# most of its commands never talk to Telegram. Opt in to PTB's announced behaviour (RetryAfter.retry_after as a
# timedelta), so a 429 does not also emit a deprecation warning on every rate limit.
os.environ.setdefault("PTB_TIMEDELTA", "1")

CHANNEL = "telegram"
MAX_TEXT = 4096  # Telegram's limit per message (Bot API, sendMessage: 1-4096 characters after entities parsing)
MAX_CALLBACK_DATA = 64  # bytes (Bot API, InlineKeyboardButton.callback_data)
log = logging.getLogger(__name__)

COMMANDS: dict[Lang, list[tuple[str, str]]] = {
    "en": [("start", "Start and see what I can do"), ("help", "What I can do"), ("events", "Upcoming events"),
           ("register", "Register for an event"), ("my", "My registrations"), ("cancel", "Cancel what I'm doing"),
           ("human", "Talk to a person"), ("lang", "Language: /lang en or /lang zh")],
    "zh": [("start", "开始，看看我能做什么"), ("help", "帮助"), ("events", "近期活动"), ("register", "报名活动"),
           ("my", "我的报名"), ("cancel", "取消当前操作"), ("human", "转人工"), ("lang", "语言：/lang zh 或 /lang en")],
}


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible (then at spaces, then anywhere)."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    rows = [[InlineKeyboardButton(b.label[:64], callback_data=b.payload)] for b in reply.buttons
            if len(b.payload.encode()) <= MAX_CALLBACK_DATA]
    return InlineKeyboardMarkup(rows) if rows else None


def to_incoming(update: Update) -> Incoming | None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return None
    raw: dict[str, str] = {}
    if update.callback_query is not None:
        text = update.callback_query.data or ""
    elif update.effective_message is not None and update.effective_message.text is not None:
        text = update.effective_message.text
    else:
        text, raw = "", {"media": "other"}  # stickers, photos, voice: the engine says it reads text best
    code = (user.language_code or "").lower()
    lang: Lang | None = "zh" if code.startswith("zh") else ("en" if code else None)
    return Incoming(CHANNEL, str(user.id), text, chat_id=str(chat.id), message_id=str(update.update_id), lang=lang,
                    raw=raw)


async def send_replies(app: Application[Any, Any, Any, Any, Any, Any], chat_id: str,
                       replies: Sequence[Reply]) -> None:
    from telegram import InputFile

    for reply in replies:
        pieces = split_text(reply.text)
        for n, piece in enumerate(pieces):
            markup = keyboard(reply) if n == len(pieces) - 1 else None
            # Plain text (no parse_mode): whatever a member or staff typed is shown as typed, never as markup.
            await app.bot.send_message(chat_id=chat_id, text=piece, reply_markup=markup)
        for att in reply.attachments:
            await app.bot.send_document(chat_id=chat_id, document=InputFile(att.data, filename=att.filename))


def build_application(token: str, api_base: str, engine: BotEngine, polling: bool = False,
                      max_rate: float = 30.0, stored: bool = False) -> Application[Any, Any, Any, Any, Any, Any]:
    """`max_rate`: messages per second overall; Telegram's FAQ gives about 30 for bulk sending. `stored`: updates
    reach the handlers from the inbox (the webhook stored them first), and are marked done once answered."""
    from telegram import Update
    from telegram.ext import (
        AIORateLimiter,
        ApplicationBuilder,
        ApplicationHandlerStop,
        CallbackQueryHandler,
        MessageHandler,
        TypeHandler,
        filters,
    )

    builder = (ApplicationBuilder().token(token).base_url(f"{api_base.rstrip('/')}/bot")
               .base_file_url(f"{api_base.rstrip('/')}/file/bot")
               .rate_limiter(AIORateLimiter(overall_max_rate=max_rate, max_retries=3)).concurrent_updates(8))
    if not polling:
        builder = builder.updater(None)
    app = builder.build()

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            with contextlib.suppress(Exception):  # a query taken up again after a crash may be too old to answer
                await update.callback_query.answer()
        inc = to_incoming(update)
        if inc is None:
            return
        if stored:
            inc = dataclasses.replace(inc, raw={**inc.raw, "inbox": "1"})
        result = await engine.handle_async(inc)
        if not stored:
            if not result.duplicate:
                await send_replies(app, inc.chat_id or inc.user_id, result.replies)
            return
        if result.failed:
            # The database went away: nothing of the turn was stored. The update stays in the inbox and is taken
            # up again when its lease runs out (an apology now would be the only answer it ever got).
            log.warning("telegram: update %s left in the inbox for a later try", update.update_id)
            raise ApplicationHandlerStop
        try:
            if not result.duplicate:
                await send_replies(app, inc.chat_id or inc.user_id, result.replies)
        except Exception as exc:  # Telegram is away: the replies are kept in the inbox and sent by a later sweep
            log.warning("telegram: replies to update %s kept for a later try: %s", update.update_id, _one_line(exc))
            raise ApplicationHandlerStop from None
        engine.sent(CHANNEL, str(update.update_id))
        raise ApplicationHandlerStop  # done: the catch-all below is for updates no handler takes

    async def unhandled(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Stored updates the bot does not answer (a group message, an edit): nothing to do, so done."""
        engine.sent(CHANNEL, str(update.update_id))

    app.add_handler(CallbackQueryHandler(on_update))
    app.add_handler(MessageHandler(filters.ALL & filters.ChatType.PRIVATE, on_update))
    if stored:
        app.add_handler(TypeHandler(Update, unhandled), group=1)
    return app


async def register_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    from telegram import BotCommand

    for lang, commands in COMMANDS.items():
        await app.bot.set_my_commands([BotCommand(c, d) for c, d in commands],
                                      language_code=None if lang == "en" else lang)


STORE_SECONDS = 10.0  # how long the webhook waits for the database to store an update before asking for it again


def webhook_endpoint(app: Application[Any, Any, Any, Any, Any, Any], secret: str | None,
                     engine: BotEngine | None = None, lease: timedelta = timedelta(seconds=30)) -> Any:
    """The webhook route. With `engine`, an update is stored in the inbox before Telegram is told it arrived, so a
    crash cannot lose it; when it cannot be stored (the database is down), the answer is 503 and Telegram sends
    it again later."""
    from telegram import Update

    async def endpoint(request: Request) -> Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if secret and not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("telegram: webhook call with a wrong or missing secret token refused")
            return JSONResponse({"error": "forbidden"}, status_code=403)
        try:
            data = json.loads(await request.body())
            update = Update.de_json(data, app.bot)
        except Exception as exc:
            log.warning("telegram: malformed update refused: %s", exc)
            return JSONResponse({"error": "malformed update"}, status_code=400)
        if update is None:
            return JSONResponse({"error": "malformed update"}, status_code=400)
        if engine is not None:
            try:
                store = engine.run_async(engine.receive, CHANNEL, str(update.update_id), data, lease)
                if not await asyncio.wait_for(store, STORE_SECONDS):
                    return JSONResponse({"ok": True})  # stored before: a redelivery, in hand already
            except Exception as exc:
                log.error("telegram: update %s not stored, Telegram will send it again: %s", update.update_id,
                          _one_line(exc))
                return JSONResponse({"error": "try again later"}, status_code=503, headers={"Retry-After": "5"})
        # Queue and answer at once: slow work inside the request would make Telegram redeliver.
        await app.update_queue.put(update)
        return JSONResponse({"ok": True})

    return endpoint


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200] if text else ''}"


async def take_up(app: Application[Any, Any, Any, Any, Any, Any], engine: BotEngine, lease: timedelta) -> int:
    """One sweep of the inbox: updates whose process stopped before answering them go through the handlers again
    (the dedupe key keeps it to one turn); replies kept from a turn that committed are sent. How many were taken."""
    from telegram import Update

    taken = await engine.run_async(engine.unfinished, CHANNEL, lease)
    for item in taken:
        update = Update.de_json(item.payload, app.bot)
        inc = to_incoming(update) if update is not None else None
        if item.replies is None and update is not None:
            await app.update_queue.put(update)
            continue
        if inc is not None and item.replies:
            await send_replies(app, inc.chat_id or inc.user_id, item.replies)
        engine.sent(CHANNEL, item.key)
    if taken:
        log.warning("telegram: took up %d stored updates left unanswered", len(taken))
    return len(taken)


class TelegramSender:
    """Outbox delivery (staff replies, notices, reminders, announcements) with plain Bot API calls; raises so the
    worker retries. `pace(chat_id)` is called before every API call and blocks until Telegram's limits allow it
    (the worker passes a limiter shared by all worker processes)."""

    def __init__(self, token: str, api_base: str, pace: Callable[[str], None] | None = None):
        self.url = f"{api_base.rstrip('/')}/bot{token}"
        self.pace = pace
        import httpx

        # One client for the worker's life: a new connection per message would cost more than the message.
        self.http = httpx.Client(timeout=10)
        # Closed with the sender, so a worker that is dropped leaves no open socket behind.
        weakref.finalize(self, self.http.close)

    def deliver(self, item: Outgoing) -> None:
        chat = item.chat_id or item.user_id
        pieces = split_text(str(item.payload.get("text", "")))
        buttons = [b for b in item.payload.get("buttons") or []
                   if len(str(b.get("payload", "")).encode()) <= MAX_CALLBACK_DATA]
        markup = json.dumps({"inline_keyboard": [[{"text": str(b["label"])[:64], "callback_data": b["payload"]}]
                                                 for b in buttons]}) if buttons else None
        for n, piece in enumerate(pieces):
            data = {"chat_id": chat, "text": piece}
            if markup and n == len(pieces) - 1:
                data["reply_markup"] = markup
            self._call("sendMessage", chat, data)
        for att in item.payload.get("attachments") or []:
            self._call("sendDocument", chat, {"chat_id": chat},
                       files={"document": (att["filename"], base64.b64decode(att["data_base64"]), att["mime_type"])})

    def _call(self, method: str, chat: str, data: dict[str, str], files: dict[str, Any] | None = None) -> None:
        if self.pace is not None:
            self.pace(chat)
        r = self.http.post(f"{self.url}/{method}", data=data, files=files)
        body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
        if r.status_code == 403:  # the member blocked the bot or deleted their account
            raise Unreachable(f"telegram {method}: {body.get('description', 'forbidden')}")
        if r.status_code != 200 or not body.get("ok"):
            raise RuntimeError(f"telegram {method}: HTTP {r.status_code} {body.get('description', '')}")


# Bot API, setWebhook: secret_token is 1-256 characters, only A-Z, a-z, 0-9, _ and - are allowed.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass(frozen=True)
class TelegramSettings(Section):
    token: str | None = env("TELEGRAM_BOT_TOKEN")
    webhook_secret: str | None = env("TELEGRAM_WEBHOOK_SECRET")
    api_base: str = env("TELEGRAM_API_BASE_URL", "https://api.telegram.org")  # a self-hosted Bot API or a fake
    max_rate: float = env("TELEGRAM_MAX_RATE", 30.0)  # messages per second overall
    chat_rate: float = env("TELEGRAM_CHAT_RATE", 1.0)  # messages per second to one chat (Telegram: about 1)
    allow_unverified: bool = env("TELEGRAM_ALLOW_UNVERIFIED", False)
    # An update stored but not answered this long after it arrived (its process died) is taken up by another.
    inbox_lease: float = env("GASME_INBOX_LEASE_SECONDS", 30.0)

    @property
    def configured(self) -> bool:
        return bool(self.token)

    def problem(self) -> str | None:
        if self.webhook_secret is not None and not _SECRET.fullmatch(self.webhook_secret):
            return "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - (what Telegram accepts)"
        return None

    def refusal(self) -> str | None:
        """Without a secret anyone could post forged updates, so that takes an explicit opt-in."""
        if self.token and not self.webhook_secret and not self.allow_unverified:
            return ("TELEGRAM_WEBHOOK_SECRET is not set: the webhook would accept forged updates. Set it (and run "
                    "`gasme-bot telegram set-webhook URL`), or set TELEGRAM_ALLOW_UNVERIFIED=1 to accept that")
        return None


async def connect(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Start-up never needs the network: if Telegram can't be reached, keep trying without blocking the rest."""
    delay = 1.0
    while True:
        try:
            await app.initialize()
            await app.start()
            return
        except Exception as exc:
            log.warning("telegram: not reachable yet (%s); retrying in %.0fs", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60)


def mount(section: TelegramSettings, serving: Serving) -> Mounted:
    """The webhook route; it answers 503 (Telegram retries later) until PTB has started. Beside it, the inbox sweep
    (at start-up, then every half lease) answers what a process that stopped had acknowledged."""
    assert section.token
    engine = serving.engine
    app = build_application(section.token, section.api_base, engine, max_rate=section.max_rate, stored=True)
    if not section.webhook_secret:
        log.warning("telegram: TELEGRAM_ALLOW_UNVERIFIED=1: webhook calls are NOT authenticated")
    lease = timedelta(seconds=section.inbox_lease)
    endpoint = webhook_endpoint(app, section.webhook_secret, engine, lease)
    ready = asyncio.Event()

    async def webhook(request: Request) -> Response:
        if not ready.is_set():
            return JSONResponse({"error": "starting"}, status_code=503)
        response: Response = await endpoint(request)
        return response

    async def start() -> None:
        await connect(app)
        ready.set()
        try:
            await register_commands(app)
        except Exception as exc:
            log.warning("telegram: setMyCommands failed: %s", exc)
        while True:
            try:
                await take_up(app, engine, lease)
            except Exception as exc:  # the database or Telegram is away: the rows wait for the next sweep
                log.warning("telegram: inbox sweep failed: %s", _one_line(exc))
            await asyncio.sleep(min(5.0, max(0.5, section.inbox_lease / 2)))  # also records what was sent

    async def stop() -> None:
        if app.running:
            await app.stop()
        with contextlib.suppress(Exception):
            await app.shutdown()

    return Mounted([Route("/telegram/webhook", webhook, methods=["POST"])], "telegram (webhook)", start, stop)


def sender(section: TelegramSettings, delivery: Delivery) -> Deliver:
    """Paced by a limiter that every worker process shares (TELEGRAM_MAX_RATE overall, TELEGRAM_CHAT_RATE per chat)."""
    assert section.token
    pace = delivery.pace(CHANNEL, section.max_rate, section.chat_rate) if delivery.pace else None
    return TelegramSender(section.token, section.api_base, pace).deliver


ADAPTER = Adapter(CHANNEL, TelegramSettings, mount, sender)
