"""Intents read by the classifier (bot/understanding/intent_model.py), through the whole engine with the real
embedder: requests for a person however they are put, questions that only mention staff, and small talk."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import Engine, select

from bot.storage.models import Ticket
from bot.understanding import intent_model
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot


def _questions(db: Engine) -> list[str]:
    with db.connect() as conn:
        return list(conn.execute(select(Ticket.question)).scalars().all())


@pytest.mark.parametrize("text", [
    "honestly this chatbot is hopeless, put me through to someone",
    "this is getting me nowhere",
    "你这个机器人答非所问",
    "说了好几遍你都不明白",
])
def test_an_angry_member_is_offered_a_person_never_an_faq_answer(bot: TestBot, db: Engine, text: str) -> None:
    said = bot.say(text)
    assert said.answer_id is None and said.intent == "handoff"
    if said.result.handoff:  # the classifier was sure: a ticket at once, carrying the message
        assert _questions(db) == [text]
        return
    assert ("Yes, please", "yes") in said.buttons or ("好的，转人工", "yes") in said.buttons
    assert bot.say("yes").result.handoff is True
    assert _questions(db) == [text]


@pytest.mark.parametrize(("text", "question"), [
    ("/human I need help with my invoice", "I need help with my invoice"),
    ("/human 我的发票抬头写错了", "我的发票抬头写错了"),
])
def test_human_command_with_text_opens_a_ticket_with_the_text(bot: TestBot, db: Engine, text: str,
                                                              question: str) -> None:
    said = bot.say(text)
    assert said.intent == "handoff" and said.result.handoff is True
    assert _questions(db) == [question]


def test_human_command_text_beats_an_earlier_unanswered_question(bot: TestBot, db: Engine) -> None:
    assert bot.say("Can you get me a discount on my hotel in Frankfurt?").intent == "fallback"
    assert bot.say("/human the booth invoice has the wrong company name").result.handoff is True
    assert _questions(db) == ["the booth invoice has the wrong company name"]


@pytest.mark.parametrize(("text", "topic"), [
    ("would somebody on your team ring me about the booth invoice", "booth invoice"),
    ("能不能请你们的同事给我打个电话，说一下展位发票的事", "展位发票"),
    ("could one of your colleagues email me about the visa letter", "visa letter"),
    ("could someone from the New York office contact me about sponsorship", "sponsorship"),
    # by role or desk, as a call back, as a WeChat contact
    ("please have your events officer reach out to me about the expo booth", "expo booth"),
    ("can you pass me on to whoever handles the delegation visas", "delegation visas"),
    ("could I get a callback from the membership team about our renewal", "renewal"),
    ("麻烦让纽约办公室的同事加我微信，聊一下赞助的事", "赞助"),
    ("急，会员证书打不开，赶紧找个人帮我看看", "会员证书"),
    ("换人工吧，展位发票的事说不清", "展位发票"),
    ("能不能叫个懂签证的同事来回答一下邀请函的问题", "邀请函"),
    # a problem told first, then one of ours asked for ("找你们…的人", "跟人工沟通", "工作人员在吗")
    ("信用卡付会员费被扣了两次钱！！我要找你们财务的人", "扣了两次"),
    ("我是公司主联系人，离职同事的账号删不掉，想直接找你们的人处理", "账号"),
    ("展位费交了两次，现在就要跟人工沟通", "展位费"),
    ("麻烦叫你们同事在这里回我一下，会员证书一直下载失败", "会员证书"),
    ("工作人员在吗 想问下邀请函的事", "邀请函"),
    ("赶紧给我找个人！！展位定金交了，名单里没有我们公司", "展位定金"),
    ("We missed the deadline for the expo. Can someone from your events team get in touch to see if we can join?",
     "deadline"),
    ("I'd really appreciate it if one of your staff could contact me directly about our renewal invoice",
     "renewal invoice"),
    # a desk or a role named, a call back asked for, "一下" in "转人工", a supervisor (development round, 2026-12-06)
    ("能不能让技术人员帮我弄一下会员账号，登记的邮箱早就不用了", "会员账号"),
    ("可以留个电话让你们的人回拨给我吗？关于入会申请材料的问题", "入会申请"),
    ("能直接找个懂签证的人聊聊吗，邀请函的事打字说不清楚", "邀请函"),
    ("help 我转一下人工 plz，展位发票抬头错了", "展位发票"),
    ("Could you forward me to the partnerships team? We'd like to discuss sponsoring the expo.", "sponsoring"),
    ("Kindly escalate this to a supervisor, the booth invoice is still wrong after two emails", "booth invoice"),
    ("get me a live agent asap, the portal charged my card twice for the expo booth", "charged my card twice"),
    # a call back as "回个话", a meeting or a call arranged with a role, help by phone, a contact for someone else
    # (development round 38, 2026-12-06)
    ("展位发票的事，让负责的同事给我回个话", "展位发票"),
    ("帮我找个能说中文的客户经理，赞助的事英文邮件来回太慢了", "赞助"),
    ("打扰了，第一次申请入会，流程不太清楚，可否请一位工作人员电话指导一下？", "申请入会"),
    ("请求人工协助：会员证书一直下载失败", "会员证书"),
    ("能不能安排负责签证的同事跟我们开个线上会？邀请函的事比较复杂", "邀请函"),
    ("邀请函的事我们老板不想跟机器人聊，你让个人加一下他微信吧", "邀请函"),
    ("I need someone in the New York office to add me on WeChat about the expo booth", "expo booth"),
    ("My boss would like a short video call with the manager of your New York office about sponsorship. Could you "
     "set that up?", "sponsorship"),
])
def test_an_indirect_request_with_a_question_opens_a_ticket_with_it(bot: TestBot, db: Engine, text: str,
                                                                    topic: str) -> None:
    said = bot.say(text)
    assert said.intent == "handoff"
    if not said.result.handoff:  # asked first (the middle band): a yes opens it
        assert bot.say("yes").result.handoff is True
    [question] = _questions(db)
    assert topic in question


def test_the_members_own_people_beside_a_plain_request_still_ask(bot: TestBot, db: Engine) -> None:
    assert bot.say("my boss wants to talk to someone from your team").result.handoff
    assert bot.say("I want a human not a robot", user="u3").intent == "handoff"  # asks what to pass on
    assert bot.say("请安排一位同事联系我", user="u2").intent == "handoff"  # "安排" here is a verb, not the schedule


@pytest.mark.parametrize("text", [
    "do your employees all work in Beijing?",
    "你们的员工都在北京办公吗",
    "will there be staff to help us at the booth on the day?",
    "活动现场有没有工作人员讲解",
    # the member's own people, or a talk with staff that is over: no one of ours is asked for
    "I'll check with my boss first and get back to you",
    "my manager told me to find out about your association",
    "我先问问我们领导再决定",
    "我们老板让我了解一下你们联盟",
    "刚才已经和你们工作人员电话沟通好了，谢谢",
    "上个月跟你们工作人员通电话，态度很差，一问三不知。",  # a call told, not wished for
    "能不能给我找个人信息登记表的模板",  # "个人" is "personal" here, not "a person"
    # a person declined in so many words, a job question, a question whether the bot is a person
    "I don't need a person, just tell me when the expo opens",
    "no one needs to call me, I found the answer myself",
    "我不需要人工，告诉我会费多少就行",
    "不用给我打电话了，已经解决了",
    "你们最近招人吗",
    "are you hiring interns this summer?",
    "你是真人吗",
    # someone else of the member's own going in their place, not one of ours
    "i can't go, can someone else from my company take my place",
])
def test_a_question_about_staff_or_a_mention_of_people_asks_for_no_one(bot: TestBot, db: Engine, text: str) -> None:
    said = bot.say(text)
    assert said.intent != "handoff" and not said.result.handoff
    assert _questions(db) == []


@pytest.mark.parametrize("text", [
    "hi there, how are you doing today?",
    "hello! how are you",
    "你好，最近怎么样？",
    "thanks, I already talked to your colleague and it's sorted",
    "谢啦",
    "你都能干些什么",
    "cheers mate",
    "thanks guys!",
    "have a nice weekend!",
    "hi, thanks!",
    "👍 收到",
    "早上好呀，最近怎么样？",
    "下次再聊，拜拜",
    "新年快乐🧧",
    "好滴～",
    "辛苦了哈",
    "哈哈你真厉害",
    "周末愉快！",
    "新春快乐，祝你们生意兴隆",
    "你是真人还是AI啊🤔",
    "初次使用，请多关照",
    "感谢耐心解答，不胜感激",
    "你好呀，最近忙不忙？",  # "最近" is no question about what is coming up
])
def test_greetings_and_thanks_in_longer_messages_are_small_talk(bot: TestBot, db: Engine, text: str) -> None:
    said = bot.say(text)
    assert said.intent == "smalltalk"
    assert _questions(db) == []


def test_the_classifier_gives_probabilities_and_is_cached(library: Library) -> None:
    reading = library.reader.read("can somebody from your office call me about my membership")
    chances = reading.intent_chances()
    assert abs(sum(chances.values()) - 1.0) < 1e-4
    assert reading.intent_chance("handoff") == max(chances.values())
    assert library.reader.read("talk to a human").intent_chance("handoff") == 1.0  # an example phrase


def test_training_separates_classes() -> None:
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 16)).astype(np.float32)
    x = np.concatenate([c + 0.1 * rng.normal(size=(20, 16)) for c in centres]).astype(np.float32)
    labels = ["a"] * 20 + ["b"] * 20 + [intent_model.NONE] * 20
    model = intent_model.train(x, labels)
    assert model.classes[-1] == intent_model.NONE
    chances = model.chances(centres[1])
    assert max(chances, key=chances.__getitem__) == "b" and chances["b"] > 0.8
