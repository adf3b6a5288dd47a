"""Calendar questions: what's coming up, where and when, one event's details, and its .ics file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from bot.desk import calendar_text
from bot.desk.registrations import why_closed
from bot.i18n import t
from bot.messages import Button, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from bot.understanding import followup
from bot.understanding.event_query import EventQuery
from bot.understanding.event_resolver import ONLINE, describe, kind_label, kinds_in, narrow
from bot.understanding.knowledge_files import Event
from handlers import faq

_PAYLOAD = re.compile(r"^/(events|event|ics)(?: ([a-z0-9-]+))?$")  # "/events all": the whole calendar
MAX_LISTED = 8
MAX_ALL = 40  # "show all": a long list, still one message on every channel
MAX_BUTTONS = 4


@dataclass
class EventsState:
    KEY: ClassVar[str] = "events"
    last_event: str | None = None  # the event shown last: "send me the calendar file" means this one


def _state(turn: Turn) -> EventsState:
    return turn.state.slice(EventsState)


_ONLY = re.compile(r"^(only|just) (the )?|^(只要|只看|就要)")


# A series' last occurrence, told of rather than asked for by date ("上次代表团安排的翻译", "the last trade mission's
# interpreter", "去年的峰会"); a date asked of it ("去年的峰会在哪里办的") is still the calendar's, by its period.
_PAST_ONE = re.compile(r"上次|上回|上一次|上一届|去年的?|\blast (time|year'?s?)\b|\bthe (last|previous|past) ")


def _upcoming(turn: Turn, events: list[Event] | tuple[Event, ...]) -> list[Event]:
    """The events not yet over, soonest first (a series named is ranked by how well it was named, not by date)."""
    return sorted((ev for ev in events if ev.finishes >= turn.now), key=lambda ev: ev.starts)


# An opening calendar question may be longer than a follow-up ("is there an e-commerce workshop in Auckland next
# year?": a type, a place and a time).
CALENDAR_QUESTION_WORDS = 14


class EventsHandler(BaseHandler):
    name = "events"

    def check(self, turn: Turn) -> Claim | None:
        p = _PAYLOAD.match(turn.norm)
        if p:
            wanted = p.group(1) == "events" or turn.library.knowledge.event_by_id(p.group(2) or "")
            return Claim(Priority.COMMAND, p) if wanted else None
        q = turn.event_query()
        priority = self._priority(turn, q)
        ask = followup.first_question(turn.norm, words=CALENDAR_QUESTION_WORDS) if priority is None else None
        if ask is not None and turn.reading.faq_verdict().band != "answer":
            # "is there an e-commerce workshop in Auckland next year? we sell on Amazon AU and ...": the opening
            # question, whose rest only tells, is what the calendar reads (the telling hid the event's title),
            # unless the FAQ answers the whole ("do you do matchmaking with UK companies? we're a tea exporter").
            q = turn.library.events.parse(ask, turn.now)
            priority = self._priority(turn, q)
        return None if priority is None else Claim(priority, q)

    @staticmethod
    def _priority(turn: Turn, q: EventQuery) -> float | None:
        if q.titled and not q.period and _PAST_ONE.search(turn.norm) and turn.reading.faq_verdict().band == "answer":
            return None  # "我要投诉上次代表团安排的翻译": one that is over, the FAQ's (the calendar shows coming ones)
        if q.titled and (q.when_where or q.wants_ics or q.upcoming or q.period):
            return Priority.COMMAND  # the FAQ may describe a series, but only the calendar knows dates and places
        # "What's the ...": the details of the one event a place or time picks out ("the machinery fair in Milan",
        # "杜伊斯堡的合作周"); a series or an event named alone is the FAQ's to describe where it has an entry.
        if q.titled and (q.wants_details or (q.asks_what and q.has_filters)):
            # "tell me about the Frankfurt partnership week": a series narrowed by a place or time to one event is
            # about that event, whatever the FAQ says of the series.
            return Priority.COMMAND if q.has_filters else Priority.EVENT_DETAILS
        if q.titled and _ONLY.match(turn.norm):
            return Priority.CALENDAR_FILTERED  # "only the buyer meet-ups", nothing in view: the series, listed
        if q.titled and q.asks_what and turn.reading.faq_verdict().band == "answer":
            return None  # "中美中小企业合作周有什么内容": what the series is, the FAQ's entry on it
        if q.wants_ics and _state(turn).last_event:
            return Priority.EVENT_FILE
        if q.only_the_calendar_answers or (q.has_filters and (q.when_where or q.event_word)):
            if not q.titled and _faq_answers_the_rest(turn, q):
                return None
            return Priority.CALENDAR_QUESTION if q.only_the_calendar_answers else Priority.CALENDAR_FILTERED
        if q.titled:
            return Priority.EVENT_NAMED
        if q.has_filters and not q.residue:
            return Priority.PLACE_OR_TIME_ONLY  # "Germany?", "德国", "in March": nothing but a place or a time
        return None

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        outcome = self._answer(turn, claim)
        q = claim.parsed
        if isinstance(q, EventQuery) and not q.wants_ics:
            # The message may say more than the calendar explains (a question about the event's sponsorship, its
            # refunds): what the FAQ would offer for it comes under the calendar's answer.
            return faq.also_offer(turn, outcome, len(turn.library.events.unexplained(q)))
        return outcome

    def _answer(self, turn: Turn, claim: Claim) -> Outcome:
        lang = turn.lang
        kb = turn.library.knowledge
        if isinstance(claim.parsed, re.Match):
            p = claim.parsed
            if p.group(1) == "events":
                limit = MAX_ALL if p.group(2) == "all" else MAX_LISTED
                return self._list(turn, _upcoming(turn, kb.events), t("events_upcoming", lang), limit, {})
            ev = kb.event_by_id(p.group(2) or "")
            assert ev is not None
            return self._ics(turn, ev) if p.group(1) == "ics" else self._one(turn, ev)
        q: EventQuery = claim.parsed
        if q.wants_ics:
            targets = q.titled or [e for e in [kb.event_by_id(_state(turn).last_event or "")] if e]
            if len(targets) == 1:
                return self._ics(turn, targets[0])
            if targets:
                return self._choose(turn, _upcoming(turn, targets) or targets, t("ics_which", lang), "ics")
        if q.titled:
            placed = narrow(q, q.titled)  # "the Frankfurt partnership week": the series narrowed by place too
            if q.narrowed and not _upcoming(turn, placed):
                return self._none(turn, q)  # "only the ones in the US" of a series that has none there
            in_period = placed or narrow(q, q.titled, place=False) or q.titled
            upcoming = _upcoming(turn, in_period)
            if q.narrowed and upcoming:
                # A list narrowed by a follow-up stays a list, even of one: "only the one in China" answers which.
                return self._list(turn, upcoming, t("events_matching", lang), listing=q.listing())
            if len(in_period) == 1 or not upcoming:
                latest = upcoming[0] if upcoming else max(in_period, key=lambda e: e.starts)
                return self._one(turn, latest)
            if len(upcoming) == 1:
                return self._one(turn, upcoming[0])
            return self._list(turn, upcoming, t("events_matching", lang), listing=q.listing())
        upcoming = _upcoming(turn, kb.events)
        if ONLINE in kinds_in(turn.norm):
            # "any online events coming up?": the events held online only; a list of the others would read as
            # the answer.
            held_online = narrow(q, upcoming, frozenset({ONLINE}))
            if not held_online:
                return self._none(turn, q, t("events_none_online", lang))
            return self._list(turn, held_online, t("events_online", lang), listing=q.listing())
        kinds = kinds_in(turn.norm) - {ONLINE}
        if not q.has_filters and not kinds:
            return self._list(turn, upcoming, t("events_upcoming", lang), listing={})
        chosen = narrow(q, upcoming, kinds)
        label = describe(q, lang, turn.library.events.city_display[lang])
        if kinds:
            # "有啥展会", "any trade fairs in Japan?": of that type only; a follow-up narrows within them.
            said = {"kind": kind_label(kinds, lang), "filters": f" {label}" if label and lang == "en" else label}
            if not chosen:
                return self._none(turn, q, t("events_none_of_kind", lang, **said))
            return self._list(turn, chosen, t("events_of_kind", lang, **said),
                              listing={**q.listing(), "series": [e.id for e in chosen]})
        if not chosen:
            return self._none(turn, q)
        return self._list(turn, chosen, t("events_filtered", lang, filters=label), listing=q.listing())

    def _none(self, turn: Turn, q: EventQuery, said: str | None = None) -> Outcome:
        """`said`: what is not there, when it is more than the query's place and time ("no online events")."""
        # Say so plainly; listing unrelated events would read as an answer.
        lang = turn.lang
        if said is None:
            said = t("events_none", lang, filters=describe(q, lang, turn.library.events.city_display[lang]))
        text = said + "\n" + t("events_none_hint", lang)
        return Outcome([Reply(text, (Button(t("btn_events", lang), "/events"),))], "events", listing=q.listing())

    def _list(self, turn: Turn, events: list[Event], header: str, limit: int = MAX_LISTED,
              listing: dict[str, Any] | None = None) -> Outcome:
        """`listing`: the query the list answers (EventQuery.listing), kept in the conversational context."""
        lang = turn.lang
        if not events:
            return Outcome([Reply(t("events_none_at_all", lang))], "events", listing=listing)
        shown = events[:limit]
        lines = [header, *(calendar_text.summary_line(e, lang) for e in shown)]
        buttons = tuple(Button(t("btn_details", lang, title=e.title.get(lang)), f"/event {e.id}")
                        for e in shown[:MAX_BUTTONS])
        if len(events) > len(shown):  # never a silently shortened calendar: say how many more, offer them all
            lines.append(t("events_more", lang, count=len(events) - len(shown)))
            buttons += (Button(t("btn_events_all", lang, count=len(events)), "/events all"),)
        if len(shown) == 1:
            _state(turn).last_event = shown[0].id
        return Outcome([Reply("\n".join(lines), buttons)], "events", events=tuple(e.id for e in events),
                       listing=listing if listing is not None else {})

    def _choose(self, turn: Turn, events: list[Event], question: str, action: str) -> Outcome:
        buttons = tuple(Button(e.title.get(turn.lang), f"/{action} {e.id}") for e in events[:MAX_BUTTONS])
        return Outcome([Reply(question, buttons)], "events")

    def _one(self, turn: Turn, ev: Event) -> Outcome:
        lang = turn.lang
        _state(turn).last_event = ev.id
        if ev.finishes < turn.now:
            text = t("event_over", lang, title=ev.title.get(lang), date=calendar_text.date_range(ev, lang))
            return Outcome([Reply(text + "\n" + t("event_more_upcoming", lang),
                                  (Button(t("btn_events", lang), "/events"),))], "events", events=(ev.id,))
        buttons: tuple[Button, ...] = (Button(t("btn_ics", lang), f"/ics {ev.id}"),)
        if why_closed(ev, turn.now) is None:
            buttons = (Button(t("btn_register", lang), f"/register {ev.id}"), *buttons)
        return Outcome([Reply(calendar_text.details(ev, lang), buttons)], "events", events=(ev.id,))

    def _ics(self, turn: Turn, ev: Event) -> Outcome:
        _state(turn).last_event = ev.id
        att = calendar_text.ics(ev, turn.lang, turn.now)
        return Outcome([Reply(t("ics_here", turn.lang, title=ev.title.get(turn.lang)), attachments=(att,))], "events",
                       events=(ev.id,))


