"""Answers from the curated FAQ, and only when sure: below the threshold it offers close questions or says so."""

from __future__ import annotations

import re

from bot.i18n import t
from bot.messages import Button, Lang, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from bot.understanding.knowledge_files import FaqEntry
from bot.understanding.meaning import FaqVerdict
from bot.understanding.text import has_cjk
from handlers import handoff

_PAYLOAD = re.compile(r"^/faq ([a-z0-9-]+)$")


class FaqHandler(BaseHandler):
    name = "faq"

    def ceiling(self, turn: Turn) -> float:
        """The most `check` can give this turn, from the cheap lexical reading alone: an answer found by meaning
        claims at most the answer strength, so a calendar question or a form step never waits for an embedding."""
        if _PAYLOAD.match(turn.norm):
            return Priority.COMMAND
        if turn.bar >= Priority.FAQ_CEILING:
            return Priority.FAQ_CEILING  # a form step or staff: no need to read the FAQ at all
        lexical = turn.reading.lexical()
        top = lexical[0].score if lexical else 0.0
        return min(max(top, turn.library.reader.thresholds.answer_strength), Priority.FAQ_CEILING)

    def check(self, turn: Turn) -> Claim | None:
        m = _PAYLOAD.match(turn.norm)
        if m:
            entry = turn.library.knowledge.faq_by_id(m.group(1))
            return Claim(Priority.COMMAND, (entry, None)) if entry else None
        verdict = turn.reading.faq_verdict()
        if verdict.band == "none":
            return None
        # Capped below a command: a button payload or a calendar question about a named event wins a tie.
        strength = max(Priority.FAQ_FLOOR, min(verdict.strength, Priority.FAQ_CEILING))
        return Claim(strength, (None, verdict))

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        entry: FaqEntry | None
        verdict: FaqVerdict | None
        entry, verdict = claim.parsed
        pressed = entry is not None
        if entry is None:
            assert verdict is not None
            if verdict.band != "answer":
                return self._suggest(turn, verdict)
            entry = turn.library.knowledge.faq_by_id(verdict.options[0])
            assert entry is not None
        answer = _answer(entry, turn.lang)
        replies = [Reply(answer, feedback_buttons(turn, entry))]
        opened = False
        if entry.handoff:
            opened, more = handoff.open_ticket(turn, entry.questions[0] if pressed else turn.text, reason="faq")
            if opened:
                # The entry's answer already says a colleague will reply (knowledge/README.md asks staff to write
                # it so): the bot adds only when, not the same news a second time.
                replies = [Reply(answer + " " + handoff.when_staff_answer(turn))]
            else:
                replies += more
        return Outcome(replies, "faq", answer_id=entry.id, handoff=opened)

    def _suggest(self, turn: Turn, verdict: FaqVerdict) -> Outcome:
        buttons = []
        for entry_id in verdict.options:
            entry = turn.library.knowledge.faq_by_id(entry_id)
            assert entry is not None
            buttons.append(Button(_question_in(entry.questions, turn.lang), f"/faq {entry_id}"))
        buttons.append(Button(t("btn_staff", turn.lang), "/human"))
        return Outcome([Reply(t("did_you_mean", turn.lang), tuple(buttons))], "fallback", unanswered=turn.text)


# Channels with real buttons: elsewhere (WeChat's numbered text, the console) two more options under every answer
# would bury the answer.
FEEDBACK_CHANNELS = frozenset({"telegram", "web"})


def feedback_buttons(turn: Turn, entry: FaqEntry) -> tuple[Button, ...]:
    """"Helpful / Not helpful" under an answer, on channels with buttons; none under an answer that opens a ticket
    (staff take it from there)."""
    if turn.incoming.channel not in FEEDBACK_CHANNELS or entry.handoff:
        return ()
    return (Button(t("btn_helpful", turn.lang), f"/feedback {entry.id} up"),
            Button(t("btn_not_helpful", turn.lang), f"/feedback {entry.id} down"))


def _answer(entry: FaqEntry, lang: Lang) -> str:
    """The answer in the member's language; where staff wrote it only in the other one, that one with a note."""
    text = entry.answer.get(lang)
    if has_cjk(text) != (lang == "zh"):
        return t("answer_other_language", lang) + "\n" + text
    return text


def _question_in(questions: tuple[str, ...], lang: str) -> str:
    """The staff-written question in the member's language, for a button label."""
    want_cjk = lang == "zh"
    for q in questions:
        if bool(re.search(r"[\u4e00-\u9fff]", q)) == want_cjk:
            return q
    return questions[0]
