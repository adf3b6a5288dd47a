"""Conversation state, typed: each handler owns one slice (a dataclass), the engine owns its own.

The state is stored as JSON in the member's conversation row, one object per slice under the slice's KEY:
    {"engine": {...}, "registration": {...}, "handoff": {...}, "events": {...}, "context": {...}}
A handler asks for its slice with `turn.state.slice(MySlice)` and changes its fields; the engine writes every
slice back when the turn commits. A slice knows nothing of the others: what one handler wants another to do
travels in the handler's `Outcome` (e.g. "offer a person"), not in shared keys.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol, TypeVar


class Slice(Protocol):
    KEY: ClassVar[str]


S = TypeVar("S", bound=Slice)


@dataclasses.dataclass
class EngineState:
    """The engine's own keys: the member's explicit language choice and the options shown last (a number typed
    back selects one on channels without buttons)."""

    KEY: ClassVar[str] = "engine"
    lang_explicit: bool = False
    last_buttons: list[str] = dataclasses.field(default_factory=list)


# How long the conversational context lasts after the member's last message. Ten minutes: long enough to read an
# answer and ask the next thing, short enough that "and in March?" the next morning is read as a new question.
CONTEXT_MINUTES = 10


@dataclasses.dataclass
class Context:
    """What the last answers put in front of the member, so that a short follow-up ("and for non-members?",
    "where is that?", "只要三月份的") can be read against it (bot/understanding/followup.py).

    Written after every turn by one step (handlers/context.py), never by the handlers; read by handlers/followup.py.
    It lives in the conversation row, so "delete my data" erases it with the conversation. It lapses after
    CONTEXT_MINUTES without a message, and each new topic replaces it.
    """

    KEY: ClassVar[str] = "context"
    at: str | None = None  # ISO time (UTC) of the member's last message
    lang: str | None = None  # the language of the last answer
    shown: str | None = None  # what the last answer was: faq | event | list | suggest
    faq: str | None = None  # the FAQ entry last answered
    event: str | None = None  # the event last shown (its details, or the one event a question was about)
    events: list[str] = dataclasses.field(default_factory=list)  # the last list, every event of it in order
    # The list the event in view was picked from ("the second one", then "and when is the first one?").
    behind: list[str] = dataclasses.field(default_factory=list)
    filters: dict[str, Any] = dataclasses.field(default_factory=dict)  # the last list's query (handlers/context.py)
    suggestions: list[str] = dataclasses.field(default_factory=list)  # FAQ entries last offered as buttons
    question: str | None = None  # the member's last question that was answered, for corrections

    def live(self, now: datetime) -> bool:
        """True while the context is fresh enough to read a follow-up against."""
        if self.at is None:
            return False
        return now - datetime.fromisoformat(self.at) <= timedelta(minutes=CONTEXT_MINUTES)

    def clear(self) -> None:
        fresh = Context()
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(fresh, f.name))


class ConversationState:
    """The slices of one member's conversation, read from and written back to the stored JSON."""

    def __init__(self, raw: dict[str, Any] | None = None):
        self._raw: dict[str, Any] = _from_flat(dict(raw or {}))
        self._slices: dict[type[Any], Any] = {}

    def slice(self, cls: type[S]) -> S:
        found = self._slices.get(cls)
        if found is None:
            stored = self._raw.get(cls.KEY)
            known = _shape(cls)[0]
            # Fields a newer or older version wrote are dropped rather than failing the member's turn.
            values = {k: v for k, v in stored.items() if k in known} if isinstance(stored, dict) else {}
            found = cls(**values)
            self._slices[cls] = found
        return found

    def dump(self) -> dict[str, Any]:
        """The JSON to store: untouched slices as they were, changed ones as they are now, empty ones left out."""
        out = dict(self._raw)
        for cls, value in self._slices.items():
            names, default = _shape(cls)
            data = {name: getattr(value, name) for name in names}  # shallow: fields hold JSON values
            if data == default:
                out.pop(cls.KEY, None)
            else:
                out[cls.KEY] = data
        return out


_SHAPES: dict[type[Any], tuple[frozenset[str], dict[str, Any]]] = {}


def _shape(cls: type[Any]) -> tuple[frozenset[str], dict[str, Any]]:
    """A slice class's field names and its default values (worked out once: this runs on every turn)."""
    if cls not in _SHAPES:
        names = frozenset(f.name for f in dataclasses.fields(cls))
        default = cls()
        _SHAPES[cls] = names, {name: getattr(default, name) for name in names}
    return _SHAPES[cls]


# Before slices, state was one flat dict; a member mid-form during an upgrade keeps their form.
_FLAT: dict[str, tuple[str, str]] = {
    "lang_explicit": ("engine", "lang_explicit"), "last_buttons": ("engine", "last_buttons"),
    "reg": ("registration", "form"), "reg_cancel": ("registration", "cancelling"),
    "misses": ("handoff", "misses"), "offered_handoff": ("handoff", "offered"),
    "unanswered": ("handoff", "unanswered"), "awaiting_handoff": ("handoff", "awaiting_question"),
    "last_event": ("events", "last_event"),
}


def _from_flat(raw: dict[str, Any]) -> dict[str, Any]:
    for old, (key, name) in _FLAT.items():
        if old in raw:
            value = raw.pop(old)
            raw.setdefault(key, {}).setdefault(name, value)
    return raw
