"""Follow-ups and first messages from the fourth base's second conversation round
(tests/data/fourth_base/conversation_rounds.yaml, written from the association's files only), and offers on the
conversation's topic (second and third bases)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.understanding import followup, places
from bot.understanding.knowledge_base import Library
from bot.understanding.text import normalize, written_in_chinese
from tests.conftest import TestBot


def test_which_events_are_still_open_is_no_question_about_ones_bookings(exporter: TestBot) -> None:
    said = exporter.say("现在还能报名的活动有哪些")
    assert said.intent == "registration" and said.text.startswith("目前开放报名的活动有：")
    assert "/register food-expo-paris-2027" in [p for _, p in said.buttons]
    # the events offered are the reply's events, a list, as the calendar's are; narrowing it keeps to them
    assert said.result.listed and "food-expo-paris-2027" in said.result.events
    assert set(exporter.say("只看对接会").result.events) == {"buyer-meetup-tokyo-2027", "buyer-meetup-los-angeles-2027"}


def test_going_to_an_event_is_the_occasion_of_a_spaced_out_question(exporter: TestBot) -> None:
    said = exporter.say("我们要去日本参加活动 得办签证 你们能开邀请函不")
    assert said.answer_id == "visa-invitation-letter" and said.intent == "faq"


def test_the_deadline_of_the_event_in_view(exporter: TestBot) -> None:
    assert exporter.say("tell me about the tokyo buyer meetup, we export yuzu sauces").result.events == (
        "buyer-meetup-tokyo-2027",)
    said = exporter.say("when do I have to register by?")
    assert said.result.events == ("buyer-meetup-tokyo-2027",) and "27 January 2027" in said.text


def test_what_an_event_covers_is_its_details(exporter: TestBot) -> None:
    said = exporter.say("is the labelling workshop in guangzhou in december any good? what does it cover")
    assert said.result.events == ("labelling-workshop-guangzhou-2026",)
    assert "AFBEA Guangzhou Office" in exporter.say("where exactly").text


def test_the_answer_again_in_chinese_for_them(exporter: TestBot) -> None:
    exporter.say("our finance team is in shenzhen, how can they pay the membership invoice")
    said = exporter.say("can you say that in chinese for them")
    assert said.answer_id == "fee-payment" and "微信支付" in said.text


def test_a_question_of_its_own_beside_a_place_is_no_narrowing(exporter: TestBot) -> None:
    exporter.say("墨尔本那个峰会讲啥的")
    said = exporter.say("另外 我们跟韩国买家有质量纠纷 协会能帮着调解吗")
    assert said.answer_id == "buyer-dispute"


def test_a_colleague_going_instead_asks_for_no_one(exporter: TestBot) -> None:
    exporter.say("whats the refund if we cancel our place at an event")
    assert exporter.say("can a colleague go instead then").intent != "handoff"



def test_how_long_before_stays_with_the_answer_in_view(maker: TestBot) -> None:
    """"3 weeks before" are a speaker's words too; after the refund rules they ask the refund rules again."""
    maker.say("we booked 2 places for one of your events but maybe we have to cancel. do we get the money back")
    assert maker.say("what if its 3 weeks before").answer_id == "event-refund"


def test_not_members_yet_is_who_asks(maker: TestBot) -> None:
    maker.say("Can ESMC give visa invitation letter for our engineers? They come from Ningbo to your event in Germany")
    said = maker.say("we're not members yet, still possible?")
    assert said.answer_id == "invitation-letter" and "EUR 50 for non-members" in said.text


def test_a_question_closed_by_bu_and_the_number_of_places(maker: TestBot) -> None:
    assert all(followup.tiny_question(normalize(q)) for q in ("会员有优惠不", "交了的钱能退不", "行不行"))
    assert not followup.tiny_question(normalize("我不去了"))
    maker.say("芝加哥的出口管制培训是几天的", user="u2")
    places = maker.say("人数有限制吗", user="u2")
    assert places.result.events == ("export-controls-training-chicago-2027",) and "60" in places.text


def test_the_asking_sentence_names_the_event_among_other_words(maker: TestBot) -> None:
    said = maker.say("We are a Dutch buyer of PCB assemblies. "
                     "Tell me about the supplier matchmaking in Shenzhen in April")
    assert said.result.events == ("matchmaking-shenzhen-2027",)
    deadline = maker.say("until when can we register")
    assert deadline.intent == "events" and "25 March 2027" in deadline.text


