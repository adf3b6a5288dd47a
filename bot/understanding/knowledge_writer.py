"""Writing taught phrasings back into faq.yaml for version control. ruamel.yaml's round-trip mode keeps the
file's comments, order, quoting and flow style; only the new questions are added."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


def export_taught(path: Path, taught: Sequence[tuple[str, str]]) -> tuple[int, list[str]]:
    """Add each (entry id, phrasing) to its entry's `questions` unless there already. Returns (how many were
    added, entry ids not found in the file)."""
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap staff's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    data: Any = yaml.load(path.read_text(encoding="utf-8"))
    by_id = {str(e.get("id")): e for e in data or [] if hasattr(e, "get")}
    added = 0
    unknown: list[str] = []
    for entry_id, phrasing in taught:
        entry = by_id.get(entry_id)
        if entry is None:
            if entry_id not in unknown:
                unknown.append(entry_id)
            continue
        questions = entry.get("questions")
        if questions is None or phrasing in questions:
            continue
        questions.append(phrasing)
        added += 1
    if added:
        # Written beside the file and renamed: a bot reloading at that moment reads the old file or the new one.
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp",
                                         delete=False) as tmp:
            yaml.dump(data, tmp)
        os.replace(tmp.name, path)
    return added, unknown
