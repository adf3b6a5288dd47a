"""Grouping members' questions by meaning: the unanswered questions staff review.

With an embedder (the one the FAQ matching uses) questions are compared by the cosine of their vectors; without
one (GASME_EMBEDDER=none) by rapidfuzz's token-set similarity of their normalised words (Chinese segmented first,
since rapidfuzz splits on spaces). Each question joins the group whose centroid it is closest to, if close enough,
else starts a group: one pass, so thousands of questions group in well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from bot.understanding import text as textmod
from bot.understanding.embedding import Embedder

# Tuned on a handful of paraphrase sets (tests/test_learning.py): multilingual-e5 puts paraphrases of one question
# above about 0.9 and different questions on the same topic between 0.8 and 0.87.
EMBEDDING_SAME = 0.89
LEXICAL_SAME = 0.6


def group(texts: Sequence[str], embedder: Embedder | None) -> list[list[int]]:
    """Indexes of `texts` in groups of the same meaning, largest group first (ties: earliest first)."""
    if not texts:
        return []
    groups = _by_vectors(texts, embedder) if embedder is not None else _by_words(texts)
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def _by_vectors(texts: Sequence[str], embedder: Embedder) -> list[list[int]]:
    vectors = embedder.encode([t[:1000] for t in texts], query=True)
    groups: list[list[int]] = []
    sums: list[np.ndarray[Any, np.dtype[np.float32]]] = []
    for i, v in enumerate(vectors):
        best, best_score = -1, EMBEDDING_SAME
        for g, total in enumerate(sums):
            centroid = total / max(float(np.linalg.norm(total)), 1e-12)
            score = float(centroid @ v)
            if score >= best_score:
                best, best_score = g, score
        if best < 0:
            groups.append([i])
            sums.append(v.copy())
        else:
            groups[best].append(i)
            sums[best] = sums[best] + v
    return groups


def _words(text: str) -> str:
    return " ".join(textmod.content_tokens(text))


def _by_words(texts: Sequence[str]) -> list[list[int]]:
    keys = [_words(t) for t in texts]
    groups: list[list[int]] = []
    for i, key in enumerate(keys):
        best, best_score = -1, LEXICAL_SAME * 100
        for g, members in enumerate(groups):
            # Average similarity to the group's members: one loose link does not pull a question in.
            score = sum(fuzz.token_set_ratio(key, keys[j]) for j in members) / len(members)
            if score >= best_score:
                best, best_score = g, score
        if best < 0:
            groups.append([i])
        else:
            groups[best].append(i)
    return groups
