"""The web chat channel: a page at / and a small JSON API. Translation only, like every channel.

GET  /             the page; issues the visitor's session cookie when it has no valid one
POST /api/chat     {"text": "...", "lang": "en"|"zh", "id": unique-per-message}
                   -> {"replies": [{"text", "buttons": [{"label", "payload"}], "attachments": [...]}], "lang"}
GET  /api/updates  -> {"messages": [{"text", "kind"}]}: staff replies and notices queued for this member
GET  /api/history  -> {"messages": [{"who": "in"|"out"|"staff", "text"}]}: the conversation so far

The visitor is identified by a session cookie that GET / issues: a random id and its HMAC signature, HttpOnly
(page scripts never see it), SameSite=Lax, Secure behind HTTPS; a POST that a browser says comes from another site
(Origin, Sec-Fetch-Site) is refused with 403, so no other page can chat or erase data as the visitor. No member
id ever appears in a URL or a body; /api/* without a valid session answers 401. The id is the member's user id in
the engine, so only the session that owns a conversation reads its history and takes its updates.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.channels.contract import Adapter, Limiter, Mounted, Section, Serving, env
from bot.engine import BotEngine, InvalidId, check_ids
from bot.messages import Incoming, Lang, TurnResult, one_line

CHANNEL = "web"
COOKIE = "gasme_session"
SESSION_DAYS = 180
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebSettings(Section):
    """GASME_RATE_SESSION, GASME_RATE_ADDRESS: rate limits in the `limits` notation, a burst and a sustained rate."""

    rate_session: str = env("GASME_RATE_SESSION", "10 per 10 seconds; 200 per hour")
    rate_address: str = env("GASME_RATE_ADDRESS", "60 per minute; 2000 per hour")
    inbox_lease: float = env("GASME_INBOX_LEASE_SECONDS", 30.0)  # a stored message unanswered this long is taken up

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
    lease: timedelta = timedelta(seconds=30)  # how long a stored message is this process's to answer


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
        foreign = cross_site(request)
        if foreign is not None:
            return _bad(f"cross-site request refused: {foreign}", request, 403)
        for kind, who in (("session", user), ("address", _address(request))):
            verdict = await self.cfg.limiter.check(kind, who)
            if not verdict.allowed:
                log.warning("web chat: %s over its rate limit", kind)
                return _limited(verdict.retry_after)
        data = read_message(await request.body())  # bounded by the server's body limit (bot.app.guard)
        if isinstance(data, str):
            return _bad(data, request)
        text, lang, msg_id = data
        key = f"{user}:{msg_id}" if msg_id else None
        origin = origin_of(self.key, _address(request))
        inc = Incoming(CHANNEL, user, text, chat_id=user, message_id=key, lang=lang,
                       raw={"origin": origin, **({"inbox": "1"} if key else {})})
        try:
            check_ids(inc)
            result = await self._answer(inc, {"user": user, "text": text, "lang": lang, "origin": origin})
        except InvalidId as exc:
            return _bad(str(exc), request)
        except Exception as exc:  # the database is away: the page sends the message again (same id) later
            log.error("web chat: message not stored, the page will send it again: %s", one_line(exc))
            return _unavailable()
        if result.failed:
            return _unavailable()
        return JSONResponse(to_json(result))

    async def _answer(self, inc: Incoming, payload: dict[str, Any]) -> TurnResult:
        """The turn's result. A message with an id is stored before its turn, and its replies with the turn, so a
        page that sends it again (its answer was lost on the way, or the process died) gets the same replies."""
        engine, key = self.engine, inc.message_id
        if key is None:
            return await engine.handle_async(inc)
        if not await engine.run_async(engine.receive, CHANNEL, key, payload, self.cfg.lease):
            kept = await engine.run_async(engine.kept_replies, CHANNEL, key)
            if kept is not None:
                return TurnResult(kept, "duplicate", inc.lang or "en", duplicate=True)
        result = await engine.handle_async(inc)
        if result.duplicate:  # answered meanwhile by a request that is still on its way back
            kept = await engine.run_async(engine.kept_replies, CHANNEL, key)
            return result if kept is None else TurnResult(kept, "duplicate", inc.lang or "en", duplicate=True)
        return result

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
    except RecursionError:  # e.g. 50,000 "[": the decoder recurses once per level
        return "body must be JSON nested less deeply"
    if not isinstance(data, dict):
        return "body must be a JSON object"
    text, lang, msg_id = data.get("text"), data.get("lang"), data.get("id")
    if not isinstance(text, str):
        return "text must be a string"
    # JSON may carry a lone surrogate ("\ud800"), which no database column or platform can store or send.
    if not _encodable(text) or (isinstance(msg_id, str) and not _encodable(msg_id)):
        return "text must be valid Unicode (no lone surrogates)"
    return (text, "zh" if lang == "zh" else "en" if lang == "en" else None,
            msg_id if isinstance(msg_id, str) and 0 < len(msg_id) <= 100 else None)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def cross_site(request: Request) -> str | None:
    """Why a state-changing call comes from another site, or None. Browsers say where a request comes from
    (Sec-Fetch-Site; Origin on every POST), and a page of another site cannot forge either; the SameSite cookie
    alone is not enough (a sibling subdomain is "same site", and old browsers ignore the attribute). A client that
    sends neither header is not a browser acting for a visitor, so it gains nothing from the visitor's cookie."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return f"Sec-Fetch-Site: {fetch_site[:40]}"
    origin = request.headers.get("origin")
    if origin is None:
        return None
    host = request.headers.get("host", "")
    if origin == "null" or origin.partition("://")[2].rstrip("/") != host:
        return f"Origin {origin[:100]} is not this site ({host[:100]})"
    return None


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _limited(retry_after: int) -> Response:
    return JSONResponse({"error": "too many messages; please wait a moment"}, status_code=429,
                        headers={"Retry-After": str(retry_after)})


