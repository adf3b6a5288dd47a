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

import contextlib
import ctypes
import math
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from bot.understanding import text
from bot.understanding.glossary import translations
from bot.understanding.synonyms import PhraseTable

# How much a word counts by where the entry has it. Questions are what staff expect members to ask.
W_QUESTION = 1.0
W_TAG = 0.8
W_ANSWER = 0.55
# Postings store a field's number (0 answer, 1 tag, 2 question: by rising weight), one byte, not its weight.
FIELD_WEIGHTS = np.array([W_ANSWER, W_TAG, W_QUESTION], dtype=np.float32)
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


class FaqIndex:
    """Every structure is numbered and flat (token ids, CSR arrays), not per-token or per-question Python objects:
    at 100,000 entries sets, dicts and small arrays per token or question took about 390 MB, these take a tenth."""

    def __init__(self, docs: Iterable[Doc], synonyms: Iterable[Sequence[str]] = (),
                 glossary: Sequence[Sequence[str]] = ()):
        """`synonyms`: the knowledge's groups (their Chinese words are taught to the segmenter); `glossary`: groups
        of English and Chinese words (glossary.py) whose Chinese words are read as the group's first English term,
        matched on the segmenter's ordinary cuts."""
        groups = [list(g) for g in synonyms]
        text.add_words(w for g in groups for w in g)
        self._phrases = PhraseTable(groups, translations(groups, glossary) if glossary else None)
        raw_vocab: set[str] = {tok for g in groups for term in g for tok in text.content_tokens(term)}
        built = _Builder(self._phrases, raw_vocab)
        for doc in docs:
            built.add(doc)
        self.ids = built.ids
        self._position = {entry_id: i for i, entry_id in enumerate(self.ids)}
        self._token_ids = built.token_ids
        self._tokens = list(built.token_ids)  # token strings by id (dicts keep insertion order)
        self._question_texts = built.question_texts
        self._doc_questions = _offsets(built.doc_questions)
        self._question_tokens, self._question_start = built.question_tokens, _offsets(built.question_ends)
        self._post_ids, self._post_fields, self._post_start = built.postings(len(self._tokens))
        n = max(len(self.ids), 1)
        # IDF by token id; math.log on Python numbers, as before, and an array of doubles reads back Python floats.
        self._idf = array("d", (math.log(1 + n / c) for c in np.diff(self._post_start).tolist()))
        del built
        # An unseen word weighs like the rarest word the index has.
        self._unknown_idf = UNKNOWN_FACTOR * math.log(1 + n)
        self._vocab = raw_vocab
        self._typos = _Typos(raw_vocab)
        _release_freed_memory()

    def tokens(self, s: str) -> list[str]:
        """Content tokens of `s`, with synonym phrases folded to one shared token."""
        return self._phrases.fold(text.content_tokens(s))

    def _idf_of(self, tok: str, unseen: float) -> float:
        t = self._token_ids.get(tok)
        return unseen if t is None else self._idf[t]

    def _correct(self, tok: str) -> str:
        """A typo'd English word mapped to the known word one edit away (the most frequent if several)."""
        # Short words are left alone: "dress" is not a typo for "press".
        if tok in self._vocab or not tok.isascii() or len(tok) < 6:
            return tok
        near = [w for w in self._typos.sharing_a_key(tok) if Levenshtein.distance(tok, w) <= 1 or _is_swap(tok, w)]
        if not near:
            return tok
        return min(near, key=lambda w: (self._idf_of(w, 0.0), w))

    def _weighted(self, query: str) -> tuple[list[str], list[float]]:
        """The query's tokens (typos corrected, synonyms folded) and their weights (IDF; unseen words as rare)."""
        corrected: list[str] = []
        for tok in text.content_tokens(query):
            parts = text.subwords(tok)
            known, glossed = tok in self._vocab, self._phrases.knows(tok)
            if known or not parts or glossed:
                corrected.append(self._correct(tok))
            # A compound the knowledge lacks counts by its parts only; one the glossary knows ("个人信息", personal
            # data) as a whole, its parts would stand for less than it says.
            if known or not glossed:
                corrected.extend(parts)
        qtoks = list(dict.fromkeys(self._phrases.fold(corrected)))
        names = _capitalised(query)
        return qtoks, [self._idf_of(t, self._unknown_idf * (NAME_FACTOR if t in names else 1.0)) for t in qtoks]

    def _postings(self, t: int) -> slice:
        return slice(int(self._post_start[t]), int(self._post_start[t + 1]))

    def _has(self, tok: str, i: int) -> bool:
        """Whether entry `i` has `tok` anywhere (a token's entries are sorted: a binary search)."""
        t = self._token_ids.get(tok)
        if t is None:
            return False
        ids = self._post_ids[self._postings(t)]
        j = int(np.searchsorted(ids, i))
        return j < len(ids) and int(ids[j]) == i

    def uncovered(self, query: str, entry_id: str) -> float:
        """The share of the query's words (weighted by rarity) that the entry has nowhere, in [0, 1]: the sign of
        a near miss ("can I pay the fee in instalments?" beside the fee entry leaves "instalments" uncovered)."""
        qtoks, weights = self._weighted(query)
        i = self._position.get(entry_id)
        if i is None or not qtoks:
            return 1.0 if qtoks else 0.0
        missing = sum(w for t, w in zip(qtoks, weights, strict=True) if not self._has(t, i))
        return missing / sum(weights)

    def search(self, query: str, limit: int = 3) -> list[Match]:
        """The best entries for `query`, best first (empty when nothing shares a word with it)."""
        qtoks, weights = self._weighted(query)
        if not qtoks or not self.ids:
            return []
        total = sum(weights)
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for tok, w in zip(qtoks, weights, strict=True):
            t = self._token_ids.get(tok)
            if t is not None:
                span = self._postings(t)
                scores[self._post_ids[span]] += w * FIELD_WEIGHTS[self._post_fields[span]]
        # Entries with less than half the best coverage cannot come first; keep the best few of the rest.
        top = np.flatnonzero(scores >= scores.max() * 0.5)
        if len(top) > CANDIDATES:
            top = top[np.argpartition(scores[top], -CANDIDATES)[-CANDIDATES:]]
        qids = {self._token_ids[t] for t in qtoks if t in self._token_ids}
        qstr = " ".join(sorted(qtoks))
        out: list[Match] = []
        for i in top.tolist():
            cov = float(scores[i]) / total
            if cov <= 0:
                continue
            best_q, close = self._closest_question(i, qids, qstr)
            # Closeness only counts for the part of the query the entry covers: words the knowledge base has
            # never heard of ("Apple" in "When was Apple founded?") pull the whole score down.
            score = cov * ((1 - CLOSENESS_WEIGHT) + CLOSENESS_WEIGHT * close)
            out.append(Match(self.ids[i], score, cov, close, best_q))
        out.sort(key=lambda m: m.score, reverse=True)
        return out[:limit]

    def _closest_question(self, i: int, qids: set[int], qstr: str) -> tuple[str, float]:
        """Entry `i`'s staff question closest to the query, and how close. Worked out from the token ids for the
        few candidates of a search rather than kept per question (sets and sorted strings of every question)."""
        best_q, close = "", 0.0
        for q in range(int(self._doc_questions[i]), int(self._doc_questions[i + 1])):
            toks = self._question_tokens[self._question_start[q]:self._question_start[q + 1]].tolist()
            idf = sum(self._idf[t] for t in toks) or 1.0
            # How much of the staff question the member's words account for (IDF-weighted), blended with
            # rapidfuzz's character-level similarity, which forgives typos the word match cannot see.
            share = sum(self._idf[t] for t in toks if t in qids) / idf
            sorted_tokens = " ".join(sorted(self._tokens[t] for t in toks))
            c = (1 - FUZZ_SHARE) * share + FUZZ_SHARE * fuzz.token_sort_ratio(qstr, sorted_tokens) / 100
            if c > close:
                best_q, close = self._question_texts[q], c
        return best_q, close


