"""Chinese short names of event titles: the series without the year, a pair of names kept short ("中美合作周" for
"2027中美中小企业合作周", "美浙" for "美国-浙江"). Read by bot/understanding/event_query.py."""

from __future__ import annotations

import re

from bot.understanding.knowledge_files import Event


def zh_titles(ev: Event) -> list[str]:
    """The Chinese title, and its short form where it pairs two names by a hyphen: each name by its first character,
    as people say them ("美国-浙江" is "美浙", "中国-巴西" is "中巴")."""
    title = ev.title.get("zh")
    short = re.sub(r"([\u4e00-\u9fff])[\u4e00-\u9fff]-([\u4e00-\u9fff])[\u4e00-\u9fff]", r"\1\2", title)
    return [title] if short == title else [title, short]


def followed(message: str, core: str) -> int:
    """How many characters of `core` (a Chinese title) the message holds, ending with the title's last two and
    going leftwards in order, in blocks of two or more (`EventMatcher._short_names` in event_query.py); 0 when the
    end is absent."""
    end = message.rfind(core[-2:])
    if end < 0:
        # The last character alone ("中欧周" for "...中欧中小企业合作周"), then only with a block of two before it.
        last = message.rfind(core[-1])
        return _followed_from(message, core, last - 1, len(core) - 2, 1) if last > 0 else 0
    return _followed_from(message, core, end - 1, len(core) - 3, 2)


def _followed_from(message: str, core: str, i: int, j: int, found: int) -> int:
    """`followed` from message[i] and core[j] leftwards, `found` characters already followed."""
    start = found
    while i >= 0 and j >= 0 and message[i] == core[j]:  # the block that ends the title
        i, j, found = i - 1, j - 1, found + 1
    while i >= 1 and j >= 1:
        k = core.rfind(message[i - 1:i + 1], 0, j + 1)
        if k < 0:
            break
        i, j, found = i - 2, k - 1, found + 2
        while i >= 0 and j >= 0 and message[i] == core[j]:
            i, j, found = i - 1, j - 1, found + 1
    return found if start > 1 or found >= 3 else 0  # from the last character alone: two more at least
