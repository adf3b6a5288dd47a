"""Turns on a fresh knowledge base (tests/data/third_base, written from the chamber's files only), through the whole
engine: follow-ups whose subject or language is another entry's, coming to an event as the occasion of a question,
a colleague going instead, a list narrowed by a type of event, and a question whose subject a pronoun stands in for
with nothing in view."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.understanding.faq_index import Match
from bot.understanding.fragments import leaves_subject
from bot.understanding.knowledge_base import Library
from tests.conftest import ROOT, Said, TestBot


@pytest.fixture(scope="session")
def third_library() -> Library:
    return Library.load(ROOT / "tests" / "data" / "third_base")


@pytest.fixture
def member(third_library: Library, db: Engine) -> TestBot:
    return TestBot(third_library, db)


def _payloads(said: Said) -> list[str]:
    return [payload for _, payload in said.buttons]


def test_not_the_way_to_pay_but_the_fee_itself(member: TestBot) -> None:
    assert member.say("会费怎么交？").answer_id == "fee-payment"
    corrected = member.say("不是，我是问会费要多少钱")
    assert corrected.answer_id == "membership-fee"
    assert "650欧元" in corrected.text


def test_leaving_after_the_renewal_is_not_the_renewal_again(member: TestBot) -> None:
    assert member.say("会员到期了怎么续？").answer_id == "membership-renewal"
    leaving = member.say("那要是明年不想续了，怎么退会？")
    assert leaving.answer_id != "membership-renewal"
    assert _payloads(leaving)[0] == "/faq membership-cancellation"


def test_the_cost_of_the_thing_in_view_for_non_members(member: TestBot) -> None:
    """Coming to an event is the occasion of the question, not a request to be registered; then who pays asks the
    price of the letter in view, whose answer has it."""
    letter = member.say("我们要去欧洲参加你们的活动，能帮忙开个签证邀请函吗？")
    assert letter.intent == "faq" and letter.answer_id == "invitation-letter"
    price = member.say("不是会员的话收费吗")
    assert price.answer_id == "invitation-letter"
    assert "非会员50欧元" in price.text


def test_the_answer_again_in_chinese_for_the_boss(member: TestBot) -> None:
    assert member.say("when did ESMC start, and where?").answer_id == "founding"
    again = member.say("say that in Chinese for my boss")
    assert again.answer_id == "founding"
    assert "2012年3月21日" in again.text


def test_a_colleague_going_instead_cancels_nothing(member: TestBot) -> None:
    for wording in ("我去不了，能换同事去吗", "报名了去不了，能换同事去不"):
        said = member.say(wording, user=wording)
        assert said.intent != "registration", wording


def test_a_list_narrowed_by_a_type_of_event_keeps_every_event_of_it(member: TestBot) -> None:
    member.say("what's on your calendar?")
    trainings = member.say("which of those are trainings?")
    # The CE marking workshop is tagged a training; the Chicago one has the word in its title.
    assert set(trainings.result.events) == {"ce-workshop-rotterdam-2026", "export-controls-training-chicago-2027"}


def test_the_registration_deadline_of_the_event_in_view(member: TestBot) -> None:
    shown = member.say("芝加哥那个出口管制的培训")
    assert shown.result.events == ("export-controls-training-chicago-2027",)
    deadline = member.say("报名截止到什么时候")
    assert deadline.result.events == ("export-controls-training-chicago-2027",)
    assert deadline.intent == "events"


def test_a_subject_left_to_a_pronoun_is_offered_not_answered(member: TestBot) -> None:
    said = member.say("is that free if we're not members?")
    assert said.answer_id is None
    assert "/faq legal-helpdesk" in _payloads(said)
    # Naming the subject, the same words are answered.
    assert member.say("is the legal advice free if we're not members?", user="u2").answer_id == "legal-helpdesk"


def test_a_fragment_needs_a_pronoun_and_a_missing_subject() -> None:
    fragment = Match("legal-helpdesk", 0.78, coverage=1.0, closeness=0.36, question="Is there free legal advice?")
    assert leaves_subject("is that free for us?", [fragment], "legal-helpdesk")
    assert not leaves_subject("is there a free one for us?", [fragment], "legal-helpdesk")  # no pronoun
    assert not leaves_subject("is that free for us?", [fragment], "job-board")  # another entry's verdict
    whole = Match("legal-helpdesk", 0.9, coverage=1.0, closeness=0.8, question="Is there free legal advice?")
    assert not leaves_subject("is that legal advice free?", [whole], "legal-helpdesk")
