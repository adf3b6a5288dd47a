"""Events described by what they are about: the words of an event's title and description ("rail freight" of the
week whose sessions are on rail freight, "汽车零部件" of the meet-up for auto-parts suppliers). Members describe an
event by its topic as often as by its name (bot/understanding/event_resolver.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from bot.understanding.knowledge_files import Event


class EventTopics:
    def __init__(self, events: Iterable[Event], tokens: Callable[[str], set[str]], not_naming: set[str]):
        """`tokens`: the calendar's tokenizer; `not_naming`: words that name no event (places, the words of the
        whole knowledge)."""
        self._words = {ev.id: frozenset(tokens(" ".join([*ev.title.all(), *(ev.description.all() if ev.description
                                                                            else ())])) - not_naming)
                       for ev in events}
        self._df = Counter(tok for toks in self._words.values() for tok in toks)
        self._own = {event_id: frozenset(t for t in toks if self._df[t] == 1) for event_id, toks in self._words.items()}

    def pick(self, events: Sequence[Event], said: Iterable[str]) -> Event | None:
        """Of `events`, the one the message's words describe: two or more words only its title and description have
        in the calendar, unless another of `events` has half as many of the message's words that only two events
        share ("机床或者自动化设备的那种" fits the machinery fair by its machine tools, and the automation expo by its
        automation: both, so neither; "the course on dual-use goods and export licensing" is the export controls
        training, though "export" is also in "Chinese Exporters"). Words many events have tell nothing."""
        words = set(said)
        telling = [e for e in events if len(words & self._own[e.id]) >= 2]
        if len(telling) != 1:
            return None
        chosen = telling[0]
        rare, own = {w for w in words if self._df[w] == 2}, len(words & self._own[chosen.id])
        return None if any(2 * len(rare & self._words[e.id]) >= own for e in events if e.id != chosen.id) else chosen

    def explains(self, event: Event, said: Iterable[str]) -> bool:
        """Whether the event's topic accounts for what the message says: all of its words, or all but one beside
        three of the event's own ("the course on dual-use goods and export licensing"). "想参加你们的汽车零部件工作组"
        is about a working group, which no event is, though auto parts are one meet-up's."""
        words = set(said)
        rest = words - self._words[event.id]
        return not rest or (len(rest) == 1 and len(words & self._own[event.id]) >= 3)
