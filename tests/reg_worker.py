"""A worker process for the registration rush test (tests/test_registration_rush.py).

Usage: python -m tests.reg_worker DB_URL KNOWLEDGE_DIR INDEX PROCESSES USERS BARRIER_DIR OUT_JSON

Phase 1: registers its share of the users through full conversations (start, name, company, email, confirm), each
message with a delivery id as a platform would send it. Phase 2, once every process has finished phase 1:
redelivers the confirmations of the next process's first users (same delivery ids: must produce nothing), and
has some of its own users try to register a second time (new delivery ids: must be refused).
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.engine import BotEngine
from bot.messages import Incoming
from bot.storage.database import make_engine
from bot.understanding.knowledge_base import Library

EVENT = "london-matchmaking-2027"
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def conversation(user: str) -> list[tuple[str, str]]:
    n = int(user.split("-")[1])
    return [(f"{user}-start", f"/register {EVENT}"), (f"{user}-name", f"Member {n}"),
            (f"{user}-company", f"Company {n}"), (f"{user}-email", f"member{n}@example.com"),
            (f"{user}-yes", "yes")]


def main() -> None:
    url, kdir, index, procs, users, barrier, out = sys.argv[1:8]
    i, n = int(index), int(procs)
    engine = BotEngine(Library.load(kdir), make_engine(url), clock=lambda: NOW)
    mine = [f"user-{k}" for k in range(int(users)) if k % n == i]
    results: dict[str, object] = {"confirm_replies": {}, "redelivered_replies": 0, "second_try": []}

    def send(user: str, key: str, text: str) -> tuple[int, str]:
        r = engine.handle(Incoming("rush", user, text, chat_id=user, message_id=key))
        return len(r.replies), "\n".join(x.text for x in r.replies)

    for user in mine:
        for key, text in conversation(user):
            count, said = send(user, key, text)
        results["confirm_replies"][user] = said  # type: ignore[index]

    Path(barrier, f"done-{i}").touch()
    deadline = time.monotonic() + 300
    while len(list(Path(barrier).glob("done-*"))) < n:
        if time.monotonic() > deadline:
            raise SystemExit("barrier timeout")
        time.sleep(0.05)

    others = [f"user-{k}" for k in range(int(users)) if k % n == (i + 1) % n][:10]
    for user in others:  # a platform redelivering the confirmation: same delivery id
        count, _ = send(user, f"{user}-yes", "yes")
        results["redelivered_replies"] += count  # type: ignore[operator]
    for user in mine[:5]:  # the member tries again: new delivery ids
        count, said = send(user, f"{user}-again", f"/register {EVENT}")
        results["second_try"].append(said)  # type: ignore[attr-defined]
    Path(out).write_text(json.dumps(results), encoding="utf-8")


if __name__ == "__main__":
    main()
