"""Members' own ways of writing: written Cantonese, pinyin-input slips, English words inside Chinese, booking for
one's boss, a booking told before it is asked after or left, and small talk with asides. Unit checks on the
normalised text, then whole turns through the engine on the second association's base (tests/data/second_base)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from bot.storage.models import Registration, Ticket
from bot.understanding.knowledge_base import Library
from bot.understanding.text import normalize
from handlers.friendly_words import words_kind
from handlers.smalltalk import kind_of
from tests.conftest import ROOT, Said, TestBot


@pytest.fixture
def member(second_library: Library, db: Engine) -> TestBot:
    return TestBot(second_library, db)


@pytest.mark.parametrize(("typed", "read"), [
    ("唔該幫我搵個真人", "麻烦帮我找个真人"),
    ("我報咗邊幾個活動", "我报了哪几个活动"),
    ("你係咪電腦嚟㗎", "你是不是电脑"),
    ("佢哋而家冇時間", "他们现在没有时间"),
])
def test_written_cantonese_is_read_as_mandarin(typed: str, read: str) -> None:
    assert normalize(typed) == read


@pytest.mark.parametrize(("typed", "read"), [
    ("帮我取肖胡志明市的报铭", "帮我取消胡志明市的报名"),
    ("转仁工", "转人工"),
    ("查下我的报明记录", "查下我的报名记录"),
])
def test_pinyin_slips_on_intent_words_are_mended(typed: str, read: str) -> None:
    assert normalize(typed) == read


@pytest.mark.parametrize("typed", [
    "别取笑我",  # 取笑 (to mock) is qu xiao too, and a word of its own
    "日报明天发",  # the 明 of 明天 (tomorrow), a commoner word than 报名
    "人工智能的讲座",
    "我系统登不进去",  # 系 of 系统 is not the Cantonese 係
    "那边的会场",  # 边 is 哪 only in 边个 / 边度
])
def test_words_that_only_sound_alike_are_left_alone(typed: str) -> None:
    assert normalize(typed) == typed


def test_english_words_inside_chinese_stand_apart() -> None:
    assert normalize("帮我register一下那个Auckland的workshop") == "帮我 register 一下那个 auckland 的 workshop"
    assert normalize("12月的CE培训") == "12月的 ce 培训"


@pytest.mark.parametrize(("text", "kind"), [
    ("嗯嗯好的好的知道了谢谢啊", "thanks"),
    ("那个那个你好啊", "greeting"),
    ("你好～我是王总的秘书，先打个招呼", "greeting"),
    ("好的，收到，我会转告我们老板", "thanks"),
    ("Last time you were a great help, so just dropping by to say thanks.", "thanks"),
    ("Farewell for now, and season's greetings to you all.", "greeting"),
    ("你是AI吗？挺smart的", "thanks"),
    ("heyyy 👋 wassup bot", "greeting"),
    ("午安，第一次用這個訊息服務，請多指教", "greeting"),
    ("Thank you for the clarification, which is duly noted. That concludes my enquiries for today.", "thanks"),
    ("请问你是真人还是机器人呀？", "help"),
    ("回答得真棒，爱了❤️", "thanks"),
    # round 19: Portuguese greetings, formal letters, machine-translated English, Henan words
    ("Bom dia! Tudo bem? Just testing this chat, first time here.", "greeting"),
    ("What can you do? Short list.", "help"),
    ("Cheers for the help, have a lekker weekend!", "bye"),
    ("Please explain me which kinds of questions you are able to give answer.", "help"),
    ("早上好 我第一次用这个小程序 你都能帮我干些什么", "help"),
    ("承蒙解答，不胜感激，顺颂商祺。", "bye"),
    ("你都会弄啥？", "help"),
    ("Howzit bot, how's things on your side?", "greeting"),
    ("Spoke with your staff on phone. Problem solved. Thanks.", "thanks"),
])
def test_small_talk_with_asides_or_without_stops(text: str, kind: str) -> None:
    assert kind_of(normalize(text)) == kind


@pytest.mark.parametrize("text", ["好的，那会费多少", "谢谢，我想报名胡志明市代表团",
                                  "hi, how much is the membership fee?"])
def test_small_talk_beside_a_question_is_not_small_talk_alone(text: str) -> None:
    assert kind_of(normalize(text)) is None


def _book(member: TestBot, event: str) -> None:
    member.say(f"/register {event}")
    for value in ("Tan Mei", "Tan Trading", "tan@example.com", "yes"):
        member.say(value)


def _statuses(db: Engine) -> list[str]:
    with db.connect() as conn:
        return list(conn.execute(select(Registration.status)).scalars())


@pytest.mark.parametrize("wording", [
    "Last month I booked the Auckland workshop, but my trip has been called off, so I need to cancel.",
    "帮我取肖奥克兰工作坊的报铭",
    "need to 取消 my Auckland workshop booking, sorry",
    "Please take my boss off the attendee list for the Auckland workshop.",
    "my boss say dont go Auckland workshop, can help me cancel or not",
    "Reckon I can't make Auckland after all, can you take me off the list?",
    "Um, how do I cancel? I registerd for the workshop by mistake",
    "俺那个奥克兰的报名给撤了吧",
    "I'm afraid I shan't make the workshop after all; would you mind terribly withdrawing my place?",
    "can't make it to Auckland anymore, please take us off",
    "remove me from the auckland workshop pls",
    "pls cxl my reg for the auckland workshop b/c budget cut thx",
    "奥克兰那个工作坊去不了了，把我的名额退掉",
    "Flight changed - need to drop my Auckland booking asap",
    # rounds 19 and 20: Hunan and Scots words, machine-translated English
    "I must to withdraw the enrollment of the Auckland workshop because of visa problem.",
    "Pull me out of the Auckland workshop please, budget got cut.",
    "搞么子哦，签证冇办下来，奥克兰那个报名退哒算哒",
    "I cannae make it tae Auckland in November after all. Can ye take me off the list?",
    "Something's come up, I need to drop out of the Auckland workshop.",
    "老表，奥克兰那个工作坊我去不成咯，帮我把名字划掉嘛。",
    # round 24: the event first and the leaving after, Singlish, a name dropped
    "My daughter is getting married the same week as the Auckland workshop, so sadly I have to pull out.",
    "Aiyo cannot go Auckland liao, help me cancel can?",
    "Drop my name from the November thing in Auckland.",
    "公司下半年预算砍了，出差全停，所以奥克兰那个工作坊我们只能退出了",
])
def test_a_booking_left_in_a_members_words_is_cancelled(member: TestBot, db: Engine, wording: str) -> None:
    _book(member, "auckland-ecommerce-workshop-2027")
    asked = member.say(wording)
    assert asked.intent == "registration" and asked.answer_id is None
    member.say("yes")
    assert _statuses(db) == ["cancelled"]


@pytest.mark.parametrize("wording", [
    "Did the Auckland workshop booking I made before leaving ever get confirmed?",
    "上次报的奥克兰工作坊现在是什么情况",
    "唔該幫我睇下我報咗邊幾個活動",
    "能不能check下我报过哪些event",
    "Has a place been reserved under our company name?",
    "Could it be confirmed whether seats are being held in the name of Tan Trading?",
    "How many spots do we currently have on the Auckland workshop?",
    "did the auckland thing go thru or not",
    "Do I have any upcoming registrations?",
    "Am I attending anything next year?",
    "我司名下是否已有奥克兰工作坊的登记记录？",
    "奥克兰那个工作坊，咱占了几个位子？",
    "俺上礼拜在网上整了个报名，也不晓得弄好了没，给瞅一眼呗",
    "Hey! Quick one - am I locked in for the Auckland workshop or what??",
    "How many seats have we got reserved on the Auckland workshop?",
    "is my registraton for the Auckland workshop confirmed",
    "Do I have anything booked with PREC at the moment?",
    "I would like to verify if my inscription for the workshop in Auckland is well recorded in your system.",
    "I made the reservation for the workshop in Auckland but I have received no confirmation mail.",
    "奥克兰工作坊我到底报没报上？给个准话",
    "想看看我报名的详细信息，时间、地点、人数这些",
    "wo de 报名 queren le ma",
    "reg status auckland workshop? confirmed or not",
    "Did I register for anything yet? Asking for myself, not my boss.",
    "need booking details auckland workshop, dates seats name on it",
    "侬帮阿拉看看，奥克兰那个工作坊阿拉报上了伐？",
    "my mom wants to know if she's actually signed up for the auckland workshop, she thinks she did it last week",
    "ok so about the registration... is it confirmed now or still pending?",
    "regstered for auckland workshop? y/n",
    "我之前订的位置还在吗?",
    "我的registration有没有confirm到？",
    "奥克兰那个工作坊我这边有几个位啊，帮我看下先",
    "so like i kinda remember registering for something in auckland but like is it actually confirmed or not",
    "Por favor, can you tell me if I have any active registrations? I'm not sure I finished the form.",
    'Did the 2 seats I reserved for the "e-commerce day" in NZ get confirmed, or are they still pending?',
    "财务对账用：1.已报名活动 2.每个活动几个席位 3.是否已确认，麻烦逐项列出",
    "上次填完表就没下文了，奥克兰那个报名算数吗",
    "Cheers for earlier. Quick one - what have I got booked with ye at the minute?",
    "兹询问：我司此前报名参加2027年奥克兰工作坊一事，目前是否已确认，特此询问。",
    # rounds 19 and 20: Hunan, Tianjin and Teochew words, Portuguese, Sheng
    "我报哒么子活动咯？帮我查下，我自己都记不清哒",
    "我介边报了嘛活动，你给我查查",
    "尊嘟假嘟，我报上奥克兰那个工作坊了吗？没收到邮件有点慌😵",
    "Please confirm to me whether my name is existing on the list of participants of the Auckland workshop.",
    "did my signup for the auckland workshop go thru? never got an email",
    "Tudo bem? Just want to confirm my inscrição for the Auckland workshop is ok.",
    "Niaje, am I already booked for the Auckland workshop ama not?",
    "我有无报着奥克兰许个工作坊？",
])
def test_a_booking_asked_after_in_a_members_words_is_listed(member: TestBot, wording: str) -> None:
    _book(member, "auckland-ecommerce-workshop-2027")
    said = member.say(wording)
    assert said.intent == "registration" and ("Auckland" in said.text or "奥克兰" in said.text)


@pytest.mark.parametrize("wording", ["what's the status of my membership application? I applied last week",
                                     "is our company registered as a member"])
def test_the_status_of_a_membership_application_is_not_a_booking(member: TestBot, wording: str) -> None:
    assert member.say(wording).intent != "registration"


@pytest.mark.parametrize(("wording", "title"), [
    ("On behalf of our managing director: please sign her up for the Vietnam trade mission.",
     "PREC Trade Mission to Ho Chi Minh City 2027"),
    ("替我们总经理报个名，就是新加坡的出口峰会", "2027 PREC年度出口峰会"),
    ("帮我register一下那个Auckland的workshop", "2027奥克兰跨境电商出口工作坊"),
    ("can help me sign up the Auckland workshop, my boss say must go",
     "Cross-border E-commerce Export Workshop Auckland 2027"),
    ("Can I join the trade mission to Vietnam?", "PREC Trade Mission to Ho Chi Minh City 2027"),
    ("Keen to join the Saigon mission, how do I get on it?", "PREC Trade Mission to Ho Chi Minh City 2027"),
    ("Count two of us in for Singapore", "PREC Annual Export Summit 2027"),
    ("Can a place be reserved for our company at the export summit in September?", "PREC Annual Export Summit 2027"),
    ("能否为本公司登记三名人员参加明年九月的峰会？", "2027 PREC年度出口峰会"),
    ("新西兰那个工作坊还能报不？能的话给俺弄一个", "2027奥克兰跨境电商出口工作坊"),
    ("Let's lock it in! Sign me and two of my reps up for the Vietnam trip!!",
     "PREC Trade Mission to Ho Chi Minh City 2027"),
    ("My colleague asks: can she join the e-commerce workshop in New Zealand?",
     "Cross-border E-commerce Export Workshop Auckland 2027"),
    ("要得，把我也报上越南那个团嘛", "2027 PREC胡志明市贸易代表团"),
    ("同事让我问一下：能不能帮他报名明年九月的出口峰会？", "2027 PREC年度出口峰会"),
    ("我们公司想派两个同事去新西兰那个工作坊", "2027奥克兰跨境电商出口工作坊"),
    ("I would like to inscribe myself to the export summit of September in Singapore.",
     "PREC Annual Export Summit 2027"),
    ("wo xiang bao ming 奥克兰的workshop", "2027奥克兰跨境电商出口工作坊"),
    ("新加坡出口峰会怎么买票？", "2027 PREC年度出口峰会"),
    ("Would like to book places for our sales team (3 ppl) at the Singapore summit", "PREC Annual Export Summit 2027"),
    ("能帮我占个胡志明市代表团的位子吗🙏🙏", "2027 PREC胡志明市贸易代表团"),
    ("侬好，阿拉老板想去奥克兰额工作坊，帮伊报个名", "2027奥克兰跨境电商出口工作坊"),
    ("Let's get our team onboarded to the Auckland e-com workshop, huge synergy with our D2C growth roadmap",
     "Cross-border E-commerce Export Workshop Auckland 2027"),
    ("麻烦替我的合伙人报名胡志明的活动", "2027 PREC胡志明市贸易代表团"),
    ("Sign our team up for the e-commerce workshop in Auckland in November.",
     "Cross-border E-commerce Export Workshop Auckland 2027"),
    ("是的 就报那个越南的", "2027 PREC胡志明市贸易代表团"),
    ("I'd love to go on the Ho Chi Minh City thing - what do I need to do to get on it?",
     "PREC Trade Mission to Ho Chi Minh City 2027"),
])
def test_booking_for_ones_boss_or_in_english_words_starts_the_form(member: TestBot, wording: str,
                                                                    title: str) -> None:
    said = member.say(wording)
    assert said.intent == "registration" and title in said.text


@pytest.mark.parametrize("wording", [
    "Thank you kindly. No further need of a person; please return me to the computer.",
    "多謝你哋同事，其他嘢我自己問個機器人就得",
    "刚才转人工是因为要改发票抬头，现在改好了，切回自动客服吧",
    "Thank you madam, I think the automatic assistant can help me from here. Please, how do I go back to it?",
    "wo yao 回到 jiqiren",
    # round 24: the bot by other names, other verbs
    "Thank you for your assistance. I would now like to resume the conversation with the automated assistant.",
    "Issue sorted. Could you reconnect me to the virtual assistant?",
    "Let me go back to the menu, I'll find the rest myself.",
    "You've been very patient with me, young man. I think I can manage with the computer helper again now.",
    "好了，转回小助手吧",
    "小姑娘辛苦你了，后面的我慢慢问那个自动的就行，不占你时间了",
])
def test_back_to_the_bot_in_a_members_words_closes_the_ticket(member: TestBot, db: Engine, wording: str) -> None:
    member.say("/human")
    member.say("We need help with an invoice for our booth.")
    assert member.say(wording).intent == "handoff"
    with db.connect() as conn:
        assert list(conn.execute(select(Ticket.status)).scalars()) == ["resolved"]


def test_talk_to_the_bot_is_no_command_outside_a_hand_off(member: TestBot, db: Engine) -> None:
    member.say("other questions I'll ask the bot later, what is PREC?")
    with db.connect() as conn:
        assert list(conn.execute(select(Ticket.status)).scalars()) == []


@pytest.mark.parametrize("wording", [
    "唔該幫我搵個真人傾下，我打字好慢",
    "转仁工啊",
    "能不能让你们的sales manager加我WeChat",
    # rounds 19 and 20: the reason beside the request, over a quoted e-mail too
    "Please escalate this to one of your team members, I've asked the same thing three times already.",
    "帮我转一下人供，原产地证的事我想跟工作人员直接说",
    "麻烦让秘书处的老师跟我对接一下，会费发票抬头开错了，想当面说清楚",
    "Could a member of staff pick this up please? Forwarding below.\n\n> From: logistics@example.com\n> The CO has "
    "to be reissued before Friday.",
    "发票号INV-2027-00532，3月2日付的款到现在还没有入账记录，麻烦让财务部的同事跟我对一下账。",
    # asked whether one may speak to someone; insisted on; called out
    "Is there a way to speak with somebody in the Suzhou office directly? The portal keeps rejecting our business "
    "licence upload.",
    "对，就是要人工，别再给我发链接了",
    "叫个人出来",
])
def test_a_person_asked_for_in_cantonese_with_a_slip_or_in_english_words(member: TestBot, db: Engine,
                                                                          wording: str) -> None:
    said = member.say(wording)
    assert said.intent == "handoff"


@pytest.mark.parametrize("wording", [
    "你是real person吗？还是AI在回",
    "請問你係咪真人嚟㗎？定係電腦自動回覆？",
    "嗯上周你们有个同事打电话给我说证书的事已经弄好了谢谢啊",
    "is this like a human typing or is it a bot",
    # a visit told, and whether staff come along on a trip
    "上周你们同事来我们工厂拜访了，聊得很愉快",
    "請問代表團會有翻譯人員陪同嗎？",
])
def test_whether_the_bot_is_a_person_or_a_past_call_asks_for_no_one(member: TestBot, db: Engine,
                                                                     wording: str) -> None:
    said = member.say(wording)
    assert not said.result.handoff
    with db.connect() as conn:
        assert list(conn.execute(select(Ticket.id)).scalars()) == []


@pytest.mark.parametrize(("text", "kind"), [
    ("Thank you very kindly for your patience. At my age these computer matters take a little longer.", "thanks"),
    ("Wishing you and everyone at the Council a happy New Year. My late father, who founded our factory, always "
     "sent greetings at this time of year.", "greeting"),
    ("中，就这么着吧，拜拜了您内", "bye"),
    # what the bot can help with, asked formally
    ("Good afternoon. Before I put any substantive questions to you, could you briefly outline the scope of matters on "
     "which you are able to assist?", "help"),
    ("May I know what all queries you are able to handle?", "help"),
    # round 25: apologies, closings and plans, praise in slang
    ("Sorry for spamming you with so many messages this morning 😅", "sorry"),
    ("不好意思刚才发错消息了，打扰啦", "sorry"),
    ("Yours sincerely, and with kind regards from Stuttgart", "bye"),
    ("Have a lovely weekend, chat again on Monday!", "bye"),
    ("好的今天先到这儿，我去车间开会了，回头见～", "bye"),
    ("You answer faster than my own bank's hotline, honestly impressive 😂", "thanks"),
    ("yyds！回复这么快666", "thanks"),
    ("绝绝子，比我们公司IT部还靠谱", "thanks"),
    # praise that compares ("比我想的强多了" asks nothing), thanks for the help, what the assistant can do
    ("你这小助手挺给力啊，比我想的强多了", "thanks"),
    ("说实话你这个回答比我想象的专业多了，给你点个赞👍", "thanks"),
    ("I appreciate your help; I have no further questions at this time.", "thanks"),
    ("My director asked me what this assistant is able to do – could you give me a quick overview?", "help"),
    ("Am I corresponding with a machine? I confess I cannot tell these days.", "help"),
])
def test_friendly_words_in_a_message_that_asks_nothing(text: str, kind: str) -> None:
    assert words_kind(normalize(text)) == kind


@pytest.mark.parametrize("text", ["Much obliged for your kind assistance.", "You're a clever little bot"])
def test_thanks_and_praise_in_more_words(text: str) -> None:
    assert kind_of(normalize(text)) == "thanks"


@pytest.mark.parametrize("text", [
    "我们想赞助你们的活动",  # 赞助 is sponsoring, not 赞 (praise)
    "pls reg me + 1 colleague for the milan fair in march, thx",  # a request, though it ends in thanks
    "thanks, what is the membership fee",
    "谢谢，会费多少",
    "which questions can you answer about the visa letter?",  # asks about the letter, not about the bot
    "Dear Sir/Madam, kindly arrange for one of your officers to telephone me. With thanks and regards",
    "thanks, I need help with my invoice",
])
def test_friendly_words_beside_a_request_or_a_question_are_not_small_talk(text: str) -> None:
    assert words_kind(normalize(text)) is None


def test_friendly_words_never_outrank_an_answer(member: TestBot) -> None:
    said = member.say("Thanks again for yesterday. How much is the annual membership fee for a small company")
    assert said.intent != "smalltalk"


@pytest.mark.parametrize("wording", ["你好啊，我是广州嘅会员，第一次用这个机器人，先打个招呼啦",
                                     "您好！老朽今年七十有一，初次用这种手机聊天的方式同贵会打交道，还请多多关照。",
                                     "您好。在正式提问之前，请先说明：本对话系由自动化系统处理，还是由人员实时回复？"])
def test_friendly_words_the_classifier_half_reads_as_a_request_are_not_one(member: TestBot, db: Engine,
                                                                           wording: str) -> None:
    said = member.say(wording)
    assert said.intent == "smalltalk" and not said.result.handoff
    with db.connect() as conn:
        assert list(conn.execute(select(Ticket.id)).scalars()) == []


def test_an_officer_to_telephone_the_member_is_a_request(member: TestBot) -> None:
    said = member.say("Dear Sir/Madam, kindly arrange for one of your officers to telephone me at the earliest "
                      "regarding our company file. With thanks and regards, Eng. Tarek Mansour, Alexandria")
    assert said.intent == "handoff"


def test_a_bare_request_for_a_person_is_one(member: TestBot) -> None:
    assert member.say("Real person. Now.").intent == "handoff"


@pytest.mark.parametrize("wording", [
    "is my ticket ok for the summit in singapore?",
    "am I in for the Ho Chi Minh trip or not",
    "Is there any record of me for a PREC event? Honestly can't remember if I signed up.",
    "Where do I find my confirmation number for the trade mission?",
    # round 24
    "My reference number is PREC-27-0481. Can you tell me what that booking is for and whether it is still valid?",
    "报名编号PREC-27-1193，麻烦看下这个报名还有效吗",
    "Our export manager Jenny booked places for us before she left the company in May. Do we still have those?",
])
def test_tickets_badges_and_references_ask_after_ones_bookings(member: TestBot, wording: str) -> None:
    said = member.say(wording)
    assert said.intent == "registration" and ("no registrations" in said.text or "还没有报名任何活动" in said.text)


def test_taking_a_place_starts_the_form(member: TestBot) -> None:
    said = member.say("I'll take one place on the Auckland e-commerce workshop please")
    assert said.intent == "registration" and "Cross-border E-commerce Export Workshop Auckland 2027" in said.text


@pytest.mark.parametrize("wording", ["我想找个人工帮我改报名信息",
                                     "Book me a call with a real adviser, I'm done reading"])
def test_a_person_asked_for_beside_registration_words_is_a_request_for_staff(member: TestBot, wording: str) -> None:
    assert member.say(wording).intent == "handoff"


@pytest.mark.parametrize(("typed", "read"), [
    ("what can u do", "what can you do"),
    ("r u a real person", "are you a real person"),
    ("thx, ur colleague already fixed it", "thx, your colleague already fixed it"),
    ("蟹蟹亲", "谢谢亲"),
    ("神马时候开始", "什么时候开始"),
    ("wo yao ren gong", "我要人工"),  # pinyin typed without the input method
    ("查一下我的baoming jilu", "查一下我的报名记录"),
    ("wo de 报名 queren le ma", "我的报名确认 le ma"),
    ("pls cxl my reg for the summit", "pls cancel my reg for the summit"),
    ("侬帮阿拉看看，阿拉报上了伐？", "你帮我们看看,我们报上了吗?"),
])
def test_chat_shorthand_is_read_as_the_words_it_stands_for(typed: str, read: str) -> None:
    assert normalize(typed) == read


@pytest.mark.parametrize("typed", ["u.s. visa letter", "r&d centre", "u-turn on the fee", "q3 2027", "renal gong",
                                   "加快步伐"])
def test_letters_inside_abbreviations_are_no_shorthand(typed: str) -> None:
    assert normalize(typed) == typed


@pytest.mark.parametrize(("text", "kind"), [
    ("what can u do", "help"),
    ("am i chatting with an AI rn", "help"),
    ("这个助手yyds 绝绝子", "thanks"),
    ("承蒙解答，不胜感激，就此告辞。", "bye"),
])
def test_small_talk_in_slang_or_in_formal_words(text: str, kind: str) -> None:
    assert kind_of(normalize(text)) == kind


def test_a_past_fix_by_a_colleague_asks_for_no_one(member: TestBot, db: Engine) -> None:
    said = member.say("thx, ur colleague already fixed my login thing yesterday")
    assert not said.result.handoff and said.intent != "handoff"
    with db.connect() as conn:
        assert list(conn.execute(select(Ticket.id)).scalars()) == []


def test_asking_for_the_automatic_replies_back_closes_the_ticket(member: TestBot, db: Engine) -> None:
    member.say("/human")
    member.say("We need help with an invoice for our booth.")
    assert member.say("兹已了解，无需再劳烦人工，请恢复自动应答。").intent == "handoff"
    with db.connect() as conn:
        assert list(conn.execute(select(Ticket.status)).scalars()) == ["resolved"]


@pytest.mark.parametrize("wording", ["哈喽 奥克兰电商工作坊整一个名额呗 蟹蟹",
                                     "本人拟报名参加明年十一月于奥克兰举办之电商工作坊。"])
def test_taking_a_place_in_slang_or_formal_chinese_starts_the_form(member: TestBot, wording: str) -> None:
    said = member.say(wording)
    assert said.intent == "registration" and said.result.events == ("auckland-ecommerce-workshop-2027",)


def test_a_booking_said_with_you_bao_is_asked_after(member: TestBot) -> None:
    said = member.say("我上个礼拜有报新加坡summit，帮我check下有没有confirm到")
    assert said.intent == "registration" and "还没有报名" in said.text


def test_a_question_the_faq_answers_about_attending_stays_a_question(member: TestBot) -> None:
    assert member.say("can I attend the webinar online?").answer_id == "online-webinars"


@pytest.mark.parametrize("wording", ["Pls escalate to staff. Need human review re: invoice.",
                                     "Is it possible for this to be passed on to one of your colleagues?",
                                     "我怕弄错，能不能让工作人员帮我看一下材料？",
                                     "My colleague asks: can she talk to an actual staff member about the mission?",
                                     "有没有真人嘛？咋个一直是机器人哦",
                                     "I've asked three times and your bot keeps giving me the wrong answer. Get me "
                                     "someone who actually works there.",
                                     "Can a colleague of yours in Singapore take over this chat?",
                                     "wo yao ren gong",
                                     "能加一下你们工作人员的微信吗？想详细聊聊胡志明市代表团的事",
                                     "can talk to real person or not, the bot 不明白我的问题",
                                     "can get a human to help me or not, 这个bot一直loop",
                                     "让你们管代表团报名的同事加我微信",
                                     "我想找你们负责贸易代表团的老师聊聊",
                                     "兹因我司参展事宜较为复杂，恳请贵会安排专人对接，特此函告。",
                                     # round 23: a colleague asked after, a team by its name, a call or a meeting
                                     "Would it be possible for someone on the membership side to give me a ring "
                                     "sometime this week? Our renewal date looks off.",
                                     "Is the lady who helped me with the certificate of origin last month around? "
                                     "Mei Ling, I think. I'd like to carry on with her.",
                                     "Let me speak with whoever handles sponsorship for the Auckland workshop.",
                                     "I'd like the membership desk to look at this personally rather than an automated "
                                     "reply.",
                                     "上次帮我办原产地证的那位姓陈的小姐今天在吗？想让她继续跟进",
                                     "/人工 原产地证加急费多扣了一次",
                                     "能视频通话吗？想跟你们培训部的人当面确认一下课程安排。",
                                     "请找一位懂贸易融资的同事发邮件给我，解释一下银行转介的流程。",
                                     "尊敬的PREC秘书处：本公司拟参加2027年胡志明市贸易代表团，恳请贵会派专人与我方联系，洽谈具体事宜。"])
def test_escalating_or_passing_on_is_a_request_for_a_person(member: TestBot, wording: str) -> None:
    assert member.say(wording).intent == "handoff"


@pytest.mark.parametrize(("text", "kind"), [
    ("G'day!", "greeting"),
    ("ta", "thanks"),
    ("好嘞，辛苦", "thanks"),
    ("What sorts of things can you do for me?", "help"),
    ("Hello, I'm new here - um, what kinds of things am I allowed to ask you?", "help"),
    ("你都能帮我弄啥", "help"),
    ("Thank you for your assistance. Goodbye.", "bye"),
    ("You're really quite good at this, aren't you?", "thanks"),
    ("tahnks!!", "thanks"),
    ("What can you do for me?", "help"),
    ("Mr Chen sends his thanks for the quick help.", "thanks"),
    ("嘎哈呢？在吗", "greeting"),
    ("你这小助手倍儿机灵", "thanks"),
    ("xie xie 啦", "thanks"),
    ("Sorry, eh, just wanted to say your staff at the Singapore office were super helpful last year. Thanks!",
     "thanks"),
    ("昨天跟一个工作人员聊过了，问题已经解决了", "thanks"),
    ("you're pretty smart for a robot", "thanks"),
    ("what u can do?", "help"),
    ("Sawasdee krub", "greeting"),
    ("hi im helping my mom, what can u do", "help"),
    ("Good morning po! Thank you so much for the help earlier.", "thanks"),
    ("Ah sure you're great craic for a robot. Night now.", "bye"),
    ("你好，你是谁？能帮我做什么？晚上也在线吗？", "help"),
    ("Howya! What can you do for me so?", "help"),
    ("太不好意思了问了这么久，谢谢谢谢，麻烦了！", "thanks"),
])
def test_small_talk_in_more_of_members_words(text: str, kind: str) -> None:
    assert kind_of(normalize(text)) == kind


@pytest.mark.parametrize("wording", ["你们那个工作人员好巴适哦，上回帮了我大忙",
                                     "你们那个同事人好巴适哦，替我谢谢他哈",
                                     "上次那位客服小姐足好，帮我谢谢她",
                                     "like are your interpreters kinda human or is it like an app",
                                     "If I get sick can a colleague go to the summit instead of me?"])
def test_praise_for_our_staff_asks_for_no_one(member: TestBot, db: Engine, wording: str) -> None:
    assert member.say(wording).intent != "handoff"
    with db.connect() as conn:
        assert list(conn.execute(select(Ticket.id)).scalars()) == []


def test_a_closed_event_named_by_the_words_only_its_title_has_is_not_swapped_for_an_open_one(db: Engine) -> None:
    """Both trainings fit "培训"; only the closed one's title says CE 认证: the member is told it is closed, and no
    form starts for the other training."""
    member = TestBot(Library.load(ROOT / "tests" / "data" / "third_base"), db)
    said = member.say("我想报那个CE认证培训，还来得及不？")
    assert said.intent == "registration" and said.result.listed and "截止" in said.text  # what is open instead


def test_a_type_of_event_in_one_title_only_still_offers_every_event_of_that_type(db: Engine) -> None:
    member = TestBot(Library.load(ROOT / "tests" / "data" / "third_base"), db)
    said = member.say("I want to register for one of your trade fairs")
    offered = {b.payload for r in said.result.replies for b in r.buttons}
    assert {"/register machinery-fair-milan-2027", "/register automation-expo-suzhou-2027"} <= offered


@pytest.mark.parametrize("wording", ["I don't want an agent. I mean, I'm fine with you, just tell me the office hours.",
                                     "no human needed, just give me the fee table",
                                     "Do you ever get tired of answering the same questions?",
                                     "你会思考吗，还是只会回答问题😂",
                                     # rounds 19 and 20: a call told as settled, a person refused
                                     "No need to pass me to anyone, I just want the office address.",
                                     "你们那个姓陈的妹子昨天电话里讲得蛮清楚咯，问题解决哒，谢谢啰",
                                     "刚跟你们客服小姐姐聊完，人超好的，绝绝子👍 事情搞定啦",
                                     "别给我转人工！我就问一句办公时间，直接说。",
                                     "剛剛跟你們的陳小姐通過電話了，問題都解決了，謝謝她喔！",
                                     # round 23: a past call complained of, whom to ask later, whether this is a bot
                                     "上个月跟你们工作人员通电话，态度很差，一问三不知。",
                                     "The bank officer from UOB already phoned me, thanks. What happens next with the "
                                     "referral?",
                                     "如果以后融资转介有问题，应该找哪个部门？",
                                     "请问我现在是在跟机器人聊天吗？",
                                     # round 25: a call declined or already promised, human or automated
                                     "Quick one: am I typing to an actual human right now or is this automated?",
                                     "不用安排人给我打电话哈，我就在这里问一句：会员年费是按自然年算的吗",
                                     "昨天你们同事说今天下午会回电话给我，我等着就行，不用再另外约了"])
def test_declining_a_person_or_asking_the_bot_about_itself_asks_for_no_one(member: TestBot, wording: str) -> None:
    said = member.say(wording)
    assert said.intent != "handoff" and not said.result.handoff


def test_confirming_the_registration_procedure_is_no_question_about_ones_bookings(member: TestBot) -> None:
    said = member.say("We would like to register two participants for the Auckland workshop; kindly confirm the "
                      "registration procedure and the applicable deadline.")
    assert said.intent == "registration" and said.result.events == ("auckland-ecommerce-workshop-2027",)


@pytest.mark.parametrize("text", ["Love the seamless UX here, super on-brand!",
                                  "This chatbot is a total game changer, love it"])
def test_praise_in_marketing_words_is_small_talk(text: str) -> None:
    assert words_kind(normalize(text)) == "thanks"


# Rounds 19 and 20: a language asked for beside its reason; questions about a language that ask for no switch.
@pytest.mark.parametrize(("wording", "lang"), [
    ("pls reply in chinese from now on, easier for my manager", "zh"),
    ("恁能说英语不？俺这边外国同事要看，换成英文吧", "en"),
    ("烦请此后以英文回复，以便敝司海外同仁阅览，为盼。", "en"),
    ("Can we continue in Chinese please? My English is not so good.", "zh"),
    ("请说英语。我中文不太好。", "en"),
])
def test_a_language_asked_for_with_its_reason(member: TestBot, wording: str, lang: str) -> None:
    said = member.say(wording)
    assert said.result.lang == lang and said.answer_id is None


@pytest.mark.parametrize(("wording", "lang"), [("do your staff speak English at the summit?", "en"),
                                               ("峰会用英文进行吗", "zh"), ("活动现场可以用英文交流吗", "zh"),
                                               ("申请表可以用英文写吗？", "zh"),
                                               ("我想把合同改成英文，你们有模板吗？", "zh")])
def test_a_question_about_an_events_language_switches_nothing(member: TestBot, wording: str, lang: str) -> None:
    assert member.say(wording, lang=lang).result.lang == lang


@pytest.mark.parametrize(("wording", "lang"), [("can you translate our contract into chinese", "en"),
                                               ("can I write my application in Chinese?", "en"),
                                               ("这份合同翻译成英文多少钱", "zh"),
                                               ("把产品目录翻译成英文要多久", "zh")])
def test_a_thing_to_be_put_into_a_language_switches_nothing(db: Engine, wording: str, lang: str) -> None:
    """A document translated or a form written in a language is a question about a service or a form; the member's
    language stays, and the translation entry is answered or offered."""
    member = TestBot(Library.load(ROOT / "tests" / "data" / "third_base"), db)
    said = member.say(wording, lang=lang)
    offered = {b.payload for r in said.result.replies for b in r.buttons}
    assert said.result.lang == lang and said.intent != "smalltalk"  # a switch is answered as small talk
    assert said.answer_id == "document-translation" or "/faq document-translation" in offered


@pytest.mark.parametrize(("wording", "lang"), [("translate this into chinese please", "zh"), ("翻译成英文", "en")])
def test_the_answer_in_view_translated_is_still_a_switch(db: Engine, wording: str, lang: str) -> None:
    member = TestBot(Library.load(ROOT / "tests" / "data" / "third_base"), db)
    assert member.say(wording).result.lang == lang


@pytest.mark.parametrize(("wording", "entry"), [("我想当导师怎么报名", "become-mentor")])
def test_signing_up_for_something_the_faq_offers_and_no_event_is_gets_the_offer(member: TestBot, wording: str,
                                                                               entry: str) -> None:
    """Booking words about a thing the FAQ has and the calendar has not: its answer or "did you mean", not every
    open event."""
    said = member.say(wording)
    offered = {b.payload for r in said.result.replies for b in r.buttons}
    assert said.intent != "registration" and (said.answer_id == entry or f"/faq {entry}" in offered)


def test_a_time_beside_a_question_the_faq_knows_is_not_a_calendar_question(member: TestBot) -> None:
    """"next year" does not make "where do I pay for next year's membership" a question about next year's events."""
    said = member.say("where do i pay for next year's membership")
    assert said.intent != "events" and not said.result.events
    assert member.say("what's on next year", user="u2").intent == "events"


