"""A question that leaves its subject to a pronoun: "is that free if we're not members?", "那个要钱吗".

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
