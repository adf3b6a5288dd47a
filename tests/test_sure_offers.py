"""Sure offers (bot/understanding/sure_offers.py): an offer whose first entry is almost surely right is answered;
one of an entry that hands the member to staff opens a ticket; shipped weights that do not fit are refused by name."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from bot.understanding import sure_offers
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot

SECOND = Path(__file__).parent / "data" / "second_base"


@pytest.fixture(scope="module")
def second() -> Library:
    return Library.load(SECOND, decision="thresholds")


# ("非会员可以买市场报告吗" and "会员徽章在哪下载" had been two: since each entry's question is also embedded glossed
# (gloss.py), the thresholds answer the first themselves and the model is no longer sure of the second's offer.)
@pytest.mark.parametrize(("question", "entry"), [("can we put your logo on our website", "logo-use")])
def test_an_offer_whose_first_entry_is_surely_right_is_answered(second: Library, question: str, entry: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    verdict = second.reader.read(question).faq_verdict()
    assert (verdict.band, verdict.options) == ("answer", (entry,))
    monkeypatch.setattr(second.reader, "sure", None)  # the thresholds alone only offered it
    plain = second.reader.read(question).faq_verdict()
    assert plain.band == "suggest" and plain.options[0] == entry


def test_a_sure_offer_of_a_hand_off_entry_opens_a_ticket_with_the_members_words(bot: TestBot) -> None:
    """An entry that hands the member to staff, answered from a sure offer, opens a ticket as its answer always
    does: staff read the member's own question."""
    words = "我是一家财经媒体的记者，想采访联盟负责人，应该找谁"
    said = bot.say(words)
    assert said.answer_id == "media" and said.result.handoff
    tickets = bot.engine.staff.listing()
    assert len(tickets) == 1 and tickets[0]["question"] == unicodedata.normalize("NFKC", words)


def test_the_shipped_weights_fit_this_code() -> None:
    model = sure_offers.load()
    assert 0.5 <= model.answer_at < 1.0
    raw = json.loads(sure_offers.DATA.read_text(encoding="utf-8"))
    assert raw["features"] == list(sure_offers.FEATURES)


@pytest.mark.parametrize("change", [{"features": ["lexical"]}, {"weights": [0.0]}, {"answer_at": 0.0},
                                    {"scale": None}])
def test_a_broken_weights_file_is_refused_by_name(tmp_path: Path, change: dict[str, object]) -> None:
    raw = json.loads(sure_offers.DATA.read_text(encoding="utf-8"))
    raw.update(change)
    path = tmp_path / "offers.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ValueError, match=r"offers\.json: not a usable model of sure offers"):
        sure_offers.load(path)


@pytest.mark.parametrize("words", ["麻烦让会员部的同事联系我一下，续费账单的金额好像不对。",
                                   "发票上公司名称写错了，能不能让财务的同事联系我一下"])
def test_a_sure_offer_is_not_answered_over_a_request_for_a_person(second: Library, words: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A request with a topic attached stays an offer, so the person classifier may ask whether to pass it on (an
    answer keeps it out): the renewal entry, the receipt entry are not what the member asked for."""
    reading = second.reader.read(words)
    verdict = reading.faq_verdict()
    assert verdict.band == "suggest"
    intent = reading.intent()
    assert intent is not None and intent.name == "handoff"
    monkeypatch.setattr(sure_offers, "_asks_person", lambda reading: False)  # the offer alone was sure
    assert second.reader.read(words).faq_verdict().band == "answer"
