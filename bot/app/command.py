"""What every `gasme-bot` command is given: a parser that carries the global options, and one `Context` (the
settings, the database opened one way, the clock, the knowledge loader). Command modules add their own parsers with
`add_parser(...)` and `set_defaults(func=...)`; `bot/app/cli.py` parses and calls `args.func(context)`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from bot.app.settings import Settings, SettingsError
from bot.understanding.knowledge_files import Knowledge, KnowledgeError, load

if TYPE_CHECKING:
    from typing import TypeAlias

    from bot.engine import BotEngine
    from bot.understanding.knowledge_base import Library


class DatabaseUnavailable(Exception):
    """The database could not be reached or opened; the message is one line for the operator."""


def _parse_now(value: str) -> datetime:
    try:
        dt = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 date-time: {value!r}") from exc
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


class CommandParser(argparse.ArgumentParser):
    """A parser that declares the global options itself, so that they work before or after any sub-command.
    Sub-parsers are of this class too (argparse builds them with the parent's class). On a sub-parser the options
    default to "not given at all": argparse copies a sub-parser's defaults over the main parser's values, and an
    option given before the sub-command must survive."""

    def __init__(self, *args: Any, top: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unset: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
        self.add_argument("--knowledge", metavar="DIR",
                          help="knowledge directory (default: GASME_KNOWLEDGE_DIR or bundled)", **unset)
        self.add_argument("--db", metavar="URL", help="database URL (default: DATABASE_URL or sqlite:///gasme.db)",
                          **unset)
        self.add_argument("--now", metavar="ISO-8601", type=_parse_now,
                          help="pretend the clock reads this (UTC if no offset)", **unset)
        self.add_argument("-v", "--verbose", action="store_true", help="log debugging details to stderr", **unset)


if TYPE_CHECKING:
    Subcommands: TypeAlias = argparse._SubParsersAction[CommandParser]
else:
    Subcommands = argparse._SubParsersAction  # what `add_subparsers()` returns, for annotations


def open_database(url: str) -> Engine:
    """An engine on `url`, migrated to the latest schema (under a lock: any number of processes may start at once).
    An unusable URL is a settings error (exit 2); an unreachable database is one line and exit 3, not a traceback."""
    from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError

    from bot.storage.database import make_engine, upgrade

    try:
        engine = make_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise SettingsError(f"DATABASE_URL (or --db) is not a database URL we can use: {exc}") from None
    try:
        upgrade(engine)
    except (OperationalError, InterfaceError) as exc:
        engine.dispose()
        first = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]
        raise DatabaseUnavailable(
            f"cannot use the database {engine.url.render_as_string(hide_password=True)}: {first}") from None
    return engine


class Context:
    """One command's run: its arguments, the settings, and what it may ask for. The database is opened on first
    use, once, and closed when the command returns, so no pooled connection outlives it."""

    def __init__(self, args: argparse.Namespace, settings: Settings):
        self.args = args
        self.settings = settings
        self._db: Engine | None = None

    @property
    def knowledge_dir(self) -> Path | None:
        return Path(self.args.knowledge) if self.args.knowledge else self.settings.knowledge_dir

    @property
    def database_url(self) -> str:
        url: str = self.args.db or self.settings.database_url
        return url

    def clock(self) -> datetime:
        """`--now` when given, else the real time (UTC)."""
        fixed: datetime | None = self.args.now
        return fixed or datetime.now(UTC)

    def knowledge(self) -> Knowledge:
        """The knowledge files, or KnowledgeError: for commands that can go on without them."""
        return load(self.knowledge_dir)

    def knowledge_or_exit(self) -> Knowledge:
        """The knowledge files; the bot never starts on half a knowledge base (exit 2, the problems listed)."""
        try:
            return self.knowledge()
        except KnowledgeError as exc:
            sys.stderr.write("The knowledge base has problems; not starting.\n")
            for p in exc.problems:
                sys.stderr.write(f"  {p}\n")
            raise SystemExit(2) from None

    def db(self) -> Engine:
        if self._db is None:
            self._db = open_database(self.database_url)
        return self._db

    def library(self, knowledge: Knowledge) -> Library:
        """The knowledge with the phrasings staff taught on top of the files."""
        from bot.desk.learning import taught
        from bot.understanding.knowledge_base import Library

        return Library.build(knowledge, taught=taught(self.db()))

    def bot(self) -> BotEngine:
        """The bot itself, for chat, serve, worker and telegram: knowledge validated, database migrated."""
        import logging

        from bot.app.wiring import bot_engine
        from bot.desk.registrations import apply_capacities

        knowledge = self.knowledge_or_exit()
        library = self.library(knowledge)  # opens (and, the embedded one, creates) the database
        engine = bot_engine(self.settings, library, self.db(), self.args.now)
        # Staff may have raised a capacity in events.yaml since the last start: the waitlist moves up now.
        promoted = apply_capacities(self.db(), library.knowledge.events, engine.clock())
        if promoted:
            logging.getLogger("gasme-bot").warning("capacity raised: %d waitlisted registration(s) confirmed and told",
                                                   promoted)
        return engine

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None


Command = Callable[[Context], int]
