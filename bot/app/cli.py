"""`gasme-bot`: the one entry point (chat, events, knowledge check, db upgrade, worker, announce, members)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError

from bot.app.settings import Settings, SettingsError
from bot.messages import Lang
from bot.understanding.knowledge_files import Event, Knowledge, KnowledgeError, load

log = logging.getLogger("gasme-bot")


def _parse_now(value: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 date-time: {value!r}") from exc
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _common(in_subcommand: bool) -> argparse.ArgumentParser:
    """The options every command takes. Given after the sub-command they must not erase the same option given
    before it (argparse fills a sub-parser's defaults in over the main parser's values): there they default to
    "not given at all"."""
    p = argparse.ArgumentParser(add_help=False)
    unset: dict[str, object] = {"default": argparse.SUPPRESS} if in_subcommand else {}
    p.add_argument("--knowledge", metavar="DIR", help="knowledge directory (default: GASME_KNOWLEDGE_DIR or bundled)",
                   **unset)  # type: ignore[arg-type]
    p.add_argument("--db", metavar="URL", help="database URL (default: DATABASE_URL or sqlite:///gasme.db)",
                   **unset)  # type: ignore[arg-type]
    p.add_argument("--now", metavar="ISO-8601", type=_parse_now, help="pretend the clock reads this (UTC if no offset)",
                   **unset)  # type: ignore[arg-type]
    p.add_argument("-v", "--verbose", action="store_true", help="log debugging details to stderr",
                   **unset)  # type: ignore[arg-type]
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gasme-bot", description="GASME member bot", parents=[_common(False)])
    common = _common(True)
    sub = parser.add_subparsers(dest="command", required=True)
    chat = sub.add_parser("chat", parents=[common], help="talk to the bot in the terminal")
    chat.add_argument("--jsonl", action="store_true", help="scripted: JSON lines in, JSON lines out")
    chat.add_argument("--user", default="console-user", help="member id for the interactive chat")
    events = sub.add_parser("events", parents=[common], help="the upcoming calendar")
    events.add_argument("--json", action="store_true", help="machine-readable output")
    events.add_argument("--lang", choices=["en", "zh"], default="en")
    events.add_argument("--all", action="store_true", help="include past events")
    know = sub.add_parser("knowledge", parents=[common], help="knowledge files")
    know_sub = know.add_subparsers(dest="knowledge_command", required=True)
    check = know_sub.add_parser("check", parents=[common], help="validate a knowledge directory")
    check.add_argument("dir", nargs="?", help="directory to check (default: the configured one)")
    regs = sub.add_parser("registrations", parents=[common], help="event registrations, for staff")
    regs.add_argument("--event", metavar="ID", help="only this event")
    fmt = regs.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON list")
    fmt.add_argument("--csv", action="store_true", help="CSV for spreadsheets (UTF-8 with BOM)")
    tickets = sub.add_parser("tickets", parents=[common], help="staff hand-off tickets (without Slack)")
    tickets.add_argument("--json", action="store_true", help="JSON list")
    tickets.add_argument("--all", action="store_true", help="include resolved tickets")
    t_sub = tickets.add_subparsers(dest="tickets_command", required=False)
    reply = t_sub.add_parser("reply", parents=[common], help="answer a ticket; the member gets it on their channel")
    reply.add_argument("id", type=int)
    reply.add_argument("text")
    reply.add_argument("--as", dest="staff", default="cli", help="staff name shown in the transcript")
    resolve = t_sub.add_parser("resolve", parents=[common], help="close a ticket; the bot answers the member again")
    resolve.add_argument("id", type=int)
    resolve.add_argument("--as", dest="staff", default="cli")
    sub.add_parser("serve", parents=[common], help="web server: webhooks, Slack, health (HOST, PORT)")
    tg = sub.add_parser("telegram", parents=[common], help="Telegram: set the webhook, or run with long polling")
    tg.add_argument("--polling", action="store_true", help="run the bot with long polling (local use)")
    tg_sub = tg.add_subparsers(dest="telegram_command", required=False)
    hook = tg_sub.add_parser("set-webhook", parents=[common], help="register URL (…/telegram/webhook) with Telegram")
    hook.add_argument("url")
    worker = sub.add_parser("worker", parents=[common], help="deliver the outbox (Slack, push channels) with retries")
    worker.add_argument("--once", action="store_true", help="one pass: queue due reminders, deliver, exit")
    from bot.app import learning_commands
    from bot.app.outreach_commands import add_parsers

    add_parsers(sub, common)
    learning_commands.add_parsers(sub, know_sub, common)
    db = sub.add_parser("db", parents=[common], help="database")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", parents=[common], help="apply database migrations")
    return parser


def _knowledge_dir(args: argparse.Namespace, settings: Settings) -> Path | None:
    return Path(args.knowledge) if args.knowledge else settings.knowledge_dir


def _load_or_exit(directory: Path | None) -> Knowledge:
    try:
        return load(directory)
    except KnowledgeError as exc:
        sys.stderr.write("The knowledge base has problems; not starting.\n")
        for p in exc.problems:
            sys.stderr.write(f"  {p}\n")
        raise SystemExit(2) from None


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


def cmd_knowledge_check(args: argparse.Namespace, settings: Settings) -> int:
    directory = Path(args.dir) if args.dir else _knowledge_dir(args, settings)
    try:
        kb = load(directory)
    except KnowledgeError as exc:
        for p in exc.problems:
            print(p)
        print(f"{len(exc.problems)} problem(s) found; the bot will not start on this knowledge base.")
        return 1
    print(f"OK: {kb.directory}: {len(kb.faq)} FAQ entries, {len(kb.events)} events, {len(kb.synonyms)} synonym groups")
    return 0


def cmd_events(args: argparse.Namespace, settings: Settings) -> int:
    from bot.desk import calendar_text

    kb = _load_or_exit(_knowledge_dir(args, settings))
    now = args.now or datetime.now(UTC)
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


class DatabaseUnavailable(Exception):
    """The database could not be reached or opened; the message is one line for the operator."""


def _open_db(url: str) -> Any:
    """An engine on `url`, migrated to the latest schema (under a lock: any number of processes may start at once).
    An unreachable database is one line and exit 3, not a traceback."""
    from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError

    from bot.storage.database import make_engine, upgrade

    try:
        engine = make_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise SettingsError(f"DATABASE_URL (or --db) is not a database URL we can use: {exc}") from None
    try:
        upgrade(engine)
    except (OperationalError, InterfaceError) as exc:
        first = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]
        raise DatabaseUnavailable(
            f"cannot use the database {engine.url.render_as_string(hide_password=True)}: {first}") from None
    return engine


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    engine = _open_db(args.db or settings.database_url)
    print(f"database is up to date: {engine.url.render_as_string(hide_password=True)}")
    engine.dispose()
    return 0


def _engine(args: argparse.Namespace, settings: Settings) -> Any:
    from bot.desk.learning import taught
    from bot.desk.registrations import apply_capacities
    from bot.engine import BotEngine, utc_now
    from bot.understanding.knowledge_base import Library

    knowledge = _load_or_exit(_knowledge_dir(args, settings))
    db = _open_db(args.db or settings.database_url)  # the embedded database creates and upgrades itself
    library = Library.build(knowledge, taught=taught(db))  # phrasings staff taught apply on top of the files
    fixed = args.now
    engine = BotEngine(library, db, clock=(lambda: fixed) if fixed else utc_now, office_hours=settings.hours(),
                       turn_threads=settings.turn_threads, ticket_cap=settings.ticket_cap())
    # Staff may have raised a capacity in events.yaml since the last start: the waitlist moves up now.
    promoted = apply_capacities(db, library.knowledge.events, engine.clock())
    if promoted:
        log.warning("capacity raised: %d waitlisted registration(s) confirmed and told", promoted)
    return engine


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from bot.app.server import create_app

    logging.getLogger().setLevel(logging.INFO)
    refusal = settings.telegram_webhook_refusal()
    if refusal:
        raise SettingsError(refusal)
    engine = _engine(args, settings)  # validates the knowledge and migrates the database, once
    workers = settings.web_concurrency
    from bot.app import metrics

    metrics.prepare(workers)  # several processes share their counts through files (PROMETHEUS_MULTIPROC_DIR)
    if workers <= 1:
        uvicorn.run(create_app(settings, engine), host=settings.host, port=settings.port, log_level="info",
                    proxy_headers=True, access_log=settings.access_log)
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
    engine.db.dispose()
    uvicorn.run("bot.app.server:app_from_environment", factory=True, workers=workers, host=settings.host,
                port=settings.port, log_level="info", proxy_headers=True, access_log=settings.access_log)
    return 0


def cmd_telegram(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio

    from bot.channels import telegram

    if not settings.telegram_bot_token:
        print("Set TELEGRAM_BOT_TOKEN first (from @BotFather).", file=sys.stderr)
        return 2
    token, base = settings.telegram_bot_token, settings.telegram_api_base_url
    if getattr(args, "telegram_command", None) == "set-webhook":
        refusal = settings.telegram_webhook_refusal()
        if refusal:
            raise SettingsError(refusal)
        async def set_hook() -> None:
            app = telegram.build_application(token, base, _engine(args, settings))
            async with app:
                await app.bot.set_webhook(args.url, secret_token=settings.telegram_webhook_secret,
                                          allowed_updates=["message", "callback_query"])
                await telegram.register_commands(app)

        asyncio.run(set_hook())
        print(f"webhook set to {args.url}")
        return 0
    if args.polling:
        logging.getLogger().setLevel(logging.INFO)
        app = telegram.build_application(token, base, _engine(args, settings), polling=True)

        async def on_start(application: Any) -> None:
            await application.bot.delete_webhook()
            await telegram.register_commands(application)

        app.post_init = on_start
        app.run_polling(allowed_updates=["message", "callback_query"])
        return 0
    print("Use `gasme-bot telegram --polling` or `gasme-bot telegram set-webhook URL`.", file=sys.stderr)
    return 2


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app.server import senders_for, timers_for
    from bot.app.worker import Worker

    engine = _engine(args, settings)
    worker = Worker(engine.db, senders_for(settings, engine.db), engine.clock,
                    skip_channels=() if settings.slack_enabled else ("slack",), timers=timers_for(settings, engine))
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


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.channels.console import main_stdio

    return main_stdio(_engine(args, settings), args.jsonl, args.user)


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
    for name in ("knowledge", "db", "now"):
        if not hasattr(args, name):
            setattr(args, name, None)
    args.verbose = bool(getattr(args, "verbose", False))
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request at INFO with its URL, and a Bot API URL holds the bot token: warnings only.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    settings = Settings.from_env()
    if args.command in ("unanswered", "staff") or (
            args.command == "knowledge" and args.knowledge_command in ("teach", "export-taught")):
        from bot.app import learning_commands as lc

        if args.command == "unanswered":
            return lc.cmd_unanswered(args, settings.database_url, _knowledge_dir(args, settings))
        if args.command == "staff":
            return lc.cmd_staff(args, settings.database_url)
        if args.knowledge_command == "teach":
            return lc.cmd_teach(args, settings.database_url, _knowledge_dir(args, settings))
        return lc.cmd_export_taught(args, settings.database_url)
    if args.command == "knowledge":
        return cmd_knowledge_check(args, settings)
    if args.command == "events":
        return cmd_events(args, settings)
    if args.command == "db":
        return cmd_db_upgrade(args, settings)
    if args.command == "tickets":
        from bot.app.staff_commands import cmd_tickets

        return cmd_tickets(args, settings)
    if args.command == "telegram":
        return cmd_telegram(args, settings)
    if args.command == "serve":
        return cmd_serve(args, settings)
    if args.command == "worker":
        return cmd_worker(args, settings)
    if args.command in ("announce", "announcements", "members"):
        from bot.app import outreach_commands as oc

        kdir = _knowledge_dir(args, settings)
        if args.command == "announce":
            return oc.cmd_announce(args, settings.database_url, kdir)
        if args.command == "announcements":
            return oc.cmd_announcements(args, settings.database_url)
        return oc.cmd_members(args, settings.database_url, kdir)
    if args.command == "registrations":
        from bot.app.staff_commands import cmd_registrations

        return cmd_registrations(args, settings.database_url, _knowledge_dir(args, settings))
    return cmd_chat(args, settings)


if __name__ == "__main__":
    raise SystemExit(main())
