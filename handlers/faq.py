"""Answers from the curated FAQ, and only when sure: below the threshold it offers close questions or says so."""

from __future__ import annotations

import re

from bot.i18n import t
from bot.messages import Button, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from bot.understanding.faq_index import Match
from bot.understanding.knowledge_files import FaqEntry
from handlers import handoff

# Tuned on tests/data/paraphrases.yaml (dev split only); see tests/test_faq_quality.py for the figures.
ANSWER_AT = 0.36
SUGGEST_AT = Priority.FAQ_FLOOR
_PAYLOAD = re.compile(r"^/faq ([a-z0-9-]+)$")


class FaqHandler(BaseHandler):
    name = "faq"

    def ceiling(self, turn: Turn) -> float:
        """The most `check` can give this turn."""
        return Priority.COMMAND if _PAYLOAD.match(turn.norm) else Priority.FAQ_CEILING

    def check(self, turn: Turn) -> Claim | None:
        m = _PAYLOAD.match(turn.norm)
        if m:
            entry = turn.library.knowledge.faq_by_id(m.group(1))
            return Claim(Priority.COMMAND, (entry, [])) if entry else None
        best = turn.library.faq.search(turn.text, limit=3)
        if best and best[0].score >= SUGGEST_AT:
            # Capped below a command: a button payload or a calendar question about a named event wins a tie.
            return Claim(min(best[0].score, Priority.FAQ_CEILING), (None, best))
        return None

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        entry: FaqEntry | None
        entry, best = claim.parsed
        pressed = entry is not None
        if entry is None:
            if best[0].score < ANSWER_AT:
                return self._suggest(turn, best)
            entry = turn.library.knowledge.faq_by_id(best[0].id)
            assert entry is not None
        replies = [Reply(entry.answer.get(turn.lang))]
        opened = False
        if entry.handoff:
            opened, more = handoff.open_ticket(turn, entry.questions[0] if pressed else turn.text, reason="faq")
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
            return handoff.offer_person(turn)
        buttons = []
        for b in close:
            entry = turn.library.knowledge.faq_by_id(b.id)
            assert entry is not None
            buttons.append(Button(_question_in(entry.questions, turn.lang), f"/faq {b.id}"))
        buttons.append(Button(t("btn_staff", turn.lang), "/human"))
        return Outcome([Reply(t("did_you_mean", turn.lang), tuple(buttons))], "fallback", unanswered=turn.text)


def _question_in(questions: tuple[str, ...], lang: str) -> str:
    """The staff-written question in the member's language, for a button label."""
    want_cjk = lang == "zh"
    for q in questions:
        if bool(re.search(r"[\u4e00-\u9fff]", q)) == want_cjk:
            return q
    return questions[0]
