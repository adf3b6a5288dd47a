"""Paying a process's first-use costs before the first member does.

Several things are made on first use and kept for the life of the process or of the knowledge base: the glossary's
ideas (every term normalised, about 0.2 s), the model's first call, SQLAlchemy's mapper configuration (about
0.05 s, on the first query through the ORM) and the metrics' meters (importing prometheus-client, about 0.1 s, on
the event loop, in the first turn). Measured through `gasme-bot serve`'s web chat on a fresh start: the first message
took 230-270 ms and the first Chinese one 190-250 ms, where later messages took 40-70 ms. So the server pays them
before it serves (`process`), and the reloader reads with a new knowledge base before it swaps it in (`reader`).
Nothing is stored: a reading touches no database.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from sqlalchemy.orm import configure_mappers

from bot.app import metrics

if TYPE_CHECKING:
    from bot.understanding.knowledge_base import Library

log = logging.getLogger(__name__)
# Neither is a staff question word for word, so both go the whole way: the lexical reader, the model, the vector
# search, the FAQ decision and the intents.
MESSAGES = ("hello, what would membership cost a small company like ours?",
            "你好，我们是一家小公司，入会大概要多少钱？")


def reader(library: Library) -> None:
    """Read MESSAGES with `library`'s reader; what the readings build stays cached. A failure is logged, never
    raised: warming only saves the first members some time, and must not stop a start or a reload."""
    try:
        for text in MESSAGES:
            reading = library.reader.read(text)
            reading.faq_verdict()
            reading.intent()
            reading.intent_chances()
    except Exception:
        log.exception("warming up the reader failed; the first messages will pay for what it would have built")


def process(library: Library) -> None:
    """What a serving process makes on first use, made now: after `metrics.prepare` (the meters import
    prometheus-client, which reads its multiprocess setting once)."""
    started = time.perf_counter()
    configure_mappers()
    reader(library)
    metrics.meters()  # after the readings: their embeddings are no members' batches
    log.info("warmed up in %.2f s", time.perf_counter() - started)
