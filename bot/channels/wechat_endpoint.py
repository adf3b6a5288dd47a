"""WeChat's /wechat route: the named steps of bot/channels/wechat.py in order, with the two things a call needs
beyond them: answering WeChat's retries of a message once, and a deadline that counts from the call's arrival."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.channels import wechat
from bot.channels.wechat import (
    CHANNEL,
    Guard,
    Message,
    Query,
    Refused,
    Unavailable,
    WeChatSettings,
    _clock,
    answer_in_time,
    check_fresh,
    check_mode,
    check_replay,
    decrypt,
    finish_late,
    message_key,
    parse,
    passive_reply,
    render,
    seal,
    split_bytes,
    translate,
    verify,
)
from bot.channels.wechat_crypto import Crypto
from bot.engine import BotEngine
from bot.messages import Incoming, TurnResult

log = logging.getLogger("bot.channels.wechat")

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
        deadline = _clock() + wechat.PASSIVE_SECONDS  # the window starts when the call arrives
        try:
            return await self.steps(request, Query.of(request.query_params), deadline)
        except Refused as refused:
            if refused.why:
                log.warning("wechat: %s (from %s)", refused.why, request.client.host if request.client else "?")
            return refused.response()
        except Unavailable as down:
            # Nothing was stored: let WeChat's wait run out, so that it sends the call again (up to three times).
            log.error("wechat: database unavailable, the call is left for WeChat to retry: %s", down)
            await asyncio.sleep(max(0.0, deadline - wechat.PASSIVE_SECONDS + RETRY_AFTER - _clock()))
            return PlainTextResponse("retry later", status_code=503)
