"""Reading a short follow-up against what the last answer showed: "and for non-members?", "where is that?",
"只要三月份的", "ok book me in", "no, I meant the refund", "能用中文再讲一遍吗".

Pure functions over the message's normalised text and a summary of the conversational context (`InView`); the
caller says what the message names on its own (an event, a sure FAQ entry, a place or a time), so nothing here
reads the knowledge or embeds anything. A message that names its own topic is not a follow-up: it is read on its
own. The order of the checks below is the order of precedence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.messages import Lang
from bot.understanding import list_places
from bot.understanding import text as textmod
from bot.understanding.booking_words import BOOK

Kind = Literal["repeat", "correct", "book", "pick", "aspect", "narrow", "variant"]
Aspect = Literal["access", "cost", "deadline", "register", "seats", "time", "place", "details"]


@dataclass(frozen=True)
class InView:
    """What the context holds, as far as reading a follow-up needs to know."""

    answer: bool = False  # there is a last answer to repeat or correct
    faq: bool = False  # an FAQ entry was answered last
    event: bool = False  # one event is in view
    listed: int = -1  # a list is in view, of this many events (0: a list that found none); -1: no list
    places: int = 0  # how many events a place ("the second one") counts among: the list in view, or the one picked from
    question: str = ""  # the last question answered, normalised


@dataclass(frozen=True)
class Named:
    """What the message names on its own, worked out by the caller."""

    event: bool = False  # an event of the calendar, by its name
    faq: bool = False  # an FAQ entry other than the one in view (or its siblings), surely
    filters: bool = False  # a place or a time
    kind: bool = False  # a type of event ("只要展会的", "only the trainings")
    calendar: bool = False  # a question only the calendar answers ("最近有哪些活动", "what's on?"), asked whole
    lang: Lang | None = None  # a plain request for a language ("in mandarin pls"), as the language handler reads it
    covered: bool = False  # the entry in view speaks of every content word ("what are the requirements?" after joining)
    elsewhere: bool = False  # read whole, another entry's question ("外国公司怎么成为你们的会员？" after what GASME is)
    asks_more: bool = False  # a question the FAQ answers beside a place ("另外 我们跟韩国买家有纠纷 协会能帮着调解吗")


@dataclass(frozen=True)
class FollowUp:
    kind: Kind
    aspect: Aspect | None = None  # "aspect": what is asked about the event in view ("pick": of the one picked)
    lang: Lang | None = None  # "repeat": the language wanted
    text: str = ""  # "correct": what to read instead; "variant": the words that vary the last question;
    # "aspect": "named" when asked of the event the message names, not of the one in view
    index: int = 0  # "pick": which event of the list (0-based, -1 the last)


# An acknowledgement before the marker changes nothing: "ok and once we're over 50 staff?", "好的，那中型企业呢".
ACK_EN, ACK_ZH = r"(?:(?:ok|okay|alright|right|i see|got it|thanks|great|cool|sure|oh|ah|hmm)[\s,.!]+)?", \
    r"(?:(?:好的|好|嗯+|哦+|噢|明白了?|了解|知道了|谢谢)[\s,，。!！~]*)?"
_EN_MARKER = (rf"^{ACK_EN}(and|& |what about|how about|what of|what if|also|plus|then|so|but|for|if|with|without|"
              r"only|just|in case)\b")
# "是第几届会议上批下来的": a Chinese question that opens on "是" has left its subject to the answer before.
_ZH_MARKER = rf"^{ACK_ZH}(那么?|还有|另外|再问一下|再问|如果|要是|假如|对于|只要|只看|只|那如果|是)"
_PRONOUN = (r"\b(it|its|that|this|that one|this one|them|those|these|the same)\b"
            r"|(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bany )\bthere\b"  # "is there parking" is no pointer; "get there" is
            r"|这个|那个|这场|那场|这次|那次|那边|那儿|那里|这里|这边|它|该活动|此活动|当时|那时候?|当年")
MARKED = re.compile(f"{_EN_MARKER}|{_ZH_MARKER}|呢[?？]*$|\\binstead[?.!]*$|{_PRONOUN}")
_ASPECTS: tuple[tuple[Aspect, re.Pattern[str]], ...] = (
    ("access", re.compile(r"\b(park|parking|car park|get there|getting there|get to|directions|transport|metro|"
                          r"subway|train|bus|taxi|airport|hotel|hotels|accommodation|stay|wheelchair|accessib\w*)\b"
                          r"|停车|交通|地铁|公交|怎么去|怎么走|机场|酒店|住宿|无障碍|打车")),
    ("cost", re.compile(r"\b(cost|costs|price|prices|fee|fees|how much|pay|ticket|tickets|free|charge)\b"
                        r"|多少钱|费用|价格|收费|门票|免费|票价|要钱|付费")),
    ("deadline", re.compile(r"\b(deadline|registration close[sd]?|close[sd]? registration|last day to register|"
                            r"until when can (i|we) (register|sign up)|(registration|it) (still )?open|"
                            r"still (open|register)|"
                            r"too late|(register|sign up|book|enrol)( for it)? by)\b"
                            r"|截止|报名到什么时候|什么时候截止|最晚|还能报|还可以报|报名还开|还来得及报")),
    ("register", re.compile(r"\b(register|registration|sign up|signup|enrol|enroll|rsvp|attend|join|book|reserve)\b"
                            r"|报名|登记|预约|参加")),
    ("seats", re.compile(r"\b(seats?|places left|spots?|capacity|full|how many (people|places|participants|"
                         r"companies|firms|exhibitors|delegates|attendees))\b|名额|座位|多少人|多少家|满了|人数|限额")),
    ("time", re.compile(r"\b(when|what time|what date|which day|what day|dates?|start|starts|begin|begins|open|"
                        r"opens|opening|hours|end|ends|finish|finishes|how long|until)\b"
                        r"|什么时候|何时|几号|几点|时间|日期|哪天|开幕|开始|结束|多久|几天")),
    ("place", re.compile(r"\b(where|venue|location|address|which city|what city|held|which (hall|room|floor))\b"
                         r"|在哪|哪里|哪儿|地点|地址|场馆|哪个城市|在什么地方|哪个(馆|厅)|几号馆")),
    ("details", re.compile(r"\b(details?|more info|more information|tell me more|what is it about|agenda|program|"
                           r"programme)\b|详情|详细|介绍|内容|议程")),
)

# "我的报名", "my registrations": the member's own list, never "book the event in view".
_MINE = re.compile(r"我的报名|我报了哪些|我报名了哪些|(我|我们)(那个|这个)报名|(占|订|留|报)了几个"
                   r"|\bmy (registrations?|bookings?|sign-?ups?)\b")
# "取消报名", "cancel my booking": the member's own registration, never "book the event in view".
_CANCELS = re.compile(r"取消|退掉|退出|不去了|撤(了|掉|销|回)"
                      r"|\b(cancel|withdraw|unregister|drop out|pull(ing)? out)\b")
_NEGATED = re.compile(r"\b(not|don't|dont|do not|no|never|won't|cannot|can't)\b|不|没|别|甭")
_CORRECTION = re.compile(
    r"^(?:(?:no|nope|sorry|oops|oh|ah|ok|okay|hmm|wait|actually|not that|that's not it|"
    r"that's not what i (?:asked|meant)|"
    r"not (?:the |about )?[\w' -]{1,30}?(?=[,;.]))[\s,，.!;—–-]*)*"
    r"(?:i (?:meant|mean|was asking about|asked about|am asking about|was talking about|wanted|want)|"
    r"i'?m asking about|what i meant (?:is|was)|actually i meant)\s*[:,]?\s*(?P<en>.+)$"
    r"|^not (?:the |about )?[\w' -]{1,30}?[,;]\s*(?:but |i mean |rather )?(?P<en2>[^,;]+)$"
    # "no, the one in August", "sorry, the Sydney one I mean": another one of what was shown
    r"|^(?:no|nope|sorry|oops|oh|wait|actually)[\s,.!—–-]+"
    r"(?P<en3>(?:the|that) (?:[\w'-]+ ){0,3}?(?:one|other)\b[^,;]*?)(?:[\s,]+i mean(?:t)?)?[\s.!]*$"
    r"|^(?:(?:不好意思|抱歉|对不起)?(?:不是|不对|错了|说错了|搞错了|打错了|打错字了|问错了|我问的不是|我不是问|我说的不是|"
    r"我指的不是)[^，,。！!\s]{0,8}[\s,，。!！]+)+"
    r"(?:我是说|我是问|我是想问|我问的是|我指的是|我想问的是|我想问|我说的是|我要问的是|是)?[\s,，:：]*(?P<zh2>.+)$"
    r"|^(?:我是说|我是问|我是想问|我问的是|我指的是|我想问的是|我说的是)[\s,，:：]*(?P<zh>.+)$"
)
_NOT_THAT = re.compile(r"[\s,;]+(?:and )?not (?:the |about )?\w+$|^not (?:the |about )?\w+[\s,;]+(?:but )?")
_EN_NAMES = r"english|eng"
_ZH_NAMES = r"(simplified |traditional )?chinese|mandarin|putonghua|zh|cn"
_VERSION = r"(version|translation|copy|text)"  # "is there a chinese version of this"
_TO_EN = re.compile(rf"\b(in|into|to) ({_EN_NAMES})\b|^({_EN_NAMES})\b|\b({_EN_NAMES}) {_VERSION}\b|英文|英语|英语版")
_TO_ZH = re.compile(rf"\b(in|into|to) ({_ZH_NAMES})\b|^({_ZH_NAMES})\b|\b({_ZH_NAMES}) {_VERSION}\b"
                    r"|中文|汉语|普通话|华语|国语|简体|繁体")
# "看不懂英文", "my boss doesn't read English": a wish for the other language.
_CANT_READ = re.compile(r"(?:看不懂|读不懂|听不懂|不太懂|不懂|不会说|不会|不认识|不太会)(?:英文|英语|中文|汉语)"
                        r"|\b(?:don'?t|do not|doesn'?t|does not|can'?t|cannot|can not)(?: really| well)? (?:read|speak|"
                        r"understand|know)(?: much| any)? (?:english|chinese|mandarin)\b")
_LANGUAGE = re.compile(rf"\b({_EN_NAMES}|{_ZH_NAMES})\b|英文|英语|中文|汉语|普通话")
# What may surround the language in a request to repeat the last answer ("for my boss" too); anything else is a new
# question. A longer Chinese word goes before its prefix ("版本" before "版"); English words end where Latin letters do.
_REPEAT_FILLER = re.compile(
    r"(?<![a-z0-9])((?:for|to) (?:my|our) [a-z]+|(?:for|to) (?:them|him|her)|can|could|would|will|you|u|ya|i|we|get|"
    r"for|of|a|please|pls|plz|"
    r"kindly|say|said|repeat|write|rewrite|explain|give|send|answer|reply|respond|tell|show|translate|put|switch|"
    rf"change|that|it|this|again|me|us|the|same|in|into|to|{_EN_NAMES}|{_ZH_NAMES}|version|language|text|message|"
    r"once more|thanks|thx|ok|okay|and|"
    r"now|instead|too|also|what about|how about|is there|do you have|have)(?![a-z0-9])|英文|英语|中文|汉语|普通话|华语|"
    r"国语|简体|繁体|能不能|可不可以|行不行|可否|麻烦|列表|清单|列出|列|能|可以|请|用|再|讲|说明|怎么说|说|一遍|一下|吗|呢|"
    r"版本|版|介绍|的|回答|回复|解释|翻译|成|这段话|这句话|这些|话|是什么|到|原文|原版|想要|要|帮我|翻|么|回|详情|详细|换|改|"
    r"切换|转换|转|变|弄|那|遍|给我|给|我|看|发|来|出|一份|个|有没有|有|没有|没|写|同样|内容|这个|这段|上面|刚才|吧|呗|啊|"
    r"哦|好|好的|您|你|一次|次|谢谢|[\s?？!！.,，。~]"
)

# Without a lead word or pronoun, only a very short question leans on the event in view ("parking?"), not one about us.
_BARE_WORDS, _BARE_CJK = 5, 10
_ABOUT_US = re.compile(r"\b(you|your|yours|gasme|association|alliance|organi[sz]ation)\b|你们|贵|联盟|协会|组织")
_QUESTION = re.compile(r"[?？]|\b(who|what|when|where|which|how|why|since)\b|谁|什么|哪|几|多少|多久|多长|多大|吗|呢"
                       r"|([\u4e00-\u9fff])[不没]\2"  # "行不行", "能不能", "有没有": a yes-or-no question
                       r"|(能|可以|会|有|要|是)[^，。,!！]{1,6}[不没]$")  # ... or closed by 不: "会员有优惠不"
MAX_WORDS, MAX_CJK = 9, 16  # short (words, Chinese characters); 14 and 24 after "and", "那…", or ending "what then?"
_LEAD = re.compile(r"^(and|& |what about|how about|what if|also|plus|but|then)\b|^(那么?|还有|另外|那如果|那要是)"
                   r"|\b(instead|what then|then what)[?.!]*$")


def short(norm: str) -> bool:
    return _short(norm, MAX_WORDS, MAX_CJK)


def first_question(norm: str, words: int = MAX_WORDS) -> str | None:
    """A long message's short question (at most `words` words), when it comes first and the rest only tells ("how
    much is it for non members? she'd be signed up via our sister company which isn't a member"): what a follow-up
    reading reads."""
    head, mark, rest = norm.partition("?")
    rest = rest.strip()
    if not mark or not rest or "?" in rest or short(norm) or not _short(head, words, MAX_CJK):
        return None
    return head.strip() + mark


def _short(norm: str, words: int, cjk: int) -> bool:
    return len(re.findall(r"[a-z0-9]+", norm)) <= words and len(re.findall(r"[\u4e00-\u9fff]", norm)) <= cjk


# A question that says who asks ("学生可以便宜点吗", "外国公司也可以吗", "can individuals join too?") or that offers a
# choice or an "also" ("按年交还是按月交", "随行人员也可以开吗"): it qualifies the answer in view, as "那…呢" would.
_ALSO = re.compile(r"\b(too|also|as well|either|or only|or just)\b|也|还是|同样")
_WHO = re.compile(r"\b(students?|individuals?|companies|company|firms?|non-?members?|(?:for|as) members|colleagues?|"
                  r"not (?:yet )?(?:a )?members?|"
                  r"family|spouses?|wife|husband|kids|children|retirees|volunteers|universit(?:y|ies)|non-?profits?|"
                  r"ngos?|employees?|start-?ups?|foreign\w*|overseas)\b"
                  r"|学生|个人|公司|企业|非会员|是会员|作为会员|随行|家属|同事|员工|外国|外企|海外|境外|团体|退休|老人|小孩|儿童|孩子|"
                  r"志愿者|政府机构|大学|高校")
# "如果是明年三月那场呢", "what if it's the March one?": the same question on a condition, not a new calendar search.
_CONDITION = re.compile(r"^(那如果|那要是|如果|要是|假如|if|what if)")


# "我们公司三百多人", "we're a startup with 10 people": a size said, asking nothing, still qualifies the answer.
_SIZE = re.compile(r"\b\d+\s*(?:people|staff|employees|persons)\b|[\d零一二两三四五六七八九十百千万]+多?个?人")


def qualifies(norm: str) -> bool:
    """Whether a short question says who asks, or asks "also"/"or" of the answer in view (see _ALSO, _WHO). A
    language named is a wish for it ("my colleague only reads Chinese, can you translate?"), read elsewhere; "A还是B"
    is a question of its own, and so is a size or "also" said of who asks ("我同事也要一份")."""
    asks = (_QUESTION.search(norm) or "还是" in norm or _SIZE.search(norm)
            or (_ALSO.search(norm) and _WHO.search(norm)))
    return bool(asks) and bool(_ALSO.search(norm) or _WHO.search(norm)) and not _LANGUAGE.search(norm)


def marked(norm: str) -> bool:
    """Whether the message leans on what came before: "and ...", "what about ...", "那…呢", "还有", a pronoun."""
    return bool(MARKED.search(norm.strip()))


# The frame of a question about a figure, a time, a place or a person. A short question in the same frame as the last
# one ("how many people came?" -> "how many deals were signed"; "多少人参加过" -> "签了多少协议") asks the same of
# something else: a variant, even without a lead word.
_EN_FRAME = re.compile(r"^(how (many|much|long|often|big|large)|when|where|who|since when|in which year|which year|"
                       r"what year)\b")
_ZH_FRAME = re.compile(r"多少|几[个次年场位天家]|什么时候|哪一?年|哪里|哪儿|哪个国家|由谁|是谁")


def parallel(norm: str, last: str) -> bool:
    """Whether the message asks in the frame of the last question (see _EN_FRAME)."""
    m = _EN_FRAME.match(norm.strip())
    if m is not None:
        return last.strip().startswith(m.group(0))
    z = _ZH_FRAME.search(norm)
    return z is not None and z.group(0) in last


# A yes-no question asked by repeating its verb ("包不包", "有没有", "可不可以"): a frame, not a word of the topic.
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1|可不可以")


def without_frame(norm: str) -> str:
    """The question without its lead and its frame ("and how big is the investment?" -> "is the investment?",
    "机票酒店包不包" -> "机票酒店"): the words that say what it is about."""
    s = re.sub(_EN_MARKER + r"[\s,]*", "", norm.strip())
    return _A_NOT_A.sub("", _ZH_FRAME.sub("", _EN_FRAME.sub("", s.strip()))).strip()


def tiny_question(norm: str) -> bool:
    """"since when?", "在哪个国家？": a question too short to stand on its own ("Lee Trading" is no question)."""
    return _short(norm, 3, 7) and bool(_QUESTION.search(norm))


def aspect_of(norm: str) -> Aspect | None:
    """What the message asks about an event: its place, time, cost, access, registration, seats or details."""
    return next((name for name, pattern in _ASPECTS if pattern.search(norm)), None)


def repeat_language(norm: str) -> Lang | None:
    """The language a request to repeat (or a plain switch) asks for: "could you say that in English", "中文呢",
    also beside a reason that asks nothing ("can you say that in chinese? for my boss", "我同事看不懂中文，能用英文吗"):
    one clause is the request, and no other clause is a question of its own ("what is gasme, in english?" is one)."""
    # A space between two Chinese words ends a clause, as a comma would ("能不能发个英文版 我要转给客户").
    clauses = [c for c in re.split(r"[?？!！。,，;；]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", norm) if c.strip()]
    asked: Lang | None = None
    for clause in clauses:
        if (cant := _CANT_READ.search(clause)) is not None:
            asked = asked or ("zh" if re.search(r"英|english", cant.group(0)) else "en")
            continue
        lang: Lang | None = "en" if _TO_EN.search(clause) else "zh" if _TO_ZH.search(clause) else None
        if lang is not None and not _REPEAT_FILLER.sub("", clause).strip():
            asked = asked or lang
        elif _QUESTION.search(clause) and _REPEAT_FILLER.sub("", clause).strip():
            return None
    return asked


def correction(text: str) -> str | None:
    """What a correction asks instead ("no, I meant the refund for exhibitors" -> "the refund for exhibitors")."""
    m = _CORRECTION.match(text.strip().lower() if not textmod.has_cjk(text) else text.strip())
    if m is None:
        return None
    if m.group("en2") and (len(m.group("en2").split()) > 4 or "?" in text or _QUESTION.search(m.group("en2"))):
        return None  # "not a member, can I attend?" says who asks, and asks: no correction
    rest = (m.group("en") or m.group("en2") or m.group("en3") or m.group("zh") or m.group("zh2") or "").strip(
        " ?？.。!！")
    rest = _NOT_THAT.sub("", rest).strip(" ,")  # "sponsor it, not speak": what was not meant is left out
    return rest or None


# Who asks, or how many: a variant of this kind ("and for non-members?", "if we have 200 staff", "那一百人以上的呢",
# "学生呢") qualifies the answer in view; it does not move to the entry its words would find alone ("会员" is the
# membership fee's word, "非会员" after the event fee still asks the event fee). Membership itself is a topic, not
# who asks ("what about membership?", "那会员呢" after the event fee: the membership fee).
_QUALIFIER = re.compile(
    r"\b((?:for|as) (?:the )?members|non-?members?|not (?:yet )?(?:a )?members?|yet|still|possible|we'?re|"
    r"students?|individuals?|private|personal|start-?ups?|small|large|big|"
    r"companies|company|firms?|groups?|teams?|staff|employees?|people|persons?|delegates?|attendees?|participants?|"
    r"size|sized|headcount|we|us|our|i|me|my|they|them|a|an|the|for|if|have|has|had|with|without|of|are|is|"
    r"more than|over|under|less than|fewer than|above|below|at least|up to|about|around|than|more|less|"
    r"\d+|\+)\b"
    r"|非会员|是会员|作为会员|(?:企业|公司|个人|团体|机构)会员|学生|个人|中小企业|小企业|大企业|小型|大型|中型|小|大|公司|企业|团队|团体|员工|职工|人数|规模|我们|我|的|如果|是|有|超过|不到|以上|以下|以内|"
    r"多于|少于|大概|左右|[零一二两三四五六七八九十百千万\d]+|人|名|家|位|个|[\s?？,，.。+]"
    r"|初创|创业|个体户|外资|外企|外国|海外|境外|随行人员|随行|家属|同事|要|需要|交|付|退休人员|退休|老人|"
    r"小孩|儿童|孩子|志愿者|政府机构|大学|高校"
)


def known_as_short_name(token: str, known: set[str]) -> bool:
    """Whether a Chinese country name ("德国", "美国") is in `known` by its one-character form beside China's: "德中"
    ("德中经济联合会"), "中美". The answer names the country so, though not by its full name."""
    if len(token) != 2 or not token.endswith("国") or token == "中国":
        return False
    return any(f"{token[0]}中" in k or f"中{token[0]}" in k for k in known)


def qualifier_only(words: str) -> bool:
    """Whether a variant's words only say who asks or how many (see _QUALIFIER), or how long before or after ("what if
    its 3 weeks before" after the refund rules: the refund rules, though "weeks before" are a speaker's words too)."""
    return bool(words.strip()) and not _QUALIFIER.sub(" ", _TIMING.sub(" ", words)).strip()


