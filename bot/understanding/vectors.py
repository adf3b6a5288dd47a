"""Vectors of indexed texts: a matrix searched with one matrix product, and a disk cache so a restart does not
embed the knowledge again.

Rows are kept as float32, so the product runs on BLAS: 300,000 rows (100,000 entries) take about 20 ms per query
here. Half precision would halve the memory, but numpy has no half-precision BLAS: converting float16 blocks cost
250 ms per query at that size and multiplying them directly 460 ms (measured on this machine, November 2026;
bench/understanding.py). The disk cache stores float16, which is plenty for cosines (within about 1e-3).

Large sets (nearest.py: from 30,000 rows by default) are not multiplied at all: an approximate index names the
candidate rows, which are scored against the float16 cache file, read from it on demand (nearest.Rows), so their
memory is not the process's own.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from bot.understanding import caches, nearest
from bot.understanding.embedding import Embedder

log = logging.getLogger(__name__)
F32 = np.ndarray[Any, np.dtype[np.float32]]


class VectorIndex:
    """Rows of unit vectors, each labelled with an owner (an FAQ entry id, an intent name)."""

    def __init__(self, matrix: np.ndarray[Any, Any], owners: Sequence[str], questions: Sequence[bool] | None = None):
        """`questions`: per row, whether it is a question (else a question with its answer); all are by default."""
        assert matrix.shape[0] == len(owners)
        self.question_rows = np.ones(len(owners), dtype=bool) if questions is None else np.asarray(questions, bool)
        self._nearest: nearest.NearestRows | None = None
        if len(owners) >= nearest.threshold():
            # Kept as they come (a memory map of the cache file), or as float16: never a float32 copy.
            self.matrix = matrix if isinstance(matrix, np.memmap) else np.asarray(matrix, dtype=np.float16)
            self._rows = nearest.Rows(self.matrix)  # a cache file's rows are read, not mapped in (see Rows)
            self._nearest = nearest.NearestRows(self._rows, caches.cache_dir())
        else:
            self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
            self._rows = nearest.Rows(self.matrix)
        self.owners = list(owners)
        self._owner_ids = {o: i for i, o in enumerate(dict.fromkeys(self.owners))}
        self.owner_names = list(self._owner_ids)
        # Each row's owner as its number in owner_names: compared and grouped as integers, not 300,000 strings.
        self.row_owner = np.array([self._owner_ids[o] for o in self.owners], dtype=np.int32)
        # Rows grouped by owner (CSR style), so a candidate owner's every row can be scored exactly.
        self._by_owner = np.argsort(self.row_owner, kind="stable")
        self._owner_start = np.searchsorted(self.row_owner[self._by_owner], np.arange(len(self.owner_names) + 1))

    def __len__(self) -> int:
        return len(self.owners)

    def best_by_owner(self, query: F32, k: int, offsets: F32 | None = None) -> list[tuple[str, float]]:
        """The k best owners by their best row, best first; `offsets`, per row, are taken off the rows' cosines
        first (hubness.py)."""
        return self.rankings(query, k, offsets)[0]

    def rankings(self, query: F32, k: int, *offsets: F32 | None) -> list[list[tuple[str, float]]]:
        """best_by_owner once for each of `offsets` (None: the cosines as they are), from one search: the
        corrected ranking and the model's own cost one product (or one graph search) together."""
        if not self.owners:
            return [[] for _ in offsets]
        if self._nearest is not None:
            every = self._candidate_rows(query, k, offsets)
            scores = self._rows.take(every) @ query
        else:
            every, scores = None, self.matrix @ query
        out = []
        for off in offsets:
            best = np.full(len(self.owner_names), -1.0, dtype=np.float32)
            row_scores = scores if off is None else _corrected(scores, off if every is None else off[every])
            np.maximum.at(best, self.row_owner if every is None else self.row_owner[every], row_scores)
            n = min(k, len(best))
            top = np.argpartition(-best, n - 1)[:n]
            top = top[np.argsort(-best[top])]
            out.append([(self.owner_names[i], float(best[i])) for i in top])
        return out

    def _candidate_rows(self, query: F32, k: int, offsets: tuple[F32 | None, ...]) -> np.ndarray[Any, Any]:
        """Every row of the owners the graph names best (a large set only), in row order.

        The graph names candidate rows, scored exactly; the owners best by those rows (under each of `offsets`)
        are then scored by all their rows, so an owner's score is the exact one even when the graph found only a
        lesser question of the right entry. Reading every row of every candidate's owner cost more than the graph
        search itself at 512 candidates; the owners past the best few never reach the top k."""
        assert self._nearest is not None
        rows, row_scores = self._nearest.nearest(query, max(nearest.CANDIDATES, 8 * k))
        keep = max(nearest.RESCORED_OWNERS, 2 * k)
        chosen: list[np.ndarray[Any, Any]] = []
        for off in offsets:
            ranked = row_scores if off is None else _corrected(row_scores, off[rows])
            by_score = self.row_owner[rows[np.argsort(-ranked, kind="stable")]]
            owners, first = np.unique(by_score, return_index=True)  # each owner at its best candidate row
            chosen.append(owners[np.argsort(first)][:keep])
        owners = np.unique(np.concatenate(chosen))
        return np.sort(np.concatenate([self._by_owner[self._owner_start[o]:self._owner_start[o + 1]]
                                       for o in owners]))

    def take(self, rows: np.ndarray[Any, Any]) -> F32:
        """Rows `rows` as float32 (a large set's from its file)."""
        return self._rows.take(rows)

    def span(self, start: int, stop: int) -> F32:
        """Rows start..stop as float32."""
        return self._rows.span(start, stop)

    def by_kind(self, query: F32, owner: str) -> tuple[float, float, int]:
        """An owner's best cosine among its question rows, and among its question-with-answer rows (-1 if none),
        and how many question rows it has: the calibrated decision weighs a member's words matching a question
        apart from matching the answer, and an entry with several phrasings is better described."""
        o = self._owner_ids.get(owner)
        if o is None:
            return -1.0, -1.0, 0
        rows = self._by_owner[self._owner_start[o]:self._owner_start[o + 1]]
        scores = self.take(rows) @ query
        kinds = self.question_rows[rows]
        return (float(scores[kinds].max()) if kinds.any() else -1.0,
                float(scores[~kinds].max()) if (~kinds).any() else -1.0, int(kinds.sum()))


