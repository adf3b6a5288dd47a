"""The glossary's ideas a text speaks of (bot/understanding/ideas.py), and what sure offers make of them: an offer
whose first entry speaks of the member's ideas is answered; the same offer, were the entry to speak of none of them,
is left to the member's tap."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.understanding import glossary, ideas
from bot.understanding.knowledge_base import Library

SECOND = Path(__file__).parent / "data" / "second_base"


def heads(text: str) -> set[str]:
    """The ideas of `text` by their groups' first terms."""
    return {glossary.groups()[i][0] for i in ideas.of(text)}


def test_one_idea_in_either_language_and_in_other_words() -> None:
    assert ideas.of("会费") == ideas.of("membership fee") == ideas.of("annual dues") == ideas.of("會費")
    assert ideas.of("会费") != ideas.of("入会")


def test_the_longest_term_is_the_idea_read() -> None:
    """"membership fee" is one idea, not membership and a fee; the near miss's one idea more is read too."""
    assert heads("can we pay the membership fee in two instalments") == {"membership fee", "instalment", "payment"}
    assert heads("hello there") == set()


def test_the_features_count_what_the_entry_leaves_out() -> None:
    message, entry = ideas.of("can we pay the membership fee in two instalments"), ideas.of("membership fee payment")
    assert ideas.features(message, entry) == [1.0, 1 / 3, 1.0, 2.0]
    assert ideas.features(frozenset(), entry) == [0.0, 0.0, 0.0, 0.0]


def test_an_entrys_ideas_are_its_questions_and_answers_in_every_language() -> None:
    library = Library.load(SECOND, "none")
    entry = library.knowledge.faq[0]
    found = ideas.OfEntries(library.knowledge).of(entry.id)
    assert found and found >= ideas.of(entry.questions[0])
    assert ideas.OfEntries(library.knowledge).of("no-such-entry") == frozenset()


@pytest.fixture(scope="module")
def second() -> Library:
    return Library.load(SECOND, decision="thresholds")


@pytest.mark.parametrize(("question", "entry"), [
    ("出口信保有优惠吗", "export-credit-insurance"),  # (the logo's Chinese question is answered without ideas now)
    ("Can you help us find importers for our snacks in overseas markets?", "buyer-matching"),
])
def test_an_offer_whose_entry_speaks_of_the_members_ideas_is_answered(second: Library, question: str, entry: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    verdict = second.reader.read(question).faq_verdict()
    assert (verdict.band, verdict.options) == ("answer", (entry,))
    # The same evidence but the ideas: an entry that spoke of none of the member's would only be offered.
    monkeypatch.setattr(second.reader, "ideas", _Silent())
    assert second.reader.read(question).faq_verdict().band == "suggest"


class _Silent:
    def of(self, entry_id: str) -> frozenset[int]:
        return frozenset()
