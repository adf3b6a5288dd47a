"""Reaching members, transcript style: reminders at their offsets (once, across two workers and a restart),
announcements to an event and to everyone, the WeChat 48-hour window, a resumed announcement, a member's export and
erasure, transcript retention, and the shared Telegram pacing.

Telegram and WeChat deliveries go through the real senders to the local fake platform servers (tests/fakes.py)."""

from __future__ import annotations

import itertools
import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from bot.app.settings import Settings
from bot.app.wiring import senders_for, timers_for
from bot.app.worker import Worker
from bot.channels.telegram import TelegramSettings
from bot.channels.wechat import WeChatSettings
from bot.desk import announcements, members
from bot.desk.reminders import parse_offsets
from bot.storage.database import sessions
from bot.storage.models import Conversation, Message, Outbox, Registration, ReminderSent
from bot.storage.ratelimit import SharedPace
from bot.understanding.knowledge_base import Library
from tests.conftest import ROOT, TestBot
from tests.fakes import FakeTelegram, FakeWeChat, ServerThread

# Tiny Forum 2027: Vienna, 2027-02-10 09:00 CET (08:00 UTC), 2 seats.
FORUM_UTC = datetime(2027, 2, 10, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def reg_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    kdir = tmp_path_factory.mktemp("outreach_knowledge")
    for name in ("faq.yaml", "synonyms.yaml"):
        shutil.copy(ROOT / "knowledge" / name, kdir / name)
    shutil.copy(ROOT / "tests" / "data" / "reg_knowledge" / "events.yaml", kdir / "events.yaml")
    return Library.load(kdir)


@dataclass
class Rig:
    """Members on Telegram and WeChat, the fake platforms, and a way to start worker processes."""

    library: Library
    db: Engine
    tg: FakeTelegram
    wx: FakeWeChat
    settings: Settings
    telegram: TestBot
    wechat: TestBot

    def at(self, now: datetime) -> None:
        self.telegram.now = self.wechat.now = now

    def worker(self) -> Worker:
        """A fresh worker, as a new process would build it (nothing carried over in memory)."""
        return Worker(self.db, senders_for(self.settings, self.db), lambda: self.telegram.now,
                      skip_channels=("slack",), timers=timers_for(self.settings, self.telegram.engine))

    def once(self) -> None:
        w = self.worker()
        w.run_timers()
        w.drain()

    def register(self, bot: TestBot, user: str, zh: bool = False, event: str = "Tiny Forum") -> str:
        if zh:
            bot.say("我想报名迷你论坛" if event == "Tiny Forum" else f"我想报名{event}", user=user)
            for answer in ("张伟", "某公司", f"{user}@example.cn"):
                bot.say(answer, user=user)
            return bot.say("确认", user=user).text
        bot.say(f"I'd like to register for the {event}", user=user)
        for answer in (f"Member {user}", "ACME Ltd.", f"{user}@example.com"):
            bot.say(answer, user=user)
        return bot.say("yes", user=user).text

    def tg_texts(self, chat: str) -> list[str]:
        return [c["text"] for c in self.tg.called("sendMessage") if str(c["chat_id"]) == chat]

    def wx_texts(self, openid: str) -> list[str]:
        return [c["text"]["content"] for c in self.wx.called("custom_send") if c["touser"] == openid]


@pytest.fixture
def rig(reg_library: Library, db: Engine) -> Iterator[Rig]:
    tg, wx = FakeTelegram(), FakeWeChat()
    with ServerThread(tg.app()) as tgs, ServerThread(wx.app()) as wxs:
        # Pacing is tested on its own below; here it must not make the tests wait.
        telegram = TelegramSettings("123456:TEST-token", api_base=f"http://127.0.0.1:{tgs.port}", max_rate=10_000,
                                    chat_rate=10_000)
        wechat = WeChatSettings("tok", "wxapp", "secret", api_base=f"http://127.0.0.1:{wxs.port}")
        settings = Settings(channels=(telegram, wechat), worker_in_process=False, public_url="https://bot.gasme.example")
        yield Rig(reg_library, db, tg, wx, settings, TestBot(reg_library, db, channel="telegram"),
                  TestBot(reg_library, db, channel="wechat"))


def count(db: Engine, model: Any, *where: Any) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


# --- reminders ---------------------------------------------------------------------------------------------------


def test_reminders_at_their_offsets_once_across_two_workers_and_a_restart(rig: Rig) -> None:
    assert "registered" in rig.register(rig.telegram, "1001")
    assert "报名" in rig.register(rig.telegram, "1002", zh=True)
    assert "fully booked" in rig.register(rig.telegram, "1003")  # waitlisted, position 1
    sends_before = len(rig.tg.called("sendMessage"))

    rig.at(FORUM_UTC - timedelta(days=7, minutes=1))
    rig.once()
    assert len(rig.tg.called("sendMessage")) == sends_before  # not due yet

    # Due: two workers take their pass at the same moment.
    rig.at(FORUM_UTC - timedelta(days=7) + timedelta(minutes=5))
    workers = [rig.worker(), rig.worker()]
    start = threading.Barrier(2)

    def run(w: Worker) -> None:
        start.wait()
        w.run_timers()
        w.drain()

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    rig.once()  # a restarted worker finds nothing more to do

    [en] = [t for t in rig.tg_texts("1001") if t.startswith("Reminder")]
    assert "Tiny Forum 2027 starts in 7 days" in en and "09:00" in en and "local time, CET" in en and "Vienna" in en
    [zh] = [t for t in rig.tg_texts("1002") if t.startswith("提醒")]
    assert "2027迷你论坛将于7天后开始" in zh and "当地时间" in zh and "维也纳" in zh
    assert not [t for t in rig.tg_texts("1003") if "Reminder" in t or "waitlist" in t]
    reminder = next(c for c in rig.tg.called("sendMessage") if str(c["text"]).startswith("Reminder"))
    [[button]] = json.loads(reminder["reply_markup"])["inline_keyboard"]
    assert button["text"] == "Can't come? Cancel" and button["callback_data"].startswith("/cancelreg ")
    docs = rig.tg.called("sendDocument")
    assert len(docs) == 2 and docs[0]["document"]["filename"] == "tiny-forum-2027.ics"
    assert b"BEGIN:VCALENDAR" in docs[0]["document"]["data"] and b"TZID=Europe/Vienna" in docs[0]["document"]["data"]

    # The day before: the 1-day reminder, and the waitlisted member's one notice.
    rig.at(FORUM_UTC - timedelta(hours=23))
    rig.once()
    rig.once()
    assert len([t for t in rig.tg_texts("1001") if t.startswith("Reminder")]) == 2
    assert "starts tomorrow" in rig.tg_texts("1001")[-1]
    assert "明天" in [t for t in rig.tg_texts("1002") if t.startswith("提醒")][-1]
    [waiting] = [t for t in rig.tg_texts("1003") if "waitlist" in t]
    assert "still on the waitlist (position 1)" in waiting
    assert count(rig.db, ReminderSent) == 5  # 2 x 7d, 2 x 1d, 1 waitlist


def test_the_cancel_button_of_a_reminder_cancels(rig: Rig) -> None:
    rig.register(rig.telegram, "1001")
    rig.at(FORUM_UTC - timedelta(hours=20))
    rig.once()
    reminder = next(c for c in rig.tg.called("sendMessage") if str(c["text"]).startswith("Reminder"))
    payload = json.loads(reminder["reply_markup"])["inline_keyboard"][0][0]["callback_data"]
    assert "cancel" in rig.telegram.say(payload, user="1001").text.lower()
    assert "cancelled" in rig.telegram.say("yes", user="1001").text


def test_a_late_registration_gets_only_the_offsets_still_ahead(rig: Rig) -> None:
    rig.at(FORUM_UTC - timedelta(days=5))
    rig.register(rig.telegram, "1001")
    rig.once()
    assert not [t for t in rig.tg_texts("1001") if t.startswith("Reminder")]
    rig.at(FORUM_UTC - timedelta(hours=12))
    rig.once()
    [only] = [t for t in rig.tg_texts("1001") if t.startswith("Reminder")]
    assert "in 12 hours" in only


def test_wechat_reminder_is_text_with_a_link_and_a_typed_cancel(rig: Rig) -> None:
    rig.register(rig.wechat, "oWX1", zh=True)
    rig.at(FORUM_UTC - timedelta(days=1))
    rig.wechat.say("你好", user="oWX1")  # the member wrote within the last 48 hours
    rig.once()
    [text] = [t for t in rig.wx_texts("oWX1") if t.startswith("提醒")]
    assert "https://bot.gasme.example/events/tiny-forum-2027.ics?lang=zh" in text
    assert "/cancelreg" in text


def test_reminders_can_be_stopped_and_restarted(rig: Rig) -> None:
    rig.register(rig.telegram, "1001")
    with rig.db.begin() as conn:
        members.set_prefs(conn, "telegram", "1001", FORUM_UTC, reminders=False)
    rig.at(FORUM_UTC - timedelta(days=6))
    rig.once()
    assert not [t for t in rig.tg_texts("1001") if t.startswith("Reminder")]
    with rig.db.begin() as conn:
        members.set_prefs(conn, "telegram", "1001", FORUM_UTC, reminders=True)
    rig.at(FORUM_UTC - timedelta(hours=20))
    rig.once()
    assert len([t for t in rig.tg_texts("1001") if t.startswith("Reminder")]) == 1


def test_reminder_offsets_are_parsed() -> None:
    assert [o.key for o in parse_offsets("1d, 7d,12h")] == ["7d", "1d", "12h"]
    with pytest.raises(ValueError, match="'7x'"):
        parse_offsets("7x")


# --- announcements -----------------------------------------------------------------------------------------------


def _followers(rig: Rig) -> None:
    rig.telegram.say("hello", user="2001")
    rig.telegram.say("你好", user="2002")
    rig.telegram.say("hello", user="2003")
    rig.wechat.say("你好", user="oIN")
    rig.at(rig.telegram.now - timedelta(hours=49))
    rig.wechat.say("hi there", user="oOLD")  # last wrote 49 hours before the announcement
    rig.at(rig.telegram.now + timedelta(hours=49))


def test_announcement_to_all_in_each_language_with_opt_out_and_the_48_hour_window(rig: Rig) -> None:
    _followers(rig)
    with rig.db.begin() as conn:
        members.set_prefs(conn, "telegram", "2003", rig.telegram.now, announcements=False)
    now = rig.telegram.now
    dry = announcements.dry_run(rig.db, None, now).as_dict()
    assert dry["recipients"] == 3 and dry["opted_out"] == 1 and dry["unreachable"] == 1
    assert dry["channels"]["wechat"] == {"recipients": 1, "opted_out": 0, "unreachable": 1}
    assert count(rig.db, Outbox, Outbox.kind == "announcement") == 0  # a dry run writes nothing

    ann = announcements.create(rig.db, "The 2027 calendar is out.", "2027年活动日历已发布。", None, now)
    tally = announcements.queue(rig.db, ann, now).as_dict()
    assert (tally["recipients"], tally["opted_out"], tally["unreachable"]) == (3, 1, 1)
    [row] = announcements.listing(rig.db)
    assert (row["pending"], row["sent"], row["opted_out"], row["unreachable"]) == (3, 0, 1, 1)
    rig.once()
    assert "The 2027 calendar is out." in rig.tg_texts("2001")
    assert "2027年活动日历已发布。" in rig.tg_texts("2002")
    assert not [t for t in rig.tg_texts("2003") if "2027" in t]
    assert rig.wx_texts("oIN") == ["2027年活动日历已发布。"]
    assert rig.wx_texts("oOLD") == []
    [row] = announcements.listing(rig.db)
    assert (row["sent"], row["failed"], row["unreachable"], row["pending"], row["opted_out"]) == (3, 0, 1, 0, 1)


def test_the_window_is_checked_again_at_delivery(rig: Rig) -> None:
    rig.wechat.say("hello", user="oLATE")
    ann = announcements.create(rig.db, "News", None, None, rig.wechat.now)
    announcements.queue(rig.db, ann, rig.wechat.now)
    rig.at(rig.wechat.now + timedelta(hours=48, minutes=1))  # the queue was held up past the window
    rig.once()
    assert rig.wx_texts("oLATE") == []
    [row] = announcements.listing(rig.db)
    assert (row["unreachable"], row["pending"], row["sent"]) == (1, 0, 0)


def test_announcement_to_one_events_registrants_only(rig: Rig) -> None:
    rig.register(rig.telegram, "3001")
    rig.register(rig.telegram, "3002", zh=True)
    rig.register(rig.telegram, "3003", event="Big Expo")
    rig.telegram.say("hello", user="3004")
    only_en = announcements.create(rig.db, "Room change: hall B.", None, "tiny-forum-2027", rig.telegram.now)
    assert announcements.queue(rig.db, only_en, rig.telegram.now).as_dict()["recipients"] == 2
    rig.once()
    assert "Room change: hall B." in rig.tg_texts("3001")
    assert "Room change: hall B." in rig.tg_texts("3002")  # only English given: everyone gets it
    assert "Room change: hall B." not in rig.tg_texts("3003") + rig.tg_texts("3004")


def test_an_interrupted_announcement_resumes_without_duplicates(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(7):
        rig.telegram.say("hello", user=str(4000 + n))
    monkeypatch.setattr(announcements, "BATCH", 3)
    ann = announcements.create(rig.db, "Resumed news", None, None, rig.telegram.now)

    class Cut(Exception):
        pass

    def cut_after_first_batch(done: int, total: int) -> None:
        raise Cut  # the process dies after its first batch was committed

    with pytest.raises(Cut):
        announcements.queue(rig.db, ann, rig.telegram.now, cut_after_first_batch)
    rig.once()  # the worker already delivers the first batch meanwhile
    assert announcements.unfinished_like(rig.db, "Resumed news", None, None) == ann
    tally = announcements.queue(rig.db, ann, rig.telegram.now).as_dict()
    assert (tally["already_queued"], tally["recipients"]) == (3, 4)
    announcements.queue(rig.db, ann, rig.telegram.now)  # and once more: nothing new
    rig.once()
    for n in range(7):
        assert rig.tg_texts(str(4000 + n)).count("Resumed news") == 1
    [row] = announcements.listing(rig.db)
    assert (row["sent"], row["pending"], row["complete"]) == (7, 0, True)


def test_a_broadcast_does_not_hold_up_a_staff_reply(rig: Rig) -> None:
    for n in range(5):
        rig.telegram.say("hello", user=str(5000 + n))
    with rig.db.begin() as conn:
        members.set_prefs(conn, "telegram", "5004", rig.telegram.now, announcements=False)
    before = len(rig.tg.called("sendMessage"))
    ann = announcements.create(rig.db, "Bulk", None, None, rig.telegram.now)
    announcements.queue(rig.db, ann, rig.telegram.now)
    rig.telegram.engine.send_later("telegram", "5004", "5004", ["Urgent reply"])  # queued after the broadcast
    rig.worker().run_once()
    assert [c["text"] for c in rig.tg.called("sendMessage")][before:] == ["Urgent reply"] + ["Bulk"] * 4


def test_failed_announcements_are_given_up_after_a_few_tries(rig: Rig) -> None:
    rig.telegram.say("hello", user="6001")
    ann = announcements.create(rig.db, "Never arrives", None, None, rig.telegram.now)
    announcements.queue(rig.db, ann, rig.telegram.now)

    def broken(item: Any) -> None:
        raise RuntimeError("platform down")

    w = Worker(rig.db, {"telegram": broken}, lambda: rig.telegram.now)
    for n in range(8):
        w.run_once(rig.telegram.now + timedelta(hours=n))
    [row] = announcements.listing(rig.db)
    assert (row["failed"], row["pending"]) == (1, 0)


# --- a member's own data -----------------------------------------------------------------------------------------


def test_export_and_forget(rig: Rig) -> None:
    bot = rig.telegram
    rig.register(bot, "7001")  # confirmed at the 2-seat forum
    rig.register(bot, "7002")
    rig.register(bot, "7003", zh=True)  # waitlisted
    with sessions(rig.db).begin() as s:  # and an old registration, for an event now past
        s.add(Registration(event_id="tiny-forum-2027", channel="telegram", user_id="7001", name="Member 7001",
                           company="ACME Ltd.", email="old@example.com", email_key="old@example.com", lang="en",
                           status="cancelled", created_at=bot.now, updated_at=bot.now, cancelled_at=bot.now))
    bot.say("talk to a human", user="7001")
    bot.say("I need an invoice for ACME", user="7001")

    with sessions(rig.db)() as s:
        data = members.export(s, "telegram", "7001")
    assert data is not None
    assert data["profile"] == {"name": "Member 7001", "company": "ACME Ltd.", "email": "old@example.com"}  # latest
    assert [r["status"] for r in data["registrations"]] == ["confirmed", "cancelled"]
    assert data["tickets"][0]["status"] == "open" and data["preferences"] == {"announcements": True,
                                                                              "reminders": True}
    assert any("invoice" in line["text"] for line in data["transcript"])
    json.dumps(data)  # all of it serialisable

    with sessions(rig.db).begin() as s:
        done = members.forget(s, rig.library.knowledge.event_by_id, "telegram", "7001", bot.now)
    assert done is not None and (done.seats_released, done.promoted) == (1, 1)
    with sessions(rig.db)() as s:
        assert members.export(s, "telegram", "7001") is None
        names = [r.name for r in s.scalars(select(Registration).order_by(Registration.id))]
        statuses = [r.status for r in s.scalars(select(Registration).order_by(Registration.id))]
    assert "Member 7001" not in names and len(names) == 4  # kept, anonymous
    assert statuses == ["cancelled", "confirmed", "confirmed", "cancelled"]  # 7003 moved up
    assert count(rig.db, Message, Message.user_id == "7001") == 0
    assert count(rig.db, Conversation, Conversation.user_id == "7001") == 0
    with rig.db.connect() as conn:
        relays = [r.payload for r in conn.execute(select(Outbox).where(Outbox.kind == "slack_relay"))]
        notices = [r.payload["text"] for r in conn.execute(select(Outbox).where(Outbox.user_id == "7003",
                                                                                 Outbox.kind == "notice"))]
    assert any(p.get("who") == "note" and "delete their data" in p["text"] for p in relays)
    assert any("2027迷你论坛" in n for n in notices)  # told in their own language
    # The member comes back: a fresh start.
    assert "GASME" in bot.say("hello", user="7001").text


def test_forget_keeps_a_past_event_seat(rig: Rig) -> None:
    rig.register(rig.telegram, "7101")
    rig.at(FORUM_UTC + timedelta(days=1))
    with sessions(rig.db).begin() as s:
        done = members.forget(s, rig.library.knowledge.event_by_id, "telegram", "7101", rig.telegram.now)
    assert done is not None and done.seats_released == 0
    with rig.db.connect() as conn:
        [(status, name)] = conn.execute(select(Registration.status, Registration.name)).all()
    assert (status, name) == ("confirmed", "")


def test_transcripts_older_than_the_retention_are_deleted(rig: Rig) -> None:
    rig.telegram.say("hello", user="8001")
    rig.at(rig.telegram.now + timedelta(days=200))
    rig.telegram.say("hello again", user="8001")
    rig.at(rig.telegram.now + timedelta(days=200))  # first lines now 400 days old, the others 200
    rig.once()
    with rig.db.connect() as conn:
        left = [t for (t,) in conn.execute(select(Message.text).where(Message.direction == "in"))]
    assert left == ["hello again"]


# --- shared Telegram pacing --------------------------------------------------------------------------------------


class FakeClock:
    """Time that moves only when someone sleeps: pacing is checked without waiting and without timing."""

    def __init__(self) -> None:
        self.t = 1_800_000_000.0
        self.lock = threading.Lock()

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.t += max(seconds, 0.0)


def test_pacing_is_shared_by_two_workers_and_keeps_every_window(db: Engine) -> None:
    clock = FakeClock()
    sent: list[tuple[float, str]] = []
    two = [SharedPace(db, "telegram", 30, 1, clock.now, clock.sleep) for _ in range(2)]
    for n in range(200):
        pace = two[n % 2]  # two worker processes taking turns
        chat = f"chat{n % 40}"
        pace.wait(chat)
        sent.append((clock.now(), chat))
    times = [t for t, _ in sent]
    assert max(sum(1 for x in times if s <= x < s + 1) for s in times) <= 30
    for chat in {c for _, c in sent}:
        mine = [t for t, c in sent if c == chat]
        assert all(b - a >= 1 - 1e-6 for a, b in itertools.pairwise(mine))


def test_outbox_rows_left_by_forget_never_go(rig: Rig) -> None:
    rig.telegram.say("hello", user="9001")
    ann = announcements.create(rig.db, "After forget", None, None, rig.telegram.now)
    announcements.queue(rig.db, ann, rig.telegram.now)
    with sessions(rig.db).begin() as s:
        members.forget(s, rig.library.knowledge.event_by_id, "telegram", "9001", rig.telegram.now)
    rig.once()
    assert "After forget" not in rig.tg_texts("9001")
    [row] = announcements.listing(rig.db)
    assert (row["sent"], row["pending"]) == (0, 0)


# --- the member's side, by conversation ---------------------------------------------------------------------------


def test_stop_and_subscribe_in_english(rig: Rig) -> None:
    bot = rig.telegram
    bot.say("hello", user="9101")
    asked = bot.say("stop", user="9101")
    assert "Stop announcements" in asked.text and ("Stop reminders too", "/prefs stopall") in asked.buttons
    assert "no more announcements" in bot.say("yes", user="9101").text
    assert "Announcements: off" in bot.say("/settings", user="9101").text
    assert "Event reminders: on" in bot.say("/settings", user="9101").text
    ann = announcements.create(rig.db, "Skipped news", None, None, bot.now)
    assert announcements.queue(rig.db, ann, bot.now).as_dict()["opted_out"] == 1
    assert "again" in bot.say("subscribe", user="9101").text
    assert "Announcements: on" in bot.say("/settings", user="9101").text


def test_unsubscribe_in_chinese_and_keep(rig: Rig) -> None:
    bot = rig.telegram
    asked = bot.say("退订", user="9102")
    assert "停止接收" in asked.text
    assert "未更改" in bot.say("不", user="9102").text
    bot.say("取消订阅", user="9102")
    assert "活动提醒也已停止" in bot.say("/prefs stopall", user="9102").text
    assert "通知公告：关闭" in bot.say("我的设置", user="9102").text
    assert "活动提醒：关闭" in bot.say("设置", user="9102").text
    assert "重新接收" in bot.say("订阅", user="9102").text


def test_my_data_and_delete_my_data_by_conversation(rig: Rig) -> None:
    bot = rig.telegram
    rig.register(bot, "9103")
    said = bot.say("my data", user="9103")
    [file] = [a for r in said.replies for a in r.attachments]
    data = json.loads(file.data)
    assert file.filename == "my-data.json" and data["profile"]["email"] == "9103@example.com"
    assert "1 registration(s)" in said.text
    assert "cannot be undone" in bot.say("delete my data", user="9103").text
    assert "nothing was deleted" in bot.say("no", user="9103").text
    bot.say("delete my data", user="9103")
    assert "has been deleted" in bot.say("yes", user="9103").text
    assert count(rig.db, Message, Message.user_id == "9103") == 0
    assert count(rig.db, Conversation, Conversation.user_id == "9103") == 0
    with rig.db.connect() as conn:
        assert conn.execute(select(Registration.status, Registration.name)).all() == [("cancelled", "")]


def test_my_data_in_chinese(rig: Rig) -> None:
    bot = rig.telegram
    rig.register(bot, "9104", zh=True)
    said = bot.say("我的数据", user="9104")
    assert "1条报名记录" in said.text
    assert "无法撤销" in bot.say("删除我的数据", user="9104").text
    assert "已删除" in bot.say("确定", user="9104").text
