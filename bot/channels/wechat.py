"""WeChat Official Account: the server check, messages in plaintext and safe (AES) mode, and the customer-service
message API for anything that cannot be answered passively. Translation only.

Protocol facts (WeChat Official Account developer docs, "接入指南" and "消息加解密说明"):
- signature = sha1 of the sorted concatenation of token, timestamp and nonce; safe mode signs the Encrypt field too
  (msg_signature).
- Safe mode: AES-256-CBC, key = base64(EncodingAESKey + "="), IV = first 16 bytes of the key, PKCS#7 padding to 32
  bytes; the plaintext is 16 random bytes, the message length (4 bytes, big-endian), the message, then the AppID.
- WeChat waits 5 seconds for a passive reply and retries up to three times; "success" means "no passive reply".
- Customer-service messages (cgi-bin/message/custom/send) reach a member who wrote within the last 48 hours.

Replays: a signature covers only the token, timestamp and nonce (in plaintext mode not even the body), so a captured
query string would sign anything. A timestamp more than FRESH_SECONDS away from our clock is refused, and so is a
nonce already seen within that window (recorded by the `replay_guard` the server hands in, in the database, so
the refusal holds across processes). With an AES key configured, only encrypted messages are accepted.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import secrets
import struct
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

import httpx
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from defusedxml import ElementTree as SafeET
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.engine import BotEngine, InvalidId, check_ids
from bot.messages import Incoming, Outgoing, TurnResult, Unreachable

CHANNEL = "wechat"
PASSIVE_SECONDS = 4.0  # answer within WeChat's 5-second window, with a margin for the network
MAX_BYTES = 2048  # text content limit per message, in UTF-8 bytes
# custom/send errors meaning "this member cannot be written to now": 45015 outside the 48-hour window, 45047 too
# many messages since the member last wrote, 43004 the member unfollowed.
OUT_OF_WINDOW = (45015, 45047, 43004)
FRESH_SECONDS = 300
log = logging.getLogger(__name__)


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


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


class Crypto:
    def __init__(self, token: str, aes_key: str, app_id: str):
        self.token = token
        self.key = base64.b64decode(aes_key + "=")
        if len(self.key) != 32:
            raise ValueError("WECHAT_AES_KEY must be the 43-character EncodingAESKey")
        self.app_id = app_id

    def decrypt(self, encrypted: str) -> str:
        decryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).decryptor()
        plain = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= 32:
            raise ValueError("bad padding")
        plain = plain[:-pad]
        (length,) = struct.unpack(">I", plain[16:20])
        message, app_id = plain[20 : 20 + length], plain[20 + length :]
        if app_id.decode() != self.app_id:
            raise ValueError("message is for another AppID")
        return message.decode()

    def encrypt(self, message: str) -> str:
        raw = message.encode()
        plain = secrets.token_bytes(16) + struct.pack(">I", len(raw)) + raw + self.app_id.encode()
        pad = 32 - len(plain) % 32
        plain += bytes([pad]) * pad
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


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


@dataclass
class WeChatConfig:
    token: str
    app_id: str | None = None
    app_secret: str | None = None
    aes_key: str | None = None
    api_base: str = "https://api.weixin.qq.com"
    public_url: str | None = None
    # Records "timestamp:nonce"; False when it was seen before (a replay). Runs on the engine's pool.
    replay_guard: Callable[[str], bool] | None = None


def endpoint(cfg: WeChatConfig, engine: BotEngine) -> Any:
    crypto = Crypto(cfg.token, cfg.aes_key, cfg.app_id or "") if cfg.aes_key else None

    def queue_replies(result: TurnResult, openid: str) -> None:
        """A late turn's answer goes out through the customer-service API, via the outbox."""
        text = render(result, cfg.public_url)
        if not text:
            return
        engine.send_later(CHANNEL, openid, openid, split_bytes(text))

    async def handle(request: Request) -> Response:
        q = request.query_params
        timestamp, nonce = q.get("timestamp", ""), q.get("nonce", "")
        if not hmac.compare_digest(sign(cfg.token, timestamp, nonce), q.get("signature", "")):
            log.warning("wechat: bad signature from %s", request.client.host if request.client else "?")
            return PlainTextResponse("forbidden", status_code=403)
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > FRESH_SECONDS:
            log.warning("wechat: stale or future timestamp %r refused", timestamp[:20])
            return PlainTextResponse("forbidden", status_code=403)
        if request.method == "GET":  # the server check when the URL is configured
            return PlainTextResponse(q.get("echostr", ""))
        safe = q.get("encrypt_type") == "aes"
        if crypto is not None and not safe:
            log.warning("wechat: plaintext message refused (WECHAT_AES_KEY is set: safe mode only)")
            return PlainTextResponse("forbidden", status_code=403)
        if cfg.replay_guard is not None and not await engine.run_async(cfg.replay_guard, f"{timestamp}:{nonce}"):
            log.warning("wechat: replayed nonce refused")
            return PlainTextResponse("forbidden", status_code=403)
        body = await request.body()  # bounded by the server's body limit (bot.app.guard)
        try:
            root = SafeET.fromstring(body)
            if safe:
                if crypto is None:
                    raise ValueError("safe-mode message but WECHAT_AES_KEY is not set")
                encrypted = _field(root, "Encrypt")
                if not hmac.compare_digest(sign(cfg.token, timestamp, nonce, encrypted), q.get("msg_signature", "")):
                    log.warning("wechat: bad msg_signature")
                    return PlainTextResponse("forbidden", status_code=403)
                root = SafeET.fromstring(crypto.decrypt(encrypted))
        except Exception as exc:  # malformed XML, entity tricks (defusedxml refuses them), bad ciphertext
            log.warning("wechat: refused a malformed message: %s: %s", type(exc).__name__, exc)
            return PlainTextResponse("bad request", status_code=400)
        openid, account = _field(root, "FromUserName"), _field(root, "ToUserName")
        msg_type = _field(root, "MsgType")
        if not openid:
            return PlainTextResponse("bad request", status_code=400)
        if msg_type == "text":
            text, key = _field(root, "Content"), _field(root, "MsgId") or f"{openid}:{_field(root, 'CreateTime')}"
        elif msg_type == "event" and _field(root, "Event").lower() == "subscribe":
            text, key = "/start", f"{openid}:{_field(root, 'CreateTime')}"
        elif msg_type == "event":
            return PlainTextResponse("success")
        else:  # image, voice, video, location...: the engine answers that it reads text
            text, key = "", _field(root, "MsgId") or f"{openid}:{_field(root, 'CreateTime')}"
        # WeChat members are mostly Chinese speakers: Chinese is the first language of a new conversation (the
        # subscribe welcome included) until they write in English.
        inc = Incoming(CHANNEL, openid, text, chat_id=openid, message_id=key, lang="zh",
                       raw={"media": msg_type} if msg_type not in ("text", "event") else {})
        try:
            check_ids(inc)
        except InvalidId as exc:
            log.warning("wechat: refused: %s", exc)
            return PlainTextResponse("bad request", status_code=400)
        # The turn runs on the engine's pool, so it finishes even after this request has been answered.
        job = engine.submit(inc)
        try:
            result = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(job)), PASSIVE_SECONDS)
        except TimeoutError:
            # Too slow for a passive reply: say "success" now, send the answer through the outbox when ready.
            def late(f: Future[TurnResult]) -> None:
                if f.exception() is not None:
                    log.error("wechat: late turn for %s failed: %s", openid, f.exception())
                    return
                queue_replies(f.result(), openid)

            job.add_done_callback(late)
            return PlainTextResponse("success")
        if result.duplicate or not result.replies:
            return PlainTextResponse("success")
        pieces = split_bytes(render(result, cfg.public_url))
        if len(pieces) > 1:  # only one passive message is allowed: the rest follows through the outbox
            await engine.run_async(engine.send_later, CHANNEL, openid, openid, pieces[1:])
        xml = reply_xml(openid, account, pieces[0])
        if safe and crypto is not None:
            encrypted = crypto.encrypt(xml)
            ts, nn = str(int(time.time())), secrets.token_hex(8)
            signature = sign(cfg.token, ts, nn, encrypted)
            xml = (f"<xml><Encrypt>{_cdata(encrypted)}</Encrypt><MsgSignature>{_cdata(signature)}</MsgSignature>"
                   f"<TimeStamp>{ts}</TimeStamp><Nonce>{_cdata(nn)}</Nonce></xml>")
        return Response(xml, media_type="application/xml")

    return handle