def test_a_correction_whose_words_find_a_sibling_clearly_first(maker: TestBot) -> None:
    """"展会现场" sounds like the booths to the meaning; the words name the interpreters, the translation's sibling."""
    assert maker.say("你们翻译怎么收费").answer_id == "document-translation"
    said = maker.say("不是 我是问展会现场的口译")
    assert said.answer_id == "interpreters" and "每天320欧元" in said.text


def test_the_one_of_a_country_by_its_adjective(maker: TestBot) -> None:
    assert maker.say("when are the supplier matchmaking events?").result.listed
    picked = maker.say("the polish one")
    assert picked.result.events == ("matchmaking-katowice-2027",)
    assert maker.say("sign us up").result.events == ("matchmaking-katowice-2027",)
    assert places.country_of_the_one("only the german ones") == "DE"
    assert places.country_of_the_one("in chinese please") is None  # a language, not a place


def test_the_open_events_narrowed_to_a_half_year_that_will_do(maker: TestBot) -> None:
    """"明年下半年的就行" ("the second half of next year will do") after the list of events open for registration."""
    assert maker.say("有哪些活动现在还能报名的").intent == "registration"
    said = maker.say("明年下半年的就行")
    assert said.result.events == ("automation-expo-suzhou-2027", "matchmaking-katowice-2027"), said.text


def test_the_price_of_a_trade_mission_in_view_is_the_faqs_price_of_missions(prec: TestBot) -> None:
    """Events carry no price; the FAQ entry on what a mission costs answers for the mission in view."""
    assert prec.say("去越南的那个代表团是啥情况").result.events == ("hcmc-trade-mission-2027",)
    said = prec.say("多少钱")
    assert said.answer_id == "trade-mission-cost" and "1200新元" in said.text


def test_sooner_is_no_question_about_what_is_coming(prec: TestBot) -> None:
    prec.say("how long does it take to get a certificate of origin")
    said = prec.say("what if i need it sooner than that")
    assert said.intent != "events", said.text


@pytest.mark.parametrize("narrowed", ["only the ones outside singapore", "除了新加坡以外的呢"])
def test_a_list_narrowed_to_the_events_outside_a_place(prec: TestBot, narrowed: str) -> None:
    prec.say("show me the upcoming events")
    said = prec.say(narrowed)
    assert said.result.events == ("hcmc-trade-mission-2027", "auckland-ecommerce-workshop-2027"), said.text
    assert "outside Singapore" in said.text or "新加坡以外" in said.text


def test_events_outside_a_country_asked_first(prec: TestBot) -> None:
    said = prec.say("any events outside singapore?")
    assert said.result.events == ("hcmc-trade-mission-2027", "auckland-ecommerce-workshop-2027"), said.text


def test_a_country_whose_city_the_answer_names_varies_the_answer(prec: TestBot) -> None:
    """"and the vietnam office?" after office hours that name the Ho Chi Minh City office: the same answer, not the
    calendar's events in Vietnam."""
    prec.say("what time is your office open?")
    said = prec.say("and the vietnam office?")
    assert said.answer_id == "office-hours" and "8:30 am to 5 pm" in said.text


def test_a_list_narrowed_to_a_type_of_event_stays_a_list_of_one(prec: TestBot) -> None:
    prec.say("any upcoming events i could join?")
    said = prec.say("just the workshops out of those pls")
    assert said.result.events == ("auckland-ecommerce-workshop-2027",) and said.result.listed, said.text


def test_a_correction_that_finds_the_entry_in_view_again_is_read_on_its_own(exporter: TestBot) -> None:
    exporter.say("do you have an office in auckland? whats the address")
    said = exporter.say("no i meant what number do i call there")
    assert said.answer_id == "contact-channels" and "+64 9 555 0190" in said.text


def test_an_english_answer_that_names_something_in_chinese_is_english(exporter: TestBot) -> None:
    """The contact answer names the WeChat account "AFBEA亚太食饮": no note that the answer is only in Chinese."""
    said = exporter.say("How do I get in touch with AFBEA?")
    assert said.answer_id == "contact-channels" and said.text.startswith("Email hello@afbea.org")


def test_chinese_prose_is_told_from_english_naming_chinese() -> None:
    assert written_in_chinese("请访问 https://www.example.org/membership/application-form-download 下载表格")
    assert written_in_chinese("简单问题也可以通过WhatsApp留言")
    assert not written_in_chinese("Contact 张先生 at zhang@example.org")
    assert not written_in_chinese("message us on our WeChat official account AFBEA亚太食饮")


