"""Sibling entries: two FAQ entries on one topic that answer different things about it ("What is a trade mission?"
beside "How much does a trade mission cost?", "How do I apply for a certificate of origin?" beside "How long does it
take to issue one?").

Both readers rank siblings close together, since the topic words are the same, and the words that tell them apart
are a question's aspect: its cost, its time, what it is, changing something, joining. When the entry about to be
answered asks about none of the message's aspects and a close runner-up asks about one of them, the answer would be
the sibling's: "产地证多久能出" (how long) is not answered with how to apply. The bot then offers both, the runner-up
first, instead of answering: a tap for the member, never a wrong answer.

The aspect also settles an offer: of the entries "did you mean" would offer, the only one that asks what the message
asks ("how much is membership" beside leaving and renewing) is the answer, where it holds nearly all the message's
words (meaning.Reading._aspect_told).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from bot.understanding import fragments
from bot.understanding.faq_index import FaqIndex
from bot.understanding.knowledge_files import FaqEntry, Knowledge
from bot.understanding.text import normalize

_ASPECTS: dict[str, re.Pattern[str]] = {
    "cost": re.compile(r"\b(cost|costs|price|prices|fee|fees|how much|charge|charged|free of charge)\b"
                       r"|多少钱|费用|价格|收费|免费|要钱|付费|花多少|费(是|要|大概|一般)?多少"),
    "pay": re.compile(r"\bhow (do|can|should|would) (i|we) pay\b|\bhow to pay\b|\bways? to pay\b|\bpay (by|with|via)\b"
                      r"|\bpayment (methods?|options?)\b|(怎么|怎样|如何|用什么|咋)(付|交|缴|支付)"
                      r"|(付款|支付|缴费)方式"),
    "time": re.compile(r"\b(how long|how soon|how many days|processing time|turnaround|urgent|express|expedite\w*|"
                       r"faster|rush|when (will|can|do|would) (i|we) (get|receive|have) (it|them|the))\b"
                       r"|多久|多长时间|几天|几个工作日|加急|急件|加快|尽快|多快|什么时候(能|可以|才能)?(出|拿到|收到|下来)"
                       r"|(今天|明天|当天)(能|可以)(出|拿到)"),
    # how to get something: "How do I apply for a certificate of origin?" beside how long it takes
    "how": re.compile(r"\bhow (do|can|should|would) (i|we) (apply|get|obtain|request)\b|\bhow to (apply|get|obtain)\b"
                      r"|(怎么|怎样|如何|咋)(申请|办理|办)|申请流程|办理流程"),
    "benefit": re.compile(r"\b(benefits?|perks?|advantages?)\b|权益|好处|福利"),
    "what": re.compile(r"^what('s| is| are)\b|\bwhat (does|do) [\w ]+ do\b"
                       r"|是什么|是干什么|干什么的|是干嘛|做什么的|什么是"),
    "change": re.compile(r"\b(change|changing|update|updating|edit|modify|correct|amend)\b|修改|更改|更新|改一下|变更"),
    "join": re.compile(r"\b(join|joining|become a member|get (\w+ )?(company |us |me )?(into|listed|in)|be listed|"
                       r"sign up for|subscribe)\b|加入|入会|上(会员)?名录|进入|被收录|(?<!退)订阅"),
    "cancel": re.compile(r"\b(cancel|cancelling|canceling|stop|quit|terminate|end|leave|unsubscribe|opt out)\b"
                         r"|取消|退出|终止|退会|停止|退订"),
}


# What a fee costs is asked in these words; a fee merely named is the topic of how to pay it ("How can I pay the
# membership fee?" asks how to pay, "How much is the annual membership fee?" what it costs).
_PRICE = re.compile(r"\b(cost|costs|price|prices|how much|charge|charged)\b|多少钱|价格|收费|要钱|花多少|多少")


def aspects(norm: str) -> frozenset[str]:
    """The aspects a normalised question asks about."""
    found = {name for name, pattern in _ASPECTS.items() if pattern.search(norm)}
    if "pay" in found and not _PRICE.search(norm):
        found.discard("cost")
    return frozenset(found)


def without_aspects(norm: str) -> str:
    """The question less the words that ask its aspects ("会费怎么交" -> "会费"): what an entry must hold besides."""
    for pattern in _ASPECTS.values():
        norm = pattern.sub(" ", norm)
    return norm


def left_out(index: FaqIndex, text: str, entry_id: str) -> float:
    """The share of the message's words (by weight) the entry does not hold, but the size the member tells and,
    where the entry lacks them, the words that ask the aspect ("会费怎么交": "怎么交" asks how to pay, which the
    payment entry asks in English only)."""
    words = fragments.without_size(text)
    return min(index.uncovered(w, entry_id) for w in (words, without_aspects(words)))


def of_entry(questions: Iterable[str]) -> frozenset[str]:
    """The aspects an entry's normalised questions ask about, together."""
    found: frozenset[str] = frozenset()
    for q in questions:
        found |= aspects(q)
    return found


def runner_up_asked(message: frozenset[str], top: frozenset[str], others: list[frozenset[str]]) -> int | None:
    """The index in `others` of the first runner-up that asks about one of the message's aspects when the top entry
    asks about another aspect and none of the message's; None when the top entry is as good a reading as any (an
    entry whose questions name no aspect is a general one, whose answer may well cover the message's)."""
    if not message or not top or message & top:
        return None
    return next((i for i, other in enumerate(others) if message & other), None)


class Asked:
    """What each entry's questions ask about (`of_entry`), worked out once per entry."""

    def __init__(self, kb: Knowledge):
        self._kb = kb
        self._found: dict[str, frozenset[str]] = {}

    def of(self, entry_id: str) -> frozenset[str]:
        found = self._found.get(entry_id)
        if found is None:
            entry = self._kb.faq_by_id(entry_id)
            found = self._found[entry_id] = of_entry(normalize(q) for q in (entry.questions if entry else ()))
        return found


class Kin:
    """Which entries are kin, one topic: the same first word of the id, or a shared tag ("membership-fees",
    "event-fees"). Indexed once per knowledge base, so a turn's question costs a few set lookups, not a pass over
    every entry. A runner-up of another topic is no sibling, whatever it asks."""

    def __init__(self, kb: Knowledge):
        self._kb = kb
        # Only topics that two entries or more share are kept, and an entry's keys are worked out again when asked:
        # a set and a tuple for every entry were 38 MB at 100,000 entries.
        shared = Counter(key for e in kb.faq for key in _kin_keys(e))
        self._members: dict[str, set[str]] = {}
        for e in kb.faq:
            for key in _kin_keys(e):
                if shared[key] > 1:
                    self._members.setdefault(key, set()).add(e.id)

    def of(self, entry_id: str | None) -> set[str]:
        """The entry and its kin; empty for an unknown entry."""
        entry = self._kb.faq_by_id(entry_id) if entry_id else None
        if entry is None:
            return set()
        return {entry.id, *(i for key in _kin_keys(entry) for i in self._members.get(key, ()))}


def _kin_keys(entry: FaqEntry) -> tuple[str, ...]:
    return ("id:" + entry.id.split("-")[0], *("tag:" + tag.lower() for tag in entry.tags))


def the_one_asking(message: frozenset[str], offered: list[frozenset[str]]) -> int | None:
    """The position of the only offered entry whose questions ask about one of the message's aspects, if exactly
    one does."""
    fits = [i for i, aspects in enumerate(offered) if aspects & message]
    return fits[0] if message and len(fits) == 1 else None
