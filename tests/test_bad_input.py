"""Odd input gets a sensible reply, never a crash."""

from __future__ import annotations

import pytest

from tests.conftest import TestBot


def test_empty_message(bot: TestBot) -> None:
    said = bot.say("")
    assert said.intent == "smalltalk"
    assert "empty" in said.text


def test_whitespace_and_control_characters_only(bot: TestBot) -> None:
    said = bot.say(" \x00\x07\u200b\t\r\n ")
    assert said.replies and "empty" in said.text


def test_twenty_thousand_characters(bot: TestBot) -> None:
    said = bot.say("When was GASME founded? " + "blah " * 4000)
    assert len(said.replies) >= 2
    assert "long message" in said.replies[0].text


def test_huge_chinese_message(bot: TestBot) -> None:
    said = bot.say("联盟" * 10_000)
    assert said.result.lang == "zh"
    assert "很长" in said.replies[0].text


def test_emoji_only(bot: TestBot) -> None:
    said = bot.say("🎉🎉🎉")
    assert said.intent == "smalltalk"
    assert "GASME" in said.text


@pytest.mark.parametrize("markup", ["<b>When was GASME founded?</b>", "**When** was _GASME_ founded?",
                                    "<script>alert(1)</script> when was gasme founded"])
def test_markup_is_read_through(bot: TestBot, markup: str) -> None:
    said = bot.say(markup)
    assert said.answer_id == "founding"


def test_control_characters_inside_a_question(bot: TestBot) -> None:
    said = bot.say("When\x00 was\x1b[31m GASME\u202e founded?")
    assert said.answer_id == "founding"


def test_sql_looking_text_is_just_text(bot: TestBot) -> None:
    said = bot.say("'; DROP TABLE conversations; --")
    assert said.replies
    assert bot.say("When was GASME founded?").answer_id == "founding"


def test_lone_surrogates_and_odd_unicode(bot: TestBot) -> None:
    said = bot.say("\ud800 hello \U0010ffff")
    assert said.replies
