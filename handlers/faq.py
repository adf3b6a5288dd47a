"""Answers from the curated FAQ, and only when sure: below the threshold it offers close questions or says so."""

from __future__ import annotations

import re

from bot.i18n import t
from bot.messages import Button, Reply
from bot.turn import Outcome, Turn
from bot.understanding.faq_index import Match
from handlers import handoff
from handlers.fallback import dont_know

# Tuned on tests/data/paraphrases.yaml (dev split only); see tests/test_faq_quality.py for the figures.
ANSWER_AT = 0.36
SUGGEST_AT = 0.26
_PAYLOAD = re.compile(r"^/faq ([a-z0-9-]+)$")


class FaqHandler:
    name = "faq"

    def _best(self, turn: Turn) -> list[Match]:
        if "faq" not in turn.cache:
            turn.cache["faq"] = turn.library.faq.search(turn.text, limit=3)
        matches: list[Match] = turn.cache["faq"]
        return matches

    def ceiling(self, turn: Turn) -> float:
        """The most `matches` can give this turn."""
        return 1.0 if _PAYLOAD.match(turn.norm) else 0.99

    def matches(self, turn: Turn) -> float | None:
        m = _PAYLOAD.match(turn.norm)
        if m and turn.library.knowledge.faq_by_id(m.group(1)):
            return 1.0
        best = self._best(turn)
        if best and best[0].score >= SUGGEST_AT:
            # Capped below 1.0: a button payload or a calendar question about a named event wins a tie.
            return min(best[0].score, 0.99)
        return None

    def handle(self, turn: Turn) -> Outcome:
        m = _PAYLOAD.match(turn.norm)
        entry_id = m.group(1) if m else None
        if entry_id is None:
            best = self._best(turn)
            if best[0].score < ANSWER_AT:
                return self._suggest(turn, best)
            entry_id = best[0].id
        entry = turn.library.knowledge.faq_by_id(entry_id)
        assert entry is not None
        turn.state["misses"] = 0
        replies = [Reply(entry.answer.get(turn.lang))]
        opened = False
        if entry.handoff:
            opened, more = handoff.open_ticket(turn, turn.text if not m else entry.questions[0], reason="faq")
            if opened:
                # The entry's answer already says a colleague will reply (knowledge/README.md asks staff to write
                # it so): the bot adds only when, not the same news a second time.
                replies = [Reply(entry.answer.get(turn.lang) + " " + handoff.when_staff_answer(turn))]
            else:
                replies += more
        return Outcome(replies, "faq", answer_id=entry.id, handoff=opened)

    def _suggest(self, turn: Turn, best: list[Match]) -> Outcome:
        close = [b for b in best if b.score >= SUGGEST_AT]
        if not close:
            return dont_know(turn)
        buttons = []
        for b in close:
            entry = turn.library.knowledge.faq_by_id(b.id)
            assert entry is not None
            buttons.append(Button(_question_in(entry.questions, turn.lang), f"/faq {b.id}"))
        buttons.append(Button(t("btn_staff", turn.lang), "/human"))
        turn.state["unanswered"] = turn.text
        return Outcome([Reply(t("did_you_mean", turn.lang), tuple(buttons))], "fallback")


def _question_in(questions: tuple[str, ...], lang: str) -> str:
    """The staff-written question in the member's language, for a button label."""
    want_cjk = lang == "zh"
    for q in questions:
        if bool(re.search(r"[\u4e00-\u9fff]", q)) == want_cjk:
            return q
    return questions[0]
