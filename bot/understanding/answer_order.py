"""Which sentence of an FAQ answer to put first when a follow-up asks about one detail of it ("怎么收费的" after the
buyer matching: the sentence with its fee)."""

from __future__ import annotations

import re

from bot.understanding import siblings
from bot.understanding import text as textmod

# A sentence that states a price or a wait answers "how much does it cost", "要多久" whatever its words: a figure
# with a currency or a percentage off, a number of days or hours.
_STATES = {
    "cost": re.compile(r"\b(fees?|costs?|price[sd]?|free|charge[sd]?|discount|off)\b|%|(eur|usd|sgd|rmb|cny|hkd|gbp)"
                       r"\s?\d|\d\s?(eur|usd|sgd|rmb|cny|hkd|gbp)\b|[$€£¥]\s?\d|\d\s?(元|新元|欧元|美元)|费|价|免费|折|优惠"),
    "time": re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s?(to \d+ )?(working |business )?"
                       r"(days?|hours?|weeks?|months?)\b|same day|next day"
                       r"|[\d一二两三四五六七八九十]+\s?个?(工作日|天|小时|周|星期|个月)|当天|次日"),
}

# Whole sentences only: a clause after a semicolon put first would start an answer in mid-sentence.
_SENTENCE = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def relevant_first(answer: str, words: str) -> str:
    """The answer with the sentence that speaks most of `words` (the variant asked about) moved to the front."""
    parts = [p for p in _SENTENCE.split(answer.strip()) if p]
    if len(parts) > 1 and len(re.sub(r"\W", "", parts[0])) <= 3:
        # "是的。", "Yes.": a bare yes or no answers the staff's question; once another sentence comes first it
        # answers nothing, so it goes (and never stands after the sentence moved forward).
        parts = parts[1:]
    if len(parts) < 2:
        return answer
    wanted = _features(words)
    asked = [_STATES[a] for a in siblings.aspects(textmod.normalize(words)) if a in _STATES]
    scores = [len(wanted & _features(p)) + 2 * any(m.search(p.lower()) for m in asked) for p in parts]
    best = max(range(len(parts)), key=lambda i: (scores[i], -i))
    if best == 0 or scores[best] <= scores[0]:
        return answer
    ordered = [parts[best], *parts[:best], *parts[best + 1:]]
    return ("" if textmod.has_cjk(answer) else " ").join(ordered)


def states(answer: str, aspect: str) -> bool:
    """Whether an answer states a price ("SGD 480", "10% off", "免费") or a wait ("3 working days", "约六周")."""
    pattern = _STATES.get(aspect)
    return pattern is not None and pattern.search(answer.lower()) is not None


def _features(s: str) -> set[str]:
    """Words (stems), numbers and Chinese character pairs: what two phrasings of one detail share."""
    norm = textmod.normalize(s)
    feats = set(textmod.content_tokens(norm)) | set(re.findall(r"\d+", norm))
    for run in re.findall(r"[\u4e00-\u9fff]+", norm):
        feats |= {run[i:i + 2] for i in range(len(run) - 1)}
    return feats
