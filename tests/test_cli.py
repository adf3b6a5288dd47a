"""The command line as users' scripts use it: real processes, real pipes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from bot.app.cli import main
from tests.conftest import PG_URL, ROOT

BIN = Path(sys.executable).parent / "gasme-bot"


def run_jsonl(lines: list[str], *args: str, db: str, timeout: float = 60) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [str(BIN), "chat", "--jsonl", "--db", db, "--now", "2026-11-26T10:00:00", *args],
        input="".join(line + "\n" for line in lines), capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.fixture
def cli_db(tmp_path: Path, db_url: str) -> str:
    return db_url if PG_URL else f"sqlite:///{tmp_path / 'cli.db'}"


def test_jsonl_contract(cli_db: str) -> None:
    out = run_jsonl([
        json.dumps({"user": "u1", "text": "When was GASME founded?"}),
        json.dumps({"user": "u2", "text": "GASME是什么时候成立的？"}),
        json.dumps({"user": "u1", "text": "what's the weather like on Mars?"}),
        json.dumps({"user": "u3", "text": "How much does membership cost?"}),
        json.dumps({"user": "u1", "text": "hello"}),
        json.dumps({"user": "u1", "text": "events in Germany"}),
    ], db=cli_db)
    assert len(out) == 6
    for line in out:
        assert set(line) >= {"user", "replies", "intent", "answer_id", "handoff"}
        assert isinstance(line["replies"], list) and all(isinstance(r, str) for r in line["replies"])
    assert (out[0]["intent"], out[0]["answer_id"], out[0]["handoff"]) == ("faq", "founding", False)
    assert out[1]["answer_id"] == "founding" and "2009" in str(out[1]["replies"][0])
    assert (out[2]["intent"], out[2]["answer_id"]) == ("fallback", None)
    assert out[3]["handoff"] is True
    assert out[4]["intent"] == "smalltalk"
    assert out[5]["intent"] == "events" and "Frankfurt" in str(out[5]["replies"])


def test_jsonl_survives_bad_lines(cli_db: str) -> None:
    out = run_jsonl([
        "this is not json",
        "[1, 2]",
        json.dumps({"text": "no user"}),
        json.dumps({"user": "u1", "text": 42}),
        json.dumps({"user": "u1"}),
        "{\"user\": \"u1\", \"text\": \"\\u0000\\u0007\"}",
        json.dumps({"user": "u1", "text": "x" * 20000}),
        json.dumps({"user": "u1", "text": "When was GASME founded?"}),
    ], db=cli_db)
    assert len(out) == 8
    assert all(line["replies"] for line in out)
    assert "bad input" in str(out[0]["replies"][0])
    assert out[3]["user"] == "u1" and "text" in str(out[3]["replies"][0])
    assert out[7]["answer_id"] == "founding"


def test_jsonl_answers_from_any_knowledge_dir(tmp_path: Path, cli_db: str) -> None:
    kdir = tmp_path / "knowledge"
    kdir.mkdir()
    (kdir / "faq.yaml").write_text(textwrap.dedent("""\
        - id: parking
          questions: ["Where can I park at the venue?", 会场哪里可以停车？]
          answer: {en: Use the underground garage on level B2., zh: 请使用B2层地下停车场。}
        - id: wifi
          questions: ["What is the wifi password?"]
          answer: The wifi password is printed on your badge.
        """), encoding="utf-8")
    (kdir / "events.yaml").write_text(textwrap.dedent("""\
        - id: test-fair-2027
          title: {en: Widget Fair 2027, zh: 小部件展销会}
          starts: 2027-01-20T10:00:00
          timezone: Asia/Tokyo
          city: {en: Tokyo, zh: 东京}
          country: JP
        """), encoding="utf-8")
    out = run_jsonl([
        json.dumps({"user": "u1", "text": "where do I park my car at the venue"}),
        json.dumps({"user": "u1", "text": "会场哪里停车"}),
        json.dumps({"user": "u1", "text": "wifi password?"}),
        json.dumps({"user": "u1", "text": "When was GASME founded?"}),
        json.dumps({"user": "u1", "text": "events in Japan"}),
    ], "--knowledge", str(kdir), db=cli_db)
    assert out[0]["answer_id"] == "parking" and "B2" in str(out[0]["replies"][0])
    assert out[1]["answer_id"] == "parking" and "停车场" in str(out[1]["replies"][0])
    assert out[2]["answer_id"] == "wifi"
    assert out[3]["intent"] == "fallback"  # nothing about GASME in this knowledge: no answer from code
    assert "Widget Fair" in str(out[4]["replies"][0])


def test_interactive_chat_shows_numbered_options(cli_db: str) -> None:
    proc = subprocess.run([str(BIN), "chat", "--db", cli_db, "--now", "2026-11-26T10:00:00"],
                          input="hi\n1\n", capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "1) Upcoming events" in proc.stdout
    assert "Upcoming events:" in proc.stdout  # "1" chose the first option


def test_events_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--json", "--now", "2026-11-26T10:00:00", "--knowledge", str(ROOT / "knowledge")]) == 0
    events = json.loads(capsys.readouterr().out)
    ids = [e["id"] for e in events]
    assert "global-sme-expo-2027" in ids and "us-china-matchmaking-2026" not in ids
    expo = events[ids.index("global-sme-expo-2027")]
    assert expo["starts"].endswith("+08:00") and expo["timezone"] == "Asia/Shanghai"
    assert expo["title"]["zh"]


def test_events_text_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--lang", "zh", "--now", "2026-11-26T10:00:00"]) == 0
    assert "全球中小企业博览会" in capsys.readouterr().out


def test_db_upgrade_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert main(["db", "upgrade", "--db", url]) == 0
    first = capsys.readouterr().out
    assert "migrated from an empty schema to" in first and "up to date" not in first
    assert main(["db", "upgrade", "--db", url]) == 0  # idempotent
    assert "up to date" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "value", "says"), [
    ("PORT", "eighty", "PORT must be a whole number, not 'eighty'"),
    ("GASME_TURN_THREADS", "0", "GASME_TURN_THREADS must be above zero"),
    ("TELEGRAM_MAX_RATE", "fast", "TELEGRAM_MAX_RATE must be a number"),
    ("GASME_EMBEDDER", "bert", "GASME_EMBEDDER must be one of e5, use, none, not 'bert'"),
])
def test_a_bad_setting_is_refused_by_name(name: str, value: str, says: str, tmp_path: Path) -> None:
    env = {**os.environ, name: value}
    proc = subprocess.run([str(BIN), "serve"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert says in proc.stderr and "Traceback" not in proc.stderr


def gasme(*args: str, db: str, now: str = "2026-11-26T10:00:00", tty: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args, "--db", db, "--now", now], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False)


def test_announce_announcements_worker_and_members_commands(cli_db: str) -> None:
    run_jsonl([json.dumps({"user": "en1", "text": "hello"}), json.dumps({"user": "zh1", "text": "你好"}),
               json.dumps({"user": "off", "text": "hello"})], db=cli_db)
    from bot.desk import members
    from bot.storage.database import make_engine

    engine = make_engine(cli_db)
    with engine.begin() as conn:
        members.set_prefs(conn, "console", "off", datetime_now(), announcements=False)
    engine.dispose()

    dry = gasme("announce", "--text", "Hello members", "--text-zh", "会员们好", "--all", "--dry-run", "--json",
                db=cli_db)
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["channels"]["console"] == {"recipients": 2, "opted_out": 1, "unreachable": 0}

    sent = gasme("announce", "--text", "Hello members", "--text-zh", "会员们好", "--json", db=cli_db)
    assert sent.returncode == 0, sent.stderr
    out = json.loads(sent.stdout)
    assert (out["recipients"], out["opted_out"], out["resumed"]) == (2, 1, False)
    assert "[" not in sent.stdout.splitlines()[0]  # no progress bar when stdout is not a terminal

    listed = gasme("announcements", "--json", db=cli_db)
    [row] = json.loads(listed.stdout)
    assert {k: row[k] for k in ("id", "sent", "failed", "unreachable", "pending")} == {
        "id": out["id"], "sent": 0, "failed": 0, "unreachable": 0, "pending": 2}

    # The console pulls its messages: the member sees the announcement in their language on the next turn.
    replies = run_jsonl([json.dumps({"user": "zh1", "text": "你好"})], db=cli_db)
    assert replies[0]["notices"] == ["会员们好"]

    once = gasme("worker", "--once", db=cli_db)
    assert once.returncode == 0 and "reminder(s) queued" in once.stdout, once.stderr

    exported = gasme("members", "export", "console:zh1", db=cli_db)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data["member"]["lang"] == "zh" and any(line["text"] == "你好" for line in data["transcript"])
    assert data["announcements"][0]["status"] == "queued"

    forgotten = gasme("members", "forget", "console:zh1", db=cli_db)
    assert forgotten.returncode == 0 and "Forgot console:zh1" in forgotten.stdout
    assert gasme("members", "export", "console:zh1", db=cli_db).returncode == 1
    assert gasme("members", "export", "no-channel", db=cli_db).returncode == 2


def test_worker_once_sends_due_reminders_once(cli_db: str, tmp_path: Path) -> None:
    kdir = tmp_path / "k"
    kdir.mkdir()
    (kdir / "faq.yaml").write_text((ROOT / "knowledge" / "faq.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (kdir / "events.yaml").write_text((ROOT / "tests" / "data" / "reg_knowledge" / "events.yaml")
                                      .read_text(encoding="utf-8"), encoding="utf-8")
    run_jsonl([json.dumps({"user": "r1", "text": t}) for t in
               ("I'd like to register for the Big Expo", "Wang Fang", "ACME", "wf@acme.example", "yes")],
              "--knowledge", str(kdir), db=cli_db)
    # Big Expo 2027: Shanghai, 2027-03-01 09:00 (+08:00), so 7 days before is 2027-02-22T01:00Z.
    first = gasme("worker", "--once", "--knowledge", str(kdir), db=cli_db, now="2027-02-22T02:00:00")
    again = gasme("worker", "--once", "--knowledge", str(kdir), db=cli_db, now="2027-02-22T03:00:00")
    assert first.stdout.startswith("1 reminder(s) queued"), first.stderr
    assert again.stdout.startswith("0 reminder(s) queued"), again.stderr


def datetime_now() -> Any:
    from datetime import UTC, datetime

    return datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
