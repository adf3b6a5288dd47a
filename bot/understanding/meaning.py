"""What a member's message means: an FAQ entry (answer, suggest, or none) and an intent, read once per turn.

Two readers work together:
- the lexical index (bot/understanding/faq_index.py): words, stems, synonyms, typos. Fast, and precise when the
  member uses the knowledge's own words;
- sentence embeddings (bot/understanding/embedding.py): meaning across wordings and across languages.

A message is embedded at most once per turn, for the FAQ and the intents together, and not at all when the
lexical reading is sure. Where the bands lie: thresholds.py, sure_offers.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from bot.understanding import adapter, calibrated, fragments, ideas, intent_model, siblings, sure_offers
from bot.understanding import text as textmod
from bot.understanding.batcher import encoder_for
from bot.understanding.embedding import Embedder
from bot.understanding.faq_index import FaqIndex, Match
from bot.understanding.intent_model import NONE, PERSON_INTENTS, IntentModel
from bot.understanding.knowledge_files import Knowledge
from bot.understanding.thresholds import DEFAULT, Thresholds
from bot.understanding.vectors import F32, VectorIndex

Band = Literal["answer", "suggest", "none"]


@dataclass(frozen=True)
class FaqVerdict:
    band: Band
    options: tuple[str, ...]  # entry ids, best first: the answer, or the suggestions
    strength: float  # how strongly the FAQ claims the message, comparable with the router's tiers
    semantic: float = 0.0  # best embedding cosine (0 without embeddings)


@dataclass(frozen=True)
class IntentVerdict:
    name: str  # "handoff", "smalltalk.thanks", "language.zh", ...
    score: float
    exact: bool  # the message is one of the example phrases (after normalisation)


_NONE = FaqVerdict("none", (), 0.0)
COUNTER_EXAMPLES = frozenset({"mentions_staff", "other_questions"})
# Intents recognised by their example phrases only, never by meaning (on the development sets, "stop the newsletter"
# or "take my name off the list" read by meaning took FAQ answers and cancellations): left out of the vectors, so
# they cannot shadow the intent nearest to a message, and the classifier learns their phrases as "none".
EXACT_ONLY = frozenset({"unsubscribe", "subscribe", "my_data", "delete_my_data"})


class Reader:
    """Reads messages against one knowledge base; shared by every turn of a process."""

    def __init__(self, knowledge: Knowledge, faq: FaqIndex, embedder: Embedder | None,
                 faq_vectors: VectorIndex | None, intent_vectors: VectorIndex | None,
                 thresholds: Thresholds | None = None, intent_model: IntentModel | None = None,
                 decision: str | None = None, faq_offsets: dict[str, F32] | None = None,
                 person_model: IntentModel | None = None):
        """`faq_offsets`: per language, what each row's cosine loses for sitting near every message (hubness.py)."""
        self.knowledge = knowledge
        self.faq = faq
        self.embedder = embedder
        self.faq_vectors = faq_vectors
        self.intent_vectors = intent_vectors
        self.faq_offsets = faq_offsets or {}
        self.intent_model = intent_model  # None without embeddings (or in old callers): nearest examples instead
        self.person_model = person_model  # learnt from members' words too (intent_model.person_examples)
        self.thresholds = thresholds or DEFAULT
        # GASME_DECISION: the calibrated model needs the embedding; else the thresholds decide, with sure_offers.py.
        self.model: calibrated.Model | None = None
        self.sure: sure_offers.Model | None = None
        self.neighbour = 0.0
        self.adapter: F32 | None = None  # the members' adapter (adapter.py), for the model it was fitted on
        if faq_vectors is not None and embedder is not None:
            self.adapter = adapter.load(embedder.name)
            self.neighbour = calibrated.typical_neighbour(faq_vectors)
            if (decision or calibrated.configured()) == "calibrated":
                self.model = calibrated.load()
            else:
                self.sure = sure_offers.load()
        self._exact_intents = {_key(p): name for name, phrases in knowledge.intents for p in phrases}
        self.asked = siblings.Asked(knowledge)  # what each entry's questions ask about (siblings.py)
        self.kin = siblings.Kin(knowledge)  # which entries share a topic (siblings.py)
        self.ideas = ideas.OfEntries(knowledge)  # what each entry speaks of (ideas.py)

    def read(self, text: str) -> Reading:
        return Reading(self, text)


