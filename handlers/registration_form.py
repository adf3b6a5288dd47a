"""The registration form: name, company, email, confirm; reading the member's answer to the step in progress.

The form lives in the conversation state (the `Form` slice), so it survives restarts and continues on any worker.
The seat rules themselves are in bot/desk/registrations.py, enforced by the database. Which event the form is for
is chosen in handlers/registration_start.py.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import ClassVar

from bot.desk import calendar_text, mail
from bot.desk import registrations as regs
from bot.desk.registration_rules import rules_of
from bot.i18n import t
from bot.messages import Button, Lang, Reply
from bot.turn import Outcome, Turn
from bot.understanding.knowledge_files import Event
from handlers.registration_words import ABANDON, ASKS_ABOUT, CHANGE, CORRECTION, NO, QUESTION, STEPS, YES, field_named


@dataclass
class Form:
    """The registration form in progress (`step` None: none), and a cancellation awaiting confirmation."""

    KEY: ClassVar[str] = "registration"
    step: str | None = None  # choose | reuse | name | company | email | confirm | field
    event: str | None = None
    name: str | None = None
    company: str | None = None
    email: str | None = None
    candidates: list[str] = field(default_factory=list)  # events offered at the choose step
    cancelling: int | None = None  # the registration the member was asked to confirm cancelling
    confirmed: str | None = None  # the event just registered for: a second "yes" (a double click) is answered

    @property
    def active(self) -> bool:
        return self.step is not None

    def clear(self) -> None:
        self.step = self.event = self.name = self.company = self.email = None
        self.candidates = []


def form_of(turn: Turn) -> Form:
    return turn.state.slice(Form)


class Act(Enum):
    """What a message does to the form in progress."""

    ABANDON = "abandon"  # "cancel", "算了"
    PICK = "pick"  # chose one of the events offered
    REPICK = "repick"  # at the choose step, but no event recognised: offer them again
    SET = "set"  # a value for a field (the step's own, or a correction naming another)
    ASK = "ask"  # "change my email": ask for that field again
    YES = "yes"  # "/reuse", "/yes", "ok" at the reuse or confirm step
    NO = "no"  # anything else at those steps
    WHICH_FIELD = "which_field"  # at the "which field?" step without naming one
    SUMMARY = "summary"


@dataclass(frozen=True)
class FormAnswer:
    """The claim for an answer to the form's step, read once in `check`."""

    act: Act
    field: str | None = None
    value: str | None = None
    event_id: str | None = None


@dataclass(frozen=True)
class Again:
    """A second "yes" right after registering (a double click): say it is done."""


def read_answer(turn: Turn, form: Form, button: str | None) -> FormAnswer:
    """What the member's message does to the form at its current step. `button`: the form button pressed."""
    norm, step = turn.norm, form.step
    if ABANDON.match(norm):
        return FormAnswer(Act.ABANDON)
    if step == "choose":
        ev = pick(turn, form.candidates)
        return FormAnswer(Act.PICK, event_id=ev.id) if ev else FormAnswer(Act.REPICK)
    correction = CORRECTION.match(turn.text.strip())
    if correction:  # "my email is actually x@y.com": the value as typed, case kept
        fld = next(f for f in STEPS if correction.group(f))
        return FormAnswer(Act.SET, fld, correction.group("value"))
    named = field_named(norm) if (CHANGE.search(norm) or step == "field" or button == "change") else None
    if named:
        return FormAnswer(Act.ASK, named)
    if step in ("reuse", "confirm"):
        agreed = button == ("reuse" if step == "reuse" else "yes") or YES.match(norm)
        return FormAnswer(Act.YES if agreed else Act.NO)
    if step == "field":
        return FormAnswer(Act.WHICH_FIELD)
    if step in STEPS:
        return FormAnswer(Act.SET, step, turn.text)
    return FormAnswer(Act.SUMMARY)


