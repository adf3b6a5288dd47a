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
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.engine import BotEngine, InvalidId
from bot.messages import Incoming, TurnResult

CHANNEL = "web"
COOKIE = "gasme_session"
SESSION_DAYS = 180
log = logging.getLogger(__name__)


class Verdict(Protocol):
    @property
    def allowed(self) -> bool: ...

    @property
    def retry_after(self) -> int: ...


class Limiter(Protocol):
    """Counts one hit of `key` against the rates of `kind` ("session", "address"); bot.app.ratelimit has one."""

    async def check(self, kind: str, key: str) -> Verdict: ...


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


def routes(engine: BotEngine, cfg: WebConfig) -> list[Route]:
    page = resources.files("bot.channels").joinpath("web/index.html").read_text(encoding="utf-8")
    key = cfg.secret_key.encode()

    def address(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    async def index(request: Request) -> Response:
        response = HTMLResponse(page, headers={
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; "
                                      "script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
            "Cache-Control": "no-store"})  # the response may carry a session cookie
        if session_id(key, request.cookies.get(COOKIE)) is None:
            verdict = await cfg.limiter.check("address", address(request))  # minting sessions counts too
            if not verdict.allowed:
                return _limited(verdict.retry_after)
            response.set_cookie(COOKIE, new_session(key), max_age=SESSION_DAYS * 86400, path="/", httponly=True,
                                samesite="lax", secure=cfg.secure_cookies or request.url.scheme == "https")
        return response

    def member(request: Request) -> str | None:
        return session_id(key, request.cookies.get(COOKIE))

    def _limited(retry_after: int) -> Response:
        return JSONResponse({"error": "too many messages; please wait a moment"}, status_code=429,
                            headers={"Retry-After": str(retry_after)})

    def _no_session(request: Request) -> Response:
        return _bad("no valid session: open the chat page first", request, 401)

    async def chat(request: Request) -> Response:
        user = member(request)
        if user is None:
            return _no_session(request)
        for kind, who in (("session", user), ("address", address(request))):
            verdict = await cfg.limiter.check(kind, who)
            if not verdict.allowed:
                log.warning("web chat: %s over its rate limit", kind)
                return _limited(verdict.retry_after)
        raw = await request.body()  # bounded by the server's body limit (bot.app.guard)
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return _bad("body must be JSON", request)
        if not isinstance(data, dict):
            return _bad("body must be a JSON object", request)
        text, lang, msg_id = data.get("text"), data.get("lang"), data.get("id")
        if not isinstance(text, str):
            return _bad("text must be a string", request)
        msg_key = f"{user}:{msg_id}" if isinstance(msg_id, str) and 0 < len(msg_id) <= 100 else None
        inc = Incoming(CHANNEL, user, text, chat_id=user, message_id=msg_key,
                       lang="zh" if lang == "zh" else "en" if lang == "en" else None,
                       raw={"origin": origin_of(key, address(request))})
        try:
            result = await engine.handle_async(inc)
        except InvalidId as exc:
            return _bad(str(exc), request)
        return JSONResponse(to_json(result))

    async def updates(request: Request) -> Response:
        user = member(request)
        if user is None:
            return _no_session(request)
        items = await engine.run_async(engine.pending_for, CHANNEL, user)
        return JSONResponse({"messages": [{"text": str(i.payload.get("text_only") or i.payload.get("text", "")),
                                           "kind": i.kind} for i in items]})

    async def history(request: Request) -> Response:
        user = member(request)
        if user is None:
            return _no_session(request)
        return JSONResponse({"messages": await engine.run_async(engine.history, CHANNEL, user)})

    return [Route("/", index), Route("/api/chat", chat, methods=["POST"]), Route("/api/updates", updates),
            Route("/api/history", history)]
