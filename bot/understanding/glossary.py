"""A bundled English-Chinese glossary that lets the FAQ's word matcher read a Chinese question against an entry
written in English only (and the other way round).

On a fresh knowledge base staff often write one question per entry, in English, and some answers in English only.
A member who asks "报名了去不了，能换同事去吗" shares no word with "Can I send a colleague in my place?", so only the
embedding could find the entry, and where the embedding doubts, nothing named it. The glossary (glossary.yaml,
written for this domain without looking at any test question) reads "同事" as "colleague", in members' questions
and in the knowledge's Chinese texts alike; English words are left as they are.

The knowledge's synonyms come first: where staff grouped the words of an idea in both languages themselves, their
grouping is the one read (translations() below). Glossary words are never taught to the Chinese
segmenter (staff synonyms are): they match the segmenter's ordinary cuts, so no other part of the bot reads Chinese
differently because of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import yaml

from bot.understanding import text
from bot.understanding.synonyms import Translations

PATH = Path(__file__).with_name("glossary.yaml")


@lru_cache(maxsize=1)
def groups() -> tuple[tuple[str, ...], ...]:
    """The bundled glossary's groups, as written."""
    data = yaml.safe_load(PATH.read_text(encoding="utf-8")) or []
    return tuple(tuple(str(term) for term in group) for group in data)


def translations(staff: Sequence[Sequence[str]], glossary: Sequence[Sequence[str]] | None = None) -> Translations:
    """Each Chinese term of the glossary into its group's first English term, but where staff have said it in
    Chinese themselves: a Chinese word in one of their synonym groups is theirs, and a glossary group whose English
    words fall in one of their groups that has Chinese words is left out ("协会" read as "association" would join
    GASME's own group, whose Chinese words staff chose so that another association's name is not GASME)."""
    used = {tok for g in staff for term in g for tok in text.content_tokens(term) if text.has_cjk(tok)}
    bilingual = {tok for g in staff if any(text.has_cjk(term) for term in g)
                 for term in g if not text.has_cjk(term) for tok in text.content_tokens(term)}
    pairs: list[tuple[list[str], list[str]]] = []
    seen: set[tuple[str, ...]] = set()
    for group in groups() if glossary is None else glossary:
        english = [t for t in group if not text.has_cjk(t)]
        if any(tok in bilingual for term in english for tok in text.content_tokens(term)):
            continue
        head = text.content_tokens(english[0]) if english else []
        for term in group:
            phrase = text.content_tokens(term) if text.has_cjk(term) else []
            if "".join(phrase) != text.normalize(term).replace(" ", ""):
                # A term that loses words to the stop list or the segmenter's cuts would stand for less than it
                # says: "怎么去" is "去" alone, "需要多久" any "多久", "用不了" the "不了" of "去不了".
                continue
            if head and phrase and tuple(phrase) not in seen and not used.intersection(phrase):
                pairs.append((phrase, head))
                seen.add(tuple(phrase))
    return Translations(pairs)
