"""Answers from the curated FAQ, and only when sure: below the threshold it offers close questions or says so."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from bot.desk import choices
from bot.i18n import t
from bot.messages import Button, Lang, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from bot.understanding import leaning, siblings
from bot.understanding.knowledge_files import FaqEntry
from bot.understanding.meaning import FaqVerdict
from bot.understanding.text import written_in_chinese
from handlers import context, handoff

_PAYLOAD = re.compile(r"^/faq ([a-z0-9-]+)$")


@dataclass
class FaqState:
    """The last "did you mean" offer, so that the member's pick counts for the words that got it (bot/desk/choices.py).
    It lasts while the member picks among its buttons or says "Not helpful"; any other message ends it."""

    KEY: ClassVar[str] = "faq"
    asked: str = ""  # the member's words that got the buttons
    offered: list[str] = field(default_factory=list)  # the entries offered
    vector: str = ""  # the embedding of those words, worked out in that turn (base64 float16; "" without one)
    chosen: str = ""  # the entry picked last: "Not helpful" under its answer takes the pick back


class FaqHandler(BaseHandler):
    name = "faq"

    def ceiling(self, turn: Turn) -> float:
        """The most `check` can give this turn, from the cheap lexical reading alone: an answer found by meaning
        claims at most the answer strength, so a calendar question or a form step never waits for an embedding."""
        if _PAYLOAD.match(turn.norm):
            return Priority.COMMAND
        if turn.bar >= Priority.FAQ_CEILING:
            return Priority.FAQ_CEILING  # a form step or staff: no need to read the FAQ at all
        lexical = turn.reading.lexical()
        top = lexical[0].score if lexical else 0.0
        return min(max(top, turn.library.reader.thresholds.answer_strength), Priority.FAQ_CEILING)

    def check(self, turn: Turn) -> Claim | None:
        m = _PAYLOAD.match(turn.norm)
        if m:
            entry = turn.library.knowledge.faq_by_id(m.group(1))
            return Claim(Priority.COMMAND, (entry, None)) if entry else None
        verdict = turn.reading.faq_verdict()
        if verdict.band == "none":
            return None
        ctx = context.context_of(turn)
        if verdict.band == "answer" and ctx.at is None and not turn.reading.word_for_word():
            verdict = _unless_leaning(turn, verdict)
        elif verdict.band == "suggest" and ctx.at is not None and ctx.faq:
            verdict = _on_the_topic(turn, ctx.faq, verdict)
        # Capped below a command: a button payload or a calendar question about a named event wins a tie.
        strength = max(Priority.FAQ_FLOOR, min(verdict.strength, Priority.FAQ_CEILING))
        return Claim(strength, (None, verdict))

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        entry: FaqEntry | None
        verdict: FaqVerdict | None
        entry, verdict = claim.parsed
        pressed = entry is not None
        if entry is not None:
            _count_choice(turn, entry.id)
        else:
            assert verdict is not None
            if verdict.band != "answer":
                return self._suggest(turn, verdict)
            entry = turn.library.knowledge.faq_by_id(verdict.options[0])
            assert entry is not None
        answer = _answer(entry, turn.lang)
        replies = [Reply(answer, feedback_buttons(turn, entry))]
        opened = False
        if entry.handoff:
            opened, more = handoff.open_ticket(turn, entry.questions[0] if pressed else turn.text, reason="faq")
            if opened:
                # The entry's answer already says a colleague will reply (knowledge/README.md asks staff to write
                # it so): the bot adds only when, not the same news a second time.
                replies = [Reply(answer + " " + handoff.when_staff_answer(turn))]
            else:
                replies += more
        return Outcome(replies, "faq", answer_id=entry.id, handoff=opened, keeps_offer=pressed)

    def after(self, turn: Turn, outcome: Outcome) -> None:
        """The offer ends with any message but a pick among its buttons or "Not helpful" under the picked answer;
        that "Not helpful" takes the pick back."""
        state = turn.state.slice(FaqState)
        if not state.asked:
            return
        if outcome.not_helpful and outcome.not_helpful == state.chosen:
            choices.withdraw(turn.store.conn, turn.incoming.channel, turn.incoming.user_id, state.chosen,
                             state.asked, _needed(turn))
            state.chosen = ""
        elif not outcome.keeps_offer:
            end_offer(turn)

    def _suggest(self, turn: Turn, verdict: FaqVerdict) -> Outcome:
        buttons = [*_entry_buttons(turn, verdict.options), Button(t("btn_staff", turn.lang), "/human")]
        _remember_offer(turn, verdict.options)
        ask = "did_you_mean" if len(verdict.options) > 1 else "did_you_mean_this"  # one entry: "this?", not "one of"
        return Outcome([Reply(t(ask, turn.lang), tuple(buttons))], "fallback", unanswered=turn.text,
                       keeps_offer=True)


def _entry_buttons(turn: Turn, entry_ids: tuple[str, ...]) -> list[Button]:
    """A button per entry, labelled with its staff question in the member's language."""
    buttons = []
    for entry_id in entry_ids:
        entry = turn.library.knowledge.faq_by_id(entry_id)
        assert entry is not None
        buttons.append(Button(question_in(entry.questions, turn.lang), f"/faq {entry_id}"))
    return buttons


