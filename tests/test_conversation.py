"""Follow-ups read against what the last answer showed, as transcripts in both languages (bundled knowledge,
"today" 2026-11-26): a variant of the last answer, the event in view by pronoun, narrowing a list, acting on what
is shown, corrections, the same answer in the other language; and a context that lapses, or is erased."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from bot.state import CONTEXT_MINUTES
from bot.storage.models import Conversation
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot

EXPO = "global-sme-expo-2027"
UPCOMING = {"uk-china-matchmaking-2027", "canada-china-matchmaking-2027", "us-china-sme-week-2027",
            "europe-china-sme-week-2027", "china-sme-global-forum-2027", "australia-china-matchmaking-2027",
            "brazil-china-matchmaking-2027", "us-zhejiang-sme-week-2027", "us-china-entrepreneurs-summit-2027", EXPO}


# --- a variant of the last answer ---------------------------------------------------------------------------------

def test_variant_of_the_last_answer_en(bot: TestBot) -> None:
    assert bot.say("Does GASME have consultative status with UNIDO?").answer_id == "unido-status"
    said = bot.say("since when?")
    assert said.answer_id == "unido-status" and "2012" in said.text


def test_variant_of_the_last_answer_zh(bot: TestBot) -> None:
    assert bot.say("联盟的活动有多少人参加过？").answer_id == "impact"
    said = bot.say("签了多少协议呢")
    assert said.answer_id == "impact" and "200" in said.text


def test_a_variant_answered_by_a_sibling_entry(bot: TestBot) -> None:
    assert bot.say("how much does it cost to become a member").answer_id == "membership-fees"
    assert bot.say("and to attend an event?").answer_id == "event-fees"
    assert bot.say("会员费是多少？", user="u2").answer_id == "membership-fees"
    assert bot.say("那参加活动呢，要交多少", user="u2").answer_id == "event-fees"


# --- the event in view, by pronoun --------------------------------------------------------------------------------

def test_event_in_view_place_and_access_en(bot: TestBot) -> None:
    assert bot.say("Tell me about the UK-China matchmaking conference").result.events == ("uk-china-matchmaking-2027",)
    where = bot.say("where exactly is that?")
    assert "ExCeL London" in where.text and where.result.events == ("uk-china-matchmaking-2027",)
    parking = bot.say("is there parking there?")
    assert "ExCeL London" in parking.text and "parking" in parking.text
    assert ("Ask our staff", "/human") in parking.buttons  # the venue is known; parking is for staff


def test_event_in_view_place_time_and_price_zh(bot: TestBot) -> None:
    bot.say("2027中加商务对接会的情况")
    assert "多伦多" in bot.say("在哪个城市？").text
    assert "2027年4月20日" in bot.say("那几号开始").text
    assert bot.say("那边的门票多少钱").answer_id == "event-fees"  # the FAQ entry on prices, read with the event


def test_an_faq_answer_about_a_series_puts_its_next_event_in_view(bot: TestBot) -> None:
    assert bot.say("What is the Global SME Expo?").answer_id == "global-sme-expo"
    said = bot.say("where is it?")
    assert said.result.events == (EXPO,) and "Shanghai World Expo" in said.text


def test_registration_deadline_of_the_event_in_view(bot: TestBot) -> None:
    bot.say("中美中小企业合作周2027是什么时候")
    said = bot.say("那报名什么时候截止")
    assert "2027年4月30日" in said.text and said.intent == "events"


# --- narrowing the list on screen ---------------------------------------------------------------------------------

def test_narrowing_a_list_en(bot: TestBot) -> None:
    assert set(bot.say("show me upcoming events").result.events) == UPCOMING
    europe = bot.say("only europe")
    assert set(europe.result.events) == {"uk-china-matchmaking-2027", "europe-china-sme-week-2027",
                                         "china-sme-global-forum-2027"}
    assert bot.say("and in June?").result.events == ("europe-china-sme-week-2027", "china-sme-global-forum-2027")
    assert bot.say("and in germany?").result.events == ("europe-china-sme-week-2027",)


def test_narrowing_a_series_zh(bot: TestBot) -> None:
    listed = bot.say("最近有哪些商务对接会？")
    assert len(listed.result.events) == 4 and listed.result.listed
    august = bot.say("八月份的呢")
    assert set(august.result.events) == {"australia-china-matchmaking-2027", "brazil-china-matchmaking-2027"}


def test_picking_from_the_list(bot: TestBot) -> None:
    bot.say("events in Europe")
    said = bot.say("the second one")
    assert said.result.events == ("europe-china-sme-week-2027",) and not said.result.listed


def test_a_question_about_one_event_of_the_list(bot: TestBot) -> None:
    """An event named by its place in the list, inside a question: that event's answer, not "I don't know"."""
    bot.say("events in Europe")
    said = bot.say("where is the second one?")
    assert said.result.events == ("europe-china-sme-week-2027",) and said.intent == "events"
    bot.say("最近有哪些商务对接会？")
    said = bot.say("第二个在哪")
    assert len(said.result.events) == 1 and said.intent == "events" and "举办地点" in said.text
    bot.say("最近有哪些商务对接会？", user="u2")
    said = bot.say("第一个问题，会费多少钱", user="u2")  # the first question, not the first event
    assert said.answer_id == "membership-fees" and not said.result.events


