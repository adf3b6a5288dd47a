"""Synonym folding: every word or phrase of a synonym group becomes one token standing for the group."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from bot.understanding import text


class PhraseTable:
    """Replaces any synonym (a word or a phrase of several tokens) by one token standing for its group."""

    def __init__(self, groups: Sequence[Sequence[str]]):
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for n, group in enumerate(groups):
            canon = f"syn{n}"
            for term in group:
                toks = tuple(text.content_tokens(term))
                if toks:
                    self._by_first[toks[0]].append((toks, canon))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)

    def fold(self, tokens: list[str]) -> list[str]:
        if not self._by_first:
            return tokens
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for phrase, canon in self._by_first.get(tokens[i], ()):
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    out.append(canon)
                    i += len(phrase)
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out
