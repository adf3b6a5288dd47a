"""Greetings, thanks, good-byes and help: a short friendly answer that says what the bot can do."""

from __future__ import annotations

import re

from bot.i18n import t
from bot.messages import Button, Lang, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from bot.understanding import text as textmod
from bot.understanding.meaning import IntentVerdict
from handlers.friendly_words import words_kind

_KINDS: dict[str, re.Pattern[str]] = {
    "help": re.compile(
        r"^(/start|/help|/menu|start|help|menu|help me|help please|\?+|what can you do( for (me|us))?|"
        r"what do you do( exactly)?( little bot)?|what (you|u) can do( for (me|us))?|"
        # "能帮我做什么", "晚上也在线吗": what the bot does, and when
        r"(你)?(能|可以)帮(我)?(做|干|弄)(什么|啥)|(晚上|周末|夜里|半夜)(也)?在线(吗)?|"
        # "just wanted to say your staff at the Singapore office were super helpful last year"
        r"(i )?(just )?(wanted|want) to say [\w ]{0,60}(helpful|great|amazing|wonderful|kind|fantastic)( [\w ]{0,20})?|"
        r"how does this work|how do i use this|commands|帮助|帮忙|菜单|功能|使用说明|你能做什么|你会什么|你可以做什么|"
        r"怎么用|有什么功能|你叫什么(名字)?|你是谁(啊|呀)?|"
        r"你是(不是)? ?(真人|机器人|机械人|ai|人工智能|电脑|real person)(吗|啊|呀)?(还是.{1,6})?|"
        r"你(都|还)?(能|会)(帮我)?(干|做|弄|整|办)(些)?(嘛|啥|什么)(呀|啊)?|你还是那个机器人吧|"
        # "what kinds of things am I allowed to ask you?"
        r"what (kinds?|sorts?) of (things|questions) (am i allowed to|can i|may i|could i|should i) ask( you)?|"
        # "Please explain me which kinds of questions you are able to give answer."
        r"((please |pls )?(explain|tell)( to)?( me)? )?(which|what) (kinds?|sorts?|types?) of "
        r"(questions|things|topics) (you|u) (are able to|can|could) (give )?"
        r"(answer|help with|handle|deal with|respond to)( for me)?|"
        # "Are you an artificial intelligence or a human person who is writing to me?"
        r"are you (an? )?(human( being| person)?|bot|robot|real|real person|machine|computer|ai|"
        r"artificial intelligence)( or (an? )?(bot|human( being| person)?|robot|ai|artificial intelligence|person|"
        r"machine|real person))?"
        r"( (who|that) is (writing|typing|replying|answering|talking)( to me)?)?|"
        # "you are program or person typing?"
        r"(you are|you'?re) (an? )?(program|bot|robot|machine|ai|person|human) or (an? )?(program|bot|robot|machine|"
        r"ai|person|human)( typing| writing| answering)?|"
        r"(am i|are we) (talking|chatting|speaking|corresponding) (to|with) "
        r"(an? )?(machine|bot|robot|human|person|computer|ai)"
        r"( or (an? )?(machine|bot|robot|human|person|computer|ai))?( now| right now)?|"
        r"is this (like )?(a )?(human|person|bot|machine|robot|real person)( typing| answering)?"
        r"( or (is it )?(a )?(bot|human|machine|robot|person))?|"
        r"what (can|could) (this|the|you) ?(assistant|bot)? (do|is able to do)|anything new you can do( these days)?|"
        r"(r|are) (u|you) (a )?(bot|robot|human|real)( or (nah|not|no|a human|human))?|"
        r"what (kinds?|sorts?) of things (can|could) you (do|help with|assist with)( for me)?|"
        r"what (are )?(the )?(things?|matters|(kinds?|sorts?) of things) (that )?(you|u) (can|could) "
        r"(do|help with|assist with|making)( for me)?|"
        r"(could you )?(briefly )?outline the scope of (matters|things|questions) (that )?you (are able to|can) "
        r"(assist|help)( me)?( with)?|"
        r"(am i|are we) (talking|chatting|speaking|corresponding) (to|with) "
        r"an? (automated system|natural person|real person|machine|bot|human)"
        r"( or (with )?an? (automated system|natural person|real person|machine|bot|human))?|"
        r"你是(真人|机器人|ai)还是(真人|机器人|ai)|(回复|回答)?是否由(人工智能|ai|机器人|自动化?系统).{0,10}(生成|回复|处理)|"
        # "is this another bot", "just to clarify, is this an automated chatbot replying?", "你是机器人不", "又是机器人"
        r"(is this|is it|r u|are you|you'?re) (just )?(another |an? )?(automated |real )?(bot|chatbot|robot|machine|ai)"
        r"( replying| answering| right)?|(你)?是(不是)?机器人(不|吧)?|又是机器人|"
        r"你(都)?(能|可以)(帮我|帮)?(干|做|帮|帮忙)(啥|什么|哪些)(事情|事)?)$"
    ),
    "greeting": re.compile(
        r"^((hi|hello|hey|hiya|howdy|yo|greetings|good (morning|afternoon|evening|day)|g'?day|"
        r"sawasdee( krub| ka| kha)?|howya|how ya|"
        # Greetings in members' other languages: "Bom dia! Tudo bem?", "howzit", "buenos días"
        r"bom dia|boa (tarde|noite)|tudo bem|ol[aá]|hola|buen(os|as) (d[ií]as|tardes|noches)|bonjour|bonsoir|"
        r"salut|ciao|guten (tag|morgen|abend)|hallo|namaste|salaam|as-?salaa?mu ?alaikum|konnichiwa|"
        r"annyeong(haseyo)?|howzit|sawubona|jambo|mabuhay|selamat (pagi|siang|sore|malam))"
        r"( there| bot| gasme| mate)?|"
        r"你好|您好|嗨|哈喽|哈啰|早上好|上午好|下午好|晚上好|早安|在吗|在不在|你好啊|大家好|"
        # Seasonal wishes are greetings too.
        r"(merry christmas|happy new year|happy holidays|season'?s greetings|gm( gm)*|"
        r"happy (thanksgiving|easter|diwali|deepavali|eid|hanukkah|chinese new year|lunar new year|"
        r"mid-autumn festival))"
        r"( and (a )?(merry christmas|happy new year))?( to (you|you all|all|everyone|the [\w ]{1,30}))?|"
        r"(新年|春节|新春|元旦|中秋节?|端午节?|国庆节?|圣诞节?|节日)快乐|"
        r"(提前)?祝.{0,12}(越办越好|顺利|发财|快乐|健康|如意|成功|兴隆|大吉|顺心|愉快|蒸蒸日上|兴旺|红火|更上一层楼)|"
        # a wish on its own, after another ("提前祝贵会羊年大吉，生意兴隆！")
        r"生意兴隆|财源广进|万事如意|大吉大利|身体健康|阖家幸福|马到成功|心想事成|.{1,2}年大吉|"
        r"初次使用|(我)?第一次(用|使用).{0,10}|请多关照|多多关照|新人报到|"
        r"(it'?s )?(my )?first time (here|using (this|the) (chat|bot))|"
        r"(hi|hello|good (morning|afternoon|evening)) from [\w ]{1,20}|"
        r"good (morning|afternoon|evening|day) to you|trust all is well( at [\w ]{1,30})?|hi again|hello again|"
        r"(just )?(saying|to say) (hello|hi)|(先|来)?打个招呼|好久不见|又是我|新年好|"
        r"happy ?(元旦|新年|春节|中秋|国庆|圣诞)( in advance)?|月圆人团圆|(明年|以后)?继续合作|合作愉快|"
        r"(我们)?.{0,6}(也)?向(大家|各位|你们|您|贵会)(问好|致意)|"
        r"(just )?testing( this chat| the bot)?|wassup( bot)?|sup|yo bot|hey there|测试(一下)?(而已)?|"
        r"(i )?(just )?(wanted|want) to say (hello|hi|hey)|敬启者|谨致问候|"
        r"午安|冒昧打扰|特此问候|请多指教|多多指教|(干|嘎)(啥|哈)(呢)?)$"
    ),
    "thanks": re.compile(
        r"^((many )?thanks( a lot| so much| very much)?|thank you( so much| very much)?|thx|ty|ta|cheers|great|"
        r"cool|nice|awesome|sweet|neat|great stuff|"
        # a bare acknowledgement, with no question pending ("ok", "好"): taken like thanks
        r"ok|okay|okey|okie|okk|kk|k|好|好吧|行|行吧|好哦|好嘞|ok的|"
        r"tahnks|thnks|thnx|thanx|tks|tq|"
        r"perfect|ok thanks|((ok|okay|alright|right) )?got it( now)?|"
        r"(thanks|thank you|cheers|ta)( so much| very much| a lot)? for (the|your|all the) "
        r"(help|info|information|answers?|reply|replies|clarification|explanation|response|quick reply|assistance|"
        r"time|patience|support)"
        r"( earlier| today)?|"
        r"谢谢|谢谢你|谢谢您|多谢|感谢|谢了|谢|好的谢谢|好的|明白了|收到|多谢多谢|谢谢谢谢|"
        # Chat particles that close a turn: "好滴", "好的呢", "麻烦了哈", "辛苦了"
        r"好滴|好哒|好的呢|好嘞|好了|麻烦了|麻烦你了|辛苦了|辛苦啦|辛苦|爱了|爱你|比心|不胜感激|非常感谢|万分感谢|"
        r"(感谢|谢谢).{0,12}(解答|帮助|回复|耐心|答复|回答|说明|协助|支持)|"
        r"(ok|okay|alright) (thx|thanks|thank you)( (that'?s|thats) all( for (now|today))?)?|"
        # Praise for the bot is thanked for like thanks.
        r"you('re| are) (so |really |actually |pretty |very |quite |rather |incredibly )*(smart|clever|helpful|great|"
        r"good|awesome|great craic)( at this)?"
        r"( for a (chat)?bot| for a (robot|machine|computer|program))?|good (bot|job)|well done|赞一个|点赞|"
        r"你(好|真|太|挺|还挺)(厉害|聪明|棒|幽默)(的)?(啊|呀|了|嘛)?|"
        r"you'?re (honestly |really |actually |way |so much )?better than (most|other|the other|any other|all the) "
        r"(chat)?bots( i'?ve (used|tried|seen))?|"
        r"回答得(很|真|挺)?(清楚|好|棒)|(很|真|挺|几)?好用|"
        # a laugh at the bot's wit ("lol that's funny 😂": the laugh itself is taken off first)
        r"(that'?s|so|very|how) (funny|hilarious)|lmao|rofl|lol|"
        r"(much|most) obliged( for your (kind )?(courtesy|help|time|assistance))?|(just )?dropping by to say thanks|"
        r"you('re| are) (a |such a )(clever|smart|good|great|helpful|handy)( little)? (bot|robot|assistant|one)|"
        r"(这次)?(专门|就是|就)?来说(声|一声)谢谢|挺 ?smart ?的|(回|答)得(好|真|这么|蛮|挺)快(的)?|你还挺聪明的嘛|"
        r"that'?s all (i|we|my [\w]+) needed( for now)?|that'?s all( for now| for today)?|"
        r"that concludes my (enquiries|inquiries|questions)( for (today|now))?|(duly )?noted( with thanks)?|"
        r"fast (answers?|replies)|quick (answers?|replies)|"
        r"特此致谢|内容已悉|已悉|帮到(我)?很多|问题(已经|都)?解决了|yyds|绝绝子|懂了|"
        # Thanks passed on: "Mr Chen sends his thanks for the quick help"
        r"[\w. ]{1,30} (sends|send|conveys|passes on) (his|her|their|our|my) (thanks|gratitude)( for [\w ]{1,30})?|"
        # Formal written thanks: "承蒙解答", "承蒙指教"
        r"承蒙.{0,6}(解答|指教|关照|帮助|相助|回复|答复|赐教)|"
        # Praise for the help of one of ours: "前几天担当の李様帮了很大的忙"
        r".{0,16}帮了(我|我们)?(很|好|非常|太)?大(的)?忙(了)?)$"
    ),
    "bye": re.compile(r"^(bye|goodbye|good bye|see you|see ya|bye bye|catch you later|"
                      r"(talk|speak|chat) (to you )?(later|tomorrow|soon)|"
                      r"good ?night|nite|"
                      r"have a (good|nice|great|lovely|lekker|wonderful|fantastic|pleasant|happy|blessed|relaxing|safe|"
                      r"awesome) (day|weekend|evening|one|week|holiday|trip)|"
                      # the close of a formal letter: "顺颂商祺", "此致敬礼"
                      r"(顺|敬)?(颂|祝)(商|时|近)(祺|安)|此致敬礼|此致|"
                      r"farewell( for now)?|good day|cya|see ya later|"
                      r"night now|night night|"
                      r"掰掰|那先这样|先这样|明天再来问你|改天再聊|(就此|先行|在此|那就|我先)?(告辞|告退)(了)?|后会有期|"
                      r"再见|拜拜|回头见|明天见|下次再聊|回聊|88|886|晚安|早点休息(哦|啊|吧)?|周末愉快|(祝你|祝您)?(周末|假期|一天)愉快|明天再来(问|聊)(你)?)$"),
}
# "How are you" with or without a greeting: the whole message, so its time words ("today", "最近") are no calendar
# question.
_HOW_ARE_YOU = re.compile(
    r"^((hi|hello|hey|howzit)( there| bot)?[,!.]? )?(how (are|r) (you|u)( doing)?( today)?|how's it going|"
    r"how('?s| are) things( going)?( on your (side|end))?)$|"
    r"^((你好|您好|嗨|哈喽|早上好|下午好|晚上好)(呀|啊)?)?[,，!！ ]*"
    r"((你|您|你们)?最近(怎么样|咋样|好吗|还好吗|忙吗|忙不忙|如何)|你好吗|还好吗|忙不忙)(呀|啊|呢)?(老铁|兄弟|亲)?$"
)
_TRAILING = re.compile(r"[\s!！。.,，?？~～:：;；\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+$")
_LEADING = re.compile(r"^[\s\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+")
# A friendly word of address after a greeting or thanks ("cheers mate", "thanks guys", "谢啦亲") changes nothing.
_ADDRESS = re.compile(r"(\s+(mate|buddy|bro|guys|man|pal|dude|folks|team|all|lah|leh|lor|ah|lol|pls|ngl|eh|po|so|"
                      r"haha+|hehe+|xd)"
                      r"|亲|呀|啦|哈|哦|呢|啊|各位|大家|唷|喔|耶)$")
