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
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.channels.contract import Adapter, Deliver, Delivery, Mounted, Section, Serving, env
from bot.channels.wechat_crypto import Crypto, is_aes_key
from bot.channels.wechat_crypto import sign as sign  # a step of this channel's protocol, used from outside too
from bot.engine import BotEngine, InvalidId, check_ids
from bot.messages import Incoming, TurnResult

if TYPE_CHECKING:
    pass

CHANNEL = "wechat"
PASSIVE_SECONDS = 4.0  # answer within WeChat's 5-second window, with a margin for the network
MAX_BYTES = 2048  # text content limit per message, in UTF-8 bytes
# custom/send errors meaning "this member cannot be written to now": 45015 outside the 48-hour window, 45047 too
# many messages since the member last wrote, 43004 the member unfollowed.
OUT_OF_WINDOW = (45015, 45047, 43004)
FRESH_SECONDS = 300
log = logging.getLogger(__name__)


def split_bytes(text: str, limit: int = MAX_BYTES) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, never cutting a character, preferring line ends."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if len((current + line).encode()) <= limit:
            current += line
            continue
        if current:
            pieces.append(current.rstrip("\n"))
            current = ""
        while len(line.encode()) > limit:
            cut = len(line.encode()[:limit].decode("utf-8", errors="ignore"))
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    if current or not pieces:
        pieces.append(current.rstrip("\n"))
    return pieces


def _field(root: Element, name: str) -> str:
    node = root.find(name)
    return (node.text or "") if node is not None else ""


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def reply_xml(to_user: str, from_user: str, content: str) -> str:
    return (f"<xml><ToUserName>{_cdata(to_user)}</ToUserName><FromUserName>{_cdata(from_user)}</FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType>{_cdata('text')}</MsgType>"
            f"<Content>{_cdata(content)}</Content></xml>")


def render(result: TurnResult, public_url: str | None = None) -> str:
    """All replies as one text; buttons become numbered options (typing the number chooses it). A file cannot go
    in a text message: with a public address configured, it becomes a link to the same file on our server."""
    parts: list[str] = []
    n = 0
    for reply in result.replies:
        lines = [reply.text]
        for b in reply.buttons:
            n += 1
            lines.append(f"{n}. {b.label}")
        for a in reply.attachments:
            if public_url and a.filename.endswith(".ics"):
                lines.append(f"{public_url}/events/{a.filename}")
            else:
                lines.append(f"[{a.filename}]")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


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


class Refused(Exception):
    """A call that gets no answer but its status: 403 for what fails a check, 400 for what cannot be read."""

    def __init__(self, status: int, why: str | None = None):
        super().__init__(why or str(status))
        self.status, self.why = status, why

    def response(self) -> Response:
        return PlainTextResponse("forbidden" if self.status == 403 else "bad request", status_code=self.status)


@dataclass(frozen=True)
class Query:
    """What WeChat puts in the query string of every call."""

    timestamp: str = ""
    nonce: str = ""
    signature: str = ""
    msg_signature: str = ""  # safe mode: signs the Encrypt field too
    safe: bool = False  # encrypt_type=aes
    echostr: str = ""  # the server check (GET)

    @classmethod
    def of(cls, params: Mapping[str, str]) -> Query:
        return cls(params.get("timestamp", ""), params.get("nonce", ""), params.get("signature", ""),
                   params.get("msg_signature", ""), params.get("encrypt_type") == "aes", params.get("echostr", ""))


def verify(token: str, q: Query) -> None:
    """1. The call is signed with our token."""
    if not hmac.compare_digest(sign(token, q.timestamp, q.nonce), q.signature):
        raise Refused(403, "bad signature")


def check_fresh(q: Query, now: float) -> None:
    """2a. Its timestamp is within FRESH_SECONDS of our clock."""
    if not q.timestamp.isdigit() or abs(now - int(q.timestamp)) > FRESH_SECONDS:
        raise Refused(403, f"stale or future timestamp {q.timestamp[:20]!r} refused")


def check_mode(q: Query, crypto: Crypto | None) -> None:
    """2b. With an AES key configured, only encrypted messages are accepted."""
    if crypto is not None and not q.safe:
        raise Refused(403, "plaintext message refused (WECHAT_AES_KEY is set: safe mode only)")


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
        raise Unavailable(_one_line(exc)) from None
    if verdict == "replay":
        raise Refused(403, "replayed nonce refused")
    return verdict


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200] if text else ''}"


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
                log.error("wechat: late answer to %s not queued: %s", inc.user_id, _one_line(exc))
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


def mount(section: WeChatSettings, serving: Serving) -> Mounted:
    assert section.token

    def first_nonce(nonce: str, key: str) -> str:
        # Twice the freshness window: a timestamp may be up to that far in the past or the future.
        return serving.first_nonce(CHANNEL, nonce, key, timedelta(seconds=2 * FRESH_SECONDS))

    from bot.channels.wechat_endpoint import Endpoint  # the route, built from the steps of this module

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
