"""The first-use costs of a reading are paid before the first member's message: when the server starts, and when the
reloader swaps in a new knowledge base (bot/app/warm_up.py)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, inspect, select, table
from starlette.testclient import TestClient

from bot.app import warm_up
from bot.app.reloader import Reloader
from bot.app.server import create_app
from bot.app.settings import Settings
from bot.app.warm_up import MESSAGES
from bot.understanding import ideas
from bot.understanding.knowledge_base import Library
from bot.understanding.meaning import Reader, Reading
from tests.conftest import ROOT, TestBot


def _counts(db: Engine) -> dict[str, int]:
    with db.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(table(name))).scalar_one()
                for name in inspect(conn).get_table_names()}


class _Listening(Reader):
    """A reader that keeps the texts it was asked to read."""

    def __init__(self, reader: Reader):
        self.__dict__.update(reader.__dict__)
        self.heard: list[str] = []

    def read(self, text: str) -> Reading:
        self.heard.append(text)
        return super().read(text)


def test_the_server_reads_a_message_in_each_language_before_it_serves(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="web")
    listening = _Listening(library.reader)
    bot.engine.library = Library(library.knowledge, library.faq, library.events, listening)
    ideas._terms.cache_clear()  # the glossary's ideas: built on first use, the costliest part of a first reading
    app = create_app(Settings(worker_in_process=False), bot.engine, reloader=Reloader(bot.engine))
    with TestClient(app):  # runs the app's start-up
        assert listening.heard[:2] == list(MESSAGES)
        assert ideas._terms.cache_info().currsize == 1


def test_warming_up_stores_nothing_and_changes_no_answer(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="web")
    before = _counts(db)
    verdicts = [library.reader.read(text).faq_verdict() for text in MESSAGES]
    warm_up.process(library)
    assert _counts(db) == before
    assert [library.reader.read(text).faq_verdict() for text in MESSAGES] == verdicts
    assert bot.say(MESSAGES[0]).text  # and the bot answers as it did


def test_a_reloaded_knowledge_base_is_warmed_before_it_is_swapped_in(tmp_path: Path, db: Engine) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", kb)
    bot = TestBot(Library.load(kb), db, channel="web")
    reloader = Reloader(bot.engine)
    faq = kb / "faq.yaml"
    faq.write_text(faq.read_text(encoding="utf-8") + "\n- id: parking\n  questions:\n    - Is there parking?\n"
                   "  answer: {en: There is free parking., zh: 有免费停车场。}\n", encoding="utf-8")
    ideas._terms.cache_clear()
    assert reloader.check()
    assert ideas._terms.cache_info().currsize == 1
    assert bot.say("Is there parking?").answer_id == "parking"


class _Broken(Reader):
    """A reader whose every reading fails (a model that cannot be called, say)."""

    def __init__(self, reader: Reader):
        self.__dict__.update(reader.__dict__)

    def read(self, text: str) -> Reading:
        raise RuntimeError("no model")


def test_a_failed_warm_up_is_logged_and_the_server_still_starts(library: Library, db: Engine,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    bot = TestBot(library, db, channel="web")
    bot.engine.library = Library(library.knowledge, library.faq, library.events, _Broken(library.reader))
    app = create_app(Settings(worker_in_process=False), bot.engine, reloader=Reloader(bot.engine))
    with caplog.at_level(logging.ERROR, logger="bot.app.warm_up"), TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
    assert any("warming up the reader failed" in r.getMessage() for r in caplog.records)
