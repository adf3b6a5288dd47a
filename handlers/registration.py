"""Event registration by conversation: which turns are about registering, and who answers them.

`check` reads the message once into a typed claim; `handle` acts on that claim without reading the text again.
The form is in handlers/registration_form.py, choosing the event in handlers/registration_start.py (through the
resolver the calendar uses, bot/understanding/event_resolver.py), and the member's registrations and cancelling in
handlers/my_registrations.py.
"""

from __future__ import annotations

import re

from bot.messages import Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from bot.understanding import list_places
from bot.understanding.event_resolver import Resolution, resolve
from bot.understanding.meaning import IntentVerdict
from bot.understanding.text import normalize
from handlers import context
from handlers import my_registrations as mine
from handlers import registration_form as form_steps
from handlers import registration_words as words
from handlers.handoff_words import PLAIN_REQUEST
from handlers.registration_form import Again, Form, FormAnswer, answers_step, form_of, read_answer
from handlers.registration_start import Start, names_something, other_words, start

_INTENTS = ("register", "my_registrations", "cancel_registration")
# At most this share of a booking message's other words (by rarity) missing from the FAQ entry both readers put first:
# the message is about that entry's thing. On the development sets the one such message seen had 0.42 ("我想当导师怎么
# 报名"); messages about events had 0.7 and more.
MOSTLY_UNCOVERED = 0.5
VALUE_STEPS = ("name", "company", "email", "field")  # the form's steps answered with a value typed freely


def _faq_answers_money(turn: Turn) -> bool:
    """Whether the FAQ would answer with an entry whose every question asks about money or conditions (a refund, a
    fee): such an entry speaks of registering but does not say how to register."""
    verdict = turn.reading.faq_verdict()
    entry = turn.library.knowledge.faq_by_id(verdict.options[0]) if verdict.band == "answer" else None
    return entry is not None and all(words.POLICY.search(normalize(q)) for q in entry.questions)


def _asks(norm: str) -> bool:
    """A question, also one that ends on the particle of "A不A" ("能换同事去不") or asks in mid-sentence ("i can't make
    it, can my colleague go instead")."""
    return bool(words.QUESTION.search(norm) or re.search(r"\b(can|could|may) (i|we|my|our|someone|somebody|a|an)\b",
                                                           norm)) or norm.rstrip(" ?？。.!！").endswith(("不", "没"))


def _faq_sure(turn: Turn) -> bool:
    """The FAQ answers the message from its words, not from its meaning alone ("can I attend the webinar online?";
    "Can I join the trade mission to Vietnam?" is only near the entry on what a trade mission is)."""
    verdict = turn.reading.faq_verdict()
    return verdict.band == "answer" and verdict.strength >= turn.library.reader.thresholds.lexical_sure


def _occasion_of_a_question(turn: Turn, found: Resolution) -> bool:
    """Coming to an event as the occasion of a question the FAQ answers, asked in a clause of its own: not a wish to
    be registered ("我们要去欧洲参加你们的活动，能帮忙开个签证邀请函吗": the invitation letter; "Can I join the trade
    mission to Vietnam?" asks to come)."""
    # (a space between Chinese words parts clauses as well, as members type on a phone: "要去日本参加活动 得办签证")
    clauses = re.split(r"[,，;；.。!！]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", turn.norm)
    asked = [c for c in clauses if words.QUESTION.search(c)]
    return not found.named and bool(asked) and not any(words.ATTEND.search(c) for c in asked) \
        and turn.reading.faq_verdict().band == "answer"


def _books_nothing(norm: str) -> bool:
    """Registration words that ask the FAQ's rules, not for a booking: someone else going on one ("can I go in his
    place on his registration?"), or the association's own registration as a legal body ("its registration number")."""
    return bool(words.SOMEONE_ELSE_GOES.search(norm) or words.LEGAL_REGISTRATION.search(norm))


def _joins_us(norm: str, found: Resolution) -> bool:
    """Booking words for joining the association ("sign my company up as a member", "我想报名入会"), with no event
    described or called one."""
    return bool(words.JOINING_US.search(norm)) and not (found.described or words.EVENT_THING.search(norm))


def _about_faq_thing(turn: Turn, found: Resolution) -> bool:
    """Registration words about something the FAQ offers and the calendar does not hold ("我想当导师怎么报名", "how do
    we sign our company up as a member", "can I join the machinery working group"): the FAQ's "did you mean" meets
    it, a list of every open event does not. An event named, described or called an event keeps the form."""
    if found.named or found.described or words.EVENT_THING.search(turn.norm):
        return False
    # The words besides the booking ones, read first: a plain "帮我报名" has none and is never embedded for this.
    lexical = turn.reading.lexical()
    if not other_words(turn, found) or not lexical:
        return False
    verdict, semantic = turn.reading.faq_verdict(), turn.reading.semantic_faq(1)
    if verdict.band != "suggest" or not semantic:
        return False
    top = verdict.options[0]
    if lexical[0].id != top or semantic[0][0] not in verdict.options[:2]:
        # Both readers must name the entries offered first ("我想当导师怎么报名": becoming a mentor by the words,
        # the mentoring programme by meaning): one alone is too weak to take a booking away.
        return False
    # Those words are mostly the entry's ("导师" beside the mentoring entry).
    return turn.library.reader.faq.uncovered(words.REGISTER.sub(" ", turn.norm), top) <= MOSTLY_UNCOVERED


