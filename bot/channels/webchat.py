"""The web chat channel: a page at / and a small JSON API. Translation only, like every channel.

GET  /             the page; issues the visitor's session cookie when it has no valid one
POST /api/chat     {"text": "...", "lang": "en"|"zh", "id": unique-per-message}
                   -> {"replies": [{"text", "buttons": [{"label", "payload"}], "attachments": [...]}], "lang"}
GET  /api/updates  -> {"messages": [{"text", "kind"}]}: staff replies and notices queued for this member
GET  /api/history  -> {"messages": [{"who": "in"|"out"|"staff", "text"}]}: the conversation so far

The visitor is identified by a session cookie that GET / issues: a random id and its HMAC signature, HttpOnly
(page scripts never see it), SameSite=Lax (other sites cannot post as the visitor), Secure behind HTTPS. No member
id ever appears in a URL or a body; /api/* without a valid session answers 401. The id is the member's user id in
the engine, so only the session that owns a conversation reads its history and takes its updates.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.channels.contract import Adapter, Limiter, Mounted, Section, Serving, env
from bot.engine import BotEngine, InvalidId
from bot.messages import Incoming, Lang, TurnResult

CHANNEL = "web"
COOKIE = "gasme_session"
SESSION_DAYS = 180
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebSettings(Section):
    """GASME_RATE_SESSION, GASME_RATE_ADDRESS: rate limits in the `limits` notation, a burst and a sustained rate."""

    rate_session: str = env("GASME_RATE_SESSION", "10 per 10 seconds; 200 per hour")
    rate_address: str = env("GASME_RATE_ADDRESS", "60 per minute; 2000 per hour")

    def problem(self) -> str | None:
        from limits import parse_many

        for name, raw in (("GASME_RATE_SESSION", self.rate_session), ("GASME_RATE_ADDRESS", self.rate_address)):
            try:
                parse_many(raw)
            except ValueError:
                return f"{name} must be rate limits like '10 per 10 seconds; 200 per hour', not {raw!r}"
        return None


@dataclass(frozen=True)
class WebConfig:
    secret_key: str  # signs session cookies, keys the hash of client addresses
    limiter: Limiter
    secure_cookies: bool = False  # always Secure (a deployment that is HTTPS-only behind a proxy)


def _sign(key: bytes, sid: str) -> str:
    mac = hmac.new(key, b"web-session:" + sid.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def new_session(key: bytes) -> str:
    sid = secrets.token_urlsafe(18)  # 144 random bits; also the member's user id
    return f"{sid}.{_sign(key, sid)}"


def session_id(key: bytes, cookie: str | None) -> str | None:
    """The session id of a validly signed cookie, or None."""
    if not cookie or cookie.count(".") != 1 or len(cookie) > 200:
        return None
    sid, sig = cookie.split(".")
    return sid if sid and hmac.compare_digest(sig, _sign(key, sid)) else None


def origin_of(key: bytes, address: str) -> str:
    """A keyed hash of the client address: enough to count tickets per address, never the address itself."""
    return hmac.new(key, b"origin:" + address.encode(), hashlib.sha256).hexdigest()[:32]


def _bad(why: str, request: Request, status: int = 400) -> Response:
    log.warning("web chat: refused request from %s: %s", request.client.host if request.client else "?", why)
    return JSONResponse({"error": why}, status_code=status)


def to_json(result: TurnResult) -> dict[str, Any]:
    return {
        "lang": result.lang,
        "replies": [{
            "text": r.text,
            "buttons": [{"label": b.label, "payload": b.payload} for b in r.buttons],
            "attachments": [{"filename": a.filename, "mime_type": a.mime_type,
                             "data_base64": base64.b64encode(a.data).decode()} for a in r.attachments],
        } for r in result.replies],
    }


class WebChat:
    """The page and the API of one app; each route reads the session from the cookie, never from the request."""

    def __init__(self, engine: BotEngine, cfg: WebConfig):
        self.engine, self.cfg = engine, cfg
        self.page = resources.files("bot.channels").joinpath("web/index.html").read_text(encoding="utf-8")
        self.key = cfg.secret_key.encode()

    def routes(self) -> list[Route]:
        return [Route("/", self.index), Route("/api/chat", self.chat, methods=["POST"]),
                Route("/api/updates", self.updates), Route("/api/history", self.history)]

    def member(self, request: Request) -> str | None:
        return session_id(self.key, request.cookies.get(COOKIE))

    async def index(self, request: Request) -> Response:
        response = HTMLResponse(self.page, headers={
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; "
                                      "script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
            "Cache-Control": "no-store"})  # the response may carry a session cookie
        if self.member(request) is None:
            verdict = await self.cfg.limiter.check("address", _address(request))  # minting sessions counts too
            if not verdict.allowed:
                return _limited(verdict.retry_after)
            response.set_cookie(COOKIE, new_session(self.key), max_age=SESSION_DAYS * 86400, path="/",
                                httponly=True, samesite="lax",
                                secure=self.cfg.secure_cookies or request.url.scheme == "https")
        return response

    async def chat(self, request: Request) -> Response:
        user = self.member(request)
        if user is None:
            return _no_session(request)
        for kind, who in (("session", user), ("address", _address(request))):
            verdict = await self.cfg.limiter.check(kind, who)
            if not verdict.allowed:
                log.warning("web chat: %s over its rate limit", kind)
                return _limited(verdict.retry_after)
        data = read_message(await request.body())  # bounded by the server's body limit (bot.app.guard)
        if isinstance(data, str):
            return _bad(data, request)
        text, lang, msg_id = data
        inc = Incoming(CHANNEL, user, text, chat_id=user, message_id=f"{user}:{msg_id}" if msg_id else None,
                       lang=lang, raw={"origin": origin_of(self.key, _address(request))})
        try:
            result = await self.engine.handle_async(inc)
        except InvalidId as exc:
            return _bad(str(exc), request)
        return JSONResponse(to_json(result))

    async def updates(self, request: Request) -> Response:
        user = self.member(request)
        if user is None:
            return _no_session(request)
        items = await self.engine.run_async(self.engine.pending_for, CHANNEL, user)
        return JSONResponse({"messages": [{"text": str(i.payload.get("text_only") or i.payload.get("text", "")),
                                           "kind": i.kind} for i in items]})

    async def history(self, request: Request) -> Response:
        user = self.member(request)
        if user is None:
            return _no_session(request)
        return JSONResponse({"messages": await self.engine.run_async(self.engine.history, CHANNEL, user)})


def read_message(raw: bytes) -> tuple[str, Lang | None, str | None] | str:
    """(text, language, message id) from a POST /api/chat body, or why it is refused."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return "body must be JSON"
    if not isinstance(data, dict):
        return "body must be a JSON object"
    text, lang, msg_id = data.get("text"), data.get("lang"), data.get("id")
    if not isinstance(text, str):
        return "text must be a string"
    return (text, "zh" if lang == "zh" else "en" if lang == "en" else None,
            msg_id if isinstance(msg_id, str) and 0 < len(msg_id) <= 100 else None)


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _limited(retry_after: int) -> Response:
    return JSONResponse({"error": "too many messages; please wait a moment"}, status_code=429,
                        headers={"Retry-After": str(retry_after)})


def _no_session(request: Request) -> Response:
    return _bad("no valid session: open the chat page first", request, 401)


def routes(engine: BotEngine, cfg: WebConfig) -> list[Route]:
    return WebChat(engine, cfg).routes()


def mount(section: WebSettings, serving: Serving) -> Mounted:
    limiter = serving.limiter({"session": section.rate_session, "address": section.rate_address})
    cfg = WebConfig(serving.secret_key, limiter, serving.secure_cookies)
    return Mounted(routes(serving.engine, cfg), "web chat (/)")


ADAPTER = Adapter(CHANNEL, WebSettings, mount)
