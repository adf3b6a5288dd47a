"""The steps of a WeChat call one by one (bot/channels/wechat.py): verify, freshness, mode and replay, decrypt, parse,
translate, answer within the window, the passive reply and re-encryption. Encryption on the other side is wechatpy's,
an independent implementation of the protocol; turns run through a real engine."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree
from sqlalchemy import Engine, func, select
from wechatpy.crypto import WeChatCrypto

from bot.channels import wechat
from bot.channels.wechat import Message, Query, Refused
from bot.channels.wechat_crypto import Crypto, is_aes_key
from bot.messages import Button, Incoming, Reply, TurnResult
from bot.storage.models import Outbox
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot

PAYLOADS = Path(__file__).parent / "payloads" / "wechat"
TOKEN = "gasmeToken2027"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx5823bf96d3bd56c7"
OPENID = "oXk2Tt8m1QzPpLr4Vb7nE0aSdFgH"


def signed(ts: str = "1764150000", nonce: str = "n1", **extra: Any) -> Query:
    return Query(ts, nonce, wechat.sign(TOKEN, ts, nonce), **extra)


def refused(step: Any, *args: Any) -> Refused:
    with pytest.raises(Refused) as caught:
        step(*args)
    return caught.value


def message(**fields: str) -> Message:
    base = {"openid": OPENID, "account": "gh_1", "kind": "text", "event": "", "content": "hello",
            "msg_id": "7001", "create_time": "1764150000"}
    return Message(**{**base, **fields})


def test_verify_takes_our_signature_and_refuses_any_other() -> None:
    wechat.verify(TOKEN, signed())
    assert refused(wechat.verify, TOKEN, Query("1764150000", "n1", "0" * 40)).status == 403
    assert refused(wechat.verify, "another-token", signed()).status == 403


def test_freshness_is_five_minutes_either_way() -> None:
    now = 1764150000.0
    wechat.check_fresh(signed(str(int(now) - 299)), now)
    wechat.check_fresh(signed(str(int(now) + 299)), now)
    for ts in (str(int(now) - 301), str(int(now) + 301), "", "12ab"):
        assert refused(wechat.check_fresh, signed(ts), now).status == 403


def test_with_an_aes_key_only_safe_mode_is_accepted() -> None:
    crypto = Crypto(TOKEN, AES_KEY, APP_ID)
    wechat.check_mode(signed(safe=True), crypto)
    wechat.check_mode(signed(), None)
    wechat.check_mode(signed(safe=True), None)  # refused later, when it cannot be decrypted
    assert refused(wechat.check_mode, signed(), crypto).status == 403


def test_a_nonce_seen_before_is_a_replay() -> None:
    seen: set[str] = set()

    def guard(key: str) -> bool:
        first = key not in seen
        seen.add(key)
        return first

    async def run(fn: Any, key: str) -> bool:
        return bool(fn(key))

    asyncio.run(wechat.check_replay(signed(), guard, run))
    assert seen == {"1764150000:n1"}
    with pytest.raises(Refused) as caught:
        asyncio.run(wechat.check_replay(signed(), guard, run))
    assert caught.value.status == 403
    asyncio.run(wechat.check_replay(signed(nonce="n2"), guard, run))
    asyncio.run(wechat.check_replay(signed(), None, run))  # no guard: nothing recorded, nothing refused


def test_decrypt_reads_plaintext_and_opens_safe_mode_envelopes() -> None:
    body = (PAYLOADS / "text.xml").read_bytes()
    assert wechat.decrypt(body, signed(), TOKEN, None).findtext("MsgId") == "24876543210987654"

    ts, nonce = "1764150000", "98765"
    envelope = ElementTree.fromstring(WeChatCrypto(TOKEN, AES_KEY, APP_ID).encrypt_message(body.decode(), nonce, ts))
    q = Query(ts, nonce, wechat.sign(TOKEN, ts, nonce), str(envelope.findtext("MsgSignature")), safe=True)
    outer = f"<xml><Encrypt><![CDATA[{envelope.findtext('Encrypt')}]]></Encrypt></xml>".encode()
    crypto = Crypto(TOKEN, AES_KEY, APP_ID)
    assert wechat.decrypt(outer, q, TOKEN, crypto).findtext("Content") == "GASME是什么时候成立的？"

    forged = Query(ts, nonce, q.signature, "0" * 40, safe=True)
    assert refused(wechat.decrypt, outer, forged, TOKEN, crypto).status == 403
    other_app = Crypto(TOKEN, AES_KEY, "wx-another-app")
    assert refused(wechat.decrypt, outer, q, TOKEN, other_app).status == 400
    assert refused(wechat.decrypt, outer, q, TOKEN, None).status == 400  # safe mode without a key
    assert refused(wechat.decrypt, (PAYLOADS / "bomb.xml").read_bytes(), signed(), TOKEN, None).status == 400
    assert refused(wechat.decrypt, b"<xml><unclosed>", signed(), TOKEN, None).status == 400


def test_parse_reads_the_fields_of_a_message_and_of_an_event() -> None:
    text = wechat.parse(ElementTree.fromstring((PAYLOADS / "text.xml").read_bytes()))
    assert text == Message(OPENID, "gh_3d9a2b6c1f0e", "text", "", "GASME是什么时候成立的？", "24876543210987654",
                           "1764150000")
    event = wechat.parse(ElementTree.fromstring((PAYLOADS / "subscribe.xml").read_bytes()))
    assert (event.kind, event.event, event.msg_id) == ("event", "subscribe", "")


def test_translate_makes_the_engines_incoming() -> None:
    inc = wechat.translate(message())
    assert inc == Incoming("wechat", OPENID, "hello", chat_id=OPENID, message_id="7001", lang="zh", raw={})
    welcome = wechat.translate(message(kind="event", event="subscribe", msg_id=""))
    assert welcome is not None and (welcome.text, welcome.message_id) == ("/start", f"{OPENID}:1764150000")
    assert wechat.translate(message(kind="event", event="unsubscribe")) is None
    photo = wechat.translate(message(kind="image", content=""))
    assert photo is not None and photo.text == "" and photo.raw == {"media": "image"}
    no_id = wechat.translate(message(msg_id=""))
    assert no_id is not None and no_id.message_id == f"{OPENID}:1764150000"
    assert refused(wechat.translate, message(openid="")).status == 400
    assert refused(wechat.translate, message(openid="o" * 200)).status == 400  # longer than any id we store


def test_an_answer_in_time_comes_back_and_a_late_one_goes_to_late(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="wechat")
    quick = wechat.translate(message(content="When was GASME founded?"))
    assert quick is not None
    late: list[TurnResult] = []
    result = asyncio.run(wechat.answer_in_time(bot.engine, quick, 30, late.append))
    assert result is not None and "2009" in result.replies[0].text and late == []

    gate = threading.Event()
    real = bot.engine.handle
    bot.engine.handle = lambda inc: (gate.wait(10), real(inc))[1]  # type: ignore[method-assign]
    slow = wechat.translate(message(content="When was GASME founded?", msg_id="7002"))
    assert slow is not None
    assert asyncio.run(wechat.answer_in_time(bot.engine, slow, 0.05, late.append)) is None
    gate.set()
    deadline = time.monotonic() + 10
    while not late:
        assert time.monotonic() < deadline, "the late turn never finished"
        time.sleep(0.02)
    assert "2009" in late[0].replies[0].text


def test_the_passive_reply_is_one_message_and_the_rest_is_queued(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="wechat")
    m = message()
    short = TurnResult((Reply("Hello", buttons=(Button("Events", "/events"),)),), "smalltalk", "zh")
    xml = asyncio.run(wechat.passive_reply(bot.engine, short, m, None))
    assert xml is not None and "Hello\n1. Events" in xml and f"<ToUserName><![CDATA[{OPENID}]]>" in xml
    assert asyncio.run(wechat.passive_reply(bot.engine, TurnResult((), "fallback", "zh"), m, None)) is None

    long = TurnResult((Reply("中" * 1500),), "faq", "zh")
    xml = asyncio.run(wechat.passive_reply(bot.engine, long, m, None))
    assert xml is not None and len(ElementTree.fromstring(xml).findtext("Content").encode()) <= wechat.MAX_BYTES
    with db.connect() as conn:
        queued = conn.scalar(select(func.count()).select_from(Outbox).where(Outbox.channel == "wechat"))
    assert queued == len(wechat.split_bytes("中" * 1500)) - 1 == 2


def test_seal_encrypts_and_signs_the_reply_so_wechat_can_open_it() -> None:
    sealed = wechat.seal(wechat.reply_xml(OPENID, "gh_1", "你好"), TOKEN, Crypto(TOKEN, AES_KEY, APP_ID))
    root = ElementTree.fromstring(sealed)
    plain = WeChatCrypto(TOKEN, AES_KEY, APP_ID).decrypt_message(sealed, str(root.findtext("MsgSignature")),
                                                                 str(root.findtext("TimeStamp")),
                                                                 str(root.findtext("Nonce")))
    assert ElementTree.fromstring(plain).findtext("Content") == "你好"


def test_the_aes_key_must_have_the_consoles_form() -> None:
    assert is_aes_key(AES_KEY)
    assert not is_aes_key(AES_KEY[:-1]) and not is_aes_key("!" * 43)
