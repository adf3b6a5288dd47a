"""The hub correction (bot/understanding/hubness.py): rows that sit near every message lose part of their cosine,
so the entry a message asks about is not hidden behind a generic one; answers still need the cosine itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.understanding import gloss, hubness
from bot.understanding.knowledge_base import Library
from bot.understanding.meaning import Reader
from bot.understanding.vectors import VectorIndex

ROOT = Path(__file__).resolve().parent.parent


def _unit(rows: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    out: np.ndarray[Any, Any] = (rows / np.linalg.norm(rows, axis=-1, keepdims=True)).astype(np.float32)
    return out


def test_a_row_near_every_phrase_loses_and_a_lonely_row_gains() -> None:
    rng = np.random.default_rng(4)
    centre = rng.standard_normal(16)
    phrases = _unit(centre + rng.standard_normal((40, 16)) * 0.6)
    hub = _unit(centre)
    lonely = _unit(-centre + rng.standard_normal(16) * 0.1)
    others = _unit(centre + rng.standard_normal((30, 16)) * 0.8)
    rows = np.vstack([hub, lonely, others])
    off = hubness.offsets(len(rows), lambda a, b: rows[a:b], phrases)
    assert off[0] > 0 > off[1]
    assert off[0] == pytest.approx(off.max())
    # Centred on the rows the phrases reach: their mean offset is nought, so the best scores keep their scale.
    reached = (phrases @ rows.T).argmax(axis=1)
    assert float(off[reached].mean()) == pytest.approx(0.0, abs=1e-5)


def test_offsets_read_in_slices_equal_offsets_read_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    rows, phrases = _unit(rng.standard_normal((250, 8))), _unit(rng.standard_normal((30, 8)))
    whole = hubness.offsets(len(rows), lambda a, b: rows[a:b], phrases)
    monkeypatch.setattr(hubness, "_SLICE", 16)
    sliced = hubness.offsets(len(rows), lambda a, b: rows[a:b], phrases)
    np.testing.assert_allclose(sliced, whole, atol=1e-6)


def test_the_search_ranks_by_the_corrected_cosine() -> None:
    rows = _unit(np.array([[1.0, 0.2, 0.0], [1.0, 0.0, 0.25]]))
    index = VectorIndex(rows, ["generic", "specific"])
    query = _unit(np.array([1.0, 0.2, 0.15]))
    assert [o for o, _ in index.best_by_owner(query, 2)] == ["generic", "specific"]
    corrected = index.best_by_owner(query, 2, np.array([0.05, -0.02], dtype=np.float32))
    assert [o for o, _ in corrected] == ["specific", "generic"]
    assert corrected[0][1] == pytest.approx(float(rows[1] @ query) + 0.02, abs=1e-6)
    # A corrected score stays a score a cosine threshold can be held against: at most 1.
    assert index.best_by_owner(rows[1], 1, np.array([0.0, -0.05], dtype=np.float32)) == [("specific", 1.0)]


@pytest.fixture(scope="module")
def third() -> Library:
    """The third base without its questions' glosses (gloss.py), which now find these entries by the raw cosine
    too: the correction is shown on the staff's own rows."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(gloss, "rows", lambda questions, terms: [])
        return Library.load(ROOT / "tests" / "data" / "third_base")


@pytest.mark.parametrize(("question", "entry"), [("我的数据存在哪里，符合GDPR吗", "data-privacy"),
                                                 ("可以在你们网站发招聘吗", "job-board"),
                                                 ("怎么投稿当演讲嘉宾", "speaker-application")])
def test_a_chinese_question_finds_its_english_only_entry_behind_the_generic_ones(third: Library, question: str,
                                                                                 entry: str) -> None:
    """On the third base these were nearest to a password reset, a membership certificate and the newsletter by
    the raw cosine; corrected, the entry asked about comes first and is offered."""
    r = third.reader
    raw = Reader(r.knowledge, r.faq, r.embedder, r.faq_vectors, r.intent_vectors, intent_model=r.intent_model)
    assert raw.read(question).semantic_faq(1)[0][0] != entry
    reading = r.read(question)
    assert reading.semantic_faq(1)[0][0] == entry
    verdict = reading.faq_verdict()
    assert verdict.band in ("answer", "suggest") and verdict.options[0] == entry


def test_an_answer_still_needs_the_cosine_itself(third: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers are decided on the model's own cosines, as the thresholds were tuned: an entry the correction
    lifts to the top is offered, not answered (by the thresholds: sure offers, sure_offers.py, answer it now)."""
    monkeypatch.setattr(third.reader, "sure", None)
    reading = third.reader.read("我的个人信息你们存在哪里？会不会卖给别人")
    assert reading.semantic_faq(1)[0][0] == "data-privacy"
    assert reading.model_faq(1)[0][0] != "data-privacy"
    assert reading.faq_verdict().band == "suggest"


def test_a_large_base_keeps_its_offsets_between_starts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """From the size the approximate index takes over, the offsets are stored beside the vectors: a restart
    reads them instead of scoring every row again; a damaged file is computed again, never trusted."""
    monkeypatch.setenv("GASME_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("GASME_ANN_FROM", "100")
    rng = np.random.default_rng(6)
    index = VectorIndex(_unit(rng.standard_normal((120, 8))), [f"e{i // 2}" for i in range(120)])
    phrases = ["how do I join", "可以退款吗", "where is it", "报名截止是哪天"]
    vectors = _unit(rng.standard_normal((4, 8)))
    first = hubness.by_language(index, phrases, vectors)
    stored = list(tmp_path.glob("hub-offsets-*.npz"))
    assert len(stored) == 1

    def never(*args: object) -> None:
        raise AssertionError("computed again although stored")

    with monkeypatch.context() as m:
        m.setattr(hubness, "offsets", never)
        again = hubness.by_language(index, phrases, vectors)
    assert set(again) == {"en", "zh"}
    for lang in first:
        np.testing.assert_array_equal(again[lang], first[lang])
    # Other phrases are another key: computed, not read from the first file.
    other = hubness.by_language(index, phrases, _unit(rng.standard_normal((4, 8))))
    assert len(list(tmp_path.glob("hub-offsets-*.npz"))) == 2
    assert not np.array_equal(other["en"], first["en"])
    stored[0].write_bytes(b"not an npz file")
    repaired = hubness.by_language(index, phrases, vectors)
    np.testing.assert_array_equal(repaired["zh"], first["zh"])


def test_a_small_base_computes_its_offsets_without_storing_them(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("GASME_CACHE_DIR", str(tmp_path))
    rng = np.random.default_rng(7)
    index = VectorIndex(_unit(rng.standard_normal((30, 8))), [f"e{i}" for i in range(30)])
    found = hubness.by_language(index, ["how do I join", "可以退款吗"], _unit(rng.standard_normal((2, 8))))
    assert len(found["en"]) == len(found["zh"]) == 30
    assert not list(tmp_path.glob("hub-offsets-*"))


def test_the_calibrated_decision_is_built_without_offsets() -> None:
    """The calibrated model was fitted on the model's own cosines and never reads the correction: no start-up
    time is spent on it."""
    lib = Library.load(ROOT / "tests" / "data" / "third_base", decision="calibrated")
    assert lib.reader.model is not None
    assert lib.reader.faq_offsets == {}
