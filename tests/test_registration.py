"""Registration by conversation, transcript style, in English and Chinese.

Runs on a small test calendar (tests/data/reg_knowledge/events.yaml) beside the bundled FAQ: a 2-seat forum for
the waitlist, a summit whose registration has closed, a past conference, and two matchmaking conferences to
choose between.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.app.cli import main
from bot.app.staff_commands import to_csv
from bot.desk import registrations
from bot.storage.models import Outbox, Registration
from bot.understanding.knowledge_base import Library
from tests.conftest import ROOT, TestBot


@pytest.fixture(scope="session")
def reg_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    kdir = tmp_path_factory.mktemp("reg_knowledge")
    for name in ("faq.yaml", "synonyms.yaml"):
        shutil.copy(ROOT / "knowledge" / name, kdir / name)
    shutil.copy(ROOT / "tests" / "data" / "reg_knowledge" / "events.yaml", kdir / "events.yaml")
    return Library.load(kdir)


@pytest.fixture
def rbot(reg_library: Library, db: Engine) -> TestBot:
    return TestBot(reg_library, db)


def register(bot: TestBot, user: str, event_words: str, name: str, company: str, email: str) -> str:
    bot.say(f"I'd like to register for the {event_words}", user=user)
    bot.say(name, user=user)
    bot.say(company, user=user)
    bot.say(email, user=user)
    return bot.say("yes", user=user).text


def rows(db: Engine) -> list[Registration]:
    with db.connect() as conn:
        return list(conn.execute(select(Registration).order_by(Registration.id)).all())  # type: ignore[arg-type]


def test_full_registration_in_english(rbot: TestBot, db: Engine) -> None:
    said = rbot.say("I'd like to register for the Big Expo")
    assert said.intent == "registration" and "Big Expo 2027" in said.text and "full name" in said.text
    assert "company" in rbot.say("Wang Fang").text
    assert "email" in rbot.say("ACME Ltd.").text
    summary = rbot.say("wang.fang@acme.example")
    assert "Wang Fang" in summary.text and "ACME Ltd." in summary.text and "wang.fang@acme.example" in summary.text
    assert ("Confirm", "/yes") in summary.buttons
    done = rbot.say("yes")
    assert "You're registered" in done.text and "What happens next" in done.text
    assert ("Add to calendar", "/ics big-expo-2027") in done.buttons
    [r] = rows(db)
    assert (r.event_id, r.name, r.company, r.email, r.status) == ("big-expo-2027", "Wang Fang", "ACME Ltd.",
                                                                   "wang.fang@acme.example", "confirmed")


def test_full_registration_in_chinese(rbot: TestBot, db: Engine) -> None:
    said = rbot.say("我想报名参加大型博览会")
    assert "2027大型博览会" in said.text and "姓名" in said.text
    assert "公司" in rbot.say("王芳").text
    assert "邮箱" in rbot.say("杭州某某科技有限公司").text
    assert "信息是否正确" in rbot.say("wangfang@example.cn").text
    assert "报名成功" in rbot.say("确认").text
    [r] = rows(db)
    assert (r.name, r.company, r.lang) == ("王芳", "杭州某某科技有限公司", "zh")


def test_register_command_and_event_button(rbot: TestBot) -> None:
    said = rbot.say("/register")
    assert "Which event" in said.text
    assert ("Big Expo 2027", "/register big-expo-2027") in said.buttons
    assert "Old Matchmaking" not in said.text and "Closed Summit" not in said.text  # not open
    details = rbot.say("When is the Big Expo?", user="u2")
    assert ("Register", "/register big-expo-2027") in details.buttons
    assert "full name" in rbot.say("/register big-expo-2027", user="u2").text


@pytest.mark.parametrize("answer", ["2", "Sydney", "悉尼", "the sydney one"])
def test_several_matches_ask_which(rbot: TestBot, answer: str) -> None:
    said = rbot.say("sign me up for the matchmaking conference")
    assert "Which event" in said.text
    labels = [label for label, _ in said.buttons]
    assert labels == ["London Matchmaking Conference 2027", "Sydney Matchmaking Conference 2027"]
    chosen = rbot.say(answer)
    assert "Sydney Matchmaking Conference 2027" in chosen.text and "full name" in chosen.text


def test_no_match_says_so_and_shows_what_is_open(rbot: TestBot) -> None:
    said = rbot.say("I want to register for the underwater basket weaving gala")
    assert "couldn't find" in said.text
    assert "Big Expo 2027" in said.text


def test_abandon_at_any_step(rbot: TestBot, db: Engine) -> None:
    rbot.say("register for the Big Expo")
    rbot.say("Anna Müller")
    assert "cancelled the registration form" in rbot.say("cancel").text
    rbot.say("我想报名大型博览会", user="zh")
    assert "已取消本次报名" in rbot.say("取消", user="zh").text
    rbot.say("/register big-expo-2027", user="c")
    assert "cancelled" in rbot.say("/cancel", user="c").text
    assert rows(db) == []


def test_invalid_answers_are_explained_and_asked_again(rbot: TestBot) -> None:
    rbot.say("register for the Big Expo")
    assert "doesn't look like a name" in rbot.say("12345").text
    assert "doesn't look like a name" in rbot.say("x" * 150).text
    rbot.say("O'Brien")
    rbot.say("Acme")
    bad = rbot.say("obrien at example dot com")
    assert "doesn't look right" in bad.text
    assert "doesn't look right" in rbot.say("a@b").text
    assert "check your registration" in rbot.say("obrien@example.com").text


def test_corrections(rbot: TestBot, db: Engine) -> None:
    rbot.say("register for the Big Expo")
    rbot.say("Jane Doe")
    rbot.say("Old Company")
    summary = rbot.say("jane@old.example")
    assert "jane@old.example" in summary.text
    fixed = rbot.say("my email is actually Jane.Doe@New.Example")
    assert "Jane.Doe@new.example" in fixed.text  # the domain part is case-insensitive and normalised
    asked = rbot.say("no, change the company")
    assert "company" in asked.text.lower()
    assert "New Company" in rbot.say("New Company").text
    rbot.say("yes")
    [r] = rows(db)
    assert (r.company, r.email) == ("New Company", "Jane.Doe@new.example")


def test_correction_in_chinese(rbot: TestBot, db: Engine) -> None:
    rbot.say("我想报名大型博览会")
    rbot.say("李雷")
    rbot.say("韩梅梅公司")
    rbot.say("lilei@example.cn")
    assert "lei.li@example.cn" in rbot.say("邮箱改为lei.li@example.cn").text
    rbot.say("确认")
    assert rows(db)[0].email == "lei.li@example.cn"


def test_question_mid_form_is_answered_and_the_form_resumes(rbot: TestBot, db: Engine) -> None:
    rbot.say("register for the Big Expo")
    rbot.say("Wang Fang")
    mid = rbot.say("When was GASME founded?")
    assert mid.intent == "faq" and "2009" in mid.text
    assert "back to your registration" in mid.text and "company" in mid.replies[-1].text
    dress = rbot.say("what's the dress code?")
    assert "don't know" in dress.text and "back to your registration" in dress.text
    rbot.say("ACME")
    rbot.say("wf@acme.example")
    assert "You're registered" in rbot.say("yes").text


def test_form_survives_a_restart(rbot: TestBot, reg_library: Library, db: Engine) -> None:
    rbot.say("register for the Big Expo")
    rbot.say("Wang Fang")
    restarted = TestBot(reg_library, db)
    assert "email" in restarted.say("ACME").text
    restarted.say("wf@acme.example")
    assert "You're registered" in restarted.say("yes").text


def test_capacity_then_waitlist_with_position(rbot: TestBot, db: Engine) -> None:
    assert "You're registered" in register(rbot, "a", "Tiny Forum", "Ann", "A Co", "ann@a.example")
    assert "You're registered" in register(rbot, "b", "Tiny Forum", "Bob", "B Co", "bob@b.example")
    third = register(rbot, "c", "Tiny Forum", "Cem", "C Co", "cem@c.example")
    assert "fully booked" in third and "position 1" in third
    fourth = register(rbot, "d", "Tiny Forum", "Dai", "D Co", "dai@d.example")
    assert "position 2" in fourth
    assert [r.status for r in rows(db)] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]


def test_waitlist_in_chinese(rbot: TestBot) -> None:
    register(rbot, "a", "Tiny Forum", "Ann", "A Co", "ann@a.example")
    register(rbot, "b", "Tiny Forum", "Bob", "B Co", "bob@b.example")
    rbot.say("我想报名迷你论坛", user="z")
    rbot.say("张伟", user="z")
    rbot.say("某公司", user="z")
    rbot.say("zw@example.cn", user="z")
    said = rbot.say("确认", user="z")
    assert "名额已满" in said.text and "第1位" in said.text


def test_refusals(rbot: TestBot) -> None:
    closed = rbot.say("register for the Closed Summit")
    assert "closed on 20 November 2026" in closed.text
    past = rbot.say("register for the Old Matchmaking Conference")
    assert "already" in past.text and "closed" in past.text
    zh = rbot.say("我想报名2026旧对接会", user="zh")
    assert "无法报名" in zh.text
    zh_closed = rbot.say("我想报名截止峰会", user="zh2")
    assert "报名已于2026年11月20日截止" in zh_closed.text


def test_same_member_twice(rbot: TestBot) -> None:
    register(rbot, "a", "Big Expo", "Ann", "A Co", "ann@a.example")
    again = rbot.say("register for the Big Expo", user="a")
    assert "already registered" in again.text and "confirmed" in again.text


def test_same_email_twice(rbot: TestBot, db: Engine) -> None:
    register(rbot, "a", "Big Expo", "Ann", "A Co", "ann@a.example")
    other = register(rbot, "b", "Big Expo", "Ann Again", "A Co", "ANN@a.example")
    # Answered as a new registration is: nothing tells b that someone registered that address (the person who
    # did gets an email about it, tests/test_mail.py).
    fresh = register(rbot, "c", "Big Expo", "Cy", "C Co", "cy@c.example")
    assert other == fresh.replace("cy@c.example", "ANN@a.example")
    assert "already" not in other
    assert [(r.user_id, r.email) for r in rows(db)] == [("a", "ann@a.example"), ("c", "cy@c.example")]


def test_returning_member_is_offered_last_details(rbot: TestBot, db: Engine) -> None:
    register(rbot, "a", "Big Expo", "Ann Lee", "A Co", "ann@a.example")
    offer = rbot.say("register for the Tiny Forum", user="a")
    assert "last registration" in offer.text and "Ann Lee" in offer.text
    assert ("Yes, use these", "/reuse") in offer.buttons
    summary = rbot.say("1", user="a")
    assert "check your registration" in summary.text and "ann@a.example" in summary.text
    assert "You're registered" in rbot.say("yes", user="a").text
    new = rbot.say("register for the Sydney Matchmaking Conference", user="a")
    assert "last registration" in new.text
    assert "full name" in rbot.say("Enter new details", user="a").text or "full name" in rbot.say("/newdetails",
                                                                                                 user="a").text


def test_my_registrations_and_cancel_with_promotion(rbot: TestBot, db: Engine) -> None:
    register(rbot, "a", "Tiny Forum", "Ann", "A Co", "ann@a.example")
    register(rbot, "b", "Tiny Forum", "Bob", "B Co", "bob@b.example")
    rbot.say("/lang zh", user="c")
    rbot.say("我想报名迷你论坛", user="c")
    rbot.say("陈晨", user="c")
    rbot.say("C公司", user="c")
    rbot.say("chen@c.example", user="c")
    rbot.say("确认", user="c")
    mine = rbot.say("my registrations", user="a")
    assert "Tiny Forum 2027" in mine.text and "confirmed" in mine.text
    payload = mine.buttons[0][1]
    assert payload.startswith("/cancelreg ")
    ask = rbot.say("1", user="a")
    assert "Cancel your registration for Tiny Forum 2027?" in ask.text
    done = rbot.say("yes", user="a")
    assert "is cancelled" in done.text
    statuses = {r.user_id: r.status for r in rows(db)}
    assert statuses == {"a": "cancelled", "b": "confirmed", "c": "confirmed"}
    with db.connect() as conn:
        [notice] = conn.execute(select(Outbox.channel, Outbox.user_id, Outbox.kind, Outbox.payload)).all()
    assert notice[:3] == ("test", "c", "notice")
    assert "有了空位" in notice[3]["text"]  # in the promoted member's own language
    zh = rbot.say("我的报名", user="c")
    assert "已确认" in zh.text


@pytest.mark.parametrize("wording", ["am I registered for the expo?", "what did I sign up for again",
                                     "can you check my sign ups", "我有没有报上博览会", "我是不是报了那个展会",
                                     "报名成功了吗"])
def test_asking_after_ones_registrations_lists_them(rbot: TestBot, wording: str) -> None:
    register(rbot, "a", "Big Expo", "Ann", "A Co", "ann@a.example")
    said = rbot.say(wording, user="a")
    assert said.intent == "registration" and ("Big Expo 2027" in said.text or "2027大型博览会" in said.text), said.text


@pytest.mark.parametrize("wording", ["please withdraw me from the Big Expo", "take my name off the Big Expo",
                                     "退掉博览会的报名", "我想退出大型博览会", "取消博览会报名"])
def test_withdrawing_in_other_words_asks_to_cancel(rbot: TestBot, wording: str) -> None:
    register(rbot, "a", "Big Expo", "Ann", "A Co", "ann@a.example")
    said = rbot.say(wording, user="a")
    assert said.intent == "registration" and ("Cancel your registration" in said.text or "取消" in said.text), said.text


@pytest.mark.parametrize("wording", ["不想续了，咋退会", "we want to cancel our membership", "不续会了，怎么办手续"])
def test_leaving_the_association_is_no_cancelled_booking(rbot: TestBot, db: Engine, wording: str) -> None:
    register(rbot, "a", "Big Expo", "Ann", "A Co", "ann@a.example")
    said = rbot.say(wording, user="a")
    assert said.intent != "registration", said.text
    assert rows(db)[0].status == "confirmed"


def test_cancel_can_be_declined(rbot: TestBot, db: Engine) -> None:
    register(rbot, "a", "Big Expo", "Ann", "A Co", "ann@a.example")
    ask = rbot.say("I want to cancel my registration", user="a")
    assert "Cancel your registration for Big Expo 2027?" in ask.text
    assert "stays as it is" in rbot.say("no", user="a").text
    assert rows(db)[0].status == "confirmed"
    rbot.say("取消报名", user="a")
    assert "已取消" in rbot.say("确认", user="a").text or rows(db)[0].status == "cancelled"


def test_names_kept_exactly_as_typed(rbot: TestBot, db: Engine) -> None:
    names = ["王芳", "Müller-Lüdenscheidt", "O'Brien", "Zoë 🌟 Star", "<b>Bold</b> & Co"]
    for i, name in enumerate(names):
        register(rbot, f"n{i}", "Big Expo", name, f"{name} GmbH", f"n{i}@example.com")
    assert [r.name for r in rows(db)] == names
    out = to_csv([{"id": 1, "event_id": "e", "event_title": "E", "name": "=HYPERLINK(\"x\")", "company": "王芳",
                   "email": "a@b.c", "status": "confirmed", "waitlist_position": None, "channel": "c",
                   "user_id": "u", "lang": "zh", "created_at": "", "updated_at": "", "cancelled_at": None}])
    assert out.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert parsed[1][3] == "'=HYPERLINK(\"x\")"  # not run as a formula by a spreadsheet
    assert parsed[1][4] == "王芳"


def test_registrations_command(rbot: TestBot, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    register(rbot, "a", "Big Expo", "王芳", "杭州公司", "wf@example.cn")
    register(rbot, "b", "Tiny Forum", "Bob", "B Co", "bob@b.example")
    assert main(["registrations", "--json", "--db", db_url]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"event_id", "name", "company", "email", "status", "channel", "user_id", "created_at"} <= set(data[0])
    assert {d["name"] for d in data} == {"王芳", "Bob"}
    assert main(["registrations", "--event", "big-expo-2027", "--json", "--db", db_url]) == 0
    only = json.loads(capsys.readouterr().out)
    assert [d["name"] for d in only] == ["王芳"] and only[0]["created_at"].endswith("+00:00")
    assert main(["registrations", "--csv", "--db", db_url]) == 0
    assert "王芳" in capsys.readouterr().out


def test_outbox_notice_reaches_a_console_member(reg_library: Library, db: Engine) -> None:
    from bot.channels.console import take_notices

    bot = TestBot(reg_library, db, channel="console")
    register(bot, "a", "Tiny Forum", "Ann", "A Co", "ann@a.example")
    register(bot, "b", "Tiny Forum", "Bob", "B Co", "bob@b.example")
    register(bot, "c", "Tiny Forum", "Cem", "C Co", "cem@c.example")
    bot.say("my registrations", user="a")
    bot.say("1", user="a")
    bot.say("yes", user="a")
    assert take_notices(bot.engine, "b") == []
    [notice] = take_notices(bot.engine, "c")
    assert "seat has opened up" in notice
    assert take_notices(bot.engine, "c") == []  # delivered once


def test_crash_before_the_notice_is_queued_leaves_nothing_half_done(
        rbot: TestBot, db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:

    register(rbot, "a", "Tiny Forum", "Ann", "A Co", "ann@a.example")
    register(rbot, "b", "Tiny Forum", "Bob", "B Co", "bob@b.example")
    register(rbot, "c", "Tiny Forum", "Cem", "C Co", "cem@c.example")
    rbot.say("my registrations", user="a")
    rbot.say("1", user="a")

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("process died here")

    monkeypatch.setattr(registrations, "notify_promoted", crash)
    said = rbot.say("yes", user="a")
    assert "went wrong" in said.text
    # The cancellation and the promotion were rolled back with the notice: no seat lost, no silent promotion.
    assert [r.status for r in rows(db)] == ["confirmed", "confirmed", "waitlisted"]
    with db.connect() as conn:
        assert conn.execute(select(Outbox)).all() == []
    monkeypatch.undo()
    # The confirmation step was rolled back with the rest, so the member's "yes" can simply be said again.
    assert "is cancelled" in rbot.say("yes", user="a").text
    assert [r.status for r in rows(db)] == ["cancelled", "confirmed", "confirmed"]


def test_raised_capacity_moves_the_waitlist_up_before_new_members(
        reg_library: Library, db: Engine, tmp_path: Path) -> None:
    bot = TestBot(reg_library, db)
    for user in ("a", "b", "c", "d"):
        register(bot, user, "Tiny Forum", f"Member {user}", "Co", f"{user}@example.com")
    assert [r.status for r in rows(db)] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    # Staff raise the capacity from 2 to 3 in events.yaml and restart the bot.
    kdir = tmp_path / "k"
    shutil.copytree(reg_library.knowledge.directory, kdir)
    events = (kdir / "events.yaml").read_text(encoding="utf-8").replace("  capacity: 2\n", "  capacity: 3\n", 1)
    (kdir / "events.yaml").write_text(events, encoding="utf-8")
    bigger = TestBot(Library.load(kdir), db)
    said = register(bigger, "e", "Tiny Forum", "Member e", "Co", "e@example.com")
    assert "position 2" in said  # behind d, who was waiting longer
    assert [r.status for r in rows(db)] == ["confirmed", "confirmed", "confirmed", "waitlisted", "waitlisted"]
    with db.connect() as conn:
        [(user, payload)] = conn.execute(select(Outbox.user_id, Outbox.payload)).all()
    assert user == "c" and "seat has opened up" in payload["text"]


def test_short_event_names_start_a_registration(bot: TestBot) -> None:
    """On the bundled calendar: "register for the expo" names the Global SME Expo ("register" is not a title word
    even though it has synonyms)."""
    said = bot.say("register for the expo")
    assert said.intent == "registration" and "Global SME Expo 2027" in said.text
    zh = bot.say("我想报名参加全球中小企业博览会", user="zh")
    assert "2027全球中小企业博览会" in zh.text and "姓名" in zh.text


# --- member-facing rough edges ------------------------------------------------------------------------------


@pytest.mark.parametrize(("second_yes", "expect"), [("yes", "already registered"), ("/yes", "already registered")])
def test_a_repeated_confirm_is_answered_not_lost(rbot: TestBot, db: Engine, second_yes: str, expect: str) -> None:
    register(rbot, "u1", "Big Expo", "Ann Lee", "Lee Trading", "ann@lee.example")
    again = rbot.say(second_yes)  # a double click on Confirm, or a retried "yes"
    assert again.intent == "registration" and expect in again.text
    assert len(rows(db)) == 1


def test_a_repeated_confirm_in_chinese(rbot: TestBot, db: Engine) -> None:
    rbot.say("我想报名参加大型博览会")
    for answer in ("王芳", "某某公司", "wf@example.cn"):
        rbot.say(answer)
    assert "报名成功" in rbot.say("确认").text
    again = rbot.say("确认")
    assert again.intent == "registration" and "已经报名" in again.text
    assert len(rows(db)) == 1


@pytest.mark.parametrize(("correction", "field", "value"), [
    ("no, change the company to Lee Trading Ltd", "company", "Lee Trading Ltd"),
    ("不对，我的邮箱是 lee@trading.example", "email", "lee@trading.example"),
    ("No, my name is Ann Lee-Wong", "name", "Ann Lee-Wong"),
])
def test_a_correction_starting_with_no_keeps_its_value(rbot: TestBot, db: Engine, correction: str, field: str,
                                                       value: str) -> None:
    rbot.say("register for the Big Expo")
    for answer in ("Ann Lee", "Lee Co", "ann@lee.example"):
        rbot.say(answer)
    assert value in rbot.say(correction).text  # the summary shows the new value at once
    rbot.say("yes")
    [r] = rows(db)
    assert getattr(r, field) == value


def test_email_errors_are_in_the_members_language(rbot: TestBot) -> None:
    rbot.say("我想报名参加大型博览会")
    rbot.say("王芳")
    rbot.say("某某公司")
    said = rbot.say("wangfang-at-example.cn")
    assert "缺少 @ 符号" in said.text and "@-sign" not in said.text
    rbot.channel, english = "test2", rbot
    english.say("register for the Big Expo", user="u2")
    english.say("Ann Lee", user="u2")
    english.say("Lee Co", user="u2")
    assert "@-sign" in english.say("ann-at-lee.example", user="u2").text


def test_an_open_ticket_silences_the_form(rbot: TestBot, db: Engine) -> None:
    rbot.say("register for the Big Expo")
    rbot.say("Ann Lee")
    handed = rbot.say("How can my company become a member of GASME?")  # an answer that hands off, mid-form
    assert handed.answer_id == "membership-join" and handed.result.handoff
    assert "back to your registration" not in handed.text  # the bot does not talk over staff
    quiet = rbot.say("Lee Trading")  # would have been the company answer
    assert quiet.intent == "handoff" and "company" not in quiet.text.lower()
    assert rbot.say("/register big-expo-2027").intent == "handoff"
    assert rows(db) == []
    back = rbot.say("back to bot")
    assert "back with the bot" in back.text
