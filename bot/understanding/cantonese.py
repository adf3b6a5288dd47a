"""Written Cantonese read as Mandarin.

Members from Hong Kong and Macau write the way they speak: "唔該幫我搵個真人" (please find me a person), "我報咗
邊幾個活動" (which events did I sign up for), "係咪已經搞掂" (is it done). Traditional-to-simplified conversion
keeps these words, and neither the patterns nor the segmenter know them. Each is replaced by its Mandarin word
before anything reads the message.

Only words that are Cantonese and nothing else are listed. 係 becomes 系 in simplified Chinese, the 系 of 系统
(system), so it is read as 是 only in 系咪 / 系唔系 (is it?), which cannot be anything else; 边 is 哪 only in
边个 / 边度 / 边几个.
The table works on simplified text (after traditional-to-simplified conversion).
"""

from __future__ import annotations

import re

_WORDS = {
    "唔该晒": "谢谢",
    "多谢晒": "多谢",
    "唔该": "麻烦",
    "唔使": "不用",
    "唔系": "不是",
    "唔识": "不会",
    "唔好": "不要",
    "系唔系": "是不是",
    "系咪": "是不是",
    "唔": "不",
    "冇": "没有",
    "咗": "了",
    "嘅": "的",
    "哋": "们",
    "佢": "他",
    "畀": "给",
    "俾": "给",
    "搵": "找",
    "揾": "找",
    "睇": "看",
    "嘢": "东西",
    "咁": "这么",
    "喺": "在",
    "乜嘢": "什么",
    "咩": "吗",
    "真系": "真是",
    "点样": "怎样",
    "几多": "多少",
    "边个": "哪个",
    "边度": "哪里",
    "边几个": "哪几个",
    "边啲": "哪些",
    "而家": "现在",
    "听日": "明天",
    "琴日": "昨天",
    "寻日": "昨天",
    "转返": "转回",
    "返去": "回去",
    "攞": "拿",
    "搞掂": "搞定",
    "覆我": "回复我",
    "倾下": "聊一下",
    "倾吓": "聊一下",
    "嚟㗎": "",
    "嚟": "来",
    "㗎": "",
    "喇": "了",
    "嘞": "了",
}
_RE = re.compile("|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)))
# Characters that only written Cantonese uses: a message without any of them is left as it is, untouched.
_MARKERS = re.compile("[唔冇咗嘅哋佢畀俾搵揾睇嘢咁喺乜嚟㗎喇嘞攞掂咩]|真系|系咪|系唔系|边个|边度|而家|听日|琴日|寻日"
                      "|转返|返去|倾下|倾吓|几多|点样|覆我")


def to_mandarin(text: str) -> str:
    """`text` (simplified Chinese) with written Cantonese words replaced by their Mandarin ones."""
    if not _MARKERS.search(text):
        return text
    return _RE.sub(lambda m: _WORDS[m.group(0)], text)
