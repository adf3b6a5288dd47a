"""Whether a message can only follow something said before ("and the annual fee?", "非会员呢", "多少钱"): with nothing
in view, what it asks about is a guess (handlers/faq.py offers entries rather than answering one)."""

from __future__ import annotations

import re

from bot.understanding import text as textmod
from bot.understanding.followup import ACK_EN, ACK_ZH, short

# Said only after something else ("and the annual fee?", "what about non-members", "那企业会员呢", "双展位呢"): "and",
# "what about", "那…" (not "那个", "that") or "…呢" around a bare thing, with no question word of its own
# ("那联盟自己是哪年成立的呢？", "and how many agreements got signed" ask whole questions).
_ONLY_AFTER = re.compile(rf"^{ACK_EN}(and|what about|how about)\b|^{ACK_ZH}(那么?(?![个些边场次位])|还有|另外)"
                         r"|呢[?？]*$")
_OWN_QUESTION = re.compile(r"\b(how|what|when|where|who|which|why|is|are|can|could|do|does|did|will|would)\b"
                           r"|多少|怎么|什么|哪|几|吗|谁|何|是否|能否|可否|要不要|有没有|多久|问|干嘛|干啥|啥|咋")


def only_after(norm: str) -> bool:
    """Whether a short message can only follow something ("and the annual fee?", "非会员呢"): with nothing in view,
    what it asks about is a guess."""
    s = norm.strip()
    lead = _ONLY_AFTER.search(s)
    return short(s) and lead is not None and not _OWN_QUESTION.search(_ONLY_AFTER.sub("", s))


# Words that name only what is asked about a thing (its price, how long it takes, where or when it is), never the
# thing: "多少钱", "cost?", "收费吗", "what are the fees", "要多久", "在哪个国家" ask about something named before, or
# about nothing yet.
_ASPECT_ONLY = re.compile(r"\b(costs?|prices?|pricing|fees?|charges?|charged|free|expensive|cheap|how much|how long|"
                          r"where|when|countr(y|ies)|city|cities|dates?|location|venue)\b"
                          r"|多少钱|价格|价钱|价位|收费标准|收费|费用|贵不贵|贵|便宜|免费|多长时间|多久|时间|多少"
                          r"|哪个国家|国家|城市|地点|哪里|哪儿|几号|日期|什么时候")


def bare_aspect(norm: str) -> bool:
    """Whether a message asks only an aspect, naming nothing it belongs to ("多少钱", "fees?", "how much does it
    cost", "要多久"): with nothing in view, which price or which wait is a guess."""
    return _ASPECT_ONLY.search(norm) is not None and not textmod.content_tokens(_ASPECT_ONLY.sub(" ", norm))
