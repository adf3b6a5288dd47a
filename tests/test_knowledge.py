"""Knowledge files: the bundled set is valid; every kind of mistake is refused with file, line and field."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest

from bot.app.cli import main
from bot.understanding.knowledge_files import KnowledgeError, load
from tests.conftest import ROOT

GOOD_FAQ = """\
- id: hello
  questions:
    - What is this?
  answer: {en: A test., zh: 测试。}
"""
GOOD_EVENTS = """\
- id: expo-2027
  title: {en: Test Expo 2027, zh: 测试博览会}
  starts: 2027-03-01T09:00:00
  timezone: Europe/Berlin
"""


def write(tmp_path: Path, faq: str = GOOD_FAQ, events: str = GOOD_EVENTS) -> Path:
    (tmp_path / "faq.yaml").write_text(textwrap.dedent(faq), encoding="utf-8")
    (tmp_path / "events.yaml").write_text(textwrap.dedent(events), encoding="utf-8")
    return tmp_path


def problems(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load(directory)
    return [str(p) for p in info.value.problems]


def test_bundled_knowledge_is_valid() -> None:
    kb = load(ROOT / "knowledge")
    assert len(kb.faq) >= 20
    assert all(e.answer.zh for e in kb.faq), "every answer in English and Chinese"
    assert len(kb.events) >= 8
    assert any(e.capacity for e in kb.events) and any(e.registration_closes for e in kb.events)
    assert "SAMPLE" in (ROOT / "knowledge" / "events.yaml").read_text(encoding="utf-8")[:400]


def test_minimal_directory_loads(tmp_path: Path) -> None:
    kb = load(write(tmp_path))
    assert kb.faq[0].answer.get("zh") == "测试。"
    assert kb.events[0].starts.utcoffset() is not None  # aware, in the venue's zone


@pytest.mark.parametrize(
    ("faq", "expected"),
    [
        ("- id: a\n  questions: [Q]\n", "faq.yaml:1: entry 'a'.answer: required field is missing"),
        ("- id: a\n  questions: [Q]\n  anwser: A.\n", "faq.yaml:3: entry 'a'.anwser: unknown field"),
        ("- id: Bad_Id\n  questions: [Q]\n  answer: A\n", "faq.yaml:1: entry 1.id: 'Bad_Id' is not a valid id"),
        ("- id: a\n  questions: []\n  answer: A\n", "faq.yaml:2: entry 'a'.questions: must be a list"),
        ("- id: a\n  questions: [Q]\n  answer: {zh: 答}\n", "faq.yaml:3: entry 'a'.answer.en: an English text"),
        ("- id: a\n  questions: [Q]\n  answer: {en: A, fr: B}\n", "faq.yaml:3: entry 'a'.answer.fr: unknown language"),
        ("- id: a\n  questions: [Q]\n  answer: A\n  handoff: maybe\n", "faq.yaml:4: entry 'a'.handoff: must be true"),
        ("- id: a\n  questions: [Q]\n  answer: A\n- id: a\n  questions: [Q]\n  answer: B\n",
         "faq.yaml:4: entry 2.id: duplicate id 'a' (first used on line 1)"),
        ("- id: a\n  questions: [Q\n  answer: A\n", "faq.yaml:2: (syntax): YAML syntax error"),
        ("- id: a\n  questions:\n    - Fees: how much?\n  answer: A\n",
         "faq.yaml:3: entry 'a'.questions[0]: holds ': ' (a colon and a space), so YAML reads it as a field: put"),
        ("id: a\n", "faq.yaml:1: (file): must be a list"),
    ],
)
def test_broken_faq_is_refused_with_file_line_field(tmp_path: Path, faq: str, expected: str) -> None:
    found = problems(write(tmp_path, faq=faq))
    assert any(p.startswith(expected) for p in found), found


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  timezone: Mars/Olympus", "events.yaml:4: event 'expo-2027'.timezone: 'Mars/Olympus' is not an IANA"),
        ("  country: XX", "events.yaml:5: event 'expo-2027'.country: 'XX' is not an ISO 3166-1"),
        ("  capacity: -5", "events.yaml:5: event 'expo-2027'.capacity: -5 is not a whole number"),
        ("  ends: 2027-02-01T09:00:00", "events.yaml:5: event 'expo-2027'.ends: ends before the event starts"),
        ("  registration_closes: next tuesday", "events.yaml:5: event 'expo-2027'.registration_closes: 'next tuesday'"),
        ("  city: {zh: 柏林}", "events.yaml:5: event 'expo-2027'.city.en: an English text is required"),
    ],
)
def test_broken_event_is_refused_with_file_line_field(tmp_path: Path, line: str, expected: str) -> None:
    events = GOOD_EVENTS.replace("  timezone: Europe/Berlin\n", "") if "timezone" in line else GOOD_EVENTS
    events = events.rstrip("\n") + "\n" + line + "\n"
    found = problems(write(tmp_path, events=events))
    assert any(p.startswith(expected) for p in found), found


def _entries(n: int) -> list[str]:
    return [f"- id: e{i}\n  questions:\n    - Question {i}?\n  answer: Answer {i}.\n" for i in range(n)]


@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (lambda e: e.replace("- Question 5?", '- "Question 5?'), 23),  # an unclosed quote runs to the end of file
        (lambda e: e.replace("answer: Answer 8.", "answer Answer 8."), 36),  # a missing colon
    ],
)
def test_a_syntax_error_is_reported_where_it_is_made(tmp_path: Path, damage: Any, where: int) -> None:
    faq = damage("".join(_entries(20)))
    assert faq.splitlines()[where - 1].strip() in {'- "Question 5?', "answer Answer 8."}
    [found] = problems(write(tmp_path, faq=faq))
    assert found.startswith(f"faq.yaml:{where}: (syntax): YAML syntax error"), found
    assert "reading failed at line" in found


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    found = problems(write(tmp_path, faq="- id: a\n  questions: [Q]\n", events="- id: b\n  title: T\n"))
    assert len(found) >= 3  # faq answer, event starts, event timezone


def test_missing_file(tmp_path: Path) -> None:
    (tmp_path / "faq.yaml").write_text(GOOD_FAQ, encoding="utf-8")
    assert any("events.yaml" in p and "missing" in p for p in problems(tmp_path))


def test_broken_synonyms(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "synonyms.yaml").write_text("- [alone]\n- [fair, bazaar]\n", encoding="utf-8")
    assert problems(tmp_path) == ["synonyms.yaml:1: group 1: each group must be a list of two or more words or phrases"]


def test_synonym_in_two_groups_is_refused(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "synonyms.yaml").write_text("- [exhibit, booth]\n- [expo, exhibition]\n- [how many, count]\n",
                                            encoding="utf-8")
    found = problems(tmp_path)
    assert "synonyms.yaml:2: group 2: 'exhibition' is the same word to the matcher as 'exhibit' in group 1 (line 1)" \
        in found[0]
    assert found[1].startswith("synonyms.yaml:3: group 3: 'how many' is only filler words")


def test_knowledge_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knowledge", "check", str(ROOT / "knowledge")]) == 0
    assert "OK" in capsys.readouterr().out
    broken = tmp_path / "broken"
    shutil.copytree(ROOT / "knowledge", broken)
    text = (broken / "faq.yaml").read_text(encoding="utf-8").replace("  answer:", "  anwser:", 1)
    (broken / "faq.yaml").write_text(text, encoding="utf-8")
    assert main(["knowledge", "check", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "faq.yaml:" in out and ".anwser: unknown field" in out and ".answer: required field is missing" in out


def test_bot_refuses_to_start_on_broken_knowledge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, faq="- id: a\n  questions: [Q]\n")
    with pytest.raises(SystemExit) as exit_info:
        main(["chat", "--jsonl", "--knowledge", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert exit_info.value.code == 2
    assert "faq.yaml:1: entry 'a'.answer" in capsys.readouterr().err
