"""Telegram updates stored before they are acknowledged (issue 17, item 3): a database that refuses connections gets
503 (Telegram sends the update again) instead of an apology and a dropped message; a process that starts takes up
what a stopped one had stored: the turn that never ran, the replies that were never sent."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from starlette.testclient import TestClient

from bot.app.reloader import Reloader
from bot.app.server import create_app
from bot.app.settings import Settings
from bot.channels.telegram import TelegramSettings
from bot.engine import BotEngine
from bot.messages import Incoming
from bot.storage.database import make_engine
from bot.storage.models import InboxItem, Message
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot
from tests.fakes import FakeTelegram, ServerThread, free_port
from tests.test_telegram import SECRET, payload

TOKEN = "123456:TEST-token"


def started(client: TestClient) -> None:
    deadline = time.monotonic() + 15
    while client.post("/telegram/webhook", content=b"{}").status_code == 503:
        assert time.monotonic() < deadline, "telegram channel did not start"
        time.sleep(0.05)


@contextmanager
def serving(engine: BotEngine, fake: FakeTelegram, lease: float) -> Iterator[TestClient]:
    """`serve`'s app with the Telegram channel on `engine`, against `fake`, started and ready for updates."""
    with ServerThread(fake.app()) as api:
        config = Settings(worker_in_process=False, channels=(
            TelegramSettings(TOKEN, SECRET, f"http://127.0.0.1:{api.port}", inbox_lease=lease),))
        with TestClient(create_app(config, engine)) as client:
            started(client)
            yield client


def test_a_database_refusing_connections_gets_503_and_no_apology(library: Library, db: Engine,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeTelegram()
    down = make_engine(f"postgresql://postgres@127.0.0.1:{free_port()}/gone?connect_timeout=2")
    with ServerThread(fake.app()) as api:
        config = Settings(worker_in_process=False, secret_key="k" * 40, channels=(
            TelegramSettings(TOKEN, SECRET, f"http://127.0.0.1:{api.port}", inbox_lease=60),))
        app = create_app(config, BotEngine(library, down), reloader=Reloader(TestBot(library, db).engine, 60))
        with TestClient(app) as client, caplog.at_level(logging.WARNING):
            started(client)
            caplog.clear()
            r = client.post("/telegram/webhook", json=payload("text_message"),
                            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            time.sleep(0.5)
    assert r.status_code == 503
    assert fake.called("sendMessage") == []  # no apology for a message that was never stored
    assert any("not stored, Telegram will send it again" in rec.getMessage() for rec in caplog.records)
    assert all(rec.exc_info is None for rec in caplog.records)


def test_a_starting_process_answers_what_a_stopped_one_had_stored(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="telegram")
    # One update stored and acknowledged, its process killed before the turn; another whose turn committed (its
    # replies kept) but whose process died before sending them.
    never_ran = payload("text_message", update_id=830200001)
    assert bot.engine.receive("telegram", "830200001", never_ran, timedelta(0))
    unsent = payload("text_message", update_id=830200002)
    unsent["message"]["text"] = "events in Germany"
    assert bot.engine.receive("telegram", "830200002", unsent, timedelta(0))
    chat = str(unsent["message"]["chat"]["id"])
    kept = bot.engine.handle(Incoming("telegram", chat, "events in Germany", chat_id=chat,
                                      message_id="830200002", raw={"inbox": "1"}))
    assert kept.replies
    assert not bot.engine.receive("telegram", "830200001", never_ran, timedelta(0))  # a redelivery: stored once
    fake = FakeTelegram()
    with serving(bot.engine, fake, lease=1):
        sent = fake.wait_for("sendMessage", 2)
        time.sleep(1.5)  # another sweep or two: nothing is sent again
        assert len(fake.called("sendMessage")) == 2
    texts = sorted(s["text"] for s in sent)
    assert any("2009" in t for t in texts) and any("Frankfurt" in t for t in texts)
    with db.connect() as conn:
        assert set(conn.scalars(select(InboxItem.status))) == {"done"}
        turns = conn.scalar(select(func.count()).select_from(Message).where(Message.direction == "in"))
    assert turns == 2  # the committed turn was not run again


def test_the_turn_stores_the_update_and_replies_telegram_refused_go_out_with_a_sweep(library: Library,
                                                                                    db: Engine) -> None:
    """The webhook answers 200 only once the turn committed, and that transaction kept the update with its replies:
    when Telegram refuses the replies, the row stays answered and the next sweep sends them, once."""
    bot = TestBot(library, db, channel="telegram")
    fake = FakeTelegram(fail_next=1)
    with serving(bot.engine, fake, lease=1) as client:
        r = client.post("/telegram/webhook", json=payload("text_message", update_id=830300001),
                        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert r.status_code == 200
        with db.connect() as conn:  # at the 200 the update is already stored, answered, its replies kept
            status, replies = conn.execute(select(InboxItem.status, InboxItem.replies)).one()
        assert status == "answered" and "2009" in replies[0]["text"]
        [sent] = fake.wait_for("sendMessage", 1)  # the sweep, once the lease ran out
        time.sleep(1.5)
        assert len(fake.called("sendMessage")) == 1 and len(fake.called("502")) == 1
    assert "2009" in sent["text"]
    with db.connect() as conn:
        assert conn.scalar(select(InboxItem.status)) == "done"


def test_a_group_message_is_acknowledged_and_leaves_nothing(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="telegram")
    update = payload("text_message", update_id=830300002)
    update["message"]["chat"] = {"id": -100123, "title": "Members", "type": "supergroup"}
    fake = FakeTelegram()
    with serving(bot.engine, fake, lease=60) as client:
        r = client.post("/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        time.sleep(0.3)
    assert r.status_code == 200 and fake.called("sendMessage") == []
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(InboxItem)) == 0
        assert conn.scalar(select(func.count()).select_from(Message)) == 0
