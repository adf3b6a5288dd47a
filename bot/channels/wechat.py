"""WeChat Official Account: the server check, messages in plaintext and safe (AES) mode, and the customer-service
message API for anything that cannot be answered passively. Translation only.

Protocol facts (WeChat Official Account developer docs, "接入指南" and "消息加解密说明"):
- Calls are signed, and safe mode encrypts messages with AES (bot/channels/wechat_crypto.py).
- WeChat waits 5 seconds for a passive reply and retries up to three times; "success" means "no passive reply".
- Customer-service messages (cgi-bin/message/custom/send) reach a member who wrote within the last 48 hours.

Replays: a signature covers only the token, timestamp and nonce (in plaintext mode not even the body), so a captured
query string would sign anything. A timestamp more than FRESH_SECONDS away from our clock is refused, and so is a
nonce already seen within that window with another message (recorded by the `replay_guard` the server hands in, in
the database, so the refusal holds across processes). The same nonce with the same message is WeChat's own retry
of a call it got no answer to: it gets the same answer, and the engine's dedupe key keeps it to one turn. With an
AES key configured, only encrypted messages are accepted.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.contract import Adapter, Deliver, Delivery, Mounted, Section, Serving, env
from bot.channels.wechat_crypto import Crypto, is_aes_key
from bot.channels.wechat_crypto import sign as sign  # a step of this channel's protocol, used from outside too
from bot.channels.wechat_protocol import FRESH_SECONDS as FRESH_SECONDS
from bot.channels.wechat_protocol import MAX_BYTES as MAX_BYTES
from bot.channels.wechat_protocol import OUT_OF_WINDOW as OUT_OF_WINDOW
from bot.channels.wechat_protocol import Query as Query
from bot.channels.wechat_protocol import Refused as Refused
from bot.channels.wechat_protocol import _cdata, _field
from bot.channels.wechat_protocol import check_fresh as check_fresh
from bot.channels.wechat_protocol import check_mode as check_mode
from bot.channels.wechat_protocol import render as render
from bot.channels.wechat_protocol import reply_xml as reply_xml
from bot.channels.wechat_protocol import split_bytes as split_bytes
from bot.channels.wechat_protocol import verify as verify
from bot.engine import BotEngine, InvalidId, check_ids
from bot.messages import Incoming, TurnResult, one_line

CHANNEL = "wechat"
PASSIVE_SECONDS = 4.0  # answer within WeChat's 5-second window, with a margin for the network
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WeChatSettings(Section):
    token: str | None = env("WECHAT_TOKEN")
    app_id: str | None = env("WECHAT_APP_ID")
    app_secret: str | None = env("WECHAT_APP_SECRET")
    aes_key: str | None = env("WECHAT_AES_KEY")  # safe mode: the 43-character EncodingAESKey
    api_base: str = env("WECHAT_API_BASE_URL", "https://api.weixin.qq.com")

    @property
    def configured(self) -> bool:
        return bool(self.token)

    def problem(self) -> str | None:
        if self.aes_key is None:
            return None
        if not is_aes_key(self.aes_key):
            return "WECHAT_AES_KEY must be the 43-character EncodingAESKey from the WeChat console"
        if not self.app_id:
            return "WECHAT_AES_KEY needs WECHAT_APP_ID (safe-mode messages are bound to the AppID)"
        return None


# --- the steps of a call, in order ----------------------------------------------------------------------------------


class Unavailable(Exception):
    """The database did not answer (an outage): the call is left unanswered so that WeChat retries it."""


Guard = Callable[[str, str], "Future[str]"]  # ("timestamp:nonce", message key) -> the guard's verdict, on its thread


async def check_replay(q: Query, key: str, guard: Guard | None, deadline: float) -> str | Future[str]:
    """4b. Its nonce was not seen before with another message: "new", or "again" for WeChat's own retry (same
    nonce, same message), which is answered like the first; a replay is refused. When the database has not answered
    by `deadline` (event-loop time), the guard's job itself, still running: its verdict decides later."""
    if guard is None:
        return "new"
    job = guard(f"{q.timestamp}:{q.nonce}", key)
    try:
        verdict = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(job)), max(0.0, deadline - _clock()))
    except TimeoutError:
        return job
    except Exception as exc:  # the database refused the connection or the statement
        raise Unavailable(one_line(exc)) from None
    if verdict == "replay":
        raise Refused(403, "replayed nonce refused")
    return verdict


