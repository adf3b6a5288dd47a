"""What a handler sees of one turn, and what it gives back. No platform object appears here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.messages import Incoming, Intent, Lang, Reply

if TYPE_CHECKING:
    from bot.desk.office_hours import OfficeHours
    from bot.storage.turn_store import Store
    from bot.understanding.knowledge_base import Library


@dataclass
class Turn:
    incoming: Incoming
    text: str  # cleaned text as the member wrote it (control characters removed, cut to a sane length)
    norm: str  # normalised for matching: lower case, simplified Chinese, no markup
    lang: Lang  # the language to answer in
    state: dict[str, Any]  # the conversation's saved state; handlers may change it, the engine saves it
    now: datetime  # aware, UTC
    library: Library
    store: Store
    office_hours: OfficeHours | None = None
    cache: dict[str, Any] = field(default_factory=dict)  # per-turn memo shared by matches() and handle()


@dataclass
class Outcome:
    replies: list[Reply]
    intent: Intent
    answer_id: str | None = None
    handoff: bool = False


class Handler(Protocol):
    """Claims a turn with a score in (0, 1] (or None), then answers it. Highest score wins.

    A handler whose `matches` is costly may also have `ceiling(turn) -> float`, the most `matches` could give:
    the router then skips it when an earlier handler already scored that much.
    """

    name: str

    def matches(self, turn: Turn) -> float | None: ...

    def handle(self, turn: Turn) -> Outcome: ...
