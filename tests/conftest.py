"""Shared fixtures: a database (SQLite per test, or PostgreSQL when GASME_TEST_DATABASE_URL is set) and `bot`,
the whole engine in memory driven one message at a time, transcript style:

    r = bot.say("When was GASME founded?")
    assert "2009" in r.text
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.engine import BotEngine
from bot.messages import Incoming, Reply, TurnResult
from bot.storage.database import make_engine, scratch_schema, upgrade
from bot.storage.models import Base
from bot.understanding import text
from bot.understanding.knowledge_base import Library
from bot.understanding.knowledge_files import load

ROOT = Path(__file__).resolve().parent.parent
# The tests' "today": the calendar's sample events are in 2027, one is already past (October 2026).
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
PG_URL = os.environ.get("GASME_TEST_DATABASE_URL")
BASES = [ROOT / "knowledge", *(ROOT / "tests" / "data" / name for name in ("second_base", "third_base", "fourth_base"))]


@pytest.fixture(scope="session", autouse=True)
def one_segmenter_dictionary() -> None:
    """The Chinese segmenter is one per process and learns each knowledge base's words as a library is built. A bot
    runs one knowledge base; a test session builds several, and a word one base teaches after another base's index
    was built would split that base's queries differently from its index. So every base's words are taught first."""
    for base in BASES:
        text.add_words(word for group in load(base).synonyms for word in group)


@pytest.fixture(scope="session")
def library() -> Library:
    return Library.load(ROOT / "knowledge")


# The other associations' bases (tests/data/*_base), loaded once a session by whichever tests ask for them.
@pytest.fixture(scope="session")
def second_library() -> Library:
    return Library.load(ROOT / "tests" / "data" / "second_base")


@pytest.fixture(scope="session")
def third_library() -> Library:
    return Library.load(ROOT / "tests" / "data" / "third_base")


@pytest.fixture(scope="session")
def fourth_library() -> Library:
    return Library.load(ROOT / "tests" / "data" / "fourth_base")


@pytest.fixture
def maker(third_library: Library, db: Engine) -> TestBot:
    """A member of the third base's chamber (tests/data/third_base), on the whole engine."""
    return TestBot(third_library, db)


@pytest.fixture
def exporter(fourth_library: Library, db: Engine) -> TestBot:
    """A member of the fourth base's association (tests/data/fourth_base), on the whole engine."""
    return TestBot(fourth_library, db)


@pytest.fixture
def prec(second_library: Library, db: Engine) -> TestBot:
    """A member of the second base's association (tests/data/second_base), on the whole engine."""
    return TestBot(second_library, db)


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str | None]:
    """On PostgreSQL, every test session works in a schema of its own, dropped at the end."""
    if not PG_URL:
        yield None
        return
    with scratch_schema(PG_URL, "gasme_test") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture
def db_url(tmp_path: Path, pg_schema_url: str | None) -> Iterator[str]:
    if pg_schema_url is None:
        url = f"sqlite:///{tmp_path / 'test.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    yield pg_schema_url
    engine = make_engine(pg_schema_url)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    engine.dispose()


@pytest.fixture
def db(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@dataclass
class Said:
    """What the bot answered to one message."""

    result: TurnResult

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.result.replies)

    @property
    def replies(self) -> tuple[Reply, ...]:
        return self.result.replies

    @property
    def intent(self) -> str:
        return self.result.intent

    @property
    def answer_id(self) -> str | None:
        return self.result.answer_id

    @property
    def buttons(self) -> list[tuple[str, str]]:
        return [(b.label, b.payload) for r in self.result.replies for b in r.buttons]


class TestBot:
    __test__ = False  # not a test class for pytest

    def __init__(self, library: Library, db: Engine, now: datetime = NOW, channel: str = "test"):
        self.now = now
        self.engine = BotEngine(library, db, clock=lambda: self.now)
        self.channel = channel
        self._n = 0

    def say(self, text: str, user: str = "u1", message_id: str | None = None, lang: str | None = None) -> Said:
        self._n += 1
        inc = Incoming(self.channel, user, text, chat_id=user, message_id=message_id,
                       lang="zh" if lang == "zh" else ("en" if lang == "en" else None))
        return Said(self.engine.handle(inc))


@pytest.fixture
def bot(library: Library, db: Engine) -> TestBot:
    return TestBot(library, db)
