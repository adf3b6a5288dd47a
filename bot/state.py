"""Conversation state, typed: each handler owns one slice (a dataclass), the engine owns its own.

The state is stored as JSON in the member's conversation row, one object per slice under the slice's KEY:
    {"engine": {...}, "registration": {...}, "handoff": {...}, "events": {...}}
A handler asks for its slice with `turn.state.slice(MySlice)` and changes its fields; the engine writes every
slice back when the turn commits. A slice knows nothing of the others: what one handler wants another to do
travels in the handler's `Outcome` (e.g. "offer a person"), not in shared keys.
"""

from __future__ import annotations

import dataclasses
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
