"""Synonym folding: every word or phrase of a synonym group becomes one token standing for the group; before
that, words of another language may be translated (glossary.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from bot.understanding import text


class Translations:
    """Replaces a phrase (one or more tokens) by the tokens of its translation, longest phrase first; of two equal
    phrases, the first given."""

    def __init__(self, pairs: Sequence[tuple[Sequence[str], Sequence[str]]]):
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = defaultdict(list)
        for phrase, into in pairs:
            if phrase and into:
                self._by_first[phrase[0]].append((tuple(phrase), tuple(into)))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)

    def has_word(self, token: str) -> bool:
        """Whether `token` alone is one of the phrases."""
        return any(phrase == (token,) for phrase, _ in self._by_first.get(token, ()))

    def translate(self, tokens: list[str]) -> list[str]:
        if not self._by_first:
            return tokens
        out: list[str] = []
        i = 0
        while i < len(tokens):
            for phrase, into in self._by_first.get(tokens[i], ()):
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    out.extend(into)
                    i += len(phrase)
                    break
            else:
                out.append(tokens[i])
                i += 1
        return out


class PhraseTable:
    """Replaces any synonym (a word or a phrase of several tokens) by one token standing for its group, after
    `translations`: a translation whose every phrase becomes that one token."""

    def __init__(self, groups: Sequence[Sequence[str]], translations: Translations | None = None):
        self._translations = translations
        self._groups = Translations([(text.content_tokens(term), (f"syn{n}",))
                                     for n, group in enumerate(groups) for term in group])

    def knows(self, token: str) -> bool:
        """Whether `token` alone is a synonym or a translated word."""
        return self._groups.has_word(token) or (self._translations is not None and self._translations.has_word(token))

    def fold(self, tokens: list[str]) -> list[str]:
        if self._translations is not None:
            tokens = self._translations.translate(tokens)
        return self._groups.translate(tokens)
