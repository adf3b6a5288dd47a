"""After-turn observers: what the learning desk records of each answered turn.

The engine tells every observer of a turn's outcome inside the turn's transaction (bot/turn.py `TurnObserver`);
it knows nothing of what they record. Analytics of turns belong here too.
"""

from __future__ import annotations

from sqlalchemy import Connection

from bot.desk import learning
from bot.turn import Outcome, Transcript, Turn, TurnObserver
from bot.understanding import text as textmod


def miss_kind(outcome: Outcome) -> str | None:
    """"suggested" when the bot offered close questions instead of an answer, "unknown" for "I don't know", None
    for a turn it could answer (a hand-off the member asked for is not a miss)."""
    if outcome.intent != "fallback" or outcome.unanswered is None:
        return None
    if any(b.payload.startswith("/faq ") for r in outcome.replies for b in r.buttons):
        return "suggested"
    return "unknown"


class LearningRecords:
    """Questions the bot missed (pointing at the member's words, erased with them), FAQ answers given, and misses
    that ended with staff: what `gasme-bot unanswered` and the dashboard show."""

    def observe(self, conn: Connection, turn: Turn, outcome: Outcome, transcript: Transcript) -> None:
        channel = turn.incoming.channel
        miss = miss_kind(outcome)
        if miss is not None:
            lang = textmod.detect_lang(turn.text) or turn.lang
            learning.record_miss(conn, transcript.member_line(), channel, lang, miss,
                                 learning.closest_of(turn.reading), turn.now)
        if outcome.intent == "faq" and outcome.answer_id:
            learning.record_hit(conn, outcome.answer_id, channel, turn.lang, turn.now)
        if outcome.after_miss:
            learning.mark_handed_off(conn, channel, turn.incoming.user_id)


def default_observers() -> list[TurnObserver]:
    return [LearningRecords()]