def _clock() -> float:
    return asyncio.get_running_loop().time()


def _xml(text: str | bytes | Callable[[], str]) -> Element:
    try:
        root: Element = SafeET.fromstring(text() if callable(text) else text)
    except Exception as exc:  # malformed XML, entity tricks (defusedxml refuses them), bad ciphertext
        raise Refused(400, f"refused a malformed message: {type(exc).__name__}: {exc}") from None
    return root


def decrypt(body: bytes, q: Query, token: str, crypto: Crypto | None) -> Element:
    """3. The message as XML: as sent in plaintext mode; in safe mode, checked against msg_signature and decrypted."""
    root = _xml(body)
    if not q.safe:
        return root
    if crypto is None:
        raise Refused(400, "refused a malformed message: ValueError: safe-mode message but WECHAT_AES_KEY is not set")
    encrypted = _field(root, "Encrypt")
    if not hmac.compare_digest(sign(token, q.timestamp, q.nonce, encrypted), q.msg_signature):
        raise Refused(403, "bad msg_signature")
    return _xml(lambda: crypto.decrypt(encrypted))


@dataclass(frozen=True)
class Message:
    """The fields of a message or event that the bot reads."""

    openid: str  # the member (FromUserName)
    account: str  # our Official Account (ToUserName)
    kind: str  # MsgType: text, event, image, voice, ...
    event: str
    content: str
    msg_id: str
    create_time: str


def parse(root: Element) -> Message:
    """4. The fields, from the message XML."""
    return Message(_field(root, "FromUserName"), _field(root, "ToUserName"), _field(root, "MsgType"),
                   _field(root, "Event").lower(), _field(root, "Content"), _field(root, "MsgId"),
                   _field(root, "CreateTime"))


def message_key(m: Message) -> str:
    """What makes a message the same one again: its MsgId; for events (which have none) the sender and time."""
    return (m.msg_id if m.kind != "event" else "") or f"{m.openid}:{m.create_time}"


def translate(m: Message) -> Incoming | None:
    """5. The engine's Incoming; None for an event the bot does not answer (WeChat gets "success")."""
    if not m.openid:
        raise Refused(400)
    key = message_key(m)
    if m.kind == "text":
        text = m.content
    elif m.kind == "event" and m.event == "subscribe":
        text = "/start"
    elif m.kind == "event":
        return None
    else:  # image, voice, video, location...: the engine answers that it reads text
        text = ""
    # WeChat members are mostly Chinese speakers: Chinese is the first language of a new conversation (the
    # subscribe welcome included) until they write in English.
    inc = Incoming(CHANNEL, m.openid, text, chat_id=m.openid, message_id=key, lang="zh",
                   raw={"media": m.kind} if m.kind not in ("text", "event") else {})
    try:
        check_ids(inc)
    except InvalidId as exc:
        raise Refused(400, f"refused: {exc}") from None
    return inc


async def answer_in_time(engine: BotEngine, inc: Incoming, seconds: float,
                         late: Callable[[TurnResult], None]) -> TurnResult | None:
    """6. The turn's result if it is ready within `seconds`; else None, and `late` gets it when it is. The turn runs
    on the engine's pool, so it finishes even after the request has been answered; a late turn that fails (the
    database went away) is tried again a few times before it is given up, with one line in the log."""
    job = engine.submit(inc)
    try:
        return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(job)), max(0.0, seconds))
    except TimeoutError:
        finish_late(engine, inc, job, late)
        return None


LATE_TRIES = 5
LATE_PAUSE = 2.0  # seconds before the first new try of a late turn that failed, doubled each time