def end_offer(turn: Turn) -> None:
    """The last "did you mean" offer is over: what answers next counts as no member's pick."""
    state = turn.state.slice(FaqState)
    state.asked, state.offered, state.vector, state.chosen = "", [], "", ""


def _remember_offer(turn: Turn, offered: tuple[str, ...]) -> None:
    """The offer stays open, so that a member's pick among its buttons counts for the words that got it."""
    state = turn.state.slice(FaqState)
    state.asked, state.offered, state.chosen = turn.text, list(offered), ""
    state.vector = choices.pack_vector(turn.reading.known_vector())


# Words of a message that the calendar or the booking did not explain, from which the FAQ's reading is offered too.
# Chinese says in two words what English says in three ("米兰展会展位多少钱": 展位, 钱 beside the fair; on the
# development sets three more entries offered, and no plain calendar question given buttons).
ALSO_OFFER_WORDS: dict[Lang, int] = {"en": 3, "zh": 2}


def also_offer(turn: Turn, outcome: Outcome, unexplained: int, at_least: int | None = None) -> Outcome:
    """A second reply under an event's details, a list of events, a choice of events to book or the question whether
    to pass the message to a person, when the message says more than those explain ("We'd love our logo at the
    Copenhagen summit. What sponsorship levels do you offer?", "我们市场部同事想赞助一下明年的活动，有哪些档位？",
    "What paperwork do I upload when signing us up as a member?", "is there a phone number I can call?"):
    the entries the FAQ would offer, as buttons, so that a question about an event, or about something that is no
    event, is one tap from its answer. Nothing for a plain calendar question or booking ("events in Germany", "sign
    me up for the summit"), which is never embedded for it. `unexplained`: how many of the message's words the
    calendar or the booking left unexplained. The offer is remembered like a "did you mean": a pick among its
    buttons counts towards learning those words (bot/desk/choices.py)."""
    if unexplained < (ALSO_OFFER_WORDS[turn.lang] if at_least is None else at_least):
        return outcome
    verdict = turn.reading.faq_verdict()
    if verdict.band == "none":
        return outcome
    offered = verdict.options[:3]  # the reading names only entries of this knowledge base
    outcome.replies.append(Reply(t("also_asked", turn.lang), tuple(_entry_buttons(turn, offered))))
    _remember_offer(turn, offered)
    outcome.keeps_offer = True
    return outcome


def _needed(turn: Turn) -> int:
    """How many members must choose the same entry for the same words (GASME_LEARN_FROM_CHOICES)."""
    return int(turn.store.info.get("learn_from_choices", choices.DEFAULT_NEEDED))


def _count_choice(turn: Turn, entry_id: str) -> None:
    """A pick among the offer's buttons is the member's vote that their words meant this entry; picking another
    one of them afterwards moves the vote."""
    state = turn.state.slice(FaqState)
    if not state.asked or entry_id not in state.offered or entry_id == state.chosen:
        return
    inc, needed = turn.incoming, _needed(turn)
    if state.chosen:
        choices.withdraw(turn.store.conn, inc.channel, inc.user_id, state.chosen, state.asked, needed)
    choices.record(turn.store.conn, inc.channel, inc.user_id, entry_id, state.asked,
                   choices.unpack_vector(state.vector), needed, turn.now)
    state.chosen = entry_id


