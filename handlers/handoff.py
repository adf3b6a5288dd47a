"""Hand-off to staff: offering a person, opening a ticket, and staying out of the way while staff have the
conversation. This module owns the "offer a person" state: other handlers ask for an offer through their Outcome
(`unanswered`, `offers_person`) or by answering with `offer_person(turn)`."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar

from bot.desk import tickets
from bot.i18n import WEEKDAYS, t
from bot.messages import Button, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from bot.understanding import text as textmod
from bot.understanding.intent_model import INTENT_CHANCE, PERSON_ASK, PERSON_SURE
from bot.understanding.meaning import IntentVerdict
from handlers import faq
from handlers.friendly_words import words_kind
from handlers.handoff_words import (
    ASK_HUMAN,
    BACK_TO_BOT,
    COMMAND,
    NO,
    PLAIN_REQUEST,
    YES,
    back_with_staff,
)
from handlers.no_request import not_asking_for_us, settled
from handlers.smalltalk import kind_of as small_talk


@dataclass
class HandoffState:
    KEY: ClassVar[str] = "handoff"
    misses: int = 0  # turns in a row the bot could not answer
    offered: bool = False  # the last reply asked whether to pass the question to staff
    unanswered: str | None = None  # the question staff get if the member accepts
    awaiting_question: bool = False  # the member asked for a person; the bot asked what about


def _state(turn: Turn) -> HandoffState:
    return turn.state.slice(HandoffState)


def offer_person(turn: Turn) -> Outcome:
    """The honest "I don't know", with the offer of a person. The second miss in a row asks plainly, so a "yes"
    opens the ticket with this question."""
    if _state(turn).misses + 1 >= 2:
        return Outcome([Reply(t("handoff_accept_offer", turn.lang))], "fallback", unanswered=turn.text,
                       offers_person=True)
    buttons = (
        Button(t("btn_staff", turn.lang), "/human"),
        Button(t("btn_events", turn.lang), "/events"),
        Button(t("btn_help", turn.lang), "/help"),
    )
    return Outcome([Reply(t("dont_know", turn.lang), buttons)], "fallback", unanswered=turn.text, offers_person=True)


def open_ticket(turn: Turn, question: str, reason: str) -> tuple[bool, list[Reply]]:
    """Open a ticket for the member (or join the open one). Returns (a new ticket was opened, replies)."""
    existing = turn.store.open_ticket()
    if existing is not None:
        tickets.member_message(turn.store.session, existing, turn.text, turn.now)
        return False, [Reply(t("handoff_already", turn.lang))]
    store = turn.store
    store.remember_ticket(tickets.open_for(store.session, store.channel, store.user_id, store.chat_id, turn.lang,
                                           question, reason, turn.now))
    state = _state(turn)
    state.awaiting_question = state.offered = False
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


def _about_staff(turn: Turn) -> bool:
    """A message with a word about people ("工作人员", "real person") that the classifier reads as a question, not
    a request ("你们的工作人员会说粤语吗", "is the webinar presented by a real person"). Commands-like requests
    ("转人工", "talk to a human") are not asked: the patterns alone are sure of them."""
    if PLAIN_REQUEST.found(turn.norm) or turn.reading.reader.intent_model is None:
        return False
    chances = turn.reading.intent_chances()
    if not chances:
        return False
    return turn.reading.intent_chance("person") < PERSON_ASK and max(chances, key=chances.__getitem__) != "handoff"


# Words of a bare request for a person: what is left once they are gone is the question staff get. A fixed list,
# not the example phrases' words: some of those carry a question ("... about my visa letter").
_REQUEST_WORDS = (
    "want need like would could can please pls talk speak chat call ring contact get put through connect transfer "
    "someone somebody anyone anybody person people human humans real live agent agents staff team colleague "
    "colleagues representative manager operator service customer support help desk bot robot chatbot directly "
    "personally back member members me us one your hello hi hey there take over handle deal look sort answer "
    "reply respond ask question instead rather discuss escalate let prefer able possible right now already "
    "message email phone reach via thing stuff matter issue problem this that something anything "
    "帮 帮我 麻烦 请 让 找 找个 给 我 你们 人 回个 电话 安排 跟 对接 转 转接 人工 处理 "
    "联系 真人 客服 工作人员 同事 机器人 负责人 经理 一下 直接 聊 说话 沟通 想 要 需要 能 能不能 可以 吗 "
    "有没有 有人 问题 事情 服务 帮助 回复 打电话 不想 活人 懂 来 回答 员工 专人"
)


@functools.cache
def _request_words() -> frozenset[str]:
    return frozenset(textmod.content_tokens(_REQUEST_WORDS))


def _says_more(turn: Turn) -> bool:
    """Whether a request for a person carries a question ("would somebody ring me about the booth invoice"). With
    a pattern's words ("talk to a human about ..."): what is left of the message besides them; read by meaning: a
    content word beyond the words of asking for a person."""
    known = _request_words()
    if ASK_HUMAN.found(turn.norm):
        left = ASK_HUMAN.whole.sub("", turn.norm).strip(" ,.!?，。！？")
        if not textmod.has_cjk(left):
            return len(left) > 12
        # Chinese says much in few characters: "换人工吧，展位发票的事说不清" carries its question.
        return len("".join(w for w in textmod.content_tokens(left) if w not in known)) >= 3
    words = [w for w in textmod.content_tokens(turn.text) if w not in known and not w.isdigit()]
    if textmod.has_cjk(turn.text):
        return len("".join(words)) >= 3
    return bool(words)


def _person_model_over_event(turn: Turn) -> bool:
    """Whether only the person classifier is sure of a request in a message naming events the calendar finds: its
    words know nothing of the calendar, and matchmaking events are named as members ask to be put in touch
    ("請問有冇同巴西公司配對嘅商務對接會": 對接). A doubt, then: the calendar goes first."""
    if turn.reading.intent_chances().get("handoff", 0.0) >= PERSON_SURE:
        return False
    q = turn.event_query()
    return bool(q.titled or (q.event_word and q.has_filters))


class HandoffHandler(BaseHandler):
    name = "handoff"

    def ceiling(self, turn: Turn) -> float:
        if BACK_TO_BOT.search(turn.norm) or turn.store.has_open_ticket():
            return Priority.COMMAND
        return Priority.ASK_PERSON

    def check(self, turn: Turn) -> Claim | None:
        state = _state(turn)
        if BACK_TO_BOT.search(turn.norm):
            return Claim(Priority.COMMAND, "back")
        if turn.store.has_open_ticket():
            found = turn.reading.intent()  # by meaning too: with staff, every message is read anyway
            if back_with_staff(turn.norm) or (found is not None and found.name == "back_to_bot"):
                # Leaving staff is cheap to undo (asking for a person again opens a new ticket), so a message that
                # means "back to the bot" closes the ticket; staff still see the message in the thread.
                return Claim(Priority.COMMAND, "back")
            # While staff have the conversation the bot does not answer over them: not a form, not an old button.
            return Claim(Priority.COMMAND, "to_staff")
        if COMMAND.match(turn.norm):
            return Claim(Priority.ASK_PERSON, "asked")
        if ASK_HUMAN.found(turn.norm) and not not_asking_for_us(turn.norm) and not _about_staff(turn):
            # A request the patterns are sure of is as plain as the command, and wins over the event it names ("能加一下
            # 你们工作人员的微信吗？想详细聊聊胡志明市代表团的事").
            sure = PLAIN_REQUEST.found(turn.norm)
            return Claim(Priority.COMMAND if sure else Priority.ASK_PERSON, "asked")
        if state.awaiting_question:
            return Claim(Priority.OFFER_ANSWERED, "question")
        if state.offered and YES.match(turn.norm):
            return Claim(Priority.OFFER_ANSWERED, "accepted")
        if state.offered and NO.match(turn.norm):
            return Claim(Priority.OFFER_ANSWERED, "declined")
        if turn.intent("handoff") is not None:  # one of the example phrases: as sure as the patterns
            return Claim(Priority.ASK_PERSON, "asked")
        if turn.intent("frustrated") is not None:
            return Claim(Priority.ASK_PERSON, "maybe")
        return None

    def claim_intent(self, turn: Turn, found: IntentVerdict) -> Claim | None:
        # The classifier is sure: as good as the patterns. In the middle band, or when the member is only fed up
        # with the bot, it asks first, so a misreading costs one turn, not a ticket.
        if found.name not in ("handoff", "frustrated"):
            return None
        told = not_asking_for_us(turn.norm) if found.name == "handoff" else settled(turn.norm)
        if told:  # people named, a person declined, or a complaint about a matter that was solved
            return None
        # "哈哈你挺聪明的嘛", "你是真人还是AI啊": whole small talk that the classifier half-reads; a question about
        # the bot itself ("do you ever get tired of answering the same questions?") is no anger, however sure; nor is
        # an apology for a slip ("不好意思啊，刚才打错字了").
        # Friendly words in a message that asks nothing, which the classifier reads below even odds ("你好啊，我是广州
        # 嘅会员，第一次用这个机器人，先打个招呼啦", "老朽…还请多多关照"), are small talk too.
        unsure = found.score < PERSON_SURE or found.name == "frustrated"
        friendly = words_kind(turn.norm)
        if unsure and (small_talk(turn.norm) is not None or friendly in ("help", "sorry")
                       or (friendly is not None and found.score < INTENT_CHANCE)):
            return None
        doubt = found.name == "handoff" and _person_model_over_event(turn)
        if found.name == "handoff" and found.score >= PERSON_SURE and not doubt:
            return Claim(Priority.INTENT, "asked")
        # A request below sure is a doubt: an event the calendar finds, or an answer, goes first ("請問有冇同巴西公司
        # 配對嘅商務對接會": 對接 is how members ask to be put in touch, and how events are named).
        firm = PERSON_SURE if found.name == "handoff" else INTENT_CHANCE
        return Claim(Priority.INTENT if found.score >= firm and not doubt else Priority.PERSON_MAYBE, "maybe")

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        state = _state(turn)
        if claim.parsed == "back":
            ticket = turn.store.open_ticket()
            if ticket is not None:
                if not BACK_TO_BOT.search(turn.norm):
                    tickets.member_message(turn.store.session, ticket, turn.text, turn.now)
                # The member closes it: the Slack post shows who; this turn's reply tells the member.
                tickets.close(turn.store.session, ticket, "member", turn.now, notice=None)
            state.awaiting_question = False
            return Outcome([Reply(t("handoff_back", turn.lang))], "handoff")
        if claim.parsed == "to_staff":
            ticket = turn.store.open_ticket()
            assert ticket is not None
            # Staff have the conversation: the message goes to them, the bot stays quiet otherwise.
            tickets.member_message(turn.store.session, ticket, turn.text, turn.now)
            return Outcome([Reply(t("handoff_already", turn.lang))], "handoff")
        if claim.parsed == "maybe":
            buttons = (Button(t("btn_yes_staff", turn.lang), "yes"), Button(t("btn_no_thanks", turn.lang), "no"))
            outcome = Outcome([Reply(t("handoff_offer_intent", turn.lang), buttons)], "handoff", offers_person=True,
                              unanswered=None if state.unanswered else turn.text)
            # Asked first, not sure: a question beside it ("is there a phone number I can call?", "会员有没有免费的
            # 法律咨询？") may be the FAQ's, so its offer comes too, one tap from the answer.
            return faq.also_offer(turn, outcome, int(_says_more(turn)), at_least=1)
        if claim.parsed == "declined":
            state.offered, state.unanswered = False, None
            return Outcome([Reply(t("handoff_declined", turn.lang))], "smalltalk")
        if claim.parsed == "accepted":
            after_miss = state.unanswered is not None
            question, state.unanswered = state.unanswered or turn.text, None
            opened, replies = open_ticket(turn, question, reason="fallback")
            return Outcome(replies, "handoff", handoff=opened, after_miss=opened and after_miss)
        if claim.parsed == "question":
            opened, replies = open_ticket(turn, turn.text, reason="asked")
            return Outcome(replies, "handoff", handoff=opened)
        # Asked for a person: take the question the bot could not answer, or the request itself if it says more.
        command = COMMAND.match(turn.text.strip().lower())
        # "/human my invoice is wrong": the words after the command are the question.
        said = turn.text.strip()[command.end():].strip() if command else turn.text if _says_more(turn) else ""
        after_miss = state.unanswered is not None and state.misses > 0
        # Words after the command beat an earlier unanswered question: the member said what this ticket is about.
        asked = said if command and said else state.unanswered or said or None
        state.unanswered = None
        if asked is None:
            state.awaiting_question = True
            return Outcome([Reply(t("handoff_ask_question", turn.lang))], "handoff")
        opened, replies = open_ticket(turn, asked, reason="asked")
        return Outcome(replies, "handoff", handoff=opened, after_miss=opened and after_miss)

    def after(self, turn: Turn, outcome: Outcome) -> None:
        state = _state(turn)
        if outcome.intent == "fallback" and outcome.offers_person:
            state.misses += 1
        elif outcome.intent != "fallback":
            state.misses = 0  # "failed twice in a row" counts consecutive misses only
            if outcome.intent != "handoff":
                state.offered = False  # answered since: a later "yes" is about something else
        if outcome.offers_person:
            state.offered = True
        if outcome.unanswered is not None:
            state.unanswered = outcome.unanswered