def finish_late(engine: BotEngine, inc: Incoming, job: Future[TurnResult], late: Callable[[TurnResult], None],
                tries: int = 1) -> None:
    """When `job` is done, hand its result to `late` (which queues it in the outbox); a turn or a queueing that
    failed is tried again later. The engine's dedupe key makes a new try of a turn that did commit a no-op."""

    def again() -> None:
        if tries >= LATE_TRIES:
            log.error("wechat: message %s of %s not answered after %d tries", inc.message_id, inc.user_id, tries)
            return
        timer = threading.Timer(LATE_PAUSE * 2 ** (tries - 1),
                                lambda: finish_late(engine, inc, engine.submit(inc), late, tries + 1))
        timer.daemon = True
        timer.start()

    def done(f: Future[TurnResult]) -> None:
        result = None if f.exception() is not None else f.result()
        if result is None or result.failed:
            again()
            return
        queue(result, 1)

    def queue(result: TurnResult, attempt: int) -> None:
        try:
            late(result)
        except Exception as exc:  # the outbox could not be written (the turn itself is done): try again later
            if attempt >= LATE_TRIES:
                log.error("wechat: late answer to %s not queued: %s", inc.user_id, one_line(exc))
                return
            timer = threading.Timer(LATE_PAUSE * 2 ** (attempt - 1), queue, (result, attempt + 1))
            timer.daemon = True
            timer.start()

    job.add_done_callback(done)


async def passive_reply(engine: BotEngine, result: TurnResult, m: Message, public_url: str | None) -> str | None:
    """The one passive message allowed, as XML, or None (nothing to say); the rest of a long answer follows
    through the outbox."""
    if result.duplicate or not result.replies:
        return None
    pieces = split_bytes(render(result, public_url))
    if len(pieces) > 1:
        await engine.run_async(engine.send_later, CHANNEL, m.openid, m.openid, pieces[1:])
    return reply_xml(m.openid, m.account, pieces[0])


def seal(xml: str, token: str, crypto: Crypto) -> str:
    """7. A safe-mode reply: encrypted, and signed with a fresh timestamp and nonce."""
    encrypted = crypto.encrypt(xml)
    ts, nn = str(int(time.time())), secrets.token_hex(8)
    signature = sign(token, ts, nn, encrypted)
    return (f"<xml><Encrypt>{_cdata(encrypted)}</Encrypt><MsgSignature>{_cdata(signature)}</MsgSignature>"
            f"<TimeStamp>{ts}</TimeStamp><Nonce>{_cdata(nn)}</Nonce></xml>")


RETRY_AFTER = 5.5  # seconds after arrival: past WeChat's 5-second wait, so it sends the call again
KEEP_ANSWER = 30.0  # seconds an answer is kept for WeChat's retries (three, five seconds apart)


