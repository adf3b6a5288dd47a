"""How python-telegram-bot reaches the Bot API: over aiohttp instead of its default httpx client.

PTB leaves the HTTP client to a `BaseRequest` subclass. Its default (httpx over httpcore) checked every pooled
connection's socket on each request, and with a reply per update that was the largest cost of a webhook turn after
the turn itself: measured against a local fake Bot API, 16 chats at once, 1.5 ms of CPU per sendMessage with httpx
against 0.25 ms with aiohttp (one chat at a time: 0.76 against 0.30). bench/webhook.py prints the whole effect.

Same behaviour as the default: the parameters go as a form (files as multipart), the same default timeouts, and
timeouts and connection failures raise PTB's own `TimedOut` and `NetworkError`, so PTB's retries and the rate
limiter work as before.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB's own defaults (HTTPXRequest): seconds.
READ, WRITE, CONNECT, POOL, MEDIA_WRITE = 5.0, 5.0, 5.0, 1.0, 20.0


class AiohttpRequest(BaseRequest):
    """One aiohttp session per request object, opened by PTB's `initialize` inside the running event loop.
    `connections`: how many at once (PTB's default is 256 for API calls, 1 for long polling)."""

    def __init__(self, connections: int = 256):
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return READ

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self._connections),
                                                  headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE, write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        read = _seconds(read_timeout, READ)
        write = _seconds(write_timeout, MEDIA_WRITE if files else WRITE)
        connect = _seconds(connect_timeout, CONNECT)
        pool = _seconds(pool_timeout, POOL)
        # aiohttp has no write timeout: the whole call is bounded by the sum of the phases instead, so a stalled
        # upload still ends. Its `connect` covers waiting for a pooled connection as well as opening one.
        parts = (read, write, connect, pool)
        timeout = aiohttp.ClientTimeout(total=None if None in parts else sum(p for p in parts if p is not None),
                                        connect=None if connect is None or pool is None else connect + pool,
                                        sock_connect=connect, sock_read=read)
        body: Any = _form(fields or {}, files) if files else fields
        try:
            async with self._session.request(method, url, data=body, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's own timeouts are TimeoutErrors too
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc


def _seconds(value: Any, default: float) -> float | None:
    """A timeout PTB passed, or the default when it passed none (DEFAULT_NONE); None means no limit."""
    return default if isinstance(value, type(BaseRequest.DEFAULT_NONE)) else value


def _form(fields: dict[str, str], files: dict[str, Any]) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form
