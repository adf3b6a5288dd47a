"""Parts of a message read apart: a question that leaves its subject to a pronoun ("is that free if we're not
members?", "那个要钱吗"), and the clause that asks in a message that first tells about the member.

Read alone, such a message may share every one of its words with an entry whose subject it never names (the free
legal advice for members), and the lexical reader is then sure of an answer the member did not ask for. With
something in view the follow-up reader gives the pronoun its subject (handlers/followup.py); with nothing in view
the entry is offered, never answered.
"""

from __future__ import annotations

import re

from bot.understanding import text as textmod
from bot.understanding.faq_index import Match

# A pronoun standing for a thing ("is it", "is that", "这个"), not "there" ("is there parking") nor a determiner
# followed by its noun in English ("that fee" names the fee; the entry's own words then count below).
_STANDS_IN = re.compile(r"\b(it|that|this|those|these|them)\b|这个|那个|这项|那项|它")
# The message's words are nearly all the entry's (a fragment of its question) ...
FRAGMENT_COVERAGE = 0.9
# ... while they account for less than half of the staff question (its subject is missing).
FRAGMENT_CLOSENESS = 0.5


def leaves_subject(text: str, lexical: list[Match], entry_id: str) -> bool:
    """Whether the message, read alone, is a fragment of the question of `entry_id` (the lexical reader's first
    entry) whose subject a pronoun stands in for."""
    if not lexical or lexical[0].id != entry_id:
        return False
    best = lexical[0]
    return best.coverage >= FRAGMENT_COVERAGE and best.closeness < FRAGMENT_CLOSENESS \
        and bool(_STANDS_IN.search(textmod.normalize(text)))


# Clauses: parted by punctuation, or by a space between Chinese words.
_CLAUSE = re.compile(r"[,，.。!！?？;；:：~～]+|\s+-\s+|(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")
_ASKS = re.compile(r"^((and|but|so|also|then) )?(how|what|whats|what's|when|where|which|who|can|could|do|does|is|"
                   r"are|will|would)\b|吗|么|多少|怎么|怎样|如何|哪|什么|啥|几|能不能|可不可以|是否|有没有")


# A clause that makes the question conditional or offers another ("If PREC cancels the event, do I get a full
# refund?", "导师计划能线上见面吗，还是必须去新加坡？"): the asking clause alone would be another question.
_CONDITION = re.compile(r"^(if|unless|or|and if|but if|what if|in case)\b|\binstead\b"
                        r"|如果|要是|假如|万一|的话|还是|或者")
_PERSON = re.compile(r"\b(he|she|him|her|they|them)\b|他|她")


def asking_clause(text: str) -> str | None:
    """The one clause of a message of several that asks something, with enough words to stand alone ("how much is
    membership a year" after "hi we're a small sauce maker, about 30 staff"); None when no clause or more than one
    asks, the one that asks is too short to name its subject or leaves it to a pronoun, or another clause makes
    it conditional."""
    clauses = [c.strip() for c in _CLAUSE.split(textmod.normalize(text)) if c and c.strip()]
    asking = [c for c in clauses if _ASKS.search(c)]
    if len(clauses) < 2 or len(asking) != 1 or any(_CONDITION.search(c) for c in clauses if c != asking[0]):
        return None
    clause = asking[0]
    long_enough = len(clause) >= 6 if textmod.has_cjk(clause) else len(clause.split()) >= 4
    return clause if long_enough and not (_STANDS_IN.search(clause) or _PERSON.search(clause)) else None


# The member's size, told ("a company of 80 people", "about 20 staff", "我们公司三十来个人", "一百人左右的公司"): who
# asks, which an answer by size covers without naming it.
_SIZE = re.compile(r"\b(?:(?:a|an|our)\s+)?(?:(?:company|firm|business|team|workshop)\s+)?(?:(?:of|with)\s+)?"
                   r"(?:(?:about|around|roughly)\s+)?\d+\+?\s*(?:people|staff|employees|persons|ppl|workers)\b"
                   # a size named in words: "a small company like ours", "小公司"
                   r"|\b(?:(?:a|an|our)\s+)?(?:small|smaller|tiny|large|big|medium|medium-sized|mid-sized)\s+"
                   r"(?:company|companies|firm|firms|business|businesses)(?:\s+like\s+(?:ours|us|mine))?\b"
                   r"|(?:我们这种|我们这样的|像我们这样的)?(?<!中)(?:小|大)(?:公司|企业|工厂)"
                   r"|(?:我们)?(?:公司|企业|工厂)?(?:大概|大约)?[\d一二两三四五六七八九十百千万]+(?:多|来)?个?(?:人|员工)(?:左右)?"
                   r"(?:的(?:公司|企业|工厂))?")


def without_size(text: str) -> str:
    """The message less the member's size it tells."""
    return _SIZE.sub(" ", textmod.normalize(text))