def _unavailable() -> Response:
    return JSONResponse({"error": "please send that again in a moment"}, status_code=503, headers={"Retry-After": "2"})


def _no_session(request: Request) -> Response:
    return _bad("no valid session: open the chat page first", request, 401)


def routes(engine: BotEngine, cfg: WebConfig) -> list[Route]:
    return WebChat(engine, cfg).routes()


async def take_up(engine: BotEngine, lease: timedelta) -> int:
    """One sweep: messages stored whose turn never committed (the process died, and the page gave up sending them
    again) are answered now; the replies wait for the page's next /api/updates."""
    taken = await engine.run_async(engine.unfinished, CHANNEL, lease, True)
    for item in taken:
        p = item.payload
        lang: Lang | None = "zh" if p.get("lang") == "zh" else "en" if p.get("lang") == "en" else None
        inc = Incoming(CHANNEL, str(p["user"]), str(p["text"]), chat_id=str(p["user"]), message_id=item.key,
                       lang=lang, raw={"origin": p.get("origin"), "inbox": "1"})
        result = await engine.handle_async(inc)
        if not result.failed and not result.duplicate and result.replies:
            await engine.run_async(engine.send_later, CHANNEL, inc.user_id, inc.user_id,
                                   [r.text for r in result.replies])
    return len(taken)


def mount(section: WebSettings, serving: Serving) -> Mounted:
    limiter = serving.limiter({"session": section.rate_session, "address": section.rate_address})
    lease = timedelta(seconds=section.inbox_lease)
    cfg = WebConfig(serving.secret_key, limiter, serving.secure_cookies, lease)

    async def sweep() -> None:
        while True:
            await asyncio.sleep(max(0.5, section.inbox_lease / 2))
            try:
                if await take_up(serving.engine, lease):
                    log.warning("web chat: answered stored messages left unanswered")
            except Exception as exc:  # the database is away: the rows wait for the next sweep
                log.warning("web chat: inbox sweep failed: %s", one_line(exc))

    return Mounted(routes(serving.engine, cfg), "web chat (/)", sweep)


ADAPTER = Adapter(CHANNEL, WebSettings, mount)
