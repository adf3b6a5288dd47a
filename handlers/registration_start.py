"""Starting a registration: which event the member means, through the resolver the calendar uses.

One open match: its form starts. Several: the member chooses among those only. None open: say why (over,
registration closed, nothing in that month or place) and offer what is open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.desk import registrations as regs
from bot.i18n import t
from bot.turn import Outcome, Turn
from bot.understanding.event_resolver import Resolution, describe, kind_label
from bot.understanding.knowledge_files import Event
from handlers import faq
from handlers.registration_form import begin, choose, why_not_text
from handlers.registration_words import BOOKING_STEM, EVENT_THING, REGISTER

# Asking which events one can sign up for: what is open answers it, not "no event by that name".
_ASKS_WHICH = re.compile(r"\b(which|what) (events?|ones?)\b|哪些|哪几|有什么|有啥")
MAX_REASONS = 3  # events named but not open, each with why; more would bury the list of open ones


@dataclass(frozen=True)
class Start:
    """The claim for starting a registration: a button's event id, or what the message said about the event."""

    event_id: str | None = None
    found: Resolution | None = None
    names_something: bool = False  # words after "register for" that no event matched ("for the gala dinner")


def names_something(norm: str) -> bool:
    """Whether the message names an event after the registration words ("register for X", "报名参加X")."""
    rest = REGISTER.sub("", norm)
    return bool(re.search(r"\b(for|to|in)\s+\w", rest) or re.search(r"参加\S{2,}|报名\S{2,}", norm))


def open_events(turn: Turn) -> list[Event]:
    return [e for e in turn.library.knowledge.events if regs.why_closed(e, turn.now) is None]


def start(turn: Turn, claim: Start) -> Outcome:
    lang = turn.lang
    if claim.event_id:
        ev = turn.library.knowledge.event_by_id(claim.event_id)
        return begin(turn, ev) if ev else choose(turn, open_events(turn), t("reg_no_match", lang))
    found = claim.found
    if found is not None and found.matches:
        return _from_matches(turn, list(found.matches))
    if found is not None and found.described:  # a place, month or type, and nothing of the calendar in it
        return _with_faq(turn, found, _nothing_described(turn, found))
    if _ASKS_WHICH.search(turn.norm):  # "which events can we still register for?", "还能报名的活动有哪些"
        header = t("reg_open_instead", lang)
    else:
        header = t("reg_no_match", lang) if claim.names_something else t("reg_which_event", lang)
    outcome = choose(turn, open_events(turn), header)
    return outcome if found is None else _with_faq(turn, found, outcome)


def _with_faq(turn: Turn, found: Resolution, outcome: Outcome) -> Outcome:
    """Booking words about something no event is ("I'd like to sign up to coach newer exporters, I've shipped to Japan
    for 12 years", "想参加你们的汽车零部件工作组"): what the FAQ would offer comes under the list of open events. A
    message that calls it an event ("an event in Vienna in March") is about an event, whatever else it says."""
    if EVENT_THING.search(turn.norm):
        return outcome
    return faq.also_offer(turn, outcome, len(other_words(turn, found)), at_least=2)


def other_words(turn: Turn, found: Resolution) -> list[str]:
    """The words of a booking message besides the booking's own that the calendar does not explain: what else it is
    about ("导师" in "我想当导师怎么报名"); none in "帮我报名" or "sign me up pls"."""
    return [w for w in turn.library.events.unexplained(found.query) if not BOOKING_STEM.match(w)]


def _from_matches(turn: Turn, matches: list[Event]) -> Outcome:
    open_ = [e for e in matches if regs.why_closed(e, turn.now) is None]
    if len(open_) == 1:
        return begin(turn, open_[0])
    if open_:
        return choose(turn, open_, t("reg_which_event", turn.lang))
    # None open (a past edition, a closed one): say why for each, then what is open instead.
    reasons = [why_not_text(e, regs.why_closed(e, turn.now) or "past", turn.lang) for e in matches[-MAX_REASONS:]]
    return choose(turn, open_events(turn), t("reg_open_instead", turn.lang), lead="\n".join(reasons))


def _nothing_described(turn: Turn, found: Resolution) -> Outcome:
    """A place, a month or a type of event with no event of the calendar in it: say so, offer what is open."""
    lang = turn.lang
    where_when = describe(found.query, lang, turn.library.events.city_display[lang])
    what = kind_label(found.kinds, lang)
    if where_when:
        lead = t("reg_none_described", lang, what=what, filters=where_when)
    else:
        lead = t("reg_none_of_kind", lang, what=what)
    return choose(turn, open_events(turn), t("reg_open_instead", lang), lead=lead)
