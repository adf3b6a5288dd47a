"""`gasme-bot`: the one entry point. This module parses, sets up logging, and runs the chosen command with its
context (bot/app/command.py); the core commands (chat, events, knowledge check, db upgrade, serve, telegram,
worker) live here, the staff ones in bot/app/*_commands.py. Each module adds its own parsers."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError

from bot.app import learning_commands, outreach_commands, staff_commands
from bot.app.command import CommandParser, Context, DatabaseUnavailable, Subcommands
from bot.app.settings import Settings, SettingsError
from bot.messages import Lang
from bot.understanding.knowledge_files import Event, KnowledgeError, load

__all__ = ["DatabaseUnavailable", "build_parser", "main"]


def build_parser() -> CommandParser:
    parser = CommandParser(prog="gasme-bot", description="GASME member bot", top=True)
    sub = parser.add_subparsers(dest="command", required=True)
    know_sub = add_parsers(sub)
    staff_commands.add_parsers(sub)
    add_process_parsers(sub)
    outreach_commands.add_parsers(sub)
    learning_commands.add_parsers(sub, know_sub)
    db = sub.add_parser("db", help="database")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply database migrations").set_defaults(func=cmd_db_upgrade)
    return parser


def add_parsers(sub: Subcommands) -> Subcommands:
    """The member-facing commands; returns the `knowledge` group, which other modules add to."""
    chat = sub.add_parser("chat", help="talk to the bot in the terminal")
    chat.add_argument("--jsonl", action="store_true", help="scripted: JSON lines in, JSON lines out")
    chat.add_argument("--user", default="console-user", help="member id for the interactive chat")
    chat.set_defaults(func=cmd_chat)
    events = sub.add_parser("events", help="the upcoming calendar")
    events.add_argument("--json", action="store_true", help="machine-readable output")
    events.add_argument("--lang", choices=["en", "zh"], default="en")
    events.add_argument("--all", action="store_true", help="include past events")
    events.set_defaults(func=cmd_events)
    know = sub.add_parser("knowledge", help="knowledge files")
    know_sub = know.add_subparsers(dest="knowledge_command", required=True)
    check = know_sub.add_parser("check", help="validate a knowledge directory")
    check.add_argument("dir", nargs="?", help="directory to check (default: the configured one)")
    check.set_defaults(func=cmd_knowledge_check)
    return know_sub


def add_process_parsers(sub: Subcommands) -> None:
    """The long-running commands: the web server, Telegram polling, the outbox worker."""
    sub.add_parser("serve", help="web server: webhooks, Slack, health (HOST, PORT)").set_defaults(func=cmd_serve)
    tg = sub.add_parser("telegram", help="Telegram: set the webhook, or run with long polling")
    tg.add_argument("--polling", action="store_true", help="run the bot with long polling (local use)")
    tg.set_defaults(func=cmd_telegram)
    tg_sub = tg.add_subparsers(dest="telegram_command", required=False)
    hook = tg_sub.add_parser("set-webhook", help="register URL (…/telegram/webhook) with Telegram")
    hook.add_argument("url")
    hook.set_defaults(func=cmd_telegram_webhook)
    worker = sub.add_parser("worker", help="deliver the outbox (Slack, push channels) with retries")
    worker.add_argument("--once", action="store_true", help="one pass: queue due reminders, deliver, exit")
    worker.set_defaults(func=cmd_worker)


def _event_json(ev: Event) -> dict[str, Any]:
    def text(x: Any) -> Any:
        return None if x is None else {"en": x.en, "zh": x.zh}

    return {
        "id": ev.id, "title": text(ev.title), "starts": ev.starts.isoformat(),
        "ends": ev.ends.isoformat() if ev.ends else None, "timezone": ev.timezone, "city": text(ev.city),
        "country": ev.country, "venue": ev.venue, "capacity": ev.capacity,
        "registration_closes": ev.registration_closes.isoformat() if ev.registration_closes else None,
        "description": text(ev.description), "tags": list(ev.tags),
    }


def cmd_knowledge_check(ctx: Context) -> int:
    from pathlib import Path

    directory = Path(ctx.args.dir) if ctx.args.dir else ctx.knowledge_dir
    try:
        kb = load(directory)
    except KnowledgeError as exc:
        for p in exc.problems:
            print(p)
        print(f"{len(exc.problems)} problem(s) found; the bot will not start on this knowledge base.")
        return 1
    print(f"OK: {kb.directory}: {len(kb.faq)} FAQ entries, {len(kb.events)} events, {len(kb.synonyms)} synonym groups")
    return 0


def cmd_events(ctx: Context) -> int:
    from bot.desk import calendar_text

    args = ctx.args
    kb = ctx.knowledge_or_exit()
    now = ctx.clock()
    events = [e for e in kb.events if args.all or e.finishes >= now]
    if args.json:
        print(json.dumps([_event_json(e) for e in events], ensure_ascii=False, indent=2))
        return 0
    lang: Lang = args.lang
    if not events:
        print("No upcoming events." if lang == "en" else "暂无即将举行的活动。")
    for e in events:
        print(calendar_text.summary_line(e, lang) + f"  [{e.id}]")
    return 0


def cmd_db_upgrade(ctx: Context) -> int:
    url = ctx.db().url.render_as_string(hide_password=True)
    before, after = ctx.migrated
    if before == after:
        print(f"database is up to date (schema {after}): {url}")
    else:
        print(f"database migrated from {before or 'an empty schema'} to {after}: {url}")
    return 0


def cmd_serve(ctx: Context) -> int:
    import uvicorn

    from bot.app.server import create_app

    settings, args = ctx.settings, ctx.args
    logging.getLogger().setLevel(logging.INFO)
    refusal = settings.telegram_webhook_refusal()
    if refusal:
        raise SettingsError(refusal)
    engine = ctx.bot()  # validates the knowledge and migrates the database, once
    workers = settings.web_concurrency
    # The client address of the rate limits and the https of Secure cookies come from X-Forwarded-For/-Proto,
    # believed only from these proxies.
    proxies = settings.forwarded_allow_ips
    logging.getLogger(__name__).info("X-Forwarded-For and X-Forwarded-Proto trusted from: %s "
                                     "(FORWARDED_ALLOW_IPS)", proxies)
    from bot.app import metrics

    metrics.prepare(workers)  # several processes share their counts through files (PROMETHEUS_MULTIPROC_DIR)
    if workers <= 1:
        uvicorn.run(create_app(settings, engine), host=settings.host, port=settings.port, log_level="info",
                    access_log=settings.access_log, proxy_headers=True, forwarded_allow_ips=proxies)
        return 0
    # Several processes (WEB_CONCURRENCY, as Heroku-style platforms set it): each builds its own app from the
    # environment; the command-line options are handed down through it. Each worker stops when this process dies
    # (bot.app.processes), even by SIGKILL, so none is left holding the port.
    if args.db:
        os.environ["DATABASE_URL"] = args.db
    if args.knowledge:
        os.environ["GASME_KNOWLEDGE_DIR"] = str(args.knowledge)
    if args.now:
        os.environ["GASME_NOW"] = args.now.isoformat()
    ctx.close()
    uvicorn.run("bot.app.server:app_from_environment", factory=True, workers=workers, host=settings.host,
                port=settings.port, log_level="info", access_log=settings.access_log, proxy_headers=True,
                forwarded_allow_ips=proxies)
    return 0


def _telegram_token(settings: Settings) -> tuple[str, str] | None:
    if not settings.telegram_bot_token:
        print("Set TELEGRAM_BOT_TOKEN first (from @BotFather).", file=sys.stderr)
        return None
    return settings.telegram_bot_token, settings.telegram_api_base_url


def cmd_telegram_webhook(ctx: Context) -> int:
    import asyncio

    from bot.channels import telegram

    settings = ctx.settings
    found = _telegram_token(settings)
    if found is None:
        return 2
    token, base = found
    refusal = settings.telegram_webhook_refusal()
    if refusal:
        raise SettingsError(refusal)

    async def set_hook() -> None:
        app = telegram.build_application(token, base, ctx.bot())
        async with app:
            await app.bot.set_webhook(ctx.args.url, secret_token=settings.telegram_webhook_secret,
                                      allowed_updates=["message", "callback_query"])
            await telegram.register_commands(app)

    asyncio.run(set_hook())
    print(f"webhook set to {ctx.args.url}")
    return 0


def cmd_telegram(ctx: Context) -> int:
    from bot.channels import telegram

    found = _telegram_token(ctx.settings)
    if found is None:
        return 2
    if not ctx.args.polling:
        print("Use `gasme-bot telegram --polling` or `gasme-bot telegram set-webhook URL`.", file=sys.stderr)
        return 2
    logging.getLogger().setLevel(logging.INFO)
    app = telegram.build_application(*found, ctx.bot(), polling=True)

    async def on_start(application: Any) -> None:
        await application.bot.delete_webhook()
        await telegram.register_commands(application)

    app.post_init = on_start
    app.run_polling(allowed_updates=["message", "callback_query"])
    return 0


def cmd_worker(ctx: Context) -> int:
    from bot.app.wiring import worker_for

    args, settings = ctx.args, ctx.settings
    engine = ctx.bot()
    worker = worker_for(settings, engine)
    if not args.once:
        from bot.app.reloader import Reloader

        # Reminders and announcements read the calendar: edits to events.yaml apply without a restart.
        Reloader(engine, settings.reload_seconds).start()
    if args.once:
        reminded, purged = worker.run_timers()
        handled = worker.drain(rounds=1_000_000)
        print(f"{reminded} reminder(s) queued, {handled} message(s) handled, {purged} old transcript line(s) deleted")
        return 0
    logging.getLogger().setLevel(logging.INFO)
    worker.run_forever()
    return 0


def cmd_chat(ctx: Context) -> int:
    from bot.channels.console import main_stdio

    if not ctx.args.jsonl:
        # The first start embeds the whole knowledge base (about 15 s); later starts read the vectors from disk.
        print("Starting: reading the knowledge and loading the language model (up to ~15 s on the first start)...",
              file=sys.stderr, flush=True)
    return main_stdio(ctx.bot(), ctx.args.jsonl, ctx.args.user)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        code = _main(argv)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below, not at interpreter exit
        return code
    except SettingsError as exc:
        print(f"gasme-bot: {exc}", file=sys.stderr)
        return 2
    except DatabaseUnavailable as exc:
        print(f"gasme-bot: {exc}", file=sys.stderr)
        return 3
    except (OperationalError, InterfaceError) as exc:  # the database went away after start-up
        first = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]
        print(f"gasme-bot: the database is unavailable: {first}", file=sys.stderr)
        return 3
    except BrokenPipeError:
        # The reader went away (`gasme-bot events | head`): stop quietly, as a Unix tool does on SIGPIPE. Point
        # stdout at /dev/null so that the interpreter's last flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request at INFO with its URL, and a Bot API URL holds the bot token: warnings only.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    ctx = Context(args, Settings.from_env())
    try:
        code: int = args.func(ctx)
        return code
    finally:
        ctx.close()


if __name__ == "__main__":
    raise SystemExit(main())
