"""The handler contract and the router that picks one handler per turn.

Like python-telegram-bot's check_update/handle_update: `check(turn)` says whether a handler wants the turn, with
a Claim (a priority from the tiers below plus whatever it parsed), and `handle(turn, claim)` answers from that
claim without parsing again. The highest priority wins; a tie goes to the handler listed first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bot.messages import Reply
from bot.turn import Outcome, Turn
from bot.understanding.meaning import IntentVerdict


class Priority:
    """Every tier a handler may claim with, named in one place, highest first. The FAQ claims with its match
    score (between FAQ_FLOOR and FAQ_CEILING), so the calendar tiers below FAQ_CEILING say when a calendar
    reading beats an FAQ match of a given strength."""

    COMMAND = 1.0  # a button payload, an exact command, an explicit language switch, "my registrations"
    ACT_ON_SHOWN = 1.0  # "book me in", "say that in English" about what the last answer showed (a button in words)
    FORM_STEP = 0.99  # the answer to the step of a form in progress; staff have the conversation
    FAQ_CEILING = 0.99  # the most an FAQ match can claim: a command or a form answer wins a tie
    # "Hi ESMC": a greeting to the association by name, though the name alone is its FAQ's "What is ESMC?" word for
    # word (the small-talk handler is listed before the FAQ's and wins the tie; a form step is listed before both)
    GREETING_BY_NAME = 0.99
    CANCEL_REGISTRATION = 0.98
    GREETING_AS_A_WHOLE = 0.971  # "你好，最近怎么样": a whole greeting, though "最近" ("lately") is a calendar word
    ASK_PERSON = 0.97  # "talk to a human"
    CALENDAR_QUESTION = 0.97  # "what's coming up", "events in Germany"
    FOLLOW_UP = 0.968  # "and for non-members?", "where is that?": read against what the last answer showed
    EVENT_FILE = 0.965  # "send me the calendar file" after an event was shown: words and state, not a guess
    OFFER_ANSWERED = 0.96  # yes/no to the bot's offer of a person, or the question it asked for
    INTENT = 0.955  # an intent read from the meaning of the message (knowledge/intents.yaml)
    SMALLTALK = 0.95
    EVENT_DETAILS = 0.92  # "tell me about the Global SME Expo"
    CALENDAR_FILTERED = 0.8  # a place or time with a when/where or event word
    PLACE_OR_TIME_ONLY = 0.6  # "Germany?", "in March"
    EVENT_NAMED = 0.55  # an event's name and nothing more telling
    # A person perhaps wanted (the classifier finds it less likely than not): the bot asks whether to pass the
    # message on, unless the calendar found what the message names ("請問有冇同巴西公司配對嘅商務對接會": the Brazil
    # event, not a person).
    PERSON_MAYBE = 0.5
    SMALLTALK_WORDS = 0.31  # thanks or a greeting in a message that asks nothing: above "did you mean", below answers
    FAQ_FLOOR = 0.26  # the least an FAQ claim may be (suggestions: bot/understanding/meaning.py)
    FALLBACK = 0.01


@dataclass(frozen=True)
class Claim:
    """A handler's wish to answer this turn: how strongly, and what it understood (handed back to `handle`)."""

    priority: float
    parsed: Any = None


class Handler(Protocol):
    name: str

    def check(self, turn: Turn) -> Claim | None:
        """Whether this handler wants the turn, and what it parsed; None to pass."""

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        """Answer the turn claimed by `check`."""

    def ceiling(self, turn: Turn) -> float:
        """The highest priority `check` could give this turn; a costly check is skipped when it cannot win."""

    def resume(self, turn: Turn, outcome: Outcome) -> list[Reply]:
        """Replies to add after another handler answered (a form in progress picks up again)."""

    def after(self, turn: Turn, outcome: Outcome) -> None:
        """Called on every handler once the turn is answered, to update its own state slice."""

    def claim_intent(self, turn: Turn, found: IntentVerdict) -> Claim | None:
        """A claim for an intent read from the meaning of the message, asked only when no cheaper claim is
        already stronger than an intent could be."""

    def keeps_language(self, turn: Turn) -> bool:
        """True while this handler needs the turn's language unchanged (mid-form, a Chinese company name is an
        answer, not a wish to switch)."""


class BaseHandler:
    """The optional hooks of `Handler`, doing nothing."""

    name = "base"

    def ceiling(self, turn: Turn) -> float:
        return Priority.COMMAND

    def resume(self, turn: Turn, outcome: Outcome) -> list[Reply]:
        return []

    def after(self, turn: Turn, outcome: Outcome) -> None:
        return None

    def keeps_language(self, turn: Turn) -> bool:
        return False

    def claim_intent(self, turn: Turn, found: IntentVerdict) -> Claim | None:
        return None


def route(handlers: list[Handler], turn: Turn) -> tuple[Handler, Claim]:
    """The winning handler and its claim. First every handler's own check, in order (commands, form steps,
    patterns, the calendar, the FAQ); then, only where an intent could still beat the best claim, the message's
    intent read from meaning, offered to every handler. Most turns with a strong cheap claim are never embedded."""
    best: tuple[Handler, Claim] | None = None
    for handler in handlers:
        # A handler that cannot beat the best claim so far is not asked (a tie goes to the earlier one): the FAQ
        # search is the costliest check, and a form answer or a conversation with staff never needs it.
        turn.bar = best[1].priority if best is not None else 0.0
        if best is not None and handler.ceiling(turn) <= best[1].priority:
            continue
        claim = handler.check(turn)
        if claim is not None and (best is None or claim.priority > best[1].priority):
            best = (handler, claim)
    assert best is not None, "the fallback handler claims every turn"
    if best[1].priority < Priority.INTENT:
        found = turn.reading.intent()
        if found is not None and not found.exact:
            for handler in handlers:
                claim = handler.claim_intent(turn, found)
                if claim is not None and claim.priority > best[1].priority:
                    best = (handler, claim)
    return best
