"""Answer quality through the whole bot, held to floors that a regression would break.

The figures come from `python bench/faq_quality.py` (see its docstring for the data), with the default FAQ decision
(GASME_DECISION=calibrated). Its model was fitted on the `dev` splits of the GASME and second bases only; the
`heldout` splits, and the third base in full, were written without sight of the matcher and never tuned on. FAQ
floors sit 0.02 under what the bot reaches today; ceilings on wrong answers 0.02 over.
"""

from __future__ import annotations

import pytest

from bench.faq_quality import Scores, run

FLOORS = {
    "dev": {
        "gasme": {"answered_en": 0.72, "answered_zh": 0.73, "offered_en": 0.88, "offered_zh": 0.91,
                  "rejected_en": 0.91, "rejected_zh": 0.98},
        "second": {"answered_en": 0.59, "answered_zh": 0.52, "offered_en": 0.86, "offered_zh": 0.83,
                   "rejected_en": 0.86, "rejected_zh": 0.9, "near_miss_rejected_en": 0.75,
                   "near_miss_rejected_zh": 0.83},
        "third": {"answered_en": 0.37, "answered_zh": 0.26, "offered_en": 0.86, "offered_zh": 0.62,
                  "rejected_en": 0.86, "rejected_zh": 0.94, "near_miss_rejected_en": 0.73,
                  "near_miss_rejected_zh": 0.9},
        "intents": {"handoff_en": 0.76, "handoff_zh": 0.57, "not_handoff_en": 0.85, "not_handoff_zh": 0.76,
                    "smalltalk_en": 0.85, "smalltalk_zh": 0.9, "language_en": 0.9, "language_zh": 0.9,
                    "back_to_bot_en": 0.8, "back_to_bot_zh": 0.8},
    },
    "heldout": {
        "gasme": {"answered_en": 0.51, "answered_zh": 0.6, "offered_en": 0.77, "offered_zh": 0.86,
                  "rejected_en": 0.95, "rejected_zh": 0.98},
        "second": {"answered_en": 0.54, "answered_zh": 0.42, "offered_en": 0.86, "offered_zh": 0.81,
                   "rejected_en": 0.9, "rejected_zh": 0.86, "near_miss_rejected_en": 0.83,
                   "near_miss_rejected_zh": 0.75},
        "third": {"answered_en": 0.52, "answered_zh": 0.33, "offered_en": 0.8, "offered_zh": 0.65,
                  "rejected_en": 0.86, "rejected_zh": 0.9, "near_miss_rejected_en": 0.73,
                  "near_miss_rejected_zh": 0.9},
        "intents": {"handoff_en": 0.76, "handoff_zh": 0.66, "not_handoff_en": 0.9, "not_handoff_zh": 0.81,
                    "smalltalk_en": 0.9, "smalltalk_zh": 0.76, "language_en": 0.9, "language_zh": 0.81,
                    "back_to_bot_en": 0.66, "back_to_bot_zh": 0.85},
    },
}
WRONG_AT_MOST = {"dev": {"gasme": 0.03, "second": 0.09, "third": 0.02},
                 "heldout": {"gasme": 0.03, "second": 0.05, "third": 0.05}}


@pytest.fixture(scope="module", params=["dev", "heldout"])
def measured(request: pytest.FixtureRequest) -> tuple[str, dict[str, Scores]]:
    split: str = request.param
    return split, run(split)


def test_quality_floors(measured: tuple[str, dict[str, Scores]]) -> None:
    split, scores = measured
    for base, floors in FLOORS[split].items():
        for key, floor in floors.items():
            got = scores[base][key]
            assert got.rate >= floor, f"{split} {base} {key}: {got} < {floor}\n" + "\n".join(got.misses[:15])


def test_wrong_answers_stay_rare(measured: tuple[str, dict[str, Scores]]) -> None:
    split, scores = measured
    for base, ceiling in WRONG_AT_MOST[split].items():
        for lang in ("en", "zh"):
            got = scores[base][f"wrong_{lang}"]
            assert got.rate <= ceiling, f"{split} {base} wrong_{lang}: {got}\n" + "\n".join(got.misses)
