"""How a follow-up stands to the FAQ entry in view: whether it speaks of the follow-up's words, and whether the
message, read whole, belongs to another entry. Used by the follow-up handler (handlers/followup.py); nothing here
answers. Which entries are its kin is the reader's (bot/understanding/siblings.py, `Reader.kin`)."""

from __future__ import annotations

import re
import weakref

from bot.state import Context
from bot.turn import Outcome, Turn
from bot.understanding import answer_order, followup, fragments, places, siblings
from bot.understanding import text as textmod
from bot.understanding.faq_index import FaqIndex

# How close (lexical score) an entry related to the one in view must come to the best match for the context to
# choose between them ("and to attend an event?" after the membership fee: the event fee, not how to register).
KIN_MARGIN = 0.05
# A correction's words that find a sibling first by this lead over the next entry name it, whatever the meaning says
# ("不是 我是问展会现场的口译" after the document translation: the interpreters, though "展会现场" sounds like booths).
CLEAR_LEAD = 0.15
# An answer that states an amount of money speaks of its price ("EUR 190 per half day": "is there a half-day
# rate?"), and one that states a reduction speaks of a discount ("Members get 10% off", "会员可享9折": "会员有优惠不").
_AMOUNT = re.compile(r"(?<![a-z])(eur|usd|sgd|rmb|cny|gbp|aud|nzd|hkd|jpy)\s?\d|\d[\d,.]*\s?(eur|usd|sgd|rmb|cny|gbp|"
                     r"aud|nzd|hkd|jpy)(?![a-z])|[€$£¥]\s?\d|\d[\d,.]*\s?(元|欧元|美元|新元|英镑|日元|澳元|港币)", re.I)
_REDUCTION = re.compile(r"\d+\s?% off|\d+(\.\d+)?\s?折|[一二三四五六七八九]折|打折|\bfree\b|免费", re.I)
_PRICE_WORDS = "price cost fee rate charge"
_DISCOUNT_WORDS = "discount member price"  # "会员优惠" is the glossary's "member price"
# A sentence-final "不" asks ("有优惠不", "能寄不"): no word the entry must speak of.
_ASKING_NOT = "不"
# Whether something is included asks whether the answer speaks of it ("does that include the hotel?" after the
# mission's cost, which says flights and hotels are each participant's own): the words name nothing themselves.
_INCLUDING_WORDS = "include includes included including cover covers covered 包括 包含 在内"
_INCLUDING = re.compile("|".join(rf"\b{w}\b" if w.isascii() else w for w in _INCLUDING_WORDS.split()), re.I)
# An answer that gives a date ("请在9月30日前书面通知") speaks of whether a date is in time: "现在才11月 还来得及吗",
# "it's only november, is it too late?" ask it of that answer. The month or day named and the words of being in
# time are then no words the answer must have.
_DATED = re.compile(r"\d{1,2}\s?月\s?\d{1,2}\s?[日号]|\b\d{1,2} (january|february|march|april|may|june|july|august|"
                    r"september|october|november|december)\b|\b(january|february|march|april|may|june|july|august|"
                    r"september|october|november|december) \d{1,2}\b", re.I)
_TIMELY_WORDS = ("来得及 赶得上 才 还 too late in time only still yet january february march april may june july "
                 "august september october november december 月 日 号")


# The word lists above as one index reads them (its synonyms fold them), worked out once per index.
_LISTS: weakref.WeakKeyDictionary[FaqIndex, dict[str, frozenset[str]]] = weakref.WeakKeyDictionary()


def _list_tokens(index: FaqIndex, words: str) -> frozenset[str]:
    lists = _LISTS.setdefault(index, {})
    if words not in lists:
        lists[words] = frozenset(index.tokens(words))
    return lists[words]


