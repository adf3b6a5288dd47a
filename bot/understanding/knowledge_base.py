"""The loaded knowledge together with the indexes built from it, shared by all turns of a process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.understanding import calibrated, embedding, gloss, glossary, hubness, intent_model, members_words
from bot.understanding.embedding import Embedder
from bot.understanding.event_query import EventMatcher
from bot.understanding.faq_index import Doc, FaqIndex
from bot.understanding.knowledge_files import FaqEntry, Knowledge, load
from bot.understanding.meaning import COUNTER_EXAMPLES, EXACT_ONLY, Reader
from bot.understanding.vectors import F32, VectorIndex, embed_cached


@dataclass(frozen=True)
class Library:
    knowledge: Knowledge
    faq: FaqIndex
    events: EventMatcher
    reader: Reader

    @classmethod
    def build(cls, knowledge: Knowledge, embedder_name: str | None = None,
              taught: Sequence[tuple[str, str]] = (), decision: str | None = None) -> Library:
        """Indexes of `knowledge`, with `taught` (entry id, phrasing) pairs from staff added to their entries'
        questions (lexical and embedding); phrasings of entries no longer in the files are left out."""
        extra: dict[str, list[str]] = {}
        for entry_id, phrasing in taught:
            entry = knowledge.faq_by_id(entry_id)
            if entry is not None and phrasing not in entry.questions:
                extra.setdefault(entry_id, []).append(phrasing)
        docs = [Doc(e.id, (*e.questions, *dict.fromkeys(extra.get(e.id, ()))), e.answer.all(),
                    (*e.tags, e.id.replace("-", " "))) for e in knowledge.faq]
        faq = FaqIndex(docs, knowledge.synonyms, glossary.groups())
        embedder = embedding.load(embedder_name or embedding.configured())
        faq_vectors = intent_vectors = model = person = None
        offsets: dict[str, F32] = {}
        if embedder is not None:
            terms = gloss.table((*knowledge.synonyms, *glossary.groups()))  # staff's own grouping first
            faq_vectors = _faq_vectors(embedder, knowledge.faq, extra, terms)
            owners, texts = intent_rows(knowledge)
            intent_matrix = embed_cached(embedder, texts)
            intent_vectors = VectorIndex(intent_matrix, owners)
            if (decision or calibrated.configured()) != "calibrated":  # fitted on the model's own cosines
                offsets = hubness.by_language(faq_vectors, texts, intent_matrix)
            questions = [q for e in knowledge.faq for q in (*e.questions, *extra.get(e.id, ()))]
            model = intent_model.trained(embedder, intent_model.examples(knowledge.intents, questions,
                                                                         COUNTER_EXAMPLES, EXACT_ONLY))
            words = members_words.load()
            person = intent_model.trained(embedder, intent_model.person_examples(knowledge.intents, questions, words),
                                          shipped=len(words), l2=intent_model.PERSON_L2)
        reader = Reader(knowledge, faq, embedder, faq_vectors, intent_vectors, intent_model=model, person_model=person,
                        decision=decision, faq_offsets=offsets)
        faq_texts = [(*e.questions, *e.answer.all()) for e in knowledge.faq]
        return cls(knowledge, faq, EventMatcher(knowledge.events, knowledge.synonyms, faq_texts), reader)

    @classmethod
    def load(cls, directory: Path | str | None = None, embedder_name: str | None = None,
             decision: str | None = None) -> Library:
        """`decision`: "calibrated" or "thresholds" (the FAQ decision; GASME_DECISION by default)."""
        return cls.build(load(directory), embedder_name, decision=decision)


def intent_rows(knowledge: Knowledge) -> tuple[list[str], list[str]]:
    """The intents' example phrases read by meaning (not the EXACT_ONLY ones), and whose each is."""
    by_meaning = [(name, phrases) for name, phrases in knowledge.intents if name not in EXACT_ONLY]
    return [name for name, phrases in by_meaning for _ in phrases], [p for _, phrases in by_meaning for p in phrases]


def _faq_vectors(embedder: Embedder, entries: tuple[FaqEntry, ...], extra: dict[str, list[str]],
                 terms: gloss.Table | None = None) -> VectorIndex:
    """One row per staff question, and one per language of question(s) plus answer: a member's words often
    match the answer's wording rather than the question's (measured on the development paraphrases). An entry
    whose questions are in one language only has their glosses too (`terms`: gloss.py)."""
    owners: list[str] = []
    texts: list[str] = []
    questions: list[bool] = []  # the row's kind: a question, or question(s) with an answer
    for e in entries:
        for q in e.questions:
            owners.append(e.id)
            texts.append(q)
            questions.append(True)
        for g in gloss.rows(e.questions, terms) if terms else ():
            owners.append(e.id)
            texts.append(g)
            questions.append(True)
        for answer in dict.fromkeys(e.answer.all()):
            owners.append(e.id)
            texts.append(" ".join(e.questions) + " " + answer)
            questions.append(False)
    base = embed_cached(embedder, texts)
    # Taught phrasings are embedded (and cached) apart from the files' texts: teaching one more phrasing costs one
    # embedding, not the whole knowledge base again.
    taught_owners = [entry_id for entry_id, phrasings in extra.items() for _ in dict.fromkeys(phrasings)]
    taught_texts = [p for phrasings in extra.values() for p in dict.fromkeys(phrasings)]
    if not taught_texts:
        return VectorIndex(base, owners, questions)
    return VectorIndex(np.concatenate([base, embed_cached(embedder, taught_texts)]), owners + taught_owners,
                       questions + [True] * len(taught_texts))
