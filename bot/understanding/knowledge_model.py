"""What a knowledge directory holds, once loaded and checked: FAQ entries, events, synonyms, intent phrases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

from bot.messages import Lang


@dataclass(frozen=True, slots=True)
class Text:
    """A text in several languages; `en` is always present."""

    en: str
    zh: str | None = None

    def get(self, lang: Lang) -> str:
        return (self.zh if lang == "zh" else None) or self.en

    def all(self) -> list[str]:
        return [t for t in (self.en, self.zh) if t]


@dataclass(frozen=True, slots=True)
class FaqEntry:
    id: str
    questions: tuple[str, ...]
    answer: Text
    handoff: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    title: Text
    starts: datetime  # aware, in the venue's time zone
    timezone: str
    ends: datetime | None = None
    city: Text | None = None
    country: str | None = None
    venue: str | None = None
    capacity: int | None = None
    registration_closes: datetime | None = None
    description: Text | None = None
    tags: tuple[str, ...] = ()
    registration_open: bool = True  # staff closed registration (events.yaml or the dashboard)

    @property
    def finishes(self) -> datetime:
        return self.ends or self.starts


@dataclass(frozen=True)
class Knowledge:
    directory: Path
    faq: tuple[FaqEntry, ...]
    events: tuple[Event, ...]
    synonyms: tuple[tuple[str, ...], ...] = ()
    # Example phrases by intent ("handoff", "smalltalk.thanks", "language.zh", ...): intents.yaml
    intents: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def faq_by_id(self, entry_id: str) -> FaqEntry | None:
        return self._faq_ids.get(entry_id)

    def event_by_id(self, event_id: str) -> Event | None:
        return self._event_ids.get(event_id)

    # By id, made on first use: a turn looks entries up many times, and a scan of 100,000 entries costs milliseconds.
    # (cached_property writes the instance's __dict__ directly, so the frozen dataclass allows it.) The loader
    # refuses a repeated id (knowledge_yaml.py); were one repeated, the first would win, as a scan's would.
    @cached_property
    def _faq_ids(self) -> dict[str, FaqEntry]:
        return {e.id: e for e in reversed(self.faq)}

    @cached_property
    def _event_ids(self) -> dict[str, Event]:
        return {e.id: e for e in reversed(self.events)}