class RegistrationHandler(BaseHandler):
    name = "registration"

    def check(self, turn: Turn) -> Claim | None:
        if turn.store.has_open_ticket():
            return None  # staff have the conversation; the form waits until the member is back with the bot
        norm = turn.norm
        p = words.PAYLOAD.match(norm)
        form = form_of(turn)
        if form.confirmed and not form.active and ((p and p.group(1) == "yes") or words.YES.match(norm)):
            return Claim(Priority.FORM_STEP, Again())
        if p and (p.group(1) in ("register", "cancelreg") or form.active or form.cancelling is not None):
            return Claim(Priority.COMMAND, self._button(turn, form, p))
        if form.cancelling is not None:
            answered = words.YES.match(norm) or words.NO.match(norm) or words.ABANDON.match(norm)
            return Claim(Priority.FORM_STEP, mine.FinishCancel(bool(words.YES.match(norm)))) if answered else None
        if form.active:
            said = read_answer(turn, form, None)
            if answers_step(turn, form, said):
                return Claim(Priority.FORM_STEP, said)
            if form.step == "choose" and words.REGISTER.search(norm):
                return self._request(turn)  # offered a list, the member asks for another event by name
            return None  # a question mid-form: someone else answers it, then the form resumes
        return self._request(turn)

    @staticmethod
    def _button(turn: Turn, form: Form, p: re.Match[str]) -> Start | FormAnswer | mine.AskCancel | mine.FinishCancel:
        action, arg = p.group(1), p.group(2)
        if action == "cancelreg":
            return mine.AskCancel(int(arg or 0) if (arg or "").isdigit() else 0)
        if form.cancelling is not None:
            return mine.FinishCancel(action == "yes")
        if action == "register":
            return Start(event_id=arg)
        return read_answer(turn, form, action)

    def _request(self, turn: Turn) -> Claim | None:
        """A request with no form in progress: my registrations, cancel one, register for an event."""
        norm = turn.norm
        if words.WANTS_PERSON.search(norm) or PLAIN_REQUEST.found(norm):
            return None  # a request for staff, whatever registration words come with it (handlers/handoff.py)
        if turn.reading.word_for_word():
            return None  # an FAQ question typed as staff wrote it or members taught it ("能不能帮我加急预约签证面签")
        listing = words.MY_REGS.search(norm) or words.asks_after_booking(norm)
        if words.CANCEL_REG.search(norm) or words.leaves_booking(norm):  # a cancellation, not a listing
            if words.POLICY.search(norm) or (words.SOMEONE_ELSE_GOES.search(norm) and _asks(norm)):
                # "do I get my money back if I cancel my registration?", "我去不了，能换同事去吗": questions for the FAQ
                # ("名额让给别人吧，我不去了" asks nothing: a cancellation)
                return None
            named = frozenset(e.id for e in turn.library.events.match_titles(norm))
            # Naming or describing the event ("unregister me from the workshop in November", "新加坡那个峰会我想撤了")
            # is as plain as a command: the calendar, which claims an event with a place or a month that high, must
            # not answer it with the event's details.
            described = resolve(turn.library.events, turn.text, turn.now).described
            explicit = bool(listing or named or described)
            return Claim(Priority.COMMAND if explicit else Priority.CANCEL_REGISTRATION, mine.CancelWhich(named))
        if _books_nothing(norm):
            return None  # a cancellation (above) stays one, whatever else it says; the rest asks the FAQ
        if listing and not words.MONEY.search(norm):
            # "I cancelled my booking, will I be refunded?" names the member's bookings but asks about money back
            return Claim(Priority.COMMAND, mine.ListMine())
        asks = words.REGISTER.search(norm)
        wish = words.STRONG_WISH.search(norm)
        # "Can I join the trade mission to Vietnam?", "how can I attend the summit": a question about coming to an
        # event asks to be signed up, unless the FAQ answers it ("can I attend the webinar online?").
        attends = words.ATTEND.search(norm) and not words.NOT_ATTENDING.search(norm) \
            and (wish or (words.WANTS.search(norm) and not _faq_sure(turn)))
        if asks or attends:
            if words.POLICY.search(norm) and not wish:
                return None  # "what's the registration fee?" asks about registering; it does not register
            found = resolve(turn.library.events, turn.text, turn.now, fuzzy_names=bool(asks))
            if _joins_us(norm, found) or (not asks and _occasion_of_a_question(turn, found)):
                return None  # membership, or a question the FAQ answers: the FAQ's
            if not found.named and (picked := _one_of_the_list(turn)) is not None:
                return Claim(Priority.COMMAND, Start(event_id=picked))  # "帮我报第三个" under a list of events
            if found.named or (found.described and (wish or words.WANTS.search(norm))):
                return Claim(Priority.COMMAND, Start(found=found))
            if found.query.upcoming and (wish or words.WANTS.search(norm)):
                # "register me for the upcoming event": what is open, to choose from, not the calendar's list
                return Claim(Priority.COMMAND, Start(found=found))
            # A plain request to be registered ("帮我报名", "sign me up") asks to act, not how registering works.
            request = bool(wish) and not words.QUESTION.search(norm) and not names_something(norm)
            if asks and words.WANTS.search(norm) and (request or turn.reading.faq_verdict().band != "answer") \
                    and not _about_faq_thing(turn, found):
                # "sign me up" with no event named, unless the FAQ answers it ("sign me up for the newsletter")
                return Claim(Priority.COMMAND, Start(found=found, names_something=names_something(norm)))
            if not words.POLICY.search(norm) and _faq_answers_money(turn):
                # "活动报名入口在哪" where the FAQ's one entry on registering is about refunds: the member asks how to
                # sign up, which the list of open events answers; the refund answer would be a wrong one.
                return Claim(Priority.COMMAND, Start(found=found))
            return None  # "how does registration work?" is a question for the FAQ
        for family in _INTENTS:
            if turn.intent(family) is not None:  # one of the example phrases
                return self._intent_claim(turn, family, Priority.COMMAND)
        return None

    @staticmethod
    def _intent_claim(turn: Turn, family: str, priority: float) -> Claim | None:
        if words.POLICY.search(turn.norm) or (family != "cancel_registration" and _books_nothing(turn.norm)):
            return None  # a question about refunds or fees mentions registrations but asks the FAQ
        if family == "my_registrations":
            return Claim(priority, mine.ListMine())
        if family == "cancel_registration":
            if (words.LEAVING_US.search(turn.norm) and not words.EVENT_THING.search(turn.norm)) \
                    or words.SOMEONE_ELSE_GOES.search(turn.norm):
                return None  # leaving the association, or a colleague going instead: the FAQ's
            named = frozenset(e.id for e in turn.library.events.match_titles(turn.norm))
            return Claim(priority, mine.CancelWhich(named))
        found = resolve(turn.library.events, turn.text, turn.now, fuzzy_names=True)
        if _joins_us(turn.norm, found):
            return None
        return Claim(priority, Start(found=found, names_something=names_something(turn.norm)))

    def claim_intent(self, turn: Turn, found: IntentVerdict) -> Claim | None:
        if found.name not in _INTENTS or form_of(turn).active or turn.store.has_open_ticket():
            return None
        return self._intent_claim(turn, found.name, Priority.INTENT)

    def keeps_language(self, turn: Turn) -> bool:
        return form_of(turn).active

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        parsed = claim.parsed
        match parsed:
            case FormAnswer():
                return form_steps.answer(turn, form_of(turn), parsed)
            case Start():
                return start(turn, parsed)
            case Again():
                return form_steps.again(turn, form_of(turn))
            case mine.ListMine():
                return mine.list_mine(turn)
            case mine.CancelWhich():
                return mine.cancel_which(turn, parsed)
            case mine.AskCancel():
                return mine.ask_cancel(turn, parsed.registration)
            case mine.FinishCancel():
                return mine.finish_cancel(turn, parsed.confirmed)
        raise TypeError(f"not a registration claim: {parsed!r}")

    def after(self, turn: Turn, outcome: Outcome) -> None:
        # The double-click guard lasts while the member says nothing else: a later "yes" is about something new.
        if outcome.registered is None:
            form_of(turn).confirmed = None
        outcome.awaits_value = form_of(turn).step in VALUE_STEPS

    def resume(self, turn: Turn, outcome: Outcome) -> list[Reply]:
        if outcome.intent == "registration":
            return []  # the form spoke this turn already (answered through another handler, e.g. "book me in")
        return form_steps.resume(turn)


def _one_of_the_list(turn: Turn) -> str | None:
    """The event a booking message names by its place in the list the member was just shown ("sign me up for the
    last one", "帮我报第三个"), if there is such a list and the place is in it."""
    ctx = context.context_of(turn)
    listed = context.places_of(ctx) if ctx.at is not None else []
    at = list_places.one_of_them(turn.norm) if listed else None
    return listed[at] if at is not None and -len(listed) <= at < len(listed) else None
