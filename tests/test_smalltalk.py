"""Greetings, thanks, help: short, friendly, says what the bot can do, never opens a ticket."""

from __future__ import annotations

import pytest

from tests.conftest import TestBot


@pytest.mark.parametrize(
    ("message", "fragment"),
    [
        ("hi", "help"),
        ("Hello!", "help"),
        ("good morning", "help"),
        ("thanks!", "welcome"),
        ("thank you so much", "welcome"),
        ("bye", "Goodbye"),
        ("help", "upcoming events"),
        ("/start", "upcoming events"),
        ("/help", "upcoming events"),
        ("你好", "帮您"),
        ("您好！", "帮您"),
        ("谢谢", "不客气"),
        ("帮助", "即将举行的活动"),
        ("再见", "再见"),
    ],
)
def test_small_talk(bot: TestBot, message: str, fragment: str) -> None:
    said = bot.say(message)
    assert said.intent == "smalltalk"
    assert fragment in said.text
    assert said.result.handoff is False


def test_help_offers_buttons(bot: TestBot) -> None:
    said = bot.say("/start")
    assert ("Upcoming events", "/events") in said.buttons
    events = bot.say("1")
    assert events.intent == "events"


def test_greeting_with_a_question_answers_the_question(bot: TestBot) -> None:
    said = bot.say("Hi, when was GASME founded?")
    assert said.intent == "faq"
    assert "2009" in said.text


@pytest.mark.parametrize("text", ["Hi GASME", "Hello GASME 👋", "你好 GASME"])
def test_a_greeting_to_the_association_by_name_is_a_greeting(bot: TestBot, text: str) -> None:
    """"GASME" alone is its FAQ's question word for word ("What is GASME?"): the greeting still wins."""
    said = bot.say(text)
    assert said.intent == "smalltalk" and said.answer_id is None


def test_the_associations_name_asked_about_is_still_the_faqs(bot: TestBot) -> None:
    member = bot
    assert member.say("What is GASME?").answer_id == "what-is-gasme"
    assert member.say("hi GASME, what is your membership fee?", user="m2").intent == "faq"