def answers_step(turn: Turn, form: Form, answer: FormAnswer) -> bool:
    """Whether a message is an answer to the step (not a question asked mid-form, which someone else answers)."""
    if answer.act in (Act.ABANDON, Act.ASK) or CORRECTION.match(turn.text.strip()) or CHANGE.search(turn.norm):
        return True
    step, norm = form.step, turn.norm
    if step in ("confirm", "reuse", "field"):
        return bool(YES.match(norm) or NO.match(norm) or field_named(norm))
    if step == "choose":
        # "那新加坡的呢", "what about the Singapore one?" ask about one of them, as of a list: the calendar shows it
        return answer.act is Act.PICK and not ASKS_ABOUT.search(norm)
    if step == "email":
        return "@" in norm or not QUESTION.search(norm)
    return not QUESTION.search(norm)


def pick(turn: Turn, candidates: list[str]) -> Event | None:
    """The candidate a member means by a number (handled by the engine), a city or part of a title."""
    kb = turn.library.knowledge
    events = [e for e in (kb.event_by_id(c) for c in candidates) if e]
    titled = [e for e in turn.library.events.match_titles(turn.norm) if e in events]
    if len(titled) == 1:
        return titled[0]
    query = turn.event_query()
    if query.cities or query.countries:
        by_place = [e for e in events if query.matches_place(e)]
        if len(by_place) == 1:
            return by_place[0]
    return None


def status_text(reg: regs.Booked, position: int | None, lang: Lang) -> str:
    if reg.status == "waitlisted":
        return t("status_waitlisted", lang, position=position or "?")
    return t(f"status_{reg.status}", lang)


def _reply(text: str, buttons: tuple[Button, ...] = ()) -> Outcome:
    return Outcome([Reply(text, buttons)], "registration")


def already(turn: Turn, event_id: str) -> Outcome:
    """"You're already registered" with the registration's state, or no replies when the member is not."""
    ev = turn.library.knowledge.event_by_id(event_id)
    mine = [r for r in regs.of_member(turn.store.session, turn.store.channel, turn.store.user_id)
            if r.event_id == event_id]
    if ev is None or not mine:
        return Outcome([], "registration")
    r = mine[0]
    pos = regs.waitlist_position(turn.store.session, r) if r.status == "waitlisted" else None
    status = status_text(r, pos, turn.lang)
    return _reply(t("reg_already", turn.lang, title=ev.title.get(turn.lang), id=r.id, status=status))


def why_not_text(ev: Event, reason: str, lang: Lang) -> str:
    """Why an event can't be registered for: over, or registration closed (with the date)."""
    title = ev.title.get(lang)
    if reason == "past":
        return t("reg_past", lang, title=title)
    assert ev.registration_closes is not None
    return t("reg_closed", lang, title=title, date=calendar_text.date_range_of(ev.registration_closes, lang))


def begin(turn: Turn, ev: Event) -> Outcome:
    """The form for one event, or why it can't be (over, closed, already registered)."""
    lang = turn.lang
    form = form_of(turn)
    form.clear()
    reason = regs.why_closed(ev, turn.now)
    if reason is not None:
        return _reply(why_not_text(ev, reason, lang))
    done = already(turn, ev.id)
    if done.replies:
        return done
    form.event = ev.id
    intro = t("reg_start", lang, title=ev.title.get(lang), dates=calendar_text.date_range(ev, lang))
    last = regs.last_details(turn.store.session, turn.store.channel, turn.store.user_id)
    if last:
        form.step, form.name, form.company, form.email = "reuse", last.name, last.company, last.email
        text = intro + "\n" + t("reg_reuse", lang, name=last.name, company=last.company, email=last.email)
        buttons = (Button(t("btn_reuse_yes", lang), "/reuse"), Button(t("btn_reuse_no", lang), "/newdetails"))
        return Outcome([Reply(text, buttons)], "registration", events=(ev.id,))
    form.step = "name"
    # The form's event counts as shown: it is the one a follow-up ("where is it?") is about.
    return Outcome([Reply(intro + "\n" + t("reg_ask_name", lang))], "registration", events=(ev.id,))


