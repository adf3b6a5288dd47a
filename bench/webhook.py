"""Telegram webhook throughput: `gasme-bot serve` against a bare python-telegram-bot echo bot, same fake Bot API.

Two mixes, each against the echo bot in the same run:
- `scripted`: FAQ questions, calendar questions and full registrations (many turns need no model);
- `free`: members' own wordings of FAQ questions and questions the knowledge does not cover (the development
  paraphrases, tests/data/paraphrases.yaml `dev`), most of which need the model. The bots run with
  GASME_EMBED_CACHE=0 unless --embed-cache says otherwise, so every message is embedded: repeated paraphrases
  would otherwise be answered from memory and flatter the figures.

Both servers run as real processes (uvicorn) and answer with sendMessage to a fake Bot API served by this script: the
echo bot's webhook route hands the update to PTB's queue and a PTB handler echoes it; gasme-bot's route runs the turn
(which stores the update), answers 200, then sends the replies through PTB's bot. Virtual members talk like people:
each sends its next message when the answer to the last one has arrived. Our members mix FAQ questions, calendar
questions and full registrations (new members in every run, and a new member for every pass through the script,
which registers once); the echo bot just echoes. Latency is from the webhook POST to the bot's sendMessage reaching
the fake; throughput is answered updates per second. The two bots take turns,
several runs each, and the medians are reported: this machine's speed drifts from second to second, and runs taken
in turns see the same drift. Each bot's CPU time per update (from /proc) is printed too: it is steadier than
wall-clock rates, and the echo bot's rate is partly held back by this script, which shares the machine.
Each gasme bot has a database of its own (a file each on SQLite, a schema each with --db on PostgreSQL), so one
bot's writes never hold up another's. With `--before DIR` (the source tree of an earlier commit, e.g. from
`git archive COMMIT | tar -x -C DIR`), that code runs as one more bot in the same turns and the ratio now/before is
printed: a change is measured against the code before it, on the same machine in the same minutes.
Run: python bench/webhook.py [--mix scripted|free|both] [--members 16] [--rounds 40] [--repeat 5] [--db URL]
     [--before DIR] [--compare-inline]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.storage.database import scratch_schema

TOKEN = "123456:BENCH-token"
UPDATE_IDS = itertools.count(int(time.time()) * 1000)
SECRET = "bench-secret"
SCRIPT = ["When was GASME founded?", "events in Germany", "/register global-sme-expo-2027", "Member {n}",
          "Company {n}", "member{n}@example.com", "yes", "GASME是什么时候成立的？", "下个月有什么活动",
          "my registrations"]
ROOT = Path(__file__).resolve().parent.parent


def paraphrases() -> list[str]:
    """Members' own wordings from the development set: FAQ questions and questions the knowledge cannot answer."""
    import yaml

    dev = yaml.safe_load((ROOT / "tests" / "data" / "paraphrases.yaml").read_text(encoding="utf-8"))["dev"]
    return [item["q"] for part in ("in_scope", "out_of_scope") for item in dev[part]]


FREE = paraphrases()
RETRIED: dict[str, int] = defaultdict(int)  # updates refused with 503 and sent again
LOST: dict[str, int] = defaultdict(int)  # messages never answered, per bot


def message(mix: str, chat: int, n: int, i: int) -> str:
    if mix == "echo":
        return f"echo {i}"
    if mix == "free":
        return FREE[(n * 37 + i) % len(FREE)]
    return SCRIPT[i % len(SCRIPT)].format(n=chat)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the echo bot (run as: python bench/webhook.py --echo PORT API_BASE) ---------------------------------------------

def run_echo(port: int, api_base: str, max_rate: float) -> None:
    from telegram import Update
    from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

    app = (ApplicationBuilder().token(TOKEN).base_url(f"{api_base}/bot").updater(None)
           .rate_limiter(AIORateLimiter(overall_max_rate=max_rate, max_retries=3)).concurrent_updates(8).build())

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "")

    app.add_handler(MessageHandler(filters.ALL, echo))

    async def webhook(request: Request) -> Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != SECRET:
            return JSONResponse({}, status_code=403)
        await app.update_queue.put(Update.de_json(json.loads(await request.body()), app.bot))
        return JSONResponse({"ok": True})

    async def lifespan(_: Starlette) -> Any:
        await app.initialize()
        await app.start()
        yield
        await app.stop()
        await app.shutdown()

    web = Starlette(routes=[Route("/telegram/webhook", webhook, methods=["POST"]),
                            Route("/healthz", lambda r: JSONResponse({"ok": True}))],
                    lifespan=contextlib.asynccontextmanager(lifespan))
    uvicorn.run(web, host="127.0.0.1", port=port, log_level="warning")


