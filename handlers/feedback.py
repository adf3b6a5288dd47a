""""Helpful / Not helpful" under an FAQ answer: counted per entry; "Not helpful" offers a person."""

from __future__ import annotations

import re

from bot.desk import learning
from bot.i18n import t
from bot.messages import Button, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.storage import conversations
from bot.turn import Outcome, Turn

PAYLOAD = re.compile(r"^/feedback ([a-z0-9-]+) (up|down)$")


class FeedbackHandler(BaseHandler):
    name = "feedback"

    def ceiling(self, turn: Turn) -> float:
        return Priority.COMMAND if PAYLOAD.match(turn.norm) else 0.0

    def check(self, turn: Turn) -> Claim | None:
        m = PAYLOAD.match(turn.norm)
        if m is None or turn.library.knowledge.faq_by_id(m.group(1)) is None:
            return None
        return Claim(Priority.COMMAND, (m.group(1), m.group(2)))

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        entry_id, vote = claim.parsed
        learning.record_feedback(turn.store.conn, entry_id, vote, turn.incoming.channel, turn.now)
        if vote == "up":
            return Outcome([Reply(t("feedback_thanks", turn.lang))], "smalltalk")
        # Staff get the question the member asked before the answer that did not help, if they accept.
        asked = next((line["text"] for line in reversed(conversations.history(
            turn.store.conn, turn.incoming.channel, turn.incoming.user_id, 6)) if line["who"] == "in"), None)
        buttons = (Button(t("btn_yes_staff", turn.lang), "yes"), Button(t("btn_no_thanks", turn.lang), "no"))
        # The FAQ handler takes back the member's pick of this entry among "did you mean" buttons, if just made.
        return Outcome([Reply(t("feedback_sorry", turn.lang), buttons)], "handoff", offers_person=True,
                       unanswered=asked, not_helpful=entry_id)
