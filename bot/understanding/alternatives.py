"""A long alternation of patterns, searched one alternative at a time.

Python's `re` tries every alternative of `a|b|c|...` at every position of the text. Compiled alone, most
alternatives begin with a literal ("给我", "\\bescalate") and the engine skips straight to the positions where that
literal stands; inside one big alternation that shortcut is lost. The request-for-a-person patterns
(handlers/handoff_words.py) hold about 170 alternatives: searched whole, they took 0.4 ms on "when was gasme
founded?" and 4.6 ms on a 240-character message, at least twice a turn (bench/webhook.py's profile, 2026-12-07);
searched one alternative at a time, the same answer comes in a fraction of that.

Whether any alternative matches somewhere is what the whole alternation's `search` tells too, so `found` gives
the same yes or no. Which alternative matched, and where, may differ: `whole` is kept for `sub` and for a match.
"""

from __future__ import annotations

import re

# Flags written at the very start ("(?i)") hold for the whole pattern, so they go in front of every alternative.
_GLOBAL_FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")


class AnyOf:
    """`found(text)`: whether `pattern` matches anywhere in `text`, one top-level alternative at a time."""

    def __init__(self, pattern: str, flags: int = 0):
        self.whole = re.compile(pattern, flags)
        lead = _GLOBAL_FLAGS.match(pattern)
        prefix = lead.group(0) if lead else ""
        parts = top_level_alternatives(pattern[len(prefix):])
        self.parts = tuple(re.compile(prefix + part, flags) for part in parts)

    def found(self, text: str) -> bool:
        return any(part.search(text) for part in self.parts)


def top_level_alternatives(pattern: str) -> list[str]:
    """`pattern` cut at each `|` outside groups, character classes and escapes: "|".join() of the result is
    `pattern` again."""
    out: list[str] = []
    start = depth = 0
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(pattern, i)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _class_end(pattern: str, i: int) -> int:
    """The index just after the character class opening at `i` ("[^]a]" counts its first "]" as a member)."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1
