"""One handler per intent. Each claims turns with `check` and answers them with `handle` (see bot/router.py)."""

from __future__ import annotations

from bot.router import Handler


def default_handlers() -> list[Handler]:
    from handlers.events import EventsHandler
    from handlers.fallback import FallbackHandler
    from handlers.faq import FaqHandler
    from handlers.feedback import FeedbackHandler
    from handlers.handoff import HandoffHandler
    from handlers.language import LanguageHandler
    from handlers.preferences import PreferencesHandler
    from handlers.registration import RegistrationHandler
    from handlers.smalltalk import SmalltalkHandler

    # Order breaks ties: a registration form in progress goes on even while staff have a ticket open.
    return [LanguageHandler(), PreferencesHandler(), RegistrationHandler(), HandoffHandler(), SmalltalkHandler(),
            EventsHandler(), FaqHandler(), FeedbackHandler(), FallbackHandler()]