def test_booking_one_event_of_the_list_by_its_place(bot: TestBot) -> None:
    listed = bot.say("events in Europe").result.events
    said = bot.say("sign me up for the last one")
    assert said.intent == "registration" and said.result.events == (listed[-1],) and not said.result.listed
    listed = bot.say("最近有哪些商务对接会？", user="u2").result.events
    said = bot.say("帮我报第二个", user="u2")
    assert said.intent == "registration" and said.result.events == (listed[1],) and "姓名" in said.text


def test_after_picking_one_the_others_of_the_list_keep_their_places(bot: TestBot) -> None:
    """After "the second one", the list it came from still counts: "and the first one?" is the list's first."""
    listed = bot.say("events in Europe").result.events
    assert len(listed) > 2 and bot.say("the second one").result.events == (listed[1],)
    said = bot.say("and when is the first one?")
    assert said.intent == "events" and said.result.events == (listed[0],)
    assert bot.say("the third one").result.events == (listed[2],)
    said = bot.say("sign me up for the last one")
    assert said.intent == "registration" and said.result.events == (listed[-1],) and not said.result.listed
    listed = bot.say("最近有哪些商务对接会？", user="u2").result.events
    assert len(listed) > 1 and bot.say("第二个", user="u2").result.events == (listed[1],)
    said = bot.say("第一个在哪", user="u2")
    assert said.result.events == (listed[0],) and "举办地点" in said.text
    listed = bot.say("events in Europe", user="u3").result.events  # then an event not of that list: none behind it
    assert "canada-china-matchmaking-2027" not in listed
    bot.say("Canada-China Business Matchmaking Conference 2027", user="u3")
    assert bot.say("when is the second one?", user="u3").result.events != (listed[1],)


# --- acting on what is shown --------------------------------------------------------------------------------------

def test_book_me_in_starts_the_form_for_the_event_shown_en(bot: TestBot) -> None:
    bot.say("when's the Global SME Expo 2027?")
    said = bot.say("sounds good, sign me up")
    assert said.intent == "registration" and "Global SME Expo 2027" in said.text
    assert said.text.count("full name") == 1  # the form asks once, not again as "back to your registration"
    assert "company" in bot.say("Li Wei").text  # and the form goes on as usual


def test_book_me_in_starts_the_form_for_the_event_shown_zh(bot: TestBot) -> None:
    bot.say("2027中澳商务对接会什么时候开")
    said = bot.say("就报这个吧")
    assert said.intent == "registration" and "2027中澳商务对接会" in said.text


def test_without_an_event_in_view_book_me_in_asks_which(bot: TestBot) -> None:
    said = bot.say("ok book me in")
    # the open events, offered as a list to choose from: none chosen for the member
    assert said.result.listed and len(said.result.events) > 1 and said.answer_id is None


# --- corrections --------------------------------------------------------------------------------------------------

def test_correction_rereads_en(bot: TestBot) -> None:
    assert bot.say("what is the SME partnership week?").answer_id == "partnership-weeks"
    assert bot.say("sorry no, i meant the matchmaking conferences").answer_id == "matchmaking"


def test_correction_after_an_answer_that_passed_the_question_to_staff(bot: TestBot) -> None:
    # The speaking answer opens a ticket; until staff take it, the member can still put their question right.
    assert bot.say("can I speak at one of your events?").answer_id == "speaking"
    assert bot.say("no i mean sponsor it, not speak").answer_id == "sponsorship"