# Who the words are from, and a joining word, change nothing either: "and season's greetings to you all", "just
# saying hello on behalf of Mr Lee's office", "替我们总经理祝贵会全体新年快乐".
_FRAME = re.compile(r"^(and|also|so|but|anyway|ah sure|ah|oh|ok|okay|alright)[\s,]+|\s+on behalf of [\w' ]{1,40}$"
                    r"|^请问(一下)?"
                    r"|^(替|代)(我们)?(公司)?.{0,4}(老板|总经理|董事长|领导|经理|总)")
_ELONGATED = re.compile(r"([a-z])\1{2,}")
# A laugh before the words ("哈哈你挺聪明的嘛") changes nothing either.
_LAUGH = re.compile(r"^(哈哈+|嘿嘿+|呵呵+|haha+|lol|ngl|tbh|wow|woah|whoa|omg|wah)[\s,，!！]*")


# Clauses split at punctuation, and at a space between Chinese characters (a pause, or markup taken out).
_CLAUSES = re.compile(r"[,，.。!！;；~～?？—–-]+|(?<=[\u4e00-\u9fff\U0001F000-\U0001FAFF]) +(?=[\u4e00-\u9fff])"
                      r"|\s*[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+\s*")
# Clauses that say nothing to the bot, around small talk: fillers, who is writing for whom, being back after a while,
# passing the answer on. "你好～我是王总的秘书，先打个招呼" is a greeting; "好的，收到，我会转告我们老板" is thanks.
_ASIDE = re.compile(
    r"^((um+|uh+|er+|so|like|well|ok|okay|yeah|嗯+|那个|就是说|就这样吧?|这样)( |$))+$"
    r"|^(那个)+$|^嗯+$|^(just )?(on behalf of|for) [\w ]{1,40}$"
    r"|^(i'?m|i am|this is) [\w ]{1,30}'?s? (assistant|secretary|pa)$"
    r"|^(我是|这里是).{1,8}的(助理|秘书)$|^(替|代)(我们)?.{1,6}(问好|问候)?$"
    r"|^(我)?(会)?转告(我们|一下)?.{0,6}$|^(已经)?整理好.{0,10}了$"
    r"|^i'?ll (pass|forward) (it|this|that) on( to [\w ]+)?$"
    r"|^(hi |hello )?(again,? )?back after [\w ]{1,30}$|^been a while( since i was here)?$"
    r"|^(好久没来了|隔了.{1,4}(又)?(回来|来)了|上次聊完.{0,10}|之前.{0,8}(太忙|没空).{0,10}|上(次|回).{1,16})$"
    r"|^(last time )?you were a (great|big|real) help$|^last time [\w ]{1,40}$|^(不过)?也没(啥|什么)要问的$"
    r"|^i (confess |honestly )?(can'?t|cannot) tell( these days| any ?more)?$|^(我们)?.{0,4}(老板|领导)想知道$"
    r"|^上个?月.{1,12}$|^which is (duly )?noted$|^before (we proceed|i put any [\w ]{1,30} to you)$"
    r"|^(本人|我)(是|系).{1,20}(负责人|经理|助理|秘书|总监)$|^(我是)?.{1,6}人$|^(我的)?中文不太好$"
    r"|^(i am|i'?m) (a )?new member( since [\w ]{1,20})?$|^(i am|i'?m) new here$"
    r"|^((hi|hello|hey) )?(i am|i'?m|im) helping (out )?my (mom|mum|dad|father|mother|parents|boss|grandma|grandpa)"
    r"( out)?$"
    r"|^在正式提问之前$|^just to clarify$|^(tell me honestly|honestly|just curious|out of curiosity)$"
    r"|^(a |the )?(short|quick|brief) (list|answer|version|summary|one)( please| pls)?$|^(briefly|in short)$"
    r"|^(咋|怎么)回得这么快(呢)?$"
    r"|^没(别的|其他|啥|什么)事(了|啦)?$|^(pls|please|kindly) (ignore|disregard)( (it|this|that))?$"
    r"|^right$|^isn'?t it$|^aren'?t you$|^对吧$|^(太|真|实在)?不好意思(了)?.{0,10}$|^sorry( to bother you)?( eh)?$|^eh$"
    r"|^(昨天|刚才|之前|上午|下午)?(跟|和).{0,8}(工作人员|同事|客服).{0,4}(聊|谈|说)过了$"
    # "Spoke with your staff on phone. Problem solved. Thanks."
    r"|^(i )?(already )?(spoke|talked|chatted) (with|to) (your|one of your|a) (staff|colleague|team|agent)s?"
    r"( member)?( on (the )?phone| by phone| earlier| yesterday| today)?$"
    r"|^(the )?(problem|issue|all|everything) (is )?(solved|sorted|resolved|fixed)( now)?$"
    r"|^(刚才|昨天|之前|上午|下午)?(你们的?)?.{0,8}已经帮(我|我们)((处理|弄|搞|办)(好|定)|解决)了$"
)


