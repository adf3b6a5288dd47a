"""Which messages are not worth an embedding (bot/understanding/text.py `too_thin`): an address, a link or a
number alone; never a message that says something around them."""

from __future__ import annotations

import pytest

from bot.understanding.text import too_thin
from tests.conftest import TestBot


@pytest.mark.parametrize("text", ["", "  ", "info@esmc.eu", " https://esmc.eu/join ", "+86 512 6688 0000", "ok?"])
def test_nothing_to_embed(text: str) -> None:
    assert too_thin(text)


@pytest.mark.parametrize("text", [
    "我已经给info@esmc.eu发了三次邮件都没人回，拜托派个人直接联系我好吗",
    "https://esmc.eu/join这个页面打不开，怎么入会？",
    "please write to me at li.wei@example.com",
    "human?",
    "签证",
])
def test_words_around_an_address_or_a_link_are_read(text: str) -> None:
    assert not too_thin(text)


def test_a_chinese_request_with_an_address_reaches_a_person(maker: TestBot) -> None:
    # Not embedded before: the address pattern took the whole message, which has no space to end it.
    assert maker.say("我已经给info@esmc.eu发了三次邮件都没人回，拜托派个人直接联系我好吗").intent == "handoff"