# Channels with real buttons: elsewhere (WeChat's numbered text, the console) two more options under every answer
# would bury the answer.
FEEDBACK_CHANNELS = frozenset({"telegram", "web"})


def feedback_buttons(turn: Turn, entry: FaqEntry) -> tuple[Button, ...]:
    """"Helpful / Not helpful" under an answer, on channels with buttons; none under an answer that opens a ticket
    (staff take it from there)."""
    if turn.incoming.channel not in FEEDBACK_CHANNELS or entry.handoff:
        return ()
    return (Button(t("btn_helpful", turn.lang), f"/feedback {entry.id} up"),
            Button(t("btn_not_helpful", turn.lang), f"/feedback {entry.id} down"))


def _answer(entry: FaqEntry, lang: Lang) -> str:
    """The answer in the member's language; where staff wrote it only in the other one, that one with a note."""
    text = entry.answer.get(lang)
    if written_in_chinese(text) != (lang == "zh"):
        return t("answer_other_language", lang) + "\n" + text
    return text


def question_in(questions: tuple[str, ...], lang: str) -> str:
    """The staff-written question in the member's language, for a button label."""
    want_cjk = lang == "zh"
    for q in questions:
        if bool(re.search(r"[\u4e00-\u9fff]", q)) == want_cjk:
            return q
    return questions[0]


def _unless_leaning(turn: Turn, answer: FaqVerdict) -> FaqVerdict:
    """An answer to a message that can only lean on something said before, with nothing in view (the conversation
    lapsed, or never began): "and the annual fee?", "非会员呢" (which fee, whose) offer the entry; "多少钱", "fees?"
    (the price of what) offer the closest few, so the member taps the one meant instead of reading a guess (or, for
    an entry staff answer themselves, opening a ticket on one)."""
    strength = turn.library.reader.thresholds.suggest_strength
    if leaning.only_after(turn.norm):
        return FaqVerdict("suggest", answer.options[:1], strength, answer.semantic)
    if leaning.bare_aspect(turn.norm):
        close = dict.fromkeys([*answer.options, *(i for i, _ in turn.reading.semantic_faq(3)),
                               *(m.id for m in turn.reading.lexical())])
        # Entries that ask the same thing (a price for "多少钱") first.
        asked = siblings.aspects(turn.norm)
        alike = [i for i in close if asked & turn.library.reader.asked.of(i)]
        return FaqVerdict("suggest", tuple(dict.fromkeys([*alike, *close]))[:3], strength, answer.semantic)
    return answer


def _on_the_topic(turn: Turn, in_view: str, offer: FaqVerdict) -> FaqVerdict:
    """An offer whose first entry is the answer in view, or its sibling, while the conversation is on it ("上去以后想改
    资料怎么弄" after how to edit the directory listing; "no, I meant how do I get a login at all" after the password
    reset): the topic is the member's, so the entry is answered. So too the answer in view offered later, where the
    member's words find it first ("错过了的话能看回放吗" after the webinars: the meaning reads "回放" as a refund), and
    its sibling offered later where the meaning finds that first ("can a colleague go instead then" after the refund
    of events: the words find the portal's colleagues, the meaning sending a colleague instead).
    Never an entry staff answer themselves (a guess would open a ticket)."""
    top = offer.options[0]
    lexical, meant = turn.reading.lexical(), turn.reading.model_faq(1)
    if in_view in offer.options and lexical and lexical[0].id == in_view:
        top = in_view
    elif meant and meant[0][0] in offer.options and meant[0][0] in turn.library.reader.kin.of(in_view):
        top = meant[0][0]
    entry = turn.library.knowledge.faq_by_id(top)
    if entry is None or entry.handoff or (top != in_view and top not in turn.library.reader.kin.of(in_view)):
        return offer
    return FaqVerdict("answer", (top,), turn.library.reader.thresholds.answer_strength, offer.semantic)
