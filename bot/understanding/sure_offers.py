"""Sure offers: a "did you mean" whose first entry is almost surely the one asked about is answered instead.

The thresholds (thresholds.py) offer buttons whenever neither reader is sure on its own; on the development sets the
first button was the right entry about 60 % of the time, and members had to tap for it. Which offers are safe to
answer is learned: a logistic model over the evidence both readers give about the first entry offered (the
calibrated decision's candidate features, calibrated.py, plus whether the lexical reader, the model's own cosines
and the hub-corrected cosines each put it first, and each ranking's lead, and how far the entry speaks of the
glossary's ideas the message speaks of: ideas.py), each feature once more for a Chinese
message, whose readings behave differently. An offer is answered when the model's probability that its first entry
is right reaches `answer_at`.

Fitted by bench/fit_offers.py on the development splits of all four bases (their rounds included), out-of-scope
questions and near misses counted as wrong; `answer_at` is chosen there with each base held out of the fit in turn,
so the figures it prints are those of a base the model never saw. The weights live in sure_offers.json.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.understanding import calibrated, ideas, intent_model
from bot.understanding import text as textmod
from bot.understanding.faq_index import FaqIndex, Match
from bot.understanding.vectors import F32, VectorIndex

if TYPE_CHECKING:
    from bot.understanding.meaning import Reading

DATA = Path(__file__).with_name("sure_offers.json")
READINGS = (
    "offers",  # how many entries are offered
    "lexical_first",  # the lexical reader puts the entry first
    "model_first",  # the model's own cosines put it first
    "corrected_first",  # the hub-corrected cosines put it first
    "model_lead",  # the model's best cosine minus its second
    "corrected_lead",  # the same, hub-corrected
    "model_cos",  # the model's best cosine
    "corrected_cos",  # the same, hub-corrected
    "lexical_and_corrected",  # the lexical reader and the corrected cosines agree on the entry
    "all_first",  # all three put it first
    "adapted_first",  # the members' adapter (adapter.py) puts it first
    "adapted_lead",  # the adapted ranking's best cosine minus its second
    "adapted_cos",  # the entry's cosine after the adapter
)
# The glossary's ideas of the message against the entry's (ideas.py): a near miss asks one idea more.
IDEA_FEATURES = (
    "ideas_left_out",  # how many of the message's ideas the entry's questions and answers never speak of
    "ideas_left_out_share",  # their share of the message's ideas
    "ideas_any_left_out",  # 1 when there is one
    "ideas_shared",  # how many the entry speaks of
)
BASE_FEATURES = (*calibrated.CANDIDATE_FEATURES, *calibrated.NONE_FEATURES[1:], *READINGS, *IDEA_FEATURES)
FEATURES = (*BASE_FEATURES, *(f"{name}_zh" for name in BASE_FEATURES))


@dataclass(frozen=True)
class Model:
    weights: F32
    bias: float
    mean: F32
    scale: F32
    answer_at: float

    def chance(self, features: F32) -> float:
        """The probability that the first entry offered is the one asked about."""
        u = float(((features - self.mean) / self.scale) @ self.weights) + self.bias
        return 1.0 / (1.0 + float(np.exp(-u)))


@cache
def load(path: Path = DATA) -> Model:
    """The fitted model; a malformed file is refused by name at start-up."""
    try:
        raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("features") != list(FEATURES):
            raise ValueError("its features are not the ones this code computes: run bench/fit_offers.py")
        weights, mean, scale = (np.asarray(raw[k], dtype=np.float32) for k in ("weights", "mean", "scale"))
        if any(v.shape != (len(FEATURES),) for v in (weights, mean, scale)):
            raise ValueError("a weight list has the wrong length")
        if not all(np.isfinite(v).all() for v in (weights, mean, scale)) or (scale <= 0).any():
            raise ValueError("a weight is not a finite number, or a scale is not positive")
        bias, answer_at = float(raw["bias"]), float(raw["answer_at"])
        if not 0 < answer_at <= 1:
            raise ValueError("answer_at must be in (0, 1]")
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: not a usable model of sure offers ({exc})") from exc
    return Model(weights, bias, mean, scale, answer_at)


def answers(reading: Reading, offered: Sequence[str], adapted: Sequence[tuple[str, float]]) -> bool:
    """Whether the reader's sure offers answer this offer with its first entry. Not for a message that, left an
    offer, would be asked about as a request for a person: "找个人跟我对一下账吧" beside the payment entry, "麻烦有人
    回拨给我" beside the phone number (an answer keeps the person classifier out: intent_model.person_verdict)."""
    sure = reading.reader.sure
    row = evidence(reading, offered, adapted) if sure is not None else None
    return sure is not None and row is not None and sure.chance(row) >= sure.answer_at and not _asks_person(reading)


