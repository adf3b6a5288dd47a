"""Intents on the bundled knowledge from its development round (tests/data/intent_rounds.yaml, written from
knowledge/faq.yaml and events.yaml only): requests for a person said in ways the patterns had not met, praise of the
bot by comparison with people, a bare acknowledgement, registrations for a season, and a question the calendar
answers that the classifier half-read as a request."""

from __future__ import annotations

from datetime import date

import pytest

from bot.understanding.periods import parse_period
from bot.understanding.text import normalize
from tests.conftest import TestBot


@pytest.mark.parametrize("words", [
    "you keep giving me the same answer!!! customer service NOW",
    "my boss wants me to get someone on the phone re the vienna forum, need a staff member to call us asap",
    "Hello? Anyone from GASME there? A real human I mean, urgent question about the toronto hotel block",
    "can a team member whatsapp me at +55 11 98765 4321 about the sao paulo event",
    "我已经问了三遍了你还是不懂 算了 让客服打我电话吧 139 0000 1234",
    "请让财务部给我发个邮件 finance@example.com 我们需要对公转账的账户信息",
    "麻烦call我一下 about 赞助合同 18600001111",
])
def test_a_request_for_a_person(bot: TestBot, words: str) -> None:
    said = bot.say(words)
    assert said.intent == "handoff", said.text


@pytest.mark.parametrize("words", ["great bot, much faster than calling anyone 👍",
                                   "lol ur better than most humans at this"])
def test_the_bot_praised_by_comparison_asks_for_no_one(bot: TestBot, words: str) -> None:
    said = bot.say(words)
    assert said.intent != "handoff" and not said.result.handoff


@pytest.mark.parametrize("words", ["ok", "好", "okay", "行吧"])
def test_a_bare_acknowledgement_is_small_talk(bot: TestBot, words: str) -> None:
    assert bot.say(words).intent == "smalltalk"


@pytest.mark.parametrize("words", ["want to sign up for something next spring", "明年春天的活动我想报名"])
def test_registering_for_a_season_offers_its_events_only(bot: TestBot, words: str) -> None:
    said = bot.say(words)
    assert said.intent == "registration"
    assert sorted(p for _, p in said.buttons if p.startswith("/register ")) == [
        "/register canada-china-matchmaking-2027", "/register uk-china-matchmaking-2027",
        "/register us-china-sme-week-2027"]


@pytest.mark.parametrize(("words", "start", "end"), [
    ("next spring", date(2027, 3, 1), date(2027, 6, 1)),
    ("明年春天", date(2027, 3, 1), date(2027, 6, 1)),
    ("this winter", date(2026, 12, 1), date(2027, 3, 1)),
    ("anything in the fall?", date(2027, 9, 1), date(2027, 12, 1)),
    ("秋季的展会", date(2027, 9, 1), date(2027, 12, 1)),
    # a month named says more than the season around it
    ("summer of next year, july or august", date(2027, 7, 1), date(2027, 8, 1)),
])
def test_seasons(words: str, start: date, end: date) -> None:
    period = parse_period(normalize(words), date(2026, 11, 26))
    assert period is not None and (period.start, period.end) == (start, end)


@pytest.mark.parametrize("words", ["does it fall on a weekend", "are you open during the spring festival"])
def test_no_season(words: str) -> None:
    assert parse_period(normalize(words), date(2026, 11, 26)) is None


def test_an_event_the_calendar_finds_beats_a_request_the_classifier_doubts(bot: TestBot) -> None:
    said = bot.say("請問有冇同巴西公司配對嘅商務對接會")
    assert said.intent == "events" and "brazil-china-matchmaking-2027" in said.result.events
