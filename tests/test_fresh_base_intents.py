"""Intents on the fourth base from its second development round (tests/data/fourth_base/intent_rounds.yaml, written
from the association's files only): requests for a person in wordings the patterns had not met, small talk, and a
registration that names a stop of a series or joins "one of" a type of event."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot


@pytest.fixture
def exporter(fourth_library: Library, db: Engine) -> TestBot:
    return TestBot(fourth_library, db)


@pytest.mark.parametrize("words", [
    # someone asked to look into it and come back, or to write on a messaging app
    "Can someone from your logistics side look into the duty bill and get back to me by email or phone?",
    "Can someone from the Auckland office message me on WhatsApp? I'd rather sort the training out with them",
    "can a staff member add me on wechat? my id is lucas_fbx88",
    "Could you pass me over to the staff at the Guangzhou office? Need to discuss the fapiao",
    "He would like a member of AFBEA staff to contact him regarding the Buyer Introduction service for Korea.",
    # a person arranged, sent or transferred to
    "能不能安排一位负责贸易支持的老师跟我们详细聊聊？",
    "我想约个时间跟广州办公室的同事电话聊聊原产地证的问题，可以吗",
    "唉，还是绕回那几条FAQ。拜托了，派个工作人员来处理一下吧",
    "机器人就别回了，换人来",
    "这个你肯定答不了，直接帮我转财务吧，我们公司的付款被重复扣了",
    "我们老板想跟秘书长直接通个电话，谈下明年赞助年度论坛的事，麻烦安排一下",
])
def test_a_request_for_a_person(exporter: TestBot, words: str) -> None:
    said = exporter.say(words)
    assert said.intent == "handoff", said.text


@pytest.mark.parametrize("words", [
    "my manager asked me to check the booth price for Paris",
    "your colleague already sorted it out on the phone, thanks",
    "我想跟同事商量一下再决定报不报名",
])
def test_people_named_but_no_one_asked_for(exporter: TestBot, words: str) -> None:
    assert exporter.say(words).intent != "handoff"


@pytest.mark.parametrize("words", ["Great bot, very polite", "ok that's all for now, talk soon", "哇你回得好快"])
def test_small_talk(exporter: TestBot, words: str) -> None:
    assert exporter.say(words).intent == "smalltalk"


def test_registering_for_a_stop_of_a_series(exporter: TestBot) -> None:
    said = exporter.say("想报洛杉矶站，老板说一定要去见见美国超市的采购")
    assert said.intent == "registration" and said.result.events == ("buyer-meetup-los-angeles-2027",)


def test_joining_one_of_a_type_of_event_offers_those_only(exporter: TestBot) -> None:
    said = exporter.say("I'd like to join one of the buyer meet-ups next year, please register me")
    assert said.intent == "registration"
    assert sorted(p for _, p in said.buttons if p.startswith("/register ")) == [
        "/register buyer-meetup-los-angeles-2027", "/register buyer-meetup-tokyo-2027"]