# Round 20: a spot asked for, a bare 报名！, Japanese words.
@pytest.mark.parametrize("wording", ["Is there still a spot on the Saigon mission? I'd like to grab one.",
                                     "墨西哥那个论坛！报名！快点！", "米兰的展会，我想申込。よろしく"])
def test_round_20_registrations_start_a_form(db: Engine, wording: str) -> None:
    base = "second_base" if "Saigon" in wording else "third_base"
    member = TestBot(Library.load(ROOT / "tests" / "data" / base), db)
    said = member.say(wording)
    assert said.intent == "registration" and len(said.result.events) == 1


def _faq_buttons(said: Said) -> list[str]:
    return [b.payload for r in said.result.replies for b in r.buttons if b.payload.startswith("/faq ")]


@pytest.mark.parametrize(("wording", "entry"), [
    ("We'd love to have our logo at the Green Factory Summit in Copenhagen. What sponsorship levels do you offer?",
     "sponsorship"),
    ("我们市场部同事想赞助一下明年的活动，有哪些档位？", "sponsorship"),
    ("We booked the Copenhagen summit but may have to drop out about two weeks before. Would we get any of the money "
     "back?", "event-refund"),
    # Chinese says in two words what English says in three: "展位" and "钱" beside the Milan fair
    ("米兰展会展位多少钱", "booth-price"),
])
def test_a_question_about_an_event_gets_the_calendar_and_the_faq_entry_for_the_rest(third_library: Library,
                                                                                   db: Engine, wording: str,
                                                                                   entry: str) -> None:
    """The calendar shows the event; what else the message asks (its sponsorship, a refund) is one tap away."""
    said = TestBot(third_library, db).say(wording)
    assert said.intent == "events" and said.result.events
    assert f"/faq {entry}" in _faq_buttons(said)