def _asks_person(reading: Reading) -> bool:
    # The classifiers read here, not through Reading.intent_chances, which would ask the FAQ verdict being decided.
    vec, model, person = reading.vector(), reading.reader.intent_model, reading.reader.person_model
    if vec is None or model is None:
        return False
    request = person.chances(vec)[intent_model.PERSON] if person is not None else None
    return intent_model.person_verdict(model.chances(vec), request, answers=False) is not None


def evidence(reading: Reading, offered: Sequence[str], adapted: Sequence[tuple[str, float]]) -> F32 | None:
    """The features of an offer's first entry for one reading of a message (None without the embedding);
    `adapted`: the adapted ranking's best entries (adapter.ranking)."""
    vec, vectors = reading.vector(), reading.reader.faq_vectors
    if vec is None or vectors is None or not offered:
        return None
    shared = ideas.features(ideas.of(reading.text), reading.reader.ideas.of(offered[0]))
    return features(reading.text, offered, reading.lexical(), reading.model_faq(calibrated.SEMANTIC_K),
                    reading.semantic_faq(3), reading.reader.faq, vectors, vec, reading.reader.neighbour, shared,
                    adapted)


def features(text: str, offered: Sequence[str], lexical: Sequence[Match], model: Sequence[tuple[str, float]],
             corrected: Sequence[tuple[str, float]], faq: FaqIndex, vectors: VectorIndex, vec: F32,
             neighbour: float, shared: Sequence[float], adapted: Sequence[tuple[str, float]]) -> F32 | None:
    """The evidence about the first entry of an offer. `model`: the model's own best calibrated.SEMANTIC_K entries
    by cosine; `corrected`: the hub-corrected best 3 (the same as `model` without a correction); `shared`: the
    ideas' features (ideas.features); `adapted`: the adapted ranking's best entries, none without an adapter.
    None when the entry is no reader's candidate (nothing to go on)."""
    if not offered or not model:
        return None
    first = offered[0]
    found = calibrated.candidates(text, lexical, model, faq, vectors, vec, neighbour)
    if first not in found.ids:
        return None
    lf = float(bool(lexical) and lexical[0].id == first)
    mf = float(model[0][0] == first)
    cf = float(bool(corrected) and corrected[0][0] == first)
    readings = [float(len(offered)), lf, mf, cf, _lead(model), _lead(corrected), model[0][1],
                corrected[0][1] if corrected else 0.0, lf * cf, lf * mf * cf,
                float(bool(adapted) and adapted[0][0] == first), _lead(adapted),
                next((c for i, c in adapted if i == first), adapted[-1][1] if adapted else 0.0), *shared]
    row = [*found.features[found.ids.index(first)].tolist(), *found.none[1:].tolist(), *readings]
    zh = float(textmod.has_cjk(text))
    return np.asarray([*row, *(x * zh for x in row)], dtype=np.float32)


def _lead(ranked: Sequence[tuple[str, float]]) -> float:
    return ranked[0][1] - ranked[1][1] if len(ranked) > 1 else 0.0
