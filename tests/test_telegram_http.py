"""python-telegram-bot's calls over the bot's aiohttp transport (bot/channels/telegram_http.py), against the local
fake Bot API: what arrives, files as multipart, PTB's own errors for a slow or absent server, and long polling."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, TimedOut

from bot.channels.telegram import build_application
from bot.channels.telegram_http import AiohttpRequest
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot
from tests.fakes import FakeTelegram, ServerThread, free_port

TOKEN = "123456:TEST-token"
UPDATE = Path(__file__).parent / "payloads" / "telegram" / "text_message.json"


@pytest.fixture
def fake() -> Iterator[tuple[FakeTelegram, str]]:
    server = FakeTelegram()
    with ServerThread(server.app()) as running:
        yield server, f"http://127.0.0.1:{running.port}"


def call(base: str, action: Any) -> Any:
    async def run() -> Any:
        async with Bot(TOKEN, base_url=f"{base}/bot", request=AiohttpRequest()) as bot:
            return await action(bot)

    return asyncio.run(run())


def test_a_message_arrives_with_its_buttons(fake: tuple[FakeTelegram, str]) -> None:
    server, base = fake
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("是", callback_data="yes")]])
    sent = call(base, lambda bot: bot.send_message(chat_id=42, text="你好 <b>not markup</b>", reply_markup=markup))
    assert sent.text == "你好 <b>not markup</b>" and sent.chat.id == 42
    [params] = server.called("sendMessage")
    assert params["chat_id"] == "42" and params["text"] == "你好 <b>not markup</b>"
    assert json.loads(params["reply_markup"]) == {"inline_keyboard": [[{"text": "是", "callback_data": "yes"}]]}


def test_a_file_goes_as_multipart(fake: tuple[FakeTelegram, str]) -> None:
    server, base = fake
    data = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    call(base, lambda bot: bot.send_document(chat_id=42, document=InputFile(data, filename="event.ics")))
    [params] = server.called("sendDocument")
    assert params["chat_id"] == "42"
    assert params["document"] == {"filename": "event.ics", "data": data}


def test_a_server_that_does_not_answer_in_time_is_ptbs_timed_out() -> None:
    async def slow(request: Request) -> Response:
        if request.path_params["method"] == "getMe":
            return JSONResponse({"ok": True, "result": {"id": 7, "is_bot": True, "first_name": "Slow"}})
        await asyncio.sleep(3)
        return JSONResponse({"ok": True, "result": True})

    with ServerThread(Starlette(routes=[Route("/bot{token}/{method}", slow, methods=["POST"])])) as running:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            call(f"http://127.0.0.1:{running.port}", lambda bot: bot.send_message(42, "hi", read_timeout=0.3))
        assert time.monotonic() - started < 2.5


def test_no_server_is_ptbs_network_error() -> None:
    port = free_port()
    with socket.socket() as probe:  # nothing listens there
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    with pytest.raises(NetworkError):
        call(f"http://127.0.0.1:{port}", lambda bot: bot.send_message(42, "hi"))


def test_long_polling_answers_an_update(fake: tuple[FakeTelegram, str], library: Library, db: Engine) -> None:
    server, base = fake
    server.updates.append(json.loads(UPDATE.read_text(encoding="utf-8")))
    app = build_application(TOKEN, base, TestBot(library, db, channel="telegram").engine, polling=True)

    async def run() -> None:
        async with app:
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.05)
            await app.start()
            deadline = time.monotonic() + 15
            while not server.called("sendMessage") and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            await app.updater.stop()
            await app.stop()

    asyncio.run(run())
    [sent] = server.called("sendMessage")
    assert "2009" in sent["text"]  # the recorded update asks when GASME was founded
