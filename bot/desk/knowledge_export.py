"""`gasme-bot knowledge export DIR`: the knowledge files with every dashboard edit written in (bot/desk/
knowledge_edits.py holds the edits; bot/understanding/knowledge_writer.py keeps each file's comments, order and
layout). Exported, the files and the edits agree, so the edits no longer override anything."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from bot.desk import knowledge_edits
from bot.understanding import knowledge_writer

FILES = {"faq": "faq.yaml", "event": "events.yaml"}


def export(db: Engine, source: Path, target: Path) -> dict[str, int]:
    """Copy the knowledge directory to `target` (unless the same) and apply the edits to its faq.yaml and
    events.yaml; returns how many items changed per file."""
    if source.resolve() != target.resolve():
        shutil.copytree(source, target, dirs_exist_ok=True)
    with db.connect() as conn:
        latest = knowledge_edits.latest(conn)
    changed: dict[str, int] = {}
    for kind, name in FILES.items():
        edits: dict[str, dict[str, Any] | None] = {
            item_id: None if knowledge_edits.hidden(data) or data is None else knowledge_edits.checkable(data)
            for (k, item_id), data in latest.items() if k == kind}
        path = target / name
        original = path.read_text(encoding="utf-8") if path.is_file() else ""
        data = knowledge_writer.load(path)
        changed[name] = knowledge_writer.apply_edits(data, edits)
        if changed[name]:
            knowledge_writer.write(path, knowledge_writer.dump(data, original))
    return changed
