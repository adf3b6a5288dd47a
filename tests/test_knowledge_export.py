"""Writing staff changes back into the knowledge files: comments, order and layout kept, so the diff shows only
what changed (one added phrasing is one added line), and the exported files answer as the edits did."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from sqlalchemy import Engine

from bot.app import cli
from bot.desk import knowledge_edits
from bot.understanding.knowledge_files import load
from bot.understanding.knowledge_writer import export_taught
from tests.conftest import NOW, ROOT


def _diff(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_one_taught_phrasing_is_a_one_line_diff(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "knowledge", tmp_path / "kb")
    path = tmp_path / "kb" / "faq.yaml"
    before = path.read_text(encoding="utf-8")
    assert export_taught(path, [("founding", "Since when does GASME exist?")]) == (1, [])
    assert _diff(before, path.read_text(encoding="utf-8")) == ["+    - Since when does GASME exist?"]
    load(tmp_path / "kb")  # still a valid knowledge base


def _save(db: Engine, kind: str, item_id: str, after: dict[str, object] | None, action: str) -> None:
    with db.begin() as conn:
        knowledge_edits.save(conn, kind, item_id, None, after, action, "amy", NOW)  # type: ignore[arg-type]


def test_export_writes_the_edits_into_the_files_keeping_the_layout(db: Engine, db_url: str, tmp_path: Path) -> None:
    kb = load(ROOT / "knowledge")
    founding = knowledge_edits.faq_data(kb.faq_by_id("founding"))  # type: ignore[arg-type]
    founding["questions"] = [*founding["questions"], "How old is GASME?"]
    _save(db, "faq", "founding", founding, "edit")
    _save(db, "faq", "expo-parking", {"id": "expo-parking", "questions": ["Is there parking at the expo?"],
                                      "answer": {"en": "Yes, at the north gate.", "zh": "有，在北门。"}}, "create")
    gone = kb.faq[-1].id
    _save(db, "faq", gone, {**knowledge_edits.faq_data(kb.faq[-1]), "archived": True}, "archive")
    event = next(e for e in kb.events if e.capacity)
    seats = (event.capacity or 0) + 50
    _save(db, "event", event.id, {**knowledge_edits.event_data(event), "capacity": seats}, "edit")
    out = tmp_path / "out"
    assert cli.main(["knowledge", "export", str(out), "--db", db_url]) == 0
    faq_before = (ROOT / "knowledge" / "faq.yaml").read_text(encoding="utf-8")
    faq_after = (out / "faq.yaml").read_text(encoding="utf-8")
    assert faq_after.startswith("# GASME member bot: frequently asked questions")  # comments kept
    changed = _diff(faq_before, faq_after)
    assert "+    - How old is GASME?" in changed and "+- id: expo-parking" in changed
    assert f"-- id: {gone}" in changed
    added = [line for line in changed if line.startswith("+")]
    assert len(added) <= 8, added  # the new phrasing and the new entry; nothing re-indented
    events_diff = _diff((ROOT / "knowledge" / "events.yaml").read_text(encoding="utf-8"),
                        (out / "events.yaml").read_text(encoding="utf-8"))
    assert events_diff == [f"-  capacity: {event.capacity}", f"+  capacity: {seats}"]
    exported = load(out)  # passes `knowledge check`
    assert exported.faq_by_id("expo-parking") is not None and exported.faq_by_id(gone) is None
    assert knowledge_edits.with_edits(db, kb).faq == exported.faq