_TIMING = re.compile(r"\b(it'?s|its|only|just|days?|weeks?|months?|hours?|before|after|ahead|prior|later|left)\b"
                     r"|只剩|还剩|剩|离|提前|天|周|星期|礼拜|个?月|之前|以前|之后|以后|前|后|了|呢|的话")


_MEANT = re.compile(r"\bi (?:meant|mean)\b|我是说|我是问|我问的是|我指的是|我想问的是|我说的是")


def meant(text: str) -> str | None:
    """What "no, I meant ..." asks, said as a first message: only the plain "I meant" forms, not "not X, Y"."""
    return correction(text) if _MEANT.search(text.lower()) else None


def variant_words(norm: str) -> str:
    """The follow-up without its lead ("and", "what about", "那", "呢"): the words that vary the last question."""
    s = re.sub(_EN_MARKER + r"[\s,]*", "", norm.strip())
    s = re.sub(r"^(what about|how about)\s*", "", s)
    s = re.sub(_ZH_MARKER, "", s)
    return re.sub(r"(的)?呢[?？]*$", "", s).strip(" ?？")


def _pick(s: str, view: InView) -> FollowUp | None:
    """An event of the list in view (or of the list the event in view came from) named by its place: alone ("the
    second one", "第三个"), or asked about ("第二个在哪", "when is the first one?")."""
    if view.places <= 1:
        return None
    if (at := list_places.alone(s)) is not None:
        return FollowUp("pick", index=at)
    if (at := list_places.one_of_them(s)) is not None and (asked := aspect_of(s)) is not None:
        return FollowUp("pick", aspect=asked, index=at)
    return None


