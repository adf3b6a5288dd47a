"""When nothing else claims a turn: say honestly that the bot does not know, and offer a person."""

from __future__ import annotations

from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from handlers.handoff import offer_person


class FallbackHandler(BaseHandler):
    name = "fallback"

    def check(self, turn: Turn) -> Claim | None:
        return Claim(Priority.FALLBACK)

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        return offer_person(turn)
