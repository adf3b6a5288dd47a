"""The calibrated FAQ decision: a probability that each candidate entry answers the message, "none" included.

Both readers name candidates (the lexical index's best 3, the embedding's best 3). Each candidate is described by a
few features (below), each turned into a utility by a weight; "none" has a utility of its own from features of the
message. A softmax over the candidates and "none" gives the probabilities: the best entry is answered when its
probability reaches `answer_at`, entries above `suggest_at` are offered as buttons, otherwise nothing.

Why features relative to the message rather than raw cosines: cosines of the embedding model sit in a narrow band
whose height moves with the base and the language (a Chinese message against English entries scores lower
everywhere). A candidate's cosine minus the cosine of the message's 6th-best entry, and its lead over the next
candidate, hold one meaning across bases, so one threshold serves a base it was never fitted on.

The weights live in decision.json, fitted by bench/fit_decision.py on the development splits only (see there).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from bot.understanding import text as textmod
from bot.understanding.faq_index import FaqIndex, Match
from bot.understanding.vectors import F32, VectorIndex

DECISIONS = ("calibrated", "thresholds")
DATA = Path(__file__).with_name("decision.json")
LEXICAL_K = 3  # candidates from the lexical index
SEMANTIC_K = 6  # entries asked of the embedding: the best 3 are candidates, the 6th is the message's floor
SHORT_FLOOR = 0.08
CANDIDATE_FEATURES = (
    "lexical",  # the lexical score (0 when the lexical index did not name the entry)
    "coverage",  # the share of the message's words the entry has (lexical)
    "closeness",  # rapidfuzz closeness to the entry's nearest question (lexical)
    "cos_question",  # cosine to the entry's nearest question, above the message's floor
    "cos_answer",  # ... to its question-with-answer rows, above the floor
    "cos_lead",  # the entry's cosine minus the best other candidate's
    "lexical_lead",  # the entry's lexical score minus the best other candidate's
    "lexical_first",  # 1 for the lexical index's first entry
    "semantic_first",  # 1 for the embedding's first entry
    "agree",  # 1 when both readers put the entry first
    "uncovered",  # the share of the message's rare words the entry has nowhere (near misses)
    "uncovered_zh",  # the same for a Chinese message (its words are cut into pieces, read differently)
    "cos_zh",  # cos_question for a Chinese message
    "cos_base",  # the entry's best cosine above the base's typical cosine between neighbouring entries
    "cos_base_zh",  # the same for a Chinese message
    "phrasings",  # 1 when staff (or members' choices) gave the entry several questions: it is better described
    "cos_phrasings",  # cos_question for such an entry: a close match to one of several phrasings tells more
)
NONE_FEATURES = (
    "bias",
    "zh",  # a Chinese message
    "short",  # at most two content words: little to go on
    "floor",  # the message's raw 6th-best cosine: high when it is near everything (vague)
)


@dataclass(frozen=True)
class Model:
    weights: F32  # per candidate feature
    none_weights: F32  # per "none" feature
    mean: F32  # candidate features are standardised with these (from the fit) before weighing
    scale: F32
    answer_at: float
    suggest_at: float

    def probabilities(self, features: F32, none: F32) -> F32:
        """Probabilities of each candidate (rows of `features`) and, last, of "none"."""
        u = np.append(((features - self.mean) / self.scale) @ self.weights, none @ self.none_weights)
        e = np.exp(u - u.max())
        return np.asarray(e / e.sum(), dtype=np.float32)


def configured() -> str:
    """GASME_DECISION (validated at start-up in bot/app/settings.py)."""
    return (os.environ.get("GASME_DECISION") or "thresholds").strip().lower() or "thresholds"


@cache
def load(path: Path = DATA) -> Model:
    """The fitted model; a malformed file is refused by name, not with a traceback at the first question."""
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("features") != list(CANDIDATE_FEATURES) or raw.get("none_features") != list(NONE_FEATURES):
            raise ValueError("its features are not the ones this code computes: run bench/fit_decision.py")
        vectors = [np.asarray(raw[k], dtype=np.float32) for k in ("weights", "mean", "scale")]
        none_weights = np.asarray(raw["none_weights"], dtype=np.float32)
        if any(v.shape != (len(CANDIDATE_FEATURES),) for v in vectors) or none_weights.shape != (len(NONE_FEATURES),):
            raise ValueError("a weight list has the wrong length")
        if not all(np.isfinite(v).all() for v in (*vectors, none_weights)) or (vectors[2] <= 0).any():
            raise ValueError("a weight is not a finite number, or a scale is not positive")
        answer_at, suggest_at = float(raw["answer_at"]), float(raw["suggest_at"])
        if not 0 < suggest_at <= answer_at < 1:
            raise ValueError("answer_at and suggest_at must satisfy 0 < suggest_at <= answer_at < 1")
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: not a usable decision model ({exc})") from exc
    return Model(vectors[0], none_weights, vectors[1], vectors[2], answer_at, suggest_at)


@dataclass(frozen=True)
class Candidates:
    ids: tuple[str, ...]
    features: F32  # one row per id
    none: F32


def typical_neighbour(vectors: VectorIndex, sample: int = 300, seed: int = 0) -> float:
    """The base's typical cosine between a question and the nearest question of another entry (the median over a
    sample): how close a base's entries sit, the height against which a message's cosine is read."""
    owners = vectors.row_owner
    rows = np.flatnonzero(vectors.question_rows)
    if len(np.unique(owners[rows])) < 2:
        return 0.8
    rng = np.random.default_rng(seed)
    picked = rng.choice(rows, min(sample, len(rows)), replace=False)
    against = rng.choice(rows, min(20 * sample, len(rows)), replace=False)
    m = vectors.take(np.sort(against))
    cos = vectors.take(np.sort(picked)) @ m.T
    cos[owners[np.sort(picked)][:, None] == owners[np.sort(against)][None, :]] = -1.0
    return float(np.median(cos.max(axis=1)))


def candidates(text: str, lexical: Sequence[Match], semantic: Sequence[tuple[str, float]], faq: FaqIndex,
               vectors: VectorIndex, vec: F32, neighbour: float) -> Candidates:
    """The candidates of both readers with their features. `lexical` and `semantic` are the readers' lists, best
    first (LEXICAL_K and SEMANTIC_K long when the base has that many entries); `neighbour` the base's
    typical_neighbour()."""
    zh = textmod.has_cjk(text)
    lex = {m.id: m for m in lexical[:LEXICAL_K]}
    cos = dict(semantic)
    # A base with fewer entries than SEMANTIC_K has no 6th-best entry: its floor is estimated from the base's
    # typical neighbour cosine, which the 6th-best sits about SHORT_FLOOR below on the dev bases.
    floor = semantic[-1][1] if len(semantic) >= SEMANTIC_K else neighbour - SHORT_FLOOR
    ids = tuple(dict.fromkeys([m.id for m in lexical[:LEXICAL_K]] + [i for i, _ in semantic[:3]]))
    l_first = lexical[0].id if lexical else None
    s_first = semantic[0][0] if semantic else None
    rows = []
    for c in ids:
        m = lex.get(c)
        q, a, n = vectors.by_kind(vec, c)
        best = max(q, a)
        other_cos = max((cos.get(o, 0.0) for o in ids if o != c), default=floor)
        other_lex = max((lex[o].score for o in ids if o != c and o in lex), default=0.0)
        uncovered = faq.uncovered(text, c)
        rows.append([
            m.score if m else 0.0, m.coverage if m else 0.0, m.closeness if m else 0.0,
            q - floor, a - floor if a > -1 else q - floor, best - max(other_cos, floor),
            (m.score if m else 0.0) - other_lex, float(c == l_first), float(c == s_first),
            float(c == l_first == s_first), uncovered * (not zh), uncovered * zh, (q - floor) * zh,
            best - neighbour, (best - neighbour) * zh, float(n > 1), (q - floor) * (n > 1),
        ])
    words = len(textmod.content_tokens(text))
    none = [1.0, float(zh), float(words <= 2), floor]
    return Candidates(ids, np.asarray(rows, dtype=np.float32).reshape(len(ids), len(CANDIDATE_FEATURES)),
                      np.asarray(none, dtype=np.float32))


def decide(model: Model, found: Candidates) -> tuple[str, tuple[str, ...], F32]:
    """("answer" | "suggest" | "none", the entries, best first, and every candidate's probability)."""
    if not found.ids:
        return "none", (), np.zeros(0, dtype=np.float32)
    p = model.probabilities(found.features, found.none)[:-1]
    order = [int(i) for i in np.argsort(-p)]
    if p[order[0]] >= model.answer_at:
        return "answer", (found.ids[order[0]],), p
    offered = tuple(found.ids[i] for i in order if p[i] >= model.suggest_at)[:3]
    return ("suggest" if offered else "none"), offered, p
