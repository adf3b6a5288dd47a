"""Friendly words in a message that asks nothing: thanks, a greeting, good wishes, praise or a good-bye said in more
words than the whole-message patterns of handlers/smalltalk.py know, and questions about the bot itself (patterns
only)."""

from __future__ import annotations

import re

# Small-talk words in a message that asks nothing ("Thank you very kindly for your patience, you have explained
# everything most clearly", "Wishing you all a very happy Diwali!", "哎呀妈呀，可算找着你们了，哈喽！"): the member is
# being friendly in more words than the patterns above know. Such a message is small talk unless something else reads
# it: an FAQ answer, the calendar, a registration or a request for a person all claim above it, only "did you mean"
# and "I don't know" below.
_MARKERS = {
    "help": re.compile(r"\b(what (all )?(services|things|sort of things|kind of things)|are you a bot|you'?re a bot)\b"
                       r"|(都)?能(办|干|做|整)(哪些|啥|什么)"),
    "greeting": re.compile(r"^morning\b|\b(hi|hiii|hello|hey|good (morning|afternoon|evening)|merry christmas|"
                           r"wishing you|nice to meet you|"
                           r"happy (new year|diwali|holidays?|christmas|eid|chinese new year|lunar new year|deepavali)|"
                           r"season'?s greetings|greetings|warmest regards|best wishes|festive season)\b"
                           r"|你好|您好|哈喽|早上好|下午好|晚上好|早晨|^早|问好|问声好|快乐|佳节|节日好|打(个|声)招呼|多多关照|请多指教"
                           r"|敬启者|谨致问候|顺颂商祺"),
    "thanks": re.compile(r"\b(thanks?|thank you|thx|ty|cheers|much appreciated|appreciate it|(very )?helpful|"
                         r"nice service|great (job|service)|well done|keep it up|impressed|amazing|so cool|"
                         r"that'?s everything|love (it|this|the [\w ]{1,30})|game ?changer|on-brand)\b"
                         r"|谢|感谢|给力|真棒|太棒|好棒|难得|清清楚楚|讲得清楚|赞(?!助)|做得(挺|很)?用心"
                         # "太棒了，回复好快，服务真好"
                         r"|(回复|回答|回得|答得)(好|真|很|这么|蛮|挺)?快|服务(真|很|太|挺)好"
                         r"|(很|挺|真)专业|帮了我?好?大忙|聪明|好用|比我想(象)?(中|的)?.{0,4}(强|好|专业)|点(个)?赞"
                         r"|\bi (really )?appreciate (your|the) (help|assistance|time|patience)\b"
                         r"|\bno further questions\b"
                         # "You answer faster than my own bank's hotline, honestly impressive", "yyds！回复这么快666"
                         # "Great bot, very polite"
                         r"|\b(great|good|nice|lovely|clever|smart|polite|friendly) (little )?(bot|chatbot|assistant)\b"
                         r"|\b(very|so|really) (polite|friendly|patient)\b"
                         r"|\bimpressive\b|\bfaster than\b|yyds|(?<!\d)666(?!\d)|绝绝子|(比|还).{0,10}靠谱"
                         # a laugh at the bot's wit: "lol that's funny 😂"
                         r"|\b(that'?s|so|very|how) (funny|hilarious)\b|\b(lmao|rofl)\b"),
    # "Sorry for spamming you with so many messages", "不好意思刚才发错消息了，打扰啦"
    "sorry": re.compile(r"\bsorry (for|about) (the |all )?(spam|spamming|bother|bothering|trouble|so many|the many|"
                        r"the late|my late|the confusion|the typo)|\b(my bad|apologies for)\b"
                        r"|发错(消息|信息|了)|打扰(啦|了|一下)?$|打扰啦|(不好意思|抱歉)(打扰|刷屏|发错)"
                        # "Apologies, I think I sent that last message by mistake", "不好意思啊，刚才打错字了"
                        r"|\bsent (that|this|it|the|my)( last)?( message)? by mistake\b|打错字了?|手滑"
                        # "Sorry, my mistake, typed nonsense"
                        r"|\bmy mistake\b|\btyped (nonsense|rubbish|gibberish|(that )?by (accident|mistake))\b"
                        # "sorry typo, ignore that last msg", "请忽略上一条"
                        r"|\bsorry,? (typo|wrong (chat|window|message))\b"
                        r"|\bignore (that|this|my|the)( last| previous)? (msg|message)\b|请忽略(上一条|刚才|那条)"),
    "bye": re.compile(r"\b(bye|goodbye|cya|gtg|got to go|talk later|talk soon|log off|bid you good day)\b"
                      r"|拜拜|再见|回头聊|先撤了|回聊|就这样吧|就这么着吧?"
                      # "Have a lovely weekend, chat again on Monday!", "Yours sincerely, and with kind regards from
                      # Stuttgart", "好的今天先到这儿，我去车间开会了，回头见～"
                      r"|\bhave a (lovely|nice|good|great|wonderful) (weekend|day|evening|week)\b"
                      r"|\b(chat|talk|speak) (again )?(on|next) (monday|tuesday|wednesday|thursday|friday|week)\b"
                      r"|\byours (sincerely|faithfully|truly)\b|\b(kind|best|warm|with kind) regards\b"
                      r"|回头见|今天先(聊)?(到|聊到)这(儿|里)?|周一见|下周见"),
}
# ... asks nothing: no question mark, no question word, and no request ("pls reg me for the fair, thx"). "Who" and
# "which" after a comma start a relative clause ("my late father, who founded ..."), not a question.
_ASKS = re.compile(r"[?？]|(^|[,.;:!，。；：！]\s*)(what|how|when|where|why|can|could|is there|are there|"
                   r"do you|does)\b|(^|[.;:!。；：！]\s*)(who|which)\b"
                   # ("thanks for your help" and "thank you most kindly" ask nothing)
                   r"|\b(pls|please|plz|kindly (arrange|send|call|let|advise|confirm|contact|help|provide|share|check)|"
                   r"arrange|need|want|(?<!your )(?<!the )help|reg|register|book|sign|cancel|send|check|i'?d like|"
                   r"talk to|speak to)\b|我要|(?<!比)我想(?!象|的)|给我|人工"
                   r"|吗|么$|什么|怎么|多少|哪|几(个|点|号|天|时)|啥时候|能不能|可不可以|是否|想要|报|取消|查"
                   # 请 and 帮 ask only as requests: "请多多关照", "帮了我大忙" and "已经帮我解决了" ask nothing
                   r"|请问|请(帮|给|把|将|安排|告诉|联系)|(?<!次)(?<!已经)帮我|帮忙(?!的)|麻烦(你|您)?(帮|给|把)")

