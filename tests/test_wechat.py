"""WeChat Official Account: recorded XML payloads through `gasme-bot serve`'s /wechat route, in plaintext and safe
mode. Safe-mode messages are encrypted, and our replies decrypted, with wechatpy: an independent implementation of
the protocol. Late answers and relays go through a local fake of WeChat's customer-service API."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from starlette.testclient import TestClient
from wechatpy.crypto import WeChatCrypto

from bot.app.server import create_app
from bot.app.settings import Settings
from bot.app.wiring import senders_for
from bot.app.worker import Worker
from bot.channels import wechat
from bot.channels.wechat import WeChatSettings
from bot.storage.models import Outbox
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot
from tests.fakes import FakeWeChat, ServerThread

PAYLOADS = Path(__file__).parent / "payloads" / "wechat"
TOKEN = "gasmeToken2027"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat issues them
APP_ID = "wx5823bf96d3bd56c7"
OPENID = "oXk2Tt8m1QzPpLr4Vb7nE0aSdFgH"


def query(**extra: str) -> dict[str, str]:
    ts, nonce = str(int(time.time())), secrets.token_hex(8)  # a fresh nonce per request, as WeChat sends
    return {"timestamp": ts, "nonce": nonce, "signature": wechat.sign(TOKEN, ts, nonce), **extra}


class Wx:
    def __init__(self, library: Library, db: Engine, base: str, safe_mode: bool = False):
        self.bot = TestBot(library, db, channel="wechat")
        self.settings = Settings(channels=(WeChatSettings(TOKEN, APP_ID, "secret", AES_KEY if safe_mode else None,
                                                          api_base=base),), worker_in_process=False)
        self.client = TestClient(create_app(self.settings, self.bot.engine))
        self.db = db

    def post(self, xml: str, params: dict[str, str] | None = None) -> Any:
        return self.client.post("/wechat", params=params or query(), content=xml.encode(),
                                headers={"Content-Type": "text/xml"})

    def deliver(self) -> int:
        return Worker(self.db, senders_for(self.settings, self.db), clock=lambda: self.bot.now).drain()


@pytest.fixture
def wx(library: Library, db: Engine) -> Iterator[tuple[Wx, FakeWeChat]]:
    fake = FakeWeChat()
    with ServerThread(fake.app()) as server:
        yield Wx(library, db, f"http://127.0.0.1:{server.port}"), fake


def xml(name: str, **replace: str) -> str:
    text = (PAYLOADS / f"{name}.xml").read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def content_of(reply_xml: str) -> str:
    from defusedxml import ElementTree

    return str(ElementTree.fromstring(reply_xml).findtext("Content"))


def test_server_check(wx: tuple[Wx, FakeWeChat]) -> None:
    w, _ = wx
    assert w.client.get("/wechat", params=query(echostr="7712349876")).text == "7712349876"
    bad = query(echostr="7712349876")
    bad["signature"] = "0" * 40
    assert w.client.get("/wechat", params=bad).status_code == 403


def test_plaintext_text_message_passive_reply(wx: tuple[Wx, FakeWeChat]) -> None:
    w, _ = wx
    r = w.post(xml("text"))
    assert r.status_code == 200
    assert "2009" in content_of(r.text)
    assert f"<ToUserName><![CDATA[{OPENID}]]>" in r.text


def test_subscribe_sends_the_welcome(wx: tuple[Wx, FakeWeChat]) -> None:
    w, _ = wx
    r = w.post(xml("subscribe"))
    reply = content_of(r.text)
    assert "GASME" in reply and "1. " in reply  # buttons as numbered text


def test_buttons_become_numbers_that_can_be_typed_back(wx: tuple[Wx, FakeWeChat]) -> None:
    w, _ = wx
    w.post(xml("subscribe"))
    r = w.post(xml("text", **{"GASME是什么时候成立的？": "1", "24876543210987654": "24876543210987655"}))
    assert "即将举行的活动" in content_of(r.text) or "Upcoming events" in content_of(r.text)


def test_signature_failure(wx: tuple[Wx, FakeWeChat]) -> None:
    w, _ = wx
    params = query()
    params["signature"] = "f" * 40
    assert w.post(xml("text"), params).status_code == 403


def test_redelivered_msgid_answers_once(wx: tuple[Wx, FakeWeChat]) -> None:
    w, _ = wx
    first = w.post(xml("text"))
    again = w.post(xml("text"))
    assert "2009" in content_of(first.text)
    assert again.text == "success"


def test_safe_mode_round_trip(library: Library, db: Engine) -> None:
    w = Wx(library, db, "http://127.0.0.1:9", safe_mode=True)
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    nonce, ts = "98765", str(int(time.time()))
    encrypted_xml = crypto.encrypt_message(xml("text"), nonce, ts)
    from defusedxml import ElementTree

    root = ElementTree.fromstring(encrypted_xml)
    params = {"timestamp": ts, "nonce": nonce, "signature": wechat.sign(TOKEN, ts, nonce), "encrypt_type": "aes",
              "msg_signature": str(root.findtext("MsgSignature"))}
    body = (f"<xml><ToUserName><![CDATA[gh_3d9a2b6c1f0e]]></ToUserName>"
            f"<Encrypt><![CDATA[{root.findtext('Encrypt')}]]></Encrypt></xml>")
    r = w.post(body, params)
    assert r.status_code == 200
    reply_root = ElementTree.fromstring(r.text)
    plain = crypto.decrypt_message(r.text, str(reply_root.findtext("MsgSignature")),
                                   str(reply_root.findtext("TimeStamp")), str(reply_root.findtext("Nonce")))
    assert "2009" in content_of(plain)
    nonce = secrets.token_hex(8)
    bad = dict(params, nonce=nonce, signature=wechat.sign(TOKEN, ts, nonce), msg_signature="0" * 40)
    assert w.post(body, bad).status_code == 403


def test_xml_bomb_and_malformed_xml_are_refused(wx: tuple[Wx, FakeWeChat]) -> None:
    w, _ = wx
    assert w.post(xml("bomb")).status_code == 400
    assert w.post("<xml><ToUserName>unclosed").status_code == 400
    assert w.post("not xml at all").status_code == 400
    assert w.post("<xml></xml>").status_code == 400  # no sender
    assert "2009" in content_of(w.post(xml("text")).text)  # still serving


def test_slow_turn_falls_back_to_the_customer_service_api(wx: tuple[Wx, FakeWeChat], db: Engine,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    w, fake = wx
    real = w.bot.engine.handle

    def slow(inc: Any) -> Any:
        time.sleep(0.5)
        return real(inc)

    monkeypatch.setattr(w.bot.engine, "handle", slow)
    monkeypatch.setattr(wechat, "PASSIVE_SECONDS", 0.1)
    r = w.post(xml("text"))
    assert r.text == "success"
    deadline = time.monotonic() + 10
    while True:
        with db.connect() as conn:
            if conn.scalar(select(func.count()).select_from(Outbox).where(Outbox.channel == "wechat")):
                break
        assert time.monotonic() < deadline, "the late answer was never queued"
        time.sleep(0.05)
    w.deliver()
    [sent] = fake.called("custom_send")
    assert sent["touser"] == OPENID and "2009" in sent["text"]["content"]
    assert sent["access_token"] == "ACCESS_TOKEN_1"


def test_calendar_file_becomes_a_link_to_the_server(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="wechat")
    settings = Settings(channels=(WeChatSettings(TOKEN),), public_url="https://bot.gasme.example",
                        worker_in_process=False)
    client = TestClient(create_app(settings, bot.engine))
    r = client.post("/wechat", params=query(), headers={"Content-Type": "text/xml"},
                    content=xml("text", **{"GASME是什么时候成立的？": "/ics global-sme-expo-2027"}).encode())
    assert "https://bot.gasme.example/events/global-sme-expo-2027.ics" in content_of(r.text)
    ics = client.get("/events/global-sme-expo-2027.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert ics.content.startswith(b"BEGIN:VCALENDAR") and b"Global SME Expo 2027" in ics.content
    assert b"2027" in client.get("/events/global-sme-expo-2027.ics", params={"lang": "zh"}).content
    assert client.get("/events/no-such-event.ics").status_code == 404


def test_long_replies_split_by_bytes() -> None:
    text = "中" * 1500  # 4,500 bytes in UTF-8
    pieces = wechat.split_bytes(text)
    assert all(len(p.encode()) <= 2048 for p in pieces) and "".join(pieces) == text
    assert wechat.split_bytes("a\nb") == ["a\nb"]
