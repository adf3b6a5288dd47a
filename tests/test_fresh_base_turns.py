"""Turns on fresh knowledge bases, through the whole engine. The third base (tests/data/third_base, written from
the chamber's files only): follow-ups whose subject or language is another entry's, coming to an event as the
occasion of a question, a colleague going instead, a list narrowed by a type of event, and a question whose subject
a pronoun stands in for with nothing in view. The fourth (tests/data/fourth_base, food and drink exporters, written
after all of that): what expos there are, series by a Chinese name or an abbreviated city, types of event, online
events, events one will not come to, contact details, thanks, and corrections to a sibling."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.understanding import gloss
from bot.understanding.faq_index import Match
from bot.understanding.fragments import leaves_subject
from bot.understanding.knowledge_base import Library
from tests.conftest import ROOT, Said, TestBot


def _payloads(said: Said) -> list[str]:
    return [payload for _, payload in said.buttons]


def test_not_the_way_to_pay_but_the_fee_itself(maker: TestBot) -> None:
    assert maker.say("会费怎么交？").answer_id == "fee-payment"
    corrected = maker.say("不是，我是问会费要多少钱")
    assert corrected.answer_id == "membership-fee"
    assert "650欧元" in corrected.text


def test_leaving_after_the_renewal_is_not_the_renewal_again(maker: TestBot) -> None:
    assert maker.say("会员到期了怎么续费？").answer_id == "membership-renewal"
    leaving = maker.say("那要是明年不想续了，怎么退会？")
    # Leaving is what only one sibling of the renewal asks (handlers/followup_entries.py `sibling_asking`).
    assert leaving.answer_id == "membership-cancellation"


def test_the_cost_of_the_thing_in_view_for_non_members(maker: TestBot) -> None:
    """Coming to an event is the occasion of the question, not a request to be registered; then who pays asks the
    price of the letter in view, whose answer has it."""
    letter = maker.say("我们要去欧洲参加你们的活动，能帮忙开个签证邀请函吗？")
    assert letter.intent == "faq" and letter.answer_id == "invitation-letter"
    price = maker.say("不是会员的话收费吗")
    assert price.answer_id == "invitation-letter"
    assert "非会员50欧元" in price.text


def test_the_answer_again_in_chinese_for_the_boss(maker: TestBot) -> None:
    assert maker.say("when did ESMC start, and where?").answer_id == "founding"
    again = maker.say("say that in Chinese for my boss")
    assert again.answer_id == "founding"
    assert "2012年3月21日" in again.text


def test_a_colleague_going_instead_cancels_nothing(maker: TestBot) -> None:
    for wording in ("我去不了，能换同事去吗", "报名了去不了，能换同事去不"):
        said = maker.say(wording, user=wording)
        assert said.intent != "registration", wording


def test_a_list_narrowed_by_a_type_of_event_keeps_every_event_of_it(maker: TestBot) -> None:
    maker.say("what's on your calendar?")
    trainings = maker.say("which of those are trainings?")
    # The CE marking workshop is tagged a training; the Chicago one has the word in its title.
    assert set(trainings.result.events) == {"ce-workshop-rotterdam-2026", "export-controls-training-chicago-2027"}


def test_the_registration_deadline_of_the_event_in_view(maker: TestBot) -> None:
    shown = maker.say("芝加哥那个出口管制的培训")
    assert shown.result.events == ("export-controls-training-chicago-2027",)
    deadline = maker.say("报名截止到什么时候")
    assert deadline.result.events == ("export-controls-training-chicago-2027",)
    assert deadline.intent == "events"


def test_a_subject_left_to_a_pronoun_is_offered_not_answered(maker: TestBot) -> None:
    said = maker.say("is that free if we're not members?")
    assert said.answer_id is None
    assert "/faq legal-helpdesk" in _payloads(said)
    # Naming the subject, the same words are answered.
    assert maker.say("is the legal advice free if we're not members?", user="u2").answer_id == "legal-helpdesk"


def test_a_fragment_needs_a_pronoun_and_a_missing_subject() -> None:
    fragment = Match("legal-helpdesk", 0.78, coverage=1.0, closeness=0.36, question="Is there free legal advice?")
    assert leaves_subject("is that free for us?", [fragment], "legal-helpdesk")
    assert not leaves_subject("is there a free one for us?", [fragment], "legal-helpdesk")  # no pronoun
    assert not leaves_subject("is that free for us?", [fragment], "job-board")  # another entry's verdict
    whole = Match("legal-helpdesk", 0.9, coverage=1.0, closeness=0.8, question="Is there free legal advice?")
    assert not leaves_subject("is that legal advice free?", [whole], "legal-helpdesk")


# --- the fourth base (tests/data/fourth_base: food and drink exporters), written after every rule above ---------



EXPOS = ("food-expo-paris-2027", "food-expo-guangzhou-2027")
MEETUPS = ("buyer-meetup-tokyo-2027", "buyer-meetup-los-angeles-2027")


@pytest.mark.parametrize("asked", ["有啥展会", "any trade fairs or expos on the horizon?"])
def test_asking_what_expos_there_are_lists_the_expos(exporter: TestBot, asked: str) -> None:
    said = exporter.say(asked)
    assert said.intent == "events" and said.result.events == EXPOS, said.text


def test_a_series_by_its_chinese_name_lists_its_editions_soonest_first(exporter: TestBot) -> None:
    assert exporter.say("采购商对接会有哪几场").result.events == MEETUPS


def test_an_edition_by_a_city_abbreviation_and_an_unhyphenated_title(exporter: TestBot) -> None:
    said = exporter.say("when is the buyer meetup in LA?")
    assert said.intent == "events" and said.result.events == ("buyer-meetup-los-angeles-2027",)


def test_registration_by_a_plural_series_name_offers_its_editions(exporter: TestBot) -> None:
    said = exporter.say("register me for the buyer meet-ups")
    assert said.intent == "registration"
    assert set(_payloads(said)) == {f"/register {e}" for e in MEETUPS}


def test_the_training_is_not_the_webinar(exporter: TestBot) -> None:
    said = exporter.say("put my name down for the training")
    assert said.result.events == ("cold-chain-training-auckland-2027",)


def test_a_type_of_event_one_title_spells_still_means_every_event_of_it(maker: TestBot) -> None:
    said = maker.say("please register me for a fair next year")
    assert set(_payloads(said)) == {"/register machinery-fair-milan-2027", "/register automation-expo-suzhou-2027"}


def test_a_country_abbreviation(exporter: TestBot) -> None:
    said = exporter.say("anything in Australia or NZ?")
    assert set(said.result.events) == {"export-summit-melbourne-2027", "cold-chain-training-auckland-2027"}


def test_where_an_online_event_is_held(exporter: TestBot) -> None:
    exporter.say("that e-commerce webinar in january, what's it about?")
    where = exporter.say("where is it happening?")
    assert "held online" in where.text and " at ." not in where.text


def test_which_hall_is_the_place_of_the_event_in_view(exporter: TestBot) -> None:
    exporter.say("Can you tell me about the food expo in Paris?")
    assert "Hall 5" in exporter.say("which hall is it in?").text


def test_a_list_narrowed_by_a_type_then_a_place_then_booked(exporter: TestBot) -> None:
    exporter.say("最近有啥活动")
    assert exporter.say("只要展会的").result.events == EXPOS
    assert exporter.say("巴黎那个呢").result.events == ("food-expo-paris-2027",)
    booked = exporter.say("就报它了")
    assert booked.intent == "registration" and booked.result.events == ("food-expo-paris-2027",)


def test_whether_one_can_still_register_for_a_closed_event_in_view(exporter: TestBot) -> None:
    shown = exporter.say("广州的标签培训讲什么内容")
    assert shown.result.events == ("labelling-workshop-guangzhou-2026",)
    late = exporter.say("现在还能报吗")
    assert late.intent == "events" and "截止" in late.text


@pytest.mark.parametrize("asked", ["can you find us distributors in korea? we can't travel to any events this year",
                                   "我们今年没预算去展会，能不能直接帮我们介绍几个韩国的distributor"])
def test_events_one_will_not_come_to_are_no_calendar_question(exporter: TestBot, asked: str) -> None:
    said = exporter.say(asked)
    assert said.intent != "events"
    assert said.answer_id == "buyer-introduction" or "/faq buyer-introduction" in _payloads(said)


def test_a_colleague_going_instead_in_english_is_the_faqs(exporter: TestBot) -> None:
    assert exporter.say("i can't make it to the event anymore, can my colleague go instead").answer_id == \
        "event-substitute"
    assert exporter.say("我去不了了，可以换个同事去参加活动吗", user="u2").intent not in ("handoff", "registration")


def test_contact_details_asked_for_are_no_request_for_a_person(exporter: TestBot) -> None:
    assert exporter.say("有没有电话或者邮箱可以联系你们").intent != "handoff"
    assert exporter.say("is anyone from your staff online? I have a question about my booth in Paris",
                        user="u2").intent == "handoff"


def test_thanks_after_a_colleague_helped_is_small_talk(exporter: TestBot) -> None:
    assert exporter.say("谢谢，刚才你们同事已经帮我解决了").intent == "smalltalk"


@pytest.mark.parametrize(("first", "correction", "meant"), [
    ("原产地证多少钱一份", "不是，我是想问要办多久", "certificate-turnaround"),
    ("怎么退会", "不好意思打错了，我是想问续会", "membership-renewal"),
])
def test_corrections_to_a_sibling(exporter: TestBot, first: str, correction: str, meant: str) -> None:
    exporter.say(first)
    assert exporter.say(correction).answer_id == meant


def test_a_runner_up_of_another_topic_is_no_sibling(exporter: TestBot) -> None:
    """"How do I get" is the certificate of origin's aspect too, but a receipt is not a certificate."""
    assert exporter.say("how do i get a receipt for what i already paid").answer_id == "fee-receipt"


