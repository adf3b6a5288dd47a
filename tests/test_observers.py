"""After-turn observers: told of each answered turn inside its transaction; the engine itself records nothing of
learning."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, func, select

from bot.engine import BotEngine
from bot.messages import Incoming
from bot.storage.models import Message, Unanswered
from bot.turn import Outcome, Transcript, Turn
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW

UNKNOWN = "What is the airspeed velocity of an unladen swallow?"


@dataclass
class Recorder:
    seen: list[tuple[str, str, int | None]] = field(default_factory=list)

    def observe(self, conn: Connection, turn: Turn, outcome: Outcome, transcript: Transcript) -> None:
        line = transcript.member_line() if outcome.intent == "fallback" else None
        self.seen.append((turn.text, outcome.intent, line))


class Failing:
    def observe(self, conn: Connection, turn: Turn, outcome: Outcome, transcript: Transcript) -> None:
        raise RuntimeError("analytics store down")


def _count(db: Engine, table: type[Message] | type[Unanswered]) -> int:
    with db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def test_observers_see_every_answered_turn_and_can_point_at_the_members_line(library: Library, db: Engine) -> None:
    recorder = Recorder()
    engine = BotEngine(library, db, clock=lambda: NOW, observers=[recorder])
    engine.handle(Incoming("test", "u1", "When was GASME founded?", chat_id="u1"))
    engine.handle(Incoming("test", "u1", UNKNOWN, chat_id="u1"))
    assert [(text, intent) for text, intent, _ in recorder.seen] == [("When was GASME founded?", "faq"),
                                                                     (UNKNOWN, "fallback")]
    line = recorder.seen[1][2]
    with db.connect() as conn:
        said = conn.execute(select(Message.direction, Message.text).where(Message.id == line)).one()
        assert tuple(said) == ("in", UNKNOWN)
        # The member's line is written once, whether or not an observer pointed at it.
        assert conn.scalar(select(func.count()).select_from(Message).where(Message.text == UNKNOWN)) == 1
    assert _count(db, Unanswered) == 0  # without the learning observer the engine records no miss


def test_the_learning_records_are_an_observer_registered_by_default(library: Library, db: Engine) -> None:
    BotEngine(library, db, clock=lambda: NOW).handle(Incoming("test", "u2", UNKNOWN, chat_id="u2"))
    assert _count(db, Unanswered) == 1


def test_a_failing_observer_rolls_the_turn_back_and_the_member_still_gets_an_answer(library: Library,
                                                                                    db: Engine) -> None:
    engine = BotEngine(library, db, clock=lambda: NOW, observers=[Failing()])
    result = engine.handle(Incoming("test", "u3", "When was GASME founded?", chat_id="u3"))
    assert result.failed and result.replies  # an apology, not an exception
    assert _count(db, Message) == 0  # nothing of the failed turn was written
