"""The web chat channel: a page at / and a small JSON API. Translation only, like every channel.

POST /api/chat     {"user": ID, "text": "...", "lang": "en"|"zh", "id": unique-per-message}
                   -> {"replies": [{"text", "buttons": [{"label", "payload"}], "attachments": [...]}], "lang"}
GET  /api/updates  ?user=ID -> {"messages": [{"text", "kind"}]}: staff replies and notices queued for this member
GET  /api/history  ?user=ID -> {"messages": [{"who": "in"|"out"|"staff", "text"}]}: the conversation so far
The member's id is an anonymous random string the page keeps in local storage.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from bot.engine import BotEngine
from bot.messages import Incoming, TurnResult

CHANNEL = "web"
log = logging.getLogger(__name__)
_USER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_BODY = 64 * 1024


def _bad(why: str, request: Request) -> Response:
    log.warning("web chat: refused request from %s: %s", request.client.host if request.client else "?", why)
    return JSONResponse({"error": why}, status_code=400)


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


def routes(engine: BotEngine) -> list[Route]:
    page = resources.files("bot.channels").joinpath("web/index.html").read_text(encoding="utf-8")

    async def index(request: Request) -> Response:
        return HTMLResponse(page, headers={"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                                           "style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                                           "connect-src 'self'; frame-ancestors 'none'"})

    async def chat(request: Request) -> Response:
        raw = await request.body()
        if len(raw) > MAX_BODY:
            return _bad("message too large", request)
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return _bad("body must be JSON", request)
        if not isinstance(data, dict):
            return _bad("body must be a JSON object", request)
        user, text, lang, msg_id = data.get("user"), data.get("text"), data.get("lang"), data.get("id")
        if not isinstance(user, str) or not _USER.match(user):
            return _bad("user must be 8-64 letters, digits, - or _", request)
        if not isinstance(text, str):
            return _bad("text must be a string", request)
        key = f"{user}:{msg_id}" if isinstance(msg_id, str) and 0 < len(msg_id) <= 100 else None
        inc = Incoming(CHANNEL, user, text, chat_id=user, message_id=key,
                       lang="zh" if lang == "zh" else "en" if lang == "en" else None)
        result = await engine.handle_async(inc)
        return JSONResponse(to_json(result))

    def _user(request: Request) -> str | None:
        user = request.query_params.get("user", "")
        return user if _USER.match(user) else None

    async def updates(request: Request) -> Response:
        user = _user(request)
        if user is None:
            return _bad("bad user", request)

        items = await engine.run_async(engine.pending_for, CHANNEL, user)
        return JSONResponse({"messages": [{"text": str(i.payload.get("text_only") or i.payload.get("text", "")),
                                           "kind": i.kind} for i in items]})

    async def history(request: Request) -> Response:
        user = _user(request)
        if user is None:
            return _bad("bad user", request)

        return JSONResponse({"messages": await engine.run_async(engine.history, CHANNEL, user)})

    return [Route("/", index), Route("/api/chat", chat, methods=["POST"]), Route("/api/updates", updates),
            Route("/api/history", history)]