@pytest.mark.parametrize("wording", ["events in germany next year", "when and where is the Green Factory Summit in "
                                     "Copenhagen held exactly", "明年有什么活动"])
def test_a_plain_calendar_question_gets_no_faq_buttons(third_library: Library, db: Engine, wording: str) -> None:
    said = TestBot(third_library, db).say(wording)
    assert said.intent == "events" and _faq_buttons(said) == []


def test_booking_words_about_something_no_event_is_offer_the_faq_under_the_events(third_library: Library,
                                                                                  db: Engine) -> None:
    said = TestBot(third_library, db).say("What documents do I need to upload to register our company as a member?")
    assert said.intent != "registration" and "/faq join-process" in _faq_buttons(said)
    plain = TestBot(third_library, db).say("sign me up pls", user="u2")
    assert plain.intent == "registration" and _faq_buttons(plain) == []


@pytest.mark.parametrize("wording", ["我想报名入会", "register as a new member pls"])
def test_joining_the_association_in_booking_words_is_no_event_booking(member: TestBot, wording: str) -> None:
    said = member.say(wording)
    assert said.intent != "registration" and "/faq membership-join" in _faq_buttons(said)
    assert member.say("as a member, sign me up for the Saigon mission", user="u2").intent == "registration"


@pytest.mark.parametrize("wording", ["My boss can't travel to Katowice in October - can I go in his place on his "
                                     "registration?", "我报的名额能不能换成同事？",
                                     "Hi there, I'm preparing a supplier audit file - under which law is ESMC "
                                     "registered, and what's its registration number?"])
