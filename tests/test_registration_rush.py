"""A rush of registrations from several processes at once: no overbooking, no duplicates, a consistent waitlist.

Four worker processes (tests/reg_worker.py) register 160 members through full conversations for an event with 20
seats, then redeliver 40 confirmations and retry 20 members: 200 registration attempts, on the test database
(PostgreSQL in CI, SQLite otherwise).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, select

from bot.storage.models import Inbound, Registration
from tests.conftest import ROOT

PROCESSES = 4
USERS = 160


def test_rush_of_registrations_across_processes(tmp_path: Path, db_url: str, db: Engine) -> None:
    kdir = tmp_path / "knowledge"
    kdir.mkdir()
    for name in ("faq.yaml", "synonyms.yaml"):
        shutil.copy(ROOT / "knowledge" / name, kdir / name)
    shutil.copy(ROOT / "tests" / "data" / "reg_knowledge" / "events.yaml", kdir / "events.yaml")
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    procs = [
        subprocess.Popen([sys.executable, "-m", "tests.reg_worker", db_url, str(kdir), str(i), str(PROCESSES),
                          str(USERS), str(barrier), str(tmp_path / f"out-{i}.json")],
                         cwd=ROOT, env={**os.environ}, stderr=subprocess.PIPE, text=True)
        for i in range(PROCESSES)
    ]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]
    outs = [json.loads((tmp_path / f"out-{i}.json").read_text(encoding="utf-8")) for i in range(PROCESSES)]

    with db.connect() as conn:
        regs = conn.execute(select(Registration.id, Registration.user_id, Registration.email_key,
                                   Registration.status).order_by(Registration.id)).all()
        deliveries = conn.execute(select(Inbound.dedupe_key)).scalars().all()

    assert len(regs) == USERS, "one registration per member, none lost, none doubled"
    assert len({r.user_id for r in regs}) == USERS and len({r.email_key for r in regs}) == USERS
    confirmed = [r for r in regs if r.status == "confirmed"]
    waitlisted = [r for r in regs if r.status == "waitlisted"]
    assert len(confirmed) == 20
    assert len(waitlisted) == USERS - 20
    # Consistent order: seats went to the first 20 registrations to be written, the waitlist follows them.
    assert max(r.id for r in confirmed) < min(r.id for r in waitlisted)

    # What members were told matches the database.
    told = {u: text for out in outs for u, text in out["confirm_replies"].items()}
    status = {r.user_id: r.status for r in regs}
    for user, text in told.items():
        if status[user] == "confirmed":
            assert "You're registered" in text, (user, text)
        else:
            assert "waitlist at position" in text, (user, text)
    positions = sorted(int(m.group(1)) for text in told.values() if (m := re.search(r"position (\d+)", text)))
    assert positions == list(range(1, USERS - 20 + 1)), "each waitlist place told to exactly one member"

    assert sum(out["redelivered_replies"] for out in outs) == 0, "a redelivery produces nothing"
    assert all("already registered" in said for out in outs for said in out["second_try"])
    assert len(deliveries) == len(set(deliveries)) == USERS * 5 + PROCESSES * 5
