"""Calendar questions against the bundled sample calendar; "today" is 2026-11-26 (tests/conftest.py)."""

from __future__ import annotations

import icalendar
import pytest
from sqlalchemy import Engine

from bot.understanding.knowledge_base import Library
from tests.conftest import ROOT, TestBot


def test_whats_coming_up_lists_upcoming_events_only(bot: TestBot) -> None:
    said = bot.say("What events are coming up?")
    assert said.intent == "events"
    assert "Global SME Expo" in said.text or "Partnership Week" in said.text
    assert "2026" not in said.text  # the October 2026 conference is over and not offered


def test_chinese_upcoming(bot: TestBot) -> None:
    said = bot.say("近期有什么活动？")
    assert said.intent == "events"
    assert "即将举行的活动" in said.text
    assert "伦敦" in said.text


def test_what_is_next_for_the_association_is_its_plans_not_the_calendar(bot: TestBot) -> None:
    assert bot.say("联盟接下来有什么规划").answer_id == "objectives"
    said = bot.say("最近有什么安排", user="u2")  # no plans asked of: the calendar
    assert said.intent == "events" and said.result.listed


@pytest.mark.parametrize(("question", "entry"), [("合作周是干嘛的", "partnership-weeks"),
                                               ("What is the Global SME Expo?", "global-sme-expo")])
def test_what_a_series_or_an_event_named_alone_is_stays_the_faqs(bot: TestBot, question: str, entry: str) -> None:
    """The FAQ describes the association's events; only a place or time that picks one out makes "what's the ..." a
    question for the calendar (below)."""
    assert bot.say(question).answer_id == entry


def test_a_place_beside_words_the_calendar_does_not_hold_is_the_faqs(db: Engine) -> None:
    third = TestBot(Library.load(ROOT / "tests" / "data" / "third_base"), db)
    assert third.say("苏州办公室在哪 周六上班吗").answer_id == "offices-and-hours"  # not the expo in Suzhou
    # One word the calendar has nowhere is enough; one word of an event's title stays the calendar's.
    assert third.say("苏州办公室在哪", user="u3").answer_id == "offices-and-hours"
    assert third.say("where is the Suzhou office", user="u4").answer_id == "offices-and-hours"
    assert third.say("Suzhou automation", user="u5").result.events == ("automation-expo-suzhou-2027",)
    # Asking what one event is shows it; the association's own name in a title names no event.
    assert third.say("What's the machinery fair in Milan next spring?", user="u6").result.events == (
        "machinery-fair-milan-2027",)
    assert third.say("杜伊斯堡的合作周是干嘛的", user="u7").result.events == ("cooperation-week-duisburg-2027",)
    assert third.say("when did ESMC start, and where?", user="u8").answer_id == "founding"
    said = third.say("德国有什么活动", user="u2")
    assert said.intent == "events" and said.result.events == ("cooperation-week-duisburg-2027",)


@pytest.mark.parametrize(
    ("question", "expected", "absent"),
    [
        ("events in Germany", "Frankfurt", "London"),
        ("德国有什么活动", "法兰克福", "伦敦"),
        ("any events in the UK?", "London", "Frankfurt"),
        ("英国的活动", "伦敦", "法兰克福"),
        ("events in London", "London", "Frankfurt"),
        ("What's happening in Europe?", "Frankfurt", "Sydney"),
        ("events in March", "London", "Toronto"),
        ("三月有什么活动", "伦敦", "多伦多"),
        ("2027年8月的活动", "悉尼", "伦敦"),
        ("events in Brazil", "São Paulo", "London"),
        ("events in Sao Paulo", "São Paulo", "London"),
    ],
)
def test_filters_by_place_and_month(bot: TestBot, question: str, expected: str, absent: str) -> None:
    said = bot.say(question)
    assert said.intent == "events"
    assert expected in said.text
    assert absent not in said.text


def test_relative_month_with_no_event_says_so_without_listing_others(bot: TestBot) -> None:
    said = bot.say("what's on next month?")  # December 2026: nothing in the sample calendar
    assert said.intent == "events"
    assert "no upcoming events" in said.text
    assert "no upcoming events next month" in said.text  # not "in next month"
    assert "London" not in said.text and "•" not in said.text
    placed = bot.say("anything in Germany next month?", user="u2")
    assert "no upcoming events in Germany next month" in placed.text


def test_relative_month_chinese(bot: TestBot) -> None:
    said = bot.say("下个月有什么活动")
    assert "没有" in said.text and "下个月" in said.text
    bot.now = bot.now.replace(month=11, day=20, year=2027)
    later = bot.say("下个月有什么活动", user="u2")  # in November 2027, next month is December: nothing either
    assert "没有" in later.text
    bot.now = bot.now.replace(year=2027, month=2, day=10)
    march = bot.say("next month", user="u3")
    assert "London" in march.text


def test_country_with_no_events(bot: TestBot) -> None:
    said = bot.say("Are there any events in Japan?")
    assert "no upcoming events in Japan" in said.text
    assert "•" not in said.text


def test_when_is_a_named_event_gives_details_in_venue_time(bot: TestBot) -> None:
    said = bot.say("When is the Global SME Expo?")
    assert said.intent == "events"
    assert "Shanghai" in said.text
    assert "09:00" in said.text and "CST" in said.text  # Asia/Shanghai local time
    assert ("Add to calendar", "/ics global-sme-expo-2027") in said.buttons


def test_named_event_in_chinese(bot: TestBot) -> None:
    said = bot.say("欧中中小企业合作周在哪里举行？")
    assert "法兰克福" in said.text
    assert "时间" in said.text