def test_a_bare_month_narrowing_a_list_is_the_one_with_events_left(prec: TestBot) -> None:
    """"那11月份的是哪个" on 26 November below a list of next year's events: none is left this November."""
    prec.say("接下来都有哪些活动")
    said = prec.say("那11月份的是哪个")
    assert said.result.events == ("auckland-ecommerce-workshop-2027",), said.text


def test_a_word_the_answer_in_view_speaks_of_stays_with_it(prec: TestBot) -> None:
    # the buyer matching's answer gives its fee: another entry the words find is no reason to leave it
    assert prec.say("能不能帮我们介绍点国外客户").answer_id == "buyer-matching"
    said = prec.say("怎么收费的")
    assert said.answer_id == "buyer-matching" and said.text.startswith("会员每个市场收费300新元")


def test_what_the_faq_answer_about_an_event_says_is_its_to_answer(prec: TestBot) -> None:
    # "包不包" asks yes or no; the mission's cost says flights and hotels are the member's own, which the calendar's
    # event does not
    assert prec.say("跟你们出去参加贸易团，费用大概多少啊").answer_id == "trade-mission-cost"
    said = prec.say("机票酒店包不包")
    assert said.answer_id == "trade-mission-cost" and said.text.startswith("机票和酒店由参团者自理")


@pytest.mark.parametrize(("first", "correction"), [("你们办公室在哪儿", "不是，我问的是时间"),
                                                   ("where is your office", "no i meant the opening times")])
def test_a_correction_by_what_it_asks_finds_the_sibling_that_speaks_of_it(prec: TestBot, first: str,
                                                                          correction: str) -> None:
    assert prec.say(first).answer_id == "office-address"
    assert prec.say(correction).answer_id == "office-hours"


def test_a_choice_of_events_to_register_for_is_narrowed_like_a_list(exporter: TestBot) -> None:
    offered = exporter.say("现在还能报名的活动有哪些")
    assert offered.intent == "registration" and len([p for _, p in offered.buttons if p.startswith("/register ")]) > 2
    said = exporter.say("只看对接会")
    assert said.intent == "events"
    assert set(said.result.events) == {"buyer-meetup-tokyo-2027", "buyer-meetup-los-angeles-2027"}


# --- an offer on the conversation's topic ---------------------------------------------------------------------------

def test_an_offer_of_the_entry_in_view_mid_conversation_is_answered(second_library: Library, db: Engine) -> None:
    member = TestBot(second_library, db)
    assert member.say("名录里的公司资料怎么改").answer_id == "directory-update"
    said = member.say("上去以后想改资料怎么弄")  # a first message would get "did you mean" with this entry first
    assert said.answer_id == "directory-update" and "48小时内" in said.text


def test_a_correction_to_the_sibling_offered_first_is_answered(maker: TestBot) -> None:
    assert maker.say("I can't log into the portal, my password isn't working").answer_id == "password-reset"
    assert maker.say("no, I meant how do I get a login at all, I never had one").answer_id == "portal-access"


def test_the_same_words_as_a_first_message_are_offered(maker: TestBot) -> None:
    said = maker.say("no, I meant how do I get a login at all, I never had one")
    assert said.answer_id is None and "/faq portal-access" in [p for _, p in said.buttons]


def test_a_price_asked_of_an_answer_that_gives_prices_stays_with_it(second_library: Library, db: Engine) -> None:
    # The trade mission's cost is the sibling whose question asks a price; the fee answer gives its own (a one-time
    # joining fee of SGD 100), so the follow-up is the fee answer's.
    member = TestBot(second_library, db)
    assert member.say("how much is membership").answer_id == "membership-fee"
    said = member.say("any one-off charge on top of that?")
    assert said.answer_id == "membership-fee" and "SGD 100" in said.text


def test_a_question_of_its_own_after_a_lead_word_is_not_the_answer_in_view(second_library: Library,
                                                                            db: Engine) -> None:
    member = TestBot(second_library, db)
    assert member.say("how do i log into the member portal").answer_id == "member-login"
    said = member.say("Also, are we allowed to put your logo on our website and brochures?")
    assert said.answer_id == "logo-use" or (said.answer_id != "member-login"
                                            and "/faq logo-use" in [p for _, p in said.buttons])


