"""WeChat when things go wrong (issue 17, items 1 and 2), over real HTTP against `gasme-bot serve`'s app: WeChat's
own retries (same timestamp, nonce and MsgId) answered once, a replayed nonce with another message still refused,
a database locked for seven seconds (every call still answered within WeChat's window, late answers through the
customer-service API), and a database that refuses connections (503 once WeChat has given up waiting, so that it
retries; one line in the log, no traceback)."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import Engine, func, select, text

from bot.app.reloader import Reloader
from bot.app.server import create_app
from bot.app.settings import Settings
from bot.app.wiring import senders_for
from bot.app.worker import Worker
from bot.channels.wechat import WeChatSettings
from bot.engine import BotEngine
from bot.storage.database import make_engine
from bot.storage.models import Message, Outbox
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot
from tests.fakes import FakeWeChat, ServerThread, free_port
from tests.test_hardening import TOKEN, content, running, signed_query, wx_xml


def in_lines(db: Engine, openid: str) -> int:
    with db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Message)
                               .where(Message.user_id == openid, Message.direction == "in")) or 0)


def test_wechats_own_retry_gets_the_same_answer_and_a_replay_is_refused(library: Library, db: Engine) -> None:
    with running(TestBot(library, db, channel="wechat"), WeChatSettings(TOKEN)) as url:
        query, body = signed_query(), wx_xml("text", "oRetry", "When was GASME founded?", msg_id="900001")
        first = httpx.post(f"{url}/wechat", params=query, content=body, timeout=30)
        again = httpx.post(f"{url}/wechat", params=query, content=body, timeout=30)
        assert first.status_code == again.status_code == 200
        assert "2009" in content(first.text) and content(again.text) == content(first.text)
        forged = wx_xml("text", "oRetry", "cancel my registration", msg_id="900002")
        assert httpx.post(f"{url}/wechat", params=query, content=forged, timeout=30).status_code == 403
        # An event has no MsgId: the sender and CreateTime make it the same one.
        query, welcome = signed_query(), wx_xml("subscribe", "oRetry")
        replies = [httpx.post(f"{url}/wechat", params=query, content=welcome, timeout=30) for _ in range(2)]
        assert [r.status_code for r in replies] == [200, 200]
    assert in_lines(db, "oRetry") == 2  # one turn for the question, one for the welcome


def test_the_retry_reaches_another_process_and_is_still_one_turn(library: Library, db: Engine) -> None:
    with running(TestBot(library, db, channel="wechat"), WeChatSettings(TOKEN)) as one, \
            running(TestBot(library, db, channel="wechat"), WeChatSettings(TOKEN)) as two:
        query, body = signed_query(), wx_xml("text", "oTwo", "When was GASME founded?", msg_id="900003")
        assert "2009" in content(httpx.post(f"{one}/wechat", params=query, content=body, timeout=30).text)
        again = httpx.post(f"{two}/wechat", params=query, content=body, timeout=30)
        assert again.status_code == 200 and again.text == "success"
    assert in_lines(db, "oTwo") == 1


def hold_database(db_url: str, db: Engine, seconds: float, locked: threading.Event) -> None:
    """Hold the database's write lock for `seconds`, as a long transaction of another process would: on SQLite a
    connection in BEGIN IMMEDIATE; on PostgreSQL the tables a WeChat call writes first, locked exclusively."""
    if db_url.startswith("sqlite"):
        conn = sqlite3.connect(db_url.split(":///", 1)[1], isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()
        return
    with db.connect() as pg, pg.begin():
        pg.execute(text("LOCK TABLE seen_nonces, inbound, conversations IN ACCESS EXCLUSIVE MODE"))
        locked.set()
        time.sleep(seconds)


def test_a_database_locked_for_seven_seconds_loses_no_answer(library: Library, db: Engine, db_url: str) -> None:
    fake = FakeWeChat()
    with ServerThread(fake.app()) as api:
        section = WeChatSettings(TOKEN, "wx5823bf96d3bd56c7", "secret", api_base=f"http://127.0.0.1:{api.port}")
        bot = TestBot(library, db, channel="wechat")
        with running(bot, section) as url:
            assert "2009" in content(httpx.post(f"{url}/wechat", params=signed_query(), timeout=30,
                                                content=wx_xml("text", "oWarm", "When was GASME founded?")).text)
            locked = threading.Event()
            holder = threading.Thread(target=hold_database, args=(db_url, db, 7.0, locked))
            holder.start()
            assert locked.wait(10)

            def call(n: int) -> tuple[float, httpx.Response]:
                started = time.monotonic()
                r = httpx.post(f"{url}/wechat", params=signed_query(), timeout=30,
                               content=wx_xml("text", f"oStall{n}", "When was GASME founded?"))
                return time.monotonic() - started, r

            with ThreadPoolExecutor(3) as pool:
                calls = list(pool.map(call, range(3)))
            holder.join()
            # Within WeChat's 5-second window every time: "success" now, the answer later.
            assert all(r.status_code == 200 and took < 5.0 for took, r in calls), [(t, r.text) for t, r in calls]
            passive = [n for n, (_, r) in enumerate(calls) if r.text != "success"]
            late = {f"oStall{n}" for n in range(3) if n not in passive}
            deadline = time.monotonic() + 60
            worker = Worker(db, senders_for(Settings(channels=(section,)), db), clock=lambda: bot.now)
            while {c["touser"] for c in fake.called("custom_send")} != late:
                assert time.monotonic() < deadline, f"late answers missing: {late}, sent {fake.called('custom_send')}"
                worker.drain()
                time.sleep(0.2)
    assert all("2009" in c["text"]["content"] for c in fake.called("custom_send"))
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Outbox).where(Outbox.status != "sent")) == 0


def test_a_database_refusing_connections_gets_wechat_to_retry(library: Library, db: Engine,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    down = make_engine(f"postgresql://postgres@127.0.0.1:{free_port()}/gone?connect_timeout=2")
    config = Settings(worker_in_process=False, secret_key="k" * 40, channels=(WeChatSettings(TOKEN),))
    # The reloader reads the database once when it is made (it is not started here); the outage comes after.
    app = create_app(config, BotEngine(library, down), reloader=Reloader(TestBot(library, db).engine, 60))
    with ServerThread(app) as server, caplog.at_level(logging.INFO):
        caplog.clear()
        started = time.monotonic()
        r = httpx.post(f"http://127.0.0.1:{server.port}/wechat", params=signed_query(), timeout=30,
                       content=wx_xml("text", "oDown", "When was GASME founded?"))
        took = time.monotonic() - started
    assert r.status_code == 503 and "Traceback" not in r.text
    assert took >= 5.0  # past WeChat's 5-second wait: it sends the call again
    said = [rec for rec in caplog.records if rec.name.startswith("bot.")]
    assert [rec.getMessage()[:36] for rec in said] == ["wechat: database unavailable, the ca"]
    assert all(rec.exc_info is None for rec in caplog.records)
