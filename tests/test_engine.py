"""The engine: redeliveries, state that outlives the process, the transcript, and the schema."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.desk import registrations
from bot.router import BaseHandler, Claim, Priority
from bot.state import EngineState
from bot.storage import conversations
from bot.storage.database import make_engine, upgrade, utc_iso
from bot.storage.models import Base, Conversation, Inbound, Message, Outbox
from bot.turn import Outcome, Turn
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot


def test_redelivered_message_produces_nothing(bot: TestBot) -> None:
    first = bot.say("When was GASME founded?", message_id="update-1")
    again = bot.say("When was GASME founded?", message_id="update-1")
    assert first.replies and first.answer_id == "founding"
    assert again.result.duplicate and again.replies == ()
    other = bot.say("When was GASME founded?", message_id="update-2")
    assert other.answer_id == "founding"


def test_same_key_on_another_channel_is_not_a_duplicate(library: Library, db: Engine) -> None:
    a, b = TestBot(library, db, channel="telegram"), TestBot(library, db, channel="wechat")
    assert a.say("hi", message_id="7").replies
    assert b.say("hi", message_id="7").replies


def test_concurrent_redeliveries_answer_once(library: Library, db: Engine) -> None:
    bots = [TestBot(library, db) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda b: b.say("What is GASME?", message_id="dup-42"), bots))
    answered = [r for r in results if r.replies]
    assert len(answered) == 1
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Inbound)) == 1


def test_first_messages_of_a_new_member_on_two_workers(library: Library, db: Engine) -> None:
    bots = [TestBot(library, db) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda ib: ib[1].say(f"hello {ib[0]}", user="newbie"), enumerate(bots)))
    assert all(r.replies for r in results)
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Conversation)) == 1


def test_state_lives_in_the_database(bot: TestBot, library: Library, db: Engine) -> None:
    bot.say("When is the Global SME Expo?")
    restarted = TestBot(library, db)
    said = restarted.say("add it to my calendar")
    assert [a.filename for r in said.replies for a in r.attachments] == ["global-sme-expo-2027.ics"]


def test_transcript_is_kept(bot: TestBot, db: Engine) -> None:
    bot.say("When was GASME founded?")
    with db.connect() as conn:
        rows = conn.execute(select(Message.direction, Message.text).order_by(Message.id)).all()
    assert rows[0] == ("in", "When was GASME founded?")
    assert rows[1][0] == "out" and "2009" in rows[1][1]


def test_migrations_match_the_models(db: Engine) -> None:
    with db.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_a_failing_handler_answers_and_loses_nothing(library: Library, db: Engine) -> None:
    class Broken(BaseHandler):
        name = "broken"

        def check(self, turn: Turn) -> Claim:
            return Claim(Priority.COMMAND)

        def handle(self, turn: Turn, claim: Claim) -> Outcome:
            # Half-done work before the failure: none of it may stay.
            turn.state.slice(EngineState).lang_explicit = True
            turn.store.enqueue_for("console", "someone", None, "notice", {"text": "half-written notice"})
            raise RuntimeError("boom")

    bot = TestBot(library, db)
    bot.engine.handlers = [Broken()]
    said = bot.say("anything")
    assert "went wrong" in said.text
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Message).where(Message.direction == "in")) == 1
        assert conn.scalar(select(func.count()).select_from(Outbox)) == 0
        state = conn.scalar(select(Conversation.state))
    assert state is not None and "engine" not in state
    assert "went wrong" in bot.say("again").text  # the next message is taken as usual



def test_lookups_on_every_turn_use_their_indexes(tmp_path: Path) -> None:
    """The open-ticket check runs on every turn and the duplicate checks on every registration: SQLite must use
    the partial indexes for them, not scan tickets and registrations (it does only when the query repeats the
    index's condition literally). SQLite on purpose, whatever database the suite runs on: its planner is the
    one that needs this."""
    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    upgrade(engine)
    checks = [(conversations._LOAD.statement, "uq_tickets_one_open"),
              (registrations._SAME_EMAIL, "uq_registrations_email"),
              (registrations._MINE_AT_EVENT, "uq_registrations_member")]
    with engine.connect() as conn:
        for stmt, index in checks:
            compiled = stmt.compile(dialect=conn.dialect)
            params = tuple("x" for _ in range(str(compiled).count("?")))  # SQLite placeholders
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params).all()
            plan = " / ".join(str(row[-1]) for row in rows)
            assert index in plan and "SCAN" not in plan, plan
    engine.dispose()


def test_rows_written_by_the_turn_statements_read_back_through_the_orm(db: Engine) -> None:
    """The per-turn statements run straight on the driver (bot/prepared.py): what they store must be exactly what
    SQLAlchemy itself stores and reads, dates and JSON included."""
    when = datetime(2026, 11, 26, 10, 30, 15, 123456, tzinfo=UTC)
    state = {"reg": {"step": "email", "name": "李雷 <b>"}, "last_buttons": ["/events"], "misses": 0}
    with db.begin() as conn:
        assert conversations.first_delivery(conn, "web", "m-1", when) is True
        assert conversations.first_delivery(conn, "web", "m-1", when) is False
        assert conversations.load(conn, "web", "u-1") is None
        conversations.create(conn, "web", "u-1", None, "zh", when)
        assert conversations.load(conn, "web", "u-1") == ("zh", {}, None)
        conversations.save(conn, "web", "u-1", "chat-1", "zh", state, when)
        conversations.log(conn, "web", "u-1", [("in", "你好 😀", None), ("out", "您好", "smalltalk")], when)
    with Session(db) as s:
        conv = s.get(Conversation, ("web", "u-1"))
        assert conv is not None and conv.state == state and conv.chat_id == "chat-1"
        assert utc_iso(conv.updated_at) == when.isoformat()
        lines = s.scalars(select(Message).order_by(Message.id)).all()
        said = [(m.direction, m.text, m.intent) for m in lines]
        assert said == [("in", "你好 😀", None), ("out", "您好", "smalltalk")]
        assert utc_iso(lines[0].created_at) == when.isoformat()
    with db.begin() as conn:
        assert conversations.load(conn, "web", "u-1") == ("zh", state, None)