def test_correction_rereads_zh(bot: TestBot) -> None:
    bot.say("伦敦的对接会是哪天")
    assert bot.say("说错了，是悉尼的那个").result.events == ("australia-china-matchmaking-2027",)
    assert bot.say("联盟的宗旨是什么", user="u2").answer_id == "mission"
    assert bot.say("不是宗旨，我想问目标和计划", user="u2").answer_id == "objectives"


# --- the same answer in the other language ------------------------------------------------------------------------

def test_same_answer_in_chinese(bot: TestBot) -> None:
    bot.say("What is GASME?")
    said = bot.say("能用中文再讲一遍吗")
    assert said.answer_id == "what-is-gasme" and said.result.lang == "zh"


def test_same_event_in_english(bot: TestBot) -> None:
    bot.say("2027中国中小企业全球发展论坛在哪举办")
    said = bot.say("English please")
    assert said.result.events == ("china-sme-global-forum-2027",) and "Vienna" in said.text
    assert said.result.lang == "en"


def test_same_list_in_the_other_language(bot: TestBot) -> None:
    bot.say("events in Europe")
    said = bot.say("can you say that in chinese?")
    assert "伦敦" in said.text and said.result.listed and said.result.lang == "zh"


# --- what stands on its own, and what the context is not ----------------------------------------------------------

def test_a_clear_new_question_is_read_on_its_own(bot: TestBot) -> None:
    bot.say("tell me about the London matchmaking conference")
    assert bot.say("Can I get an invitation letter for my visa?").answer_id == "visa-letter"
    assert bot.say("中美企业家峰会在哪个城市举办？").result.events == ("us-china-entrepreneurs-summit-2027",)


@pytest.mark.parametrize("question", ["where exactly is that?", "just the americas ones", "in chinese please",
                                      "就报这个吧", "具体在哪个场馆"])
def test_without_context_nothing_is_invented(bot: TestBot, question: str) -> None:
    said = bot.say(question)
    assert said.answer_id is None
    assert len(said.result.events) != 1 or said.result.listed


def test_the_context_lapses_after_minutes_of_silence(bot: TestBot) -> None:
    bot.say("Tell me about the UK-China matchmaking conference")
    bot.now += timedelta(minutes=CONTEXT_MINUTES - 1)
    assert "ExCeL London" in bot.say("where exactly is that?").text  # still in view, and the clock restarts
    bot.now += timedelta(minutes=CONTEXT_MINUTES + 1)
    later = bot.say("where exactly is that?")
    assert "ExCeL London" not in later.text and later.result.events == ()


def test_a_new_topic_replaces_the_context(bot: TestBot) -> None:
    bot.say("Tell me about the UK-China matchmaking conference")
    assert bot.say("When was GASME founded?").answer_id == "founding"
    said = bot.say("and where?")
    assert said.answer_id == "founding" and "United States" in said.text


def test_the_context_is_stored_with_the_conversation_and_erased_with_it(bot: TestBot, db: Engine) -> None:
    bot.say("Tell me about the UK-China matchmaking conference")
    with db.connect() as conn:
        state = conn.scalar(select(Conversation.state).where(Conversation.user_id == "u1"))
    assert state is not None and state["context"]["event"] == "uk-china-matchmaking-2027"
    bot.say("delete my data")
    bot.say("yes")
    with db.connect() as conn:
        assert conn.scalar(select(Conversation.state).where(Conversation.user_id == "u1")) is None
    assert "ExCeL London" not in bot.say("where exactly is that?").text


class _Counting:
    """The real model, counting the texts it embeds."""

    def __init__(self, real: Any):
        self.real, self.texts = real, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def encode(self, texts: Sequence[str], *, query: bool) -> Any:
        self.texts += len(texts)
        return self.real.encode(texts, query=query)


@pytest.mark.parametrize(("first", "follow"), [
    ("Tell me about the UK-China matchmaking conference", "where exactly is that?"),
    ("what does membership cost?", "no, I meant the price to attend an event"),
    ("Does GASME have consultative status with UNIDO?", "since when?"),
    ("最近有哪些活动？", "只要三月份的"),
    ("What is GASME?", "能用中文再讲一遍吗"),
])
def test_a_follow_up_costs_no_more_embedding_than_a_first_message(
        bot: TestBot, library: Library, monkeypatch: pytest.MonkeyPatch, first: str, follow: str) -> None:
    counting = _Counting(library.reader.embedder)
    monkeypatch.setattr(library.reader, "embedder", counting)
    bot.say(first)
    counting.texts = 0
    bot.say(follow)
    assert counting.texts <= 1
