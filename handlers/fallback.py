"""When nothing else claims a turn: say honestly that the bot does not know, and offer a person."""

from __future__ import annotations

from bot.i18n import t
from bot.messages import Button, Reply
from bot.turn import Outcome, Turn


class FallbackHandler:
    name = "fallback"

    def matches(self, turn: Turn) -> float | None:
        return 0.01

    def handle(self, turn: Turn) -> Outcome:
        return dont_know(turn)


def dont_know(turn: Turn) -> Outcome:
    # Remember the question: if the member then accepts the offer of a person, staff get it without asking again.
    turn.state["misses"] = int(turn.state.get("misses", 0)) + 1
    turn.state["unanswered"] = turn.text
    # Both answers ask whether to pass the question on, so a plain "yes" (or "no") is the member's answer.
    turn.state["offered_handoff"] = True
    if turn.state["misses"] >= 2:
        # The second miss in a row: ask plainly, and a "yes" opens the ticket with this question.
        return Outcome([Reply(t("handoff_accept_offer", turn.lang))], "fallback")
    buttons = (
        Button(t("btn_staff", turn.lang), "/human"),
        Button(t("btn_events", turn.lang), "/events"),
        Button(t("btn_help", turn.lang), "/help"),
    )
    return Outcome([Reply(t("dont_know", turn.lang), buttons)], "fallback")
