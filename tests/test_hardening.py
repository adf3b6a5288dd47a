"""Fault and abuse suite, over HTTP against the real server (uvicorn on a loopback port, or `gasme-bot serve` as a
process): web chat identity (issue 13, point 1), limits (2), bodies and Slack junk (3), WeChat replays (4),
the health check and internal errors (7, 8). The command line and processes are in test_hardening_cli.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from bot.app.ratelimit import Limiter
from bot.app.server import create_app
from bot.app.settings import Settings
from bot.app.wiring import senders_for
from bot.app.worker import Worker
from bot.channels import wechat
from bot.channels.contract import Section
from bot.channels.slack import SlackSettings
from bot.channels.webchat import WebSettings
from bot.channels.wechat import WeChatSettings
from bot.desk import tickets
from bot.engine import BotEngine
from bot.storage.database import make_engine, sessions
from bot.storage.models import Outbox, Ticket
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW, TestBot
from tests.fakes import FakeSlack, ServerThread, visitor
from tests.test_serve import serve

LOOSE = WebSettings(rate_session="1000 per minute", rate_address="1000 per minute")
HUMAN = "I want to talk to a human about a visa letter"


@contextlib.contextmanager
def running(bot: TestBot, *channels: Section, **settings: Any) -> Iterator[str]:
    """The app of `gasme-bot serve` for `bot`'s engine on a free loopback port; yields its base URL."""
    config = Settings(worker_in_process=False, channels=(*channels, LOOSE), **settings)
    bot.engine.ticket_cap = config.ticket_cap()  # as `gasme-bot serve` builds its engine
    app = create_app(config, bot.engine)
    with ServerThread(app) as server:
        yield f"http://127.0.0.1:{server.port}"


@pytest.fixture
def web(library: Library, db: Engine) -> Iterator[tuple[str, TestBot]]:
    bot = TestBot(library, db, channel="web")
    with running(bot) as url:
        yield url, bot


def say(member: httpx.Client, text: str) -> str:
    r = member.post("/api/chat", json={"text": text})
    assert r.status_code == 200, r.text
    return "\n".join(x["text"] for x in r.json()["replies"])


# --- 1. web chat identity -----------------------------------------------------------------------------------------


def test_session_cookie_is_signed_httponly_lax_and_secure_behind_https(web: tuple[str, TestBot]) -> None:
    url, _ = web
    r = httpx.get(url)
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("gasme_session=")
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=lax", "path=/"} <= flags and "secure" not in flags
    assert r.headers["cache-control"] == "no-store"
    # Behind a TLS-terminating proxy (X-Forwarded-Proto from a trusted address) the cookie is Secure.
    behind = httpx.get(url, headers={"X-Forwarded-Proto": "https"})
    assert "secure" in behind.headers["set-cookie"].lower()


def test_api_without_a_valid_session_is_401_and_ids_in_urls_or_bodies_mean_nothing(web: tuple[str, TestBot]) -> None:
    url, _ = web
    with visitor(url) as member:
        assert "2009" in say(member, "When was GASME founded?")
        sid = member.cookies["gasme_session"].split(".")[0]
    for path in ("/api/history", "/api/updates"):
        assert httpx.get(url + path, params={"user": sid}).status_code == 401
        assert httpx.get(url + path, cookies={"gasme_session": sid + ".forged"}).status_code == 401
        assert httpx.get(url + path, cookies={"gasme_session": sid}).status_code == 401
    r = httpx.post(f"{url}/api/chat", json={"user": sid, "text": "my registrations"})
    assert r.status_code == 401
    with visitor(url) as other:  # a session of its own: the id in the body is ignored
        other.post("/api/chat", json={"user": sid, "text": "hello"})
        assert other.get("/api/history").json()["messages"][0]["text"] == "hello"


def test_updates_reach_only_the_session_that_owns_them(web: tuple[str, TestBot], db: Engine) -> None:
    url, bot = web
    with visitor(url) as alice, visitor(url) as mallory:
        assert "passed this to our staff" in say(alice, HUMAN)
        with sessions(db).begin() as s:
            ticket = s.scalars(select(Ticket)).one()
            tickets.staff_reply(s, ticket.id, "Here is your letter.", "amy", bot.now, echo_to_slack=False)
        assert mallory.get("/api/updates").json()["messages"] == []
        assert "Here is your letter." not in str(mallory.get("/api/history").json())
        assert alice.get("/api/updates").json()["messages"][0]["text"].endswith("Here is your letter.")