def _faq_answers_the_rest(turn: Turn, q: EventQuery) -> bool:
    """A question with a word for what is next, or a place, but no event named, whose other words the calendar does
    not explain and the FAQ answers: the FAQ's ("联盟接下来有什么规划": the association's plans;
    "对接会是怎么安排洽谈的": how the meetings work; "苏州办公室在哪 周六上班吗": the office). A place beside a type of
    event stays the calendar's; so does a place beside one word of an event's title ("Rotterdam CE"), while one word
    the calendar has nowhere is the rest ("where is the Suzhou office": the office, not the Suzhou expo)."""
    if not q.residue:
        return False  # a calendar question and nothing else ("what's coming up", "events in Germany"): not embedded
    if q.event_word:
        # Coming to an event as the occasion of a question both readers answer from one entry ("我们要去欧洲参加
        # 你们的活动，能帮忙开个签证邀请函吗": the invitation letter); else a type of event and a place, or what is
        # coming ("any trade fairs or expos on the horizon?"): the calendar.
        return not q.upcoming and len(turn.library.events.unexplained(q)) >= 2 and _both_answer(turn)
    if len(q.residue) == 1 and (q.upcoming or not turn.library.events.unexplained(q)):
        return False  # "最近有什么安排": what is next, in other words
    soft_upcoming = q.upcoming and not q.has_filters
    if not soft_upcoming and kinds_in(turn.norm):
        return False
    return turn.reading.faq_verdict().band != "none"


def _both_answer(turn: Turn) -> bool:
    """The FAQ answers, and the member's words find the same entry first as the meaning does."""
    verdict, lexical = turn.reading.faq_verdict(), turn.reading.lexical()
    return verdict.band == "answer" and bool(lexical) and lexical[0].id == verdict.options[0] \
        and lexical[0].score >= turn.library.reader.thresholds.lexical_answer
