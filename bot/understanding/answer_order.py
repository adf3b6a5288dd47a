"""Which sentence of an FAQ answer to put first when a follow-up asks about one detail of it ("怎么收费的" after the
buyer matching: the sentence with its fee)."""

from __future__ import annotations

import re

from bot.understanding import text as textmod

# Whole sentences only: a clause after a semicolon put first would start an answer in mid-sentence.
_SENTENCE = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def relevant_first(answer: str, words: str) -> str:
    """The answer with the sentence that speaks most of `words` (the variant asked about) moved to the front."""
    parts = [p for p in _SENTENCE.split(answer.strip()) if p]
    if len(parts) > 1 and len(re.sub(r"\W", "", parts[0])) <= 3:
        # "是的。", "Yes.": a bare yes or no belongs with the sentence after it, never after the one moved forward.
        parts[:2] = [("" if textmod.has_cjk(answer) else " ").join(parts[:2])]
    if len(parts) < 2:
        return answer
    wanted = _features(words)
    scores = [len(wanted & _features(p)) for p in parts]
    best = max(range(len(parts)), key=lambda i: (scores[i], -i))
    if best == 0 or scores[best] <= scores[0]:
        return answer
    ordered = [parts[best], *parts[:best], *parts[best + 1:]]
    return ("" if textmod.has_cjk(answer) else " ").join(ordered)


def _features(s: str) -> set[str]:
    """Words (stems), numbers and Chinese character pairs: what two phrasings of one detail share."""
    norm = textmod.normalize(s)
    feats = set(textmod.content_tokens(norm)) | set(re.findall(r"\d+", norm))
    for run in re.findall(r"[\u4e00-\u9fff]+", norm):
        feats |= {run[i:i + 2] for i in range(len(run) - 1)}
    return feats
