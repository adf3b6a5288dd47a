"""Fit sure offers (bot/understanding/sure_offers.py) and write bot/understanding/sure_offers.json.

Data: the `dev` splits only of the four bases (bench/faq_quality.py's BASES) and their FAQ rounds
(tests/data/faq_rounds.yaml); never a held-out split. Every question the thresholds answer with "did you mean"
(an embedded message) is a sample: right when the first entry
offered is the question's own, wrong when it is another entry or the question is out of scope (near misses
included). The control messages of the bases' development conversations (bench/conversation_quality.py) count too:
asked with nothing before them, most must not be answered.

The model is a logistic regression (numpy, plain gradient descent with an L2 penalty). `answer_at` is chosen with
each base left out of the fit in turn (its rounds with it), so that the figures are those of a base the model never
saw: the lowest probability at which the offers it would answer are right at least PRECISION of the time. The model
written is then fitted on all four bases.

Rerunnable (deterministic): python bench/fit_offers.py [--embedder e5] [--out bot/understanding/sure_offers.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import fit_adapter  # noqa: E402
from bench.conversation_quality import BASES as CONVERSATIONS  # noqa: E402
from bench.faq_quality import BASES, ROUNDS, load  # noqa: E402
from bot.understanding import adapter, sure_offers  # noqa: E402
from bot.understanding.knowledge_base import Library  # noqa: E402

PRECISION = 0.9
L2 = 0.003
STEPS = 3000
Array = np.ndarray[Any, np.dtype[np.float64]]


@dataclass
class Sample:
    base: str
    lang: str
    features: Array
    right: bool
    kind: str  # "in_scope", "near_miss", "unrelated", "fragment"


def _questions(name: str) -> Iterator[tuple[str, str, str | None, str]]:
    """(question, language, the right entry or None, kind) of a base's dev split and its rounds, and the control
    messages of its conversations' dev splits (a follow-up asked with nothing before it: "any German ones?",
    "开几天？"; most must get no specific answer)."""
    sets = [load(BASES[name][1])["dev"], load(ROUNDS).get(name, {})]
    for cases in sets:
        for item in cases.get("in_scope", []):
            yield item["q"], item["lang"], item["id"], "in_scope"
        for item in cases.get("out_of_scope", []):
            yield item["q"], item["lang"], None, "near_miss" if item.get("kind") == "near_miss" else "unrelated"
    for kdir, path in CONVERSATIONS.values():
        if kdir == BASES[name][0]:
            for item in load(path)["dev"]["control"]:
                want = item["expect"].get("faq")
                yield item["q"], item["lang"], want, "in_scope" if want else "fragment"


def samples(name: str, library: Library) -> list[Sample]:
    reader = library.reader
    reader.sure = None  # the offers as the thresholds make them
    out = []
    for q, lang, want, kind in _questions(name):
        reading = reader.read(q)
        verdict = reading.plain_verdict()
        row = sure_offers.evidence(reading, verdict.options, adapter.ranking(reading)) \
            if verdict.band == "suggest" else None
        if row is not None:
            out.append(Sample(name, lang, row.astype(np.float64), verdict.options[0] == want, kind))
    return out


def fit(x: Array, y: Array) -> sure_offers.Model:
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-3
    z = np.c_[(x - mean) / scale, np.ones(len(x))]
    w = np.zeros(z.shape[1])
    first, second = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, STEPS + 1):  # Adam: the features are standardised, so one step size serves all
        p = 1.0 / (1.0 + np.exp(-z @ w))
        grad = z.T @ (p - y) / len(y) + L2 * np.r_[w[:-1], 0.0]  # the bias is not penalised
        first = 0.9 * first + 0.1 * grad
        second = 0.999 * second + 0.001 * grad**2
        w -= 0.05 * (first / (1 - 0.9**t)) / (np.sqrt(second / (1 - 0.999**t)) + 1e-8)
    f32 = np.float32
    return sure_offers.Model(w[:-1].astype(f32), float(w[-1]), mean.astype(f32), scale.astype(f32), 1.0)


def held_out_chances(data: list[Sample]) -> Array:
    """Each sample's probability from a model fitted without its base."""
    out = np.zeros(len(data))
    bases = np.array([s.base for s in data])
    x = np.array([s.features for s in data])
    y = np.array([float(s.right) for s in data])
    for base in sorted(set(bases)):
        model = fit(x[bases != base], y[bases != base])
        out[bases == base] = [model.chance(row.astype(np.float32)) for row in x[bases == base]]
    return out


def figures(data: list[Sample], chances: Array, at: float) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s, p in zip(data, chances, strict=True):
        if p >= at:
            key = f"{s.base}_{s.lang}_" + ("right" if s.right else "wrong" if s.kind == "in_scope" else s.kind)
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def choose(data: list[Sample], chances: Array) -> float:
    def right(at: float) -> int:
        return sum(s.right for s, p in zip(data, chances, strict=True) if p >= at)

    grid = [round(a, 2) for a in np.arange(0.50, 1.0, 0.01)]
    for at in grid:  # the lowest (the most answers) whose answers are right often enough
        answered = int((chances >= at).sum())
        if answered and right(at) / answered >= PRECISION:
            return at
    return 1.0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedder", default="e5")
    ap.add_argument("--out", type=Path, default=sure_offers.DATA)
    args = ap.parse_args()
    # The weights being refitted may not fit this code (a feature was added): the readers are built without them,
    # as samples() reads the offers anyway.
    sure_offers.load = lambda path=sure_offers.DATA: None  # type: ignore[assignment]
    # Each base is read with the members' adapter fitted without it (adapter.py), as a new base would be.
    adapters = fit_adapter.left_out(args.embedder)
    data: list[Sample] = []
    for name, (kdir, _) in BASES.items():
        library = Library.load(kdir, args.embedder, "thresholds")
        library.reader.adapter = adapters[name] if library.reader.adapter is not None else None
        data += samples(name, library)
    chances = held_out_chances(data)
    at = choose(data, chances)
    print(f"{len(data)} offers, first entry right in {sum(s.right for s in data)}; answer_at {at}")
    print("answered, each base left out of the fit:", figures(data, chances, at))
    model = fit(np.array([s.features for s in data]), np.array([float(s.right) for s in data]))
    out = {
        "about": "Weights of sure offers (bot/understanding/sure_offers.py), written by bench/fit_offers.py from the "
                 "dev splits of the four bases and their rounds; do not edit by hand.",
        "features": list(sure_offers.FEATURES),
        "weights": [round(float(a), 4) for a in model.weights],
        "bias": round(model.bias, 4),
        "mean": [round(float(a), 5) for a in model.mean],
        "scale": [round(float(a), 5) for a in model.scale],
        "answer_at": at,
        "offers": len(data),
        "answered_with_each_base_left_out": figures(data, chances, at),
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