def covers(turn: Turn, entry_id: str | None, words: str) -> bool:
    """Whether the FAQ entry speaks of every content word of `words` ("no, I meant who founded it" after the
    founding answer: the same entry is right; "the refund for exhibitors" after the exhibitors' answer: no refund
    there)."""
    entry = turn.library.knowledge.faq_by_id(entry_id or "")
    if entry is None:
        return False
    index = turn.library.reader.faq
    said = " ".join([*entry.questions, *entry.answer.all(), *entry.tags])
    known = set(index.tokens(said)) | _countries_of_cities(turn, said) | _list_tokens(index, _INCLUDING_WORDS)
    if _AMOUNT.search(said):
        known |= _list_tokens(index, _PRICE_WORDS)
    if _REDUCTION.search(said):
        known |= _list_tokens(index, _DISCOUNT_WORDS)
    if _DATED.search(said):
        known |= _list_tokens(index, _TIMELY_WORDS) | {tok for tok in index.tokens(words) if tok.isdigit()}
    asked = set(index.tokens(words)) - ({_ASKING_NOT} if re.search(r"不[?？]?$", words.strip()) else set())
    return bool(asked) and all(a in known or followup.known_as_short_name(a, known) for a in asked)


def silent_on_inclusion(turn: Turn, entry_id: str, words: str) -> bool:
    """Whether `words` ask if something is included that the entry never speaks of ("does the price include lunch on
    those saturdays?" after the course's price, "包括午饭吗")."""
    return bool(_INCLUDING.search(words)) and not covers(turn, entry_id, words)


def covers_asked(turn: Turn, entry_id: str | None, words: str) -> bool:
    """`covers`, or the one clause that asks does where the rest only tells ("I only need them for the morning, is
    there a half-day rate?" after the interpreters' answer, which gives a price per half day)."""
    if covers(turn, entry_id, words):
        return True
    clause = fragments.asking_clause(words)
    return clause is not None and covers(turn, entry_id, clause)


def asked(turn: Turn) -> str | None:
    """A long message's one short question where the rest only tells, first ("how much is it for non members? she'd
    be signed up via our sister company") or last ("I only need them for the morning, is there a half-day rate?"):
    what a follow-up reading reads."""
    return followup.first_question(turn.norm) or fragments.asking_clause(turn.norm)


def _countries_of_cities(turn: Turn, said: str) -> set[str]:
    """The tokens of the countries whose calendar cities `said` names ("the vietnam office?" after office hours
    that name the Ho Chi Minh City office: Vietnam is spoken of)."""
    index = turn.library.reader.faq
    return {tok for code in turn.library.events.countries_of_cities_in(said) for lang in ("en", "zh")
            for tok in index.tokens(places.country_name(code, lang))}


def asks_its_price(turn: Turn, entry_id: str | None) -> bool:
    """Whether the message asks what the thing in view costs someone ("不是会员的话收费吗" after the invitation letter,
    whose answer gives its price for non-members), and no other entry answers it outright."""
    entry = turn.library.knowledge.faq_by_id(entry_id or "")
    if entry is None or followup.aspect_of(turn.norm) != "cost" or turn.reading.faq_verdict().band == "answer":
        return False
    return any(followup.mentions(textmod.normalize(text), "cost") for text in entry.answer.all())


def reads_elsewhere(turn: Turn, kin: set[str]) -> bool:
    """Whether the message, read whole, is answered with (or offered first) an entry outside the one in view and its
    kin: a question of its own that happens to say who asks ("外国参会者可以申请签证邀请函吗" after the mission)."""
    verdict = turn.reading.faq_verdict()
    if verdict.band not in ("answer", "suggest") or not verdict.options or verdict.options[0] in kin:
        return False
    # Offered, not answered: only when the meaning puts that entry first too, not the words alone ("我们是初创公司，
    # 刚成立半年，也能进吗" after how to join: "成立" is the founding's word, the meaning is the entry in view).
    semantic = turn.reading.semantic_faq(1)
    return verdict.band == "answer" or (bool(semantic) and semantic[0][0] == verdict.options[0])


