"""The member's registrations: listing them, and cancelling one (asked, then confirmed)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.desk import calendar_text
from bot.desk import registrations as regs
from bot.i18n import t
from bot.messages import Button, Reply
from bot.storage.models import Registration
from bot.turn import Outcome, Turn
from handlers.registration_form import form_of, status_text


@dataclass(frozen=True)
class ListMine:
    """The claim for "my registrations"."""


@dataclass(frozen=True)
class CancelWhich:
    """The claim for "cancel my registration": `named`, the events the message names (none: any of them)."""

    named: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AskCancel:
    """The claim for a "cancel this registration" button."""

    registration: int


@dataclass(frozen=True)
class FinishCancel:
    """The claim for the answer to "cancel it?"."""

    confirmed: bool


def _reply(text: str, buttons: tuple[Button, ...] = ()) -> Outcome:
    return Outcome([Reply(text, buttons)], "registration")


def _mine(turn: Turn) -> list[Registration]:
    return regs.of_member(turn.store.session, turn.store.channel, turn.store.user_id)


def list_mine(turn: Turn) -> Outcome:
    lang = turn.lang
    mine = _mine(turn)
    if not mine:
        return _reply(t("my_regs_none", lang))
    lines = [t("my_regs_header", lang)]
    buttons = []
    for r in mine:
        ev = turn.library.knowledge.event_by_id(r.event_id)
        title = ev.title.get(lang) if ev else r.event_id
        pos = regs.waitlist_position(turn.store.session, r) if r.status == "waitlisted" else None
        when = f" — {calendar_text.date_range(ev, lang)}" if ev else ""
        lines.append(f"• {title}{when}: {status_text(r, pos, lang)} (#{r.id})")
        if ev is None or ev.starts > turn.now:
            buttons.append(Button(t("btn_cancel_reg", lang, title=title), f"/cancelreg {r.id}"))
    return _reply("\n".join(lines), tuple(buttons))


def cancel_which(turn: Turn, claim: CancelWhich) -> Outcome:
    mine = _mine(turn)
    chosen = [r for r in mine if r.event_id in claim.named] if claim.named else mine
    if len(chosen) == 1:
        return ask_cancel(turn, chosen[0].id)
    if not chosen:
        return _reply(t("my_regs_none", turn.lang))
    return _reply(t("reg_cancel_which", turn.lang), list_mine(turn).replies[0].buttons)


def ask_cancel(turn: Turn, reg_id: int) -> Outcome:
    lang = turn.lang
    r = {r.id: r for r in _mine(turn)}.get(reg_id)
    if r is None:
        return _reply(t("my_regs_none", lang))
    ev = turn.library.knowledge.event_by_id(r.event_id)
    title = ev.title.get(lang) if ev else r.event_id
    form_of(turn).cancelling = reg_id
    return _reply(t("reg_cancel_confirm", lang, title=title),
                  (Button(t("btn_yes_cancel", lang), "/yes"), Button(t("btn_keep", lang), "/no")))


def finish_cancel(turn: Turn, confirmed: bool) -> Outcome:
    lang = turn.lang
    form = form_of(turn)
    reg_id, form.cancelling = int(form.cancelling or 0), None
    r = {r.id: r for r in _mine(turn)}.get(reg_id)
    ev = turn.library.knowledge.event_by_id(r.event_id) if r else None
    if r is None or ev is None:
        return _reply(t("my_regs_none", lang))
    title = ev.title.get(lang)
    if not confirmed:
        return _reply(t("reg_cancel_kept", lang, title=title))
    done = regs.cancel(turn.store.session, ev, reg_id, turn.store.channel, turn.store.user_id, turn.now)
    if done is None:
        return _reply(t("my_regs_none", lang))
    _, promoted = done
    regs.notify_promoted(turn.store.session, ev, promoted, turn.now)
    return _reply(t("reg_cancel_done", lang, title=title))