@pytest.mark.parametrize(("first", "variant", "entry", "part"), [
    ("do you guys run HACCP courses?", "is there something I can do online at my own pace instead?",
     "food-safety-training", "SGD 290"),
    ("If we pull out of an event after paying, do we get refunded?",
     "we'd be cancelling about two weeks before it, what then?", "event-refund", "50% refund"),
])
def test_a_longer_variant_that_ends_on_instead_or_what_then(exporter: TestBot, first: str, variant: str, entry: str,
                                                            part: str) -> None:
    assert exporter.say(first).answer_id == entry
    said = exporter.say(variant)
    assert said.answer_id == entry and part in said.text


def test_registering_by_name_with_a_list_in_view_is_no_narrowing(bot: TestBot) -> None:
    """A type of event in the message narrows a list in view only when nothing else is asked: "register for the
    Global SME Expo" after the events in Germany starts its form (the bundled knowledge)."""
    bot.say("德国有什么活动？")
    said = bot.say("register for the Global SME Expo")
    assert said.intent == "registration" and said.result.events == ("global-sme-expo-2027",)


@pytest.mark.parametrize(("asked", "entry"), [("美中合作周一般都有什么内容", "partnership-weeks"),
                                              ("What is the China SME Global Development Forum about?",
                                               "china-sme-forum")])
