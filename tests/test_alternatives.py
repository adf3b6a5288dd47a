"""A long alternation searched one alternative at a time (bot/understanding/alternatives.py) says yes exactly when
the whole pattern would."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.understanding import text
from bot.understanding.alternatives import AnyOf, top_level_alternatives
from handlers.handoff_words import ASK_HUMAN, PLAIN_REQUEST

DATA = Path(__file__).parent / "data"


def _messages(node: Any) -> list[str]:
    """Every member's message ("q") in a test data file."""
    if isinstance(node, dict):
        found = [node["q"]] if isinstance(node.get("q"), str) else []
        return found + [m for v in node.values() for m in _messages(v)]
    if isinstance(node, list):
        return [m for v in node for m in _messages(v)]
    return []


@pytest.fixture(scope="module")
def messages() -> list[str]:
    files = sorted(DATA.glob("*.yaml")) + sorted(DATA.glob("*_base/*.yaml"))
    found = [m for f in files for m in _messages(yaml.safe_load(f.read_text(encoding="utf-8")))]
    assert len(found) > 10_000
    # Every third: the whole patterns take about 0.65 ms a message, the reason for AnyOf.
    return [text.normalize(m) for m in found[::3]]


@pytest.mark.parametrize("pattern", [ASK_HUMAN, PLAIN_REQUEST], ids=["ASK_HUMAN", "PLAIN_REQUEST"])
def test_the_request_patterns_say_what_they_said_whole(pattern: AnyOf, messages: list[str]) -> None:
    said = [m for m in messages if pattern.found(m)]
    assert said == [m for m in messages if pattern.whole.search(m)]
    assert 300 < len(said) < len(messages)  # both answers occur: the comparison means something


def test_cutting_respects_groups_classes_and_escapes() -> None:
    pattern = r"a(b|c)|[|x]y|\|z|(?<!q)w|[]|]v|[^]|]u"
    assert top_level_alternatives(pattern) == ["a(b|c)", "[|x]y", r"\|z", "(?<!q)w", "[]|]v", "[^]|]u"]
    assert "|".join(top_level_alternatives(pattern)) == pattern
    either = AnyOf(pattern)
    for s in ("ab", "|y", "|z", "qw", "w", "|v", "xu", "q", "bc"):
        assert either.found(s) == bool(re.search(pattern, s)), s


def test_flags_written_first_hold_for_every_alternative() -> None:
    either = AnyOf(r"(?i)human|person")
    assert either.found("PERSON") and either.found("Human") and not either.found("people")
