"""The conversational context, written once after every turn from what the answer showed (bot/state.py `Context`).

It is an after-turn observer (`ConversationContext`, registered in handlers/observers.py). Handlers never write
it: they say in their Outcome what they showed (`answer_id`, `events`, `listing`, buttons), and this step keeps
it. A new answer is a new topic and replaces what the last one showed; a turn that shows
nothing (thanks, a language switch, "I don't know") keeps the context as it was; a context older than
CONTEXT_MINUTES at the member's next message is dropped first.
"""

from __future__ import annotations

from sqlalchemy import Connection

from bot.state import Context
from bot.turn import Outcome, Transcript, Turn
from bot.understanding import text as textmod
from bot.understanding.calendar_words import EVENT_WORDS


class ConversationContext:
    """The after-turn observer (bot/turn.py `TurnObserver`) that keeps the context; the engine saves the state
    after its observers, so what this writes is stored with the turn."""

    def observe(self, conn: Connection, turn: Turn, outcome: Outcome, transcript: Transcript) -> None:
        remember(turn, outcome)


def context_of(turn: Turn) -> Context:
    """The context to read this turn's message against: empty when it has lapsed."""
    ctx = turn.state.slice(Context)
    if ctx.at is not None and not ctx.live(turn.now):
        ctx.clear()
    return ctx


def places_of(ctx: Context) -> list[str]:
    """The events a place in a list ("the second one", "第三个") counts among: the list in view, or the one the event
    in view was picked from."""
    return ctx.events if ctx.shown == "list" else ctx.behind if ctx.shown == "event" else []


def remember(turn: Turn, outcome: Outcome) -> None:
    """Keep what this turn's answer showed, for reading the member's next message."""
    if outcome.erased:
        return  # the conversation, context included, was just deleted
    ctx = context_of(turn)
    ctx.at = turn.now.isoformat()
    suggested = [b.payload[5:] for r in outcome.replies for b in r.buttons if b.payload.startswith("/faq ")]
    if outcome.intent == "faq" and outcome.answer_id:
        before = ctx.event
        _new_topic(ctx, turn, "faq")
        ctx.faq = outcome.answer_id
        named = _events_of_entry(turn, outcome.answer_id)
        ctx.event = (outcome.events[0] if len(outcome.events) == 1 else named[0] if named
                     else before if _about_taking_part(turn, outcome.answer_id) else None)
        if len(named) > 1:
            ctx.filters = {"series": named}  # "only the one in China" after the partnership weeks: of the series
    elif outcome.intent == "events" and outcome.listing is not None:
        _new_topic(ctx, turn, "list")
        ctx.events, ctx.filters = list(outcome.events), dict(outcome.listing)
        ctx.event = outcome.events[0] if len(outcome.events) == 1 else None
    elif outcome.intent == "registration" and len(offered := _offered_to_register(outcome)) > 1:
        # A choice of events to register for is a list on screen too: "只看对接会", "only the ones in Europe" narrow
        # it (the form still waits for the pick).
        _new_topic(ctx, turn, "list")
        ctx.events = offered
    elif outcome.events:
        # One event's details (or a question about it answered from its fields); a registration form started for it
        # keeps it in view too.
        if outcome.intent == "events":
            from_list = ctx.events if ctx.shown == "list" else ctx.behind
            _new_topic(ctx, turn, "event")
            if outcome.events[0] in from_list:
                ctx.behind = from_list  # its neighbours stay reachable by their place ("and the first one?")
        ctx.event = outcome.events[0]
    elif suggested and outcome.intent == "fallback":
        _new_topic(ctx, turn, "suggest")
        ctx.suggestions = suggested


def _offered_to_register(outcome: Outcome) -> list[str]:
    return [b.payload.split()[1] for r in outcome.replies for b in r.buttons if b.payload.startswith("/register ")]


def _new_topic(ctx: Context, turn: Turn, shown: str) -> None:
    at = ctx.at
    ctx.clear()
    ctx.at, ctx.shown, ctx.lang, ctx.question = at, shown, turn.lang, turn.text[:500]


def _about_taking_part(turn: Turn, entry_id: str) -> bool:
    """Whether an FAQ entry speaks of events (its questions or tags: the visa letter, the ticket price, a booth):
    asked while an event is in view, it is asked of that event, which stays in view ("can I get a visa letter for
    it?", then "where is it again?"). Any other answer is a new topic."""
    entry = turn.library.knowledge.faq_by_id(entry_id)
    return entry is not None and bool(EVENT_WORDS.search(textmod.normalize(" ".join([*entry.questions,
                                                                                      *entry.tags]))))


def _events_of_entry(turn: Turn, entry_id: str) -> list[str]:
    """The upcoming events an FAQ answer is about, soonest first: "What is the Global SME Expo?" its next edition,
    read together with it when the member asks "where is it?" next; for a series ("the partnership weeks"), its
    events, the next one first ("when is the next one?", "only the one in China"); none when the entry names no
    event."""
    entry = turn.library.knowledge.faq_by_id(entry_id)
    if entry is None:
        return []
    named = turn.library.events.match_titles(textmod.normalize(entry.questions[0]), fuzzy=False)
    return [e.id for e in sorted((e for e in named if e.finishes >= turn.now), key=lambda e: e.starts)]
