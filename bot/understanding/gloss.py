"""A staff question glossed into the other language, term by term, for the embedding's index.

An entry staff wrote in one language only is far from a member's question in the other in the model's space: "how
do we get a cert of origin through you guys?" has a cosine of 0.83 with "原产地证怎么申请？", no more than with
unrelated entries. The same question with the terms the glossary knows put in English ("certificate of origin 怎么
apply ？") has 0.91. Such a mixed gloss is no translation, but the multilingual model reads mixed text well enough
to place the entry where the member's words are. The gloss is one more row of the entry in the vector index (a
question row), never shown and never read by the word matcher, which has the glossary itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.understanding import text

_WORD = re.compile(r"[^\W_][\w'-]*")


def _key(term: str) -> str:
    """An English term as looked up: its words in lower case, one space apart."""
    return " ".join(_WORD.findall(term.lower()))


@dataclass(frozen=True)
class Table:
    """Each term (an English one by `_key`) -> its group's first term in the other language, and the longest
    Chinese term's length."""

    other: dict[str, str]
    longest: int


def table(groups: Sequence[Sequence[str]]) -> Table:
    """The terms of the groups with words in both languages (a group listed earlier wins a term both list)."""
    other: dict[str, str] = {}
    for group in groups:
        english = [t for t in group if _key(t) and not text.has_cjk(t)]
        chinese = [t for t in group if text.has_cjk(t)]
        if english and chinese:
            for term in chinese:
                other.setdefault(term, english[0])
            for term in english:
                other.setdefault(_key(term), chinese[0])
    return Table(other, max((len(t) for t in other if text.has_cjk(t)), default=0))


def _terms(question: str, other: dict[str, str], longest: int) -> list[tuple[int, int, str]]:
    """Every known term in `question` as (start, stop, its other-language term), overlapping ones included."""
    found = []
    if text.has_cjk(question):
        for i in range(len(question)):
            for n in range(1, min(longest, len(question) - i) + 1):
                if question[i:i + n] in other:
                    found.append((i, i + n, other[question[i:i + n]]))
        return found
    words = list(_WORD.finditer(question))
    for i in range(len(words)):
        for j in range(i, min(i + 4, len(words))):
            key = " ".join(w.group(0).lower() for w in words[i:j + 1])
            if key in other:
                found.append((words[i].start(), words[j].end(), other[key]))
    return found


def glossed(question: str, terms: Table) -> str | None:
    """`question` with each term of a bilingual group put in the group's other language, the longest terms first
    ("visa invitation letter" is "visa" and "invitation letter", not "visa invitation" and "letter"); None when no
    term is known (nothing to add)."""
    taken: list[tuple[int, int, str]] = []
    for start, stop, into in sorted(_terms(question, terms.other, terms.longest),
                                    key=lambda t: (t[0] - t[1], t[0])):
        if all(stop <= a or start >= b for a, b, _ in taken):
            taken.append((start, stop, into))
    if not taken:
        return None
    out, at = [], 0
    for start, stop, into in sorted(taken):
        out += [question[at:start], into if text.has_cjk(into) else f" {into} "]  # English words apart
        at = stop
    out.append(question[at:])
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def rows(questions: Sequence[str], terms: Table) -> list[str]:
    """The glosses of an entry's questions, for an entry whose questions are all in one language (one that has
    both already meets members in either)."""
    if len({text.has_cjk(q) for q in questions}) != 1:
        return []
    return [g for g in dict.fromkeys(glossed(q, terms) for q in questions) if g]