def test_series_question_lists_the_series(bot: TestBot) -> None:
    said = bot.say("when are the business matchmaking conferences?")
    assert said.intent == "events"
    for city in ("London", "Toronto", "Sydney", "São Paulo"):
        assert city in said.text
    assert "San Francisco" not in said.text  # past


def test_past_event_is_not_offered_as_upcoming(bot: TestBot) -> None:
    said = bot.say("When is the US-China Business Matchmaking Conference?")
    assert "already taken place" in said.text
    assert "Add to calendar" not in [label for label, _ in said.buttons]


def test_ics_on_request(bot: TestBot) -> None:
    bot.say("When is the US-China SME Partnership Week?")
    said = bot.say("can I get a calendar file for it?")
    assert said.intent == "events"
    [att] = [a for r in said.replies for a in r.attachments]
    assert att.filename == "us-china-sme-week-2027.ics"
    cal = icalendar.Calendar.from_ical(att.data)
    [event] = cal.walk("VEVENT")
    assert event["SUMMARY"] == "US-China SME Partnership Week 2027"
    start = event.decoded("DTSTART")
    assert start.hour == 9 and str(start.tzinfo) == "America/New_York"
    assert cal.walk("VTIMEZONE"), "the file carries its time zone"


def test_ics_button_in_chinese(bot: TestBot) -> None:
    said = bot.say("/ics global-sme-expo-2027", lang="zh")
    bot.say("你好")
    zh = bot.say("全球中小企业博览会加入日历")
    [att] = [a for r in zh.replies for a in r.attachments]
    assert "全球中小企业博览会".encode() in att.data
    assert said.replies[0].attachments


def test_event_button_details(bot: TestBot) -> None:
    listing = bot.say("upcoming events")
    payload = listing.buttons[0][1]
    assert payload.startswith("/event ")
    details = bot.say("1")  # numbered option typed back
    assert details.intent == "events"
    assert "When:" in details.text


def test_weather_in_a_city_is_not_an_events_question(bot: TestBot) -> None:
    said = bot.say("what's the weather in London tomorrow?")
    assert said.intent == "fallback"


@pytest.mark.parametrize("question", ["events in Europe", "欧洲有什么活动", "anything coming up in Europe?"])
def test_a_region_covers_every_event_in_its_countries(bot: TestBot, question: str) -> None:
    said = bot.say(question)
    assert said.intent == "events"
    for city in (("London", "伦敦"), ("Frankfurt", "法兰克福"), ("Vienna", "维也纳")):
        assert city[0] in said.text or city[1] in said.text, (question, said.text)
    assert "Sydney" not in said.text and "悉尼" not in said.text


@pytest.mark.parametrize(("question", "more", "all_label"), [
    ("what's coming up?", "and 2 more", "Show all 10"), ("近期有什么活动？", "还有2场活动", "显示全部10场")])
def test_a_long_calendar_says_how_many_more_and_offers_them(bot: TestBot, question: str, more: str,
                                                            all_label: str) -> None:
    said = bot.say(question)
    assert more in said.text
    button = next(b for b in said.replies[0].buttons if b.label == all_label)
    everything = bot.say(button.payload)
    assert "Global SME Expo" in everything.text or "全球中小企业博览会" in everything.text
    assert "more" not in everything.text and "还有" not in everything.text


def test_chinese_texts_take_full_width_punctuation(bot: TestBot) -> None:
    details = bot.say("全球中小企业博览会什么时候", user="zh1").text
    assert "时间：" in details and "地点：" in details and "（当地时间，CST）" in details
    assert "时间: " not in details and "当地时间, " not in details and "。 " not in details
    for text in ("/register global-sme-expo-2027", "张三", "某公司", "zs@example.com", "是"):
        bot.say(text, user="zh1")
    mine = bot.say("我的报名", user="zh1").text
    assert "：已确认（#" in mine and ": " not in mine


@pytest.mark.parametrize("message", ["Company 901014", "Company 15", "Business 15", "公司15"])
def test_a_generic_word_shared_with_titles_names_no_event(bot: TestBot, message: str) -> None:
    # "Company" folds with "business" (knowledge/synonyms.yaml), a word of every matchmaking title: no list of them.
    said = bot.say(message)
    assert not said.result.events and "Matchmaking" not in said.text


def test_a_generic_word_beside_a_name_still_names_it(bot: TestBot) -> None:
    said = bot.say("when is the business matchmaking conference in Sydney?")
    assert said.result.events == ("australia-china-matchmaking-2027",)


def test_how_many_events_is_not_a_request_for_the_calendar(bot: TestBot) -> None:
    # "many events" holds "any events" ("are there any events in March?" asks the calendar; this does not).
    said = bot.say("how many events has gasme organized?")
    assert said.intent == "faq" and "60" in said.text


@pytest.mark.parametrize(("message", "event"), [
    ("中欧周在哪", "europe-china-sme-week-2027"),  # the title's last character, with the country pair before it
    ("中美周什么时候", "us-china-sme-week-2027"),
    ("中英会在哪", "uk-china-matchmaking-2027"),
    ("博览会哪天开幕", "global-sme-expo-2027"),
])
def test_chinese_short_names_find_the_event(bot: TestBot, message: str, event: str) -> None:
    assert bot.say(message).result.events == (event,)


def test_the_last_character_alone_names_no_event(bot: TestBot) -> None:
    assert bot.say("下周有什么活动").result.events == ()  # "周" ends the partnership weeks' titles
