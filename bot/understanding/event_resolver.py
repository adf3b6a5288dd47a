"""Which events a message means: by name or part of one, place, period and type of event.

One resolver for the calendar ("events in Frankfurt in June") and for registration ("sign me up for the Frankfurt
week in June"), so both read a description of an event the same way.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from bot.i18n import t
from bot.messages import Lang
from bot.understanding import text
from bot.understanding.event_query import EventMatcher, EventQuery
from bot.understanding.knowledge_files import Event
from bot.understanding.periods import month_period, names_a_year

# Types of event a member names instead of a title, with how each reads in the other language. Tags and titles of
# the calendar's events give their types with the same patterns. "展" alone is an exhibition, but not in "发展".
KINDS: dict[str, tuple[re.Pattern[str], str, str]] = {
    "matchmaking": (re.compile(r"matchmak|对接"), "matchmaking event", "对接会"),
    "expo": (re.compile(r"\bexpos?\b|\bfairs?\b|\bexhibitions?\b|trade shows?|博览会|展会|展览|(?<!发)展"),
             "expo", "展会"),
    "forum": (re.compile(r"\bforums?\b|论坛"), "forum", "论坛"),
    "summit": (re.compile(r"\bsummits?\b|峰会"), "summit", "峰会"),
    "week": (re.compile(r"partnership[- ]week|(?<!next )(?<!this )(?<!last )\bweek\b|合作周"),
             "partnership week", "合作周"),
    "training": (re.compile(r"\bworkshops?\b|\btrainings?\b|培训|工作坊"), "workshop", "培训"),
    # A seminar or webinar is a talk, not a course: "the training" is not the e-commerce webinar.
    "seminar": (re.compile(r"\bseminars?\b|\bwebinars?\b|研讨|讲座"), "seminar", "研讨会"),
    "mission": (re.compile(r"trade[- ]missions?|delegations?|代表团"), "trade mission", "代表团"),
}


# An event held online is not a type of event but a way of holding one: a member who asks for "the webinar" or "线上
# 研讨会" means an online one, whatever its type. "register online" and "线上报名" say how to register, not which
# event: the word counts only before a word for an event. An event is online when a tag says so ("online",
# "webinar", "virtual", "线上") or its title does.
ONLINE = "online"
_ONLINE_ASKED = re.compile(
    r"\bwebinars?\b|\b(online|virtual)( \w+)? (events?|seminars?|sessions?|workshops?|trainings?|courses?|forums?|"
    r"summits?|conferences?|meetings?|matchmaking|expos?|fairs?|talks?|classes)\b|"
    r"(线上|在线|网上|网络|云端?)的?(研讨|培训|讲座|活动|会议|论坛|峰会|展会|对接|课程|直播)")
_ONLINE_TAGS = frozenset({"online", "webinar", "virtual", "线上", "在线"})


def kinds_in(norm: str) -> frozenset[str]:
    """The types of event named in normalised text, and ONLINE when it asks for an event held online."""
    found = {kind for kind, (pattern, _, _) in KINDS.items() if pattern.search(norm)}
    if _ONLINE_ASKED.search(norm):
        found.add(ONLINE)
    return frozenset(found)


@lru_cache(maxsize=4096)
def _kinds_of_text(described: str) -> frozenset[str]:
    return kinds_in(described)


def kinds_of(event: Event) -> frozenset[str]:
    """An event's types, read from its tags and its titles in every language, and ONLINE for one held online."""
    found = _kinds_of_text(" ".join((*event.tags, *(text.normalize(tt) for tt in event.title.all()))))
    if _ONLINE_TAGS & {tag.lower() for tag in event.tags}:
        found |= {ONLINE}
    return found


def _fits(kinds: frozenset[str], event: Event) -> bool:
    """Whether an event is of one of the types asked for (any, if none), and online where that was asked."""
    has = kinds_of(event)
    if ONLINE in kinds and ONLINE not in has:
        return False
    types = kinds - {ONLINE}
    return not types or bool(types & has)


def narrow(q: EventQuery, events: Iterable[Event], kinds: frozenset[str] = frozenset(),
           place: bool = True) -> list[Event]:
    """The events that fit the query's place (unless `place` is off), period and types of event."""
    return [e for e in events
            if (not place or q.matches_place(e)) and (q.period is None or q.period.contains(e))
            and (not kinds or _fits(kinds, e))]


