"""Follow-ups: a short message read against what the last answer showed (bot/state.py `Context`).

The reading is bot/understanding/followup.py; this handler answers it, mostly through the other handlers, as if
the member had pressed the button the answer offered ("book me in" is the Register button of the event in view)
or asked the whole question ("only in March" is the list's own query with March added)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from bot.desk import calendar_text
from bot.desk.registrations import why_closed
from bot.i18n import t
from bot.messages import Button, Lang, Reply
from bot.router import BaseHandler, Claim, Handler, Priority, route
from bot.state import Context
from bot.turn import Outcome, Turn
from bot.understanding import answer_order, followup, places
from bot.understanding import text as textmod
from bot.understanding.calendar_words import EVENT_WORDS
from bot.understanding.event_query import EventQuery
from bot.understanding.event_resolver import ONLINE, a_year_on, kinds_in, kinds_of
from bot.understanding.knowledge_files import Event
from bot.understanding.leaning import bare_aspect
from bot.understanding.meaning import FaqVerdict, IntentVerdict
from handlers import context, faq, handoff
from handlers import followup_entries as entries
from handlers.language import requested_lang
from handlers.registration_form import form_of, pick


class FollowupHandler(BaseHandler):
    name = "followup"

    def __init__(self, handlers: Sequence[Handler] = ()):
        # Every handler of the engine (this one included): follow-ups are answered through them.
        self.handlers: list[Handler] = list(handlers)

    def ceiling(self, turn: Turn) -> float:
        ctx = turn.state.slice(Context)
        if ctx.live(turn.now):
            return Priority.ACT_ON_SHOWN
        return Priority.FOLLOW_UP if followup.meant(turn.text) is not None else 0.0

    def check(self, turn: Turn) -> Claim | None:
        ctx = context.context_of(turn)
        if turn.norm.startswith("/"):
            return None
        if ctx.at is None:
            # "no, I meant how to become a member" with nothing in view: what was meant, read as a first message
            # (the lead words alone read as a request to register).
            instead = followup.meant(turn.text)
            return None if instead is None else Claim(Priority.FOLLOW_UP, (followup.FollowUp("correct", text=instead),
                                                                          turn.event_query()))
        form = form_of(turn)
        if form.step == "choose" and pick(turn, form.candidates) is not None:
            return None  # one of the events offered to register for, picked ("Sydney", "the second"): the form's
        waiting = turn.store.has_open_ticket()
        if waiting and not _faq_ticket_untaken(turn):
            return None  # staff have the conversation: the bot does not talk over them
        q = turn.event_query()
        if ctx.shown == "list" and (country := places.country_of_the_one(turn.norm)) is not None:
            q = dataclasses.replace(q, countries={country})  # "the polish one" after a list: the one in Poland
        named = self._named(turn, ctx, q)
        found = followup.read(turn.norm, turn.text, _view(ctx), named)
        if found is None and (ask := entries.asked(turn)) is not None:  # the rest only tells
            found = followup.read(ask, ask, _view(ctx), named)
            found = found if found is not None and found.kind == "variant" else None
        if found is None and ctx.shown == "suggest" and ctx.suggestions and not waiting:
            found = self._on_first_offered(turn, ctx, q)
        if found is None and waiting and (named.faq or named.event or named.calendar):
            # A ticket that an FAQ answer opened, not yet taken by staff, does not silence the bot: a clear new
            # question is answered (a follow-up too, below); anything else still goes to staff.
            return Claim(Priority.ACT_ON_SHOWN, (None, q))
        if found is None:
            return None
        # Acting on what is shown (a button in words, the list on screen) wins over the FAQ's own reading of the
        # words ("can I register for this?", "only the partnership weeks"); the other follow-ups do not.
        acts = waiting or found.kind in ("repeat", "book", "pick", "narrow") or found.aspect in ("register", "deadline")
        return Claim(Priority.ACT_ON_SHOWN if acts else Priority.FOLLOW_UP, (found, q))

    def claim_intent(self, turn: Turn, found: IntentVerdict) -> Claim | None:
        """A wish for the other language read from meaning ("I don't read Chinese well, English?"), with an answer in
        view in the other language: that answer again in the language asked for, not only the switch."""
        family, _, lang = found.name.partition(".")
        ctx = context.context_of(turn)
        if family != "language" or lang not in ("en", "zh") or ctx.shown is None or ctx.lang == lang:
            return None
        if turn.store.has_open_ticket() and not _faq_ticket_untaken(turn):
            return None
        return Claim(Priority.FOLLOW_UP, (followup.FollowUp("repeat", lang="en" if lang == "en" else "zh"),
                                          turn.event_query()))

    def _on_first_offered(self, turn: Turn, ctx: Context, q: EventQuery) -> followup.FollowUp | None:
        """After "did you mean", typing on instead of choosing ("ok and once we're over 50 staff?", "冻品也能寄吗？")
        leans on the topic: a variant is read against the offered entry its own reading puts first, else the first
        offered, unless it answers well on its own. The answer says which question it took (handle())."""
        likeliest = turn.library.knowledge.faq_by_id(entries.likeliest_offered(turn, ctx.suggestions))
        if entries.answers_alone(turn) or entries.words_against_meaning(turn) or likeliest is None \
                or likeliest.handoff:
            return None  # (an entry that passes the question to staff would open a ticket on a guess)
        guess = dataclasses.replace(ctx, shown="faq", faq=likeliest.id)
        found = followup.read(turn.norm, turn.text, _view(guess), named := self._named(turn, guess, q))
        if found is None and (ask := entries.asked(turn)) is not None:  # the rest only tells
            found = followup.read(ask, ask, _view(guess), named)
        return found if found is not None and found.kind == "variant" else None

    @staticmethod
    def _named(turn: Turn, ctx: Context, q: EventQuery) -> followup.Named:
        """What the message names on its own: a sure FAQ entry that is not the one in view or its kin counts
        (a question asked whole), as does an event's name, a place or a time."""
        lexical = turn.reading.lexical()
        th = turn.library.reader.thresholds
        leaning = followup.marked(turn.norm) or followup.tiny_question(turn.norm)
        sure = th.lexical_exact if leaning else th.lexical_sure
        kin = turn.library.reader.kin.of(ctx.faq)
        # ... unless an entry in view's kin reads nearly as well: then the context tells them apart.
        faq = bool(lexical) and lexical[0].score >= sure and lexical[0].id not in kin and not any(
            m.id in kin and m.score >= lexical[0].score - entries.KIN_MARGIN for m in lexical)
        asked = requested_lang(turn.norm) or turn.intent("language")
        lang: Lang | None = "en" if asked == "en" else "zh" if asked == "zh" else None
        covered = ctx.faq is not None and entries.covers_asked(turn, ctx.faq, followup.without_frame(turn.norm))
        # The answer in view speaks of every word ("what does it cover" after the buyer matching): another entry
        # the words find names the message only where the FAQ would answer with it outright; a price or a wait
        # alone ("怎么收费的") never names one.
        faq = faq and not (covered and turn.reading.faq_verdict().band != "answer") and not bare_aspect(turn.norm)
        # Only a message that would lean on the answer in view by saying who asks is read whole too (one embedding).
        elsewhere = bool(ctx.faq) and not covered and followup.qualifies(turn.norm) \
            and not followup.qualifier_only(turn.norm) and not entries.asks_its_price(turn, ctx.faq) \
            and entries.reads_elsewhere(turn, kin)
        kind = bool(kinds_in(turn.norm) - {ONLINE})
        # A question beside a place, not a narrowing; read only where a narrowing could be (a form's answer is not).
        asks_more = q.has_filters and (ctx.shown == "list" or followup.marked(turn.norm)) and len(q.residue) >= 3 \
            and turn.reading.faq_verdict().band == "answer"
        return followup.Named(event=bool(q.titled), faq=faq, filters=q.has_filters, kind=kind, lang=lang,
                              calendar=q.upcoming, covered=covered, elsewhere=elsewhere, asks_more=asks_more)

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        found: followup.FollowUp | None
        q: EventQuery
        found, q = claim.parsed
        ctx = turn.state.slice(Context)
        kb = turn.library.knowledge
        event = kb.event_by_id(ctx.event or (ctx.events[0] if len(ctx.events) == 1 else ""))
        # While an FAQ answer's ticket waits for staff, the message is read without the "staff have it" claim.
        skip = {self.name, "handoff"} if turn.store.has_open_ticket() else {self.name}
        out: Outcome | None = None
        if found is None:
            return self.reread(turn, turn.text, skip)
        if found.kind == "repeat" and found.lang is not None:
            out = self._repeat(turn, ctx, found.lang)
        elif found.kind == "correct":
            return self._correct(turn, ctx, found.text, skip)
        elif found.kind == "book" and event is not None:
            out = self._book(turn, event)
        elif found.kind == "pick" and -len(listed := context.places_of(ctx)) <= found.index < len(listed):
            picked_id = listed[found.index]
            picked = kb.event_by_id(picked_id)
            out = self._aspect(turn, picked, found.aspect) if found.aspect and picked else \
                self.press(turn, "events", f"/event {picked_id}")
        elif found.kind == "aspect" and found.text == "named" and len(q.titled) == 1 and found.aspect is not None:
            out = self._aspect(turn, q.titled[0], found.aspect)
        elif found.kind == "aspect" and event is not None and found.aspect is not None:
            out = self._aspect(turn, event, found.aspect)
        elif found.kind == "narrow":
            narrowed = a_year_on(_by_kind(turn, q).narrowing(ctx.filters, kb.event_by_id), turn.norm, kb.events,
                                 turn.now)
            if kinds_in(turn.norm) - {ONLINE}:  # "just the workshops out of those": a list still, even of one
                narrowed = dataclasses.replace(narrowed, narrowed=True)
            out = self._handler("events").handle(turn, Claim(Priority.FOLLOW_UP, narrowed))
        elif found.kind == "variant" and ctx.faq:
            out = self._variant(turn, ctx.faq, found.text, ctx.question or "")
        elif found.kind == "variant" and ctx.suggestions:  # typed on after "did you mean": the likeliest offered
            guess = entries.likeliest_offered(turn, ctx.suggestions)
            out = _guessed(turn, self._variant(turn, guess, found.text, ctx.question or "", guess=True))
        # Not placed after all: read as a first message would be (with staff waiting, the message joins the ticket).
        return out if out is not None else self.reread(turn, turn.text, {self.name})

    # --- answering through the other handlers ------------------------------------------------------------------

    def _handler(self, name: str) -> Handler:
        return next(h for h in self.handlers if h.name == name)

    def press(self, turn: Turn, name: str, payload: str, lang: Lang | None = None) -> Outcome | None:
        """What the handler `name` answers to a button payload, as if the member had pressed it. An FAQ answer
        reached so is no pick among the buttons of a "did you mean": the offer ends without a vote."""
        handler = self._handler(name)
        if name == "faq":
            faq.end_offer(turn)
        sub = dataclasses.replace(turn.reworded(payload, payload, turn.library.reader.read(payload)),
                                  lang=lang or turn.lang)
        claim = handler.check(sub)
        return handler.handle(sub, claim) if claim is not None else None

    def reread(self, turn: Turn, text: str, skip: set[str]) -> Outcome:
        """`text` read as a message of its own, by whichever handler claims it (but those named in `skip`)."""
        sub = turn if text == turn.text else turn.reworded(text, textmod.normalize(text),
                                                           turn.library.reader.read(text))
        handlers = [h for h in self.handlers if h.name not in skip]
        handler, claim = route(handlers, sub)
        return handler.handle(sub, claim)

    def _correct(self, turn: Turn, ctx: Context, text: str, skip: set[str]) -> Outcome:
        """A correction read as the question, against what it corrects: another event of the series in view ("sorry,
        I meant the Europe one"), or a sibling of the entry in view that its words find nearly as well as another
        entry ("no, I meant how much it costs" after how to register: the event fee, not the membership fee)."""
        out = self._in_series(turn, ctx, text) or self._kin(turn, ctx, text) or self.reread(turn, text,
                                                                                           skip - {self.name})
        if entries.same_answer(ctx, out) and not entries.covers(turn, ctx.faq, text):
            # Read against the entry in view, the correction found it again: read on its own, it may name another
            # ("no i meant what number do i call there" after the offices' addresses: the contact numbers).
            alone = self.reread(turn, text, skip | {self.name})
            if alone.answer_id is not None and not entries.same_answer(ctx, alone):
                return alone
            # The correction found again what it corrects: it was not understood ("no, I meant the refund for
            # exhibitors" after the exhibitors' answer, with no refund entry). While staff have the question the
            # message joins it; otherwise an honest "I don't know".
            joined = self.reread(turn, turn.text, {self.name}) if turn.store.has_open_ticket() else None
            return joined if joined is not None else handoff.offer_person(turn)
        return out

    def _in_series(self, turn: Turn, ctx: Context, text: str) -> Outcome | None:
        kb = turn.library.knowledge
        shown = kb.event_by_id(ctx.event or "") if ctx.shown == "event" else None
        if shown is None:
            return None
        q = turn.library.events.parse(text, turn.now)
        if q.titled or not q.has_filters or not shown.tags:
            return None  # a name of its own, or no place or time: read as it is
        series = [e.id for e in kb.events if set(e.tags) & set(shown.tags)]  # the calendar's tags name the series
        narrowed = q.narrowing({"series": series}, kb.event_by_id)
        out = self._handler("events").handle(turn, Claim(Priority.FOLLOW_UP, narrowed))
        return out if out.events else None  # none of the series there: the place or time on its own

    def _kin(self, turn: Turn, ctx: Context, text: str) -> Outcome | None:
        if ctx.shown != "faq" or not ctx.faq:
            return None
        sibling = entries.corrected_to(turn, ctx.faq, text) or entries.kin_by_aspect(turn, ctx.faq, text)
        return self.press(turn, "faq", f"/faq {sibling}") if sibling else None

    def _repeat(self, turn: Turn, ctx: Context, lang: Lang) -> Outcome | None:
        """The last answer again, in the language asked for."""
        sub = dataclasses.replace(turn, lang=lang)
        kb = turn.library.knowledge
        out: Outcome | None = None
        if ctx.shown == "faq" and ctx.faq:
            out = self.press(turn, "faq", f"/faq {ctx.faq}", lang)
        elif ctx.shown == "event" and ctx.event:
            out = self.press(turn, "events", f"/event {ctx.event}", lang)
        elif ctx.shown == "list":
            listed = EventQuery().narrowing(ctx.filters, kb.event_by_id)
            out = self._handler("events").handle(sub, Claim(Priority.FOLLOW_UP, listed))
        elif ctx.shown == "suggest" and ctx.suggestions:
            verdict = FaqVerdict("suggest", tuple(ctx.suggestions), 0.0)
            out = self._handler("faq").handle(sub, Claim(Priority.FOLLOW_UP, (None, verdict)))
        if out is not None and lang != turn.lang:
            # Asked in one language for the other: from now on the other, as "English please" would.
            out.switch_language = lang
            out.replies.insert(0, Reply(t("lang_set", lang)))
        return out

    def _book(self, turn: Turn, event: Event) -> Outcome | None:
        out = self.press(turn, "registration", f"/register {event.id}")
        if out is not None:
            out.events = (event.id,)
        return out

    def _variant(self, turn: Turn, entry_id: str, words: str, last: str, guess: bool = False) -> Outcome | None:
        """The FAQ entry in view, or its sibling that speaks of the variant, with the relevant part first; on a
        `guess` (after "did you mean") never an entry that passes the question to staff (it would open a ticket)."""
        kin = turn.library.reader.kin.of(entry_id)
        th = turn.library.reader.thresholds
        # The kin entry that the variant's own words find first, and surely; else the entry in view, whose answer
        # usually holds the variant ("在哪个国家？" after the founding answer: the founding answer).
        hits = turn.library.reader.faq.search(words, limit=8)
        found = [m.id for m in hits if m.id == entry_id or (m.id in kin and m.score >= th.lexical_sure)]
        if not found and hits and hits[0].id in kin and hits[0].score >= th.lexical_answer:
            found = [hits[0].id]  # the words find a sibling first and not the entry in view at all ("the annual fee")
        if (not found or found[0] == entry_id) and (asking := entries.sibling_asking(turn, entry_id, words)):
            found = [asking]
        if (not found or found[0] == entry_id) and hits and hits[0].score >= th.lexical_sure and not any(
                m.id == entry_id and m.score >= th.lexical_sure for m in hits) and not bare_aspect(words):
            # The words surely find other entries, not the one in view: of those they find well enough, the one that
            # asks what the last question did. (Words that ask only a price or a wait name no other entry.)
            others = [m.id for m in hits if m.score >= th.lexical_answer and m.id not in kin]
            aspect = followup.aspect_of(textmod.normalize(last))
            chosen_by = (entries.same_aspect(turn, others, aspect) if aspect is not None
                         else entries.own_topic(turn, others, entry_id, words))
            found = chosen_by or found
        # Who asks, with or without the frame of a figure ("非会员要多少" after the event fee): the entry in view.
        who = followup.qualifier_only(words) or followup.qualifier_only(followup.without_frame(words))
        if not found and not who and not turn.store.has_open_ticket() and entries.other_idea(turn, entry_id, words):
            # An idea the entry in view has nowhere, and the meaning is another entry's: read whole. (While the
            # entry's ticket is open, the variant joins it below, whatever it asks.)
            return None
        chosen = found[0] if found and not who else entry_id
        if guess and getattr(turn.library.knowledge.faq_by_id(chosen), "handoff", True):
            return None
        if chosen == entry_id and not guess and entries.silent_on_inclusion(turn, entry_id, words):
            return handoff.offer_person(turn)  # that answer again would not say: an honest "I don't know"
        # A hand-off entry answered again joins the message to the ticket its first answer opened (handlers/faq.py).
        out = self.press(turn, "faq", f"/faq {chosen}")
        if out is not None and out.replies:
            first = out.replies[0]
            out.replies[0] = dataclasses.replace(first, text=answer_order.relevant_first(first.text, words))
        return out

    # --- a question about the event in view, from its own fields ----------------------------------------------

    def _aspect(self, turn: Turn, ev: Event, aspect: followup.Aspect) -> Outcome | None:
        if aspect == "register":
            return self._book(turn, ev)
        if aspect in ("details", "seats") or ev.finishes < turn.now:
            return self.press(turn, "events", f"/event {ev.id}")
        if aspect == "cost":
            return self._cost(turn, ev)
        lang = turn.lang
        title, where = ev.title.get(lang), calendar_text.venue_and_place(ev, lang)
        buttons: tuple[Button, ...] = (Button(t("btn_ics", lang), f"/ics {ev.id}"),)
        if why_closed(ev, turn.now) is None:
            buttons = (Button(t("btn_register", lang), f"/register {ev.id}"), *buttons)
        if aspect in ("place", "access") and not where:
            # No venue or city in the calendar: held online, or not announced yet ("takes place at ." was said)
            online = ONLINE in kinds_of(ev)
            text = t("fu_place_online" if online else "fu_place_unknown", lang, title=title)
            if not online:
                buttons = (Button(t("btn_staff", lang), "/human"), *buttons)
        elif aspect == "place":
            text = t("fu_place", lang, title=title, where=where)
        elif aspect == "deadline":
            closes = ev.registration_closes
            if why_closed(ev, turn.now) == "closed" and closes is not None:
                text = t("reg_closed", lang, title=title, date=calendar_text.date_range_of(closes, lang))
            elif closes is not None:
                text = t("fu_deadline", lang, title=title, date=f"{calendar_text.date_range_of(closes, lang)} "
                                                                 f"{closes:%H:%M} ({closes.tzname()})")
            else:
                text = t("fu_deadline_start", lang, title=title, date=calendar_text.date_range_of(ev.starts, lang))
        elif aspect == "time":
            text = t("fu_time", lang, title=title, when=calendar_text.when(ev, lang))
        else:  # access: the venue is known, parking and transport are not
            text = t("fu_access", lang, title=title, where=where)
            buttons = (Button(t("btn_staff", lang), "/human"), *buttons)
            return Outcome([Reply(text, buttons)], "events", unanswered=turn.text, events=(ev.id,))
        return Outcome([Reply(text, buttons)], "events", events=(ev.id,))

    def _cost(self, turn: Turn, ev: Event) -> Outcome | None:
        """A price is not an event field: the FAQ entry on prices, read together with the event's name and tags."""
        query = " ".join([turn.text, "event price", *ev.tags])
        kb = turn.library.knowledge
        for match in turn.library.reader.faq.search(query, limit=10):
            entry = kb.faq_by_id(match.id)
            about = textmod.normalize(" ".join([*entry.questions, *entry.tags])) if entry else ""
            # An entry on prices, and on events' prices (not the membership fee): event words, the event's tags or
            # its type ("参加贸易代表团要多少钱？" for a trade mission).
            if entry is not None and followup.mentions(about, "cost") and (
                    EVENT_WORDS.search(about) or set(entry.tags) & set(ev.tags)
                    or (kinds_of(ev) - {ONLINE}) & kinds_in(about)):
                out = self.press(turn, "faq", f"/faq {entry.id}")
                if out is not None:
                    out.events = (ev.id,)
                return out
        text = t("fu_no_price", turn.lang, title=ev.title.get(turn.lang))
        return Outcome([Reply(text, (Button(t("btn_staff", turn.lang), "/human"),))], "events",
                       unanswered=turn.text, events=(ev.id,))


