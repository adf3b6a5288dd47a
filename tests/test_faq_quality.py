"""Answer quality through the whole bot, held to floors that a regression would break.

The figures come from `python bench/faq_quality.py` (see its docstring for the data), with the default FAQ decision
(GASME_DECISION=thresholds; tests/test_calibrated.py holds the calibrated one). Thresholds were tuned on the
`dev` splits only; the `heldout` splits were written without sight of the matcher and never tuned on. Floors sit a
little under what the bot reaches today; ceilings on wrong answers a little over. The dev intents grew by four rounds
in members' voices on 2026-12-04, harder than the earlier ones: their floors sit under the new, lower totals.
"""

from __future__ import annotations

import pytest

from bench.faq_quality import Scores, run

FLOORS = {
    "dev": {
        "gasme": {"answered_en": 0.78, "answered_zh": 0.78, "offered_en": 0.88, "offered_zh": 0.9,
                  "rejected_en": 0.95, "rejected_zh": 0.95},
        # The glossary (bot/understanding/glossary.py) took Chinese answered from 0.50 to 0.57 and one more
        # out-of-scope English question to an answer ("is there parking at your singapore office?").
        # Members' words added to it on 2026-12-06 ("会员费", "退会" as "cancel membership") took Chinese to 0.64.
        # Sure offers (bot/understanding/sure_offers.py) took Chinese answered to 0.68 (third 0.67, fourth 0.64).
        "second": {"answered_en": 0.56, "answered_zh": 0.64, "offered_en": 0.9, "offered_zh": 0.91,
                   "rejected_en": 0.8, "rejected_zh": 0.84},
        # The hub correction (bot/understanding/hubness.py) took these from 0.35 / 0.24 answered, 0.82 / 0.76
        # offered.
        "third": {"answered_en": 0.46, "answered_zh": 0.62, "offered_en": 0.86, "offered_zh": 0.83,
                  "rejected_en": 0.84, "rejected_zh": 0.95},
        "intents": {"handoff_en": 0.95, "handoff_zh": 0.95, "not_handoff_en": 0.95, "not_handoff_zh": 0.95,
                    "smalltalk_en": 0.92, "smalltalk_zh": 0.92, "language_en": 0.85, "language_zh": 0.85,
                    "back_to_bot_en": 0.95, "back_to_bot_zh": 0.95, "register_en": 0.93, "register_zh": 0.92,
                    "my_registrations_en": 0.95, "my_registrations_zh": 0.92, "cancel_registration_en": 0.93,
                    "cancel_registration_zh": 0.93},
        # FAQ questions that also carry words of the calendar, bookings, staff or languages (tests/data/faq_rounds.yaml)
        # Answered since the corrected ranking answers beside the lexical reader; from round 29 the rounds hold near
        # misses and unrelated questions too ("rejected": left unanswered).
        # Round 33 (2026-12-06, 110 paraphrases of the bundled entries and 47 near misses or unrelated questions)
        # came in measured fresh at answered 0.66 / 0.55, offered 0.91 / 0.86, out of scope left 0.79 / 0.74.
        # Sure offers answered one more of its Chinese near misses (16 of 23 left alone).
        "gasme_rounds": {"offered_en": 0.92, "offered_zh": 0.88, "answered_en": 0.62, "answered_zh": 0.58,
                         "rejected_en": 0.75, "rejected_zh": 0.68},
        "second_rounds": {"offered_en": 0.88, "offered_zh": 0.9, "answered_en": 0.38, "answered_zh": 0.58,
                          "rejected_en": 0.73, "rejected_zh": 0.5},
        # Sure offers answered two more of its Chinese near misses (31 of 43 left alone).
        "third_rounds": {"offered_en": 0.9, "offered_zh": 0.86, "answered_en": 0.51, "answered_zh": 0.56,
                         # 0.7 until the glossed questions (gloss.py): "签证被拒了，你们能帮忙申诉吗？" became the
                         # visa appointment's; 35 more right answers on the dev sets. 0.69 until the members'
                         # adapter (adapter.py), fitted on these rounds' in-scope questions: with it the bot answers
                         # three more of their Chinese near misses (27 of 43 left alone). Read with the adapter
                         # fitted without the third base, as a new base would be, one more (29 of 43); held out, one
                         # fewer near miss answered.
                         "rejected_en": 0.56, "rejected_zh": 0.62},
        # The third base's intents (its dev split)
        "third_intents": {"handoff_en": 0.95, "handoff_zh": 0.95, "not_handoff_en": 0.95, "not_handoff_zh": 0.93,
                          "smalltalk_en": 0.92, "smalltalk_zh": 0.94, "register_event_en": 0.9,
                          "register_event_zh": 0.88},
        # The fourth base (written after every rule so far). Measured fresh: answered 0.72 / 0.47, offered 0.94 /
        # 0.92; intents handoff 0.90 / 1.00, not_handoff 1.00 / 0.90, register_event 0.80 / 1.00.
        "fourth": {"answered_en": 0.7, "answered_zh": 0.6, "offered_en": 0.94, "offered_zh": 0.9,
                   "rejected_en": 0.95, "rejected_zh": 0.8},
        "fourth_intents": {"handoff_en": 0.9, "handoff_zh": 0.9, "not_handoff_en": 0.9, "not_handoff_zh": 0.9,
                           "smalltalk_en": 0.9, "smalltalk_zh": 0.9, "register_event_en": 0.9,
                           "register_event_zh": 0.9},
        # The third base's second round of intent cases (intent_rounds.yaml), measured fresh: handoff 0.93 / 0.77,
        # not_handoff 1.00 / 1.00, small talk 1.00 / 0.90, register_event 0.90 / 0.95.
        "third_intent_rounds": {"handoff_en": 0.93, "handoff_zh": 0.93, "not_handoff_en": 0.95,
                                "not_handoff_zh": 0.95, "smalltalk_en": 0.9, "smalltalk_zh": 0.9,
                                "register_event_en": 0.9, "register_event_zh": 0.9},
        # The fourth base's second round of intent cases (intent_rounds.yaml), measured fresh: handoff 0.83 / 0.80,
        # not_handoff 1.00 / 1.00, small talk 0.90 / 0.95, register_event 0.95 / 0.95. Non-requests in English 0.95
        # until a sure offer no longer answers over a likely request for a person (sure_offers.answers): "Someone
        # phoned me claiming to be from AFBEA and asked for my portal password. Is that legit?" is now asked about
        # (120 of 127), where the development sets gained 6 requests.
        "fourth_intent_rounds": {"handoff_en": 0.93, "handoff_zh": 0.93, "not_handoff_en": 0.94,
                                 "not_handoff_zh": 0.95, "smalltalk_en": 0.9, "smalltalk_zh": 0.9,
                                 "register_event_en": 0.9, "register_event_zh": 0.9},
        # The fourth base's first FAQ round (round 32, 2026-12-06), measured fresh: answered 0.67 / 0.34, offered
        # 0.97 / 0.83, out of scope left 0.79 / 0.92; after the glossary's compounds and the asking clause read
        # alone: 0.77 / 0.41, 1.00 / 0.87, the same.
        # Sure offers answered one more of its Chinese near misses ("我们的样品被海关扣了 你们能帮忙去处理吗").
        # Out of scope left 0.75 / 0.84 until the members' adapter (adapter.py): fitted on this round's in-scope
        # questions, it answers one more English and two more Chinese near misses here (10 of 14, 20 of 26); read
        # with the adapter fitted without the fourth base, as a new base would be, the same as before (11, 22).
        "fourth_rounds": {"answered_en": 0.7, "answered_zh": 0.38, "offered_en": 0.95, "offered_zh": 0.84,
                          "rejected_en": 0.71, "rejected_zh": 0.76},
        # The second base's intent round (2026-12-06), measured fresh: handoff 0.88 / 0.90, not_handoff 0.95 /
        # 0.90, small talk 0.87 / 1.00.
        # Its round 35 (2026-12-06, 130 items more), measured fresh: handoff 0.88 / 0.84, not_handoff 0.95 / 0.90,
        # small talk 0.90 / 1.00, register_event 1.00 / 1.00.
        # Its round 39 (2026-12-06, 120 items more), measured fresh: handoff 0.80 / 0.80, not_handoff 1.00 / 0.96,
        # small talk 1.00 / 1.00.
        # Its rounds 47 and 48 (2026-12-07): requests for a person measured fresh 0.94 / 0.90, then all read; small
        # talk measured fresh 0.78, then 57 of 60 (three English ones left: a joke told as a question, "Anyone
        # there? Hello?", a "great week" the calendar takes), so small talk in English 50 of 53 in all.
        "second_intent_rounds": {"handoff_en": 0.95, "handoff_zh": 0.95, "not_handoff_en": 0.95,
                                 "not_handoff_zh": 0.95, "smalltalk_en": 0.93, "smalltalk_zh": 0.95,
                                 "register_event_en": 0.9, "register_event_zh": 0.9},
        # The bundled base's intent round (tests/data/intent_rounds.yaml, 2026-12-06), measured fresh: handoff 0.84
        # / 0.88, not_handoff 0.85 / 0.85, small talk 0.93 / 0.93, register_event 0.95 / 0.95. Four of its
        # messages that only ask for the association's phone, e-mail or address stay "handoffs": the bundled FAQ's
        # contact entry passes such questions to staff (`handoff: true`), as its staff chose.
        "gasme_intent_rounds": {"handoff_en": 0.95, "handoff_zh": 0.95, "not_handoff_en": 0.9,
                                "not_handoff_zh": 0.8, "smalltalk_en": 0.93, "smalltalk_zh": 0.93,
                                "register_event_en": 0.95, "register_event_zh": 0.95},
    },
    "heldout": {
        "gasme": {"answered_en": 0.58, "answered_zh": 0.66, "offered_en": 0.8, "offered_zh": 0.9,
                  "rejected_en": 0.92, "rejected_zh": 0.95},
        "second": {"answered_en": 0.56, "answered_zh": 0.48, "offered_en": 0.85, "offered_zh": 0.85,
                   "rejected_en": 0.84, "rejected_zh": 0.8},
        # Measured once the hub correction was in (answered 0.57 / 0.26, offered 0.88 / 0.74 before it), never
        # tuned on.
        # Sure offers (measured once, 2026-12-06): answered in Chinese 0.60 -> 0.64, one more near miss answered.
        "third": {"answered_en": 0.6, "answered_zh": 0.6, "offered_en": 0.83, "offered_zh": 0.85,
                  "rejected_en": 0.8, "rejected_zh": 0.85},
        "intents": {"handoff_en": 0.85, "handoff_zh": 0.8, "not_handoff_en": 0.95, "not_handoff_zh": 0.9,
                    "smalltalk_en": 0.95, "smalltalk_zh": 0.76, "language_en": 0.9, "language_zh": 0.95,
                    "back_to_bot_en": 0.8, "back_to_bot_zh": 0.9},
        # Measured once, after its dev round's fixes: answered 0.72 / 0.44, offered 0.92 / 0.94, never tuned on.
        # Sure offers took Chinese answered 0.58 -> 0.67.
        "fourth": {"answered_en": 0.66, "answered_zh": 0.6, "offered_en": 0.88, "offered_zh": 0.9,
                   "rejected_en": 0.9, "rejected_zh": 0.9},
        "fourth_intents": {"handoff_en": 0.85, "handoff_zh": 0.85, "not_handoff_en": 0.9, "not_handoff_zh": 0.9,
                           "smalltalk_en": 0.9, "smalltalk_zh": 0.9, "register_event_en": 0.9,
                           "register_event_zh": 0.85},
    },
}
WRONG_AT_MOST = {"dev": {"gasme": 0.03, "second": 0.08, "third": 0.03, "gasme_rounds": 0.05,
                         "second_rounds": 0.06, "third_rounds": 0.04, "fourth": 0.03, "fourth_rounds": 0.03},
                 "heldout": {"gasme": 0.05, "second": 0.08, "third": 0.05, "fourth": 0.05}}


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
