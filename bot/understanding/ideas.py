"""The ideas of the bundled glossary (glossary.yaml) that a text speaks of, in either language.

A near miss names an entry's subject and asks one thing more that the entry never speaks of: "can we pay the
membership fee in two instalments", "会员门户有手机App吗". A member's paraphrase of the entry speaks of what the entry
speaks of, in other words: "do you take alipay for the annual dues" against an answer that lists Alipay under the
membership fee. Read word by word the two look alike (both have words the entry lacks); read as the glossary's ideas,
where "dues", "membership fee" and "会费" are one idea, the paraphrase's ideas are the entry's and the near miss's are
not. Sure offers (sure_offers.py) weigh this among their evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bot.understanding import gloss, glossary, text
from bot.understanding.knowledge_model import Knowledge


@dataclass(frozen=True)
class _Terms:
    english: dict[str, int]  # a term's words, one space apart -> its idea (the group's number)
    chinese: dict[str, int]
    longest: int  # characters in the longest Chinese term


@cache
def _terms() -> _Terms:
    english: dict[str, int] = {}
    chinese: dict[str, int] = {}
    for number, group in enumerate(glossary.groups()):
        for term in group:
            norm = text.normalize(term)
            if text.has_cjk(norm):
                chinese.setdefault(norm.replace(" ", ""), number)
            elif key := gloss.term_key(norm):
                english.setdefault(key, number)
    return _Terms(english, chinese, max(map(len, chinese), default=0))


def of(message: str) -> frozenset[int]:
    """The ideas `message` speaks of: its terms, the longest first where two overlap ("membership fee", not
    "membership" and "fee")."""
    terms = _terms()
    found = gloss.spans(text.normalize(message), terms.english, terms.chinese, terms.longest)
    return frozenset(idea for _, _, idea in gloss.longest_first(found))


class OfEntries:
    """The ideas each FAQ entry speaks of (its questions and answers, every language), worked out once per entry."""

    def __init__(self, knowledge: Knowledge):
        self.knowledge = knowledge
        self._found: dict[str, frozenset[int]] = {}

    def of(self, entry_id: str) -> frozenset[int]:
        found = self._found.get(entry_id)
        if found is None:
            entry = self.knowledge.faq_by_id(entry_id)
            found = _joined((*entry.questions, *entry.answer.all())) if entry else frozenset()
            self._found[entry_id] = found
        return found


def _joined(texts: Iterable[str]) -> frozenset[int]:
    return frozenset().union(*(of(t) for t in texts))


def features(message: frozenset[int], entry: frozenset[int]) -> list[float]:
    """How far an entry speaks of a message's ideas: the number it leaves out, their share, whether any is left
    out, and the number it shares (see IDEA_FEATURES in sure_offers.py)."""
    left_out = message - entry
    return [float(len(left_out)), len(left_out) / max(1, len(message)), float(bool(left_out)),
            float(len(message & entry))]