def test_personal_responses_are_not_cached_and_every_page_has_the_security_headers(web: tuple[str, TestBot]) -> None:
    url, _ = web
    with visitor(url) as member:
        say(member, "hello")
        for path in ("/api/history", "/api/updates"):
            assert member.get(path).headers["cache-control"] == "no-store"
        assert member.post("/api/chat", json={"text": "hi"}).headers["cache-control"] == "no-store"
        for r in (member.get("/"), member.get("/healthz"), member.get("/no-such-page"), member.get("/api/history")):
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["referrer-policy"] == "same-origin"


def test_the_session_key_is_kept_in_the_database_so_sessions_survive_a_restart(library: Library, db: Engine) -> None:
    first, second = TestBot(library, db, channel="web"), TestBot(library, db, channel="web")
    with running(first) as url, visitor(url) as member:
        say(member, "When was GASME founded?")
        cookie = member.cookies["gasme_session"]
    with running(second) as url:  # a new process on the same database
        r = httpx.get(f"{url}/api/history", cookies={"gasme_session": cookie})
        assert r.status_code == 200 and r.json()["messages"][0]["text"] == "When was GASME founded?"
    with running(TestBot(library, db, channel="web"), secret_key="k" * 40) as url:  # GASME_SECRET_KEY wins
        assert httpx.get(f"{url}/api/history", cookies={"gasme_session": cookie}).status_code == 401


# --- 2. limits ----------------------------------------------------------------------------------------------------


def test_a_session_over_its_burst_gets_429_with_retry_after(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="web")
    with running(bot, WebSettings("3 per minute; 100 per hour", LOOSE.rate_address)) as url, visitor(url) as member:
        codes = [member.post("/api/chat", json={"text": f"hello {i}"}) for i in range(5)]
        assert [r.status_code for r in codes] == [200, 200, 200, 429, 429]
        assert 1 <= int(codes[3].headers["retry-after"]) <= 60
        stored = len(member.get("/api/history").json()["messages"])
    assert stored == 6, "refused messages are not stored"


def test_the_sustained_rate_holds_fresh_sessions_of_one_address(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="web")
    with running(bot, WebSettings(LOOSE.rate_session, "100 per second; 6 per hour")) as url:
        statuses = []
        for _ in range(4):
            with httpx.Client(base_url=url) as client:  # a fresh session each time, one address
                page = client.get("/")
                statuses.append(page.status_code)
                if page.status_code == 200:
                    statuses.append(client.post("/api/chat", json={"text": "hi"}).status_code)
        assert statuses[:6] == [200] * 6 and set(statuses[6:]) == {429}


def _redis_url() -> str:
    return "redis://127.0.0.1:6379/0"


def test_limits_hold_across_processes_through_redis(library: Library, db: Engine) -> None:
    """Two servers (as two processes would be), one Redis: hits on one count on the other."""
    address = f"198.51.100.{secrets.randbelow(250) + 1}"
    ns = f"gasme-test-{uuid.uuid4().hex[:8]}"
    rates = {"session": "4 per minute", "address": "1000 per minute"}

    def app_for(bot: TestBot) -> Any:
        return create_app(Settings(worker_in_process=False), bot.engine, limiter=Limiter(rates, _redis_url(), ns))

    a, b = TestBot(library, db, channel="web"), TestBot(library, db, channel="web")
    with ServerThread(app_for(a)) as one, ServerThread(app_for(b)) as two, \
            visitor(f"http://127.0.0.1:{one.port}", **{"X-Forwarded-For": address}) as member:
        cookie = member.cookies["gasme_session"]
        seen = []
        for i in range(6):
            port = one.port if i % 2 == 0 else two.port
            seen.append(httpx.post(f"http://127.0.0.1:{port}/api/chat", json={"text": "hi"},
                                   cookies={"gasme_session": cookie}).status_code)
    assert seen == [200, 200, 200, 200, 429, 429]


