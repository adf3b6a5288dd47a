"""Telegram through `gasme-bot serve`'s webhook route with the real python-telegram-bot, against a local fake Bot
API server (PTB's base_url) that records what the bot sends. Updates are recorded Telegram payloads."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from bot.app.server import create_app
from bot.app.settings import Settings
from bot.app.wiring import senders_for
from bot.app.worker import Worker
from bot.channels.telegram import TelegramSettings
from bot.channels.telegram_sender import split_text
from bot.desk import tickets
from bot.storage.database import sessions
from bot.storage.models import Ticket
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot
from tests.fakes import FakeTelegram, ServerThread

PAYLOADS = Path(__file__).parent / "payloads" / "telegram"
SECRET = "s3cr3t-Token_123"


def payload(name: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


class Tg:
    def __init__(self, library: Library, db: Engine, fake: FakeTelegram, base: str):
        self.fake = fake
        self.bot = TestBot(library, db, channel="telegram")
        self.settings = Settings(channels=(TelegramSettings("123456:TEST-token", SECRET, base),),
                                 worker_in_process=False)
        self.client = TestClient(create_app(self.settings, self.bot.engine))

    def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return int(self.client.post("/telegram/webhook", json=update, headers=headers).status_code)

    def ready(self) -> None:
        deadline = time.monotonic() + 15
        while self.client.post("/telegram/webhook", content=b"{}").status_code == 503:
            if time.monotonic() > deadline:
                raise AssertionError("telegram channel did not start")
            time.sleep(0.05)


@pytest.fixture
def tg(library: Library, db: Engine) -> Iterator[Tg]:
    fake = FakeTelegram()
    with ServerThread(fake.app()) as server:
        rig = Tg(library, db, fake, f"http://127.0.0.1:{server.port}")
        with rig.client:  # runs the lifespan: PTB initialize (getMe), start, setMyCommands
            rig.ready()
            yield rig


def test_text_message_is_answered(tg: Tg) -> None:
    assert tg.post(payload("text_message")) == 200
    [sent] = tg.fake.wait_for("sendMessage", 1)
    assert sent["chat_id"] == "5123456789" and "2009" in sent["text"]
    assert "parse_mode" not in sent  # plain text: nothing a member or staff types is read as markup


class _ImportsTried:
    """A finder first in line that notes every module looked for and finds none: an import of a module already
    loaded never reaches it."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        self.names.append(name)


def test_a_reply_searches_for_no_module(tg: Tg) -> None:
    # httpcore looks for sniffio on every request it makes; were it missing, every reply would search the whole
    # path for it again (1.1-1.5 ms of CPU per update in bench/webhook.py).
    assert tg.post(payload("text_message")) == 200
    tg.fake.wait_for("sendMessage", 1)
    tried = _ImportsTried()
    sys.meta_path.insert(0, tried)
    try:
        assert tg.post(payload("text_message", update_id=payload("text_message")["update_id"] + 1)) == 200
        tg.fake.wait_for("sendMessage", 2)
    finally:
        sys.meta_path.remove(tried)
    assert tried.names == []


def test_start_in_chinese_from_language_code(tg: Tg) -> None:
    assert tg.post(payload("start_zh")) == 200
    [sent] = tg.fake.wait_for("sendMessage", 1)
    assert "GASME会员助手" in sent["text"]
    keyboard = json.loads(sent["reply_markup"])["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == ["/events", "/human"]


def test_callback_query_reaches_the_engine_as_its_payload(tg: Tg) -> None:
    assert tg.post(payload("callback_query")) == 200
    [sent] = tg.fake.wait_for("sendMessage", 1)
    assert "Shanghai" in sent["text"]
    assert tg.fake.wait_for("answerCallbackQuery", 1)[0]["callback_query_id"] == "4382931001"
    buttons = json.loads(sent["reply_markup"])["inline_keyboard"]
    assert ["/register global-sme-expo-2027"] in [[b["callback_data"] for b in row] for row in buttons]


def test_ics_is_sent_as_a_document(tg: Tg) -> None:
    update = payload("callback_query", update_id=830100010)
    update["callback_query"]["data"] = "/ics global-sme-expo-2027"
    tg.post(update)
    [doc] = tg.fake.wait_for("sendDocument", 1)
    assert doc["document"]["filename"] == "global-sme-expo-2027.ics"
    assert doc["document"]["data"].startswith(b"BEGIN:VCALENDAR")


def test_wrong_or_missing_secret_is_refused(tg: Tg) -> None:
    assert tg.post(payload("text_message"), secret="wrong") == 403
    assert tg.post(payload("text_message"), secret=None) == 403
    time.sleep(0.3)
    assert tg.fake.called("sendMessage") == []


def test_malformed_update_is_refused(tg: Tg) -> None:
    assert tg.client.post("/telegram/webhook", content=b"{not json",
                          headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}).status_code == 400


def test_same_update_twice_one_reply(tg: Tg) -> None:
    assert tg.post(payload("text_message")) == 200
    assert tg.post(payload("text_message")) == 200
    tg.fake.wait_for("sendMessage", 1)
    time.sleep(0.5)
    assert len(tg.fake.called("sendMessage")) == 1


def test_429_is_retried_after_retry_after(tg: Tg) -> None:
    tg.fake.rate_limit_next = 1
    started = time.monotonic()
    tg.post(payload("text_message"))
    [sent] = tg.fake.wait_for("sendMessage", 1)
    assert "2009" in sent["text"]
    assert len(tg.fake.called("429")) == 1
    assert time.monotonic() - started >= 1.0  # waited retry_after seconds


def test_commands_registered_in_both_languages(tg: Tg) -> None:
    calls = tg.fake.wait_for("setMyCommands", 2)
    names = [[c["command"] for c in json.loads(call["commands"])] for call in calls]
    assert all(n == ["start", "help", "events", "register", "my", "cancel", "human", "lang"] for n in names)
    assert {call.get("language_code") for call in calls} == {None, "zh"}


def test_staff_reply_reaches_telegram_through_the_outbox(tg: Tg, db: Engine) -> None:
    update = payload("text_message", update_id=830100020)
    update["message"]["text"] = "I want to talk to a human about sponsoring the expo"
    tg.post(update)
    tg.fake.wait_for("sendMessage", 1)
    with sessions(db).begin() as s:
        from sqlalchemy import select

        ticket = s.scalars(select(Ticket)).one()
        tickets.staff_reply(s, ticket.id, "We'd love to have you as a sponsor!", "amy", tg.bot.now,
                            echo_to_slack=False)
    Worker(db, senders_for(tg.settings, db), clock=lambda: tg.bot.now).drain()
    sent = tg.fake.wait_for("sendMessage", 2)
    assert sent[-1]["text"] == "Staff: We'd love to have you as a sponsor!"
    assert sent[-1]["chat_id"] == "5123456789"


def test_long_replies_are_split_at_line_boundaries() -> None:
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(100))
    pieces = split_text(text)
    assert len(pieces) == 3 and all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces) == text
    assert split_text("y" * 5000) == ["y" * 4096, "y" * 904]
    assert split_text("") == [""]


def test_a_photo_gets_i_read_text_best(tg: Tg) -> None:
    update = payload("text_message", update_id=830100077)
    message = update["message"]
    del message["text"]
    message["photo"] = [{"file_id": "AgAD1", "file_unique_id": "u1", "width": 90, "height": 90}]
    assert tg.post(update) == 200
    [sent] = tg.fake.wait_for("sendMessage", 1)
    assert "I read text best" in sent["text"] and "empty" not in sent["text"]
