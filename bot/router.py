"""Picks the handler for a turn: every handler scores the turn, the highest score wins, ties go to the first."""

from __future__ import annotations

from bot.turn import Handler, Turn
from handlers.events import EventsHandler
from handlers.fallback import FallbackHandler
from handlers.faq import FaqHandler
from handlers.handoff import HandoffHandler
from handlers.language import LanguageHandler
from handlers.registration import RegistrationHandler
from handlers.smalltalk import SmalltalkHandler


def default_handlers() -> list[Handler]:
    # Order breaks ties: a registration form in progress goes on even while staff have a ticket open.
    return [LanguageHandler(), RegistrationHandler(), HandoffHandler(), SmalltalkHandler(), EventsHandler(),
            FaqHandler(), FallbackHandler()]


def route(handlers: list[Handler], turn: Turn) -> Handler:
    best: Handler | None = None
    best_score = 0.0
    for handler in handlers:
        # A handler that cannot beat the best score so far is not asked (a tie goes to the earlier one): the FAQ
        # search is the costliest question, and a form answer or a conversation with staff never needs it.
        ceiling = getattr(handler, "ceiling", None)
        if ceiling is not None and ceiling(turn) <= best_score:
            continue
        score = handler.matches(turn)
        if score is not None and score > best_score:
            best, best_score = handler, score
    assert best is not None, "the fallback handler claims every turn"
    return best