def test_ticket_cap_per_address_tells_the_member_when_and_loses_nothing(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="web")
    with running(bot, tickets_per_address=2) as url:
        answers = []
        for _ in range(4):  # fresh anonymous sessions from one address
            with visitor(url, **{"X-Forwarded-For": "203.0.113.9"}) as member:
                answers.append(say(member, HUMAN))
                history = member.get("/api/history").json()["messages"]
                assert history[0]["text"] == HUMAN, "the question is kept in the transcript"
        with visitor(url, **{"X-Forwarded-For": "203.0.113.10"}) as elsewhere:
            assert "passed this to our staff" in say(elsewhere, HUMAN)  # another address is not affected
    assert all("passed this to our staff" in a for a in answers[:2])
    assert all("about 60 minutes" in a and "saved" in a for a in answers[2:]), answers
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Ticket)) == 3
        assert conn.scalar(select(func.count()).select_from(Outbox).where(Outbox.kind == "slack_post")) == 3


def test_ticket_cap_per_session(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="web")
    with running(bot, tickets_per_session=1) as url, visitor(url) as member:
        assert "passed this to our staff" in say(member, HUMAN)
        say(member, "back to bot")
        say(member, "我要人工客服")  # the bot asks what the question is
        zh = say(member, "签证邀请函什么时候能办好？")
        assert "分钟后可以再提交新问题" in zh
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Ticket)) == 1


# --- 3. bodies, Slack ---------------------------------------------------------------------------------------------


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _declared(port: int, path: str, size: int) -> str:
    """Announce a `size`-byte body and send none of it: the answer must not wait for the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {size}\r\n\r\n".encode())
        return sock.recv(4096).decode(errors="replace").split("\r\n")[0]


def _stream(port: int, path: str, total: int, headers: str = "") -> tuple[int, str]:
    """POST `total` bytes chunked (no Content-Length) on a raw socket; returns (bytes the server let us send,
    the first line of its answer, if any)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n{headers}"
                     "Content-Type: application/json\r\n\r\n".encode())
        chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
        with contextlib.suppress(OSError):  # the server closing or no longer reading is what we expect
            while sent < total:
                sock.sendall(chunk)
                sent += 0x10000
        answer = b""
        with contextlib.suppress(OSError):
            answer = sock.recv(4096)
    return sent, answer.decode(errors="replace").split("\r\n")[0]


def test_oversized_bodies_are_refused_while_streaming_with_bounded_memory(tmp_path: Path, db_url: str) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s3cret", "SLACK_STAFF_CHANNEL": "C1",
           "SLACK_API_URL": "http://127.0.0.1:9/api/", "GASME_WORKER_IN_PROCESS": "0", "DATABASE_URL": db_url}
    with serve(tmp_path, **env) as served, visitor(served.base) as member:
        port = int(served.base.rsplit(":", 1)[1])
        pid = int(served.pid)
        before = _rss_kib(pid)
        for path in ("/api/chat", "/slack/events", "/healthz"):
            assert "413" in _declared(port, path, 300 * 2**20)
            sent, status = _stream(port, path, 300 * 2**20)
            assert sent < 300 * 2**20 or "413" in status, (path, sent, status)
        grew = _rss_kib(pid) - before
        assert grew < 40 * 1024, f"the server grew by {grew} KiB"
        small = member.post("/api/chat", content=b'{"text": "' + b"y" * 70_000 + b'"}')
        assert small.status_code == 413
        assert "2009" in say(member, "When was GASME founded?")  # still serving


