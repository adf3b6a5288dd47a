"""Pinyin-input slips on the words that carry a member's intent.

Most Chinese is typed with a pinyin keyboard, which offers every character of a syllable; picking the neighbour of
the right one gives "报铭" or "报明" for 报名 (bao ming), "取肖" for 取消 (qu xiao), "转仁工" for 转人工 (ren gong).
The member's meaning is plain to a person, but no pattern or segmenter knows the slipped word.

A slip is mended only when it is safe to:
- the pair keeps one character of the word and the other character has the same toneless syllable;
- the pair is not itself a word (取笑 "to mock" is qu xiao too, and stays as it is);
- the changed character does not make a commoner word with its other neighbour than the listed word is: in
  "日报明天发" the 明 belongs to 明天, but in "查下我的报铭记录" the rare 铭记 does not outweigh 报名.

The list is short on purpose: the words that decide where a message goes (registering, cancelling, a person). A
wrong mend costs more than a missed one, and FAQ questions have the embedding to read them by meaning.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

WORDS = ("报名", "取消", "人工", "客服", "真人", "名额", "预约")


class _Pinyin:
    """pypinyin, loaded once per process on first use: only messages with a candidate slip pay for it."""

    _lock = threading.Lock()
    _impl: Any = None

    @classmethod
    def of(cls, ch: str) -> str:
        if cls._impl is None:
            with cls._lock:
                if cls._impl is None:
                    from pypinyin import lazy_pinyin

                    cls._impl = lazy_pinyin
        return str(cls._impl(ch)[0])


# For each character of a listed word: the words it starts (with their second character) and the words it ends.
_FIRST: dict[str, list[str]] = {}
_SECOND: dict[str, list[str]] = {}
for _w in WORDS:
    _FIRST.setdefault(_w[0], []).append(_w)
    _SECOND.setdefault(_w[1], []).append(_w)


def mend(text: str, frequency: Callable[[str], int]) -> str:
    """`text` (simplified Chinese, lower case) with slipped listed words put right; `frequency` is a word's count in
    the segmenter's dictionary (0 for a pair of characters that is no word)."""
    if not any(ch in _FIRST or ch in _SECOND for ch in text):
        return text
    out = list(text)
    for i in range(len(out) - 1):
        pair = out[i] + out[i + 1]
        if frequency(pair):
            continue
        for word in _FIRST.get(out[i], ()):
            outer = "".join(out[i + 1:i + 3])
            if _same_sound(out[i + 1], word[1]) and frequency(outer) < max(frequency(word), 1):
                out[i + 1] = word[1]
                break
        else:
            for word in _SECOND.get(out[i + 1], ()):
                outer = "".join(out[i - 1:i + 1]) if i else ""
                if _same_sound(out[i], word[0]) and frequency(outer) < max(frequency(word), 1):
                    out[i] = word[0]
                    break
    return "".join(out)


def _same_sound(typed: str, meant: str) -> bool:
    return "\u3400" <= typed <= "\u9fff" and _Pinyin.of(typed) == _Pinyin.of(meant)
