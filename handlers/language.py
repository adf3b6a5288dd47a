"""Switching the answer language: "English please", "中文", "/lang zh"."""

from __future__ import annotations

import re

from bot.i18n import t
from bot.messages import Lang, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from bot.understanding.meaning import IntentVerdict

_TO_EN = re.compile(
    r"^(/lang(uage)? +(en|english)|(in )?english( please| pls)?|english version|"
    r"英文|英语|(请)?(说|用)(英文|英语)(回答|回复)?)$"
    r"|^(please )?(speak|reply|answer|respond|write|talk)( to me)? in english( please)?$"
    r"|^(can|could) you (speak|reply|answer|write) (in )?english"
    # "翻译成英文", "translate it into English": nothing else named, the answer in view (or the chat) in English
    r"|^(请|帮我|麻烦)?(翻译|翻|译|转)(成|为)(英文|英语)(吧|一下)?$"
    r"|^(please )?translate (it |this |that )?(in|into|to) english( please| pls)?$"
)
_TO_ZH = re.compile(
    r"^(/lang(uage)? +(zh|cn|chinese|中文)|(in )?chinese( please| pls)?|中文|汉语|简体中文|繁体中文|普通话|"
    r"(请)?(说|用)(中文|汉语)(回答|回复)?|(请)?(切换|换)(成|到)?中文)$"
    r"|^(please )?(speak|reply|answer|respond|write|talk)( to me)? in chinese( please)?$"
    r"|^(请|帮我|麻烦)?(翻译|翻|译|转)(成|为)(中文|汉语)(吧|一下)?$"
    r"|^(please )?translate (it |this |that )?(in|into|to) (chinese|mandarin)( please| pls)?$"
)
# A switch asked for inside a longer message, with its reason: "pls reply in chinese from now on, easier for my
# manager", "恁能说英语不？俺这边外国同事要看，换成英文吧", "烦请此后以英文回复", "说中文说中文！". Only as a request
# (a clause that starts with it, or a change of language said in so many words): "do your staff speak English at
# the summit?", "会议用英文进行吗" and "现场可以用英文交流吗" ask about an event.
_IN_A_SENTENCE = {
    "en": re.compile(r"(^|[,.!;:，。！；]\s*)(pls |please |kindly |can you |could you |would you |can we |could we )?"
                     r"(reply|answer|respond|write|talk|text|continue|carry on|go on|switch|change)( to me| back)? "
                     r"(in|to|into) english\b"
                     r"|(用|以)(英文|英语)(来)?(回答|回复|答复)"
                     r"|(换成|换到|切换成|切换到|切换为|改成|改用|转成)(英文|英语)"
                     r"|说(英文|英语)(吧|啊|呀|说|$|[!！。.]+)"),
    "zh": re.compile(r"(^|[,.!;:，。！；]\s*)(pls |please |kindly |can you |could you |would you |can we |could we )?"
                     r"(reply|answer|respond|write|talk|text|continue|carry on|go on|switch|change)( to me| back)? "
                     r"(in|to|into) (chinese|mandarin)\b"
                     r"|(用|以)(中文|汉语)(来)?(回答|回复|答复)"
                     r"|(换成|换到|切换成|切换到|切换为|改成|改用|转成)(中文|汉语)"
                     r"|说(中文|汉语)(吧|啊|呀|说|$|[!！。.]+)"),
}
# A thing of the member's put into a language ("can you translate our contract into chinese", "can I write my
# application in English?", "这份合同翻译成英文多少钱"): a question about a service or a form, not about the language of
# the chat. "translate this into English", "翻译成英文" (the answer in view) still switch.
_A_THING_IN_A_LANGUAGE = re.compile(
    r"\btranslat\w* (?!(it|this|that|them|these|those|the (answer|above|reply|message|text)|your (answer|reply|message)"
    r"|for me|to|into|in)\b)([\w'-]+ ){1,5}?(in|into|to) (english|chinese|mandarin)\b"
    r"|\b(write|fill( in| out)?|submit|prepare|draft|send|print) (my|our|the|a|an|this|that) ([\w'-]+ ){0,3}?"
    r"(in|into) (english|chinese|mandarin)\b"
    r"|[把将].{1,15}(翻译|翻|译|写|改)(成|为)"
    r"|(合同|文件|文档|资料|材料|说明书|证书|网站|网页|产品|目录|简介|手册|协议|标书|报告|发票|邀请函|名片|申请表|表格|ppt)"
    r".{0,4}(翻译|翻|译|写)(成|为)"
)
_USAGE = re.compile(r"^/lang(uage)?( .*)?$")
# "换个语言", "switch language": no language named, so the other one than the member's now.
_TOGGLE = re.compile(r"^(please )?(change|switch|toggle)( the| my)? language( please| pls)?$"
                     r"|^(请)?(换个?语言|换一种语言|切换语言|语言切换|改语言)(吧|一下)?$")


def _bare(norm: str) -> str:
    """The message without trailing spaces and punctuation ("english please!" -> "english please")."""
    return re.sub(r"[\s!！。.,，?？~]+$", "", norm)


def requested_lang(norm: str) -> Lang | None:
    s = _bare(norm)
    if _TO_EN.match(s):
        return "en"
    if _TO_ZH.match(s):
        return "zh"
    return None


class LanguageHandler(BaseHandler):
    name = "language"

    def check(self, turn: Turn) -> Claim | None:
        lang = requested_lang(turn.norm)
        if lang or _USAGE.match(turn.norm):
            return Claim(Priority.COMMAND, lang)
        if _TOGGLE.match(_bare(turn.norm)):
            return Claim(Priority.COMMAND, "zh" if turn.lang == "en" else "en")
        kind = turn.intent("language")  # one of the example phrases
        if kind in ("en", "zh"):
            return Claim(Priority.COMMAND, kind)
        # ... but not a thing changed into the language: "把合同改成英文" asks about the contract, not the chat.
        asked = [lang for lang, pattern in _IN_A_SENTENCE.items()
                 if (found := pattern.search(turn.norm)) and "把" not in turn.norm[:found.start()]]
        return Claim(Priority.INTENT, asked[0]) if len(asked) == 1 else None

    def claim_intent(self, turn: Turn, found: IntentVerdict) -> Claim | None:
        if _A_THING_IN_A_LANGUAGE.search(turn.norm):
            return None
        family, _, kind = found.name.partition(".")
        return Claim(Priority.INTENT, kind) if family == "language" and kind in ("en", "zh") else None

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        lang: Lang | None = claim.parsed
        if lang is None:
            return Outcome([Reply(t("lang_usage", turn.lang))], "smalltalk")
        return Outcome([Reply(t("lang_set", lang))], "smalltalk", switch_language=lang)
