"""Database engine set-up and migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, delete, event, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

DEFAULT_URL = "sqlite:///gasme.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x6A5E_0001  # the advisory lock key every process takes to migrate (any fixed number will do)


def normalize_url(url: str) -> str:
    """Accept the URLs hosting platforms hand out ("postgres://...") and use psycopg 3 for PostgreSQL."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _sqlite_setup(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_setup(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and upgrades read locks to write locks mid-transaction,
    # which deadlocks between processes. We take the write lock up front (BEGIN IMMEDIATE): one writer at a
    # time, the others wait up to busy_timeout.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        # WAL with synchronous=NORMAL: never corrupts; a power cut may lose the last commits, not consistency.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # SQLAlchemy's documented recipe for pysqlite, with IMMEDIATE: no measurable cost over the raw driver call
        # (bench/turn.py).
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# INSERT with ON CONFLICT (the dedupe keys, first rows made on demand), per dialect.
UPSERT_INSERT: dict[str, Any] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


@contextmanager
def scratch_schema(url: str, prefix: str) -> Iterator[str]:
    """For tests and benchmarks: on PostgreSQL, a schema of their own (the URL given back uses it), dropped
    afterwards; any other URL is given back as it is."""
    if make_url(normalize_url(url)).get_backend_name() != "postgresql":
        yield url
        return
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def utc_iso(dt: datetime) -> str:
    """ISO-8601 in UTC; SQLite hands back naive datetimes, which we always stored as UTC."""
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def upgrade(engine: Engine, revision: str = "heads") -> tuple[str | None, str | None]:
    """Bring the schema to `revision` with the Alembic migrations shipped in bot/migrations. Returns the revision
    before and after (equal when there was nothing to do); Alembic's own chatter is kept out of the log, and one
    line says when the schema changed."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several processes may start at once on an empty database: the first migrates, the others wait here
            # for its commit and then find nothing to do. (SQLite's BEGIN IMMEDIATE serialises them already.)
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        before = _revisions(conn)
        logging.getLogger("alembic").setLevel(logging.WARNING)
        command.upgrade(cfg, revision)
        after = _revisions(conn)
    if before != after:
        log.info("database migrated from %s to %s", before or "an empty schema", after)
    return before, after


def _revisions(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) or None


def shared_secret(engine: Engine, name: str, make: Callable[[], str]) -> str:
    """The value stored under `name`, made with `make` by whichever process asks first; every process (and every
    restart) gets the same one."""
    from bot.storage.models import AppSecret

    with engine.begin() as conn:
        insert = UPSERT_INSERT[conn.dialect.name]
        conn.execute(insert(AppSecret).values(name=name, value=make(), created_at=datetime.now(UTC))
                     .on_conflict_do_nothing(index_elements=["name"]))
        return str(conn.execute(select(AppSecret.value).where(AppSecret.name == name)).scalar_one())


def first_nonce(engine: Engine, channel: str, nonce: str, now: datetime, window: timedelta) -> bool:
    """Record a signed request's nonce; False when it was seen within `window` (a replay). Older ones are
    forgotten, since the timestamp check refuses their requests anyway."""
    from bot.storage.models import SeenNonce

    with engine.begin() as conn:
        conn.execute(delete(SeenNonce).where(SeenNonce.seen_at < now - window))
        insert = UPSERT_INSERT[conn.dialect.name]
        done = conn.execute(insert(SeenNonce).values(channel=channel, nonce=nonce, seen_at=now)
                            .on_conflict_do_nothing(index_elements=["channel", "nonce"])
                            .returning(SeenNonce.nonce)).first()
        return done is not None


def check_writable(engine: Engine) -> None:
    """Raise unless the database accepts a write (a read-only file or a replica answers reads only). The row
    written is rolled back."""
    from bot.storage.models import AppSecret

    with engine.connect() as conn:
        trans = conn.begin()
        try:
            conn.execute(AppSecret.__table__.insert().values(  # type: ignore[attr-defined]
                name=f"healthz-{uuid.uuid4().hex}", value="", created_at=datetime.now(UTC)))
        finally:
            trans.rollback()