def _by_kind(turn: Turn, q: EventQuery) -> EventQuery:
    """A list narrowed by a type of event ("which of those are trainings?"): every event of that type, not only the
    one whose title has the word (the CE marking workshop is a training too)."""
    kinds = kinds_in(turn.norm) - {ONLINE}
    if not kinds or len(q.residue) > 1 or not all(kinds_of(e) & kinds for e in q.titled):
        return q
    return dataclasses.replace(q, titled=[e for e in turn.library.knowledge.events if kinds_of(e) & kinds])


def _guessed(turn: Turn, out: Outcome | None) -> Outcome | None:
    """An answer to a follow-up of a "did you mean", led by the question it was taken to be about."""
    entry = turn.library.knowledge.faq_by_id(out.answer_id or "") if out is not None else None
    if out is None or entry is None or not out.replies:
        return out
    lead = t("fu_taken_as", turn.lang, question=faq.question_in(entry.questions, turn.lang))
    out.replies[0] = dataclasses.replace(out.replies[0], text=f"{lead}\n{out.replies[0].text}")
    return out


def _faq_ticket_untaken(turn: Turn) -> bool:
    """The open ticket was opened by an FAQ answer ("I'm passing your question to a staff member") and no one on
    staff has taken it yet."""
    ticket = turn.store.open_ticket()
    return ticket is not None and ticket.status == "open" and ticket.reason == "faq"


def _view(ctx: Context) -> followup.InView:
    listed = len(ctx.events) if ctx.shown == "list" else -1
    return followup.InView(answer=ctx.shown is not None, faq=ctx.faq is not None, event=ctx.event is not None,
                           listed=listed, places=len(context.places_of(ctx)),
                           question=textmod.normalize(ctx.question or ""))