def test_a_year_after_did_you_mean_narrows_no_calendar(second_library: Library, db: Engine) -> None:
    member = TestBot(second_library, db)
    assert member.say("入会以后有什么福利").answer_id is None  # "did you mean"
    said = member.say("另外问一下，明年不想续了的话怎么退会？")
    assert said.intent != "events" and said.result.events == ()


def test_a_short_question_first_and_a_story_after_is_a_follow_up(prec: TestBot) -> None:
    """"how much is it for non members? she'd be signed up via our sister company..." asks its question first and
    only tells after it: the question is read as the follow-up it is, against the course in view."""
    first = prec.say("My new export assistant needs some basic training. What courses have you got?")
    assert first.answer_id == "export-training-course"
    said = prec.say("how much is it for non members? she'd be signed up via our sister company which isn't a member")
    assert said.answer_id == "export-training-course" and "900" in said.text


def test_how_many_companies_can_go_is_the_event_in_views_seats(prec: TestBot) -> None:
    """The number of companies an event takes is its places, not who may join the association."""
    assert prec.say("tell me about the trade mission to Ho Chi Minh City in April").result.events == (
        "hcmc-trade-mission-2027",)
    said = prec.say("how many companies can go on it?")
    assert said.result.events == ("hcmc-trade-mission-2027",) and said.answer_id is None and "40" in said.text


def test_a_told_after_question_after_did_you_mean_is_read_against_the_first_offered(prec: TestBot) -> None:
    """Typed on after "did you mean", the short question that opens a message whose rest only tells leans on the
    entry offered first, as it would on an answer."""
    said = prec.say("how do we get a cert of origin through you guys? first shipment to Chile goes next month")
    offered = [p.removeprefix("/faq ") for _, p in said.buttons if p.startswith("/faq ")]
    assert said.answer_id is None and offered[0] in ("certificate-of-origin", "co-processing-time"), "premise"
    # Both certificate entries' answers state a price: the first offered is the one leaned on.
    said = prec.say("and for non-members how much is each one? we're still waiting on our membership")
    assert said.answer_id == offered[0] and "SGD" in said.text


def test_a_question_about_one_of_the_events_to_choose_from_shows_it(prec: TestBot, second_library: Library,
                                                                      db: Engine) -> None:
    """"那新加坡的呢" after a choice of events to register for asks about the one in Singapore, as of a list: the
    calendar shows it (and names the city-state once); "新加坡的" chooses it."""
    assert prec.say("你们接下来有哪些活动可以报名？").intent == "registration"
    assert prec.say("只要亚洲的").result.events == ("hcmc-trade-mission-2027", "prec-export-summit-2027")
    said = prec.say("那新加坡的呢")
    assert said.intent == "events" and said.result.events == ("prec-export-summit-2027",)
    assert "新加坡，新加坡" not in said.text and "新加坡、新加坡" not in said.text
    other = TestBot(second_library, db)
    assert other.say("你们接下来有哪些活动可以报名？", user="u2").intent == "registration"
    picked = other.say("新加坡的", user="u2")
    assert picked.intent == "registration" and picked.result.events == ("prec-export-summit-2027",)
    assert "请输入您的姓名" in picked.text


def test_an_opening_calendar_question_told_more_after_is_the_calendars(prec: TestBot) -> None:
    """The telling after the question had hidden the event's title from the calendar; the booking words that end
    on "anyway" still book the event in view."""
    said = prec.say("is there an e-commerce workshop in Auckland next year? we sell on Amazon AU and want to try "
                    "other marketplaces")
    assert said.intent == "events" and said.result.events == ("auckland-ecommerce-workshop-2027",)
    booked = prec.say("ok sign me up for it anyway")
    assert booked.intent == "registration" and booked.result.events == ("auckland-ecommerce-workshop-2027",)


def test_an_opening_question_the_faq_answers_whole_stays_the_faqs(bot: TestBot) -> None:
    said = bot.say("do you do matchmaking with UK companies? we're a tea exporter from Fujian")
    assert said.answer_id == "matchmaking"


@pytest.mark.parametrize(("narrowing", "user"), [("only the ones in Asia please, NZ is too far for us", "u1"),
                                                 ("NZ is too far for us", "u2"),
                                                 ("新西兰太远了，只看亚洲的", "u3")])
def test_a_place_turned_down_is_left_out_of_the_list(prec: TestBot, narrowing: str, user: str) -> None:
    """The clause that turns a place down gives the reason for the narrowing, not a place to narrow to; alone, its
    place is the one left out."""
    assert len(prec.say("what events have you got coming up?", user=user).result.events) == 3
    said = prec.say(narrowing, user=user)
    assert said.intent == "events"
    assert set(said.result.events) == {"hcmc-trade-mission-2027", "prec-export-summit-2027"}


