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
