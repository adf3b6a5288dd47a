"""Announcement throughput and Telegram's limits: 10,000 members over Telegram, WeChat and the web chat, through
local fake platform servers.

1. Limiter lifted: one announcement to everyone, queued (`announce`) and delivered by a worker; messages/s.
2. Telegram's limit on (30/s overall, 1/s per chat), two workers sharing the limiter through the database: the
   same kind of announcement to N Telegram members; the largest number of messages the fake received in any
   one-second window (sliding, to the microsecond) must not exceed 30.
3. The same N messages sent directly with python-telegram-bot's own AIORateLimiter (overall_max_rate=30) against
   the same fake, in the same run: its rate and its largest one-second window, and the ratio to ours.

Run: python bench/broadcast.py [--members 10000] [--limited 300] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import socket
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from sqlalchemy import Engine, insert
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app.settings import Settings
from bot.app.wiring import senders_for
from bot.app.worker import Worker
from bot.channels.telegram import TelegramSettings
from bot.channels.wechat import WeChatSettings
from bot.desk import announcements
from bot.storage.database import make_engine, scratch_schema, upgrade
from bot.storage.models import Conversation, MemberPrefs

TOKEN = "123456:BENCH-token"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


class ServerThread:
    """uvicorn on a free loopback port in a thread (as tests/fakes.py, which a benchmark does not import)."""

    def __init__(self, app: Any):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


class Recorder:
    """Fake Telegram Bot API and WeChat customer-service API that note when each message arrived."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.arrivals: dict[str, list[float]] = {"telegram": [], "wechat": []}

    def app(self) -> Starlette:
        me = {"id": 7000000001, "is_bot": True, "first_name": "GASME", "username": "gasme_bench_bot"}

        async def telegram(request: Request) -> Response:
            method = request.path_params["method"]
            if method == "getMe":
                return JSONResponse({"ok": True, "result": me})
            params = dict(parse_qsl((await request.body()).decode()))
            if not params and request.headers.get("content-type", "").startswith("application/json"):
                params = await request.json()
            with self.lock:
                self.arrivals["telegram"].append(time.monotonic())
            return JSONResponse({"ok": True, "result": {
                "message_id": 1, "date": 1764150000, "text": params.get("text", ""), "from": me,
                "chat": {"id": int(str(params.get("chat_id", "0"))), "type": "private"}}})

        async def wx_token(request: Request) -> Response:
            return JSONResponse({"access_token": "T", "expires_in": 7200})

        async def wx_send(request: Request) -> Response:
            await request.body()
            with self.lock:
                self.arrivals["wechat"].append(time.monotonic())
            return JSONResponse({"errcode": 0, "errmsg": "ok"})

        return Starlette(routes=[Route("/bot{token}/{method}", telegram, methods=["POST", "GET"]),
                                 Route("/cgi-bin/token", wx_token),
                                 Route("/cgi-bin/message/custom/send", wx_send, methods=["POST"])])

    def reset(self) -> None:
        with self.lock:
            for v in self.arrivals.values():
                v.clear()


def max_window(times: list[float], width: float = 1.0) -> int:
    """The most arrivals in any window [t, t + width) over the sorted times (sliding, starting at each arrival)."""
    times = sorted(times)
    return max((bisect.bisect_left(times, t + width) - i for i, t in enumerate(times)), default=0)


def seed(db: Engine, n: int, prefix: str = "", telegram_only: bool = False) -> dict[str, int]:
    """n members: Telegram 50 %, WeChat 30 % (a third of them silent for over 48 hours), web chat 20 %; 5 %
    opted out of announcements."""
    rows: list[dict[str, Any]] = []
    prefs: list[dict[str, Any]] = []
    per: dict[str, int] = {}
    for i in range(n):
        k = i % 10
        channel = "telegram" if telegram_only or k < 5 else ("wechat" if k < 8 else "webchat")
        user = str(100_000_000 + i) if channel == "telegram" else f"{prefix}{channel[:2]}{i:06d}"
        last = NOW - timedelta(hours=60) if channel == "wechat" and i % 3 == 0 else NOW - timedelta(hours=1)
        rows.append({"channel": channel, "user_id": user, "chat_id": user, "lang": "zh" if i % 2 else "en",
                     "state": {}, "created_at": last, "updated_at": last})
        if i % 20 == 7:
            prefs.append({"channel": channel, "user_id": user, "announcements": False, "reminders": True,
                          "updated_at": NOW})
        per[channel] = per.get(channel, 0) + 1
    with db.begin() as conn:
        conn.execute(insert(Conversation), rows)
        if prefs:
            conn.execute(insert(MemberPrefs), prefs)
    return per