def a_year_on(q: EventQuery, norm: str, events: Iterable[Event], now: datetime) -> EventQuery:
    """A month named bare to narrow a list ("那11月份的是哪个" late in November, below next year's events): where none
    of the list's events is left in this year's month but some are in next year's, next year's."""
    p = q.period
    if p is None or p.label_key != "period_month" or names_a_year(norm):
        return q
    pool = q.titled or list(events)
    later = dataclasses.replace(q, period=month_period(p.start.year + 1, p.start.month))
    left = [[e for e in narrow(query, pool) if e.starts >= now] for query in (q, later)]
    return later if left[1] and not left[0] else q


def describe(q: EventQuery, lang: Lang, city_names: dict[str, str]) -> str:
    """The query's place and period in words ("in Frankfurt in June 2027", "法兰克福2027年6月")."""
    parts = []
    where = q.place_label(lang, city_names)
    if where:
        parts.append(t("filter_outside_place" if q.outside else "filter_in_place", lang, place=where))
    if q.period:
        label = q.period.label(lang)
        # "in June 2027", but "next month", "this week" and "in 2 weeks" take no "in"
        relative = lang == "en" and label.startswith(("next ", "this ", "in ", "before "))
        parts.append(label if relative else t("filter_in_period", lang, period=label))
    return ("" if lang == "zh" else " ").join(parts)


def kind_label(kinds: frozenset[str], lang: Lang) -> str:
    """What the member called the event ("summit", "对接会"), or plain "event" when they named no type."""
    names = [KINDS[k][2] if lang == "zh" else KINDS[k][1] for k in sorted(kinds - {ONLINE})]
    if not names:
        names = ["活动" if lang == "zh" else "event"]
    said = ("、" if lang == "zh" else " or ").join(names)
    if ONLINE in kinds:
        return f"线上{said}" if lang == "zh" else f"online {said}"
    return said


@dataclass(frozen=True)
class Resolution:
    """What a message says about which event it means. `matches`: the events of the calendar it describes,
    soonest first, past and closed ones included (the caller says why they can't be chosen)."""

    query: EventQuery
    kinds: frozenset[str]
    matches: tuple[Event, ...]

    @property
    def named(self) -> bool:
        return bool(self.query.titled)

    @property
    def described(self) -> bool:
        """The message names or describes an event: a title, a place, a period or a type of event."""
        return bool(self.query.titled or self.query.has_filters or self.kinds)


def resolve(matcher: EventMatcher, message: str, now: datetime, fuzzy_names: bool = False) -> Resolution:
    """The events a message means. A title narrowed by place, period or type keeps only what fits ("the
    partnership week in June"); a description without a title is looked for in the whole calendar.
    `fuzzy_names`: look for a misspelt title even without a calendar word (a registration names its event)."""
    q = matcher.parse(message, now)
    norm = text.normalize(message)
    if fuzzy_names and not q.titled:
        q.titled = matcher.match_titles(norm)
    kinds = kinds_in(norm)
    if q.titled and kinds and all(kinds_in(w) for w in matcher.words_shared(norm, q.titled)):
        # Named only by a type of event that one title spells ("register me for a fair next year" and the Machinery
        # Fair): every event of that type.
        q.titled = []
    pool: Sequence[Event] = q.titled or matcher.events
    if q.titled or q.has_filters or kinds:
        found = narrow(q, pool, kinds)
        if not found and q.titled:  # a type word the title doesn't spell ("the Vienna conference") is no filter
            found = narrow(q, pool) if q.has_filters else list(q.titled)
    else:  # no name, place, time or type: an event the message describes by what it is about, if one
        topical = matcher.topics.pick(matcher.events, q.residue)
        found = [topical] if topical is not None and matcher.topics.explains(topical, q.residue) else []
    if not q.titled and len(found) > 1:
        found = _closest_titles(matcher, found, q.residue)
    return Resolution(q, kinds, tuple(sorted(found, key=lambda e: e.starts)))


def _closest_titles(matcher: EventMatcher, found: Sequence[Event], residue: Iterable[str]) -> list[Event]:
    """Of several events a description fits, the one whose title alone in the calendar has two or more of the words
    the message says: "那个CE认证培训，还来得及不" fits every training by its type word, but only one title says CE and
    认证. One such word may be the member's own business ("带我们的自动化设备去参展" beside an automation expo). Words
    several titles share ("供应商" of a series) and types of event ("fair" in one title, "expo" in the other) tell
    nothing apart. Without such words, all."""
    said = {w for w in residue if not any(pattern.search(w) for pattern, _, _ in KINDS.values())
            and not _ONLINE_ASKED.search(w)}
    telling = [e for e in found if len(said & matcher.own_title_words(e)) >= 2]
    if len(telling) != 1 and (topical := matcher.topics.pick(found, said)) is not None:
        telling = [topical]  # else what it is about ("汽车零部件的对接会": the meet-up for auto-parts suppliers)
    return telling if len(telling) == 1 else list(found)