def kind_of(norm: str) -> str | None:
    """The kind of small talk the whole message is; a message of several such clauses ("hi, thanks!", "下次再聊，88")
    is of its last clause's kind, with clauses that say nothing to the bot (see _ASIDE) left aside."""
    kind = _kind_of_clause(norm) or _kind_of_pieces(norm)
    if kind is None and _CLAUSES.search(norm.strip()):
        clauses = [c.strip() for c in _CLAUSES.split(norm) if c and c.strip()]
        kinds = [_kind_of_clause(c) or _kind_of_pieces(c) for c in clauses
                 if not _ASIDE.match(_TRAILING.sub("", c) or c)]
        kind = kinds[-1] if kinds and None not in kinds else None
    return kind


# Chinese small talk is often typed without a stop between its parts: "嗯嗯好的好的知道了谢谢啊", "那个那个你好啊",
# "哈哈你还挺聪明的嘛那个回答得蛮快的". Such a message is small talk when nothing is left once its small-talk words
# and its fillers are taken out; its kind is that of the last small-talk word.
_PIECES = {
    "help": r"你是(不是)? ?(真人|机器人|ai|电脑|bot) ?(吗|吧)?"
            r"|你(都|还)?(能|可以)(干|做|帮|帮忙|整|办)(嘛|啥|什么|哪些)(事情)?|(真人|机器人|ai)还是(真人|机器人|ai)",
    "greeting": r"你好|您好|大家好|早上好|上午好|下午好|晚上好|早安|午安|嗨|哈喽|新年好|问个好|问好|打个招呼|好久不见"
                r"|冒昧打扰|请多指教|有人在不在|有人在吗"
                r"|\b(hello|hi|hey|merry christmas|happy new year|happy)\b"
                r"|(新年|新春|春节|元旦|中秋节?|国庆节?|圣诞节?|节日)快乐",
    "thanks": r"谢谢(你|您)?|多谢|感谢|谢了|好的|好滴|好哒|好嘞|收到|明白了?|知道了|了解了|辛苦了|麻烦了|赞(?!助)"
              r"|(很|真|挺|好|倍儿|贼|忒|特)?(聪明|厉害|棒|好用|机灵|幽默)|笑死|(回|答|回答)得(很|真|这么|蛮|挺|好)?(快|清楚|好)"
              r"|(挺|很|好) ?(smart|nice|cool|good)|\b(thanks|thank you|thx)\b|特此致谢|问题解决了|帮到(我)?很多|yyds"
              r"|绝绝子",
    "bye": r"再见|拜拜|掰掰|回头见|下次再聊|晚安|先这样|明天再来(问|聊)(你)?|\b(bye|cya)\b",
}
_PIECE_RE = re.compile("|".join(f"(?P<{kind}>{alts})" for kind, alts in _PIECES.items()))
# Words first, single characters last: "了解一下" must go whole before its 了 does.
_FILLER = re.compile(r"那个|就是说|就这样|请问|系统|这个|(小)?助手|机器人|今天|现在|补一句|不过|还是|(先)?了解一下"
                     r"|(我的)?中文不太好"
                     r"|想先|简单说(说|下|一下)?|(给)?说道说道|没空看长的|(回|答)得(还)?(挺|很|真)?快"
                     r"|\b(in advance|just|again|so|um|uh|all|everyone|lah|leh|lor|ah|ngl|pls|ok|okay)\b"
                     r"|[嗯哈呵啊呀哦噢哇嘛吧呢啦了的就还挺这样我你也都很好各位喔们个几先下唷耶\s,，.。!！~～?？、…]"
                     r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")


def _kind_of_pieces(norm: str) -> str | None:
    if not textmod.has_cjk(norm) or len(norm) > 40:
        return None
    kinds = [m.lastgroup for m in _PIECE_RE.finditer(norm)]
    rest = _FILLER.sub("", _PIECE_RE.sub("", norm))
    return kinds[-1] if kinds and not rest else None


def _kind_of_clause(norm: str) -> str | None:
    s = _TRAILING.sub("", norm) or norm.strip()
    s = _LAUGH.sub("", _LEADING.sub("", _TRAILING.sub("", _ADDRESS.sub("", s)))) or s
    s = _FRAME.sub("", s) or s
    s = _ELONGATED.sub(r"\1", s)  # "heyyy", "thanksss", "hiii"
    if _HOW_ARE_YOU.match(s):
        return "greeting"
    for kind, pattern in _KINDS.items():
        if pattern.match(s):
            return kind
    return None


def menu_buttons(lang: Lang) -> tuple[Button, ...]:
    return (Button(t("btn_events", lang), "/events"), Button(t("btn_staff", lang), "/human"))


# A greeting to the association by its short name ("Hi ESMC", "Hello PREC :)", "你好 GASME"): the name is the staff
# question "What is ESMC?" word for word, so without this the member was told what the association is.
_GREETING_BY_NAME = re.compile(r"^(?i:hi|hello|hey|dear|good (?:morning|afternoon|evening)|你好|您好|哈喽|嗨)"
                               r"[\s,，!！]*[A-Z][A-Z0-9&]{1,7}[\s!！.。~～:;)）(（]*"
                               r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D\s]*$")


class SmalltalkHandler(BaseHandler):
    name = "smalltalk"

    def ceiling(self, turn: Turn) -> float:
        return Priority.GREETING_BY_NAME if _GREETING_BY_NAME.match(turn.text.strip()) else Priority.GREETING_AS_A_WHOLE

    def check(self, turn: Turn) -> Claim | None:
        if _GREETING_BY_NAME.match(turn.text.strip()):
            return Claim(Priority.GREETING_BY_NAME, "greeting")
        if _HOW_ARE_YOU.match(_TRAILING.sub("", turn.norm) or turn.norm):
            return Claim(Priority.GREETING_AS_A_WHOLE, "greeting")
        kind = kind_of(turn.norm) or turn.intent("smalltalk")
        if kind:
            return Claim(Priority.SMALLTALK, kind)
        said = words_kind(turn.norm)
        return Claim(Priority.SMALLTALK_WORDS, said) if said else None

    def claim_intent(self, turn: Turn, found: IntentVerdict) -> Claim | None:
        family, _, kind = found.name.partition(".")
        return Claim(Priority.SMALLTALK, kind) if family == "smalltalk" and kind else None

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        kind = str(claim.parsed)
        text = t("help", turn.lang) if kind == "help" else t(kind, turn.lang)
        buttons = menu_buttons(turn.lang) if kind in ("help", "greeting") else ()
        return Outcome([Reply(text, buttons)], "smalltalk")