# What the bot is or can do, asked in so many words ("Hello, I am Park from Busan. May I ask, is this chat an AI
# program?", "请问这个是AI吗？还是后台有人在回呀", "Capabilities? Short list pls."): a question, but about the bot,
# unless a request comes with it (_REQUEST: "are you a bot? then talk to a human").
_ABOUT_THE_BOT = re.compile(
    r"(\b(is (this|it)|are you|r u|am i (talking|chatting|speaking|corresponding|writing|texting) (to|with))\b"
    r"|你是|这个是|是不是|^是).{0,30}"
    r"(\b(ai|bot|chatbot|robot|machine|program|human|real person)\b|机器人|人工智能|真人|后台有人|ai)"
    r"|\b(bot|human) or (bot|human)\b|\bcapabilities\b|\bwhat (kind of |sort of )?(stuff|things|services) "
    r"(are you|is (this|the) (assistant|bot)|can (you|this (assistant|bot))) (able to )?(help|handle|do|provide)"
    r"|\b(main )?services (this|the) (assistant|bot) can provide\b|\bwhat can you handle\b"
    # "May I know what all queries you are able to handle?", "the scope of matters on which you are able to assist"
    r"|\b(what|which)( all| kinds? of| sorts? of| types? of)? (queries|questions|matters|topics|requests|issues) "
    r"(are you|you are|you're|can you|you can|could you) (able to )?(handle|answer|assist|help|deal with|cover)"
    r"(?!( with)? (about|regarding|concerning|on|for|in relation to)\b)"
    r"|\bscope of (the )?(matters|questions|topics|queries|requests)\b"
    r"|\bwhat( sort of| kind of)?( things| stuff)? (are you|you are|you're) able to (help|assist|do)"
    r"|\bwhat (this|the) (assistant|bot|chatbot) (is able to|can) do\b|\bservices (you|u) can (help|provide|offer)"
    r"|(自动|系统|程序|机器).{0,12}还是.{0,8}(人员|真人|人工)|是否由(人工智能|ai|程序|机器)"
    # about the bot as a being: "do you ever get tired of answering", "你会思考吗"
    r"|\bdo you (ever )?(get tired|sleep|dream|think|feel|have feelings)\b|你会(思考|累|睡觉|做梦)"
    # "你累不累啊，24小时在线", "tell me a joke", "我还以为是真人呢，原来是AI啊"
    r"|你(累不累|不累吗|不会累)|\btell (me|us) a joke\b|(讲|说)(个|一个)笑话|以为(是|你是)真人|原来是(ai|机器人)"
    r"|(都)?能(帮忙)?(处理|办|干|做|整)(哪些|啥|什么)"
)
_REQUEST = re.compile(r"\b(register|book|sign up|cancel|talk to|speak to|connect me)\b|报名|取消|转人工|找人|人工客服")


# "How are you?" and "最近忙不忙？" inside a friendly message ask after the people here, not for anything the bot
# knows: they are greetings, and make no question of the message ("Good morning! Hope you're all well, how are you?
# Just got back from a long trip", "早晨呀，今日食咗饭未？").
_ASKS_AFTER_YOU = re.compile(
    r"\b(how (are|r) (you|u|ya)( all| guys)?( doing)?( today)?|how'?s it going|how have you been|"
    r"how('?s| are) things( going)?( on your (side|end))?)(?=\s*([?？!！.,，。]|$))\s*[?？]?"
    r"|((你|您|你们)(最近)?|最近)(怎么样|咋样|好吗|还好吗|忙吗|忙不忙)[?？]?"
    r"|(今日|今天)?(食|吃)(了)?(饭|早饭|午饭|晚饭)(了)?(未|没|吗|没有)[?？]?")
# Nor do "please ignore" after a slip and "please accept my warmest regards" ask anything; they are no kind of their
# own (the slip or the wishes around them say which).
_POLITE_NOT_ASKING = re.compile(r"\b(please|pls|kindly) (ignore|disregard)( (it|this|that|my last (message|msg)))?\b"
                                r"|\bplease accept (my|our) [\w ]{0,30}?(regards|wishes|greetings|thanks)\b")


def words_kind(norm: str) -> str | None:
    """The kind of the last small-talk word in a message that asks nothing, or "help" for a question about the bot
    itself; None otherwise."""
    if _ABOUT_THE_BOT.search(norm) and not _REQUEST.search(norm):
        return "help"
    if _ASKS.search(_POLITE_NOT_ASKING.sub(" ", _ASKS_AFTER_YOU.sub(" ", norm))):
        return None
    found = [(m.start(), kind) for kind, pattern in _MARKERS.items() for m in pattern.finditer(norm)]
    found += [(m.start(), "greeting") for m in _ASKS_AFTER_YOU.finditer(norm)]
    return max(found)[1] if found else None