class Endpoint:
    """The /wechat route. `replay_guard` records ("timestamp:nonce", message key) and says "new", "again" or
    "replay"; it runs on threads of its own, never queued behind a turn, so the 4-second window counts from the
    call's arrival. `public_url` turns calendar files into links."""

    def __init__(self, cfg: WeChatSettings, engine: BotEngine, public_url: str | None = None,
                 replay_guard: Callable[[str, str], str] | None = None):
        assert cfg.token
        self.token, self.engine, self.public_url = cfg.token, engine, public_url
        self.crypto = Crypto(cfg.token, cfg.aes_key, cfg.app_id or "") if cfg.aes_key else None
        guards = ThreadPoolExecutor(max_workers=4, thread_name_prefix="wechat-guard")
        self.guard: Guard | None = ((lambda nonce, key: guards.submit(replay_guard, nonce, key))
                                    if replay_guard else None)
        # The answer (passive XML, or None for "success") of each message being answered in this process: WeChat's
        # retry of a call that is still running gets the same answer instead of a second turn.
        self.answering: dict[str, tuple[float, Future[str | None]]] = {}

    def send_late(self, result: TurnResult, openid: str) -> None:
        """A late turn's answer goes out through the customer-service API, via the outbox."""
        text = render(result, self.public_url)
        if text:
            self.engine.send_later(CHANNEL, openid, openid, split_bytes(text))

    def reply(self, xml: str | None, q: Query) -> Response:
        if xml is None:
            return PlainTextResponse("success")
        sealed = seal(xml, self.token, self.crypto) if q.safe and self.crypto else xml
        return Response(sealed, media_type="application/xml")

    async def answer(self, inc: Incoming, m: Message, deadline: float, retry: bool) -> str | None:
        """The passive reply to a message (None: "success"); raises Unavailable when the turn failed in time."""
        key, answering = str(inc.message_id), self.answering
        if retry and key in answering:  # WeChat's retry of a call answered (or being answered) here
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(answering[key][1])),
                                              max(0.0, deadline - _clock()))
            return None
        while answering and next(iter(answering.values()))[0] < time.monotonic() - KEEP_ANSWER:
            answering.pop(next(iter(answering)))  # the oldest first: the dict keeps insertion order
        mine: Future[str | None] = Future()
        answering[key] = (time.monotonic(), mine)
        try:
            result = await answer_in_time(self.engine, inc, deadline - _clock(),
                                          lambda r: self.send_late(r, m.openid))
            if result is not None and result.failed:
                answering.pop(key, None)  # nothing was stored: WeChat's retry runs the turn again
                raise Unavailable("the turn failed")
            xml = None if result is None else await passive_reply(self.engine, result, m, self.public_url)
            mine.set_result(xml)
            return xml
        finally:
            if not mine.done():
                mine.set_result(None)

    def after_guard(self, job: Future[str], inc: Incoming, openid: str) -> None:
        """The database answered the replay guard after "success" went back: a new message is answered late."""
        if job.exception() is None and job.result() == "replay":
            log.warning("wechat: replayed nonce refused (found after the window)")
            return
        finish_late(self.engine, inc, self.engine.submit(inc), lambda r: self.send_late(r, openid))

    async def steps(self, request: Request, q: Query, deadline: float) -> Response:
        verify(self.token, q)
        check_fresh(q, time.time())
        if request.method == "GET":  # the server check when the URL is configured
            return PlainTextResponse(q.echostr)
        check_mode(q, self.crypto)
        m = parse(decrypt(await request.body(), q, self.token, self.crypto))  # body bounded by bot.app.guard
        verdict = await check_replay(q, message_key(m), self.guard, deadline)
        inc = translate(m)
        if inc is None:
            return PlainTextResponse("success")
        if isinstance(verdict, Future):  # the database is slow: "success" now, the answer through the outbox
            verdict.add_done_callback(lambda job: self.after_guard(job, inc, m.openid))
            return PlainTextResponse("success")
        return self.reply(await self.answer(inc, m, deadline, retry=verdict == "again"), q)

    async def handle(self, request: Request) -> Response:
        deadline = _clock() + PASSIVE_SECONDS  # the window starts when the call arrives
        try:
            return await self.steps(request, Query.of(request.query_params), deadline)
        except Refused as refused:
            if refused.why:
                log.warning("wechat: %s (from %s)", refused.why, request.client.host if request.client else "?")
            return refused.response()
        except Unavailable as down:
            # Nothing was stored: let WeChat's wait run out, so that it sends the call again (up to three times).
            log.error("wechat: database unavailable, the call is left for WeChat to retry: %s", down)
            await asyncio.sleep(max(0.0, deadline - PASSIVE_SECONDS + RETRY_AFTER - _clock()))
            return PlainTextResponse("retry later", status_code=503)


def mount(section: WeChatSettings, serving: Serving) -> Mounted:
    assert section.token

    def first_nonce(nonce: str, key: str) -> str:
        # Twice the freshness window: a timestamp may be up to that far in the past or the future.
        return serving.first_nonce(CHANNEL, nonce, key, timedelta(seconds=2 * FRESH_SECONDS))

    handler = Endpoint(section, serving.engine, serving.public_url, first_nonce).handle
    if not (section.app_id and section.app_secret):
        log.warning("wechat: WECHAT_APP_ID/WECHAT_APP_SECRET not set: only passive replies can be sent")
    return Mounted([Route("/wechat", handler, methods=["GET", "POST"])],
                   "wechat" + (" (safe mode)" if section.aes_key else ""))


def sender(section: WeChatSettings, delivery: Delivery) -> Deliver | None:
    from bot.channels.wechat_sender import WeChatSender

    """Customer-service messages need the AppID and its secret; without them only passive replies are sent."""
    if not (section.app_id and section.app_secret):
        return None
    return WeChatSender(section.app_id, section.app_secret, section.api_base).deliver


ADAPTER = Adapter(CHANNEL, WeChatSettings, mount, sender)
