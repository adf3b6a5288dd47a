"""Event registration by conversation: pick the event, name, company, email, confirm; list and cancel.

The form lives in the conversation state (the `Form` slice), so it survives restarts and continues on any worker.
The seat rules themselves are in bot/registrations.py, enforced by the database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from bot.desk import calendar_text, mail
from bot.desk import registrations as regs
from bot.desk.registration_rules import rules_of
from bot.i18n import t
from bot.messages import Button, Lang, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from bot.understanding.knowledge_files import Event
from bot.understanding.meaning import IntentVerdict

REGISTER = re.compile(
    r"\b(register|registration|sign (me )?up|signup|enrol|enroll|rsvp|book (a |my )?(seat|place|ticket|spot))\b"
    r"|报名|登记|预约|我要参加|我想参加"
)
WANTS = re.compile(r"^(/register|register|sign me up|报名)$|\b(i want|i'd like|i would like|i wish|please|pls|"
                   r"sign me up|register me|can i|could i|let me|want to)\b|我想|我要|帮我|给我|我们想|我们要|请")
MY_REGS = re.compile(r"^/my$|\bmy (registrations?|bookings?|events|seats?)\b|what (am i|have i) (registered|signed up)"
                     r"|我的报名|我报名了|我报了|我的活动")
CANCEL_REG = re.compile(r"\b(cancel|withdraw|drop out|unregister|deregister)\b.*\b(registration|booking|seat|place|"
                        r"spot|attendance|it)\b|取消报名|取消我的报名|退出活动|不去了|撤销报名")
ABANDON = re.compile(r"^(/cancel|cancel|stop|quit|abort|exit|never ?mind|forget it|取消|算了|不报了|退出|停止)$")
YES = re.compile(r"^(/yes|yes|y|yep|yeah|ok|okay|sure|correct|right|confirm|confirmed|that's right|looks good|"
                 r"是|是的|对|对的|好|好的|确认|没错|正确|可以|行)$")
NO = re.compile(r"^(/no|no|n|nope|not quite|wrong|change|否|不|不是|不对|错了|修改)$")
FIELD_WORDS = {
    "name": r"name|full name|姓名|名字",
    "company": r"company|organi[sz]ation|employer|firm|公司|单位|机构",
    "email": r"e-?mail|email address|mail|邮箱|电子邮件|邮件",
}
_FIELD_ALT = "|".join(f"(?P<{k}>{v})" for k, v in FIELD_WORDS.items())
# "my email is actually x@y.com", "不对，我的邮箱是 x@y.com", "no, change the company to Lee Trading": the value kept
# as typed, whatever the member said first.
_LEAD = r"(?:(?:no|nope|wrong|sorry|actually|oops|不对|不是|错了|不)[\s,，.。!！]*)*"
CORRECTION = re.compile(
    rf"^{_LEAD}(?:(?:please\s+)?(?:change|update|correct|set|修改|更改|改)\s*(?:the\s+|my\s+)?)?(?:my\s+|我的)?"
    rf"(?:{_FIELD_ALT})\s*(?:is actually|should be|is|to|into|:|：|应该是|改为|改成|为|成|是)\s*(?P<value>.+)$",
    re.IGNORECASE,
)
CHANGE = re.compile(rf"(?:change|edit|fix|update|correct|修改|更改|改一下|改)\s*(?:the\s+|my\s+)?(?:{_FIELD_ALT})")
QUESTION = re.compile(r"[?？]|^(what|when|where|who|why|how|is|are|do|does|can|could|will|which|should)\b"
                      r"|吗$|什么|怎么|哪|多少|为什么|几点")
_PAYLOAD = re.compile(r"^/(register|cancelreg|reuse|newdetails|change|yes|no)(?: ([a-z0-9-]+))?$")

STEPS = ("name", "company", "email")
_INTENTS = {"register": "start", "my_registrations": "mine", "cancel_registration": "cancel"}


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


def _form(turn: Turn) -> Form:
    return turn.state.slice(Form)


def _status_text(session_reg: regs.Booked, position: int | None, lang: Lang) -> str:
    if session_reg.status == "waitlisted":
        return t("status_waitlisted", lang, position=position or "?")
    return t(f"status_{session_reg.status}", lang)


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
                   extra={"registered": ev.id})


class RegistrationHandler(BaseHandler):
    name = "registration"

    # --- claiming a turn ------------------------------------------------------------------------------------

    def check(self, turn: Turn) -> Claim | None:
        if turn.store.has_open_ticket():
            return None  # staff have the conversation; the form waits until the member is back with the bot
        norm = turn.norm
        p = _PAYLOAD.match(norm)
        form = _form(turn)
        if form.confirmed and not form.active and ((p and p.group(1) == "yes") or YES.match(norm)):
            return Claim(Priority.FORM_STEP, "again")
        if p and (p.group(1) in ("register", "cancelreg") or form.active or form.cancelling is not None):
            return Claim(Priority.COMMAND, "payload")
        if form.cancelling is not None:
            answered = YES.match(norm) or NO.match(norm) or ABANDON.match(norm)
            return Claim(Priority.FORM_STEP, "payload") if answered else None
        if form.active:
            if ABANDON.match(norm) or CORRECTION.match(turn.text.strip()) or CHANGE.search(norm):
                return Claim(Priority.FORM_STEP, "form")
            if self._answers_step(turn, form):
                return Claim(Priority.FORM_STEP, "form")
            return None  # a question mid-form: someone else answers it, then the form resumes
        mine = MY_REGS.search(norm)
        if CANCEL_REG.search(norm):  # "cancel my registration" is a cancellation, not a listing
            return Claim(Priority.COMMAND if mine else Priority.CANCEL_REGISTRATION, "cancel")
        if mine:
            return Claim(Priority.COMMAND, "mine")
        if REGISTER.search(norm):
            if turn.library.events.match_titles(norm):
                return Claim(Priority.COMMAND, "start")  # "register for X in March" is a registration
            if WANTS.search(norm) and turn.reading.faq_verdict().band != "answer":
                # "sign me up" with no event named, unless the FAQ answers it ("sign me up for the newsletter")
                return Claim(Priority.COMMAND, "start")
            return None  # "how does registration work?" is a question for the FAQ
        for family, action in _INTENTS.items():
            if turn.intent(family) is not None:  # one of the example phrases
                return Claim(Priority.COMMAND, action)
        return None

    def claim_intent(self, turn: Turn, found: IntentVerdict) -> Claim | None:
        action = _INTENTS.get(found.name)
        if action is None or _form(turn).active or turn.store.has_open_ticket():
            return None
        return Claim(Priority.INTENT, action)

    def keeps_language(self, turn: Turn) -> bool:
        return _form(turn).active

    def _answers_step(self, turn: Turn, form: Form) -> bool:
        step, norm = form.step, turn.norm
        if step in ("confirm", "reuse", "field"):
            return bool(YES.match(norm) or NO.match(norm) or self._field_named(norm))
        if step == "choose":
            return bool(self._pick(turn, form.candidates))
        if step == "email":
            return "@" in norm or not QUESTION.search(norm)
        return not QUESTION.search(norm)

    # --- handling -----------------------------------------------------------------------------------------

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        form = _form(turn)
        if claim.parsed == "payload":
            p = _PAYLOAD.match(turn.norm)
            if p and p.group(1) == "cancelreg":
                return self._ask_cancel(turn, int(p.group(2) or 0))
            if form.cancelling is not None:
                return self._finish_cancel(turn)
            if p and p.group(1) == "register":
                form.clear()
                return self._start(turn, p.group(2))
            return self._continue(turn, form)
        if claim.parsed == "form":
            return self._continue(turn, form)
        if claim.parsed == "again":
            again = self._already(turn, form.confirmed or "")
            if not again.replies:  # cancelled in the meantime
                return Outcome([Reply(t("my_regs_none", turn.lang))], "registration")
            again.extra["registered"] = form.confirmed or ""
            return again
        if claim.parsed == "cancel":
            return self._cancel_which(turn)
        if claim.parsed == "mine":
            return self._list(turn)
        return self._start(turn, None)

    # starting

    def _open_events(self, turn: Turn) -> list[Event]:
        return [e for e in turn.library.knowledge.events if regs.why_closed(e, turn.now) is None]

    def _start(self, turn: Turn, event_id: str | None) -> Outcome:
        lang = turn.lang
        kb = turn.library.knowledge
        if event_id:
            ev = kb.event_by_id(event_id)
            return self._begin(turn, ev) if ev else self._choose(turn, self._open_events(turn), t("reg_no_match", lang))
        titled = turn.library.events.match_titles(turn.norm)
        if len(titled) == 1:
            return self._begin(turn, titled[0])
        if titled:
            upcoming = [e for e in titled if e.finishes >= turn.now]
            if len(upcoming) == 1:
                return self._begin(turn, upcoming[0])
            if upcoming:
                return self._choose(turn, upcoming, t("reg_which_event", lang))
            return self._begin(turn, max(titled, key=lambda e: e.starts))  # explains that it is over
        mentioned = REGISTER.sub("", turn.norm)
        has_name = bool(re.search(r"\b(for|to|in)\s+\w", mentioned) or re.search(r"参加\S{2,}|报名\S{2,}", turn.norm))
        open_events = self._open_events(turn)
        header = t("reg_no_match", lang) if has_name else t("reg_which_event", lang)
        return self._choose(turn, open_events, header)

    def _choose(self, turn: Turn, events: list[Event], header: str) -> Outcome:
        lang = turn.lang
        if not events:
            _form(turn).clear()
            return Outcome([Reply(t("reg_none_open", lang))], "registration")
        shown = sorted(events, key=lambda e: e.starts)[:8]
        form = _form(turn)
        form.clear()
        form.step, form.candidates = "choose", [e.id for e in shown]
        lines = [header, *(calendar_text.summary_line(e, lang) for e in shown)]
        buttons = tuple(Button(e.title.get(lang), f"/register {e.id}") for e in shown)
        return Outcome([Reply("\n".join(lines), buttons)], "registration")

    def _pick(self, turn: Turn, candidates: list[str]) -> Event | None:
        """The candidate a member means by a number (handled by the engine), a city or part of a title."""
        kb = turn.library.knowledge
        events = [e for e in (kb.event_by_id(c) for c in candidates) if e]
        titled = [e for e in turn.library.events.match_titles(turn.norm) if e in events]
        if len(titled) == 1:
            return titled[0]
        query = turn.library.events.parse(turn.text, turn.now)
        if query.cities or query.countries:
            by_place = [e for e in events if query.matches_place(e)]
            if len(by_place) == 1:
                return by_place[0]
        return None

    def _already(self, turn: Turn, event_id: str) -> Outcome:
        """"You're already registered" with the registration's state, or no replies when the member is not."""
        ev = turn.library.knowledge.event_by_id(event_id)
        mine = [r for r in regs.of_member(turn.store.session, turn.store.channel, turn.store.user_id)
                if r.event_id == event_id]
        if ev is None or not mine:
            return Outcome([], "registration")
        r = mine[0]
        pos = regs.waitlist_position(turn.store.session, r) if r.status == "waitlisted" else None
        title = ev.title.get(turn.lang)
        status = _status_text(r, pos, turn.lang)
        return Outcome([Reply(t("reg_already", turn.lang, title=title, id=r.id, status=status))], "registration")

    def _begin(self, turn: Turn, ev: Event) -> Outcome:
        lang = turn.lang
        _form(turn).clear()
        reason = regs.why_closed(ev, turn.now)
        title = ev.title.get(lang)
        if reason == "past":
            return Outcome([Reply(t("reg_past", lang, title=title))], "registration")
        if reason == "closed":
            assert ev.registration_closes is not None
            date = calendar_text.date_range_of(ev.registration_closes, lang)
            return Outcome([Reply(t("reg_closed", lang, title=title, date=date))], "registration")
        already = self._already(turn, ev.id)
        if already.replies:
            return already
        form = _form(turn)
        form.clear()
        form.event = ev.id
        intro = t("reg_start", lang, title=title, dates=calendar_text.date_range(ev, lang))
        last = regs.last_details(turn.store.session, turn.store.channel, turn.store.user_id)
        if last:
            form.step, form.name, form.company, form.email = "reuse", last.name, last.company, last.email
            text = intro + "\n" + t("reg_reuse", lang, name=last.name, company=last.company, email=last.email)
            return Outcome([Reply(text, (Button(t("btn_reuse_yes", lang), "/reuse"),
                                         Button(t("btn_reuse_no", lang), "/newdetails")))], "registration")
        form.step = "name"
        return Outcome([Reply(intro + "\n" + t("reg_ask_name", lang))], "registration")

    # the form

    def _continue(self, turn: Turn, form: Form) -> Outcome:
        lang, norm = turn.lang, turn.norm
        p = _PAYLOAD.match(norm)
        action = p.group(1) if p else None
        if ABANDON.match(norm):
            _form(turn).clear()
            return Outcome([Reply(t("reg_form_cancelled", lang))], "registration")
        step = form.step
        if step == "choose":
            ev = self._pick(turn, form.candidates)
            if ev is None:
                return self._choose(turn, [e for c in form.candidates
                                           if (e := turn.library.knowledge.event_by_id(c))], t("reg_which_event", lang))
            return self._begin(turn, ev)
        correction = CORRECTION.match(turn.text.strip())
        if correction:  # "my email is actually x@y.com": the value as typed, case kept
            fld = next(f for f in STEPS if correction.group(f))
            return self._set(turn, form, fld, correction.group("value"))
        named = self._field_named(norm) if (CHANGE.search(norm) or step == "field" or action == "change") else None
        if named:
            form.step = named
            return Outcome([Reply(t(f"reg_ask_{named}", lang))], "registration")
        if step == "reuse":
            if action == "reuse" or YES.match(norm):
                return self._summary(turn, form)
            form.step, form.name, form.company, form.email = "name", None, None, None
            return Outcome([Reply(t("reg_ask_name", lang))], "registration")
        if step == "confirm":
            if action == "yes" or YES.match(norm):
                return self._submit(turn, form)
            form.step = "field"
            return self._ask_field(turn)
        if step == "field":
            return self._ask_field(turn)
        if step in STEPS:
            return self._set(turn, form, step, turn.text)
        return self._summary(turn, form)

    @staticmethod
    def _field_named(norm: str) -> str | None:
        for fld, words in FIELD_WORDS.items():
            if re.search(words, norm):
                return fld
        return None

    def _ask_field(self, turn: Turn) -> Outcome:
        lang = turn.lang
        buttons = tuple(Button(t(f"btn_field_{f}", lang), f"/change {f}") for f in STEPS)
        return Outcome([Reply(t("reg_which_field", lang), (*buttons, Button(t("btn_cancel_form", lang), "/cancel")))],
                       "registration")

    def _set(self, turn: Turn, form: Form, fld: str, raw: str) -> Outcome:
        lang = turn.lang
        value: str | None
        if fld == "name":
            value = _valid_name(raw)
            if value is None:
                return Outcome([Reply(t("reg_bad_name", lang))], "registration")
        elif fld == "company":
            value = _valid_company(raw)
            if value is None:
                return Outcome([Reply(t("reg_bad_company", lang))], "registration")
        else:
            try:
                value = regs.normalize_email(raw)
            except ValueError as exc:
                return Outcome([Reply(t("reg_bad_email", lang, reason=_email_reason(str(exc), lang)))],
                               "registration")
        setattr(form, fld, value)
        missing = [f for f in STEPS if not getattr(form, f)]
        if missing:
            form.step = missing[0]
            return Outcome([Reply(t(f"reg_ask_{missing[0]}", lang))], "registration")
        return self._summary(turn, form)

    def _summary(self, turn: Turn, form: Form) -> Outcome:
        lang = turn.lang
        ev = turn.library.knowledge.event_by_id(form.event or "")
        if ev is None:  # the event left the calendar while the form was open
            _form(turn).clear()
            return Outcome([Reply(t("reg_no_match", lang))], "registration")
        form.step = "confirm"
        text = t("reg_summary", lang, title=ev.title.get(lang), name=form.name, company=form.company,
                 email=form.email)
        buttons = (Button(t("btn_confirm", lang), "/yes"), Button(t("btn_change", lang), "/no"),
                   Button(t("btn_cancel_form", lang), "/cancel"))
        return Outcome([Reply(text, buttons)], "registration")

    def _submit(self, turn: Turn, form: Form) -> Outcome:
        lang = turn.lang
        ev = turn.library.knowledge.event_by_id(form.event or "")
        details = regs.Details(form.name or "", form.company or "", form.email or "")
        form.clear()
        if ev is None:
            return Outcome([Reply(t("reg_no_match", lang))], "registration")
        title = ev.title.get(lang)
        result = regs.register(turn.store.session, ev, turn.store.channel, turn.store.user_id, details, lang, turn.now)
        if isinstance(result, regs.Refused):
            if result.reason == "past":
                return Outcome([Reply(t("reg_past", lang, title=title))], "registration")
            if result.reason == "closed":
                assert ev.registration_closes is not None
                date = calendar_text.date_range_of(ev.registration_closes, lang)
                return Outcome([Reply(t("reg_closed", lang, title=title, date=date))], "registration")
            if result.reason == "capped_event":
                return Outcome([Reply(t("reg_capped_event", lang, title=title))], "registration")
            if result.reason == "capped":
                assert result.retry_at is not None
                minutes = max(1, -(-int((result.retry_at - turn.now).total_seconds()) // 60))
                return Outcome([Reply(t("reg_capped", lang, minutes=minutes))], "registration")
            if result.reason == "already_email":
                # Answered as a new registration would be: nothing is disclosed of whoever registered that address,
                # who gets an email about the attempt instead (bot/desk/mail.py).
                return _as_new(turn, ev, details.email, result.newcomer_position)
            r = result.existing
            status = _status_text(r, None, lang) if r else t("status_confirmed", lang)
            return Outcome([Reply(t("reg_already", lang, title=title, id=r.id if r else "?", status=status))],
                           "registration")
        form.confirmed = ev.id
        regs.notify_promoted(turn.store.session, ev, result.promoted, turn.now)
        return _as_new(turn, ev, result.registration.email, result.position, result.held_until)

    # after: listing and cancelling

    def _list(self, turn: Turn) -> Outcome:
        lang = turn.lang
        mine = regs.of_member(turn.store.session, turn.store.channel, turn.store.user_id)
        if not mine:
            return Outcome([Reply(t("my_regs_none", lang))], "registration")
        lines = [t("my_regs_header", lang)]
        buttons = []
        for r in mine:
            ev = turn.library.knowledge.event_by_id(r.event_id)
            title = ev.title.get(lang) if ev else r.event_id
            pos = regs.waitlist_position(turn.store.session, r) if r.status == "waitlisted" else None
            when = f" — {calendar_text.date_range(ev, lang)}" if ev else ""
            lines.append(f"• {title}{when}: {_status_text(r, pos, lang)} (#{r.id})")
            if ev is None or ev.starts > turn.now:
                buttons.append(Button(t("btn_cancel_reg", lang, title=title), f"/cancelreg {r.id}"))
        return Outcome([Reply("\n".join(lines), tuple(buttons))], "registration")

    def _cancel_which(self, turn: Turn) -> Outcome:
        mine = regs.of_member(turn.store.session, turn.store.channel, turn.store.user_id)
        titled = {e.id for e in turn.library.events.match_titles(turn.norm)}
        chosen = [r for r in mine if r.event_id in titled] if titled else mine
        if len(chosen) == 1:
            return self._ask_cancel(turn, chosen[0].id)
        if not chosen:
            return Outcome([Reply(t("my_regs_none", turn.lang))], "registration")
        listing = self._list(turn)
        return Outcome([Reply(t("reg_cancel_which", turn.lang), listing.replies[0].buttons)], "registration")

    def _ask_cancel(self, turn: Turn, reg_id: int) -> Outcome:
        lang = turn.lang
        mine = {r.id: r for r in regs.of_member(turn.store.session, turn.store.channel, turn.store.user_id)}
        r = mine.get(reg_id)
        if r is None:
            return Outcome([Reply(t("my_regs_none", lang))], "registration")
        ev = turn.library.knowledge.event_by_id(r.event_id)
        title = ev.title.get(lang) if ev else r.event_id
        _form(turn).cancelling = reg_id
        return Outcome([Reply(t("reg_cancel_confirm", lang, title=title),
                              (Button(t("btn_yes_cancel", lang), "/yes"), Button(t("btn_keep", lang), "/no")))],
                       "registration")

    def _finish_cancel(self, turn: Turn) -> Outcome:
        lang = turn.lang
        form = _form(turn)
        reg_id, form.cancelling = int(form.cancelling or 0), None
        mine = {r.id: r for r in regs.of_member(turn.store.session, turn.store.channel, turn.store.user_id)}
        r = mine.get(reg_id)
        ev = turn.library.knowledge.event_by_id(r.event_id) if r else None
        if r is None or ev is None:
            return Outcome([Reply(t("my_regs_none", lang))], "registration")
        title = ev.title.get(lang)
        if not (turn.norm == "/yes" or YES.match(turn.norm)):
            return Outcome([Reply(t("reg_cancel_kept", lang, title=title))], "registration")
        done = regs.cancel(turn.store.session, ev, reg_id, turn.store.channel, turn.store.user_id, turn.now)
        if done is None:
            return Outcome([Reply(t("my_regs_none", lang))], "registration")
        _, promoted = done
        regs.notify_promoted(turn.store.session, ev, promoted, turn.now)
        return Outcome([Reply(t("reg_cancel_done", lang, title=title))], "registration")

    # resuming after a question asked mid-form

    def after(self, turn: Turn, outcome: Outcome) -> None:
        # The double-click guard lasts while the member says nothing else: a later "yes" is about something new.
        if "registered" not in outcome.extra:
            _form(turn).confirmed = None

    def resume(self, turn: Turn, outcome: Outcome) -> list[Reply]:
        form = _form(turn)
        if turn.store.has_open_ticket():
            return []  # staff have the conversation now (an FAQ answer that hands off, mid-form)
        if not form.active or not form.event:
            if form.step == "choose":
                return [Reply(t("reg_which_event", turn.lang))]
            return []
        ev = turn.library.knowledge.event_by_id(form.event or "")
        if ev is None:
            return []
        step = form.step
        head = t("reg_resume", turn.lang, title=ev.title.get(turn.lang))
        if step in STEPS:
            return [Reply(head + "\n" + t(f"reg_ask_{step}", turn.lang))]
        if step == "confirm":
            return [Reply(head, self._summary(turn, form).replies[0].buttons)]
        return [Reply(head)]
