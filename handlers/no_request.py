"""Messages that name people, or decline one, but ask for no one of ours (patterns only): the member's own
people, a talk with ours that is over or told as past, whether the bot is a person, praise, a person declined."""

from __future__ import annotations

import re

from handlers.handoff_words import ASK_HUMAN, PLAIN_REQUEST
from handlers.registration_words import SOMEONE_ELSE_GOES

# The member's own people ("I'll check with my manager first", "我老板让我了解一下你们商会"), or a talk with ours
# that is over ("already spoke to your colleague, all sorted", "刚才已经和你们同事电话沟通好了"): people are named, but
# no one of ours is asked for. A request said outright still is one (ASK_HUMAN beside the member's own people,
# PLAIN_REQUEST after a settled talk).
_OWN_PEOPLE = re.compile(
    # Jobs ("are you hiring", "你们招人吗") are people too, and no one is asked for.
    r"\b(hiring|job openings?|vacanc(y|ies))\b|招人|招聘|招员工|请不请人|招不招人|职位空缺|"
    r"\b(my|our) (boss|manager|supervisor|director|ceo|colleagues?|team|hr|partners?|lawyer|accountant)\b"
    # "My shipping agent says we need an EU BTI": the member's own agent, not one of ours
    r"|\b(my|our) ([\w-]+ )?(agent|broker|forwarder|consultant)s?\b"
    r"|(我|我们)(公司)?(的)?(销售|采购|市场|技术|行政|人事|前任|原)?(老板|领导|上司|经理|主管|总监|同事|团队|hr|财务|律师|"
    r"合伙人)"
    # a colleague going to an event instead of the member ("可以换个同事去参加活动吗"), or brought along ("我能带一个
    # 同事一起去吗", "Can I bring a colleague to the Los Angeles Meet-up?")
    r"|换(个|成|一个)?(同事|别人|其他人)|(我|我们)(能|可以|可不可以|能不能|想|要)?(再)?带(上)?(一个|个|一位|两个|几个)?"
    r"(同事|员工|助理)"
    r"|\b(i|we) (bring|take) (a|my|our|one|two|another|an extra) "
    r"(colleague|coworker|co-worker|assistant|team member)s?\b"
    # "我们负责出口的同事下个月离职，会员账号可以转给新同事用吗？"
    r"|(我|我们)(公司)?(负责|管|做)[^，。,？?]{0,6}的(同事|员工)|新(来的)?(同事|员工)"
    # the member's contact details asked for, not a person ("有没有电话或者邮箱可以联系你们", "your whatsapp or email?")
    r"|(有没有|有)(你们的|联系)?(电话|邮箱|微信|whatsapp|email)(?!.{0,6}(找人|问问|联系我|打给我))"
    r"|(电话|邮箱|微信|whatsapp|email)(号码|地址)?(是多少|多少)"
    r"|\b(do|does) (you|your \w+) have (a |an |any )?(phone number|whatsapp|wechat|email|e-mail|address)\b"
)
_SETTLED = re.compile(r"\b(already (spoke|talked|called|emailed|fixed|sorted|solved|resolved)|all sorted|sorted now|"
                      r"(it )?got (solved|sorted|resolved|fixed)|"
                      r"no need|sorted (it )?(all )?out|found it|got it sorted|(problem|issue|all) (solved|sorted|"
                      r"resolved|fixed))\b|(弄|搞|办|处理)(好|定)(了|啦|咯)"
                      r"|已经.{0,10}(沟通|联系|谈|说)(好|过)|已经(联系|打电话给|回复)(过)?我|(沟通|谈|说)好了|不用了"
                      r"|已经.{0,12}通过电话|问题(都|已经|已)?解决了|问题(都)?(已经|已)解决|已经(给我|跟我)?(回|打)过电话|已经.{0,8}帮(我|我们)(解决|处理|弄好|搞定)")
