"""The web chat's API against what a hostile page or a broken client sends (issue 17, item 6), over real HTTP:
another site's form posting with the visitor's cookie, "/forget yes" out of the blue, JSON nested 50,000 deep, a
lone surrogate."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine, func, select
from starlette.testclient import TestClient

from bot.app.server import create_app
from bot.app.settings import Settings
from bot.channels.webchat import WebSettings
from bot.storage.models import Message
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot
from tests.fakes import ServerThread, visitor


@pytest.fixture
def url(library: Library, db: Engine) -> Iterator[str]:
    bot = TestBot(library, db, channel="web")
    with ServerThread(create_app(Settings(worker_in_process=False), bot.engine)) as server:
        yield f"http://127.0.0.1:{server.port}"


def said(member: httpx.Client) -> list[str]:
    return [m["text"] for m in member.get("/api/history").json()["messages"]]


def test_a_cross_site_post_is_refused_and_erases_nothing(url: str, caplog: pytest.LogCaptureFixture) -> None:
    with visitor(url) as member:
        assert member.post("/api/chat", json={"text": "When was GASME founded?", "id": "a"}).status_code == 200
        # What a form on another site sends: text/plain, the visitor's cookie, the browser's own headers.
        for headers in ({"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
                        {"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "same-site"}, {"Origin": "null"}):
            for text in ("delete my data", "yes"):
                with caplog.at_level(logging.WARNING):
                    r = member.post("/api/chat", content=f'{{"text": "{text}"}}',
                                    headers={"Content-Type": "text/plain", **headers})
                assert r.status_code == 403, headers
        assert "cross-site request refused" in caplog.text
        assert "When was GASME founded?" in said(member)
        # The page itself (same origin) still works, and so does a client that is not a browser.
        own = {"Origin": url, "Sec-Fetch-Site": "same-origin"}
        assert member.post("/api/chat", json={"text": "hello", "id": "b"}, headers=own).status_code == 200
        assert member.post("/api/chat", json={"text": "hello", "id": "c"}).status_code == 200


def test_forget_yes_erases_only_after_the_question(url: str) -> None:
    with visitor(url) as member:
        member.post("/api/chat", json={"text": "When was GASME founded?", "id": "a"})
        r = member.post("/api/chat", json={"text": "/forget yes", "id": "b"}).json()
        buttons = [b["payload"] for reply in r["replies"] for b in reply["buttons"]]
        assert buttons == ["/forget yes", "/forget no"]  # asked, not erased
        assert "When was GASME founded?" in said(member)
        member.post("/api/chat", json={"text": "/forget yes", "id": "c"})
        assert said(member) == []


@pytest.mark.parametrize(("body", "why"), [
    (b"[" * 50_000, "nested"),
    (b'{"text": "hi \\ud800 there"}', "surrogate"),
    (b'{"text": "hi", "id": "\\udfff"}', "surrogate"),
])
def test_deep_nesting_and_lone_surrogates_get_400(url: str, body: bytes, why: str) -> None:
    with visitor(url) as member:
        r = member.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and why in r.text
        assert member.post("/api/chat", json={"text": "When was GASME founded?"}).status_code == 200


def test_a_message_stored_by_a_process_that_died_is_still_answered(library: Library, db: Engine) -> None:
    """Issue 17, item 3, for the web chat: what was stored before the turn is answered, when the page sends it
    again (same id, one turn) or, if it never does, by the sweep, through the page's updates."""
    bot = TestBot(library, db, channel="web")
    config = Settings(worker_in_process=False, channels=(WebSettings(inbox_lease=1),))
    with TestClient(create_app(config, bot.engine)) as client:
        client.get("/")
        user = str(client.cookies.get("gasme_session")).split(".")[0]
        question = {"user": user, "text": "When was GASME founded?", "lang": "en", "origin": None}
        # Stored, then the process died before the turn; the page sends the message again.
        assert bot.engine.receive("web", f"{user}:m1", question, timedelta(seconds=60))
        again = client.post("/api/chat", json={"text": "When was GASME founded?", "id": "m1"})
        assert again.status_code == 200 and "2009" in again.json()["replies"][0]["text"]
        # Stored, the process died, and the page was closed: the sweep answers it.
        assert bot.engine.receive("web", f"{user}:m2", {**question, "text": "events in Germany"}, timedelta(0))
        deadline = time.monotonic() + 15
        while not (updates := client.get("/api/updates").json()["messages"]):
            assert time.monotonic() < deadline, "the stored message was never answered"
            time.sleep(0.2)
        assert "Frankfurt" in updates[0]["text"]
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Message).where(Message.direction == "in")) == 2
