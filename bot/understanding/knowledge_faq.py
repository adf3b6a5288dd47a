"""faq.yaml: the entries members' questions are answered from."""

from __future__ import annotations

from pathlib import Path

from bot.understanding.knowledge_model import FaqEntry
from bot.understanding.knowledge_yaml import Checker, Map, Problem

FAQ_FIELDS = {"id", "questions", "answer", "handoff", "tags"}


def load_faq(path: Path) -> tuple[list[FaqEntry], list[Problem]]:
    c = Checker(path.name)
    data = c.load_list(path)
    entries: list[FaqEntry] = []
    if data is None:
        return entries, c.problems
    seen: dict[str, int] = {}
    for n, (item, line) in enumerate(zip(data, data.item_lines, strict=True)):
        where = f"entry {n + 1}"
        if not isinstance(item, Map):
            c.add(line, where, "each entry must be a map with id, questions and answer")
            continue
        entry_id = c.want_id(item, where, seen)
        if entry_id:
            where = f"entry {entry_id!r}"
        c.check_keys(item, where, FAQ_FIELDS, {"id", "questions", "answer"})
        questions = c.want_str_list(item, "questions", where, required=True)
        answer = c.want_text(item, "answer", where)
        handoff = c.want_bool(item, "handoff", where)
        tags = c.want_str_list(item, "tags", where, required=False)
        if entry_id and questions and answer and tags is not None:
            entries.append(FaqEntry(entry_id, questions, answer, handoff, tags))
    return entries, c.problems
