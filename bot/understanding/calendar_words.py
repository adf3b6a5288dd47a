"""Words that ask the calendar something (patterns only): what is coming, an event word, when or where, a calendar
file, details, what something is; and events the member will not come to. Read by bot/understanding/event_query.py
and the handlers that tell a calendar question from another."""

from __future__ import annotations

import re

# Words that ask for what is next on the calendar, and words that merely talk about events.
UPCOMING_WORDS = re.compile(
    # ("soon" of a good-bye is no calendar word: "talk soon", "see you soon")
    # ("our schedule" is the member's own: "when do we receive our schedule?" of meetings at a meet-up)
    r"(upcoming|coming up|next event|next conference|what's on|whats on|what is on|(?<!our )(?<!my )(?<!meeting )"
    r"schedule|calendar|agenda|"
    r"(?<!talk )(?<!speak )(?<!chat )(?<!you )(?<!write )soon\b|"
    r"future events|planned events|\bany events|events (are )?(planned|scheduled|coming)|"  # not "how many events"
    # "any trade fairs on the horizon?", "有啥展会", "有什么活动可以参加吗", "对接会有哪几场": what there is to come to
    r"on the horizon|in the pipeline|\banything (on|happening|planned)\b|"
    r"\bany (trade )?(fairs|expos|forums|summits|trainings|workshops|meet-?ups)\b|"
    r"有(啥|什么|哪些)(.{0,2})(活动|展会|博览会|论坛|峰会|对接会|培训)(?!的)|有哪几场|"
    r"即将|近期|最近|接下来|下一[个场次]|"
    # "安排" as the schedule ("最近有什么安排"), not as a verb ("请安排一位同事联系我", "对接会是怎么安排洽谈的").
    r"日程|日历|(?<!请)(?<!帮我)(?<!怎么)(?<!如何)(?<!怎样)安排(?![一个人位])|快要|要举办|要举行)"
)
EVENT_WORDS = re.compile(
    r"(\bevents?\b|\bconferences?\b|\bexpos?\b|\bsummits?\b|\bforums?\b|活动|会议|展会|博览会|论坛|峰会)"
)
# Events the member will not come to ("we can't travel to any events this year", "今年没预算去展会", "不参加活动的话"):
# the occasion of another question, not a question about the calendar.
NOT_COMING = re.compile(r"\b(can'?t|cannot|can not|won'?t|will not|unable to|not able to|don'?t|do not|no (time|budget)"
                        r"|not)( to)?( \w+){0,2}? (travel|go|attend|come|join|make it|afford|participate)\b"
                        r"|(不|没|没有|没法|无法)(预算|时间|空)?(去|参加|参与|出席)")
WHEN_WHERE = re.compile(
    r"(when|where|what date|which date|what day|dates?\b|venue|location|held|take place|taking place|"
    r"什么时候|何时|哪天|几号|几月|日期|时间|哪里|哪儿|在哪|地点|场馆|举办地|举行|召开|啥时候?|啥地方|什么地方|几天|开到|办到)"
)
# "when" about something the member receives, not about the event: "when do we receive our schedule?", "什么时候能收到
# 会议安排"; the words are taken out before WHEN_WHERE reads the message.
WHEN_RECEIVED = re.compile(r"\bwhen (do|will|would|can|should|shall) (i|we|you) (receive|get|be sent|hear back|"
                           r"hear|be told|be notified|find out)\b"
                           r"|(什么时候|何时|啥时候?)(能|会|可以|才能)?(收到|拿到|通知|发给?(我|我们))")
ICS_WORDS = re.compile(r"(\bics\b|ical|calendar file|calendar invite|add (it )?to (my )?calendar|"
                       r"save the date|日历文件|加入日历|添加到日历|日历)")
DETAIL_WORDS = re.compile(r"(details?|more about|\binfo\b|information|tell me about|详情|详细|介绍|情况|信息"
                          r"|说说|讲讲)")
# Asking what something is ("what's the machinery fair in Milan?", "杜伊斯堡的合作周是干嘛的"): one event's
# details where a place or time picks it out (handlers/events.py).
WHAT_IS = re.compile(r"\bwhat(?:'s| is| are) (the|that|this|your)\b|是干(嘛|啥|什么)的|是(个)?(什么|啥)(活动|展|会)"
                     r"|\bwhat (does|will) (it|the [\w ]{1,40}?) cover\b"
                     r"|讲(什么|啥)|(什么|啥)内容")
# A place left out: "only the ones outside Singapore", "anything except in China", "除了中国以外的".
OUTSIDE = re.compile(r"\b(outside|except|excluding|not in|other than|apart from|besides)\b|除了|以外|之外|不在")
# A clause that turns a place down ("NZ is too far for us", "美国太远了"): the reason a narrowing gives, not a place
# to narrow to.
TURNED_DOWN = re.compile(r"\b(too far|too expensive|too costly|too long a trip|not interested in|not keen on)\b"
                         r"|太远|太贵|不感兴趣|不考虑|去不了")
