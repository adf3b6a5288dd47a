"""One conversation turn in-process: what the engine costs without any channel or HTTP around it.

Virtual members go through the same script as bench/webhook.py (FAQ and calendar questions, a full registration, a
hand-off), one message at a time, straight into BotEngine.handle. Baseline in the same run: a bare transaction that
only records the delivery (the least database work any turn does). Prints ms per turn, best of several rounds.
Run: python bench/turn.py [--members 20] [--rounds 5] [--db URL]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import UTC, datetime

from bot.engine import BotEngine
from bot.messages import Incoming
from bot.storage import conversations
from bot.storage.database import make_engine, scratch_schema, upgrade
from bot.understanding.knowledge_base import Library

SCRIPT = ["When was GASME founded?", "events in Germany", "/register global-sme-expo-2027", "Member {n}",
          "Company {n}", "member{n}@example.com", "yes", "GASME是什么时候成立的？", "下个月有什么活动",
          "my registrations"]
NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the whole run; the best is reported")
    ap.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = ap.parse_args()
    with scratch_schema(args.db or f"sqlite:///{tempfile.mkdtemp()}/turn.db", "gasme_turn") as url:
        run(url, args)


def run(url: str, args: argparse.Namespace) -> None:
    db = make_engine(url)
    upgrade(db)
    engine = BotEngine(Library.load(), db, clock=lambda: NOW)
    run_id = uuid.uuid4().hex[:8]
    count = 0

    def conversation(first: int) -> None:
        nonlocal count
        for n in range(first, first + args.members):
            user = f"{run_id}-{n}"
            for i in range(2 * len(SCRIPT)):  # twice through: the second time meets "already registered"
                count += 1
                engine.handle(Incoming("bench", user, SCRIPT[i % len(SCRIPT)].format(n=n), chat_id=user,
                                       message_id=f"{run_id}-{count}"))

    def bare(first: int) -> None:
        nonlocal count
        for _ in range(args.members * 2 * len(SCRIPT)):
            count += 1
            with db.begin() as conn:
                conversations.first_delivery(conn, "bare", f"{run_id}-{count}", NOW)

    conversation(10**6)  # warm-up: first use of the segmenter, the stemmer, the statements
    turns = args.members * 2 * len(SCRIPT)
    best = {"turn": float("inf"), "bare": float("inf")}
    for r in range(args.rounds):
        for name, fn in (("turn", conversation), ("bare", bare)):
            t0 = time.perf_counter()
            fn((r + 1) * 1000)
            best[name] = min(best[name], (time.perf_counter() - t0) / turns * 1000)
    db.dispose()
    print(f"{turns} turns per round, best of {args.rounds}, {db.dialect.name}")
    print(f"engine turn            {best['turn']:.2f} ms")
    print(f"bare transaction       {best['bare']:.2f} ms  (records the delivery only)")
    print(f"turn / bare            {best['turn'] / best['bare']:.1f}x")


if __name__ == "__main__":
    main()