class _Builder:
    """What FaqIndex collects while reading the entries, in flat arrays of numbers: no dict or set per token or
    question is made even for a while, so the build leaves no heap of freed small objects behind."""

    def __init__(self, phrases: PhraseTable, raw_vocab: set[str]):
        self._phrases, self._raw_vocab = phrases, raw_vocab
        self.ids: list[str] = []
        self.token_ids: dict[str, int] = {}
        self.question_texts: list[str] = []
        self.doc_questions = array("i")  # per entry, where its questions end
        self.question_tokens, self.question_ends = array("i"), array("i")  # per question, its token ids, sorted
        self._keys = array("q")  # one per (token, entry, field): token << 34 | entry << 2 | field

    def add(self, doc: Doc) -> None:
        i = len(self.ids)
        self.ids.append(doc.id)
        for field, field_texts in enumerate((doc.answer, doc.tags, doc.questions)):
            for t in field_texts:
                raw = _with_subwords(text.content_tokens(t))
                self._raw_vocab.update(raw)
                toks = sorted({self.token_ids.setdefault(tok, len(self.token_ids))
                               for tok in self._phrases.fold(raw)})
                self._keys.extend(t << 34 | i << 2 | field for t in toks)
                if field == 2:
                    self.question_texts.append(t)
                    self.question_tokens.extend(toks)
                    self.question_ends.append(len(self.question_tokens))
        self.doc_questions.append(len(self.question_texts))

    def postings(self, n_tokens: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Postings in CSR form: entry ids (ascending within a token) and their fields, and where each token's run
        starts. An entry having a token in several fields keeps the field that weighs most."""
        keys = np.frombuffer(self._keys, dtype=np.int64)
        keys.sort()  # in place: by token, then entry, then field, so an entry's weightiest field comes last
        pairs = keys >> 2
        last = np.ones(len(keys), dtype=bool)
        last[:-1] = pairs[1:] != pairs[:-1]
        del pairs
        kept = keys[last]
        ids = ((kept >> 2) & 0xFFFFFFFF).astype(np.int32)
        start = np.searchsorted(kept >> 34, np.arange(n_tokens + 1)).astype(np.int64)
        return ids, (kept & 3).astype(np.uint8), start


class _Typos:
    """Typo correction (before synonyms are folded): every known English word is filed under itself and each of its
    one-letter deletions, so a word one edit or one swap away shares a key with it (symmetric delete).

    The keys are kept as their hashes in one sorted array beside the words' numbers, not as a dict of strings to
    lists (about ten keys per word). Two keys with the same hash only add a candidate, which the caller's
    distance check turns away."""

    def __init__(self, vocab: set[str]):
        self._words = sorted(w for w in vocab if w.isascii() and len(w) >= 4)
        keys, owners = array("q"), array("i")
        for n, w in enumerate(self._words):
            found = _deletions(w)
            keys.extend(hash(key) for key in found)
            owners.extend([n] * len(found))
        order = np.argsort(np.frombuffer(keys, dtype=np.int64), kind="stable")
        self._keys = np.frombuffer(keys, dtype=np.int64)[order]
        self._owners = np.frombuffer(owners, dtype=np.int32)[order]

    def sharing_a_key(self, word: str) -> set[str]:
        keys = np.array([hash(k) for k in _deletions(word)], dtype=np.int64)
        lo, hi = np.searchsorted(self._keys, keys), np.searchsorted(self._keys, keys, side="right")
        return {self._words[n] for a, b in zip(lo.tolist(), hi.tolist(), strict=True)
                for n in self._owners[a:b].tolist()}


def _release_freed_memory() -> None:
    """Hand the heap's free pages back to the system (glibc only; elsewhere nothing). The build frees tens of MB of
    growing arrays and sort buffers scattered between objects that stay, which the allocator would otherwise keep:
    about 55 MB of RSS at 100,000 entries."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _offsets(ends: array[int]) -> np.ndarray:
    """Ends of consecutive runs as CSR offsets: 0, then each run's end."""
    return np.concatenate([[0], np.frombuffer(ends, dtype=np.int32)]).astype(np.int64)


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