def _corrected(scores: F32, offsets: F32) -> F32:
    """Cosines less their rows' offsets, kept at most 1: scores are shown to staff (`gasme-bot unanswered`) and
    compared with cosine thresholds, and a lonely row's negative offset could lift a near-identical one past 1."""
    out: F32 = np.minimum(scores - offsets, 1.0)
    return out


def embed_cached(embedder: Embedder, texts: Sequence[str], *, query: bool = False) -> F32:
    """Passage vectors of `texts` (`query`: query vectors, as a member's message gets), from the disk cache when
    the same model embedded the same texts the same way before.

    The key is a hash of the model's name and version and of every text in order, so any edit to the knowledge,
    or another model, gives another file. A cache that cannot be read or written costs time, never correctness.
    """
    digest = hashlib.sha256(f"{embedder.name}\0{embedder.version}\0{embedder.dim}".encode())
    if query:  # a separate key: passage vectors cached before keep their files
        digest.update(b"query\0")
    for t in texts:
        digest.update(t.encode("utf-8", "surrogatepass") + b"\0")
    path = caches.cache_dir() / f"{embedder.name}-{digest.hexdigest()[:32]}.npy"
    large = len(texts) >= nearest.threshold()
    try:
        found = np.load(path, mmap_mode="r" if large else None)
        if found.shape == (len(texts), embedder.dim):
            # A large set stays a memory map of the file (VectorIndex searches it through nearest.py).
            return found if large else np.asarray(found, dtype=np.float32)
    except (OSError, ValueError):
        pass  # not cached yet, or unreadable: embed again below
    # In batches: the e5 engine's memory grows with the batch (327 MB for 1,000 texts at once, measured).
    parts = [embedder.encode(texts[i:i + 64], query=query) for i in range(0, len(texts), 64)]
    fresh = np.concatenate(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)
    # As the cache file keeps them: the first start then reads the knowledge exactly as every restart does. (With the
    # float32 vectors, a message on the edge between two entries could be answered on the first start and offered
    # after a restart.)
    halved = fresh.astype(np.float16)
    vectors: F32 = halved.astype(np.float32)
    try:
        caches.store(path, lambda name: _save_npy(name, halved))
        if large:
            mapped: F32 = np.load(path, mmap_mode="r")
            return mapped
    except OSError as exc:
        log.info("vector cache not written (%s): the next start embeds the knowledge again", exc)
    return vectors


def _save_npy(name: str, array: np.ndarray[Any, Any]) -> None:
    with open(name, "wb") as f:  # a file, not a name: numpy would add ".npy" to the name
        np.save(f, array)