def other_idea(turn: Turn, entry_id: str, words: str) -> bool:
    """Whether a variant names an idea (in Chinese, one of the glossary) that the entry in view has nowhere, and its
    meaning puts another entry first ("那要是明年不想续了，怎么退会？" after the renewal: "退会" is leaving, a sibling
    the words alone do not find). The frame of a question ("具体几号") names no idea: it stays with the entry in
    view."""
    index = turn.library.reader.faq
    rest = followup.without_frame(words)
    if followup.aspect_of(rest) is not None:
        return False  # the cost, time or place of the thing in view ("不是会员的话收费吗" after the invitation letter)
    if not textmod.has_cjk(rest):
        # English words the entry in view has nowhere, where both readers put one other entry first ("Also, are we
        # allowed to put your logo on our website?" after how to log into the portal: the logo's entry).
        # (Their words must name it as well as an offer would: "can my colleagues use it too?" after the portal
        # shares only "use" with the logo's entry.)
        hits = index.search(rest, limit=1)
        if not hits or hits[0].id == entry_id or hits[0].score < turn.library.reader.thresholds.lexical_suggest \
                or covers_asked(turn, entry_id, rest):
            return False
        semantic = turn.reading.semantic_faq(1)
        return bool(semantic) and semantic[0][0] == hits[0].id
    ideas = [tok for tok in index.tokens(rest) if tok.isascii() and tok not in rest]
    if not ideas or covers(turn, entry_id, " ".join(ideas)):
        return False
    semantic = turn.reading.semantic_faq(1)
    return bool(semantic) and semantic[0][0] != entry_id


def same_aspect(turn: Turn, candidates: list[str], aspect: followup.Aspect) -> list[str]:
    """Of these entries, those whose questions and tags speak of an aspect: of the entries a variant's words find
    surely, those that speak of what the last question asked ("and for membership?" after how to register: how to
    join, not the membership fee); of the kin of the entry in view, those that speak of what a correction asks."""
    kb = turn.library.knowledge
    return [c for c in candidates if (entry := kb.faq_by_id(c)) is not None
            and followup.mentions(textmod.normalize(" ".join([*entry.questions, *entry.tags])), aspect)]


def own_topic(turn: Turn, candidates: list[str], entry_id: str, words: str) -> list[str]:
    """The entries a variant's words find surely, when the last question asked nothing of a kind: only if the words
    say more than the frame of a question, more than the entry in view speaks of ("如果我是记者，想约个采访，该联系谁"
    after how to speak at an event: the media entry; "在哪个国家" after the founding stays with the founding)."""
    rest = followup.without_frame(words)
    if not turn.library.reader.faq.tokens(rest) or covers(turn, entry_id, rest):
        return []
    return candidates


def sibling_asking(turn: Turn, entry_id: str, words: str) -> str | None:
    """The one sibling of the entry in view that asks what the variant asks and the entry does not ("how long does
    it usually take?" after how to apply for a certificate of origin: how long a certificate takes)."""
    reader = turn.library.reader
    asked = siblings.aspects(textmod.normalize(words))
    entry = turn.library.knowledge.faq_by_id(entry_id)
    if not asked or asked & reader.asked.of(entry_id) or entry is None:
        return None
    if any(answer_order.states(text, aspect) for aspect in asked for text in entry.answer.all()):
        return None  # its answer gives that already ("any one-off charge on top?" after the fee: its joining fee)
    asking = [k for k in sorted(reader.kin.of(entry_id) - {entry_id}) if asked & reader.asked.of(k)]
    return asking[0] if len(asking) == 1 else None


def kin_by_aspect(turn: Turn, entry_id: str, text: str) -> str | None:
    """The one kin of the entry in view whose questions and tags speak of what a correction asks (its time, place or
    cost) where the entry's own do not ("不是，我问的是时间" after the office's address: its opening hours)."""
    aspect = followup.aspect_of(textmod.normalize(text))
    if aspect is None:
        return None
    reader = turn.library.reader
    kin = reader.kin.of(entry_id)
    hits = reader.faq.search(text, limit=8)
    best_kin = max((m.score for m in hits if m.id in kin), default=0.0)
    if same_aspect(turn, [entry_id], aspect) or (hits and hits[0].id not in kin
                                                 and hits[0].score - best_kin >= KIN_MARGIN):
        return None  # the words name an entry of their own ("no, I meant how much does membership cost")
    asking = same_aspect(turn, sorted(kin - {entry_id}), aspect)
    return asking[0] if len(asking) == 1 else None


