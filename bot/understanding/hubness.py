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
reads the corrected scores: `Thresholds.corrected_extra` in thresholds.py. Measured on the development paraphrases of
the three bases (2026-12-05, first entry / best three, raw cosine -> corrected):
English 0.87/0.96 -> 0.93/0.99, 0.72/0.92 -> 0.79/0.94, 0.84/0.93 -> 0.89/0.96; Chinese 0.88/0.96 -> 0.91/0.97,
0.73/0.91 -> 0.81/0.98, 0.68/0.79 -> 0.80/0.91. WEIGHT 0.25, 0.75 and 1.0 and NEIGHBOURS 5 and 20 were measured
too: 0.5 was best or level on all six, and the neighbour count hardly mattered. Offsets from the FAQ's own rows
(each row's nearest rows of other entries) instead of the example phrases made every set worse.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.understanding import caches, nearest, text
from bot.understanding.vectors import F32, VectorIndex

log = logging.getLogger(__name__)

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
    their `vectors`: a Chinese message's hubs are not an English one's.

    A large base's offsets (one the approximate index searches) are kept in the cache folder, keyed by its vector
    file and the phrases' vectors: computing them reads every row (2.2 s at 100,000 entries, measured), and a
    restart or a second worker needs the same ones. A small base's take milliseconds and are not stored."""
    phrase_vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    path = None
    if len(faq) >= nearest.threshold():
        digest = hashlib.sha256(f"{nearest.rows_key(faq.matrix)}\0{NEIGHBOURS}\0{WEIGHT}\0".encode())
        digest.update(phrase_vectors.tobytes())
        path = caches.cache_dir() / f"hub-offsets-{digest.hexdigest()[:32]}.npz"
        found = _stored(path, len(faq))
        if found is not None:
            return found
    out = computed(faq, phrases, phrase_vectors)
    if path is not None:
        try:
            caches.store(path, lambda name: _write(name, out))
        except OSError as exc:
            log.info("hub offsets not saved (%s): the next start computes them again", exc)
    return out


def computed(faq: VectorIndex, phrases: Sequence[str], vectors: np.ndarray[Any, Any]) -> dict[str, F32]:
    """by_language's offsets, always computed (never read from or written to the cache)."""
    zh = np.array([text.has_cjk(p) for p in phrases], dtype=bool)
    phrase_vectors = np.asarray(vectors, dtype=np.float32)
    return {lang: offsets(len(faq), faq.span, phrase_vectors[mask]) for lang, mask in (("zh", zh), ("en", ~zh))}


def _write(name: str, found: dict[str, F32]) -> None:
    with open(name, "wb") as f:  # a file object: np.savez would add ".npz" to a bare temporary name
        np.savez(f, en=found["en"], zh=found["zh"])


def _stored(path: Path, rows: int) -> dict[str, F32] | None:
    """Offsets saved by an earlier start, if readable and of the right length (else None: computed again)."""
    try:
        with np.load(path) as saved:
            found = {lang: np.asarray(saved[lang], dtype=np.float32) for lang in ("en", "zh")}
    except (OSError, ValueError, KeyError):
        return None
    return found if all(len(v) == rows for v in found.values()) else None