class WeChatSender:
    """Customer-service messages for the outbox (late answers, staff replies, notices). Raises to be retried."""

    def __init__(self, app_id: str, app_secret: str, api_base: str):
        self.app_id, self.app_secret, self.api_base = app_id, app_secret, api_base.rstrip("/")
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()
        # One client for the worker's life: building one loads the TLS trust store (~30 ms), more than a send.
        self.http = httpx.Client(timeout=10)
        weakref.finalize(self, self.http.close)

    def _access_token(self, http: httpx.Client) -> str:
        with self._lock:
            if self._token and time.monotonic() < self._expires:
                return self._token
            r = http.get(f"{self.api_base}/cgi-bin/token", params={
                "grant_type": "client_credential", "appid": self.app_id, "secret": self.app_secret})
            data = r.json()
            if "access_token" not in data:
                raise RuntimeError(f"wechat token: {data.get('errcode')} {data.get('errmsg')}")
            self._token = str(data["access_token"])
            self._expires = time.monotonic() + int(data.get("expires_in", 7200)) - 300
            return self._token

    def deliver(self, item: Outgoing) -> None:
        # A text message carries no button or file: the payload's text_only says how to do the same by typing.
        text = str(item.payload.get("text_only") or item.payload.get("text", ""))
        http = self.http
        for piece in split_bytes(text):
            token = self._access_token(http)
            body = {"touser": item.chat_id or item.user_id, "msgtype": "text", "text": {"content": piece}}
            r = http.post(f"{self.api_base}/cgi-bin/message/custom/send", params={"access_token": token},
                          content=json.dumps(body, ensure_ascii=False).encode(),
                          headers={"Content-Type": "application/json"})
            data = r.json()
            if data.get("errcode", 0) in (40001, 42001):  # token expired early: fetch a new one next time
                self._token = None
            if data.get("errcode", 0) in OUT_OF_WINDOW:
                raise Unreachable(f"wechat custom/send: {data.get('errcode')} {data.get('errmsg')}")
            if data.get("errcode", 0) != 0:
                raise RuntimeError(f"wechat custom/send: {data.get('errcode')} {data.get('errmsg')}")
