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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.understanding import text

_WORD = re.compile(r"[^\W_][\w'-]*")
T = TypeVar("T")


def term_key(term: str) -> str:
    """An English term as looked up: its words in lower case, one space apart."""
    return " ".join(_WORD.findall(term.lower()))


@dataclass(frozen=True)
class Table:
    """Each term (an English one by `term_key`) -> its group's first term in the other language, and the longest
    Chinese term's length."""

    other: dict[str, str]
    longest: int


def table(groups: Sequence[Sequence[str]]) -> Table:
    """The terms of the groups with words in both languages (a group listed earlier wins a term both list)."""
    other: dict[str, str] = {}
    for group in groups:
        english = [t for t in group if term_key(t) and not text.has_cjk(t)]
        chinese = [t for t in group if text.has_cjk(t)]
        if english and chinese:
            for term in chinese:
                other.setdefault(term, english[0])
            for term in english:
                other.setdefault(term_key(term), chinese[0])
    return Table(other, max((len(t) for t in other if text.has_cjk(t)), default=0))


def spans(said: str, words: Mapping[str, T], strings: Mapping[str, T], longest: int) -> list[tuple[int, int, T]]:
    """Every term in `said` as (start, stop, its value), overlapping ones included: runs of up to four words looked
    up in `words` (by `term_key`), and substrings of up to `longest` characters looked up in `strings`."""
    found = []
    for i in range(len(said) if strings else 0):
        for n in range(1, min(longest, len(said) - i) + 1):
            if (value := strings.get(said[i:i + n])) is not None:
                found.append((i, i + n, value))
    runs = list(_WORD.finditer(said)) if words else []
    for i in range(len(runs)):
        for j in range(i, min(i + 4, len(runs))):
            if (value := words.get(" ".join(w.group(0).lower() for w in runs[i:j + 1]))) is not None:
                found.append((runs[i].start(), runs[j].end(), value))
    return found


def longest_first(found: Iterable[tuple[int, int, T]]) -> list[tuple[int, int, T]]:
    """The terms kept where some overlap: the longest first, then the earliest ("visa invitation letter" is "visa"
    and "invitation letter", not "visa invitation" and "letter")."""
    taken: list[tuple[int, int, T]] = []
    for start, stop, value in sorted(found, key=lambda t: (t[0] - t[1], t[0])):
        if all(stop <= a or start >= b for a, b, _ in taken):
            taken.append((start, stop, value))
    return taken


def glossed(question: str, terms: Table) -> str | None:
    """`question` with each term of a bilingual group put in the group's other language, the longest terms first
    (`longest_first`); None when no term is known (nothing to add)."""
    # A Chinese question is looked up by its substrings only (an English word inside it is a substring too).
    found = spans(question, {}, terms.other, terms.longest) if text.has_cjk(question) else \
        spans(question, terms.other, {}, 0)
    taken = longest_first(found)
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

