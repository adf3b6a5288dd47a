"""Conversation quality through the whole bot, held to floors that a regression would break.

The figures come from `python bench/conversation_quality.py` (data: tests/data/conversations.yaml). Follow-up
reading was tuned on the `dev` split only, and the floors are on it; the `heldout` figures are reported by the
bench. Floors sit a little under what the bot reaches today.
"""

from __future__ import annotations

import pytest

from bench.conversation_quality import Scores, run

# turns_zh, convos_zh: the dev round of mostly Chinese conversations written last (ids zh-d5NN) holds first questions
# that the FAQ reader offers rather than answers ("入会一年大概交多少钱", "联盟最早是谁牵头搞起来的"), as do three
# standalone ones (zh-d111, zh-d112, zh-d120); the follow-ups after them start from "did you mean".
FLOORS = {"turns_en": 0.99, "turns_zh": 0.93, "convos_en": 0.98, "convos_zh": 0.92,
          # The control set: follow-ups asked as first messages. A miss here is the FAQ reading a fragment on
          # its own ("由谁发起的呢" answered with the founding entry), never an answer from a context not there.
          "control_en": 0.9, "control_zh": 0.78}


@pytest.fixture(scope="module")
def dev() -> Scores:
    return run("dev")


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_dev_floors(dev: Scores, key: str) -> None:
    got = dev[key]
    assert got.rate >= FLOORS[key], f"dev {key}: {got} < {FLOORS[key]}\n" + "\n".join(got.misses[:10])


def test_every_kind_of_follow_up_is_mostly_right(dev: Scores) -> None:
    for key, rate in dev.items():
        if key.startswith("turns_") and key.count("_") >= 2 and "first_turn" not in key:
            assert rate.rate >= 0.85, f"dev {key}: {rate}\n" + "\n".join(rate.misses)


# The fresh bases' conversations (tests/data/<base>_base/conversations.yaml, dev only), each written from its files
# only. The third, after the follow-up reader was built on the bundled knowledge, measured fresh: turns 0.78 / 0.67,
# whole conversations 0.66 / 0.60; most misses are first questions the FAQ reader offers rather than answers, so their
# follow-ups start from "did you mean". The fourth, after every rule from the third, measured fresh: turns
# 0.71 / 0.67, whole conversations 0.53 / 0.60, control 0.92 / 1.00. The fourth's second round
# (conversation_rounds.yaml), after the first round's fixes, measured fresh: turns 0.78 / 0.71, whole 0.55 / 0.55,
# control 0.83 / 1.00. The third's second round, measured fresh: turns 0.74 / 0.73, whole 0.60 / 0.50, control
# 0.92 / 1.00.
FRESH_FLOORS = {
    "third": {"turns_en": 0.84, "turns_zh": 0.77, "convos_en": 0.77, "convos_zh": 0.71,
              "control_en": 0.93, "control_zh": 0.86},
    "fourth": {"turns_en": 0.85, "turns_zh": 0.86, "convos_en": 0.8, "convos_zh": 0.8,
               "control_en": 0.9, "control_zh": 0.9},
    "third-round2": {"turns_en": 0.74, "turns_zh": 0.7, "convos_en": 0.6, "convos_zh": 0.5,
                     "control_en": 0.9, "control_zh": 0.9},
    "fourth-round2": {"turns_en": 0.84, "turns_zh": 0.8, "convos_en": 0.65, "convos_zh": 0.6,
                      "control_en": 0.8, "control_zh": 0.9},
    # The second base's round (2026-12-06), measured fresh: turns 0.68 / 0.76, whole 0.45 / 0.55, control
    # 0.96 / 0.85; most misses are first questions offered rather than answered. Chinese turns 0.89 since the
    # glossary's words of 2026-12-06 and offers on the conversation's topic.
    "second": {"turns_en": 0.68, "turns_zh": 0.84, "convos_en": 0.45, "convos_zh": 0.7,
               "control_en": 0.92, "control_zh": 0.8},
    # The second base's second round (conversation_rounds.yaml, 2026-12-06), measured fresh: turns 0.59 / 0.78,
    # whole 0.45 / 0.65, control 1.00 / 1.00; most misses follow a first question offered rather than answered.
    "second-round2": {"turns_en": 0.55, "turns_zh": 0.74, "convos_en": 0.4, "convos_zh": 0.6,
                      "control_en": 0.9, "control_zh": 0.9},
}


@pytest.fixture(scope="module", params=sorted(FRESH_FLOORS))
def fresh_dev(request: pytest.FixtureRequest) -> tuple[str, Scores]:
    base: str = request.param
    return base, run("dev", base=base)


def test_fresh_base_floors(fresh_dev: tuple[str, Scores]) -> None:
    base, scores = fresh_dev
    for key, floor in FRESH_FLOORS[base].items():
        got = scores[key]
        assert got.rate >= floor, f"{base} {key}: {got} < {floor}\n" + "\n".join(got.misses[:10])
