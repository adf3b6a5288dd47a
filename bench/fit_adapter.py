"""Fit the members' adapter (bot/understanding/adapter.py) and write bot/understanding/adapter.npz.

Data: the `dev` splits only of the four bases (bench/faq_quality.py's BASES) and their FAQ rounds
(tests/data/faq_rounds.yaml); never a held-out split. Each in-scope question is a sample: its query vector against
every row of its own base's vector index (questions, questions with answers, glossed questions), an entry scored by
its best row.

The matrix starts as the identity and is fitted by Adam on the cross-entropy of a softmax over each base's entries
(cosines times SCALE), with an L2 pull back to the identity (L2), in plain numpy. It first prints, for each base
left out of the fit in turn, how often the model alone and the adapted vector put the right entry first: the gain
on a base the adapter never saw.

Rerunnable (deterministic): python bench/fit_adapter.py [--embedder e5] [--out bot/understanding/adapter.npz]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faq_quality import BASES, ROUNDS, load  # noqa: E402
from bot.understanding import adapter  # noqa: E402
from bot.understanding.knowledge_base import Library  # noqa: E402
from bot.understanding.vectors import embed_cached  # noqa: E402

SCALE = 30.0  # cosines times this before the softmax: the model's cosines between entries differ by hundredths
L2 = 0.001  # the pull back to the identity; chosen with each base left out (0.0003 to 0.1 tried)
STEPS = 300
RATE = 1e-3
Array = np.ndarray[Any, np.dtype[np.float64]]
Ints = np.ndarray[Any, np.dtype[np.int64]]


@dataclass
class BaseSamples:
    """One base's development questions and the rows of its vector index."""
    name: str
    queries: Array  # (n, dim) query vectors
    right: Ints  # each query's entry, as a number
    langs: list[str]
    rows: Array  # (m, dim)
    mask: np.ndarray[Any, np.dtype[np.bool_]]  # (entries, m): which rows are each entry's


def samples(name: str, embedder_name: str) -> BaseSamples:
    kdir, cases = BASES[name]
    reader = Library.load(kdir, embedder_name, "thresholds").reader
    vectors = reader.faq_vectors
    assert vectors is not None and reader.embedder is not None, "the adapter needs the embedding"
    entries = vectors.owner_names
    qs, right, langs = [], [], []
    for split in (load(cases)["dev"], load(ROUNDS).get(name, {})):
        for item in split.get("in_scope", []):
            if item["id"] in entries:
                qs.append(item["q"][:1000])
                right.append(entries.index(item["id"]))
                langs.append(item["lang"])
    queries = embed_cached(reader.embedder, qs, query=True).astype(np.float64)
    rows = np.asarray(vectors.span(0, len(vectors)), dtype=np.float64)
    mask = np.arange(len(entries))[:, None] == vectors.row_owner[None, :]
    return BaseSamples(name, queries, np.array(right), langs, rows, mask)


def _scores(matrix: Array, base: BaseSamples) -> tuple[Array, Ints, Array, Array]:
    """Each query's entries scored by their best row after the map: (scores, best row per entry, unit vectors,
    their norms before)."""
    moved = base.queries @ matrix.T
    norms = np.linalg.norm(moved, axis=1, keepdims=True)
    unit = moved / norms
    cos = unit @ base.rows.T  # (n, m)
    masked = np.where(base.mask[None, :, :], cos[:, None, :], -np.inf)  # (n, entries, m)
    best_row = masked.argmax(axis=2)
    return np.take_along_axis(cos, best_row, axis=1), best_row, unit, norms


def _gradient(matrix: Array, base: BaseSamples) -> tuple[float, Array]:
    scores, best_row, unit, norms = _scores(matrix, base)
    z = SCALE * scores
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    n = len(base.right)
    loss = -float(np.log(p[np.arange(n), base.right] + 1e-12).mean())
    g_scores = p.copy()
    g_scores[np.arange(n), base.right] -= 1.0
    g_scores *= SCALE / n
    g_cos = np.zeros((n, base.rows.shape[0]))
    np.add.at(g_cos, (np.repeat(np.arange(n), best_row.shape[1]), best_row.ravel()), g_scores.ravel())
    g_unit = g_cos @ base.rows
    g_moved = (g_unit - unit * (g_unit * unit).sum(axis=1, keepdims=True)) / norms
    return loss, g_moved.T @ base.queries


def fit(bases: Sequence[BaseSamples]) -> Array:
    """The adapter fitted on `bases` (each base's loss weighs the same)."""
    dim = bases[0].queries.shape[1]
    eye = np.eye(dim)
    matrix = eye.copy()
    first, second = np.zeros_like(matrix), np.zeros_like(matrix)
    for t in range(1, STEPS + 1):
        grad = 2 * L2 * (matrix - eye)
        for base in bases:
            grad += _gradient(matrix, base)[1] / len(bases)
        first = 0.9 * first + 0.1 * grad
        second = 0.999 * second + 0.001 * grad**2
        matrix -= RATE * (first / (1 - 0.9**t)) / (np.sqrt(second / (1 - 0.999**t)) + 1e-8)
    return matrix


def first_right(matrix: Array | None, base: BaseSamples) -> dict[str, str]:
    """How often the right entry comes first, per language (the model alone with `matrix` None)."""
    scores = _scores(np.eye(base.queries.shape[1]) if matrix is None else matrix, base)[0]
    hit = scores.argmax(axis=1) == base.right
    langs = np.array(base.langs)
    return {lang: f"{int(hit[langs == lang].sum())}/{int((langs == lang).sum())}" for lang in ("en", "zh")}


def without(bases: Sequence[BaseSamples], name: str) -> Array:
    return fit([b for b in bases if b.name != name])


def left_out(embedder_name: str = "e5") -> dict[str, np.ndarray[Any, np.dtype[np.float32]]]:
    """Per base, the adapter fitted without it: what reads a base's development questions honestly (the shipped
    adapter was fitted on them)."""
    bases = [samples(name, embedder_name) for name in BASES]
    return {b.name: without(bases, b.name).astype(np.float32) for b in bases}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedder", default="e5")
    ap.add_argument("--out", type=Path, default=adapter.DATA)
    args = ap.parse_args()
    bases = [samples(name, args.embedder) for name in BASES]
    print("right entry first, the model alone -> adapted, each base left out of the fit:")
    for base in bases:
        print(f"  {base.name}: {first_right(None, base)} -> {first_right(without(bases, base.name), base)}")
    matrix = fit(bases)
    np.savez(args.out, model=np.array(args.embedder), matrix=matrix.astype(np.float32))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