def test_someone_else_going_or_the_chambers_own_registration_is_no_booking(third_library: Library, db: Engine,
                                                                         wording: str) -> None:
    """The rules for sending someone else, and the chamber's registration as a legal body, are questions for the FAQ:
    no form starts, no list of the member's bookings answers them."""
    said = TestBot(third_library, db).say(wording)
    assert said.intent != "registration"


def test_a_question_beside_an_unsure_request_for_a_person_gets_the_faqs_offer_too(second_library: Library,
                                                                                   third_library: Library,
                                                                                   db: Engine) -> None:
    """The bot asks whether to pass the message on, and the entry the FAQ would offer is one tap away: a member
    asking for the phone number wants the number, not necessarily a person."""
    # ("is there a phone number I can call?" had been one; since the glossary reads the entry's Chinese question
    # "电话" as "phone", the FAQ is sure of it and answers with the number; so too "do you have a phone line I can
    # call?" since the entry's question is also embedded glossed, bot/understanding/gloss.py.)
    said = TestBot(second_library, db).say("do you have a hotline I can call?")
    assert said.intent == "handoff" and not said.result.handoff
    assert [b.payload for b in said.result.replies[0].buttons] == ["yes", "no"]
    assert "/faq contact-phone" in _faq_buttons(said)
    # Since the glossary reads "法律咨询" as the English-only entry's "legal advice", the FAQ is sure of this one and
    # answers it (it had been an unsure request for a person with the entry offered).
    legal = TestBot(third_library, db).say("会员有没有免费的法律咨询？比如劳动合同方面的问题", user="u2")
    assert legal.answer_id == "legal-helpdesk"
    # Fed up and nothing more: the question of a person alone.
    fed_up = TestBot(second_library, db).say("this is getting me nowhere", user="u3")
    assert fed_up.intent == "handoff" and _faq_buttons(fed_up) == []