def choose(turn: Turn, events: list[Event], header: str, lead: str = "") -> Outcome:
    """Offer these events (and only these) to choose from, as buttons; `lead` says first why (nothing matched)."""
    lang = turn.lang
    form = form_of(turn)
    form.clear()
    if not events:
        return _reply("\n".join(line for line in (lead, t("reg_none_open", lang)) if line))
    shown = sorted(events, key=lambda e: e.starts)[:8]
    form.step, form.candidates = "choose", [e.id for e in shown]
    lines = [lead, header, *(calendar_text.summary_line(e, lang) for e in shown)]
    buttons = tuple(Button(e.title.get(lang), f"/register {e.id}") for e in shown)
    # The events offered are a list on screen, as the calendar's lists are (handlers/context.py).
    return Outcome([Reply("\n".join(line for line in lines if line), buttons)], "registration",
                   events=tuple(form.candidates), listing={})


def answer(turn: Turn, form: Form, said: FormAnswer) -> Outcome:
    """Move the form on by the member's answer to its step."""
    lang = turn.lang
    if said.act is Act.ABANDON:
        form.clear()
        return _reply(t("reg_form_cancelled", lang))
    if said.act is Act.PICK:
        ev = turn.library.knowledge.event_by_id(said.event_id or "")
        if ev is not None:
            return begin(turn, ev)
    if said.act in (Act.PICK, Act.REPICK):
        kb = turn.library.knowledge
        return choose(turn, [e for c in form.candidates if (e := kb.event_by_id(c))], t("reg_which_event", lang))
    if said.act is Act.SET:
        return set_value(turn, form, said.field or "name", said.value or "")
    if said.act is Act.ASK:
        form.step = said.field
        return _reply(t(f"reg_ask_{said.field}", lang))
    if said.act is Act.YES:
        return summary(turn, form) if form.step == "reuse" else submit(turn, form)
    if said.act is Act.NO and form.step == "reuse":
        form.step, form.name, form.company, form.email = "name", None, None, None
        return _reply(t("reg_ask_name", lang))
    if said.act in (Act.NO, Act.WHICH_FIELD):
        form.step = "field"
        buttons = tuple(Button(t(f"btn_field_{f}", lang), f"/change {f}") for f in STEPS)
        return _reply(t("reg_which_field", lang), (*buttons, Button(t("btn_cancel_form", lang), "/cancel")))
    return summary(turn, form)


# email-validator explains in English; a Chinese member gets the same point in Chinese.
_EMAIL_REASONS_ZH = (
    ("must have an @-sign", "缺少 @ 符号。"),
    ("something after the @-sign", "@ 后面缺少域名。"),
    ("something before the @-sign", "@ 前面缺少用户名。"),
    ("should have a period", "域名部分应包含“.”，例如 company.com。"),
    ("two periods in a row", "不能有两个连续的“.”。"),
    ("invalid characters", "包含不允许的字符（例如空格或多余的 @）。"),
)


def _email_reason(reason: str, lang: Lang) -> str:
    if lang != "zh":
        return reason
    return next((zh for en, zh in _EMAIL_REASONS_ZH if en in reason), "请检查拼写。")


def _valid_name(value: str) -> str | None:
    value = value.strip()
    if not 1 <= len(value) <= 100 or "@" in value or value.startswith("/"):
        return None
    if not any(unicodedata.category(c).startswith("L") for c in value):
        return None
    return value


def _valid_company(value: str) -> str | None:
    value = value.strip()
    if not 1 <= len(value) <= 200 or value.startswith("/"):
        return None
    return value if any(c.isalnum() for c in value) else None


def set_value(turn: Turn, form: Form, fld: str, raw: str) -> Outcome:
    lang = turn.lang
    value: str | None
    if fld == "name":
        value = _valid_name(raw)
        if value is None:
            return _reply(t("reg_bad_name", lang))
    elif fld == "company":
        value = _valid_company(raw)
        if value is None:
            return _reply(t("reg_bad_company", lang))
    else:
        try:
            value = regs.normalize_email(raw)
        except ValueError as exc:
            return _reply(t("reg_bad_email", lang, reason=_email_reason(str(exc), lang)))
    setattr(form, fld, value)
    missing = [f for f in STEPS if not getattr(form, f)]
    if missing:
        form.step = missing[0]
        return _reply(t(f"reg_ask_{missing[0]}", lang))
    return summary(turn, form)


