"""What a handler sees of one turn, and what it gives back. No platform object appears here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.messages import Incoming, Intent, Lang, Reply
from bot.state import ConversationState

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from bot.desk.office_hours import OfficeHours
    from bot.storage.turn_store import Store
    from bot.understanding.event_query import EventQuery
    from bot.understanding.knowledge_base import Library
    from bot.understanding.meaning import Reading


@dataclass
class Turn:
    incoming: Incoming
    text: str  # cleaned text as the member wrote it (control characters removed, cut to a sane length)
    norm: str  # normalised for matching: lower case, simplified Chinese, no markup
    lang: Lang  # the language to answer in
    state: ConversationState  # the conversation's slices; handlers change their own, the engine saves them
    now: datetime  # aware, UTC
    library: Library
    store: Store
    reading: Reading  # what the message means (FAQ, intent), worked out lazily, at most one embedding a turn
    office_hours: OfficeHours | None = None
    bar: float = 0.0  # the best claim so far while the router asks the handlers in turn
    _query: EventQuery | None = field(default=None, repr=False)

    def event_query(self) -> EventQuery:
        """What the message asks of the calendar (places, periods, titles), parsed once a turn: the calendar, the
        follow-ups and the registration form all ask. Read it, never change it: handlers share it."""
        if self._query is None:
            self._query = self.library.events.parse(self.text, self.now)
        return self._query

    def reworded(self, text: str, norm: str, reading: Reading) -> Turn:
        """This turn with other words (a correction's, a button's payload): everything parsed from the words is
        parsed again; a plain `dataclasses.replace` would carry this turn's calendar query over to the new words."""
        return replace(self, text=text, norm=norm, reading=reading, _query=None)

    def intent(self, family: str) -> str | None:
        """The kind of intent of this family ("smalltalk" -> "thanks", "" for a family without kinds) when the
        message is one of its example phrases; None otherwise. Exact, so no embedding: intents read from meaning
        reach handlers through `claim_intent` (bot/router.py), once the cheap claims are known."""
        found = self.reading.intent(by_meaning=False)
        if found is None:
            return None
        name, _, kind = found.name.partition(".")
        return kind if name == family else None


@dataclass
class Outcome:
    """A handler's answer to a turn, and what it asks of the rest of the bot.

    `unanswered`: a question the bot could not answer; if the member then asks for a person, staff get it.
    `offers_person`: the reply asks whether to pass the question to staff, so a plain yes/no answers that.
    `switch_language`: the member chose a language; the engine remembers it.
    `erased`: the member had their data deleted in this turn; the engine saves no state and no transcript.
    `after_miss`: this turn opened a ticket right after the bot failed to answer (the miss was handed to staff).
    `registered`: the event the member registered for in this turn (a second "yes" at once is a double click).
    `keeps_offer`: this turn showed "did you mean" buttons, or was a pick among them: the offer stays open.
    `not_helpful`: the FAQ entry the member just called not helpful (a pick of it among buttons is taken back).
    `events`: the events the reply showed (one: its details; several: a list), `listing` the list's query (see
    handlers/context.py); with `answer_id`, what the conversational context remembers of this answer.
    `awaits_value`: the reply asks for a value typed freely (a name, a company): the member's next message is
    most likely that value, which no handler reads by meaning, so it is not embedded ahead of its turn.
    """

    replies: list[Reply]
    intent: Intent
    answer_id: str | None = None
    handoff: bool = False
    unanswered: str | None = None
    offers_person: bool = False
    switch_language: Lang | None = None
    erased: bool = False  # the member's data was just erased: nothing of this turn is stored either
    after_miss: bool = False
    registered: str | None = None
    keeps_offer: bool = False
    not_helpful: str | None = None
    events: tuple[str, ...] = ()
    listing: dict[str, Any] | None = None
    awaits_value: bool = False


class Transcript(Protocol):
    """The turn's lines in the member's transcript, as an observer may point at them."""

    def member_line(self) -> int:
        """The id of the member's message in the transcript (written at once if it is not yet)."""


class TurnObserver(Protocol):
    """Told of every answered turn inside its transaction (learning records, analytics): whatever it writes
    commits or rolls back with the turn. Observers are registered where the engine is built."""

    def observe(self, conn: Connection, turn: Turn, outcome: Outcome, transcript: Transcript) -> None:
        """Record what this turn means to the observer."""
