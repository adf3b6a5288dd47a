"""A message that tells about the member before it asks (bot/understanding/fragments.py `asking_clause`): where the
whole message only offers an entry, its asking clause read alone answers when it names that same entry."""

from __future__ import annotations

import pytest

from bot.understanding.fragments import asking_clause
from tests.conftest import TestBot


def test_the_one_clause_that_asks() -> None:
    said = "hi we're a small sauce maker, about 30 staff, how much is membership a year"
    assert asking_clause(said) == "how much is membership a year"
    assert asking_clause("我们公司30个人左右 一年会费多少钱") == "一年会费多少钱"


@pytest.mark.parametrize("text", [
    "how much is membership a year",  # one clause: nothing to part
    "we are 30 staff, how much?",  # too short to name what it asks about
    "If PREC cancels the event, do I get a full refund?",  # the other clause is a condition
    "导师计划能线上见面吗，还是必须去新加坡？",  # ... or another question
    "采购部的同事也想要一个portal账号，要怎么给她开？",  # the asking clause leaves its subject to a pronoun
    "what is a trade mission, and how much does it cost?",  # two clauses ask
])
def test_no_clause_is_read_alone(text: str) -> None:
    assert asking_clause(text) is None


@pytest.mark.parametrize(("who", "text", "entry"), [
    ("exporter", "hi we're a small sauce maker, about 30 staff, how much is membership a year", "annual-fee"),
    ("exporter", "我们公司30个人左右 一年会费多少钱", "annual-fee"),
    ("maker", "We have 300 staff, what's the yearly fee?", "membership-fee"),
])
def test_the_asking_clause_answers_what_the_whole_message_offers(request: pytest.FixtureRequest, who: str,
                                                                 text: str, entry: str) -> None:
    member: TestBot = request.getfixturevalue(who)
    assert member.say(text).answer_id == entry
