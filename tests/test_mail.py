"""Registration emails, end to end: the conversation queues them, the worker sends them through a real SMTP
server (aiosmtpd) with the real client, and the links in them work once on the real server (`serve`'s app)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import httpx
import icalendar
import pytest
from sqlalchemy import Engine, select

from bot.app.server import create_app
from bot.app.settings import Settings
from bot.app.wiring import senders_for
from bot.app.worker import Timers, Worker
from bot.channels.email import EmailSettings
from bot.storage.models import Outbox, Registration
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW, TestBot
from tests.fakes import ServerThread
from tests.smtp_fake import Inbox, smtp_server
from tests.test_registration import reg_library, register  # noqa: F401  (a fixture)

KEY = "mail-test-key-" + "x" * 32
PUBLIC = "https://gasme.example"
LINK = re.compile(r"https://gasme\.example(/registration/[A-Za-z0-9_.-]+)")


@contextlib.contextmanager
def mailing(library: Library, db: Engine, confirm: str = "none") -> Iterator[tuple[TestBot, Settings, Inbox]]:
    with smtp_server() as (url, inbox):
        settings = Settings(channels=(EmailSettings(url, "GASME Events <events@gasme.example>"),), public_url=PUBLIC,
                            registration_confirm=confirm, secret_key=KEY, worker_in_process=False)
        bot = TestBot(library, db)
        bot.engine.registration_rules = settings.registration_rules(KEY)
        yield bot, settings, inbox


def deliver(bot: TestBot, settings: Settings) -> int:
    return Worker(bot.engine.db, senders_for(settings, bot.engine.db), bot.engine.clock).drain()


def parts(msg: EmailMessage) -> tuple[str, str, icalendar.Calendar, str]:
    """Text, HTML, the parsed .ics and its file name, checking the MIME structure on the way."""
    assert msg.get_content_type() == "multipart/mixed"
    alternative, *attachments = list(msg.iter_parts())
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    [ics] = attachments
    assert ics.get_content_type() == "text/calendar" and ics.get_content_disposition() == "attachment"
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    data = ics.get_payload(decode=True)
    assert isinstance(data, bytes)
    return text.get_content(), html.get_content(), icalendar.Calendar.from_ical(data), str(ics.get_filename())


def link_path(text: str) -> str:
    found = LINK.search(text)
    assert found, text
    return found.group(1)


def status_of(db: Engine, email: str) -> tuple[str, Any]:
    with db.connect() as conn:
        row = conn.execute(select(Registration.status, Registration.hold_until)
                           .where(Registration.email == email)).one()
    return row.status, row.hold_until


def test_registration_email_in_english_with_ics_and_a_cancel_link_that_works_once(
        reg_library: Library, db: Engine) -> None:  # noqa: F811
    with mailing(reg_library, db) as (bot, settings, inbox):
        said = register(bot, "a", "Tiny Forum", "Ann Lee", "A Co", "ann@a.example")
        assert "You're registered for Tiny Forum 2027" in said
        assert deliver(bot, settings) == 1
        [msg] = inbox.messages()
        assert inbox.logins == ["bot"], "the login of GASME_SMTP_URL was used"
        assert msg["Subject"] == "Registration confirmed: Tiny Forum 2027"
        assert msg["To"] == "ann@a.example" and "events@gasme.example" in msg["From"]
        text, html, cal, filename = parts(msg)
        assert "Dear Ann Lee," in text and "Registration: #" in text and "Status: confirmed" in text
        assert "Not you? Cancel this registration: https://gasme.example/registration/" in text
        assert 'href="https://gasme.example/registration/' in html
        assert filename == "tiny-forum-2027.ics" and cal["method"] == "PUBLISH"
        [vevent] = cal.walk("VEVENT")
        assert str(vevent["summary"]) == "Tiny Forum 2027"
        assert vevent.decoded("dtstart").isoformat() == "2027-02-10T09:00:00+01:00"

        path = link_path(text)
        with ServerThread(create_app(settings, bot.engine)) as server, \
                httpx.Client(base_url=f"http://127.0.0.1:{server.port}") as web:
            page = web.get(path)
            assert page.status_code == 200 and "Ann Lee" in page.text and "Tiny Forum 2027" in page.text
            assert '<form method="post"' in page.text and "<script" not in page.text
            assert "Cancel this registration" in page.text
            assert status_of(db, "ann@a.example")[0] == "confirmed", "looking at the page changes nothing"
            assert "此报名" in web.get(path, params={"lang": "zh"}).text

            tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
            assert web.post(tampered).status_code == 404
            done = web.post(path, data={"lang": "en"})
            assert done.status_code == 200 and "This registration is cancelled" in done.text
            assert status_of(db, "ann@a.example")[0] == "cancelled"
            again = web.post(path)
            assert again.status_code == 410 and "already been used" in again.text
            assert web.get(path).status_code == 410

        assert deliver(bot, settings) == 1
        cancelled = inbox.messages(2)[1]
        assert cancelled["Subject"] == "Registration cancelled: Tiny Forum 2027"
        text, _, cal, _ = parts(cancelled)
        assert cal["method"] == "CANCEL" and str(cal.walk("VEVENT")[0]["status"]) == "CANCELLED"
        assert "/registration/" not in text, "no link in the email about a cancellation"
        with db.connect() as conn:
            notices = conn.execute(select(Outbox.payload).where(Outbox.channel == "test")).scalars().all()
        assert any("cancelled through the link in your email" in n["text"] for n in notices)


def test_chinese_email_and_an_expired_link(reg_library: Library, db: Engine) -> None:  # noqa: F811
    with mailing(reg_library, db) as (bot, settings, inbox):
        bot.say("我想报名迷你论坛", user="z")
        bot.say("王芳", user="z")
        bot.say("杭州某某科技有限公司", user="z")
        bot.say("wangfang@example.cn", user="z")
        assert "报名成功" in bot.say("确认", user="z").text
        deliver(bot, settings)
        [msg] = inbox.messages()
        assert msg["Subject"] == "报名成功：2027迷你论坛"
        text, html, cal, _ = parts(msg)
        assert "王芳，您好：" in text and "报名编号：#" in text and "姓名：王芳" in text
        assert "不是您本人？取消此报名：https://gasme.example/registration/" in text
        assert "（当地时间，CET）" in text
        assert not re.search(r"[\u4e00-\u9fff][:,;]", text), "full-width punctuation after Chinese"
        assert 'lang="zh-CN"' in html and str(cal.walk("VEVENT")[0]["summary"]) == "2027迷你论坛"

        path = link_path(text)
        bot.now = NOW + timedelta(days=400)  # after the event: the link has expired
        with ServerThread(create_app(settings, bot.engine)) as server, \
                httpx.Client(base_url=f"http://127.0.0.1:{server.port}") as web:
            page = web.post(path)
            assert page.status_code == 410 and "此链接已过期" in page.text
        assert status_of(db, "wangfang@example.cn")[0] == "confirmed"


def test_no_email_is_queued_without_smtp(reg_library: Library, db: Engine) -> None:  # noqa: F811
    bot = TestBot(reg_library, db)
    register(bot, "a", "Tiny Forum", "Ann Lee", "A Co", "ann@a.example")
    with db.connect() as conn:
        assert conn.execute(select(Outbox.id).where(Outbox.channel == "email")).first() is None


def test_someone_elses_email_gets_the_new_answer_and_the_owner_an_email(
        reg_library: Library, db: Engine) -> None:  # noqa: F811
    with mailing(reg_library, db) as (bot, settings, inbox):
        register(bot, "a", "Tiny Forum", "Ann Lee", "A Co", "ann@a.example")
        register(bot, "b", "Tiny Forum", "Bo", "B Co", "bo@b.example")  # the forum (2 seats) is now full
        fresh = register(bot, "c", "Tiny Forum", "Cy", "C Co", "cy@c.example")
        attacker = register(bot, "x", "Tiny Forum", "Not Ann", "X Co", "ANN@a.example")
        assert "waitlist at position 2" in attacker and "Ann" not in attacker and "already" not in attacker
        assert attacker == fresh.replace("position 1", "position 2")
        assert register(bot, "y", "Tiny Forum", "Not Ann", "Y Co", "ann@a.example") == attacker
        deliver(bot, settings)
        mails = inbox.messages(4)
        assert len(mails) == 4, [(m["To"], m["Subject"]) for m in mails]
        warned = [m for m in mails if m["Subject"] == "About your registration: Tiny Forum 2027"]
        assert [m["To"] for m in warned] == ["ann@a.example"]
        assert "Nothing has changed" in parts(warned[0])[0]
        assert status_of(db, "ann@a.example")[0] == "confirmed"


def _confirm_mode_register(bot: TestBot, user: str, email: str) -> str:
    return register(bot, user, "Tiny Forum", f"Member {user}", "Co", email)


def test_email_confirmation_holds_the_seat_until_the_link_or_lapses_to_the_waitlist(
        reg_library: Library, db: Engine) -> None:  # noqa: F811
    with mailing(reg_library, db, confirm="email") as (bot, settings, inbox):
        held = _confirm_mode_register(bot, "a", "a@a.example")
        assert "holding a seat for you" in held and "a@a.example" in held
        _confirm_mode_register(bot, "b", "b@b.example")
        bot.now = NOW + timedelta(hours=1)
        waiting = _confirm_mode_register(bot, "c", "c@c.example")
        assert "a place on the waitlist (position 1)" in waiting
        deliver(bot, settings)
        first = inbox.messages(3)[0]
        assert first["Subject"] == "Please confirm your registration: Tiny Forum 2027"
        text = parts(first)[0]
        confirm_path = link_path(text.split("Confirm my registration: ")[1])
        with ServerThread(create_app(settings, bot.engine)) as server, \
                httpx.Client(base_url=f"http://127.0.0.1:{server.port}") as web:
            assert "Confirm my registration" in web.get(confirm_path).text
            done = web.post(confirm_path)
            assert done.status_code == 200 and "your registration is confirmed" in done.text
        assert status_of(db, "a@a.example") == ("confirmed", None)

        timers = Timers(lambda: bot.engine.library.knowledge.events, (), rules=bot.engine.registration_rules)
        assert timers.lapse_holds(db, NOW + timedelta(hours=23)) == 0
        assert timers.lapse_holds(db, NOW + timedelta(hours=24, minutes=1)) == 1  # b's hold ran out
        assert status_of(db, "a@a.example") == ("confirmed", None)
        assert status_of(db, "b@b.example")[0] == "cancelled"
        assert status_of(db, "c@c.example")[0] == "confirmed", "the seat went to the waitlist"
        bot.now = NOW + timedelta(hours=24, minutes=1)
        deliver(bot, settings)
        subjects = {m["To"]: m["Subject"] for m in inbox.messages(5)[3:]}
        assert subjects == {"b@b.example": "Your held seat was released: Tiny Forum 2027",
                            "c@c.example": "A seat is yours: Tiny Forum 2027"}
        assert timers.lapse_holds(db, NOW + timedelta(hours=25, minutes=1)) == 1  # c never confirmed either
        assert status_of(db, "c@c.example")[0] == "cancelled"


def test_a_refused_email_is_retried(reg_library: Library, db: Engine) -> None:  # noqa: F811
    with mailing(reg_library, db) as (bot, settings, inbox):
        inbox.fail = True
        register(bot, "a", "Tiny Forum", "Ann Lee", "A Co", "ann@a.example")
        deliver(bot, settings)
        with db.connect() as conn:
            row = conn.execute(select(Outbox.status, Outbox.attempts, Outbox.last_error)
                               .where(Outbox.channel == "email")).one()
        assert (row.status, row.attempts) == ("pending", 1) and "451" in str(row.last_error)
        inbox.fail = False
        bot.now = NOW + timedelta(minutes=5)
        deliver(bot, settings)
        assert len(inbox.messages()) == 1


@pytest.mark.parametrize(("url", "problem"), [("http://x", "must start with"), ("smtps://", "names no host")])
def test_bad_smtp_settings_are_refused_by_name(url: str, problem: str) -> None:
    from bot.app.settings import SettingsError

    with pytest.raises(SettingsError, match=f"GASME_SMTP_URL.*{problem}"):
        Settings.from_env({"GASME_SMTP_URL": url, "GASME_MAIL_FROM": "a@b.example"})
    with pytest.raises(SettingsError, match="GASME_MAIL_FROM"):
        Settings.from_env({"GASME_SMTP_URL": "smtp://localhost"})
    with pytest.raises(SettingsError, match="GASME_PUBLIC_URL"):
        Settings.from_env({"GASME_SMTP_URL": "smtp://localhost", "GASME_MAIL_FROM": "a@b.example",
                           "GASME_REGISTRATION_CONFIRM": "email"})


def test_smtps_and_a_member_who_forgets_gets_no_email(reg_library: Library, db: Engine) -> None:  # noqa: F811
    with smtp_server(implicit_tls=True) as (url, inbox):
        assert url.startswith("smtps://")
        settings = Settings(channels=(EmailSettings(url, "events@gasme.example"),), public_url=PUBLIC, secret_key=KEY,
                            worker_in_process=False)
        bot = TestBot(reg_library, db)
        bot.engine.registration_rules = settings.registration_rules(KEY)
        register(bot, "a", "Tiny Forum", "Ann Lee", "A Co", "ann@a.example")
        register(bot, "b", "Tiny Forum", "Bo", "B Co", "bo@b.example")
        register(bot, "c", "Tiny Forum", "Cy", "C Co", "cy@c.example")  # waitlisted
        assert deliver(bot, settings) == 3
        bot.say("delete my data", user="a")
        bot.say("yes", user="a")
        deliver(bot, settings)
        sent = [(m["To"], m["Subject"]) for m in inbox.messages(4)]  # 3, and c's promotion
        assert inbox.logins and len(inbox.logins) == len(sent)
        assert ("cy@c.example", "A seat is yours: Tiny Forum 2027") in sent
        assert [s for to, s in sent if to == "ann@a.example"] == ["Registration confirmed: Tiny Forum 2027"]
        with db.connect() as conn:
            skipped = conn.execute(select(Outbox.payload, Outbox.status)
                                   .where(Outbox.channel == "email", Outbox.user_id == "test:a")).all()
        assert all(p == {} for p, _ in skipped) and "skipped" in [s for _, s in skipped]


def test_a_cancellation_in_the_chat_sends_its_email(reg_library: Library, db: Engine) -> None:  # noqa: F811
    with mailing(reg_library, db) as (bot, settings, inbox):
        bot.say("我想报名迷你论坛", user="z")
        for answer in ("王芳", "某某公司", "wangfang@example.cn", "确认"):
            bot.say(answer, user="z")
        bot.say("取消报名", user="z")
        assert "已取消" in bot.say("确认", user="z").text
        deliver(bot, settings)
        assert [m["Subject"] for m in inbox.messages(2)] == ["报名成功：2027迷你论坛", "报名已取消：2027迷你论坛"]
        text, _, cal, _ = parts(inbox.messages(2)[1])
        assert "您的2027迷你论坛报名已取消。" in text and cal["method"] == "CANCEL"