# A person declined in so many words, even in words that also ask for one ("I don't need a human, just tell me
# ...", "no need to connect me to anyone", "不用转人工", "不用打电话给我了"): never a request.
_DECLINED = re.compile(r"\b(no need|(don'?t|do not) need) to (connect|transfer|put|pass|hand|forward) (me|us)\b"
                       r"|\b(don'?t|do not) (want|need) (a |an |any )?(human|person|agent|staff|real person)\b"
                       r"|\bno (human|agent|person|staff) (needed|required|necessary)\b"
                       r"|\b(don'?t|do not|no) need (a |an |to )?(human|person|agent|call|anyone|anybody|someone)\b"
                       r"|\b(don'?t|do not) (want|need) to (talk|speak|chat) (to|with) "
                       r"(a (human|person|staff)|any ?one|anybody|someone|somebody|(a|any) (real )?(person|human|"
                       r"member of staff))"
                       r"|\b(nobody|no one|no-one) (needs to|has to|should) (call|contact|email|ring)\b"
                       r"|\bdon'?t (connect|transfer) me\b|不(需要|用|要)(再)?(帮我|给我)?(转)?人工"
                       r"|不用找人|别(给我)?转人工"
                       r"|(不消得|不消|用不着|犯不着)(找人|转人工|人工)"
                       r"|不用(再)?(打电话|回电话?|联系)(给)?我|不需要(打电话|联系)|(无需|不必|不用)(来电|致电)"
                       # "不用安排人给我打电话哈", "不用再另外约了"
                       r"|(不用|不必|无需|别)(再)?(安排|找|叫|让)(个|一个)?(人|同事)?(给我)?(打电话|回电话|打给我|联系我)"
                       r"|不用再?另外约"
                       # "我不需要跟人聊，直接告诉我展位多少钱就行"
                       r"|(不需要|不用|不必|不想|无需)(跟|和|与)(人|真人|人工|客服|工作人员)(聊|说|谈|沟通|对话)")


# Whether the bot is a person ("is this a human typing or a bot?", "你是real person吗？还是AI在回"), or a talk with
# ours told as past and done ("上周你们有个同事打电话给我说证书的事已经弄好了"): request words in them ask for no one.
_NO_ONE_WANTED = re.compile(
    # ("can talk to real person or not, the bot 不明白" asks for one: "or not" is Singlish for a yes-no question)
    r"\b(humans?|persons?|people|real (person|people))\b.{0,30}\bor\b(?! not\b).{0,20}\b(bot|machine|ai|robot|"
    r"computer|app|automated|"
    r"automatic)\b"
    r"|\b(bot|chatbot|machine|ai|artificial intelligence|robot|computer|program)\b.{0,30}\bor\b.{0,20}"
    r"\b(human|person|real person)\b"
    r"|(真人|人工|real person).{0,12}(还是|定係|定系|抑或).{0,10}(机器|电脑|ai|自动)"
    r"|(机器|电脑|ai|自动|系统|程序).{0,12}(还是|定係|定系|抑或).{0,8}(真人|人)|(係咪|系咪|是不是)(真人|机器人|ai|bot)"
    # whether staff come along, asked: "代表团会有翻译人员陪同吗"
    r"|会有.{0,10}(人员|翻译|工作人员|同事|向导).{0,4}(陪同|随行|跟团|在场|到场)(吗|么|不|嘛)"
    # "请问我现在是在跟机器人聊天吗？", "你们这个客服是人工智能吗？"
    r"|(跟|和|与)(机器人|ai|人工智能|电脑)(在)?(聊天|对话|说话)(吗|么|呢|啊)|(客服|你)是(人工智能|机器人|ai)(吗|么|啊)"
    r"|(上周|昨天|前天|刚才|之前|上次|上个月).{0,20}(打电话|打了电话|联系|来电).{0,30}(弄|搞|办|处理)(好|定)了"
    # "跟人工客服聊过了，其实跟你说的差不多"
    r"|(跟|和|与)(人工客服|人工|真人|客服|工作人员|同事|你们的?人).{0,6}(聊|谈|说|沟通|通话|通电话)过(了|啦)"
    r"|\b(yesterday|earlier|last week|this morning)\b.{0,40}\b(sorted|resolved|fixed|found it)\b"

    # Praise for one of ours, or thanks to pass on: "你们那个工作人员好巴适哦", "替我谢谢他哈"
    # someone going in the member's place: "if I get sick can a colleague go to the summit instead of me?"
    r"|\binstead of me\b|\bin my place\b|代替我(去|参加)|替我去|\b(go|attend|come)( to [\w ]{1,20})? instead\b"
    r"|\bsend (a |my |another |one of my |one of our |our )?(colleague|coworker|co-worker|substitute|replacement|"
    r"someone else|somebody else)\b"
    # the bot praised by comparison: "这个机器人挺好用的，比人工客服还快"
    r"|比(真人|人工|人工客服|客服|真人客服)(还|更)(快|好|专业|靠谱|方便|强|耐心|准)"
    r"|比(打电话|打电话问人|问人|找人)(还|更)?(快|方便|省事|好)(多了|得多)?"
    r"|\b(better|faster|quicker|easier|smarter|nicer) than (most |any |a |the |real )?(humans?|people|persons?|staff|"
    r"calling|phoning|talking to|waiting for)\b"
    r"|(工作人员|同事|老师|客服).{0,6}(好|很|真|挺|太|特别|足)(巴适|好|棒|热情|耐心|专业|靠谱|给力|nice)"
    r"|(替|帮)我(谢谢|感谢)(他|她|他们|你们)"
)


