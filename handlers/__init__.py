"""One handler per intent. Each claims turns with `check` and answers them with `handle` (see bot/router.py)."""

from __future__ import annotations

from bot.router import Handler


def default_handlers() -> list[Handler]:
    from handlers.events import EventsHandler
    from handlers.fallback import FallbackHandler
    from handlers.faq import FaqHandler
    from handlers.feedback import FeedbackHandler
    from handlers.followup import FollowupHandler
    from handlers.handoff import HandoffHandler
    from handlers.language import LanguageHandler
    from handlers.preferences import PreferencesHandler
    from handlers.registration import RegistrationHandler
    from handlers.smalltalk import SmalltalkHandler

    # Order breaks ties, and puts the cheap, certain claims first (a form step, a ticket with staff): a later
    # handler that cannot beat them is not asked, so most such turns are never embedded (bot/router.py).
    # Follow-ups come first: "book me in" or "say that in English" about what was just shown is a button pressed
    # in words; the follow-up handler answers through the others.
    followup = FollowupHandler()
    handlers: list[Handler] = [followup, PreferencesHandler(), RegistrationHandler(), HandoffHandler(),
                               LanguageHandler(), SmalltalkHandler(), EventsHandler(), FaqHandler(), FeedbackHandler(),
                               FallbackHandler()]
    followup.handlers = handlers
    return handlers
