"""A worker process for the kill -9 registration burst (tests/test_hardening_crash.py).

Usage: python -m tests.burst_worker DB_URL KNOWLEDGE_DIR INDEX PROCESSES USERS

Registers its share of the users through full conversations, each message with the delivery id a platform would
send. Started again after a kill, it sends every message again with the same ids, as a platform redelivers what
was never acknowledged: the ones already processed are no-ops, the rest finish the conversations.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from bot.engine import BotEngine
from bot.messages import Incoming
from bot.storage.database import make_engine
from bot.understanding.knowledge_base import Library
from tests.reg_worker import EVENT, conversation

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def main() -> None:
    url, kdir, index, procs, users = sys.argv[1:6]
    engine = BotEngine(Library.load(kdir), make_engine(url), clock=lambda: NOW)
    for k in range(int(users)):
        if k % int(procs) != int(index):
            continue
        user = f"user-{k}"
        for key, text in conversation(user):
            engine.handle(Incoming("rush", user, text, chat_id=user, message_id=key))
    assert EVENT  # the event every conversation registers for


if __name__ == "__main__":
    main()
