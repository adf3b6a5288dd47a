"""Understanding members in their own words, through the whole bot with the real embedding model (it ships in the
package): meaning-based FAQ matching across languages, intents as data, the vector cache."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, func, select

from bot.app.cli import main
from bot.storage.models import Ticket
from bot.understanding import vectors
from bot.understanding.knowledge_base import Library
from tests.conftest import ROOT, TestBot

SECOND = ROOT / "tests" / "data" / "second_base"


@pytest.fixture(scope="module")
def second() -> Library:
    return Library.load(SECOND)


def _tickets(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Ticket)) or 0)


@pytest.mark.parametrize("ask", ["could someone from your team take this over for me",
                                 "我不想跟机器人说了，麻烦找个同事处理一下"])
def test_a_bare_request_for_a_person_read_from_meaning_costs_a_turn_not_a_ticket(bot: TestBot, db: Engine,
                                                                                 ask: str) -> None:
    """In the classifier's middle band the bot asks whether to pass it on; where it is sure, it asks what the
    question is, as for "talk to a human". Either way a bare request opens no ticket by itself."""
    said = bot.say(ask)
    assert said.intent == "handoff" and _tickets(db) == 0
    buttons = [b.payload for b in said.replies[0].buttons]
    assert buttons in (["yes", "no"], [])
    opened = bot.say("yes" if buttons else "Can my company exhibit at the Global SME Expo?")
    assert opened.result.handoff and _tickets(db) == 1


@pytest.mark.parametrize("ask", ["I want to speak to a person", "有人吗", "我想跟你们的人直接聊"])
def test_an_example_phrase_is_as_sure_as_a_command(bot: TestBot, ask: str) -> None:
    said = bot.say(ask)
    assert said.intent == "handoff" and not said.replies[0].buttons  # asks what the question is, no "are you sure"


@pytest.mark.parametrize("question", ["does your staff speak Spanish?", "你们员工有多少人",
                                      "how many people work for GASME?"])
def test_mentioning_people_is_not_asking_for_one(bot: TestBot, db: Engine, question: str) -> None:
    said = bot.say(question)
    assert said.intent != "handoff" and _tickets(db) == 0


@pytest.mark.parametrize(("text", "fragment"), [("thanks, that was very helpful", "welcome"),
                                                ("what can you do?", "I can"), ("谢谢，很有帮助", "不客气"),
                                                ("你能干嘛", "我是GASME会员助手")])
def test_small_talk_in_members_words(bot: TestBot, text: str, fragment: str) -> None:
    said = bot.say(text)
    assert said.intent == "smalltalk" and fragment in said.text


def test_a_chinese_question_finds_an_english_only_answer_with_a_note(second: Library, db: Engine) -> None:
    bot = TestBot(second, db)
    said = bot.say("怎么开发票")
    if said.answer_id is None:  # offered as a button: the member taps it
        assert "/faq invoice-receipt" in [b.payload for b in said.replies[0].buttons]
    answer = said if said.answer_id else bot.say("/faq invoice-receipt")
    assert answer.answer_id == "invoice-receipt" and answer.result.lang == "zh"
    assert answer.text.startswith("（此答案暂时只有英文版本。）")
    assert "invoice" in answer.text.lower()


def test_an_english_question_answers_from_a_chinese_staff_question(second: Library, db: Engine) -> None:
    bot = TestBot(second, db)
    said = bot.say("what's your phone number")
    assert said.answer_id == "contact-phone" or "/faq contact-phone" in [b.payload for b in said.replies[0].buttons]


@pytest.mark.parametrize(("question", "entry"), [("what year was your organisation created", "founding"),
                                                 ("我司想入会，流程是怎样的", "membership-join"),
                                                 ("你们跟联合国有关系吗", "unido-status")])
def test_members_own_words_are_answered_or_offered(bot: TestBot, question: str, entry: str) -> None:
    """Paraphrases sharing few words with the staff question: answered, or the entry offered as a button."""
    said = bot.say(question)
    assert said.answer_id == entry or f"/faq {entry}" in [b.payload for b in said.replies[0].buttons]


def test_a_question_nobody_wrote_gets_an_honest_answer(bot: TestBot) -> None:
    for question in ("What's the weather in Paris tomorrow?", "帮我写一段Python代码"):
        assert bot.say(question).answer_id is None


def test_intent_phrases_are_checked_with_file_line_and_field(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("faq.yaml", "events.yaml"):
        (tmp_path / name).write_text((ROOT / "knowledge" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "intents.yaml").write_text("handoff:\n  - talk to a human\nhandof:\n  - typo\nsmalltalk:\n"
                                           "  hello: [hi]\nregister: just one string\n", encoding="utf-8")
    assert main(["knowledge", "check", str(tmp_path)]) == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert "intents.yaml:3: handof: unknown intent" in text
    assert "intents.yaml:6: smalltalk.hello: unknown kind" in text
    assert "intents.yaml:7: register: must be a list of example phrases" in text


class CountingEmbedder:
    """A stand-in model: deterministic vectors from the text's bytes, counting the texts it was asked for."""

    name, dim = "counting", 8

    def __init__(self, version: str = "1"):
        self.version = version
        self.encoded = 0

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray[Any, np.dtype[np.float32]]:
        self.encoded += len(texts)
        rows = [np.frombuffer((t.encode() * 8)[:8].ljust(8, b"x"), dtype=np.uint8).astype(np.float32) + 1
                for t in texts]
        m = np.array(rows, dtype=np.float32).reshape(len(texts), self.dim)
        out: np.ndarray[Any, np.dtype[np.float32]] = m / np.linalg.norm(m, axis=1, keepdims=True)
        return out


def test_vectors_are_cached_on_disk_by_text_and_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GASME_CACHE_DIR", str(tmp_path))
    model = CountingEmbedder()
    first = vectors.embed_cached(model, ["When was GASME founded?", "GASME是什么时候成立的？"])
    again = vectors.embed_cached(model, ["When was GASME founded?", "GASME是什么时候成立的？"])
    assert model.encoded == 2  # the restart reads, does not embed
    assert np.array_equal(first, again)  # and reads what the first start used: the same answers after a restart
    vectors.embed_cached(model, ["When was GASME founded?", "an edited question"])
    assert model.encoded == 4  # other texts: another file
    vectors.embed_cached(CountingEmbedder(version="2"), ["When was GASME founded?", "GASME是什么时候成立的？"])
    assert len(list(tmp_path.glob("*.npy"))) == 3  # another model version: another file


def test_lexical_only_still_answers(db: Engine) -> None:
    bot = TestBot(Library.load(ROOT / "knowledge", embedder_name="none"), db)
    assert bot.say("When was GASME founded?").answer_id == "founding"
    assert bot.say("talk to a human").intent == "handoff"


@pytest.mark.parametrize(("text", "fragment"), [
    ("I don't want any more news from you", "Stop announcements"),
    ("不要再给我发通知了", "要停止接收"),
    ("把我的信息都删掉", "删除"),
    ("what do you know about me", "What we keep about you"),
])
def test_preferences_and_data_phrasings_come_from_intents_yaml(bot: TestBot, text: str, fragment: str) -> None:
    said = bot.say(text)
    assert said.intent == "preferences" and fragment in said.text, said.text
