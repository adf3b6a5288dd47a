"""kill -9 during a registration burst (issue 13): processes die mid-transaction, are started again and redeliver
what they had sent. No overbooking, no duplicates, no half-done form. Runs on the test database (PostgreSQL in CI).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine, func, select

from bot.storage.models import Conversation, Registration
from tests.conftest import ROOT

PROCESSES = 4
USERS = 120
SEATS = 20  # london-matchmaking-2027 in tests/data/reg_knowledge


def _start(db_url: str, kdir: Path, i: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.burst_worker", db_url, str(kdir), str(i), str(PROCESSES),
                             str(USERS)], cwd=ROOT, env={**os.environ}, stderr=subprocess.PIPE, text=True)


def _registrations(db: Engine) -> int:
    if db.dialect.name == "sqlite":
        # The bot's SQLite engine begins every transaction with BEGIN IMMEDIATE, so counting through it would queue
        # for the write lock behind four busy writers (and may only get it once a victim has finished). A read-only
        # connection reads the WAL snapshot without waiting.
        with closing(sqlite3.connect(f"file:{db.url.database}?mode=ro", uri=True, timeout=30)) as raw:
            return int(raw.execute("SELECT count(*) FROM registrations").fetchone()[0])
    with db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Registration)) or 0)


def test_kill_9_during_a_registration_burst(tmp_path: Path, db_url: str, db: Engine) -> None:
    kdir = tmp_path / "knowledge"
    kdir.mkdir()
    for name in ("faq.yaml", "synonyms.yaml"):
        shutil.copy(ROOT / "knowledge" / name, kdir / name)
    shutil.copy(ROOT / "tests" / "data" / "reg_knowledge" / "events.yaml", kdir / "events.yaml")
    procs = [_start(db_url, kdir, i) for i in range(PROCESSES)]
    killed: list[int] = []
    try:
        # Kill two processes in the thick of it: once registrations are being written, and again later.
        # If the chosen victim has already finished its share, another process still running is killed instead.
        for threshold in (10, 40):
            deadline = time.monotonic() + 300
            while _registrations(db) < threshold and any(p.poll() is None for p in procs):
                assert time.monotonic() < deadline, "the burst made no progress"
                time.sleep(0.02)
            running = [i for i, p in enumerate(procs) if p.poll() is None and i not in killed]
            if running:
                procs[running[0]].send_signal(signal.SIGKILL)
                killed.append(running[0])
                procs[running[0]].communicate(timeout=60)
        for p in procs:
            _, err = p.communicate(timeout=600)
            assert p.returncode in (0, -signal.SIGKILL), err[-3000:]
        mid = _registrations(db)
        # What a crash leaves behind already holds: never more confirmed than seats, nobody twice.
        _check(db, complete=False)
        # A victim may have sent all its messages just before the kill; the burst as a whole must have been cut.
        assert killed and mid <= USERS
        # The killed processes start again and redeliver everything they sent.
        for victim in killed:
            again = _start(db_url, kdir, victim)
            _, err = again.communicate(timeout=600)
            assert again.returncode == 0, err[-3000:]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()
    _check(db, complete=True)


def _check(db: Engine, complete: bool) -> None:
    with db.connect() as conn:
        regs = conn.execute(select(Registration.id, Registration.user_id, Registration.email_key,
                                   Registration.status).order_by(Registration.id)).all()
        forms = {row.user_id: row.state for row in conn.execute(select(Conversation.user_id, Conversation.state)
                                                              .where(Conversation.channel == "rush"))}
    users = [r.user_id for r in regs]
    assert len(users) == len(set(users)), "a member registered twice"
    assert len({r.email_key for r in regs}) == len(regs), "an email registered twice"
    confirmed = [r for r in regs if r.status == "confirmed"]
    waitlisted = [r for r in regs if r.status == "waitlisted"]
    assert len(confirmed) <= SEATS, "overbooked"
    if confirmed and waitlisted:
        assert max(r.id for r in confirmed) < min(r.id for r in waitlisted), "a seat skipped the waitlist order"
    # No half-done form: a member with a registration has no form left open, in any state the crash left.
    for user in users:
        assert not (forms.get(user) or {}).get("reg"), f"{user} is registered but a form is still open"
    if complete:
        assert len(regs) == USERS, "every conversation finished after the restart"
        assert len(confirmed) == SEATS and len(waitlisted) == USERS - SEATS
        assert not any((state or {}).get("reg") for state in forms.values()), "a form was left half done"
