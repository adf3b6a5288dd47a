"""The learning loop: what the bot could not answer is recorded, grouped by meaning, and taught in one step;
feedback under answers is counted."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from bot.app import cli
from bot.desk import learning, members
from bot.storage.database import sessions
from bot.storage.models import FaqHit, Feedback, Message, Unanswered
from bot.understanding import grouping
from bot.understanding.knowledge_base import Library
from bot.understanding.knowledge_files import load
from tests.conftest import NOW, ROOT, TestBot

PARKING = ["Is there parking at the expo venue?", "Where can I park my car at the expo?",
           "Can I leave my car in a car park near the expo hall?"]
UNRELATED = "Can I bring my dog to the gala dinner?"


def _records(db: Engine) -> list[tuple[str, str, str, str, list[list[object]], float, bool]]:
    with db.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(Message.text, Unanswered.kind, Unanswered.lang, Unanswered.channel, Unanswered.closest,
                   Unanswered.score, Unanswered.handed_off)
            .join(Message, Message.id == Unanswered.message_id).order_by(Unanswered.id))]


def test_a_miss_is_recorded_pointing_at_the_transcript(bot: TestBot, db: Engine) -> None:
    assert bot.say("When was GASME founded?").intent == "faq"  # answered: not recorded
    said = bot.say("Is there parking at the expo venue?")
    assert said.intent == "fallback"
    rows = _records(db)
    assert len(rows) == 1
    text, kind, lang, channel, closest, score, handed_off = rows[0]
    assert (text, lang, channel, handed_off) == ("Is there parking at the expo venue?", "en", "test", False)
    assert kind in ("unknown", "suggested")
    assert closest and score == closest[0][1] and all(isinstance(c[0], str) for c in closest)
    # A second miss in a row offers a person; the member takes it: the question is marked handed off.
    bot.say("我可以带狗去晚宴吗？")
    assert bot.say("yes").result.handoff
    rows = _records(db)
    assert [r[2] for r in rows] == ["en", "zh"] and rows[-1][6] is True


def test_suggestions_are_recorded_as_suggested(bot: TestBot, db: Engine) -> None:
    said = bot.say("UNIDO board")
    if said.intent == "faq":  # a confident answer is acceptable (tests/test_faq.py): then nothing is recorded
        assert _records(db) == []
        return
    assert any(p.startswith("/faq ") for _, p in said.buttons)
    assert _records(db)[-1][:2] == ("UNIDO board", "suggested")


def test_records_go_with_the_transcript(bot: TestBot, db: Engine, library: Library) -> None:
    bot.say("Is there parking at the expo venue?", user="a")
    bot.say("Is there parking at the expo venue?", user="b")
    with sessions(db).begin() as s:
        assert members.forget(s, library.knowledge.event_by_id, "test", "a", NOW) is not None
    assert len(_records(db)) == 1
    assert members.purge_transcripts(db, NOW.replace(year=2028), 30) > 0
    with db.connect() as conn:
        assert conn.execute(select(func.count(Unanswered.id))).scalar() == 0


def test_three_paraphrases_form_one_group_and_an_unrelated_question_stays_apart(library: Library) -> None:
    texts = [PARKING[0], UNRELATED, PARKING[1], PARKING[2]]
    assert library.reader.embedder is not None
    groups = grouping.group(texts, library.reader.embedder)
    assert groups == [[0, 2, 3], [1]]


def test_lexical_grouping_without_embeddings() -> None:
    texts = ["Is there parking at the expo venue?", "Can I bring my dog to the dinner?",
             "parking at the expo venue?", "Is there any parking at the venue of the expo", "展会场地有停车场吗？",
             "展会场地有没有停车场"]
    assert grouping.group(texts, None) == [[0, 2, 3], [4, 5], [1]]


def test_unanswered_command_groups_by_meaning(bot: TestBot, db: Engine, db_url: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    for i, question in enumerate([*PARKING, UNRELATED]):
        bot.say(question, user=f"m{i}")
    assert cli.main(["unanswered", "--json", "--db", db_url, "--now", NOW.isoformat()]) == 0
    groups = json.loads(capsys.readouterr().out)
    assert [g["count"] for g in groups] == [3, 1]
    assert set(groups[0]) == {"count", "examples", "languages", "closest", "score"}
    assert sorted(groups[0]["examples"]) == sorted(PARKING) and groups[0]["languages"] == ["en"]
    assert isinstance(groups[0]["closest"], str) and 0 < groups[0]["score"] <= 1
    assert groups[1]["examples"] == [UNRELATED]
    assert cli.main(["unanswered", "--db", db_url, "--now", NOW.isoformat()]) == 0
    assert "3×" in capsys.readouterr().out


def test_teach_refuses_an_unknown_entry_and_applies_on_top_of_the_files(
        db: Engine, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["knowledge", "teach", "no-such-entry", "hello", "--db", db_url]) == 1
    assert "no-such-entry" in capsys.readouterr().err
    question = "Can I pay the yearly dues by bank transfer from abroad?"
    before = Library.build(load(ROOT / "knowledge"), taught=learning.taught(db))
    assert cli.main(["knowledge", "teach", "founding", question, "--db", db_url]) == 0
    assert cli.main(["knowledge", "teach", "founding", question, "--db", db_url]) == 0  # twice: kept once
    assert learning.taught(db) == [("founding", question)]
    after = Library.build(load(ROOT / "knowledge"), taught=learning.taught(db))
    assert before.reader.read(question).faq_verdict().options[:1] != ("founding",)
    verdict = after.reader.read(question).faq_verdict()
    assert verdict.band == "answer" and verdict.options == ("founding",)
    # Lexical matching alone learns it too.
    lexical = Library.build(load(ROOT / "knowledge"), "none", taught=learning.taught(db))
    assert lexical.reader.read(question).faq_verdict().options[:1] == ("founding",)


def test_export_taught_keeps_comments_and_order(tmp_path: Path, db: Engine, db_url: str, library: Library) -> None:
    target = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", target)
    original = (target / "faq.yaml").read_text(encoding="utf-8")
    learning.teach(db, library, "founding", "How old is GASME?", "amy", NOW)
    learning.teach(db, library, "what-is-gasme", "GASME是干什么的？", "amy", NOW)
    assert cli.main(["knowledge", "export-taught", str(target), "--db", db_url]) == 0
    written = (target / "faq.yaml").read_text(encoding="utf-8")
    for line in original.splitlines():
        if line.lstrip().startswith("#"):
            assert line in written  # every comment is still there
    kb = load(target)  # still valid, same entries in the same order, with the new questions
    assert [e.id for e in kb.faq] == [e.id for e in library.knowledge.faq]
    assert kb.faq_by_id("founding").questions[-1] == "How old is GASME?"  # type: ignore[union-attr]
    assert kb.faq_by_id("what-is-gasme").questions[-1] == "GASME是干什么的？"  # type: ignore[union-attr]
    # Only the two lines were added.
    assert len(written.splitlines()) == len(original.splitlines()) + 2
    assert cli.main(["knowledge", "export-taught", str(target), "--db", db_url]) == 0
    assert (target / "faq.yaml").read_text(encoding="utf-8") == written  # nothing twice


def test_feedback_buttons_counts_and_a_person_after_not_helpful(library: Library, db: Engine) -> None:
    web = TestBot(library, db, channel="web")
    said = web.say("When was GASME founded?")
    assert ("Helpful", "/feedback founding up") in said.buttons
    assert ("Not helpful", "/feedback founding down") in said.buttons
    assert "Thank" in web.say("/feedback founding up").text
    sorry = web.say("/feedback founding down")
    assert "staff" in sorry.text
    opened = web.say("yes")
    assert opened.result.handoff
    zh = web.say("GASME是什么时候成立的？", user="u2")
    assert ("有帮助", "/feedback founding up") in zh.buttons and ("没帮助", "/feedback founding down") in zh.buttons
    with db.connect() as conn:
        votes = sorted(conn.execute(select(Feedback.entry_id, Feedback.vote)).all())
        assert votes == [("founding", "down"), ("founding", "up")]
        assert conn.execute(select(func.count(FaqHit.id))).scalar() == 2
    counts = learning.feedback_counts(db)
    assert counts["founding"]["up"] == 1 and counts["founding"]["down"] == 1
    # WeChat shows buttons as numbered text: no feedback options there, nor on the console.
    wechat = TestBot(library, db, channel="wechat")
    assert not any(p.startswith("/feedback") for _, p in wechat.say("When was GASME founded?").buttons)


def test_staff_add_user_reads_the_password_from_stdin(db: Engine, db_url: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.desk import staff_accounts

    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    assert cli.main(["staff", "add-user", "amy", "--db", db_url]) == 0
    assert staff_accounts.check_password(db, "amy", "correct horse battery")
    assert not staff_accounts.check_password(db, "amy", "wrong password!")
    assert not staff_accounts.check_password(db, "bob", "correct horse battery")
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert cli.main(["staff", "add-user", "bob", "--db", db_url]) == 1


def test_messages_by_language_count_each_line_in_its_own_language(bot: TestBot, db: Engine) -> None:
    from bot.desk.insights import overview

    bot.say("GASME是什么时候成立的？", user="lang1")
    bot.say("你们和联合国是什么关系", user="lang1")
    bot.say("English please", user="lang1")
    bot.say("When was GASME founded?", user="lang1")
    counts = {lang: sum(per_day) for lang, per_day in overview(db, bot.now).by_language.items()}
    assert counts.get("zh") == 2 and counts.get("en") == 2, counts
