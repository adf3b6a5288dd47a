"""Embedding a message before its turn, off the turn thread.

Reading a message needs no database, so the web channels start the embedding as soon as a message arrives, on
the batching encoder's thread, while the turn thread serves other members' turns (on SQLite every turn runs on
one thread). The turn then finds the vector remembered (batcher.py) and embeds nothing: still one embedding at
most per message, and the same vector, so the same answer.

Only messages whose turn would likely embed them are read ahead: not commands or button payloads, not thin ones
(a number, an e-mail address), not one of the intents' example phrases, not a staff question asked word for word.
Nor the next message of a member whose last turn asked for a value typed freely (a name or a company in the
registration form: the engine keeps that hint, `Outcome.awaits_value`), nor a question only the calendar answers
("events in Germany": the calendar claims it above any intent). A message the turn then answers without the model
costs one embedding it did not need; bench/webhook.py measures both mixes.
GASME_READ_AHEAD=0 turns reading ahead off (the turn then embeds, still through the batching encoder).
"""

from __future__ import annotations

import asyncio
import functools
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from bot.understanding import text as textmod
from bot.understanding.batcher import encoder_for
from bot.understanding.knowledge_base import Library


@functools.cache
def _pool() -> ThreadPoolExecutor:
    # The lexical look that decides is quick; two threads keep one slow message from holding up the next.
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="read-ahead")


@functools.cache
def enabled() -> bool:
    return os.environ.get("GASME_READ_AHEAD", "1").strip().lower() not in ("0", "no", "off", "false")


def message_text(raw: str) -> str:
    """The text a turn reads, as the engine prepares it (cleaned, cut to the analysed length)."""
    return textmod.clean(raw[: textmod.MAX_ANALYSED_CHARS * 4])[: textmod.MAX_ANALYSED_CHARS]


def worth_embedding(library: Library, text: str, now: datetime) -> str | None:
    """The text to embed ahead of the turn, or None when the turn would not need the model for it."""
    reader = library.reader
    if reader.embedder is None or text.startswith("/") or textmod.too_thin(text):
        return None
    if library.events.parse(text, now).only_the_calendar_answers:
        return None
    reading = reader.read(text)
    if reading.exact_intent() is not None:
        return None
    lexical = reading.lexical()
    if lexical and lexical[0].score >= reader.thresholds.lexical_exact:
        return None
    return text[:1000]


async def prepare(library: Library, raw: str, now: datetime) -> None:
    """Embed `raw` ahead of its turn when the turn would likely need it; returns when the vector is ready."""
    embedder = library.reader.embedder
    if embedder is None or not enabled():
        return
    loop = asyncio.get_running_loop()
    text = await loop.run_in_executor(_pool(), worth_embedding, library, message_text(raw), now)
    if text is not None:
        await asyncio.wrap_future(encoder_for(embedder).submit(text, ahead=True))
