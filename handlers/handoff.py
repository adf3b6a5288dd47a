"""Hand-off to staff: opening a ticket, and staying out of the way while staff have the conversation."""

from __future__ import annotations

import re

from bot.desk import tickets
from bot.i18n import WEEKDAYS, t
from bot.messages import Reply
from bot.turn import Outcome, Turn

ASK_HUMAN = re.compile(
    r"^/human$|^/agent$|\b(talk|speak|chat) (to|with) (a |an |some )?(human|person|people|agent|staff|someone|"
    r"real person|representative|member of staff)|\b(human|live|real) (agent|person|support)\b|"
    r"^(agent|human|operator|representative|staff)( please| pls)?$|\bagent please\b|\bconnect me\b|"
    r"转人工|人工客服|人工服务|找人工|真人|工作人员|客服人员|联系客服|我要人工|接人工"
)
YES = re.compile(r"^(yes|y|yeah|yep|sure|ok|okay|please|yes please|是|是的|好|好的|要|需要|可以|行)[.!。！]*$")
NO = re.compile(r"^(no|n|nope|no thanks|not now|否|不|不用|不要|不需要|算了)[.!。！]*$")
BACK_TO_BOT = re.compile(
    r"^/bot$|^back to (the )?bot$|^(return|go back) to (the )?bot$|^返回机器人$|^回到机器人$|^机器人$"
)


def open_ticket(turn: Turn, question: str, reason: str) -> tuple[bool, list[Reply]]:
    """Open a ticket for the member (or join the open one). Returns (a new ticket was opened, replies)."""
    existing = turn.store.open_ticket()
    if existing is not None:
        tickets.member_message(turn.store.session, existing, turn.text, turn.now)
        return False, [Reply(t("handoff_already", turn.lang))]
    store = turn.store
    store.remember_ticket(tickets.open_for(store.session, store.channel, store.user_id, store.chat_id, turn.lang,
                                           question, reason, turn.now))
    turn.state.pop("awaiting_handoff", None)
    turn.state.pop("offered_handoff", None)
    return True, [Reply(t("handoff_opened", turn.lang) + " " + when_staff_answer(turn))]


def when_staff_answer(turn: Turn) -> str:
    hours = turn.office_hours
    if hours is None or hours.is_open(turn.now):
        return t("handoff_open_now", turn.lang)
    back = hours.next_opening(turn.now)
    days = WEEKDAYS[turn.lang]
    when = (f"{days[back.weekday()]} {back:%H:%M}" if turn.lang == "en"
            else f"{back.month}月{back.day}日{days[back.weekday()]} {back:%H:%M}")
    tz = str(hours.tz).split("/")[-1].replace("_", " ")
    return t("handoff_closed_now", turn.lang, when=when, tz=tz)


class HandoffHandler:
    name = "handoff"

    def matches(self, turn: Turn) -> float | None:
        if BACK_TO_BOT.search(turn.norm):
            return 1.0
        if turn.store.has_open_ticket():
            # While staff have the conversation the bot does not answer over them.
            return 0.99
        if ASK_HUMAN.search(turn.norm):
            return 0.97
        if turn.state.get("awaiting_handoff"):
            return 0.96
        if turn.state.get("offered_handoff") and (YES.match(turn.norm) or NO.match(turn.norm)):
            return 0.96
        return None

    def handle(self, turn: Turn) -> Outcome:
        ticket = turn.store.open_ticket()
        if BACK_TO_BOT.search(turn.norm):
            if ticket is not None:
                # The member closes it: the Slack post shows who; this turn's reply tells the member.
                tickets.close(turn.store.session, ticket, "member", turn.now, notice=None)
            turn.state.pop("awaiting_handoff", None)
            return Outcome([Reply(t("handoff_back", turn.lang))], "handoff")
        if ticket is not None:
            # Staff have the conversation: the message goes to them, the bot stays quiet otherwise.
            tickets.member_message(turn.store.session, ticket, turn.text, turn.now)
            return Outcome([Reply(t("handoff_already", turn.lang))], "handoff")
        if turn.state.get("offered_handoff") and not ASK_HUMAN.search(turn.norm):
            turn.state.pop("offered_handoff", None)
            if NO.match(turn.norm):
                turn.state.pop("unanswered", None)
                return Outcome([Reply(t("handoff_declined", turn.lang))], "smalltalk")
            opened, replies = open_ticket(turn, turn.state.pop("unanswered", None) or turn.text, reason="fallback")
            return Outcome(replies, "handoff", handoff=opened)
        if turn.state.get("awaiting_handoff") and not ASK_HUMAN.search(turn.norm):
            opened, replies = open_ticket(turn, turn.text, reason="asked")
            return Outcome(replies, "handoff", handoff=opened)
        # Asked for a person: take the question the bot could not answer, or the request itself if it says more.
        remainder = ASK_HUMAN.sub("", turn.norm).strip(" ,.!?，。！？")
        question = turn.state.pop("unanswered", None) or (turn.text if len(remainder) > 12 else None)
        if question is None:
            turn.state["awaiting_handoff"] = True
            return Outcome([Reply(t("handoff_ask_question", turn.lang))], "handoff")
        opened, replies = open_ticket(turn, question, reason="asked")
        return Outcome(replies, "handoff", handoff=opened)