def test_the_answer_in_view_offered_later_is_answered_where_the_words_find_it_first(prec: TestBot) -> None:
    """"错过了的话能看回放吗" after the webinars: the meaning offers the event refund first, but the member's words
    ("回放", the recordings) find only the webinars, the topic in view."""
    assert prec.say("有没有免费的线上讲座可以听").answer_id == "online-webinars"
    said = prec.say("错过了的话能看回放吗")
    assert said.answer_id == "online-webinars" and "回放" in said.text
    # As a first message, the same words are still only offered.
    assert prec.say("错过了的话能看回放吗", user="u2").answer_id is None


@pytest.mark.parametrize("told", ["I saw there's a mission to Vietnam next year, details?",
                                  "我听说你们明年有个去越南的代表团，详情？"])
def test_how_the_member_heard_of_an_event_names_no_other(prec: TestBot, told: str) -> None:
    """"I saw", "I heard", "听说": how the member came to know of the event, no word of another event's title."""
    said = prec.say(told)
    assert said.result.events == ("hcmc-trade-mission-2027",) and said.intent == "events", said.text


def test_a_variant_that_shares_one_weak_word_with_another_entry_stays_with_the_answer(prec: TestBot) -> None:
    """"use it" after the portal: "use" is all the logo's entry shares with it, too little to read it whole."""
    assert prec.say("how do i get into the member portal?").answer_id == "member-login"
    said = prec.say("can a couple of my colleagues use it too?")
    assert said.answer_id == "member-login" and "up to three user accounts" in said.text
    assert prec.say("Also, are we allowed to put your logo on our website?").answer_id == "logo-use"


@pytest.mark.parametrize("included", ["does that include the hotel?", "酒店包括在内吗"])
def test_whether_something_is_included_asks_the_answer_in_view(prec: TestBot, included: str) -> None:
    """The mission's cost says hotels are each participant's own: "include" names nothing, the hotel is covered, and
    the answer in view answers (not the mission's venue, with nothing on hotels)."""
    assert prec.say("roughly what does it cost to join one of your trade missons?").answer_id == "trade-mission-cost"
    said = prec.say(included)
    assert said.answer_id == "trade-mission-cost"
    assert "hotels are paid" in said.text or "酒店由参团者自理" in said.text


@pytest.mark.parametrize(("first", "included"), [
    ("What export training courses do you run?", "does the price include lunch on those saturdays?"),
    ("你们有哪些出口培训课程", "学费包括午饭吗"),
])
def test_whether_something_the_answer_never_speaks_of_is_included_is_not_known(prec: TestBot, first: str,
                                                                               included: str) -> None:
    """The course's answer gives its price and its Saturdays but says nothing of lunch: the same answer again would
    not say, so the member is told the bot does not know and offered a person."""
    assert prec.say(first).answer_id == "export-training-course"
    said = prec.say(included)
    assert said.answer_id is None and said.intent == "fallback"
    assert "/human" in [p for _, p in said.buttons]


@pytest.mark.parametrize(("first", "timely", "part"), [
    ("我们公司想退会 怎么操作", "现在才11月 还来得及吗", "晚于该日期的通知"),
    ("how do we cancel our membership", "it's only november, is it too late?", "Notices received later"),
])
def test_whether_a_date_is_in_time_asks_the_answer_that_gives_the_date(maker: TestBot, first: str, timely: str,
                                                                       part: str) -> None:
    """The cancellation gives its deadline (30 September): a month named with being in time asks it of that answer."""
    assert maker.say(first).answer_id == "membership-cancellation"
    said = maker.say(timely)
    assert said.answer_id == "membership-cancellation" and part in said.text


def test_a_sibling_of_the_answer_in_view_that_the_meaning_finds_first_is_answered(exporter: TestBot) -> None:
    """After the refund of events, "can a colleague go instead then": the words find the portal's colleagues, the
    meaning sending a colleague instead, the refund's sibling; the conversation's topic settles it."""
    assert exporter.say("we booked a place at one of your events but my boss might not be able to go. whats the "
                        "refund if we cancel").answer_id == "event-refund"
    said = exporter.say("can a colleague go instead then")
    assert said.answer_id == "event-substitute" and "at no cost" in said.text