# --- the fake Bot API and the driver ---------------------------------------------------------------------------------

class Fake:
    def __init__(self) -> None:
        self.waiting: dict[str, list[asyncio.Future[float]]] = defaultdict(list)
        self.next_id = 0

    def app(self) -> Starlette:
        me = {"id": 7000000001, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}

        async def api(request: Request) -> Response:
            method = request.path_params["method"]
            raw = (await request.body()).decode()
            params = json.loads(raw) if raw.startswith("{") else dict(parse_qsl(raw))
            if method == "getMe":
                return JSONResponse({"ok": True, "result": me})
            if method == "sendMessage":
                now = time.perf_counter()
                chat = str(params.get("chat_id"))
                waiters = self.waiting.get(chat)
                if waiters:
                    fut = waiters.pop(0)
                    if not fut.done():
                        fut.set_result(now)
                self.next_id += 1
                return JSONResponse({"ok": True, "result": {"message_id": self.next_id, "date": 0, "text": "",
                                                            "chat": {"id": int(chat), "type": "private"}}})
            return JSONResponse({"ok": True, "result": True})

        return Starlette(routes=[Route("/bot{token}/{method}", api, methods=["POST", "GET"])])


async def drive(bot_url: str, fake: Fake, members: int, rounds: int, mix: str,
                first_member: int = 0) -> tuple[float, list[float]]:
    latencies: list[float] = []
    async with httpx.AsyncClient(timeout=60) as client:
        async def member(n: int) -> None:
            for i in range(rounds):
                # New members each run, so every run is the same work. In the scripted mix each pass through the
                # script is a new member too: a second pass by the same one asked to register again for an event it
                # was registered for, its form answers then read as questions, and two misses in a row handed it to
                # staff for the rest of the run, where every message is read by meaning. Not the mix this measures.
                again = i // len(SCRIPT) if mix == "scripted" else 0
                chat = 900000 + first_member + n + 10_000_000 * again
                text = message(mix, chat, first_member + n, i)
                update_id = next(UPDATE_IDS)  # never reused: a reused id is a redelivery and gets no answer
                update = {"update_id": update_id, "message": {
                    "message_id": i + 1, "date": int(time.time()), "text": text,
                    "from": {"id": chat, "is_bot": False, "first_name": f"M{n}", "language_code": "en"},
                    "chat": {"id": chat, "type": "private", "first_name": f"M{n}"}}}
                fut: asyncio.Future[float] = asyncio.get_running_loop().create_future()
                fake.waiting[str(chat)].append(fut)
                t0 = time.perf_counter()
                while True:  # as Telegram does: an update refused with 503 (not stored in time) is sent again
                    r = await client.post(f"{bot_url}/telegram/webhook", json=update,
                                          headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
                    if r.status_code != 503:
                        break
                    RETRIED[bot_url] += 1
                    await asyncio.sleep(0.5)
                r.raise_for_status()
                try:
                    latencies.append((await asyncio.wait_for(fut, 120)) - t0)
                except TimeoutError:  # no answer in two minutes: counted as lost, and the member goes on
                    LOST[bot_url] += 1

        start = time.perf_counter()
        await asyncio.gather(*(member(n) for n in range(members)))
        return time.perf_counter() - start, latencies


async def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(f"{url} exited; see its log in the bench working directory")
            with contextlib.suppress(httpx.TransportError):  # not listening yet: try again shortly
                if (await client.get(f"{url}/healthz")).status_code == 200:
                    r = await client.post(f"{url}/telegram/webhook", content=b"{}")
                    if r.status_code != 503:  # the Telegram channel has started
                        return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not start")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] * 1000


def start_bot(name: str, api_base: str, db_url: str, workdir: Path,
              args: argparse.Namespace) -> tuple[str, Any, Any]:
    max_rate = args.max_rate
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "WEB_CONCURRENCY"}  # one process each: like for like
    if name == "echo":
        cmd = [sys.executable, __file__, "--echo", str(port), api_base, str(max_rate)]
    if name == "gasme-lexical":  # the same bot without embeddings: lexical matching only
        env["GASME_EMBEDDER"] = "none"
    if name == "gasme-inline":  # the model inside the turn, one message per call, as before batching
        env |= {"GASME_READ_AHEAD": "0", "GASME_EMBED_BATCH": "1"}
    if name == "gasme-before":  # the earlier code first on the path
        env["PYTHONPATH"] = str(Path(args.before).resolve())
    if name != "echo":
        cmd = [str(Path(sys.executable).parent / "gasme-bot"), "serve", "--now", "2026-11-26T10:00:00"]
        env |= {"PORT": str(port), "HOST": "127.0.0.1", "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET,
                "TELEGRAM_API_BASE_URL": api_base, "DATABASE_URL": db_url, "GASME_WORKER_IN_PROCESS": "0",
                "TELEGRAM_MAX_RATE": str(max_rate), "GASME_EMBED_CACHE": str(args.embed_cache)}
    log_file = open(workdir / f"{name}.log", "wb")  # noqa: SIM115 - open while the process runs
    proc = subprocess.Popen(cmd, env=env, cwd=workdir, stdout=log_file, stderr=subprocess.STDOUT)
    return f"http://127.0.0.1:{port}", proc, log_file


