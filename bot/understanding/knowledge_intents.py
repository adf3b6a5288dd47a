"""intents.yaml: example phrases per intent (a person, small talk, registering, ...), in any language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.understanding.knowledge_yaml import Checker, LineLoader, Map, Problem, Seq

# The intents a knowledge directory may give phrases for; a name with kinds takes a map of kind -> list.
INTENTS: dict[str, tuple[str, ...]] = {
    "handoff": (), "register": (), "my_registrations": (), "cancel_registration": (), "back_to_bot": (),
    "unsubscribe": (), "subscribe": (), "my_data": (), "delete_my_data": (),
    "mentions_staff": (),  # counter-examples: a message nearest to these expresses no intent
    "smalltalk": ("greeting", "thanks", "bye", "help"), "language": ("en", "zh"),
}


def load_intents(path: Path) -> tuple[list[tuple[str, tuple[str, ...]]], list[Problem]]:
    c = Checker(path.name)
    found: list[tuple[str, tuple[str, ...]]] = []
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)
    except UnicodeDecodeError as exc:
        return found, [Problem(path.name, 1, "(file)", f"not UTF-8 text ({exc.reason})")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return found, [Problem(path.name, line, "(syntax)", f"YAML syntax error: {exc.problem}")]
    if data is None:
        return found, []
    if not isinstance(data, Map):
        return found, [Problem(path.name, getattr(data, "line", 1), "(file)",
                               "must map intent names to lists of phrases (e.g. 'handoff:')")]

    def phrases(value: Any, line: int, where: str) -> tuple[str, ...] | None:
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

    for name, value in data.items():
        line = data.key_lines[name]
        if name not in INTENTS:
            c.add(line, str(name), f"unknown intent (known: {', '.join(INTENTS)})")
            continue
        kinds = INTENTS[name]
        if not kinds:
            got = phrases(value, line, name)
            if got:
                found.append((name, got))
            continue
        if isinstance(value, Seq):  # a plain list: the first kind ("greeting", "en")
            value = {kinds[0]: value}
            value_lines = {kinds[0]: line}
        elif isinstance(value, Map):
            value_lines = value.key_lines
        else:
            c.add(line, name, f"must map {', '.join(kinds)} to lists of phrases")
            continue
        for kind, sub in value.items():
            if kind not in kinds:
                c.add(value_lines[kind], f"{name}.{kind}", f"unknown kind (allowed: {', '.join(kinds)})")
                continue
            got = phrases(sub, value_lines[kind], f"{name}.{kind}")
            if got:
                found.append((f"{name}.{kind}", got))
    return found, c.problems
