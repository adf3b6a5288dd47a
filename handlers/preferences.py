"""What a member receives and what we keep about them: "stop"/"unsubscribe"/"退订"/"取消订阅" (after a
confirmation), "subscribe"/"订阅", "/settings", "my data"/"我的数据", "delete my data"/"删除我的数据" (after a
confirmation). The rules are in bot/desk/members.py; this handler only reads the words and shapes the replies."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import ClassVar

from bot.desk import members
from bot.i18n import t
from bot.messages import Attachment, Button, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn

_END = r"[\s!！。.,，?？~]*$"
_STOP = re.compile(r"^(/?unsubscribe|/stop|unsubscribe me|退订|取消订阅|不要再发了?|别再发了?)" + _END)
_STOP_SOFT = re.compile(r"^(stop|stop (sending|messages|announcements|news))" + _END)  # also "stop" mid-form
_SUBSCRIBE = re.compile(r"^(/?subscribe|resubscribe|subscribe again|订阅|重新订阅)" + _END)
_SETTINGS = re.compile(r"^(/settings|settings|my settings|设置|我的设置)" + _END)
_EXPORT = re.compile(r"^(/mydata|my data|show my data|what do you (know|store|keep) about me|我的数据|我的资料)" + _END)
_FORGET = re.compile(r"^(/forget|delete my data|erase my data|forget me|删除我的数据|删除我的资料)" + _END)
_YES = re.compile(r"^(yes|y|yeah|ok|sure|confirm|是|是的|好|好的|确定|确认)" + _END)
_NO = re.compile(r"^(no|n|nope|keep|不|不要|否|取消|算了)" + _END)
_PAYLOAD = re.compile(r"^/(prefs|forget) (stop|stopall|keep|on|off|yes|no)$")
# The intents of knowledge/intents.yaml this handler answers, and what each one does.
_INTENTS = {"unsubscribe": "ask:stop", "subscribe": "prefs:on", "my_data": "export", "delete_my_data": "ask:forget"}


@dataclass
class Pending:
    """A question awaiting the member's yes or no: "stop" (announcements) or "forget" (their data)."""

    KEY: ClassVar[str] = "preferences"
    asked: str | None = None


class PreferencesHandler(BaseHandler):
    name = "preferences"

    def check(self, turn: Turn) -> Claim | None:
        norm = turn.norm.strip()
        asked = turn.state.slice(Pending).asked
        if m := _PAYLOAD.match(norm):
            if m.group(1) == "forget" and asked != "forget":
                # Erasing is only ever the answer to the question: "/forget yes" typed out of the blue asks it.
                return Claim(Priority.COMMAND, "ask:forget")
            return Claim(Priority.COMMAND, f"{m.group(1)}:{m.group(2)}")
        if asked and _YES.match(norm):
            return Claim(Priority.COMMAND, f"{'prefs:stop' if asked == 'stop' else 'forget:yes'}")
        if asked and _NO.match(norm):
            return Claim(Priority.COMMAND, f"{'prefs:keep' if asked == 'stop' else 'forget:no'}")
        for pattern, action in ((_STOP, "ask:stop"), (_SUBSCRIBE, "prefs:on"), (_SETTINGS, "settings"),
                                (_EXPORT, "export"), (_FORGET, "ask:forget")):
            if pattern.match(norm):
                return Claim(Priority.COMMAND, action)
        if _STOP_SOFT.match(norm):
            return Claim(Priority.ASK_PERSON, "ask:stop")  # a form in progress takes "stop" as its own
        for family, action in _INTENTS.items():
            if turn.intent(family) is not None:  # one of the example phrases in intents.yaml
                return Claim(Priority.COMMAND, action)
        # Only the example phrases themselves: read from meaning, "stop the newsletter" or "take my name off the
        # list" were taken from FAQ entries and registrations on the development sets.
        return None

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        pending = turn.state.slice(Pending)
        action = str(claim.parsed)
        pending.asked = None
        lang, conn = turn.lang, turn.store.conn
        who = (turn.incoming.channel, turn.incoming.user_id)
        if action == "ask:stop":
            pending.asked = "stop"
            return self._out(t("prefs_stop_confirm", lang), [("btn_stop_announcements", "/prefs stop"),
                                                             ("btn_stop_reminders", "/prefs stopall"),
                                                             ("btn_keep_settings", "/prefs keep")], turn)
        if action in ("prefs:stop", "prefs:off"):
            members.set_prefs(conn, *who, turn.now, announcements=False)
            return self._out(t("prefs_stopped", lang), [], turn)
        if action == "prefs:stopall":
            members.set_prefs(conn, *who, turn.now, announcements=False, reminders=False)
            return self._out(t("prefs_reminders_stopped", lang), [], turn)
        if action in ("prefs:keep", "forget:no"):
            return self._out(t("prefs_kept" if action == "prefs:keep" else "data_forget_kept", lang), [], turn)
        if action == "prefs:on":
            members.set_prefs(conn, *who, turn.now, announcements=True, reminders=True)
            return self._out(t("prefs_subscribed", lang), [], turn)
        if action == "settings":
            p = members.prefs(conn, *who)
            toggle = ("btn_subscribe", "/prefs on") if not p.announcements else ("btn_unsubscribe", "/prefs off")
            return self._out(members.settings_text(p, lang), [toggle], turn)
        if action == "export":
            return self._export(turn)
        if action == "ask:forget":
            pending.asked = "forget"
            return self._out(t("data_forget_confirm", lang), [("btn_forget_yes", "/forget yes"),
                                                              ("btn_forget_no", "/forget no")], turn)
        # forget:yes
        members.forget(turn.store.session, turn.library.knowledge.event_by_id, *who, turn.now)
        return Outcome([Reply(t("data_forgotten", lang))], "preferences", erased=True)

    @staticmethod
    def _out(text: str, buttons: list[tuple[str, str]], turn: Turn) -> Outcome:
        return Outcome([Reply(text, tuple(Button(t(key, turn.lang), payload) for key, payload in buttons))],
                       "preferences")

    @staticmethod
    def _export(turn: Turn) -> Outcome:
        data = members.export(turn.store.session, turn.incoming.channel, turn.incoming.user_id) or {}
        text = t("data_summary", turn.lang, registrations=len(data.get("registrations", [])),
                 tickets=len(data.get("tickets", [])), messages=len(data.get("transcript", [])))
        file = Attachment("my-data.json", "application/json",
                          json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
        return Outcome([Reply(text, attachments=(file,))], "preferences")