async def main_async(args: argparse.Namespace) -> None:
    fake = Fake()
    fake_port = free_port()
    # Idle connections kept open a long while: a bot that pauses must not meet a connection closing under it.
    server = uvicorn.Server(uvicorn.Config(fake.app(), host="127.0.0.1", port=fake_port, log_level="warning",
                                           lifespan="off", timeout_keep_alive=120))
    serve_task = asyncio.create_task(server.serve())
    api_base = f"http://127.0.0.1:{fake_port}"
    workdir = Path(tempfile.mkdtemp())
    mixes = ["scripted", "free"] if args.mix == "both" else [args.mix]
    names = [n for n in OFFSET if (n != "gasme-inline" or args.compare_inline) and (n != "gasme-before" or args.before)]
    with contextlib.ExitStack() as stack:
        urls = {name: stack.enter_context(scratch_schema(args.db or f"sqlite:///{workdir}/{name}.db",
                                                         name.replace("-", "_"))) for name in names}
        found = await measure(args, mixes, fake, api_base, urls, workdir)
    server.should_exit = True
    await serve_task
    print(f"Telegram webhook, {args.members} members x {args.rounds} messages, {args.repeat} runs each (median), "
          f"{os.cpu_count()} cores, send limit {args.max_rate:g}/s, embedding memory {args.embed_cache}")
    for mix in mixes:
        report(args, mix, *found[mix])
    if LOST:
        print(f"never answered (two minutes): {dict(LOST)}")


