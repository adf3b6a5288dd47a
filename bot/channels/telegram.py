"""Telegram, with python-telegram-bot: translation between Telegram updates and the engine, nothing else.

Webhook mode runs inside `gasme-bot serve` (our own route, so PTB's updater is off): the route checks the secret
token, runs the engine turn, whose transaction also stores the update with its replies (the inbox), answers 200,
then sends the replies. An update whose turn cannot commit gets 503, and Telegram sends it again; replies kept by a
process that died before sending them are sent by the inbox sweep of another (`take_up`). `gasme-bot telegram
--polling` answers through PTB's handlers with long polling, for local use. A redelivered update carries the same
update_id, which the engine's dedupe key turns into a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hmac
import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.contract import Adapter, Deliver, Delivery, Mounted, Section, Serving, env
from bot.channels.telegram_sender import MAX_CALLBACK_DATA, TelegramSender, split_text
from bot.engine import BotEngine, InvalidId
from bot.messages import Incoming, KeepUpdate, Lang, Reply, one_line

if TYPE_CHECKING:
    from telegram import InlineKeyboardMarkup, Update
    from telegram.ext import Application, ContextTypes

# python-telegram-bot is imported where it is used: the command line reads every channel's settings section, and
# most of its commands never talk to Telegram. Opt in to PTB's announced behaviour (RetryAfter.retry_after as a
# timedelta), so a 429 does not also emit a deprecation warning on every rate limit.
os.environ.setdefault("PTB_TIMEDELTA", "1")

CHANNEL = "telegram"
log = logging.getLogger(__name__)

COMMANDS: dict[Lang, list[tuple[str, str]]] = {
    "en": [("start", "Start and see what I can do"), ("help", "What I can do"), ("events", "Upcoming events"),
           ("register", "Register for an event"), ("my", "My registrations"), ("cancel", "Cancel what I'm doing"),
           ("human", "Talk to a person"), ("lang", "Language: /lang en or /lang zh")],
    "zh": [("start", "开始，看看我能做什么"), ("help", "帮助"), ("events", "近期活动"), ("register", "报名活动"),
           ("my", "我的报名"), ("cancel", "取消当前操作"), ("human", "转人工"), ("lang", "语言：/lang zh 或 /lang en")],
}


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
                      max_rate: float = 30.0) -> Application[Any, Any, Any, Any, Any, Any]:
    """`max_rate`: messages per second overall; Telegram's FAQ gives about 30 for bulk sending. The handlers answer
    what long polling fetches; the webhook (`webhook_endpoint`) runs its turns itself and uses the application
    only to call the Bot API."""
    from telegram.ext import AIORateLimiter, ApplicationBuilder, CallbackQueryHandler, MessageHandler, filters

    from bot.channels.telegram_http import AiohttpRequest

    builder = (ApplicationBuilder().token(token).base_url(f"{api_base.rstrip('/')}/bot")
               .base_file_url(f"{api_base.rstrip('/')}/file/bot").request(AiohttpRequest())
               .rate_limiter(AIORateLimiter(overall_max_rate=max_rate, max_retries=3)).concurrent_updates(8))
    # Long polling holds one connection for getUpdates; a webhook needs no updater at all.
    builder = builder.get_updates_request(AiohttpRequest(connections=1)) if polling else builder.updater(None)
    app = builder.build()

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            with contextlib.suppress(Exception):
                await update.callback_query.answer()
        inc = to_incoming(update)
        if inc is None:
            return
        result = await engine.handle_async(inc)
        if not result.duplicate:
            await send_replies(app, inc.chat_id or inc.user_id, result.replies)

    app.add_handler(CallbackQueryHandler(on_update))
    app.add_handler(MessageHandler(filters.ALL & filters.ChatType.PRIVATE, on_update))
    return app


def answerable(update: Update) -> bool:
    """What the bot answers, as the polling handlers above select it: a button pressed, or a message (an edit
    too) in a private chat. Group messages, channel posts and the rest are left alone."""
    if update.callback_query is not None:
        return True
    chat = update.effective_chat
    return update.effective_message is not None and chat is not None and chat.type == "private"


async def register_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    from telegram import BotCommand

    for lang, commands in COMMANDS.items():
        await app.bot.set_my_commands([BotCommand(c, d) for c, d in commands],
                                      language_code=None if lang == "en" else lang)


ANSWER_SECONDS = 10.0  # how long the webhook waits for a turn to commit before asking Telegram to send it again


def webhook_endpoint(app: Application[Any, Any, Any, Any, Any, Any], secret: str | None, engine: BotEngine,
                     lease: timedelta = timedelta(seconds=30)) -> Any:
    """The webhook route. Telegram is told an update arrived only once its turn committed, and that same
    transaction stored the update with its replies (the inbox), so a crash cannot lose an acknowledged update:
    the replies are sent after the 200, and if this process dies first, a sweep of any process sends them once
    the lease runs out. When the turn cannot commit (the database is away) the answer is 503 and Telegram sends
    the update again; its dedupe key keeps a redelivery to one turn. One transaction per update."""
    from telegram import Update

    sending: set[asyncio.Task[None]] = set()  # replies on their way; kept so the tasks are not collected

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
        inc = to_incoming(update) if answerable(update) else None
        if inc is None:
            return JSONResponse({"ok": True})  # nothing to answer (a group message, a channel post)
        try:
            turn = engine.handle_async(dataclasses.replace(inc, raw={**inc.raw, "inbox": KeepUpdate(data, lease)}))
            result = await asyncio.wait_for(turn, ANSWER_SECONDS)
        except InvalidId as exc:
            log.warning("telegram: update %s refused: %s", update.update_id, exc)
            return JSONResponse({"error": str(exc)}, status_code=400)
        except TimeoutError:  # the turn may still commit: its stored replies then go out with the next sweep
            log.warning("telegram: update %s not answered within %.0f s, Telegram will send it again",
                        update.update_id, ANSWER_SECONDS)
            return _try_again()
        if result.failed:  # nothing of the turn was stored; an apology now would be the only answer it ever got
            log.error("telegram: update %s not stored, Telegram will send it again", update.update_id)
            return _try_again()
        if not result.duplicate:
            task = asyncio.create_task(deliver(app, engine, update, inc, result.replies))
            sending.add(task)
            task.add_done_callback(sending.discard)
        return JSONResponse({"ok": True})

    return endpoint


def _try_again() -> Response:
    return JSONResponse({"error": "try again later"}, status_code=503, headers={"Retry-After": "5"})


async def deliver(app: Application[Any, Any, Any, Any, Any, Any], engine: BotEngine, update: Update,
                  inc: Incoming, replies: Sequence[Reply]) -> None:
    """Send a stored update's replies and note that they went out. When Telegram is away they stay kept in the
    inbox, and a later sweep sends them."""
    if update.callback_query is not None:
        with contextlib.suppress(Exception):  # a query taken up again after a crash may be too old to answer
            await update.callback_query.answer()
    try:
        await send_replies(app, inc.chat_id or inc.user_id, replies)
    except Exception as exc:
        log.warning("telegram: replies to update %s kept for a later try: %s", update.update_id, one_line(exc))
        return
    engine.sent(CHANNEL, str(update.update_id))


async def take_up(app: Application[Any, Any, Any, Any, Any, Any], engine: BotEngine, lease: timedelta) -> int:
    """One sweep of the inbox: replies kept from a turn that committed are sent; an update stored but never
    answered (by an earlier version, which stored updates before their turn) gets its turn (the dedupe key keeps
    it to one). How many were taken."""
    from telegram import Update

    taken = await engine.run_async(engine.unfinished, CHANNEL, lease)
    for item in taken:
        update = Update.de_json(item.payload, app.bot)
        inc = to_incoming(update) if update is not None and answerable(update) else None
        replies = item.replies
        if inc is not None and replies is None:
            result = await engine.handle_async(dataclasses.replace(inc, raw={**inc.raw, "inbox": "1"}))
            if result.failed:
                continue  # the database went away again: the row waits for the next sweep
            replies = result.replies
        if inc is not None and update is not None and replies:
            await deliver(app, engine, update, inc, replies)
        else:
            engine.sent(CHANNEL, item.key)
    if taken:
        log.warning("telegram: took up %d stored updates left unanswered", len(taken))
    return len(taken)


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
    # Replies kept with an update but not sent this long after it arrived (its process died) are sent by another.
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
    app = build_application(section.token, section.api_base, engine, max_rate=section.max_rate)
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
                log.warning("telegram: inbox sweep failed: %s", one_line(exc))
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
