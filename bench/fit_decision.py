"""Fit the calibrated FAQ decision (bot/understanding/calibrated.py) and write bot/understanding/decision.json.

Data: the `dev` splits only of tests/data/paraphrases.yaml (the bundled GASME base) and
tests/data/second_base/paraphrases.yaml; never a held-out split, nor the third base (held out in full).
- each in-scope question: its entry is the right choice (or "none" when neither reader named it);
- each out-of-scope question (near misses included): "none";
- synthetic near misses: each in-scope question asked again with its entry taken out of both readers' lists, so
  that "none" is right and the entry's siblings are what remains (the entry's words and meaning are close to the
  question, its neighbours are not quite it: the shape of a real near miss).
The model is a conditional logit (a softmax over the candidates and "none") fitted by plain gradient descent with
an L2 penalty (numpy only). Then the thresholds: `answer_at` is the lowest probability at which, on these same
questions, wrong answers stay at most WRONG, real near misses answered at most NEAR, synthetic ones at most
SYNTHETIC and unrelated questions answered at most UNRELATED; `suggest_at` the highest at which the right entry is
still answered or offered for OFFERED of the in-scope questions.

Rerunnable (deterministic): python bench/fit_decision.py [--embedder e5] [--out bot/understanding/decision.json]
It prints the dev figures it reached; bench/faq_quality.py then gives the held-out ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faq_quality import BASES, load  # noqa: E402
from bot.understanding import calibrated  # noqa: E402
from bot.understanding.knowledge_base import Library  # noqa: E402
from bot.understanding.thresholds import DEFAULT  # noqa: E402

DEV_BASES = ("gasme", "second")
SYNTHETIC_WEIGHT = 0.5  # synthetic near misses are plentiful (one per question): they count half
L2 = 0.01
STEPS = 3000
# Error budgets on the dev questions (today's thresholds reach about these): wrong entries, real near misses
# answered, synthetic near misses answered, unrelated questions answered; and the share answered or offered.
WRONG, NEAR, SYNTHETIC, UNRELATED, OFFERED = 0.035, 0.25, 0.15, 0.05, 0.92


@dataclass
class Sample:
    found: calibrated.Candidates
    label: int  # index into found.ids, or len(found.ids) for "none"
    kind: str  # "in_scope", "near_miss", "unrelated", "synthetic"
    exact: str | None  # the lexical fast path's answer (the staff question asked verbatim), if it applies
    weight: float = 1.0


def samples(library: Library, cases: dict[str, Any]) -> list[Sample]:
    reader = library.reader
    vectors = reader.faq_vectors
    assert vectors is not None, "the calibrated decision needs an embedder"
    out: list[Sample] = []
    neighbour = calibrated.typical_neighbour(vectors)

    def add(q: str, want: str | None, kind: str, exclude: str | None = None) -> None:
        vec = reader.read(q).vector()
        if vec is None:
            return
        lexical = [m for m in library.faq.search(q, calibrated.LEXICAL_K + 1) if m.id != exclude]
        lexical = lexical[:calibrated.LEXICAL_K]
        semantic = [s for s in vectors.best_by_owner(vec, calibrated.SEMANTIC_K + 1) if s[0] != exclude]
        semantic = semantic[:calibrated.SEMANTIC_K]
        found = calibrated.candidates(q, lexical, semantic, library.faq, vectors, vec, neighbour)
        label = found.ids.index(want) if want in found.ids else len(found.ids)
        exact = lexical[0].id if lexical and lexical[0].score >= DEFAULT.lexical_exact else None
        out.append(Sample(found, label, kind, exact, SYNTHETIC_WEIGHT if kind == "synthetic" else 1.0))

    for item in cases["in_scope"]:
        add(item["q"], item["id"], "in_scope")
        add(item["q"], None, "synthetic", exclude=item["id"])
    for item in cases["out_of_scope"]:
        add(item["q"], None, "near_miss" if item.get("kind") == "near_miss" else "unrelated")
    return out


def fit(data: list[Sample]) -> calibrated.Model:
    rows = np.concatenate([s.found.features for s in data if len(s.found.ids)])
    mean, scale = rows.mean(axis=0), rows.std(axis=0) + 1e-3
    k, f, g = max(len(s.found.ids) for s in data), len(calibrated.CANDIDATE_FEATURES), len(calibrated.NONE_FEATURES)
    x = np.zeros((len(data), k, f))
    mask = np.zeros((len(data), k), dtype=bool)
    none = np.array([s.found.none for s in data], dtype=np.float64)
    y = np.zeros((len(data), k + 1))
    for b, s in enumerate(data):
        n = len(s.found.ids)
        x[b, :n] = (s.found.features - mean) / scale
        mask[b, :n] = True
        y[b, s.label if s.label < n else k] = 1.0
    weight = np.array([s.weight for s in data])[:, None]
    w, v = np.zeros(f), np.zeros(g)
    # Adam: the features are standardised, so one step size serves all.
    m_w, s_w, m_v, s_v = np.zeros(f), np.zeros(f), np.zeros(g), np.zeros(g)
    for t in range(1, STEPS + 1):
        u = np.where(mask, x @ w, -np.inf)
        u = np.concatenate([u, (none @ v)[:, None]], axis=1)
        p = np.exp(u - u.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        d = weight * (p - y) / weight.sum()
        grad_w = np.einsum("bk,bkf->f", d[:, :k], x) + L2 * w
        grad_v = d[:, k] @ none + L2 * np.r_[0.0, v[1:]]  # the bias is not penalised
        for grad, first, second, par in ((grad_w, m_w, s_w, w), (grad_v, m_v, s_v, v)):
            first[:] = 0.9 * first + 0.1 * grad
            second[:] = 0.999 * second + 0.001 * grad**2
            par -= 0.05 * (first / (1 - 0.9**t)) / (np.sqrt(second / (1 - 0.999**t)) + 1e-8)
    f32 = np.float32
    return calibrated.Model(w.astype(f32), v.astype(f32), mean.astype(f32), scale.astype(f32), 0.5, 0.1)


def outcome(model: calibrated.Model, s: Sample) -> tuple[str | None, tuple[str, ...]]:
    """What the bot would answer (an entry or None) and offer."""
    if s.exact is not None:
        return s.exact, ()
    band, ids, _ = calibrated.decide(model, s.found)
    return (ids[0] if band == "answer" else None), ids


def figures(model: calibrated.Model, data: list[Sample]) -> dict[str, float]:
    counts: dict[str, list[int]] = {}
    for s in data:
        answer, offered = outcome(model, s)
        want = s.found.ids[s.label] if s.label < len(s.found.ids) else None
        lang = "zh" if s.found.none[1] else "en"

        def count(name: str, hit: bool) -> None:
            c = counts.setdefault(name, [0, 0])
            c[0] += hit
            c[1] += 1

        if s.kind == "in_scope":
            count(f"answered_{lang}", answer is not None and answer == want)
            count("wrong", answer is not None and answer != want)
            count("offered", want is not None and (answer == want or want in offered))
        else:
            count(f"{s.kind}_answered", answer is not None)
    return {k: round(hit / total, 3) for k, (hit, total) in sorted(counts.items())}


def thresholds(model: calibrated.Model, data: list[Sample]) -> calibrated.Model:
    def with_(answer_at: float, suggest_at: float) -> calibrated.Model:
        return calibrated.Model(model.weights, model.none_weights, model.mean, model.scale, answer_at, suggest_at)

    grid = [round(a, 2) for a in np.arange(0.30, 0.96, 0.01)]
    answer_at = grid[-1]
    for a in grid:  # the lowest that keeps errors within the budget: the most answers
        fig = figures(with_(a, min(a, 0.1)), data)
        if fig["wrong"] <= WRONG and fig["near_miss_answered"] <= NEAR and fig["unrelated_answered"] <= UNRELATED \
                and fig["synthetic_answered"] <= SYNTHETIC:
            answer_at = a
            break
    suggest_at = 0.02
    for s in (round(x, 2) for x in np.arange(0.30, 0.01, -0.01)):  # the highest that still offers enough
        if s <= answer_at and figures(with_(answer_at, s), data)["offered"] >= OFFERED:
            suggest_at = s
            break
    return with_(answer_at, suggest_at)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedder", default="e5")
    ap.add_argument("--out", type=Path, default=calibrated.DATA)
    args = ap.parse_args()
    data: list[Sample] = []
    for name in DEV_BASES:
        kdir, questions = BASES[name]
        data += samples(Library.load(kdir, args.embedder, "thresholds"), load(questions)["dev"])  # no model yet
    model = thresholds(fit(data), data)
    print("dev (fitted on):", figures(model, data))
    for name, wt in zip(calibrated.CANDIDATE_FEATURES, model.weights / model.scale, strict=True):
        print(f"  {name:15s} {wt:+.2f} per unit")
    out = {
        "about": "Weights of the calibrated FAQ decision (bot/understanding/calibrated.py), written by "
                 "bench/fit_decision.py from the dev splits of the GASME and second bases; do not edit by hand.",
        "features": list(calibrated.CANDIDATE_FEATURES),
        "weights": [round(float(a), 4) for a in model.weights],
        "mean": [round(float(a), 5) for a in model.mean],
        "scale": [round(float(a), 5) for a in model.scale],
        "none_features": list(calibrated.NONE_FEATURES),
        "none_weights": [round(float(a), 4) for a in model.none_weights],
        "answer_at": model.answer_at,
        "suggest_at": model.suggest_at,
        "dev_figures": figures(model, data),
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