def report(args: argparse.Namespace, mix: str, rates: Series, latencies: Series, cpu: Series) -> None:
    print(f"\n{mix} mix ({'members own wordings' if mix == 'free' else 'FAQ, calendar, registrations'})")
    print(f"{'bot':<28} {'updates/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/update':>14}   runs (updates/s)")
    db = "PostgreSQL" if (args.db or "").startswith("postgres") else "SQLite"
    labels = {"echo": "bare PTB echo bot", "gasme": f"gasme-bot serve ({db})",
              "gasme-lexical": "  the same, lexical only", "gasme-inline": "  the same, model in the turn",
              "gasme-before": "  the code of --before"}
    for name, label in labels.items():
        if name not in rates:
            continue
        runs = " ".join(f"{r:.0f}" for r in rates[name])
        print(f"{label:<28} {statistics.median(rates[name]):>10.1f} {pct(latencies[name], 50):>8.1f} "
              f"{pct(latencies[name], 99):>8.1f} {statistics.median(cpu[name]):>14.2f}   {runs}")
    retried = {name: n for name, n in RETRIED.items() if n}
    if retried:
        print(f"updates refused with 503 and sent again (all mixes so far): {retried}")
    ratios = [g / e for g, e in zip(rates["gasme"], rates["echo"], strict=True)]
    echo = statistics.median(rates["echo"])
    print(f"throughput ratio gasme/echo: {statistics.median(rates['gasme']) / statistics.median(rates['echo']):.2f} "
          f"(per run: {' '.join(f'{r:.2f}' for r in ratios)}); lexical only/echo: "
          f"{statistics.median(rates['gasme-lexical']) / statistics.median(rates['echo']):.2f}"
          + (f"; model in the turn/echo: {statistics.median(rates['gasme-inline']) / echo:.2f}"
             if "gasme-inline" in rates else ""))
    if "gasme-before" in rates:
        per_run = [g / b for g, b in zip(rates["gasme"], rates["gasme-before"], strict=True)]
        now_before = statistics.median(rates["gasme"]) / statistics.median(rates["gasme-before"])
        print(f"throughput ratio now/before: {now_before:.2f}"
              f" (per run: {' '.join(f'{r:.2f}' for r in per_run)}); CPU ms/update now/before: "
              f"{statistics.median(cpu['gasme']) / statistics.median(cpu['gasme-before']):.2f}")


Series = dict[str, list[float]]
# Every run and mix brings new members: no one is mid-form from before.
OFFSET = {"echo": 0, "gasme": 0, "gasme-lexical": 500, "gasme-inline": 700, "gasme-before": 900}
MIX_OFFSET = {"scripted": 0, "free": 50_000}


async def measure(args: argparse.Namespace, mixes: list[str], fake: Fake, api_base: str, urls: dict[str, str],
                  workdir: Path) -> dict[str, tuple[Series, Series, Series]]:
    """The bots up (`urls`: each bot's database), then the runs, taken in turns: updates per second, latencies,
    CPU ms per update, per mix."""
    bots = {name: start_bot(name, api_base, url, workdir, args) for name, url in urls.items()}
    found: dict[str, tuple[Series, Series, Series]] = {}
    try:
        for name, (url, proc, _) in bots.items():
            await wait_up(url, proc)
            await drive(url, fake, 2, 2, "echo" if name == "echo" else "scripted", OFFSET[name])  # warm up
        for mix in mixes:
            rates: Series = defaultdict(list)
            latencies: Series = defaultdict(list)
            cpu: Series = defaultdict(list)  # server CPU ms per update: steadier than wall-clock rates
            # The bots take turns, several times: the machine's own ups and downs hit them alike.
            for run in range(args.repeat):
                for name, (url, proc, _) in bots.items():
                    cpu0 = cpu_seconds(proc.pid)
                    elapsed, lat = await drive(url, fake, args.members, args.rounds, "echo" if name == "echo" else mix,
                                               MIX_OFFSET[mix] + 1000 * (run + 1) + OFFSET[name])
                    cpu[name].append((cpu_seconds(proc.pid) - cpu0) / len(lat) * 1000)
                    rates[name].append(len(lat) / elapsed)
                    latencies[name] += lat
            found[mix] = (rates, latencies, cpu)
    finally:
        for _, proc, log_file in bots.values():
            proc.terminate()
            proc.wait(timeout=20)
            log_file.close()
    return found


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--echo":
        run_echo(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--mix", choices=("scripted", "free", "both"), default="both")
    ap.add_argument("--embed-cache", type=int, default=0,
                    help="GASME_EMBED_CACHE of the gasme bots (default 0: every message is embedded)")
    ap.add_argument("--compare-inline", action="store_true",
                    help="also run the bot with the model inside the turn (no reading ahead, no batching)")
    ap.add_argument("--members", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=5, help="runs per bot, taken in turns")
    ap.add_argument("--db", help="database URL for gasme-bot (default: a fresh SQLite file)")
    ap.add_argument("--before", help="the source tree of earlier code to run alongside, for a ratio now/before")
    ap.add_argument("--max-rate", type=float, default=1000.0,
                    help="both bots' overall send limit per second (Telegram's real one is about 30; the default "
                         "lifts it so that the bots, not the limiter, are measured)")
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
