"""Registration finds the event the way the calendar does: by place, month, type of event or part of a title, in
English and Chinese. Bundled calendar, the registration test calendar (tests/data/reg_knowledge) and a second
association's base (tests/data/second_base); today is 2026-11-26.
"""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import Engine, select

from bot.storage.models import Registration
from bot.understanding.event_resolver import kinds_in, kinds_of, resolve
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW, ROOT, TestBot


@pytest.fixture(scope="session")
def small_calendar(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The registration tests' calendar: a closed summit, a past matchmaking conference, four open events."""
    kdir = tmp_path_factory.mktemp("small_calendar")
    for name in ("faq.yaml", "synonyms.yaml"):
        shutil.copy(ROOT / "knowledge" / name, kdir / name)
    shutil.copy(ROOT / "tests" / "data" / "reg_knowledge" / "events.yaml", kdir / "events.yaml")
    return Library.load(kdir)


@pytest.fixture
def rbot(small_calendar: Library, db: Engine) -> TestBot:
    return TestBot(small_calendar, db)


def test_by_city_and_month_in_english(bot: TestBot, db: Engine) -> None:
    said = bot.say("sign me up for the Frankfurt week in June")
    assert said.intent == "registration"
    assert "Europe-China SME Partnership Week 2027" in said.text and "full name" in said.text
    bot.say("Anna Weber")
    bot.say("Weber GmbH")
    bot.say("anna@weber.example")
    assert "You're registered" in bot.say("yes").text
    with db.connect() as conn:
        assert conn.scalars(select(Registration.event_id)).all() == ["europe-china-sme-week-2027"]


def test_by_city_and_month_in_chinese(bot: TestBot) -> None:
    said = bot.say("帮我报名六月法兰克福那个合作周")
    assert said.intent == "registration"
    assert "2027中欧中小企业合作周" in said.text and "姓名" in said.text


def test_by_type_word_and_month(bot: TestBot) -> None:
    said = bot.say("I want to attend the summit in September")
    assert said.intent == "registration" and "US-China Entrepreneurs Summit 2027" in said.text
    assert "full name" in said.text
    zh = bot.say("我想报名参加展会", user="zh")
    assert "2027全球中小企业博览会" in zh.text and "姓名" in zh.text


@pytest.mark.parametrize(("wording", "title"), [
    ("book me a place at the expo in Shanghai", "Global SME Expo 2027"),
    ("put me down for the Sydney matchmaking", "Australia-China Business Matchmaking Conference 2027"),
    ("register us for the summit in September", "US-China Entrepreneurs Summit 2027"),
    ("帮我报一下悉尼的对接会", "2027中澳商务对接会"),
    ("法兰克福那个合作周帮我报上", "2027中欧中小企业合作周"),
    ("上海的博览会帮我报个名", "2027全球中小企业博览会"),
    ("报名九月在美国的峰会", "2027中美企业家峰会"),
])
def test_booking_wordings_start_the_form_for_the_event_described(bot: TestBot, wording: str, title: str) -> None:
    said = bot.say(wording)
    assert said.intent == "registration" and title in said.text, said.text


def test_by_part_of_a_chinese_title(bot: TestBot) -> None:
    said = bot.say("帮我报名中欧合作周")
    assert said.intent == "registration" and "2027中欧中小企业合作周" in said.text and "姓名" in said.text


def test_by_type_word_on_another_base(second_library: Library, db: Engine) -> None:
    other = TestBot(second_library, db)
    assert "PREC Trade Mission to Ho Chi Minh City 2027" in other.say("I'd like to register for the trade mission").text
    assert "2027奥克兰跨境电商出口工作坊" in other.say("帮我报名奥克兰的培训", user="zh").text
    none = other.say("我想报名参加对接会", user="zh2")
    assert "日历中没有对接会。" in none.text and "目前开放报名的活动有" in none.text


def test_several_matches_offer_only_those(bot: TestBot) -> None:
    said = bot.say("I'd like to register for a matchmaking event")
    offered = {payload for _, payload in said.buttons}
    assert offered == {"/register uk-china-matchmaking-2027", "/register canada-china-matchmaking-2027",
                       "/register australia-china-matchmaking-2027", "/register brazil-china-matchmaking-2027"}
    assert "Which event" in said.text and "Partnership Week" not in said.text
    assert "UK-China Business Matchmaking Conference 2027" in bot.say("London").text  # chosen by its city
    zh = bot.say("我想报名合作周", user="zh")
    assert {payload for _, payload in zh.buttons} == {"/register us-china-sme-week-2027",
                                                     "/register europe-china-sme-week-2027",
                                                     "/register us-zhejiang-sme-week-2027"}
    assert "您想报名参加哪个活动" in zh.text


def test_no_open_match_says_why_and_lists_what_is_open(rbot: TestBot) -> None:
    open_ones = {"/register tiny-forum-2027", "/register big-expo-2027", "/register london-matchmaking-2027",
                 "/register sydney-matchmaking-2027"}
    closed = rbot.say("sign me up for the summit")
    assert "Registration for Closed Summit 2027 closed on 20 November 2026" in closed.text
    assert "These are open for registration" in closed.text and {p for _, p in closed.buttons} == open_ones
    past = rbot.say("我想报名旧对接会", user="zh")
    assert "2026旧对接会已经开始或结束" in past.text and {p for _, p in past.buttons} == open_ones
    month = rbot.say("I want to register for an event in Vienna in March", user="m")
    assert "There is no event in Vienna in March 2027" in month.text
    assert {p for _, p in month.buttons} == open_ones
    zh_month = rbot.say("帮我报名二月的对接会", user="zh2")
    assert "日历中没有2027年2月的对接会" in zh_month.text and "目前开放报名的活动有" in zh_month.text
    assert {p for _, p in zh_month.buttons} == open_ones


def test_a_new_request_after_a_list_starts_again(rbot: TestBot) -> None:
    rbot.say("sign me up for the summit")  # closed: the open events are offered
    said = rbot.say("register for the Big Expo")
    assert "Big Expo 2027" in said.text and "full name" in said.text


def test_a_refund_question_is_not_a_registration(second_library: Library, db: Engine) -> None:
    other = TestBot(second_library, db)
    zh = other.say("如果我取消报名，可以退款吗")
    assert (zh.intent, zh.answer_id) == ("faq", "event-refund")
    en = other.say("can I get my money back if I cancel my registration?", user="en")
    assert en.intent != "registration" and "no registrations" not in en.text


def test_the_calendar_and_registration_read_a_description_alike(bot: TestBot, library: Library) -> None:
    listed = bot.say("events in Frankfurt in June")
    assert listed.intent == "events" and "Europe-China SME Partnership Week 2027" in listed.text
    found = resolve(library.events, "sign me up for the Frankfurt week in June", NOW)
    assert [e.id for e in found.matches] == ["europe-china-sme-week-2027"]


def test_types_of_event() -> None:
    assert kinds_in("帮我报名对接会") == {"matchmaking"}
    assert kinds_in("any events next week?") == frozenset()  # a period, not a partnership week
    forum = Library.load().knowledge.event_by_id("china-sme-global-forum-2027")
    assert forum is not None and kinds_of(forum) == {"forum"}  # "发展" in its Chinese title is no exhibition


def test_asking_how_to_sign_up_is_not_answered_with_the_refund_policy(second_library: Library, db: Engine) -> None:
    """On a base whose one FAQ entry on registering is its refund policy, asking where or how to sign up lists
    the open events; asking about the refund still gets the policy."""
    other = TestBot(second_library, db)
    for n, wording in enumerate(("活动报名入口在哪", "怎么报活动")):
        said = other.say(wording, user=f"zh{n}")
        assert said.intent == "registration" and said.answer_id is None
        assert "您想报名参加哪个活动" in said.text and "/register auckland-ecommerce-workshop-2027" in {
            p for _, p in said.buttons}
    refund = other.say("活动报名费可以退吗", user="zh9")
    assert (refund.intent, refund.answer_id) == ("faq", "event-refund")


def test_asking_whether_one_can_still_sign_up_for_an_event_described(second_library: Library, db: Engine) -> None:
    other = TestBot(second_library, db)
    said = other.say("峰会还能报吗")
    assert said.intent == "registration" and said.answer_id is None
    assert "2027 PREC年度出口峰会" in said.text and "请输入您的姓名" in said.text


def test_other_words_for_withdrawing_and_for_ones_bookings(second_library: Library, db: Engine) -> None:
    other = TestBot(second_library, db)
    for n, wording in enumerate(("看看我的预约", "撤回报名")):
        said = other.say(wording, user=f"zh{n}")
        assert said.intent == "registration" and "您还没有报名任何活动" in said.text


@pytest.mark.parametrize(("wording", "event"), [
    ("we're pulling out of the Auckland workshop, something came up", "auckland-ecommerce-workshop-2027"),
    ("please remove our company from the attendee list for the Singapore summit", "prec-export-summit-2027"),
    ("新加坡那个峰会我想撤了", "prec-export-summit-2027"),
    ("我们决定不参加奥克兰的培训了，麻烦取消一下", "auckland-ecommerce-workshop-2027"),
])
def test_leaving_an_event_in_other_words_cancels_it(second_library: Library, db: Engine, wording: str,
                                                     event: str) -> None:
    other = TestBot(second_library, db)
    other.say(f"/register {event}")
    for value in ("Lee Wen", "Lee Trading", "lee@example.com", "yes"):
        other.say(value)
    asked = other.say(wording)
    assert asked.intent == "registration" and asked.answer_id is None
    other.say("yes")
    with db.connect() as conn:
        statuses = list(conn.execute(select(Registration.status)).scalars())
    assert statuses == ["cancelled"]


@pytest.mark.parametrize("wording", ["take me off the newsletter", "please remove me from the mailing list",
                                     "帮我取消订阅月刊", "我想取消会员"])
def test_leaving_the_newsletter_or_the_membership_is_not_cancelling_a_registration(
        second_library: Library, db: Engine, wording: str) -> None:
    said = TestBot(second_library, db).say(wording)
    assert said.intent != "registration"


@pytest.mark.parametrize("wording", ["which events am I attending this year?", "is my place at the summit confirmed?",
                                     "我报过名吗", "想核对一下我们的报名情况"])
def test_asking_after_ones_registrations_in_other_words_lists_them(second_library: Library, db: Engine,
                                                                   wording: str) -> None:
    said = TestBot(second_library, db).say(wording)
    assert said.intent == "registration" and ("no registrations" in said.text or "您还没有报名任何活动" in said.text)


@pytest.mark.parametrize(("wording", "title"), [
    ("is there still room for two of us on the Vietnam trade mission?", "PREC Trade Mission to Ho Chi Minh City 2027"),
    ("could you put our company down for the Singapore summit in September?", "PREC Annual Export Summit 2027"),
    ("能不能帮我占个位，11月奥克兰那个工作坊", "2027奥克兰跨境电商出口工作坊"),
    ("我们公司想参加九月新加坡的峰会，还有名额吗", "2027 PREC年度出口峰会"),
    ("Could you reserve a seat for me at the Singapore summit in September?", "PREC Annual Export Summit 2027"),
    ("can you sign us up for the Vietnam trade mission", "PREC Trade Mission to Ho Chi Minh City 2027"),
])
def test_asking_for_a_place_in_other_words_starts_the_form(second_library: Library, db: Engine, wording: str,
                                                           title: str) -> None:
    said = TestBot(second_library, db).say(wording)
    assert said.intent == "registration" and title in said.text


def test_countries_of_the_calendar_beyond_the_big_ones_are_read(tmp_path_factory: pytest.TempPathFactory,
                                                                db: Engine) -> None:
    """Poland and Vietnam are places members name: the matchmaking in Poland is the one in Katowice."""
    third = TestBot(Library.load(ROOT / "tests" / "data" / "third_base"), db)
    said = third.say("please sign us up for the matchmaking in Poland")
    assert said.intent == "registration" and "Katowice" in said.text and "full name" in said.text
    second = TestBot(Library.load(ROOT / "tests" / "data" / "second_base"), db)
    listed = second.say("越南有什么活动", user="zh")
    assert "胡志明市" in listed.text and "新加坡" not in listed.text


@pytest.mark.parametrize("wording", ["帮我报个价，展位多少钱", "我要报销参会的差旅费", "出口的货怎么报关"])
def test_other_senses_of_bao_are_not_signing_up(second_library: Library, db: Engine, wording: str) -> None:
    """报 is also a quote, an expense claim and a customs declaration."""
    said = TestBot(second_library, db).say(wording)
    assert said.intent != "registration"


def test_registering_for_the_upcoming_event_offers_what_is_open(second_library: Library, db: Engine) -> None:
    said = TestBot(second_library, db).say("Please register me for the upcoming PREC event.")
    assert said.intent == "registration" and "Which event" in said.text
    assert {p for _, p in said.buttons} >= {"/register hcmc-trade-mission-2027", "/register prec-export-summit-2027"}


ONLINE_CALENDAR = """\
- id: export-webinar-2027
  title: {en: Export Documents Webinar 2027, zh: 2027出口单证讲座}
  starts: 2027-02-03T10:00:00
  timezone: Europe/Vienna
  tags: [online, workshop]
- id: vienna-training-2027
  title: {en: Vienna Export Training 2027, zh: 2027维也纳出口培训}
  starts: 2027-02-17T09:00:00
  timezone: Europe/Vienna
  city: {en: Vienna, zh: 维也纳}
  country: AT
  tags: [workshop]
"""


@pytest.fixture(scope="session")
def online_calendar(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """An online workshop (tagged `online`, no city) beside a workshop held in Vienna."""
    kdir = tmp_path_factory.mktemp("online_calendar")
    for name in ("faq.yaml", "synonyms.yaml"):
        shutil.copy(ROOT / "knowledge" / name, kdir / name)
    (kdir / "events.yaml").write_text(ONLINE_CALENDAR, encoding="utf-8")
    return Library.load(kdir)


@pytest.mark.parametrize(("wording", "event"), [
    ("sign me up for the webinar", "Export Documents Webinar 2027"),
    ("register me for the online training please", "Export Documents Webinar 2027"),
    ("帮我报名线上培训", "2027出口单证讲座"),
    ("报名你们的线上研讨会", "2027出口单证讲座"),
    # "online" about how to register, not about the event
    ("can I register online for the Vienna training?", "Vienna Export Training 2027"),
    ("能线上报名维也纳的培训吗", "2027维也纳出口培训"),
])
def test_an_event_held_online_is_found_by_the_word_online(online_calendar: Library, db: Engine, wording: str,
                                                          event: str) -> None:
    said = TestBot(online_calendar, db).say(wording)
    assert said.intent == "registration" and event in said.text, said.text
    assert "full name" in said.text or "姓名" in said.text


def test_a_workshop_without_online_means_either(online_calendar: Library, db: Engine) -> None:
    said = TestBot(online_calendar, db).say("sign me up for the workshop")
    assert {p for _, p in said.buttons} == {"/register export-webinar-2027", "/register vienna-training-2027"}


def test_an_online_event_asked_for_where_none_is_held_online(db: Engine) -> None:
    """The third base holds no online event: "the webinar" is not its training in Chicago."""
    third = TestBot(Library.load(ROOT / "tests" / "data" / "third_base"), db)
    zh = third.say("报名你们的线上研讨会（webinar）")
    assert zh.intent == "registration" and "日历中没有线上研讨会" in zh.text and "姓名" not in zh.text
    assert "/register export-controls-training-chicago-2027" in {p for _, p in zh.buttons}
    en = third.say("sign me up for your next webinar", user="en")
    assert "There is no online seminar in our calendar" in en.text and "full name" not in en.text
    assert kinds_in("can i register online for the summit") == {"summit"}
    assert kinds_in("线上报名对接会") == {"matchmaking"}


def test_the_calendar_asked_for_online_events_lists_only_those(online_calendar: Library, db: Engine) -> None:
    listed = TestBot(online_calendar, db).say("any online events coming up?")
    assert listed.intent == "events" and "Export Documents Webinar 2027" in listed.text
    assert "Vienna" not in listed.text
    third = TestBot(Library.load(ROOT / "tests" / "data" / "third_base"), db).say("any online events coming up?")
    assert "There are no online events in our calendar" in third.text and "Chicago" not in third.text


@pytest.mark.parametrize(("wording", "said_en", "said_zh"), [
    ("Can I register for the Osaka trade mission?", "There is no trade mission in Osaka in our calendar", None),
    ("大阪代表团我想报名", None, "日历中没有大阪的代表团"),
])
def test_an_event_placed_in_a_city_the_calendar_lacks_starts_no_form_for_another(second_library: Library, db: Engine,
                                                                                 wording: str, said_en: str | None,
                                                                                 said_zh: str | None) -> None:
    """The one trade mission of the calendar is in Ho Chi Minh City: a member asking for the one in Osaka is told
    there is none, and shown what is open, rather than signed up for Vietnam."""
    said = TestBot(second_library, db).say(wording)
    assert said.intent == "registration" and "full name" not in said.text and "姓名" not in said.text
    assert (said_en or said_zh or "") in said.text
    assert "/register hcmc-trade-mission-2027" in {p for _, p in said.buttons}


def test_a_members_own_city_is_no_place_for_the_event(second_library: Library, db: Engine) -> None:
    """Only a city that places an event counts: "a Munich company" and "上海的工厂" say where the member is."""
    member = TestBot(second_library, db)
    assert "full name" in member.say("we are a Munich company, please register us for the summit").text
    assert "姓名" in member.say("我们是上海的工厂，想报名新加坡峰会", user="zh").text
    listed = member.say("any events in Tokyo?", user="t")
    assert "There are no upcoming events in Tokyo" in listed.text


def test_reg_for_an_event_starts_the_form_and_my_reg_asks_after_it(db: Engine) -> None:
    third = TestBot(Library.load(ROOT / "tests" / "data" / "third_base"), db)
    said = third.say("reg for the green summit in Copenhagen pls")
    assert said.intent == "registration" and "Green Factory Summit 2027" in said.text and "full name" in said.text
    mine = third.say("my reg for the copenhagen summit?", user="other")
    assert "full name" not in mine.text


def test_south_east_asia_is_a_region_of_its_own(second_library: Library, db: Engine) -> None:
    said = TestBot(second_library, db).say("东南亚的活动都帮我报上")
    assert {p for _, p in said.buttons} == {"/register hcmc-trade-mission-2027", "/register prec-export-summit-2027"}
