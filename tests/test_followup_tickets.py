"""Follow-ups around a hand-off answer (its ticket open, no one on staff has taken it yet), variants that say who
asks or how many, corrections that find again what they correct, a correction with nothing in view, and an event
named after a question about another ("what about the expo?") (bundled knowledge, "today" 2026-11-26)."""

from __future__ import annotations

from tests.conftest import TestBot

LONDON = "uk-china-matchmaking-2027"


def test_a_variant_of_a_hand_off_answer_is_that_answer_and_joins_its_ticket(bot: TestBot) -> None:
    assert bot.say("how much is membership for a company?").result.handoff
    said = bot.say("and if we have 200 staff?")
    assert said.answer_id == "membership-fees" and not said.result.handoff  # no second ticket
    assert "added this message" in said.text
    assert said.text.startswith("The association hasn't published")  # a whole sentence first, not a clause


def test_who_asks_qualifies_the_answer_in_view_rather_than_finding_its_own_entry(bot: TestBot) -> None:
    assert bot.say("参加活动要交多少钱").answer_id == "event-fees"
    assert bot.say("非会员呢").answer_id == "event-fees"  # not the membership fee, though "会员" is its word
    assert bot.say("what does it cost to attend one of your events?", user="u2").answer_id == "event-fees"
    assert bot.say("what about for students?", user="u2").answer_id == "event-fees"
    # A variant with a subject of its own still finds the sibling entry.
    assert bot.say("会员费是多少？", user="u3").answer_id == "membership-fees"
    assert bot.say("那参加活动呢，要交多少", user="u3").answer_id == "event-fees"


def test_the_event_in_view_stays_through_an_answer_about_taking_part(bot: TestBot) -> None:
    assert bot.say("tell me about the London matchmaking conference").result.events == (LONDON,)
    assert bot.say("can I get a visa letter for it?").answer_id == "visa-letter"
    said = bot.say("where is it again?")
    assert said.result.events == (LONDON,) and "ExCeL London" in said.text
    bot.say("2027中英商务对接会在哪里", user="u2")
    bot.say("能帮我开个签证邀请函吗", user="u2")
    said = bot.say("那个会几点开始", user="u2")
    assert said.result.events == (LONDON,) and "09:00" in said.text


def test_an_answer_about_the_association_is_a_new_topic(bot: TestBot) -> None:
    bot.say("tell me about the London matchmaking conference")
    assert bot.say("What is GASME's mission?").answer_id == "mission"
    said = bot.say("book me in")
    assert said.result.listed and len(said.result.events) > 1  # which event? London is not taken for granted


def test_a_calendar_question_while_a_ticket_waits_is_the_calendar(bot: TestBot) -> None:
    assert bot.say("能开签证邀请函吗").answer_id == "visa-letter"
    listed = bot.say("最近有哪些活动")
    assert listed.intent == "events" and listed.result.listed and len(listed.result.events) == 10


def test_a_correction_that_finds_what_it_corrects_is_not_understood(bot: TestBot) -> None:
    assert bot.say("can we exhibit at one of your events?").answer_id == "sponsorship"
    said = bot.say("no, I meant the refund for exhibitors")
    assert said.answer_id is None and said.intent == "handoff"  # with staff already: the message joins the ticket
    assert bot.say("全球中小企业博览会是什么？", user="u2").answer_id == "global-sme-expo"
    said = bot.say("不对，我是说博览会的退款政策", user="u2")
    assert said.answer_id is None and said.intent == "fallback"  # no ticket: no answer, and a person offered


def test_a_correction_the_entry_in_view_does_answer_gets_it(bot: TestBot) -> None:
    assert bot.say("when was gasme founded?").answer_id == "founding"
    said = bot.say("no, I meant who founded it")
    assert said.answer_id == "founding" and "USCEA" in said.text


def test_a_correction_names_a_place_of_the_series_in_view(bot: TestBot) -> None:
    bot.say("when is the partnership week in Washington?")
    assert bot.say("sorry, I meant the one in Hangzhou").result.events == ("us-zhejiang-sme-week-2027",)
    bot.say("when is the partnership week in Washington?", user="u2")
    assert bot.say("no, I meant the one in Sao Paulo", user="u2").result.events == ("brazil-china-matchmaking-2027",)


def test_a_correction_with_nothing_in_view_is_read_for_what_it_means(bot: TestBot) -> None:
    assert bot.say("no, I meant how to become a member").answer_id == "membership-join"


def test_a_named_event_after_a_question_gets_the_same_question(bot: TestBot) -> None:
    assert bot.say("How much does it cost to attend an event?").answer_id == "event-fees"
    said = bot.say("what about the expo?")
    assert said.answer_id == "event-fees" and said.result.events == ("global-sme-expo-2027",)
    bot.say("when is the London matchmaking conference?", user="u2")
    said = bot.say("what about the expo?", user="u2")
    assert said.result.events == ("global-sme-expo-2027",) and "November 2027" in said.text


def test_a_size_qualifies_the_answer_in_view(bot: TestBot) -> None:
    assert bot.say("会员费是多少").answer_id == "membership-fees"
    assert bot.say("小企业呢").answer_id == "membership-fees"


def test_a_question_the_entry_in_view_speaks_of_is_a_variant_of_it(bot: TestBot) -> None:
    assert bot.say("what are gasme's objectives?").answer_id == "objectives"
    said = bot.say("how big is the investment?")  # no lead word, but every word of it is in the answer shown
    assert said.answer_id == "objectives" and "300 million" in said.text
    assert bot.say("How can my company become a member of GASME?", user="u2").answer_id == "membership-join"
    assert bot.say("and the annual fee?", user="u2").answer_id == "membership-fees"  # found only in a sibling


def test_a_correction_by_place_stays_in_the_series_in_view(bot: TestBot) -> None:
    bot.say("when is the US-China partnership week?")
    assert bot.say("sorry I meant the Europe one").result.events == ("europe-china-sme-week-2027",)
    bot.say("中美合作周是什么时候", user="u2")
    assert bot.say("不对，我是说欧洲的那个", user="u2").result.events == ("europe-china-sme-week-2027",)


def test_a_correction_reads_its_words_with_the_entry_in_view(bot: TestBot) -> None:
    assert bot.say("how do I register for an event?").answer_id == "registration-how"
    assert bot.say("no, I meant how much it costs").answer_id == "event-fees"  # the price of events, as registering
    assert bot.say("how do I register for an event?", user="u2").answer_id == "registration-how"
    assert bot.say("no, I meant how much does membership cost", user="u2").answer_id == "membership-fees"


def test_a_place_after_an_answer_that_speaks_of_it_varies_the_answer(bot: TestBot) -> None:
    assert bot.say("who are GASME's partners?").answer_id == "partners"
    assert bot.say("any German ones?").answer_id == "partners"  # the answer names a German-Chinese association
    bot.say("What is GASME?", user="u2")
    assert bot.say("and in Germany?", user="u2").result.events == ("europe-china-sme-week-2027",)  # the calendar