def summary(turn: Turn, form: Form) -> Outcome:
    lang = turn.lang
    ev = turn.library.knowledge.event_by_id(form.event or "")
    if ev is None:  # the event left the calendar while the form was open
        form.clear()
        return _reply(t("reg_no_match", lang))
    form.step = "confirm"
    text = t("reg_summary", lang, title=ev.title.get(lang), name=form.name, company=form.company, email=form.email)
    return _reply(text, (Button(t("btn_confirm", lang), "/yes"), Button(t("btn_change", lang), "/no"),
                         Button(t("btn_cancel_form", lang), "/cancel")))


def submit(turn: Turn, form: Form) -> Outcome:
    lang = turn.lang
    ev = turn.library.knowledge.event_by_id(form.event or "")
    details = regs.Details(form.name or "", form.company or "", form.email or "")
    form.clear()
    if ev is None:
        return _reply(t("reg_no_match", lang))
    title = ev.title.get(lang)
    result = regs.register(turn.store.session, ev, turn.store.channel, turn.store.user_id, details, lang, turn.now)
    if isinstance(result, regs.Refused):
        if result.reason in ("past", "closed"):
            return _reply(why_not_text(ev, result.reason, lang))
        if result.reason == "capped_event":
            return _reply(t("reg_capped_event", lang, title=title))
        if result.reason == "capped":
            assert result.retry_at is not None
            return _reply(t("reg_capped", lang, minutes=max(1, -(-int((result.retry_at - turn.now).total_seconds())
                                                                // 60))))
        if result.reason == "already_email":
            # Answered as a new registration would be: nothing is disclosed of whoever registered that address,
            # who gets an email about the attempt instead (bot/desk/mail.py).
            return _as_new(turn, ev, details.email, result.newcomer_position)
        r = result.existing
        status = status_text(r, None, lang) if r else t("status_confirmed", lang)
        return _reply(t("reg_already", lang, title=title, id=r.id if r else "?", status=status))
    form.confirmed = ev.id
    regs.notify_promoted(turn.store.session, ev, result.promoted, turn.now)
    return _as_new(turn, ev, result.registration.email, result.position, result.held_until)


def _as_new(turn: Turn, ev: Event, email: str, position: int | None, held_until: datetime | None = None) -> Outcome:
    """The answer to a registration made, or to one whose email someone else had registered: the same words."""
    lang, title = turn.lang, ev.title.get(turn.lang)
    rules = rules_of(turn.store.session)
    if rules.confirm == "email":
        until = held_until or min(turn.now + rules.hold, ev.starts)
        what = t("reg_held_seat", lang) if position is None else t("reg_held_place", lang, position=position)
        text = t("reg_held", lang, what=what, title=title, until=mail.moment(until, ev, lang), email=email)
    elif position is None:
        text = t("reg_confirmed", lang, title=title, email=email)
    else:
        text = t("reg_waitlisted", lang, title=title, position=position)
    return Outcome([Reply(text, (Button(t("btn_ics", lang), f"/ics {ev.id}"),))], "registration",
                   registered=ev.id)


def again(turn: Turn, form: Form) -> Outcome:
    """A second "yes" after registering: the registration's state again (or, cancelled since, none)."""
    done = already(turn, form.confirmed or "")
    if not done.replies:
        return _reply(t("my_regs_none", turn.lang))
    done.registered = form.confirmed
    return done


def resume(turn: Turn) -> list[Reply]:
    """The step in progress again, after another handler answered a question asked mid-form."""
    form = form_of(turn)
    if turn.store.has_open_ticket():
        return []  # staff have the conversation now (an FAQ answer that hands off, mid-form)
    if not form.active or not form.event:
        return [Reply(t("reg_which_event", turn.lang))] if form.step == "choose" else []
    ev = turn.library.knowledge.event_by_id(form.event or "")
    if ev is None:
        return []
    head = t("reg_resume", turn.lang, title=ev.title.get(turn.lang))
    if form.step in STEPS:
        return [Reply(head + "\n" + t(f"reg_ask_{form.step}", turn.lang))]
    if form.step == "confirm":
        return [Reply(head, summary(turn, form).replies[0].buttons)]
    return [Reply(head)]
