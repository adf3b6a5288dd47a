"""A member who types on after "did you mean" instead of choosing: a follow-up leans on the entry offered first, the
bot's best guess at the topic, and the answer says which question it took. On the fourth base
(tests/data/fourth_base), whose one phrasing per entry leaves many first questions at "did you mean"."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from bot.storage.models import MemberChoice
from tests.conftest import Said, TestBot


def _offered(said: Said) -> list[str]:
    return [p.split()[1] for _, p in said.buttons if p.startswith("/faq ")]


def _suggested(bot: TestBot, words: str, first: str, user: str = "u1") -> None:
    said = bot.say(words, user=user)
    assert said.answer_id is None and _offered(said)[:1] == [first], f"premise: {words!r} offers {first} first"


@pytest.mark.parametrize(("first", "entry", "follow_up", "detail", "lead"), [
    ("yearly fee to join for a chilli sauce maker with about 30 ppl", "annual-fee",
     "ok and once we're over 50 staff?", "SGD 1,650", "Taking your question to be about"),
    ("样品可以帮忙寄吗", "sample-shipping", "冻品也能寄吗？", "不收冷藏或冷冻样品", "我理解您问的是"),
    ("门户账号小公司能开几个", "portal-account", "那中型企业呢", "中型和合作会员最多10个",
     "我理解您问的是"),
])
def test_a_variant_after_the_buttons_is_answered_from_the_first_offered(
        exporter: TestBot, first: str, entry: str, follow_up: str, detail: str, lead: str) -> None:
    _suggested(exporter, first, entry)
    said = exporter.say(follow_up)
    assert said.answer_id == entry
    assert detail in said.text
    assert said.text.startswith(lead)  # the question it was taken for comes first: a wrong guess shows at once


def test_a_sibling_asking_the_follow_ups_aspect_is_the_answer(exporter: TestBot) -> None:
    """"How long" after how to apply: the sibling about how long it takes, whether the application was answered or
    only offered."""
    _suggested(exporter, "need a cert of origin for a container of noodles going to Dubai, how do I get one?",
               "certificate-of-origin")
    said = exporter.say("how long does it usually take?")
    assert said.answer_id == "certificate-turnaround" and "2 working days" in said.text
    assert exporter.say("/faq certificate-of-origin", user="u2").answer_id == "certificate-of-origin"
    assert exporter.say("how long does it usually take?", user="u2").answer_id == "certificate-turnaround"


def test_a_question_of_its_own_after_the_buttons_is_read_on_its_own(exporter: TestBot) -> None:
    _suggested(exporter, "yearly fee to join for a chilli sauce maker with about 30 ppl", "annual-fee")
    said = exporter.say("btw what year was AFBEA set up?")
    assert said.answer_id == "founding-history"
    assert not said.text.startswith("Taking your question")


def test_a_follow_up_is_no_members_pick(exporter: TestBot, db: Engine) -> None:
    """Only a tap on a button is a vote for the words that got the buttons: an answer the follow-up reached, before or
    after a tap, neither adds one nor moves it to another entry."""
    words = "need a cert of origin for a container of noodles going to Dubai, how do I get one?"
    _suggested(exporter, words, "certificate-of-origin")
    exporter.say("how long does it usually take?")
    with db.connect() as conn:
        assert conn.execute(select(MemberChoice.entry_id)).all() == []
    # Another member (after the first one's answer, the same words are on the conversation's topic and answered).
    _suggested(exporter, words, "certificate-of-origin", user="u2")
    assert exporter.say("/faq certificate-of-origin", user="u2").answer_id == "certificate-of-origin"
    assert exporter.say("how long does it usually take?", user="u2").answer_id == "certificate-turnaround"
    with db.connect() as conn:
        assert [r.entry_id for r in conn.execute(select(MemberChoice.entry_id))] == ["certificate-of-origin"]


def test_one_entry_offered_is_asked_about_as_one(exporter: TestBot) -> None:
    # (This was "我的个人信息你们会不会随便给采购商或者合作方", which sure offers now answer: ideas.py; then "活动报了名
    # 去不了，能退钱吗", answered since the members' adapter: adapter.py.)
    said = exporter.say("信保的保费怎么算")
    assert _offered(said) == ["trade-credit-insurance"]
    assert said.text == "我不太确定您的意思。您是想问这个问题吗？"
    several = exporter.say("明年不续了 怎么退", user="u2")  # leaving, renewing: entries close to each other
    assert len(_offered(several)) > 1 and "以下哪个问题" in several.text


def test_the_offered_entry_the_follow_up_itself_reads_first(exporter: TestBot) -> None:
    # ("会费交了能开发票吗 财务在催" until the members' adapter put the receipt entry first: adapter.py.)
    _suggested(exporter, "会费怎么交 交完有没有票", "fee-payment")
    receipt = exporter.say("收据多久能收到")  # offered second; the follow-up's own reading puts it first
    assert receipt.answer_id == "fee-receipt" and "付款后3个工作日内" in receipt.text
    assert exporter.say("微信付款行不行").answer_id == "fee-payment"  # "行不行" asks, as "吗" does


def test_a_guess_is_the_first_offered_when_the_follow_up_reads_elsewhere(bot: TestBot) -> None:
    _suggested(bot, "联盟最早是谁牵头搞起来的", "founding")
    said = bot.say("当时有多少家组织一起参与")
    assert said.answer_id == "founding" and "一百多家" in said.text


def test_an_entry_that_passes_the_question_to_staff_is_never_a_guess(bot: TestBot) -> None:
    """Answering a hand-off entry opens a ticket: not on a guess."""
    said = bot.say("我想上台分享一下我们的案例，怎么申请")
    assert said.answer_id is None and "speaking" in _offered(said)
    guessed = bot.say("那要是当圆桌讨论的嘉宾呢")
    assert guessed.answer_id is None and not guessed.result.handoff


def test_a_follow_up_that_leans_on_the_question_varies_the_first_offered(prec: TestBot) -> None:
    """"what if ..." after an offer varies the question asked, whose reading came first (an event's refund), though
    its own words alone weakly put another offered entry first (leaving the association: "cancel", "days before").
    A new question about the other entry, asked whole, is still answered on its own."""
    _suggested(prec, "if we register for one of your events and then cant make it, do we get our money back?",
               "event-refund")
    said = prec.say("what if we cancel like 10 days before?")
    assert said.answer_id == "event-refund" and "50%" in said.text
    assert prec.say("and if it's only 3 days before?").answer_id == "event-refund"
    _suggested(prec, "if we register for one of your events and then cant make it, do we get our money back?",
               "event-refund", user="u2")
    assert prec.say("how do we cancel our membership?", user="u2").answer_id == "membership-cancel"


def test_words_sure_of_an_entry_the_meaning_rules_out_are_not_leant_on_the_offer(prec: TestBot) -> None:
    """A rephrased question whose words are sure of one entry (leaving, by "membership" and "year") and whose meaning
    is another (the fee, whose one phrasing is in Chinese): read alone, both are offered; leaning on the offer
    answered the leaving."""
    said = prec.say("how much is it to join PREC per year?")
    assert said.answer_id is None and "membership-cancel" in _offered(said)  # premise: leaving is offered
    said = prec.say("how much is membership per year?")
    assert said.answer_id != "membership-cancel"
    assert "membership-fee" in _offered(said)
