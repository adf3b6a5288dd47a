"""Members' words (bot/understanding/members_words.yaml): gathered from the development data only, kept as the
gatherer writes them, shipped with their vectors, and read by the person classifier."""

from __future__ import annotations

import numpy as np
import pytest

from bench.gather_members_words import gather, held_out
from bot.understanding import embedding, members_words
from bot.understanding.intent_model import PERSON_ASK
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot


def test_no_held_out_message_is_learnt_from() -> None:
    never = held_out()
    assert len(never) > 1000  # the held-out sets were found
    learnt = {phrase for _, phrase in members_words.load()}
    assert len(learnt) > 5000
    assert not learnt & never


def test_the_file_is_what_the_gatherer_writes() -> None:
    """Edited development data, or a hand edit of the file: run bench/gather_members_words.py."""
    gathered = [(name, phrase) for name, phrases in gather().items() for phrase in phrases]
    assert list(members_words.load()) == gathered


def test_the_shipped_vectors_are_the_models() -> None:
    embedder = embedding.load("e5")
    assert embedder is not None
    texts = [text for _, text in members_words.load()]
    with np.load(members_words.VECTORS) as f:
        assert str(f["digest"]) == members_words.digest(embedder, texts), "run bench/gather_members_words.py"
        shipped = f["vectors"].astype(np.float32)
    assert shipped.shape == (len(texts), embedder.dim)
    sample = [0, len(texts) // 2, len(texts) - 1]
    fresh = embedder.encode([texts[i] for i in sample], query=True)
    assert np.allclose(shipped[sample], fresh, atol=2e-3)


def test_the_person_classifier_learns_from_them(second_library: Library) -> None:
    reader = second_library.reader
    assert reader.person_model is not None
    # Far from the knowledge's example phrases (the intents' classifier gives it 0.04), near members' requests; a
    # question beside it stays a question.
    asked = reader.read("pls have finance email me, the invoice amount is wrong")
    assert asked.intent_chances()["handoff"] < 0.1
    assert asked.intent_chance("person") >= PERSON_ASK
    assert reader.read("does the membership fee include the directory listing?").intent_chance("person") < 0.1


# Round 49's requests that neither the patterns nor the knowledge's examples read before, by base. Left out:
# "能不能约个时间去你们星湖街的办公室当面谈谈入会的事？", read 0.39 by the person classifier on one machine and
# just over its band (0.4) on another: the model's vectors differ in their last bits from one CPU to the next, and
# a message that close to a band tests the machine, not the code.
ROUND_49 = [
    ("exporter", "会费发票抬头开错了，能不能让finance那边的同事直接email我处理一下"),
    ("exporter", "我留个电话，你们的人有空打给我：020-8888 6666，王小姐"),
    ("exporter", "麻烦找一下负责东京对接会的老师，我想当面问几个问题"),
    ("exporter", "我们下周二在广州，方便去你们花城大道的办公室跟会员部的人见个面吗？"),
    ("maker", "would it be possible for someone from the Suzhou office to visit our plant in Wuxi next week?"),
    ("maker", "可以拉个群吗？把你们负责深圳对接会的同事拉进来，我们几个采购一起沟通。"),
    ("prec", "能不能找个工作renyuan跟我说下大阪团的费用，网站上写得不清楚"),
]


@pytest.mark.parametrize(("base", "words"), ROUND_49)
def test_a_round_49_request_through_the_bot(request: pytest.FixtureRequest, base: str, words: str) -> None:
    bot: TestBot = request.getfixturevalue(base)  # the base's test bot: fourth (exporter), third (maker), second
    assert bot.say(words).intent == "handoff"

