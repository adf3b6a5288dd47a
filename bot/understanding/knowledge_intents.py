"""intents.yaml: example phrases per intent (a person, small talk, registering, ...), in any language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.understanding.knowledge_yaml import Checker, LineLoader, Map, Problem, Seq, syntax_problem

# The intents a knowledge directory may give phrases for; a name with kinds takes a map of kind -> list.
INTENTS: dict[str, tuple[str, ...]] = {
    "handoff": (),
    "frustrated": (),  # the bot is not helping: offered a person (yes/no), never an FAQ answer
    "register": (), "my_registrations": (), "cancel_registration": (), "back_to_bot": (),
    "unsubscribe": (), "subscribe": (), "my_data": (), "delete_my_data": (),
    "mentions_staff": (),  # counter-examples: a message nearest to these expresses no intent
    "other_questions": (),  # more counter-examples: questions no FAQ entry covers, but no intent either
    "smalltalk": ("greeting", "thanks", "bye", "help"), "language": ("en", "zh"),
}


def load_intents(path: Path) -> tuple[list[tuple[str, tuple[str, ...]]], list[Problem]]:
    data, problems = _read(path)
    if data is None:
        return [], problems
    c = Checker(path.name)
    found: list[tuple[str, tuple[str, ...]]] = []
    for name, value in data.items():
        line = data.key_lines[name]
        if name not in INTENTS:
            c.add(line, str(name), f"unknown intent (known: {', '.join(INTENTS)})")
        elif not INTENTS[name]:
            got = _phrases(c, value, line, name)
            if got:
                found.append((name, got))
        else:
            found += _kinds(c, name, value, line)
    return found, c.problems


def _read(path: Path) -> tuple[Map | None, list[Problem]]:
    """The file as a map of intent names, or None with the problem (an empty file is an empty map)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)
    except UnicodeDecodeError as exc:
        return None, [Problem(path.name, 1, "(file)", f"not UTF-8 text ({exc.reason})")]
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(path.name, exc)]
    if data is None:
        return None, []
    if not isinstance(data, Map):
        return None, [Problem(path.name, getattr(data, "line", 1), "(file)",
                              "must map intent names to lists of phrases (e.g. 'handoff:')")]
    return data, []


def _kinds(c: Checker, name: str, value: Any, line: int) -> list[tuple[str, tuple[str, ...]]]:
    """An intent with kinds ("smalltalk": greeting, thanks ...): a map of kind to phrases, or a plain list for
    the first kind ("greeting", "en")."""
    kinds = INTENTS[name]
    if isinstance(value, Seq):
        value, value_lines = {kinds[0]: value}, {kinds[0]: line}
    elif isinstance(value, Map):
        value_lines = value.key_lines
    else:
        c.add(line, name, f"must map {', '.join(kinds)} to lists of phrases")
        return []
    found = []
    for kind, sub in value.items():
        if kind not in kinds:
            c.add(value_lines[kind], f"{name}.{kind}", f"unknown kind (allowed: {', '.join(kinds)})")
            continue
        got = _phrases(c, sub, value_lines[kind], f"{name}.{kind}")
        if got:
            found.append((f"{name}.{kind}", got))
    return found


def _phrases(c: Checker, value: Any, line: int, where: str) -> tuple[str, ...] | None:
    if not isinstance(value, Seq) or not value:
        c.add(line, where, "must be a list of example phrases (lines starting with '- ')")
        return None
    good = []
    for item, item_line in zip(value, value.item_lines, strict=True):
        if not isinstance(item, str) or not item.strip():
            c.add(item_line, where, f"{item!r} is not a phrase: write the words a member would type")
        elif len(item) > 300:
            c.add(item_line, where, "a phrase longer than 300 characters: shorten it")
        else:
            good.append(item.strip())
    return tuple(good)
