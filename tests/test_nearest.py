"""The approximate vector index for large knowledge bases (bot/understanding/nearest.py): same best entries as the
exact search, built once and kept on disk beside the vector cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.understanding import nearest, vectors
from bot.understanding.vectors import VectorIndex
from tests.test_understanding import CountingEmbedder


def _rows(n: int, dim: int = 32, seed: int = 3) -> np.ndarray[Any, Any]:
    rng = np.random.default_rng(seed)
    topics = rng.standard_normal((n // 3, dim))
    rows = np.repeat(topics, 3, axis=0) + rng.standard_normal((n, dim)) * 0.2
    out: np.ndarray[Any, Any] = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)
    return out


@pytest.fixture
def small_threshold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GASME_ANN_FROM", "300")
    monkeypatch.setenv("GASME_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_the_index_finds_the_exact_searchs_best_entries(small_threshold: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _rows(1500)
    owners = [f"entry-{i // 3}" for i in range(len(rows))]
    approx = VectorIndex(rows, owners)
    assert approx.matrix.dtype == np.float16 and list(small_threshold.glob("ann-*.faiss"))
    monkeypatch.setenv("GASME_ANN_FROM", "0")
    exact = VectorIndex(rows, owners)
    rng = np.random.default_rng(8)
    agree = first = 0
    for i in rng.integers(0, len(rows), 200):
        q = rows[i] + rng.standard_normal(rows.shape[1]).astype(np.float32) * 0.05
        q = (q / np.linalg.norm(q)).astype(np.float32)
        got, want = approx.best_by_owner(q, 3), exact.best_by_owner(q, 3)
        if got[0][0] == want[0][0]:
            first += 1
            assert abs(got[0][1] - want[0][1]) < 2e-3  # the candidates' scores are the exact ones
        agree += len({o for o, _ in got} & {o for o, _ in want})
    # The graph is approximate (and built by several threads, so not the same twice): counted, not per query.
    assert first / 200 >= 0.97 and agree / 600 >= 0.97


def test_the_index_is_built_once_and_reopened_from_disk(small_threshold: Path) -> None:
    rows = _rows(900)
    owners = [str(i // 3) for i in range(len(rows))]
    VectorIndex(rows, owners)
    [saved] = small_threshold.glob("ann-*.faiss")
    stamp = saved.stat().st_mtime_ns
    again = VectorIndex(rows, owners)
    assert saved.stat().st_mtime_ns == stamp  # opened, not built again
    assert again.best_by_owner(rows[10], 1)[0][0] == "3"
    VectorIndex(_rows(900, seed=4), owners)
    assert len(list(small_threshold.glob("ann-*.faiss"))) == 2  # other vectors: another index


def test_a_large_vector_cache_is_read_as_a_memory_map(small_threshold: Path) -> None:
    texts = [f"question number {i}" for i in range(400)]
    model = CountingEmbedder()
    vectors.embed_cached(model, texts)
    mapped = vectors.embed_cached(model, texts)
    assert isinstance(mapped, np.memmap) and model.encoded == 400
    index = VectorIndex(mapped, [str(i) for i in range(400)])
    assert index.matrix is mapped and nearest.threshold() == 300
    small = vectors.embed_cached(model, texts[:10])
    assert not isinstance(small, np.memmap) and small.dtype == np.float32


def _cone(n_entries: int, dim: int = 384, seed: int = 5) -> np.ndarray[Any, Any]:
    """Rows shaped like the model's: a few hundred base vectors sharing one large common part, each entry's topic
    a mix of three of them, its three rows the topic plus a little noise (as bench/understanding.py makes them)."""
    rng = np.random.default_rng(seed)
    base = rng.standard_normal((200, dim)) * 0.6 + 2.0
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    picks, weights = rng.integers(0, 200, (n_entries, 3)), rng.dirichlet([1, 1, 1], n_entries)
    topics = (base[picks] * weights[:, :, None]).sum(1) + rng.standard_normal((n_entries, dim)) * 0.03
    rows = np.repeat(topics, 3, axis=0) + rng.standard_normal((3 * n_entries, dim)) * 0.015
    out: np.ndarray[Any, Any] = (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)
    return out


def test_rows_in_a_narrow_cone_still_find_their_entry(small_threshold: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The model's vectors share one large common part (any two questions have a cosine of 0.6 or more); the graph
    is built over the centred vectors, so the best entry is still found, with the model's own score."""
    rows = _cone(1000)
    assert float((rows[:300] @ rows[:300].T).min()) > 0.5  # a narrow cone indeed
    owners = [f"entry-{i // 3}" for i in range(len(rows))]
    approx = VectorIndex(rows, owners)
    monkeypatch.setenv("GASME_ANN_FROM", "0")
    exact = VectorIndex(rows, owners)
    rng = np.random.default_rng(9)
    first = 0
    for i in rng.integers(0, len(rows), 200):
        q = rows[i] + rng.standard_normal(rows.shape[1]).astype(np.float32) * 0.02
        q = (q / np.linalg.norm(q)).astype(np.float32)
        got, want = approx.best_by_owner(q, 1)[0], exact.best_by_owner(q, 1)[0]
        first += got[0] == want[0] and abs(got[1] - want[1]) < 1e-3
    assert first / 200 >= 0.97


def test_only_the_best_owners_are_rescored_and_each_ranking_keeps_its_own(small_threshold: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The graph's candidates are many; only the owners best among them are read in full (vectors.py). An owner
    that a correction (hubness offsets) lifts to the top must still be among them, with its exact score, though
    the cosines as they are rank it third."""
    rows = _rows(900)
    rng = np.random.default_rng(12)
    clusters = range(0, 300, 30)  # entries c..c+3 sit ever further from one topic: c the nearest
    for c in clusters:
        topic = rng.standard_normal(rows.shape[1])
        for step in range(4):
            near = topic + rng.standard_normal((3, rows.shape[1])) * (0.1 + 0.15 * step)
            rows[3 * (c + step):3 * (c + step) + 3] = near / np.linalg.norm(near, axis=1, keepdims=True)
    owners = [f"entry-{i // 3}" for i in range(len(rows))]
    approx = VectorIndex(rows, owners)
    monkeypatch.setenv("GASME_ANN_FROM", "0")
    exact = VectorIndex(rows, owners)
    monkeypatch.setattr(nearest, "RESCORED_OWNERS", 1)  # with k=1: the best 2 owners per ranking
    lifted = 0
    for c in clusters:
        q = rows[3 * c]
        top3 = [o for o, _ in exact.best_by_owner(q, 3)]
        offsets = np.zeros(len(rows), dtype=np.float32)
        offsets[[r for r, o in enumerate(owners) if o in top3[:2]]] = 0.5  # the two best pushed down
        got_plain, got_corrected = approx.rankings(q, 1, None, offsets)
        want_plain, want_corrected = exact.rankings(q, 1, None, offsets)
        assert got_plain[0][0] == want_plain[0][0] and abs(got_plain[0][1] - want_plain[0][1]) < 2e-3
        assert got_corrected[0][0] == want_corrected[0][0]
        assert abs(got_corrected[0][1] - want_corrected[0][1]) < 2e-3
        lifted += want_corrected[0][0] == top3[2]
    assert lifted == len(clusters)  # the case the test is about did happen every time