def likeliest_offered(turn: Turn, offered: list[str]) -> str:
    """Of the entries "did you mean" offered, the one a follow-up's own reading puts first ("收据多久能收到" after the
    fee's payment and its receipt were offered: the receipt), else the first offered. A follow-up that leans on the
    question before varies that question, whose reading came first ("what if we cancel like 10 days before?" after
    an event's refund and leaving the association were offered for "if we register ... and then cant make it, do we
    get our money back?": the refund), unless its own words are sure of another entry."""
    own = turn.reading.faq_verdict().options
    if leans_weakly(turn):
        return offered[0]
    return own[0] if own and own[0] in offered else offered[0]


def answers_alone(turn: Turn) -> bool:
    """Whether a message typed on after "did you mean" is answered on its own rather than read against the offer."""
    return turn.reading.faq_verdict().band == "answer" and not leans_weakly(turn)


def words_against_meaning(turn: Turn) -> bool:
    """Whether the message's words are sure of an entry that its meaning does not put among its first three ("how
    much is membership per year?", typed after "did you mean": the words find leaving the association, by
    "membership" and the year its answer speaks of; the meaning, the fee). Leaning on the offer would answer the
    words' entry on that contested reading; read alone, the message offers both."""
    lexical, meant = turn.reading.lexical(), turn.reading.model_faq(3)
    sure = turn.library.reader.thresholds.lexical_sure
    return bool(lexical and meant) and lexical[0].score >= sure and lexical[0].id not in {i for i, _ in meant}


def leans_weakly(turn: Turn) -> bool:
    """A message that leans on the one before ("what if ...", "and ...", "那如果…") whose own words are not sure of
    the entry its reading puts first (lexical score under `lexical_sure`)."""
    if not followup.marked(turn.norm):
        return False
    own, lexical = turn.reading.faq_verdict().options, turn.reading.lexical()
    sure = turn.library.reader.thresholds.lexical_sure
    return not (own and lexical and lexical[0].id == own[0] and lexical[0].score >= sure)


def corrected_to(turn: Turn, entry_id: str, text: str) -> str | None:
    """The sibling of the entry in view that a correction ("no, I meant ...") asks about, if one."""
    reader = turn.library.reader
    kin = reader.kin.of(entry_id) - {entry_id}
    hits = reader.faq.search(text, limit=8)
    if not hits:
        return None
    # A sibling nearly as close that speaks of every word of the correction: the context tells them apart
    # ("how much it costs" is as much the membership fee's words as the event fee's).
    near = [m.id for m in hits if m.id in kin and m.score >= hits[0].score - 2 * KIN_MARGIN
            and m.score >= reader.thresholds.lexical_sure and covers(turn, m.id, text)]
    if near:
        return near[0]
    # Else the sibling the words find first, or just behind the entry said no to, if the meaning puts it first too
    # ("不是，我是问会费要多少钱" after how to pay the fee: the fee itself; "不是，我是想问要办多久" after how to apply:
    # how long it takes), or if the words find it clearly first.
    behind = hits[0].id == entry_id and len(hits) > 1 and hits[1].score >= hits[0].score - KIN_MARGIN
    first = hits[1].id if behind else hits[0].id
    if first not in kin:
        return None
    clear = not behind and hits[0].score >= reader.thresholds.lexical_answer \
        and (len(hits) < 2 or hits[0].score - hits[1].score >= CLEAR_LEAD)
    semantic = reader.read(text).semantic_faq(1)
    return first if clear or (semantic and semantic[0][0] == first) else None


def same_answer(ctx: Context, out: Outcome) -> bool:
    """Whether an answer is the one the context shows: the FAQ entry in view, or the event whose details were shown."""
    if ctx.shown == "faq":
        return ctx.faq is not None and out.answer_id == ctx.faq
    return ctx.shown == "event" and out.intent == "events" and tuple(out.events) == (ctx.event,)
