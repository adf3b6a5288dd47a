"""The loaded knowledge together with the indexes built from it, shared by all turns of a process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.understanding.event_query import EventMatcher
from bot.understanding.faq_index import Doc, FaqIndex
from bot.understanding.knowledge_files import Knowledge, load


@dataclass(frozen=True)
class Library:
    knowledge: Knowledge
    faq: FaqIndex
    events: EventMatcher

    @classmethod
    def build(cls, knowledge: Knowledge) -> Library:
        docs = [Doc(e.id, e.questions, e.answer.all(), (*e.tags, e.id.replace("-", " "))) for e in knowledge.faq]
        return cls(knowledge, FaqIndex(docs, knowledge.synonyms), EventMatcher(knowledge.events, knowledge.synonyms))

    @classmethod
    def load(cls, directory: Path | str | None = None) -> Library:
        return cls.build(load(directory))
