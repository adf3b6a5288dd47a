"""Greetings, thanks, good-byes and help: a short friendly answer that says what the bot can do."""

from __future__ import annotations

import re

from bot.i18n import t
from bot.messages import Button, Lang, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from bot.understanding.meaning import IntentVerdict

_KINDS: dict[str, re.Pattern[str]] = {
    "help": re.compile(
        r"^(/start|/help|/menu|start|help|menu|help me|help please|\?+|what can you do|what do you do|"
        r"how does this work|how do i use this|commands|帮助|帮忙|菜单|功能|使用说明|你能做什么|你会什么|你可以做什么|"
        r"怎么用|有什么功能|你叫什么(名字)?|你是(真人|机器人|ai|人工智能)(吗|还是.{1,6})?|"
        r"are you (a )?(human|bot|robot|real)"
        r"( or (a )?(bot|human|robot|ai))?)$"
    ),
    "greeting": re.compile(
        r"^((hi|hello|hey|hiya|howdy|yo|greetings|good (morning|afternoon|evening|day))( there| bot| gasme)?|"
        r"你好|您好|嗨|哈喽|哈啰|早上好|上午好|下午好|晚上好|早安|在吗|在不在|你好啊|大家好|"
        # Seasonal wishes are greetings too.
        r"(merry christmas|happy new year|happy holidays|season'?s greetings)"
        r"( and (a )?(merry christmas|happy new year))?( to (you|you all|all|everyone|the [\w ]{1,30}))?|"
        r"(新年|春节|新春|元旦|中秋节?|端午节?|国庆节?|圣诞节?|节日)快乐|"
        r"祝.{0,12}(越办越好|顺利|发财|快乐|健康|如意|成功|兴隆|大吉|顺心|愉快|蒸蒸日上|兴旺|红火|更上一层楼)|"
        r"初次使用|第一次用|请多关照|多多关照|新人报到|"
        r"(hi|hello|good (morning|afternoon|evening)) from [\w ]{1,20})$"
    ),
    "thanks": re.compile(
        r"^((many )?thanks( a lot| so much| very much)?|thank you( so much| very much)?|thx|ty|cheers|great|"
        r"perfect|ok thanks|got it|thanks for (the|your|all the) (help|info|answer|reply)( earlier| today)?|"
        r"谢谢|谢谢你|谢谢您|多谢|感谢|谢了|谢|好的谢谢|好的|明白了|收到|多谢多谢|谢谢谢谢|"
        # Chat particles that close a turn: "好滴", "好的呢", "麻烦了哈", "辛苦了"
        r"好滴|好哒|好的呢|好嘞|麻烦了|麻烦你了|辛苦了|辛苦啦|爱了|爱你|比心|不胜感激|非常感谢|万分感谢|"
        r"(感谢|谢谢).{0,12}(解答|帮助|回复|耐心)|"
        # Praise for the bot is thanked for like thanks.
        r"you('re| are) (so |really |actually |pretty |very )*(smart|clever|helpful|great|good|awesome)"
        r"( for a (chat)?bot)?|good (bot|job)|well done|赞一个|点赞|你(好|真|太|挺)(厉害|聪明|棒)(的)?(啊|呀|了|嘛)?|"
        r"回答得(很|真|挺)?(清楚|好|棒)|(很|真|挺)?好用)$"
    ),
    "bye": re.compile(r"^(bye|goodbye|good bye|see you|see ya|bye bye|catch you later|talk (to you )?later|"
                      r"have a (good|nice|great|lovely) (day|weekend|evening|one)|"
                      r"再见|拜拜|回头见|下次再聊|回聊|88|886|晚安|周末愉快|(祝你|祝您)?(周末|假期|一天)愉快)$"),
}
# "How are you" with or without a greeting: the whole message, so its time words ("today", "最近") are no calendar
# question.
_HOW_ARE_YOU = re.compile(
    r"^((hi|hello|hey)( there)?[,!.]? )?(how (are|r) (you|u)( doing)?( today)?|how's it going)$|"
    r"^((你好|您好|嗨|哈喽|早上好|下午好|晚上好)(呀|啊)?)?[,，!！ ]*"
    r"(最近(怎么样|好吗|还好吗|忙吗)|你好吗|还好吗)(呀|啊)?$"
)
_TRAILING = re.compile(r"[\s!！。.,，?？~～:：;；\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+$")
_LEADING = re.compile(r"^[\s\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+")
# A friendly word of address after a greeting or thanks ("cheers mate", "thanks guys", "谢啦亲") changes nothing.
_ADDRESS = re.compile(r"(\s+(mate|buddy|bro|guys|man|pal|dude|folks|team|all)|亲|呀|啦|哈|哦|呢)$")
# A laugh before the words ("哈哈你挺聪明的嘛") changes nothing either.
_LAUGH = re.compile(r"^(哈哈+|嘿嘿+|呵呵+|haha+|lol)[\s,，!！]*")


_CLAUSES = re.compile(r"[,，.。!！;；~～]+")


def kind_of(norm: str) -> str | None:
    """The kind of small talk the whole message is; a message of several such clauses ("hi, thanks!", "下次再聊，88")
    is of its last clause's kind."""
    kind = _kind_of_clause(norm)
    if kind is None and _CLAUSES.search(norm.strip()):
        kinds = [_kind_of_clause(c.strip()) for c in _CLAUSES.split(norm) if c.strip()]
        kind = kinds[-1] if kinds and None not in kinds else None
    return kind


def _kind_of_clause(norm: str) -> str | None:
    s = _TRAILING.sub("", norm) or norm.strip()
    s = _LAUGH.sub("", _LEADING.sub("", _TRAILING.sub("", _ADDRESS.sub("", s)))) or s
    if _HOW_ARE_YOU.match(s):
        return "greeting"
    for kind, pattern in _KINDS.items():
        if pattern.match(s):
            return kind
    return None


def menu_buttons(lang: Lang) -> tuple[Button, ...]:
    return (Button(t("btn_events", lang), "/events"), Button(t("btn_staff", lang), "/human"))


class SmalltalkHandler(BaseHandler):
    name = "smalltalk"

    def ceiling(self, turn: Turn) -> float:
        return Priority.GREETING_AS_A_WHOLE

    def check(self, turn: Turn) -> Claim | None:
        if _HOW_ARE_YOU.match(_TRAILING.sub("", turn.norm) or turn.norm):
            return Claim(Priority.GREETING_AS_A_WHOLE, "greeting")
        kind = kind_of(turn.norm) or turn.intent("smalltalk")
        return Claim(Priority.SMALLTALK, kind) if kind else None

    def claim_intent(self, turn: Turn, found: IntentVerdict) -> Claim | None:
        family, _, kind = found.name.partition(".")
        return Claim(Priority.SMALLTALK, kind) if family == "smalltalk" and kind else None

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        kind = str(claim.parsed)
        text = t("help", turn.lang) if kind == "help" else t(kind, turn.lang)
        buttons = menu_buttons(turn.lang) if kind in ("help", "greeting") else ()
        return Outcome([Reply(text, buttons)], "smalltalk")