# A call with ours that happened, told (often to complain of it): "上个月跟你们工作人员通电话，态度很差", "上回打电话
# 给你们苏州办公室，那个人讲了半天也没讲清楚", "The bank officer from UOB already phoned me". Like a settled talk, it
# asks for no one unless a request is said outright too.
_PAST_CALL = re.compile(r"(上次|上回|上个月|上周|之前|昨天|前几天|前天).{0,12}"
                        r"(通(过|了)?电话|打(过|了)?电话|聊(过|了)|联系(过|了)|拜访|来访|来过|见过面?|见了面)"
                        r"|\balready (phoned|called|rang|emailed|contacted) (me|us)\b"
                        r"|\b(i|we) (spoke|talked|chatted) (to|with) [\w ]{1,30}? (last (week|month|time)|yesterday|"
                        r"earlier)\b"
                        # "Had a call with your trade-support team last week. Very disappointing, ..."
                        r"|\b(had|have had) a (call|chat|meeting|conversation) with [\w -]{1,30}? "
                        r"(last (week|month|time)|yesterday|earlier|this morning)\b"
                        # whether someone will get in touch, asked: "融资转介之后银行的客户经理会主动联系我们吗"
                        r"|会(不会)?(主动)?(联系|打电话给|回电话给|回复|通知)(我|我们)(吗|么|嘛|呢)"
                        r"|\bwill (they|someone|somebody|the [\w ]{1,25}?) (contact|call|email|reach out to) (me|us)"
                        r"( first)?\?"
                        # a call promised: "昨天你们同事说今天下午会回电话给我"
                        r"|(同事|工作人员|你们).{0,6}(说|答应|讲)(过)?.{0,10}会(回电话|打电话|联系|回复)"
                        # whom to turn to later, asked: "如果以后融资转介有问题，应该找哪个部门？"
                        r"|(如果|万一|以后).{0,20}(找|联系)(哪个|哪位|谁)"
                        r"|\bif [\w ]{1,40}\bwho (should|would|do) (i|we) (contact|call|ask|turn to)\b")


def settled(norm: str) -> bool:
    """A matter told as solved ("It got solved in the end though", "问题已经解决了") or a call told as past ("I spoke
    to someone on the phone last month and they were kinda rude tbh"), with no request said outright: a complaint
    about it is no anger to answer with a person."""
    return bool(_SETTLED.search(norm) or _PAST_CALL.search(norm)) and not PLAIN_REQUEST.found(norm)


def not_asking_for_us(norm: str) -> bool:
    """People are named, or a person is declined, but no one of ours is asked for."""
    if _DECLINED.search(norm) or _NO_ONE_WANTED.search(norm):
        return True
    # "不用了，转人工" still asks
    settled = (_SETTLED.search(norm) or _PAST_CALL.search(norm)) and not PLAIN_REQUEST.found(norm)
    # Someone else going in the member's place ("can someone else from my company take my place") is one of the
    # member's own people too.
    own = _OWN_PEOPLE.search(norm) or SOMEONE_ELSE_GOES.search(norm)
    return bool(settled or (own and not ASK_HUMAN.found(norm)))
