"""FAQ matching: an inverted index narrows the entries, rapidfuzz scores the few that remain.

Score of an entry for a query, in [0, 1]:
- coverage: the share of the query's content words (weighted by rarity, IDF) that the entry contains, a word
  found in a staff-written question counting fully, in the tags a little less and in the answer text less again.
  Words the knowledge base has never seen count as rare: "When was Apple founded?" has "apple" uncovered, so it
  scores low against the founding entry instead of being answered with GASME's founding date.
- closeness: rapidfuzz's similarity between the query's words and the entry's closest question, which rewards a
  question asked almost as staff wrote it, typos included.
The coverage part is computed for every entry at once from the postings (numpy), so the cost of a query grows
with the number of entries that share its words, not with the size of the FAQ; only the best few candidates are
then scored with rapidfuzz.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from bot.understanding import text
from bot.understanding.synonyms import PhraseTable

# How much a word counts by where the entry has it. Questions are what staff expect members to ask.
W_QUESTION = 1.0
W_TAG = 0.8
W_ANSWER = 0.55
# Share of the final score that comes from rapidfuzz closeness to the nearest question.
CLOSENESS_WEIGHT = 0.35
# Within closeness, the share that is rapidfuzz's character similarity (the rest is word overlap).
FUZZ_SHARE = 0.2
# How many top candidates by coverage get the (costlier) rapidfuzz scoring.
CANDIDATES = 24
# Weight of a word the knowledge base has never seen, relative to the rarest known word.
UNKNOWN_FACTOR = 0.6
# ... and of an unseen Capitalised word inside an English sentence: most likely a name ("When was Apple
# founded?"), and a question about another organisation must not be answered with GASME's facts.
NAME_FACTOR = 3.0


@dataclass(frozen=True)
class Doc:
    """What the index knows of one FAQ entry: its id and its text by field."""

    id: str
    questions: Sequence[str]
    answer: Sequence[str] = ()
    tags: Sequence[str] = ()


@dataclass(frozen=True)
class Match:
    id: str
    score: float
    coverage: float
    closeness: float
    question: str  # the entry's question closest to the query


@dataclass(frozen=True)
class _Question:
    text: str
    tokens: frozenset[str]
    idf: float  # summed IDF of its tokens
    sorted_tokens: str


class FaqIndex:
    def __init__(self, docs: Iterable[Doc], synonyms: Iterable[Sequence[str]] = ()):
        self.docs = list(docs)
        self._position = {d.id: i for i, d in enumerate(self.docs)}
        self._post_sets: dict[str, frozenset[int]] = {}  # a word's entries as a set, made when first asked for
        groups = [list(g) for g in synonyms]
        text.add_words(w for g in groups for w in g)
        self._phrases = PhraseTable(groups)
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._questions: list[list[tuple[str, frozenset[str]]]] = []  # per doc: (question, its tokens)
        raw_vocab: set[str] = {tok for g in groups for term in g for tok in text.content_tokens(term)}
        for i, doc in enumerate(self.docs):
            qs: list[tuple[str, frozenset[str]]] = []
            for field_texts, weight in ((doc.answer, W_ANSWER), (doc.tags, W_TAG), (doc.questions, W_QUESTION)):
                for t in field_texts:
                    raw = _with_subwords(text.content_tokens(t))
                    raw_vocab.update(raw)
                    toks = self._phrases.fold(raw)
                    for tok in toks:
                        if postings[tok].get(i, 0.0) < weight:
                            postings[tok][i] = weight
                    if weight == W_QUESTION:
                        qs.append((t, frozenset(toks)))
            self._questions.append(qs)
        n = max(len(self.docs), 1)
        self._idf: dict[str, float] = {}
        self._post_ids: dict[str, np.ndarray] = {}
        self._post_w: dict[str, np.ndarray] = {}
        for tok, docs_w in postings.items():
            self._idf[tok] = math.log(1 + n / len(docs_w))
            self._post_ids[tok] = np.fromiter(docs_w.keys(), dtype=np.int32, count=len(docs_w))
            self._post_w[tok] = np.fromiter(docs_w.values(), dtype=np.float32, count=len(docs_w))
        # Per staff question, what scoring needs of it, worked out once: its tokens, their summed IDF, and the
        # sorted token string that rapidfuzz compares.
        self._scored_questions = [[_Question(q, toks, sum(self._idf[t] for t in toks) or 1.0, " ".join(sorted(toks)))
                                   for q, toks in qs] for qs in self._questions]
        # An unseen word weighs like the rarest word the index has.
        self._unknown_idf = UNKNOWN_FACTOR * math.log(1 + n)
        # Typo correction (before synonyms are folded): every known English word is filed under itself and each
        # of its one-letter deletions, so a word one edit or one swap away shares a key with it (symmetric delete).
        self._vocab = raw_vocab
        self._deletes: dict[str, list[str]] = defaultdict(list)
        for tok in raw_vocab:
            if tok.isascii() and len(tok) >= 4:
                for key in _deletions(tok):
                    self._deletes[key].append(tok)

    def tokens(self, s: str) -> list[str]:
        """Content tokens of `s`, with synonym phrases folded to one shared token."""
        return self._phrases.fold(text.content_tokens(s))

    def _correct(self, tok: str) -> str:
        """A typo'd English word mapped to the known word one edit away (the most frequent if several)."""
        # Short words are left alone: "dress" is not a typo for "press".
        if tok in self._vocab or not tok.isascii() or len(tok) < 6:
            return tok
        found = {w for key in _deletions(tok) for w in self._deletes.get(key, ())}
        near = [w for w in found if Levenshtein.distance(tok, w) <= 1 or _is_swap(tok, w)]
        if not near:
            return tok
        return min(near, key=lambda w: (self._idf.get(w, 0.0), w))

    def _weighted(self, query: str) -> tuple[list[str], list[float]]:
        """The query's tokens (typos corrected, synonyms folded) and their weights (IDF; unseen words as rare)."""
        corrected: list[str] = []
        for tok in text.content_tokens(query):
            parts = text.subwords(tok)
            if tok in self._vocab or not parts:
                corrected.append(self._correct(tok))
            corrected.extend(parts)  # an unknown compound counts by its known parts only
        qtoks = list(dict.fromkeys(self._phrases.fold(corrected)))
        names = _capitalised(query)
        return qtoks, [self._idf.get(t, self._unknown_idf * (NAME_FACTOR if t in names else 1.0)) for t in qtoks]

    def uncovered(self, query: str, entry_id: str) -> float:
        """The share of the query's words (weighted by rarity) that the entry has nowhere, in [0, 1]: the sign of
        a near miss ("can I pay the fee in instalments?" beside the fee entry leaves "instalments" uncovered)."""
        qtoks, weights = self._weighted(query)
        i = self._position.get(entry_id)
        if i is None or not qtoks:
            return 1.0 if qtoks else 0.0
        missing = sum(w for t, w in zip(qtoks, weights, strict=True)
                      if t not in self._post_ids or i not in self._post_set(t))
        return missing / sum(weights)

    def _post_set(self, tok: str) -> frozenset[int]:
        found = self._post_sets.get(tok)
        if found is None:
            found = self._post_sets[tok] = frozenset(self._post_ids[tok].tolist())
        return found

    def search(self, query: str, limit: int = 3) -> list[Match]:
        """The best entries for `query`, best first (empty when nothing shares a word with it)."""
        qtoks, weights = self._weighted(query)
        if not qtoks or not self.docs:
            return []
        total = sum(weights)
        scores = np.zeros(len(self.docs), dtype=np.float32)
        for tok, w in zip(qtoks, weights, strict=True):
            ids = self._post_ids.get(tok)
            if ids is not None:
                scores[ids] += w * self._post_w[tok]
        # Entries with less than half the best coverage cannot come first; keep the best few of the rest.
        top = np.flatnonzero(scores >= scores.max() * 0.5)
        if len(top) > CANDIDATES:
            top = top[np.argpartition(scores[top], -CANDIDATES)[-CANDIDATES:]]
        qset = frozenset(qtoks)
        qstr = " ".join(sorted(qset))
        out: list[Match] = []
        for i in top:
            cov = float(scores[i]) / total
            if cov <= 0:
                continue
            best_q, close = "", 0.0
            for q in self._scored_questions[i]:
                # How much of the staff question the member's words account for (IDF-weighted), blended with
                # rapidfuzz's character-level similarity, which forgives typos the word match cannot see.
                share = sum(self._idf[t] for t in q.tokens & qset) / q.idf
                c = (1 - FUZZ_SHARE) * share + FUZZ_SHARE * fuzz.token_sort_ratio(qstr, q.sorted_tokens) / 100
                if c > close:
                    best_q, close = q.text, c
            # Closeness only counts for the part of the query the entry covers: words the knowledge base has
            # never heard of ("Apple" in "When was Apple founded?") pull the whole score down.
            score = cov * ((1 - CLOSENESS_WEIGHT) + CLOSENESS_WEIGHT * close)
            out.append(Match(self.docs[i].id, score, cov, close, best_q))
        out.sort(key=lambda m: m.score, reverse=True)
        return out[:limit]


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _is_swap(a: str, b: str) -> bool:
    """True when b is a with two neighbouring letters swapped."""
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _with_subwords(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for tok in tokens:
        out.append(tok)
        out.extend(text.subwords(tok))
    return out


_NAME_RE = re.compile(r"(?<=[a-z,;:]\s)([A-Z][A-Za-z]+)")


def _capitalised(query: str) -> set[str]:
    """Stems of words written with a capital inside a sentence (not after a full stop)."""
    return {tok for m in _NAME_RE.finditer(text.clean(query)) for tok in text.content_tokens(m.group(1))}
