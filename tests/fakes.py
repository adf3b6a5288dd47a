"""Local HTTP servers that stand in for platform APIs. The real client libraries talk to them over real HTTP
(their base_url options); tests assert on what the servers received."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@contextlib.contextmanager
def visitor(url: str, **headers: str) -> Iterator[httpx.Client]:
    """A browser-like web chat visitor: it loads the page first, which gives it its session cookie."""
    with httpx.Client(base_url=url, timeout=30, headers=headers) as client:
        assert client.get("/").status_code == 200
        yield client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerThread:
    """Runs an ASGI app with uvicorn on a free loopback port in a background thread."""

    def __init__(self, app: Any):
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class FakeSlack:
    """The parts of the Slack Web API the bot uses: auth.test, chat.postMessage, chat.update, chat.postEphemeral."""

    calls: list[Call] = field(default_factory=list)
    down: bool = False
    hold: threading.Event | None = None  # when set: every call waits until the event is set (a hanging Slack)
    _ts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        async def api(request: Request) -> Response:
            method = request.path_params["method"]
            if self.down:
                return Response("upstream unavailable", status_code=503)
            if self.hold is not None:
                self.calls.append(Call("held:" + method, {}))
                await asyncio.to_thread(self.hold.wait, 60)
            raw = await request.body()
            if request.headers.get("content-type", "").startswith("application/json"):
                params = json.loads(raw or b"{}")
            else:
                params = dict(parse_qsl(raw.decode()))
            for key in ("blocks",):
                if isinstance(params.get(key), str):
                    params[key] = json.loads(params[key])
            with self.lock:
                self.calls.append(Call(method, params))
                self._ts += 1
                ts = f"1700000000.{self._ts:06d}"
            if method == "auth.test":
                return JSONResponse({"ok": True, "url": "https://gasme.slack.com/", "team": "GASME", "user": "bot",
                                     "team_id": "T0001", "user_id": "UBOT", "bot_id": "BBOT"})
            if method == "chat.postMessage":
                return JSONResponse({"ok": True, "channel": params.get("channel"), "ts": ts,
                                     "message": {"text": params.get("text"), "ts": ts}})
            if method in ("chat.update", "chat.postEphemeral"):
                return JSONResponse({"ok": True, "channel": params.get("channel"), "ts": params.get("ts", ts)})
            return JSONResponse({"ok": False, "error": "unknown_method"})

        return Starlette(routes=[Route("/api/{method}", api, methods=["POST", "GET"])])

    def called(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]


@dataclass
class FakeTelegram:
    """The Bot API methods the bot uses. `rate_limit_next` makes the next sendMessage calls answer 429,
    `fail_next` makes them answer 502 (Telegram away); `updates` are what getUpdates (long polling) hands out."""

    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    rate_limit_next: int = 0
    fail_next: int = 0
    _message_id: int = 100
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        async def api(request: Request) -> Response:
            method = request.path_params["method"]
            ctype = request.headers.get("content-type", "")
            if ctype.startswith("multipart/form-data"):
                params: dict[str, Any] = {}
                async with request.form() as form:  # closes the uploaded files' temporary storage
                    for k, v in form.multi_items():
                        params[k] = v if isinstance(v, str) else {"filename": v.filename, "data": await v.read()}
            elif ctype.startswith("application/json"):
                params = json.loads(await request.body() or b"{}")
            else:
                params = dict(parse_qsl((await request.body()).decode()))
            with self.lock:
                if method == "sendMessage" and self.rate_limit_next > 0:
                    self.rate_limit_next -= 1
                    self.calls.append(Call("429", params))
                    return JSONResponse({"ok": False, "error_code": 429,
                                         "description": "Too Many Requests: retry after 1",
                                         "parameters": {"retry_after": 1}}, status_code=429)
                if method == "sendMessage" and self.fail_next > 0:
                    self.fail_next -= 1
                    self.calls.append(Call("502", params))
                    return JSONResponse({"ok": False, "error_code": 502, "description": "Bad Gateway"},
                                        status_code=502)
                self.calls.append(Call(method, params))
                self._message_id += 1
                mid = self._message_id
            me = {"id": 7000000001, "is_bot": True, "first_name": "GASME Assistant", "username": "gasme_member_bot",
                  "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
            if method == "getMe":
                return JSONResponse({"ok": True, "result": me})
            if method == "getUpdates":
                offset = int(str(params.get("offset") or 0))
                with self.lock:
                    pending = [u for u in self.updates if u["update_id"] >= offset]
                if not pending:
                    await asyncio.sleep(0.1)  # a short long poll
                return JSONResponse({"ok": True, "result": pending})
            if method in ("sendMessage", "sendDocument"):
                chat_id = int(str(params.get("chat_id", "0")))
                result = {"message_id": mid, "from": me, "date": 1764150000,
                          "chat": {"id": chat_id, "type": "private", "first_name": "Member"}}
                if method == "sendMessage":
                    result["text"] = params.get("text", "")
                else:
                    result["document"] = {"file_id": f"F{mid}", "file_unique_id": f"U{mid}",
                                          "file_name": "event.ics"}
                return JSONResponse({"ok": True, "result": result})
            return JSONResponse({"ok": True, "result": True})

        return Starlette(routes=[Route("/bot{token}/{method}", api, methods=["POST", "GET"])])

    def called(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [c.params for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int, timeout: float = 15) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.called(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} {method} calls, got {self.called(method)}")
            time.sleep(0.02)
        return self.called(method)


@dataclass
class FakeWeChat:
    """The WeChat API calls the bot makes: cgi-bin/token and cgi-bin/message/custom/send."""

    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        async def token(request: Request) -> Response:
            with self.lock:
                self.calls.append(Call("token", dict(request.query_params)))
            return JSONResponse({"access_token": "ACCESS_TOKEN_1", "expires_in": 7200})

        async def custom_send(request: Request) -> Response:
            body = json.loads(await request.body())
            with self.lock:
                token = request.query_params.get("access_token")
                self.calls.append(Call("custom_send", {**body, "access_token": token}))
            return JSONResponse({"errcode": 0, "errmsg": "ok"})

        return Starlette(routes=[Route("/cgi-bin/token", token), Route("/cgi-bin/message/custom/send", custom_send,
                                                                       methods=["POST"])])

    def called(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [c.params for c in self.calls if c.method == method]
