"""The member's language: detected, remembered, switchable; every phrase exists in both languages."""

from __future__ import annotations

import re

import pytest

from bot.i18n import PHRASES
from bot.messages import LANGS
from tests.conftest import TestBot


def test_every_phrase_exists_in_every_language() -> None:
    for key, forms in PHRASES.items():
        for lang in LANGS:
            assert forms.get(lang), f"phrase {key!r} has no {lang}"
        # The same placeholders in every language, or formatting would fail in one of them; a period's label is
        # given all its arguments (a month by name and by number), and each language uses what it writes.
        fields = {lang: set(re.findall(r"{(\w+)}", forms[lang])) for lang in LANGS}
        assert fields["en"] == fields["zh"] or key.startswith("period_"), key


def test_chinese_is_answered_in_chinese_and_remembered(bot: TestBot) -> None:
    assert bot.say("你好").result.lang == "zh"
    later = bot.say("👍")  # no letters to tell by: the remembered language is used
    assert later.result.lang == "zh"
    assert "🙂" in later.text and "GASME" in later.text


def test_switch_to_english_and_back(bot: TestBot) -> None:
    bot.say("你好")
    switched = bot.say("English please")
    assert switched.result.lang == "en"
    assert "English" in switched.text
    # An explicit choice holds even when the member then types Chinese.
    assert bot.say("GASME是什么时候成立的").result.lang == "en"
    back = bot.say("中文")
    assert back.result.lang == "zh" and "中文" in back.text
    assert "2009" in bot.say("When was GASME founded?").text
    assert bot.say("When was GASME founded?").result.lang == "zh"


@pytest.mark.parametrize(("command", "lang"), [("/lang zh", "zh"), ("/lang en", "en"), ("说中文", "zh"),
                                                 ("in english", "en"), ("reply in Chinese please", "zh")])
def test_lang_commands(bot: TestBot, command: str, lang: str) -> None:
    said = bot.say(command)
    assert said.result.lang == lang
    assert said.intent == "smalltalk"


def test_a_switch_that_names_no_language_is_to_the_other_one(bot: TestBot) -> None:
    assert bot.say("换个语言").result.lang == "en"
    bot.say("what is gasme?", user="u2")
    assert bot.say("switch language", user="u2").result.lang == "zh"
    assert bot.say("切换语言", user="u2").result.lang == "en"


def test_lang_without_argument_explains(bot: TestBot) -> None:
    said = bot.say("/lang")
    assert "/lang zh" in said.text


def test_platform_language_seeds_a_new_member(bot: TestBot) -> None:
    said = bot.say("/start", lang="zh")
    assert said.result.lang == "zh"
    assert "GASME会员助手" in said.text


def test_language_survives_a_restart(bot: TestBot, library, db) -> None:  # type: ignore[no-untyped-def]
    bot.say("/lang zh")
    fresh = TestBot(library, db)  # a new engine, as after a restart or on another worker
    assert fresh.say("🎉").result.lang == "zh"
