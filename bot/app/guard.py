"""What every response of `gasme-bot serve` goes through, whatever the route: request bodies bounded while they
stream, and the headers every page gets. A plain ASGI middleware, so it sees the body before any route buffers it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_LIMIT = 64 * 1024
# Per route prefix. Platform payloads are small (a Slack interactivity payload carries the whole message, hence
# more room); the web chat's messages are at most a few KiB of text.
ROUTE_LIMITS: dict[str, int] = {
    "/api/": 64 * 1024,
    "/slack/": 512 * 1024,
    "/telegram/": 256 * 1024,
    "/wechat": 256 * 1024,
    "/registration/": 4 * 1024,  # the page behind an email's link: a one-field form
}
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
# Over HTTPS: browsers use HTTPS only for the next year (no includeSubDomains: other hosts of the domain are not ours).
HSTS = (b"strict-transport-security", b"max-age=31536000")
# Responses about one member (their conversation, their updates): never kept by a browser or a proxy cache.
PERSONAL_PREFIXES = ("/api/", "/registration/")


def limit_for(path: str, limits: dict[str, int]) -> int:
    for prefix, limit in limits.items():
        if path.startswith(prefix):
            return limit
    return DEFAULT_LIMIT


async def _plain(send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"), *SECURITY_HEADERS, *(extra or [])]})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """Refuses a body over its route's limit with 413 as soon as it is known to be too big (from Content-Length,
    or while it streams), holding at most the limit in memory; adds the security headers to every response, and
    HSTS to those over HTTPS (`https`: always, as when GASME_PUBLIC_URL is https; else when the request came over
    HTTPS directly or, by uvicorn's proxy headers, from a proxy in FORWARDED_ALLOW_IPS)."""

    def __init__(self, app: ASGIApp, limits: dict[str, int] | None = None, https: bool = False):
        self.app = app
        self.limits = ROUTE_LIMITS if limits is None else limits
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit = limit_for(path, self.limits)
        extra = [HSTS] if self.https or scope.get("scheme") == "https" else []
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _plain(send, 400, "bad Content-Length", extra)
                return
            if int(declared) > limit:
                await _plain(send, 413, f"request body over {limit} bytes", extra)
                return
        # Read the whole body here, up to the limit, before the route runs: a route never sees a partial body,
        # and a chunked upload without Content-Length is cut off at the limit instead of being buffered whole.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _plain(send, 413, f"request body over {limit} bytes", extra)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()  # after the body: wait for the client to disconnect, as a route may ask

        personal = path.startswith(PERSONAL_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"x-content-type-options", b"referrer-policy")]
                headers += SECURITY_HEADERS + extra
                if personal and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, replay, send_with_headers)