def read(norm: str, original: str, view: InView, named: Named) -> FollowUp | None:
    """The follow-up this message is, against what is in view; None when it should be read on its own."""
    s = norm.strip()
    if view.answer and (lang := repeat_language(s) or named.lang) is not None:
        return FollowUp("repeat", lang=lang)
    if view.answer and (instead := correction(original)) is not None:
        return FollowUp("correct", text=instead)
    if not (short(s) or (_LEAD.search(s) and _short(s, 14, 24))) or _MINE.search(s) \
            or (_CANCELS.search(s) and not view.faq):
        return None  # the member's own registrations are never "the event in view" narrowed or booked
    is_marked = marked(s)
    kind = named.kind and aspect_of(s) != "register"  # "只要展会的", not "register for the expo"
    if view.listed >= 0 and (named.filters or kind or (named.event and is_marked)) and not named.asks_more:
        return FollowUp("narrow")  # "only in March", "只看对接会", "what about Canada?"
    # An answer about the association (no event or series in view) that speaks of the place named ("any German
    # ones?" after the partners): the place varies that answer, not the calendar.
    about_us = view.faq and not view.event and named.covered
    conditional = view.faq and bool(_CONDITION.match(s))
    answered = view.faq or view.event or view.listed >= 0  # not a "did you mean" offer
    if named.filters and is_marked and answered and not (named.event or about_us or conditional or named.asks_more):
        # After one event or an answer about events, "what about the one in Brazil?", "那明年呢": the calendar, so
        # filtered. (After "did you mean", "另外问一下，明年不想续了的话怎么退会？" asks on its own.)
        return FollowUp("narrow")
    last = aspect_of(view.question) or ("details" if view.event else None)
    if named.event and is_marked and last is not None and aspect_of(s) is None:
        # "what about the expo?" after the price of events, or after when the London conference is: the same
        # question of the event named (after an event's details, its details).
        return FollowUp("aspect", aspect=last, text="named")
    if named.event or named.calendar:
        return None
    if (picked := _pick(s, view)) is not None and not view.listed > 1:
        return picked  # "and the first one?" after one event of a list: that list's first, not the event in view
    one_event = view.event or view.listed == 1
    if one_event and BOOK.search(s) and not _NEGATED.search(s):
        return FollowUp("book")
    if picked is not None:
        return picked
    # An FAQ answer about an event that speaks of every word ("机票酒店包不包" after the mission's cost, which says
    # flights and hotels are the member's own) answers for the event.
    faq_says = view.faq and named.covered
    if view.event and not faq_says and (aspect := aspect_of(s)) is not None \
            and not (aspect == "register" and _NEGATED.search(s)):
        # With a pointer ("is it free?") the event in view is the subject, whatever the FAQ matches; without one,
        # only a very short question is ("address?", "地址是？"), or a short one the FAQ does not answer surely.
        bare = not is_marked and (not _short(s, _BARE_WORDS, _BARE_CJK) or bool(_ABOUT_US.search(s)))
        # A deadline is only ever an event's ("when do I have to register by?").
        if is_marked or (not bare and (not named.faq or _short(s, 4, 4))) or (aspect == "deadline" and not named.faq):
            return FollowUp("aspect", aspect=aspect)
    leans = (is_marked or tiny_question(s) or parallel(s, view.question) or named.covered
             or (qualifies(s) and not named.elsewhere))
    if view.faq and leans and not named.faq and (not named.filters or about_us or conditional) and variant_words(s):
        return FollowUp("variant", text=variant_words(s))
    return None


def mentions(norm: str, aspect: Aspect) -> bool:
    """Whether normalised text speaks of this aspect (e.g. an FAQ entry's questions and tags of a cost)."""
    return any(pattern.search(norm) for name, pattern in _ASPECTS if name == aspect)
