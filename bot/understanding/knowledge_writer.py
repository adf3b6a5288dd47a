"""Writing what staff changed outside the files back into them, for version control: taught phrasings
(`knowledge export-taught`) and dashboard edits (`knowledge export`). ruamel.yaml's round-trip mode keeps the
file's comments, order, quoting and flow style; only what changed is touched, so one added phrasing is a
one-line diff.

ruamel.yaml applies one indentation to every level, while our files put the top-level list at column 0 and
nested lists two spaces in: the file is dumped with nested lists indented, and then moved two columns left when
the original had its items at column 0."""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

_TOP_AT_COLUMN_0 = re.compile(r"^- ", re.MULTILINE)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap staff's long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(path: Path) -> Any:
    return _yaml().load(path.read_text(encoding="utf-8")) if path.is_file() else CommentedSeq()


def dump(data: Any, original: str) -> str:
    """The data as YAML in the original file's layout."""
    buf = io.StringIO()
    _yaml().dump(data, buf)
    text = buf.getvalue()
    if _TOP_AT_COLUMN_0.search(original) or not original.strip():
        text = "".join(line[2:] if line.startswith("  ") else line for line in text.splitlines(keepends=True))
    return text


def write(path: Path, text: str) -> None:
    """Written beside the file and renamed: a bot reloading at that moment reads the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as tmp:
        tmp.write(text)
    os.replace(tmp.name, path)


def export_taught(path: Path, taught: Sequence[tuple[str, str]]) -> tuple[int, list[str]]:
    """Add each (entry id, phrasing) to its entry's `questions` unless there already. Returns (how many were
    added, entry ids not found in the file)."""
    original = path.read_text(encoding="utf-8")
    data: Any = _yaml().load(original)
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
        write(path, dump(data, original))
    return added, unknown


# --- dashboard edits --------------------------------------------------------------------------------------------


def _like(old: Any, new: Any) -> Any:
    """The new value in the old one's style: a flow map stays a flow map, a folded answer stays folded, a time
    stays a time (not a quoted string)."""
    if isinstance(old, datetime) and isinstance(new, str):
        try:
            return datetime.fromisoformat(new)
        except ValueError:
            return new
    if isinstance(new, Mapping):
        out = CommentedMap()
        for k, v in new.items():
            out[k] = _like(old.get(k) if isinstance(old, Mapping) else None, v)
        if isinstance(old, CommentedMap) and old.fa.flow_style():
            out.fa.set_flow_style()
        return out
    if isinstance(new, list):
        seq = CommentedSeq(new)
        if isinstance(old, CommentedSeq) and old.fa.flow_style():
            seq.fa.set_flow_style()
        return seq
    if isinstance(new, str) and isinstance(old, FoldedScalarString | LiteralScalarString):
        return type(old)(new)
    return new


def _same(old: Any, new: Any) -> bool:
    return bool(old == new or (isinstance(old, datetime) and isinstance(new, str) and _like(old, new) == old))


def _update(item: CommentedMap, new: Mapping[str, Any]) -> None:
    """Change only the fields that differ, in place (comments and the order of keys stay)."""
    for key in [k for k in item if k not in new]:
        del item[key]
    for key, value in new.items():
        if key not in item or not _same(item[key], value):
            item[key] = _like(item.get(key), value)


def apply_edits(data: Any, edits: Mapping[str, Mapping[str, Any] | None]) -> int:
    """Apply {id: the item's new fields, or None to remove it} to a loaded file (a list of items); returns how
    many items changed."""
    if data is None:
        data = CommentedSeq()
    by_id = {str(e.get("id")): e for e in data if hasattr(e, "get")}
    changed = 0
    for item_id, new in edits.items():
        item = by_id.get(item_id)
        if new is None:
            if item is not None:
                data.remove(item)
                changed += 1
        elif item is None:
            data.append(_like(None, dict(new)))
            changed += 1
        elif any(not _same(item.get(k), v) for k, v in new.items()) or set(item) - set(new):
            _update(item, new)
            changed += 1
    return changed
