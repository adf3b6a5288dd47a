"""synonyms.yaml (optional): groups of words and phrases the matcher treats as one."""

from __future__ import annotations

from pathlib import Path

from bot.understanding.knowledge_yaml import Checker, Problem
from bot.understanding.text import content_tokens


def load_synonyms(path: Path) -> tuple[list[tuple[str, ...]], list[Problem]]:
    c = Checker(path.name)
    data = c.load_list(path)
    groups: list[tuple[str, ...]] = []
    if data is None:
        return groups, c.problems
    seen: dict[tuple[str, ...], tuple[int, int, str]] = {}  # matcher form -> (group, line, as written)
    for n, (item, line) in enumerate(zip(data, data.item_lines, strict=True)):
        if not isinstance(item, list) or len(item) < 2 or not all(isinstance(w, str) and w.strip() for w in item):
            c.add(line, f"group {n + 1}", "each group must be a list of two or more words or phrases")
            continue
        groups.append(tuple(w.strip() for w in item))
        # The matcher compares word stems ("exhibition" and "exhibit" are one word to it): a word may stand in
        # one group only, or the groups would silently merge.
        for word in item:
            form = tuple(content_tokens(word))
            if not form:
                c.add(line, f"group {n + 1}", f"{word!r} is only filler words (like 'how many'); leave it out")
            elif form in seen and seen[form][0] != n:
                other_group, other_line, other_word = seen[form]
                c.add(line, f"group {n + 1}", f"{word!r} is the same word to the matcher as {other_word!r} in group "
                      f"{other_group + 1} (line {other_line}); keep it in one group")
            else:
                seen.setdefault(form, (n, line, word))
    return groups, c.problems