@pytest.mark.parametrize("wording", ["Is there anybody there who isn't automated? I need to sort out a cancellation.",
                                     "in a cab, no time to type - have someone call +49 170 5551234 asap re Duisburg",
                                     "机器人别回了，叫个活人出来",
                                     "在开会不方便打字，让人打我手机 138 0000 1234 吧",
                                     "可以請你們的同仁用 LINE 或電話跟我聯絡嗎？關於簽證邀請函的事",
                                     # round 29: a consultant's call, a meeting, a call back, after giving up on the bot
                                     "能不能帮我 arrange 一个 consultant 跟我 call 一下？关于 CE 认证的事",
                                     "问了半天答非所问！别让机器人回了，叫你们的人来处理！",
                                     "有没有懂出口管制的顾问？我想跟他电话聊聊",
                                     "可以约一下你们鹿特丹总部的工作人员下周见个面吗",
                                     "请安排客户经理给我回电，号码是13800001111",
                                     "What's the WeChat of your China membership manager? I'd rather message her "
                                     "directly."])
def test_a_person_asked_for_by_phone_or_as_someone_not_automated(third_library: Library, db: Engine,
                                                                  wording: str) -> None:
    assert TestBot(third_library, db).say(wording).intent == "handoff"


@pytest.mark.parametrize("wording", ["My shipping agent says we need an EU BTI - can ESMC issue that?",
                                     "我不需要跟人聊，直接告诉我展位多少钱就行",
                                     "哈哈我还以为是真人呢，原来是AI啊",
                                     "不好意思啊，刚才打错字了",
                                     # round 29: whether humans answer, a transfer declined
                                     "Is this chat answered by humans or by an AI?",
                                     "You don't need to transfer me to anyone, the bot's answer was fine.",
                                     "不消得找人咯，我自己晚点打电话过来问"])
