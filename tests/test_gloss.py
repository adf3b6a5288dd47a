"""A staff question written in one language is also embedded glossed into the other (bot/understanding/gloss.py),
so that a member asking in the other language finds the entry: unit checks, then whole turns on the second and
third associations' bases, whose entries have one question each."""

from __future__ import annotations

import pytest

from bot.understanding import gloss, glossary
from tests.conftest import TestBot


def test_terms_are_put_in_the_other_language() -> None:
    terms = gloss.table(glossary.groups())
    assert "certificate of origin" in (gloss.glossed("原产地证怎么申请？", terms) or "")
    assert "同事" in (gloss.glossed("Can a colleague attend instead of me?", terms) or "")
    # whole words only: "member" is not glossed inside "remember"
    assert gloss.glossed("Do you remember?", gloss.table([("member", "会员")])) is None
    assert gloss.glossed("What is PREC?", terms) is None  # no term known: no row to add
    # the longest terms first, wherever they start: "visa" stays beside "invitation letter"
    assert gloss.glossed("Can ESMC issue a visa invitation letter?", terms) == "Can ESMC issue a 签证 邀请函?"


def test_staff_groups_come_first_and_one_language_groups_gloss_nothing() -> None:
    staff = gloss.table([("expo", "博览会"), ("expo", "展会")])
    assert gloss.glossed("展会在哪里", staff) == "expo 在哪里"
    assert gloss.glossed("When is the expo?", staff) == "When is the 博览会?"  # the group's first Chinese term
    assert gloss.glossed("When is the expo?", gloss.table([("expo", "fair")])) is None


def test_only_an_entry_in_one_language_gets_glosses() -> None:
    terms = gloss.table(glossary.groups())
    assert gloss.rows(["原产地证怎么申请？"], terms) == [gloss.glossed("原产地证怎么申请？", terms)]
    assert gloss.rows(["How do I renew?", "怎么续费"], terms) == []


@pytest.mark.parametrize(("text", "entry"), [
    ("can we put your logo on our website", "logo-use"),  # "会员可以使用PREC的标志吗？"
    ("does the mission fee include hotel", "trade-mission-cost"),  # "参加贸易代表团要多少钱？"
    ("有没有市场调研报告", "market-reports"),  # "Do you publish export market reports?"
])
def test_a_question_in_the_other_language_is_answered(prec: TestBot, text: str, entry: str) -> None:
    assert prec.say(text).answer_id == entry


def test_a_chinese_question_finds_an_english_only_entry(maker: TestBot) -> None:
    assert maker.say("我去不了，可以让同事替我去吗").answer_id == "send-colleague"