def settings(base: str) -> Settings:
    return Settings(channels=(TelegramSettings(TOKEN, api_base=base, max_rate=30, chat_rate=1),
                              WeChatSettings("t", "wx", "s", api_base=base)))


def announce(db: Engine) -> tuple[int, float]:
    t0 = time.perf_counter()
    ann = announcements.create(db, "GASME news: the 2027 calendar is out.", "GASME消息：2027年活动日历已发布。", None,
                               NOW)
    announcements.queue(db, ann, NOW)
    return ann, time.perf_counter() - t0


def run_workers(db: Engine, s: Settings, limited: bool, workers: int) -> float:
    def one() -> None:
        Worker(db, senders_for(s, db, paced=limited), lambda: NOW, skip_channels=("slack",)).drain(
            rounds=1_000_000)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=one) for _ in range(workers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t0


async def ptb_send(base: str, chats: list[int]) -> None:
    from telegram.ext import AIORateLimiter, ExtBot
    from telegram.request import HTTPXRequest

    bot: ExtBot[Any] = ExtBot(TOKEN, base_url=f"{base}/bot", rate_limiter=AIORateLimiter(overall_max_rate=30,
                                                                                         overall_time_period=1),
                              request=HTTPXRequest(connection_pool_size=32))
    async with bot:
        await asyncio.gather(*(bot.send_message(chat_id=c, text="GASME news: the 2027 calendar is out.")
                               for c in chats))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--members", type=int, default=10_000)
    ap.add_argument("--limited", type=int, default=300, help="Telegram members for the rate-limited runs")
    ap.add_argument("--db", help="database URL (default: a SQLite file in a temporary directory)")
    args = ap.parse_args()
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    rec = Recorder()
    with ServerThread(rec.app()) as server, tempfile.TemporaryDirectory() as tmp:
        base = f"http://127.0.0.1:{server.port}"
        s = settings(base)
        for phase in ("lifted", "limited"):
            url = args.db or f"sqlite:///{Path(tmp) / f'{phase}.db'}"
            with scratch_schema(url, "bench_broadcast") as scoped:
                db = make_engine(scoped)
                upgrade(db)
                rec.reset()
                if phase == "lifted":
                    per = seed(db, args.members)
                    _, queue_s = announce(db)
                    took = run_workers(db, s, limited=False, workers=1)
                    sent = len(rec.arrivals["telegram"]) + len(rec.arrivals["wechat"])
                    [row] = announcements.listing(db)
                    print(f"members: {per}  (webchat members pull their copy; not counted as sends)")
                    print(f"announce (queue {args.members} recipients): {queue_s:.2f} s "
                          f"= {args.members / queue_s:,.0f} recipients/s")
                    print(f"limiter lifted, 1 worker: {sent} messages in {took:.2f} s = {sent / took:,.0f} messages/s"
                          f"  (sent {row['sent']}, unreachable {row['unreachable']}, opted out {row['opted_out']},"
                          f" pending {row['pending']} = web chat)")
                else:
                    seed(db, args.limited, telegram_only=True)
                    announce(db)
                    took = run_workers(db, s, limited=True, workers=2)
                    times = rec.arrivals["telegram"]
                    ours_rate = (len(times) - 1) / (max(times) - min(times))
                    ours_window = max_window(times)
                    print(f"Telegram limit on (30/s, 1/s per chat), 2 workers sharing it: {len(times)} messages, "
                          f"{ours_rate:.1f} messages/s, largest one-second window {ours_window} "
                          f"({'within' if ours_window <= 30 else 'OVER'} the limit)")
                db.dispose()
        rec.reset()
        chats = [100_000_000 + i for i in range(args.limited)]
        asyncio.run(ptb_send(base, chats))
        times = rec.arrivals["telegram"]
        ptb_rate = (len(times) - 1) / (max(times) - min(times))
        ptb_window = max_window(times)
        print(f"python-telegram-bot AIORateLimiter(overall_max_rate=30): {len(times)} messages, {ptb_rate:.1f} "
              f"messages/s, largest one-second window {ptb_window} "
              f"({'within' if ptb_window <= 30 else 'OVER'} the limit)")
        print(f"ours / PTB messages/s: {ours_rate / ptb_rate:.2f}")


if __name__ == "__main__":
    main()
