"""Fault and abuse suite, the operator's side (issue 13, points 5 to 8): strict settings and command line, processes
that die with their parent, migrations started at once, ids the database can't store, a capacity raise at load.
Real processes and real pipes throughout.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.engine import BotEngine
from bot.messages import Incoming
from bot.storage.database import make_engine, scratch_schema
from bot.storage.models import Outbox, Registration
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW, PG_URL, ROOT
from tests.fakes import free_port
from tests.test_serve import serve

BIN = Path(sys.executable).parent / "gasme-bot"


def run(*args: str, cwd: Path, stdin: str = "", **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_", "WECHAT_", "GASME_"))}
    env.update(env_vars)
    return subprocess.run([str(BIN), *args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                          timeout=120, check=False)


# --- 5. Telegram --------------------------------------------------------------------------------------------------


def test_serve_refuses_an_unauthenticated_telegram_webhook_unless_told(tmp_path: Path, db_url: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    out = run("serve", "--db", db_url, cwd=tmp_path, TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_API_BASE_URL=dead,
              PORT=str(free_port()))
    assert out.returncode == 2 and "TELEGRAM_WEBHOOK_SECRET" in out.stderr and "Traceback" not in out.stderr
    with serve(tmp_path, "--db", db_url, TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_API_BASE_URL=dead,
               TELEGRAM_ALLOW_UNVERIFIED="1") as served:
        pass
    assert "NOT authenticated" in served.output


@pytest.mark.parametrize("secret", ["has spaces", "semi;colon", "ü-umlaut", "x" * 257])
def test_a_telegram_secret_telegram_would_refuse_is_refused_by_name(tmp_path: Path, secret: str) -> None:
    out = run("events", cwd=tmp_path, TELEGRAM_BOT_TOKEN="123:abc", TELEGRAM_WEBHOOK_SECRET=secret)
    assert out.returncode == 2 and "TELEGRAM_WEBHOOK_SECRET" in out.stderr and "Traceback" not in out.stderr
    assert run("events", cwd=tmp_path, TELEGRAM_WEBHOOK_SECRET="Ok_secret-256").returncode == 0


# --- 6. the command line ------------------------------------------------------------------------------------------


def test_global_options_work_before_the_sub_command(tmp_path: Path) -> None:
    target = tmp_path / "chosen.db"
    line = json.dumps({"user": "u1", "text": "When was GASME founded?"}) + "\n"
    out = run("--db", f"sqlite:///{target}", "--now", "2026-11-26T10:00:00", "chat", "--jsonl", cwd=tmp_path,
              stdin=line)
    assert out.returncode == 0, out.stderr
    assert target.exists() and not (tmp_path / "gasme.db").exists()
    listed = run("--db", f"sqlite:///{target}", "registrations", "--json", cwd=tmp_path)
    assert listed.returncode == 0 and json.loads(listed.stdout) == []
    both = run("--db", "sqlite:///ignored.db", "registrations", "--db", f"sqlite:///{target}", "--json", cwd=tmp_path)
    assert both.returncode == 0 and not (tmp_path / "ignored.db").exists()  # the later one wins, as usual


@pytest.mark.parametrize(("name", "value"), [
    ("WEB_CONCURRENCY", "two"), ("GASME_OFFICE_TZ", "Mars/Olympus_Mons"), ("GASME_OFFICE_HOURS", "whenever"),
    ("PORT", "eighty"), ("GASME_SECRET_KEY", "short"), ("GASME_REDIS_URL", "http://x"),
    ("GASME_RATE_SESSION", "lots"), ("TELEGRAM_ALLOW_UNVERIFIED", "maybe"), ("WECHAT_AES_KEY", "abc"),
    ("GASME_EMBED_THREADS", "two"),
])
def test_every_invalid_setting_is_refused_by_name_with_exit_2(tmp_path: Path, name: str, value: str) -> None:
    out = run("events", cwd=tmp_path, **{name: value})
    assert out.returncode == 2, out.stderr
    assert name in out.stderr and "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_an_unreachable_database_is_one_line_and_exit_3(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nowhere?connect_timeout=5"
    for args in (("chat", "--jsonl"), ("db", "upgrade"), ("registrations", "--json")):
        out = run(*args, "--db", url, cwd=tmp_path)
        assert out.returncode == 3, (args, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
        assert "127.0.0.1" in out.stderr


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([str(BIN), "events", "--all", "--json"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line, as `| head -0` would do
    err = proc.stderr.read().decode()
    proc.stderr.close()
    proc.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_package_builds_without_setuptools_warnings(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-w",
                          str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=600, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Warning" not in out.stderr and "absent from the `packages`" not in out.stdout + out.stderr
    import zipfile

    [wheel] = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/storage/migrations/versions/0005_hardening.py" in names
    assert "bot/channels/web/index.html" in names and "knowledge/faq.yaml" in names


def test_first_run_of_dev_says_one_line_then_stays_quiet(tmp_path: Path) -> None:
    """The ./dev script on a tiny project of its own (the real one installs for a minute): one line while it
    installs, nothing from the installer, nothing at all the second time."""
    project = tmp_path / "proj"
    project.mkdir()
    shutil.copy(ROOT / "dev", project / "dev")
    (project / "demo.py").write_text("")
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=69", "wheel"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "demo"\nversion = "0"\n[project.optional-dependencies]\ndev = ["pytest"]\n'
        '[tool.setuptools]\npy-modules = ["demo"]\n')
    env = {**os.environ, "PYTHON": sys.executable}
    first = subprocess.run(["bash", "dev", "test", "--version"], cwd=project, env=env, capture_output=True,
                           text=True, timeout=600, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stderr.splitlines()[0].startswith("Installing the bot and its dependencies")
    assert [line for line in first.stderr.splitlines()[1:] if "pytest" not in line] == []
    again = subprocess.run(["bash", "dev", "test", "--version"], cwd=project, env=env, capture_output=True,
                           text=True, timeout=120, check=False)
    assert again.returncode == 0 and "Installing" not in again.stderr


# --- 7. processes -------------------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_workers_die_with_a_killed_parent_and_the_port_is_free_again(tmp_path: Path, db_url: str) -> None:
    port = free_port()
    with serve(tmp_path, "--db", db_url, WEB_CONCURRENCY="2", PORT=str(port)) as served:
        workers = [p for p in _children(served.pid) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
        assert len(workers) == 2
        os.kill(served.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{p}").exists() and "zombie" not in Path(f"/proc/{p}/status").read_text()
                  for p in workers) or not _port_free(port):
            assert time.monotonic() < deadline, "the workers outlived their parent"
            time.sleep(0.2)
    with serve(tmp_path, "--db", db_url, PORT=str(port)) as again:  # a restart binds the same port
        pass
    assert "Address already in use" not in again.output


def test_processes_starting_at_once_on_an_empty_database_all_migrate_safely(tmp_path: Path) -> None:
    url_ctx = scratch_schema(PG_URL, "gasme_mig") if PG_URL else None
    url = url_ctx.__enter__() if url_ctx else f"sqlite:///{tmp_path / 'empty.db'}"
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GASME_")}
        procs = [subprocess.Popen([str(BIN), "db", "upgrade", "--db", url], cwd=tmp_path, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
        results = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in results]
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all() == [_head()]
        engine.dispose()
    finally:
        if url_ctx:
            url_ctx.__exit__(None, None, None)


# --- 8. ids, capacity ---------------------------------------------------------------------------------------------


def test_ids_the_database_cannot_store_are_refused_with_a_clear_line(tmp_path: Path, db_url: str) -> None:
    lines = [json.dumps({"user": "u" * 129, "text": "hi"}), json.dumps({"user": "nul\u0000id", "text": "hi"}),
             json.dumps({"user": "u" * 128, "text": "When was GASME founded?"})]
    out = run("chat", "--jsonl", "--db", db_url, "--now", "2026-11-26T10:00:00", cwd=tmp_path,
              stdin="\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    first, second, third = (json.loads(x) for x in out.stdout.splitlines())
    assert "user id must be at most 128 characters" in first["replies"][0]
    assert "must not contain NUL" in second["replies"][0]
    assert third["answer_id"] == "founding"
    assert "Traceback" not in out.stderr


def test_a_capacity_raise_promotes_the_waitlist_at_load(tmp_path: Path, library: Library, db_url: str,
                                                       db: Engine) -> None:
    kdir = tmp_path / "knowledge"
    kdir.mkdir()
    for name in ("faq.yaml", "synonyms.yaml"):
        shutil.copy(ROOT / "knowledge" / name, kdir / name)
    events = (ROOT / "tests" / "data" / "reg_knowledge" / "events.yaml").read_text(encoding="utf-8")
    (kdir / "events.yaml").write_text(events, encoding="utf-8")
    engine = BotEngine(Library.load(kdir), db, clock=lambda: NOW)
    for n in range(4):  # Tiny Forum has 2 seats: two confirmed, two waitlisted
        for text in ("/register tiny-forum-2027", f"Member {n}", f"Company {n}", f"m{n}@example.com", "yes"):
            engine.handle(Incoming("telegram", f"m{n}", text, chat_id=f"m{n}"))
    (kdir / "events.yaml").write_text(events.replace("capacity: 2", "capacity: 3", 1), encoding="utf-8")
    out = run("chat", "--jsonl", "--db", db_url, "--knowledge", str(kdir), "--now", "2026-11-26T10:00:00",
              cwd=tmp_path)  # any start-up: serve, worker or chat
    assert out.returncode == 0, out.stderr
    with db.connect() as conn:
        status = {row.user_id: row.status for row in conn.execute(select(Registration.user_id, Registration.status))}
        notices = conn.execute(select(Outbox.user_id, Outbox.payload).where(Outbox.kind == "notice")).all()
    assert status == {"m0": "confirmed", "m1": "confirmed", "m2": "confirmed", "m3": "waitlisted"}
    assert [n.user_id for n in notices] == ["m2"] and "Tiny Forum 2027" in notices[0].payload["text"]
    again = run("chat", "--jsonl", "--db", db_url, "--knowledge", str(kdir), "--now", "2026-11-26T10:00:00",
                cwd=tmp_path)
    assert again.returncode == 0
    with db.connect() as conn:
        assert len(conn.execute(select(Outbox.id).where(Outbox.kind == "notice")).all()) == 1  # told once


def _head() -> str:
    """The newest migration's revision."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bot.storage.database import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head
