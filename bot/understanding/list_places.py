"""An event of a list named by its place: "the second one", "the last event", "第三个", "最后那场".

Pure functions over the message's normalised text; the caller knows which list the place counts in (the list in view,
or the one the event in view was picked from: handlers/followup.py, handlers/registration.py).
"""

from __future__ import annotations

import re

_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
             "last": -1, "一": 0, "二": 1, "三": 2, "四": 3, "最后": -1}
_EN_ORDINAL = "|".join(word for word in _ORDINALS if word.isascii())  # first|1st|second|...|last
_ALONE = re.compile(rf"^(the )?({_EN_ORDINAL})( one| event)?[\s?？.!]*$"
                    r"|^第?(一|二|三|四|最后)(个|场|项)[\s?？。]*$")
# Inside a longer message ("where is the second one", "第二个在哪"), and not the first of something else ("第一个问题").
_ONE_OF_THEM = re.compile(rf"\b(?:the )?({_EN_ORDINAL}) (?:one|event)\b"
                          r"|(?:第(一|二|三|四)(?:个|场|项)|(最后)(?:一个|一场|那个|那场))"
                          r"(?!问题|事|方面|要求|条件|原因|步骤|人|月|周|星期|季度|年|天|小时|选项|答案|回答|链接|按钮)")


def alone(s: str) -> int | None:
    """The place (0-based, -1 the last) a message that is nothing but a place names ("the second one", "第三个")."""
    m = _ALONE.match(s)
    return _ORDINALS[next(g for g in (m.group(2), m.group(4)) if g)] if m else None


def one_of_them(s: str) -> int | None:
    """The place in a list (0-based, -1 the last) of the event the message names so ("the second one", "第三个")."""
    m = _ONE_OF_THEM.search(s)
    return _ORDINALS[next(g for g in m.groups() if g)] if m else None
