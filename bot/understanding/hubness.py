"""How close each FAQ row sits to every message: the embedding's "hubs", and the correction for them.

In a sentence-embedding space some rows are near almost any message ("hubs"): on the development sets a Chinese
question about a job board, a data-privacy policy or a working group was nearest to the same few generic entries
(a membership certificate, who can join, password reset) whatever it asked, and the entry it asked about came
fourth or later. The correction is the one used for word translation across languages (cross-domain similarity
local scaling, CSLS: Conneau et al., "Word translation without parallel data", ICLR 2018): a row's cosine with a
message is lowered by how close that row sits to typical messages, here the mean cosine of its NEIGHBOURS nearest
intent example phrases (members' own kind of wording, unlike the staff's questions) in the message's language.

The offset is centred on the rows that messages reach, so the best scores stay on the cosine scale the
thresholds were tuned on: a hub loses a little, a row that only its own questions come near gains. How the decision
reads the corrected scores: `Thresholds.corrected_extra` in meaning.py. Measured on the development paraphrases of
the three bases (2026-12-05, first entry / best three, raw cosine -> corrected):
English 0.87/0.96 -> 0.93/0.99, 0.72/0.92 -> 0.79/0.94, 0.84/0.93 -> 0.89/0.96; Chinese 0.88/0.96 -> 0.91/0.97,
0.73/0.91 -> 0.81/0.98, 0.68/0.79 -> 0.80/0.91. WEIGHT 0.25, 0.75 and 1.0 and NEIGHBOURS 5 and 20 were measured
too: 0.5 was best or level on all six, and the neighbour count hardly mattered. Offsets from the FAQ's own rows
(each row's nearest rows of other entries) instead of the example phrases made every set worse.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from bot.understanding import text
from bot.understanding.vectors import F32, VectorIndex

NEIGHBOURS = 10
WEIGHT = 0.5
_SLICE = 5_000  # rows scored against the phrases at a time: a large base's offsets never need a big product


def offsets(rows: int, take: Callable[[int, int], F32], phrases: F32) -> F32:
    """Per row, what to subtract from its cosine with a message written like `phrases` (unit vectors, one
    language). `take(start, stop)`: rows start..stop as float32, so a large base is read a slice at a time.

    Centred on the rows messages reach (each phrase's nearest row), not on every row: the best row for a
    message is more often a hub than not, and centring on all rows lowered the best scores under the
    thresholds tuned on raw cosines (on the third base's Chinese development questions, 22 of 72 were then
    offered nothing against 17 before)."""
    out = np.zeros(rows, dtype=np.float32)
    if rows == 0 or len(phrases) == 0:
        return out
    k = min(NEIGHBOURS, len(phrases))
    nearest_row = np.zeros(len(phrases), dtype=np.int64)
    nearest_score = np.full(len(phrases), -2.0, dtype=np.float32)
    for start in range(0, rows, _SLICE):
        scores = take(start, min(start + _SLICE, rows)) @ phrases.T
        out[start:start + len(scores)] = np.partition(scores, len(phrases) - k, axis=1)[:, -k:].mean(axis=1)
        best = scores.argmax(axis=0)
        best_score = scores[best, np.arange(len(phrases))]
        better = best_score > nearest_score
        nearest_row[better] = start + best[better]
        nearest_score[better] = best_score[better]
    centred: F32 = (WEIGHT * (out - out[nearest_row].mean())).astype(np.float32)
    return centred


def by_language(faq: VectorIndex, phrases: Sequence[str], vectors: np.ndarray[Any, Any]) -> dict[str, F32]:
    """The FAQ rows' offsets for messages in each language ("en", "zh"), from the intent example `phrases` and
    their `vectors`: a Chinese message's hubs are not an English one's."""
    zh = np.array([text.has_cjk(p) for p in phrases], dtype=bool)
    return {lang: offsets(len(faq), faq.span, np.asarray(vectors, dtype=np.float32)[mask])
            for lang, mask in (("zh", zh), ("en", ~zh))}
