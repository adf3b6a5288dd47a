"""Chat shorthand read as the words it stands for.

Members typing fast on a phone write "what can u do", "r u a real person", "ur colleague already fixed it" and
"蟹蟹亲" (谢谢), "神马时候开始" (什么时候). Each shorthand below is replaced by its plain word before anything reads
the message, so the patterns and both readers see ordinary words. The northern pronouns 俺 (I) and 咱 (we) are
read the same way, and so are the Shanghainese 阿拉 (we), 侬 (you) and 伐 (a question's 吗).

Members without a Chinese input method at hand type the words that matter in pinyin ("wo yao ren gong", "查一下我的
baoming jilu"): the pinyin of the words that decide where a message goes is read as those words too.

Only shorthands that stand for nothing else in a member's message are listed: "u" and "r" alone as words (never
the letters of "U.S.", "u-turn" or "R&D"), Chinese internet spellings that are no ordinary word, and pinyin of two
or more syllables that spells no English word.
"""

from __future__ import annotations

import re

# A letter alone as a word: not inside an abbreviation ("u.s.", "r&d", "u-turn") nor an apostrophe form.
_ALONE = r"(?<![\w.&'’-]){}(?![\w&'’-]|\.\w)"
_ENGLISH = {"u": "you", "ur": "your", "r": "are", "rn": "now", "cxl": "cancel", "canx": "cancel", "ppl": "people",
            "sb": "somebody", "sth": "something", "tmr": "tomorrow", "tmrw": "tomorrow", "appt": "appointment",
            # Scots: "I cannae make it tae Auckland"
            "cannae": "can't", "canna": "can't", "dinnae": "don't", "didnae": "didn't", "wouldnae": "wouldn't",
            "isnae": "isn't", "wasnae": "wasn't"}
_ENGLISH_RE = re.compile("|".join(_ALONE.format(re.escape(w)) for w in sorted(_ENGLISH, key=len, reverse=True)))

_CHINESE = {
    "蟹蟹": "谢谢",
    "谢蟹": "谢谢",
    "神马": "什么",
    "肿么": "怎么",
    "木有": "没有",
    "酱紫": "这样子",
    "尊嘟假嘟": "真的假的",
    "介个": "这个",
    # Northern dialect pronouns: "帮俺报个名", "咱占了几个位子"
    "俺们": "我们",
    "俺": "我",
    "咱们": "我们",
    "咱": "我们",
    # Shanghainese in Mandarin: "阿拉报上了伐", "侬帮帮忙"
    "阿拉": "我们",
    "侬": "你",
    "老好了": "很好了",
    # Teochew (Chaoshan) in Mandarin: "我有无报着胡志明市许个团"
    "许个": "那个",
    "有无": "有没有",
    # Japanese words in Chinese: "米兰的展会，我想申込"
    "申し込み": "报名",
    "申込": "报名",
    "予約": "预约",
    # Hunan and Hubei: "我报哒么子活动咯", "冇得空"
    "么子": "什么",
    "冇得": "没有",
}
_CHINESE_RE = re.compile("|".join(map(re.escape, sorted(_CHINESE, key=len, reverse=True)))
                         + r"|(?<![a-z0-9])3q(?![a-z0-9])")


# Pinyin, with or without spaces between the syllables, of the words intents turn on.
_PINYIN = {
    "ji qi ren": "机器人", "ren gong": "人工", "ke fu": "客服", "zhen ren": "真人", "bao ming": "报名",
    "qu xiao": "取消", "que ren": "确认", "ji lu": "记录", "xie xie": "谢谢", "ni hao": "你好", "zai jian": "再见",
    "wo yao": "我要", "wo xiang": "我想", "wo de": "我的",
}
_PINYIN_RE = re.compile(r"(?<![a-z])(" + "|".join(w.replace(" ", " ?") for w in sorted(_PINYIN, key=len, reverse=True))
                        + r")(?![a-z])")
_UNSPACED = {key.replace(" ", ""): key for key in _PINYIN}
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


# Hunan 哒 after a verb is 了: "越南那个报名退哒算哒", "我报哒么子活动" (never 好哒, which is "OK").
_DA = re.compile(r"(?<=[报退交订约搞弄办完决过算清])哒")
# Shanghainese 伐 ends a yes-no question ("报上了伐"), as 吗 does; never the 伐 of 步伐, 砍伐, 讨伐, 征伐, 采伐.
_FA = re.compile(r"(?<=[\u4e00-\u9fff])(?<![步砍讨征采杀])伐(?=[\s？?，,。!！~～]|$)")


def plain(text: str) -> str:
    """`text` (lower-case, simplified) with chat shorthand written out."""
    text = _ENGLISH_RE.sub(lambda m: _ENGLISH[m.group(0)], text)
    text = _CHINESE_RE.sub(lambda m: _CHINESE.get(m.group(0), "谢谢"), text)  # "3q" is thank you
    text = _DA.sub("了", _FA.sub("吗", text))
    if _PINYIN_RE.search(text):
        # The words once written in characters are one phrase: "wo de 报名" reads "我的报名".
        text = _CJK_GAP.sub("", _PINYIN_RE.sub(lambda m: _PINYIN[_spaced(m.group(1))], text))
    return text


def _spaced(pinyin: str) -> str:
    """The table's key for pinyin typed with or without spaces ("baoming" -> "bao ming")."""
    return _UNSPACED[pinyin.replace(" ", "")]