def test_what_a_series_is_about_is_the_faqs_where_it_has_an_entry(bot: TestBot, asked: str, entry: str) -> None:
    """Now that titles are read by the words inside their Chinese compounds, a series is named more often; what it is
    about stays the FAQ's to say, and the place of one edition ("广州的标签培训讲什么内容") picks the event."""
    assert bot.say(asked).answer_id == entry


def test_giving_ones_place_away_without_asking_is_a_cancellation(maker: TestBot) -> None:
    """A colleague going instead is the FAQ's when asked about; said as a decision, the maker cancels."""
    assert maker.say("我不去了，让同事替我去").intent == "registration"
    assert maker.say("我去不了，能换同事去吗", user="u2").intent != "registration"


def test_only_a_series_with_nothing_in_view_lists_it(exporter: TestBot) -> None:
    said = exporter.say("only the buyer meet-ups")
    assert said.answer_id is None and said.result.events == MEETUPS


def test_a_complaint_about_the_last_mission_is_not_the_next_one(prec: TestBot) -> None:
    """A series named as one that is over ("上次代表团") is told of, not asked for: the FAQ answers a complaint about
    it, where the calendar would show the coming mission."""
    said = prec.say("对了，我要投诉上次代表团安排的翻译，太不专业了")
    assert said.answer_id == "complaint" and not said.result.events
    # The same series asked about by name alone is still the calendar's, or the FAQ's description of it.
    assert prec.say("tell me about the trade mission", user="u2").answer_id == "trade-mission"


def test_the_words_clear_first_entry_is_offered_where_the_embedding_misses_it(maker: TestBot, db: Engine) -> None:
    """"换同事去" shares only the glossary's "colleague" with an English-only entry the embedding of the staff's
    own question never names; the lexical reader's first entry, well ahead of its second though weak, takes the
    last button. (With the question's gloss embedded too, gloss.py, the embedding names it itself.)"""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(gloss, "rows", lambda questions, terms: [])
        unglossed = TestBot(Library.load(ROOT / "tests" / "data" / "third_base"), db)
    said = unglossed.say("报名了去不了，能换同事去不")
    faqs = [payload for _, payload in said.buttons if payload.startswith("/faq ")]
    assert said.answer_id is None and len(faqs) == 3 and faqs[-1] == "/faq send-colleague"
    # With the glosses and the members' adapter (adapter.py), the entry is the answer.
    assert maker.say("报名了去不了，能换同事去不", user="u2").answer_id == "send-colleague"


def test_a_discount_the_answer_states_as_a_share_off(maker: TestBot) -> None:
    """"会员有优惠不" after the CCC answer, which gives members 10 % off ("9折"): the answer in view speaks of it
    (a sentence-final "不" asks, and names nothing)."""
    assert maker.say("我们是德国做开关电源的 想进中国市场 CCC认证你们能帮办吗").answer_id == "ccc-certification"
    said = maker.say("会员有优惠不")
    assert said.answer_id == "ccc-certification" and "9折" in said.text


def test_a_rate_the_answer_states_as_an_amount_asked_last(maker: TestBot) -> None:
    """The question comes last, after what the member tells ("I only need them for the morning"), and asks a rate
    the answer in view states as an amount per half day."""
    assert maker.say("can I get someone to translate for me in meetings at one of your events?").answer_id \
        == "interpreters"
    said = maker.say("I only need them for the morning, is there a half-day rate?")
    assert said.answer_id == "interpreters" and "EUR 190 per half day" in said.text


def test_leaving_instead_after_the_renewal_in_english(maker: TestBot) -> None:
    """"leave" asks what only the renewal's sibling, the cancellation, asks: not the renewal again."""
    assert maker.say("how does renewing our membership work?").answer_id == "membership-renewal"
    said = maker.say("ok, and if we'd rather not renew and leave instead?")
    assert said.answer_id == "membership-cancellation" and "membership@esmc.eu" in said.text