def test_ones_own_agent_a_person_declined_or_a_slip_asks_for_no_one(third_library: Library, db: Engine,
                                                                     wording: str) -> None:
    said = TestBot(third_library, db).say(wording)
    assert said.intent != "handoff" and not said.result.handoff


@pytest.mark.parametrize(("text", "kind"), [
    ("Goodnight, talk tomorrow", "bye"),
    ("晚安啦，明天再来问", "bye"),
    ("gm gm ☕", "greeting"),
    ("Happy Thanksgiving! 🦃", "greeting"),
    ("最近咋样啊老铁", "greeting"),
    ("You're honestly better than most chatbots I've used lol", "thanks"),
    ("哈哈哈笑死，你还挺幽默", "thanks"),
    # round 29: an acknowledgement, how have you been, a laugh
    ("ok got it", "thanks"),
    ("你最近怎么样", "greeting"),
    ("lol that's funny 😂", "thanks"),
])
def test_small_talk_for_the_night_the_holidays_and_in_slang(text: str, kind: str) -> None:
    assert kind_of(normalize(text)) == kind


@pytest.mark.parametrize(("text", "kind"), [("Apologies, I think I sent that last message by mistake.", "sorry"),
                                            ("你累不累啊，24小时在线", "help"),
                                            ("给我讲个笑话呗", "help"),
                                            ("Tell me a joke about engineers.", "help"),
                                            # round 29: a slip owned, a laugh
                                            ("Sorry, my mistake, typed nonsense", "sorry"),
                                            ("lol that's funny 😂", "thanks")])
def test_a_slip_or_a_word_about_the_bot_is_small_talk(text: str, kind: str) -> None:
    assert words_kind(normalize(text)) == kind