def _key(s: str) -> str:
    return re.sub(r"[\W_]+", " ", textmod.normalize(s)).strip()


class Reading:
    """One message, read lazily: each part is worked out when first asked for, then kept for the turn."""

    def __init__(self, reader: Reader, text: str):
        self.reader = reader
        self.text = text
        self._lexical: list[Match] | None = None
        self._vector: np.ndarray[Any, np.dtype[np.float32]] | None = None
        self._embedded = False
        self._exact: str | None = None
        self._faq: FaqVerdict | None = None
        # (k searched, best entries by the hub-corrected cosine, by the model's own)
        self._semantic: tuple[int, list[tuple[str, float]], list[tuple[str, float]]] | None = None
        self._intent: IntentVerdict | Literal[False] | None = None
        self._chances: dict[str, float] | None = None
        self._person: float | None = None

    @property
    def lang(self) -> str:
        return "zh" if textmod.has_cjk(self.text) else "en"

    def lexical(self) -> list[Match]:
        if self._lexical is None:
            self._lexical = self.reader.faq.search(self.text, limit=3)
        return self._lexical

    def word_for_word(self) -> bool:
        """Whether the message is an FAQ question as staff wrote it, or as members taught it by their choices, but
        for case, spaces and punctuation: the FAQ's before anything else reads it (never embedded for this)."""
        lexical = self.lexical()
        return bool(lexical) and lexical[0].score >= self.reader.thresholds.lexical_exact \
            and _key(lexical[0].question) == _key(self.text)

    def vector(self) -> np.ndarray[Any, np.dtype[np.float32]] | None:
        if not self._embedded:
            self._embedded = True
            if self.reader.embedder is not None and not textmod.too_thin(self.text):
                # Through the process's batching encoder: shared with concurrent turns, remembered when repeated.
                self._vector = encoder_for(self.reader.embedder).vector(self.text[:1000])
        return self._vector

    def known_vector(self) -> np.ndarray[Any, np.dtype[np.float32]] | None:
        """The message's vector if this turn has already embedded it; never embeds (a record is not worth one)."""
        return self._vector if self._embedded else None

    def semantic_faq(self, k: int = 3) -> list[tuple[str, float]]:
        """The embedding's best `k` entries, searched once per turn for the largest `k` asked, ranked by the
        cosine less each row's hub offset for the message's language (hubness.py)."""
        return self._ranked(k)[0]

    def model_faq(self, k: int = 3) -> list[tuple[str, float]]:
        """The best `k` entries by the model's own cosines, without the hub correction (the same as
        semantic_faq where there is none)."""
        return self._ranked(k)[1]

    def _corrected(self) -> bool:
        """Whether semantic_faq's ranking carries the hub correction (hubness.py) for this message. The
        calibrated model was fitted on the model's own cosines: it gets them."""
        return self.reader.model is None and self.reader.faq_offsets.get(self.lang) is not None

    def _ranked(self, k: int) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """(corrected, the model's own) best `k` entries, from one search."""
        vec = self.vector()
        if vec is None or self.reader.faq_vectors is None:
            return [], []
        if self._semantic is None or self._semantic[0] < k:
            if self._corrected():
                corrected, own = self.reader.faq_vectors.rankings(vec, k, self.reader.faq_offsets[self.lang], None)
            else:
                corrected = own = self.reader.faq_vectors.best_by_owner(vec, k)
            self._semantic = (k, corrected, own)
        return self._semantic[1][:k], self._semantic[2][:k]

    def semantic_intents(self, k: int = 3) -> list[tuple[str, float]]:
        vec = self.vector()
        if vec is None or self.reader.intent_vectors is None:
            return []
        return self.reader.intent_vectors.best_by_owner(vec, k)

    def exact_intent(self) -> str | None:
        """The intent whose example phrases include this message (after normalisation), worked out once."""
        if self._exact is None:
            self._exact = self.reader._exact_intents.get(_key(self.text), "")
        return self._exact or None

    def faq_verdict(self) -> FaqVerdict:
        if self._faq is None:
            verdict = self._decide_faq(self.reader.thresholds)
            if verdict.band == "answer" and fragments.leaves_subject(self.text, self.lexical(), verdict.options[0]):
                verdict = FaqVerdict("suggest", verdict.options, self.reader.thresholds.suggest_strength)  # offered
            self._faq = self._between_siblings(self._aspect_told(self._asked_alone(verdict)))
        return self._faq

    def _aspect_told(self, verdict: FaqVerdict) -> FaqVerdict:
        """An offer among which one entry alone asks what the message asks ("how much is membership" beside
        leaving and renewing): answered with it, where it holds nearly all of the message's words (siblings.py)."""
        asked = siblings.aspects(textmod.normalize(self.text)) if verdict.band == "suggest" else frozenset()
        one = siblings.the_one_asking(asked, [self.reader.asked.of(o) for o in verdict.options[:3]])
        entry = self.reader.knowledge.faq_by_id(verdict.options[one]) if one is not None else None
        if entry is None or entry.handoff or siblings.left_out(self.reader.faq, self.text, entry.id) > \
                self.reader.thresholds.aspect_uncovered:
            return verdict
        return FaqVerdict("answer", (entry.id,), verdict.strength, verdict.semantic)

    def plain_verdict(self) -> FaqVerdict:
        """The FAQ decision before the rules that refine it (bench/fit_offers.py unsets `sure` to fit on it)."""
        return self._decide_faq(self.reader.thresholds)

    def _asked_alone(self, verdict: FaqVerdict) -> FaqVerdict:
        """An offer for a message that tells about the member before it asks ("hi we're a small sauce maker, about
        30 staff, how much is membership a year"): its asking clause read alone, answered when that names the
        entry the whole message offers first (fragments.py)."""
        clause = fragments.asking_clause(self.text) if verdict.band == "suggest" else None
        entry = self.reader.knowledge.faq_by_id(verdict.options[0]) if clause else None
        if clause is None or entry is None or entry.handoff:  # a part's reading never opens a ticket
            return verdict
        alone = self.reader.read(clause).faq_verdict()
        return alone if alone.band == "answer" and alone.options[0] == verdict.options[0] else verdict

    def _between_siblings(self, verdict: FaqVerdict) -> FaqVerdict:
        """An answer whose entry asks about none of the message's aspects, beside a close runner-up that does, is
        offered with that runner-up first (siblings.py); where the lexical reader is sure of the top entry, answered
        with the runner-up where it scores as high ("how much is the membership fee" beside how to pay it) or alone
        asks what the message does ("how do i get a certificate of origin?": how to apply, asked in Chinese only,
        not how long it takes). The staff question typed word for word is left alone."""
        th = self.reader.thresholds
        asked = siblings.aspects(textmod.normalize(self.text)) if verdict.band == "answer" else frozenset()
        if not asked or self.word_for_word():
            return verdict
        top, sure = verdict.options[0], verdict.strength >= th.lexical_exact
        kin = self.reader.kin.of(top)
        # Lexically sure, the message is not embedded for this: the runner-ups are the lexical reader's.
        near = [*([] if sure else (i for i, _ in self.semantic_faq(3))), *(m.id for m in self.lexical())]
        others = [i for i in dict.fromkeys(near) if i != top and i in kin][:2]
        at = siblings.runner_up_asked(asked, self.reader.asked.of(top), [self.reader.asked.of(i) for i in others])
        if at is None:
            return verdict
        offer = FaqVerdict("suggest", (others[at], top), th.suggest_strength, verdict.semantic)
        if not sure:
            return offer
        if any(m.id == others[at] and m.score >= verdict.strength - th.sibling_tie for m in self.lexical()):
            return FaqVerdict("answer", (others[at],), verdict.strength, verdict.semantic)  # scored as high
        return self._aspect_told(offer)

    def intent(self, by_meaning: bool = True) -> IntentVerdict | None:
        """The intent the message expresses, if it is one of the example phrases, or (`by_meaning`) clearly closer
        to an intent's examples than to any FAQ entry."""
        exact = self.exact_intent()
        if exact is not None:
            return None if exact in COUNTER_EXAMPLES else IntentVerdict(exact, 1.0, True)
        if not by_meaning:
            return None
        if self._intent is None:
            self._intent = self._by_model() if self.reader.intent_model is not None else self._by_nearest()
        return self._intent or None

    def intent_chances(self) -> dict[str, float]:
        """The classifier's probability of each intent (and of "none"); empty without a vector or a model, or for
        an FAQ question asked in the staff's own words (it expresses no intent: no need to embed it)."""
        if self._chances is None:
            self._chances = {}
            model = self.reader.intent_model
            faq = self.faq_verdict()
            own_words = faq.band == "answer" and faq.strength >= self.reader.thresholds.lexical_exact
            if model is not None and not own_words:
                vec = self.vector()
                if vec is not None:
                    self._chances = model.chances(vec)
        return self._chances

    def intent_chance(self, name: str) -> float:
        """The probability of `name` ("smalltalk.thanks"; "person": intent_model.person_chance); 1.0 if exact."""
        exact = self.exact_intent()
        if exact is not None:
            return 1.0 if exact == name or (name == "person" and exact in PERSON_INTENTS) else 0.0
        chances = self.intent_chances()
        if name != "person":
            return chances.get(name, 0.0)
        return intent_model.person_chance(chances, self.request_chance() if self.reader.person_model else None)

    def request_chance(self) -> float:
        """The person classifier's chance that the message asks for a person (0.0 without one or a vector)."""
        if self._person is None:
            model, vec = self.reader.person_model, self.vector() if self.intent_chances() else None
            self._person = model.chances(vec)[intent_model.PERSON] if model is not None and vec is not None else 0.0
        return self._person

    def _by_model(self) -> IntentVerdict | Literal[False]:
        chances = self.intent_chances()
        if not chances:
            return False
        best = max(chances, key=lambda n: chances[n])
        answers = self.faq_verdict().band == "answer"
        bar = intent_model.INTENT_OVER_ANSWER if answers else intent_model.INTENT_CHANCE
        if best != NONE and chances[best] >= bar:
            return IntentVerdict(best, chances[best], False)
        # A likely request for a person is not left to "did you mean": the handoff handler asks whether to pass it on.
        person = intent_model.person_verdict(chances, self.request_chance() if self.reader.person_model else None,
                                             answers)
        return False if person is None else IntentVerdict(*person, False)

    def _by_nearest(self) -> IntentVerdict | Literal[False]:
        """Without a classifier: the nearest example, clearly closer than any FAQ entry."""
        th = self.reader.thresholds
        faq = self.faq_verdict()
        best = [] if faq.band == "answer" and faq.strength >= th.lexical_exact else self.semantic_intents(1)
        margin = th.intent_margin_over_answer if faq.band == "answer" else th.intent_margin[self.lang == "zh"]
        if best and best[0][0] not in COUNTER_EXAMPLES and best[0][1] >= th.intent[self.lang == "zh"] \
                and best[0][1] - faq.semantic >= margin:
            return IntentVerdict(best[0][0], best[0][1], False)
        return False  # no intent, or nearest to the phrases that only mention staff

    def _decide_faq(self, th: Thresholds) -> FaqVerdict:
        lexical = self.lexical()
        l_id, l_score = (lexical[0].id, lexical[0].score) if lexical else (None, 0.0)
        if l_score >= th.lexical_exact:
            # An exact or near-exact question: nothing to gain from embedding it.
            return FaqVerdict("answer", (l_id,), min(l_score, 0.99)) if l_id else _NONE
        if self.reader.model is not None:
            return self._calibrated(self.reader.model, th)
        semantic = self.semantic_faq(calibrated.SEMANTIC_K)[:3]  # searched once for sure offers' evidence too
        if not semantic:  # no embeddings: the lexical bands alone
            if l_id and l_score >= th.lexical_answer:
                return FaqVerdict("answer", (l_id,), l_score)
            close = tuple(m.id for m in lexical if m.score >= th.lexical_suggest)
            return FaqVerdict("suggest", close, th.suggest_strength) if close else _NONE
        zh = self.lang == "zh"
        # Answers come first from the model's own cosines, as the thresholds were tuned; then from the
        # hub-corrected ranking (hubness.py), a little higher up: it finds the entry asked about more often, but
        # it compresses the gaps between entries and lifts entries little else comes near. What is offered when
        # nothing is answered comes from the corrected ranking.
        cosines = self.model_faq(3)
        by_id = dict(cosines)
        s_id, s1 = cosines[0]
        s2 = cosines[1][1] if len(cosines) > 1 else 0.0
        agree = l_id == s_id
        if l_id and l_score >= th.lexical_sure and (agree or by_id.get(l_id, 0.0) >= s1 - th.agree_slack):
            return FaqVerdict("answer", (l_id,), min(l_score, 0.99), s1)
        answer_at = th.semantic_answer[zh]
        if agree and l_score >= th.lexical_answer and s1 >= answer_at:
            return FaqVerdict("answer", (s_id,), max(l_score, th.answer_strength), s1)
        if s1 >= answer_at + th.semantic_alone and s1 - s2 >= th.semantic_margin:
            return FaqVerdict("answer", (s_id,), th.answer_strength, s1)
        # The corrected ranking answers too, a little higher up: where the lexical reader agrees with it, or where
        # it leads as the model's own cosines must.
        corrected = self._corrected()
        c_id, c1 = semantic[0]
        c2 = semantic[1][1] if len(semantic) > 1 else 0.0
        if corrected and c1 >= answer_at + th.corrected_extra and (
                (l_id == c_id and l_score >= th.lexical_answer) or c1 - c2 >= th.semantic_margin):
            return FaqVerdict("answer", (c_id,), max(l_score, th.answer_strength) if l_id == c_id
                              else th.answer_strength, s1)
        if corrected and l_id == c_id and c1 >= th.corrected_agree[zh]:
            return FaqVerdict("answer", (c_id,), max(l_score, th.answer_strength), s1)
        floor = max(th.suggest[zh] + (th.corrected_extra if corrected else 0.0), c1 - th.suggest_gap)
        options = [i for i, score in semantic if score >= floor]
        if l_id and l_score >= th.lexical_suggest:
            options.insert(0, l_id)
        close = tuple(dict.fromkeys(options))[:3]
        if not close:
            return FaqVerdict("none", (), 0.0, s1)
        verdict = self._sure_offer(FaqVerdict("suggest", close, th.suggest_strength, s1), th)
        lead = l_score - (lexical[1].score if len(lexical) > 1 else 0.0)
        if verdict.band == "suggest" and l_id is not None and l_id not in verdict.options \
                and l_score >= th.lexical_lead_floor and lead >= th.lexical_lead:  # the words' clear first, last
            return FaqVerdict("suggest", (*verdict.options[:2], l_id), th.suggest_strength, s1)
        return verdict

    def _sure_offer(self, offer: FaqVerdict, th: Thresholds) -> FaqVerdict:
        """The offer, led by the adapted ranking's first entry (adapter.py); answered where that is surely right
        (sure_offers.py). An entry handing the member to staff opens a ticket, with the member's own words."""
        adapted = adapter.ranking(self)
        offer = FaqVerdict("suggest", adapter.led(adapted, offer.options), offer.strength, offer.semantic)
        if not sure_offers.answers(self, offer.options, adapted):
            return offer
        return FaqVerdict("answer", offer.options[:1], th.answer_strength, offer.semantic)

    def _calibrated(self, model: calibrated.Model, th: Thresholds) -> FaqVerdict:
        """The calibrated model's decision (bot/understanding/calibrated.py); the strengths the router reads are
        those of the thresholds' design: a lexical score where the lexical index names the answer, else below
        every calendar tier."""
        vec, vectors = self.vector(), self.reader.faq_vectors
        semantic = self.semantic_faq(calibrated.SEMANTIC_K)
        if vec is None or vectors is None or not semantic:  # nothing to embed ("ok?", a link): no FAQ claim
            return _NONE
        lexical = self.lexical()
        found = calibrated.candidates(self.text, lexical, semantic, self.reader.faq, vectors, vec,
                                      self.reader.neighbour)
        band, ids, _ = calibrated.decide(model, found)
        s1 = semantic[0][1]
        if band != "answer" and lexical and lexical[0].score >= th.lexical_suggest and lexical[0].id not in ids:
            # The lexical index's first entry stays among the buttons, as the thresholds offer it: the member's own
            # words in an entry are worth a button even where the model doubts ("怎么开发票" beside an entry whose
            # answer is in English only).
            ids, band = (*ids[:2], lexical[0].id), "suggest"
        if band == "answer":
            lex = {m.id: m.score for m in lexical}
            return FaqVerdict("answer", ids, min(max(lex.get(ids[0], 0.0), th.answer_strength), 0.99), s1)
        if band == "suggest":
            return FaqVerdict("suggest", ids, th.suggest_strength, s1)
        return FaqVerdict("none", (), 0.0, s1)
