"""Paying a process's first-use costs before the first member does.

Several parts of a reading are built on first use and kept for the life of the process or of the knowledge: the
glossary's ideas (every term normalised, about 0.2 s), the intents' and person classifiers' inputs, the model's
first call, and SQLAlchemy's mapper configuration (about 0.05 s, on the first query through the ORM). Measured
through `gasme-bot serve`'s web chat on a fresh start: the first message took 319 ms and the first Chinese one
142 ms, where later messages of the same kinds took 40-70 ms. So the server reads one message in each language
before it serves, and the reloader reads them with a new knowledge base before it swaps it in. Nothing is stored:
a reading touches no database.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from sqlalchemy.orm import configure_mappers

if TYPE_CHECKING:
    from bot.understanding.knowledge_base import Library

log = logging.getLogger(__name__)
# Neither is a staff question word for word, so both go the whole way: the lexical reader, the model, the vector
# search, the FAQ decision and the intents.
MESSAGES = ("hello, what would membership cost a small company like ours?",
            "你好，我们是一家小公司，入会大概要多少钱？")


def warm(library: Library) -> None:
    """Read MESSAGES with `library`'s reader and configure the ORM's mappers; what it builds stays cached."""
    started = time.perf_counter()
    configure_mappers()
    for text in MESSAGES:
        reading = library.reader.read(text)
        reading.faq_verdict()
        reading.intent()
        reading.intent_chances()
    log.info("warmed up in %.2f s", time.perf_counter() - started)
