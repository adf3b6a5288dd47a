"""The calibrated FAQ decision (bot/understanding/calibrated.py): what it answers, what it leaves alone, the
shipped weights, and the setting that chooses it."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from bot.app.settings import Settings, SettingsError
from bot.understanding import calibrated
from bot.understanding.knowledge_base import Library

SECOND = Path(__file__).parent / "data" / "second_base"


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load(SECOND, decision="calibrated")


def test_a_clear_paraphrase_is_answered(library: Library) -> None:
    verdict = library.reader.read("how much is the membership fee?").faq_verdict()
    assert (verdict.band, verdict.options) == ("answer", ("membership-fee",))


# "会费可以分期付吗" was here too: since the glossary reads 会费 as "membership fee" and 付 beside it, both decisions
# answer it with the payment methods (a near miss answered; docs/quality-and-speed.md's figures count it).
@pytest.mark.parametrize("question", [
    "can I pay the membership fee in 12 monthly installments?",
    "can we pay our dues in instalments?",
])
def test_a_near_miss_gets_no_answer(library: Library, question: str) -> None:
    assert library.reader.read(question).faq_verdict().band != "answer"


def test_the_staff_question_verbatim_is_answered_without_embedding(library: Library) -> None:
    entry = library.knowledge.faq[0]
    reading = library.reader.read(entry.questions[0])
    assert reading.faq_verdict().options == (entry.id,)
    assert reading.known_vector() is None


def test_probability_falls_as_the_uncovered_share_rises(library: Library) -> None:
    """Whatever the rest of the evidence, words of the message the entry has nowhere count against it."""
    model = calibrated.load()
    reading = library.reader.read("how much is the yearly fee for a small company")
    vec, vectors = reading.vector(), library.reader.faq_vectors
    assert vec is not None and vectors is not None
    found = calibrated.candidates(reading.text, reading.lexical(), reading.semantic_faq(calibrated.SEMANTIC_K),
                                  library.faq, vectors, vec, library.reader.neighbour)
    column = calibrated.CANDIDATE_FEATURES.index("uncovered")
    first = []
    for share in (0.0, 0.3, 0.6, 0.9):
        features = found.features.copy()
        features[0, column] = share
        first.append(float(model.probabilities(features, found.none)[0]))
    assert all(a > b for a, b in itertools.pairwise(first)), first


def test_uncovered_counts_the_words_an_entry_lacks(library: Library) -> None:
    covered = library.faq.uncovered("membership fee", "membership-fee")
    assert covered == 0.0
    assert library.faq.uncovered("membership fee in monthly installments", "membership-fee") > 0.3


def test_the_shipped_weights_load() -> None:
    model = calibrated.load()
    assert 0 < model.suggest_at <= model.answer_at < 1
    assert model.weights.shape == (len(calibrated.CANDIDATE_FEATURES),)


@pytest.mark.parametrize(("change", "says"), [
    (lambda d: d.update(weights=d["weights"][:-1]), "wrong length"),
    (lambda d: d.update(features=d["features"][::-1]), "run bench/fit_decision.py"),
    (lambda d: d.pop("answer_at"), "answer_at"),
    (lambda d: d.update(answer_at=0.01, suggest_at=0.5), "suggest_at <= answer_at"),
    (lambda d: d.update(scale=[0.0] * len(d["scale"])), "scale"),
])
def test_a_malformed_weights_file_is_refused_by_name(tmp_path: Path, change: object, says: str) -> None:
    data = json.loads(calibrated.DATA.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="not a usable decision model") as caught:
        calibrated.load(path)
    assert says in str(caught.value) and str(path) in str(caught.value)
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.json"):
        calibrated.load(tmp_path / "broken.json")


def test_decide_answers_suggests_or_leaves_alone() -> None:
    model = dataclasses.replace(calibrated.load(), answer_at=0.6, suggest_at=0.2)
    rows = np.zeros((2, len(calibrated.CANDIDATE_FEATURES)), dtype=np.float32)
    found = calibrated.Candidates(("a", "b"), rows, np.zeros(len(calibrated.NONE_FEATURES), dtype=np.float32))
    band, _, p = calibrated.decide(model, found)  # two equal candidates and a none: nobody reaches 0.6
    assert band in ("suggest", "none") and len(p) == 2 and abs(p[0] - p[1]) < 1e-6
    assert calibrated.decide(model, calibrated.Candidates((), rows[:0], found.none))[0] == "none"


def test_the_setting_switches_designs(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.from_env({}).decision == "thresholds"  # the default: it answers more on the bundled base
    assert Settings.from_env({"GASME_DECISION": "Calibrated"}).decision == "calibrated"
    with pytest.raises(SettingsError, match="GASME_DECISION must be one of calibrated, thresholds, not 'ml'"):
        Settings.from_env({"GASME_DECISION": "ml"})
    monkeypatch.setenv("GASME_DECISION", "thresholds")
    old = Library.load(SECOND)
    assert old.reader.model is None
    monkeypatch.setenv("GASME_DECISION", "calibrated")
    new = Library.load(SECOND)
    assert new.reader.model is not None
    # Without an embedder there is nothing for the model to read: the thresholds' lexical bands decide.
    assert Library.load(SECOND, embedder_name="none").reader.model is None