@pytest.mark.parametrize("body", [b"\xff\xfe\x00junk", b"{", b"payload=%7B%22type", b"", b"[]" * 1000])
def test_unsigned_or_junk_slack_requests_get_4xx_never_500(library: Library, db: Engine, body: bytes) -> None:
    bot = TestBot(library, db)
    with ServerThread(FakeSlack().app()) as slack, \
            running(bot, SlackSettings("xoxb-test", "s3cret", "C1", f"http://127.0.0.1:{slack.port}/api/")) as url:
        unsigned = httpx.post(f"{url}/slack/events", content=body)
        assert unsigned.status_code in (400, 401)
        ts = str(int(time.time()))
        sig = "v0=" + hmac.new(b"s3cret", f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
        signed = httpx.post(f"{url}/slack/events", content=body, headers={
            "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig, "Content-Type": "application/json"})
        assert 400 <= signed.status_code < 500 or signed.status_code == 200


def test_slack_text_fallback_is_escaped(library: Library, db: Engine) -> None:
    bot = TestBot(library, db)
    bot.say("I want to talk to a human: <!channel> & <https://evil.example|click>")
    bot.say("more <!here> & <@U123>")
    fake = FakeSlack()
    with ServerThread(fake.app()) as server:
        settings = Settings(channels=(SlackSettings("xoxb-test", "s", "C1", f"http://127.0.0.1:{server.port}/api/"),),
                            worker_in_process=False)
        Worker(db, senders_for(settings, db), clock=lambda: bot.now).drain()
    texts = [c["text"] for c in fake.called("chat.postMessage")]
    assert len(texts) == 2
    for text in texts:
        assert "<!" not in text and "<@" not in text and "<https" not in text
    assert "&lt;!channel&gt; &amp;" in texts[0] and "&lt;!here&gt; &amp; &lt;@U123&gt;" in texts[1]


# --- 4. WeChat ----------------------------------------------------------------------------------------------------

TOKEN, APP_ID, AES_KEY = "gasmeToken2027", "wx5823bf96d3bd56c7", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def wx_xml(kind: str, openid: str, content: str = "", msg_id: str | None = None) -> bytes:
    body = {"text": f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>",
            "image": "<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://x/p.jpg]]></PicUrl>",
            "voice": "<MsgType><![CDATA[voice]]></MsgType><Format><![CDATA[amr]]></Format>",
            "subscribe": "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>"}[kind]
    mid = f"<MsgId>{msg_id or secrets.randbelow(10**15)}</MsgId>" if kind != "subscribe" else ""
    return (f"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime>{body}{mid}</xml>").encode()


def signed_query(ts: int | None = None, nonce: str | None = None) -> dict[str, str]:
    t, n = str(int(time.time()) if ts is None else ts), nonce or secrets.token_hex(8)
    return {"timestamp": t, "nonce": n, "signature": wechat.sign(TOKEN, t, n)}


def content(reply: str) -> str:
    from defusedxml import ElementTree

    return str(ElementTree.fromstring(reply).findtext("Content"))


@pytest.fixture
def wx(library: Library, db: Engine) -> Iterator[str]:
    with running(TestBot(library, db, channel="wechat"), WeChatSettings(TOKEN)) as url:
        yield url


def test_wechat_refuses_stale_and_future_timestamps(wx: str) -> None:
    for ts in (978307200, int(time.time()) - 360, int(time.time()) + 360):  # 2001, stale, ahead
        r = httpx.post(f"{wx}/wechat", params=signed_query(ts), content=wx_xml("text", "oA", "hello"))
        assert r.status_code == 403
        assert httpx.get(f"{wx}/wechat", params={**signed_query(ts), "echostr": "1"}).status_code == 403
    assert httpx.post(f"{wx}/wechat", params=signed_query(), content=wx_xml("text", "oA", "hello")).status_code == 200


def test_wechat_refuses_a_replayed_nonce_with_any_body_in_every_process(library: Library, db: Engine) -> None:
    captured = signed_query()
    with running(TestBot(library, db, channel="wechat"), WeChatSettings(TOKEN)) as one, \
            running(TestBot(library, db, channel="wechat"), WeChatSettings(TOKEN)) as two:
        assert httpx.post(f"{one}/wechat", params=captured, content=wx_xml("text", "oA", "hi")).status_code == 200
        for url in (one, two):
            forged = wx_xml("text", "oVictim", "cancel my registration")
            assert httpx.post(f"{url}/wechat", params=captured, content=forged).status_code == 403


def test_wechat_with_an_aes_key_accepts_only_encrypted_messages(library: Library, db: Engine) -> None:
    bot = TestBot(library, db, channel="wechat")
    with running(bot, WeChatSettings(TOKEN, APP_ID, aes_key=AES_KEY)) as url:
        r = httpx.post(f"{url}/wechat", params=signed_query(), content=wx_xml("text", "oA", "hello"))
        assert r.status_code == 403
        fake_safe = httpx.post(f"{url}/wechat", params={**signed_query(), "encrypt_type": "aes"},
                               content=wx_xml("text", "oA", "hello"))
        assert fake_safe.status_code in (400, 403)


def test_wechat_welcome_is_chinese_and_media_gets_i_read_text_best(wx: str) -> None:
    welcome = content(httpx.post(f"{wx}/wechat", params=signed_query(), content=wx_xml("subscribe", "oNew")).text)
    assert "GASME" in welcome and any("\u4e00" <= ch <= "\u9fff" for ch in welcome)
    for kind in ("image", "voice"):
        said = content(httpx.post(f"{wx}/wechat", params=signed_query(), content=wx_xml(kind, "oNew")).text)
        assert "我更擅长读文字" in said and "空" not in said
    english = content(httpx.post(f"{wx}/wechat", params=signed_query(),
                                 content=wx_xml("text", "oNew", "When was GASME founded?")).text)
    assert "2009" in english and "GASME" in english and not any("\u4e00" <= ch <= "\u9fff" for ch in english)


# --- 7 and 8. the health check, internal errors, ids ---------------------------------------------------------------


def _read_only(url: str, tmp_path: Path) -> str:
    if url.startswith("sqlite"):
        return f"sqlite:///file:{url.split(':///', 1)[1]}?mode=ro&uri=true"
    # PostgreSQL: every transaction of this connection is read-only (as on a replica); search_path kept.
    return url.replace("options=-c", "options=-cdefault_transaction_read_only%3Don%20-c")


def test_a_read_only_database_fails_healthz_and_members_get_an_apology(library: Library, db_url: str,
                                                                       tmp_path: Path) -> None:
    ro = make_engine(_read_only(db_url, tmp_path))
    engine = BotEngine(library, ro, clock=lambda: NOW)
    app = create_app(Settings(worker_in_process=False, secret_key="r" * 40, channels=(LOOSE,)), engine)
    with ServerThread(app) as server, visitor(f"http://127.0.0.1:{server.port}") as member:
        health = member.get("/healthz")
        assert health.status_code == 503 and health.json()["ok"] is False
        for text, apology in (("When was GASME founded?", "Sorry, something went wrong"),
                              ("GASME是什么时候成立的？", "抱歉，系统出了点问题")):
            r = member.post("/api/chat", json={"text": text})
            assert r.status_code == 200
            said = r.json()["replies"][0]["text"]
            assert apology in said and "Error" not in said
    ro.dispose()


def test_healthz_is_ok_on_a_writable_database(web: tuple[str, TestBot]) -> None:
    url, _ = web
    assert httpx.get(f"{url}/healthz").json() == {"ok": True}


def test_redis_is_running_for_the_shared_limits() -> None:
    """CI starts Redis (.ci/run); without it the cross-process limit test above cannot mean anything."""
    import redis

    assert redis.Redis.from_url(_redis_url()).ping()


def test_open_for_refuses_past_the_cap_and_writes_nothing(db: Engine) -> None:
    """The contract handlers rely on: `open_for` raises TicketCapReached(retry_at) and leaves no row behind;
    channels with a platform identity are not capped."""
    from datetime import timedelta

    cap = tickets.TicketCap(per_member=5, per_origin=2)
    with sessions(db).begin() as s:
        for n in range(2):
            tickets.open_for(s, "web", f"w{n}", None, "en", "q", "asked", NOW + timedelta(minutes=n), origin="o",
                             cap=cap)
        with pytest.raises(tickets.TicketCapReached) as refused:
            tickets.open_for(s, "web", "w9", None, "en", "q", "asked", NOW + timedelta(minutes=5), origin="o", cap=cap)
        assert refused.value.retry_at == NOW + timedelta(hours=1)  # when the oldest leaves the window
        for n in range(3):
            tickets.open_for(s, "telegram", f"t{n}", None, "en", "q", "asked", NOW, origin="o", cap=cap)
    with sessions(db).begin() as s:
        tickets.open_for(s, "web", "w9", None, "en", "q", "asked", NOW + timedelta(hours=1, seconds=1), origin="o",
                         cap=cap)
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Ticket)) == 6
