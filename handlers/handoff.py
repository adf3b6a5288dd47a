"""Hand-off to staff: offering a person, opening a ticket, and staying out of the way while staff have the
conversation. This module owns the "offer a person" state: other handlers ask for an offer through their Outcome
(`unanswered`, `offers_person`) or by answering with `offer_person(turn)`."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import ClassVar

from bot.desk import tickets
from bot.i18n import WEEKDAYS, t
from bot.messages import Button, Reply
from bot.router import BaseHandler, Claim, Priority
from bot.turn import Outcome, Turn
from bot.understanding import text as textmod
from bot.understanding.meaning import PERSON_ASK, PERSON_SURE, IntentVerdict
from handlers.smalltalk import kind_of as small_talk
from handlers.smalltalk import words_kind

# "/human", or "/human my invoice is wrong": the question comes along with the command.
COMMAND = re.compile(r"^/(human|agent)\b\s*")
# Asking for one of ours in so many words, whatever follows: "I want a human", "could one of your colleagues email me
# about ...", "could someone from the Suzhou office contact me".
_REACH_ME = r"(contact|email|e-mail|call|ring|phone|reach|reach out to|get back to|get in touch with) (me|us)\b"
_SURE_ASK = (r"(^|\bi )(want|need) (a |an )?(human|real person|person)\b"
             r"|\b(someone|somebody|anyone|a colleague|one of your (colleagues|staff|team)|"
             r"a member of (your )?(staff|team))"
             rf"( (from|at|in|of) [\w ]{{1,30}}?)?( just| please| is)? {_REACH_ME}"
             r"|\b(someone|somebody) (from|of|at) [\w ]{1,30}? (is )?(calling|contacting|emailing) (me|us)\b"
             # "Is anyone real there?", "book me a call with a real adviser", "I need to speak to them"
             r"|\bis (there )?anyone (real|human)( there| here)?\b|\ba call with (a |an )?(real )?(adviser|advisor|"
             r"person|human|consultant|expert)\b|\bi need to (speak|talk) (to|with) (them|him|her)\b"
             # "please have your membership officer reach out to me", "get someone to call me asap"
             r"|\bhave (your|a|an|the) [\w ]{0,30}?(officer|team|staff|colleague|manager|person|desk|department|"
             rf"office) {_REACH_ME}|\bget (someone|somebody|a person|a human|one of your \w+) to {_REACH_ME}"
             # "pass me on to whoever handles ...", "can I get a callback from the events team"
             r"|\b(pass|put|transfer) me (on |through )?to\b|\b(get|have|request|arrange|want|need) a call ?back\b"
             r"|\b(anyone|someone|somebody)( (from|at|in) [\w ]{1,30}?)? (free|available) to (speak|talk|chat) "
             r"(with|to) (me|us)\b"
             # "pls escalate to staff", "need human review", "could this be passed on to one of your colleagues"
             r"|\bescalate (this |it |my [\w ]{1,20})?to (a |your )?(staff|human|person|manager|someone|team|colleague)"
             r"|\b(need|want|request|requesting|for) (a )?human review\b"
             r"|\b(passed|handed|forwarded) (on )?to (one of )?(your|a) (colleagues?|staff|team)\b"
             # "get me someone who actually works there", "can a colleague of yours in Suzhou take over this chat"
             r"|\bget me (someone|somebody|a person|a human|an? (actual|real) (person|human))\b"
             r"|\bget (a |an )?(human|person|real person|someone|somebody) to help\b"
             r"|\b(colleague|someone|somebody|person|staff member)( of yours)?( in [\w ]{1,20}?)? take over "
             r"(this|the) (chat|conversation)\b")
# "给我打个电话", "让苏州办公室的人加我微信": asking to be called, or added on WeChat, is asking for a person,
# whatever topic comes with it. (English wordings are left to the classifier: "please call me back", typed after
# /human, is the question for staff.)
_CONTACT_ME_ZH = (r"(?<!不用)(?<!不要)(?<!不必)(?<!别)(给我(打|回)(个|一个)?电话|(打|回)(个|一个)?电话给我|"
                  r"加(一下)?我(的)? ?(微信|wechat|vx|v ?信))"
                  # "能加一下你们工作人员的微信吗", "找个人帮我看看"
                  r"|加(一下)?(你们)?.{0,8}(工作人员|同事|客服|老师|负责人)的? ?(微信|wechat|vx)|找个人(帮|来|给)我"
                  # "找个活人", "请让工作人员发邮件给我", "帮我接通鹿特丹总部", "找个懂行的同事跟我聊聊"
                  r"|找(个|一个)?(活人|真人|人工)|(让|请|叫)(你们的?)?(工作人员|同事|客服|老师)(给我)?"
                  r"(发(个)?邮件|打(个)?电话|联系|回复)|帮我(接通|转接)|找(个|一个)?.{0,6}(工作人员|同事|老师)(跟|和|同)我(聊|谈|说)"
                  # "有人工没", "换人工吧", "转给ESMC的工作人员", "能找秘书处的人吗", "叫个懂CE认证的同事来回答"
                  r"|有人工(吗|没|么)|有没有人工|有没有(真人|活人)(嘛|吗|啊|呀|在|$|[?？,，])|换(个)?人工|转给.{0,10}(工作人员|同事|客服|人工)"
                  r"|找.{0,6}(秘书处|办公室|总部|会员部|部门)的(人|同事|老师)|叫(个|一个)?.{0,8}(同事|工作人员|老师)来"
                  r"|不要机器人"
                  # "替我们老板约一下负责会员的同事…回个电话", "让苏州办公室的人回个电话给他", "搵个负责人覆我",
                  # "这次麻烦直接安排一个人联系我", "给我个人工", "请让当时那位同事再打给我"
                  r"|(让|请|叫|安排|约).{0,14}(人|同事|负责人|工作人员|经理|窗口|manager).{0,10}"
                  r"(回(个|一个)?电话|打(个|一个)?电话|打给|联系|联络|沟通|回复|答复|call ?back)(给)?(我|他|她|我们)?"
                  # "希望由贵会具体负责的工作人员…予以答复", "请你们苏州办公室的窗口跟我联络一下"
                  r"|由.{0,10}(工作人员|负责人|同事|人员).{0,30}(答复|回复|联系)|(请|让).{0,12}窗口.{0,6}(联络|联系)"
                  r"|(跟|和|与)(你们)?.{0,12}(同事|工作人员|负责人|经理)通(个|一下)?电话"
                  r"|找(个|一个)?(负责人|人|同事|工作人员).{0,4}(回复|联系|回电话|打给)我|给我(个|一个)人工"
                  r"|(帮我|给我)联系(一下)?(一位|一个|个)?.{0,10}(工作人员|同事|负责人)"
                  r"|(帮我|能)转给(她|他)(吗|吧)?$|给我 ?call ?back"
                  # "能不能让工作人员帮我看一下材料"
                  r"|(让|请|叫)(你们的?)?(工作人员|同事|客服|老师|负责人)帮(我|我们)")
# "Real person. Now.", "a human please": a person and nothing else.
_BARE_PERSON = r"^(a |an )?(real |live )?(person|human|agent)[.! ]*(now|please|pls|asap)?[.!]*$"
ASK_HUMAN = re.compile(
    r"^/human\b|^/agent\b|\b(talk|speak|chat) (to|with) (a |an |some )?(actual |real )?(human|person|people|agent|"
    r"staff|someone|real person|representative|member of staff|staff member)"
    r"|\b(human|live|real) (agent|person|support)\b|"
    r"^(agent|human|operator|representative|staff)( please| pls)?$|\bagent please\b|\bconnect me\b|"
    rf"{_BARE_PERSON}|"
    rf"{_SURE_ASK}|"
    # "真人" unless the member asks whether the bot is one ("你是真人吗", "跟我聊天的是真人还是机器人")
    r"转人工|人工客服|人工服务|找人工|(?<!是)真人(?!还是|吗)|工作人员|客服人员|联系客服|我要人工|接人工|"
    + _CONTACT_ME_ZH
)
YES = re.compile(r"^(yes|y|yeah|yep|sure|ok|okay|please|yes please|是|是的|好|好的|要|需要|可以|行)[.!。！]*$")
NO = re.compile(r"^(no|n|nope|no thanks|not now|否|不|不用|不要|不需要|算了)[.!。！]*$")
BACK_TO_BOT = re.compile(
    r"^/bot$|^back to (the )?bot$|^(return|go back) to (the )?bot$|^返回机器人$|^回到机器人$|^机器人$"
    r"|^(release|end|close|stop)( the)? (agent|human|staff|live chat|chat with staff)( session| chat)?$"
    r"|^不找人了$|^不用人工了$|^(转|切)回(智能)?(客服|机器人)$"
    # Said in a longer message: "ok thanks, I'll carry on with the bot", "麻烦帮我转回机器人", "我用自助问答就行"
    r"|\b(carry on|continue|go on|take it from here) with the bot\b"
    r"|\bback to (the )?(automated |virtual |ai )?(bot|chatbot|assistant|auto(matic)? repl(y|ies))\b"
    r"|\b(release|hand|switch|reconnect|put|send|take) me back to\b|\blet the bot take over\b"
    r"|\bexit (staff|agent|human) mode"
    r"|\breturn to (the )?(automated |automatic |virtual |ai )?(assistant|bot|chatbot)\b"
    r"|\bdone (talking|chatting|speaking) (to|with) (the |a )?(human|person|staff|agent|your colleague)"
    r"|\b(end|close|terminate|finish) (this |the )?(conversation|chat|session) with (them|the staff( member)?|your "
    r"colleague|the agent|the human)|\b(end|close|terminate) the (staff|agent|human) (conversation|chat|session)"
    r"|\bno further questions for (your|the) (colleague|staff)"
    r"|(转|切|切换|交)(回|还给)(智能)?(客服|机器人|助手|自动回复)|(用|问)(自助问答|机器人|智能助手)就(行|好|可以)"
    r"|自己问(智能助手|机器人)|(关闭|结束)(与|和|跟)?(工作人员|人工|客服)的?(会话|对话|聊天)"
)

# While staff have the conversation, "back to the bot" is also said in the member's own words, with any name for the
# bot and any verb of going on: "please return me to the computer", "let the program answer me henceforth", "其他的我
# 自己问个机器人就得", "余下事项改由自动助理处理". Only then: outside a hand-off "talk to the bot" is no command.
_BOT_WORD = (r"(\b(bot|robot|chatbot|computer|program(me)?|machine|automat(ed|ic) (assistant|system|answers?|replies)|"
             r"virtual assistant|auto[- ]?repl(y|ies)|ai)\b|机器人|机械人|机器仁|电脑|自动回复|自动助理|自动客服|"
             r"智能助手|智能助理|智能客服|自助|自动应答|自动回答)")
_BACK_WITH_STAFF = re.compile(
    rf"\b(back|return|switch|go|talk|chat|speak|carry on|continue|ask|give|bring)\b.{{0,50}}{_BOT_WORD}"
    rf"|{_BOT_WORD}.{{0,20}}\b(answer|handle|take over|take it|help me from here|can help me)\b"
    rf"|(问|聊|答|切回|转回|换回|切换回|转|回到|交给|用|接着|改由|恢复).{{0,6}}{_BOT_WORD}|{_BOT_WORD}.{{0,6}}(答|回答|处理|接着|聊|问|唠)"
    r"|人工(可以|就)?(挂|断|结束)(了|掉)?|\bdone w(ith|/)? (the )?(staff|human|agent)|\bbot again\b"
)
# ... unless the bot is what the member wants no more of: "I don't want to talk to the bot again".
_NOT_THE_BOT = re.compile(
    rf"\b(don'?t|do not|not|no more|never|stop|sick of|tired of|hate)\b.{{0,20}}{_BOT_WORD}"
    rf"|(不想|不要|别|不用|受够了?)(再)?(跟|和|让|用)?.{{0,4}}{_BOT_WORD}"
)


def back_with_staff(norm: str) -> bool:
    return bool(_BACK_WITH_STAFF.search(norm)) and not _NOT_THE_BOT.search(norm)


@dataclass
class HandoffState:
    KEY: ClassVar[str] = "handoff"
    misses: int = 0  # turns in a row the bot could not answer
    offered: bool = False  # the last reply asked whether to pass the question to staff
    unanswered: str | None = None  # the question staff get if the member accepts
    awaiting_question: bool = False  # the member asked for a person; the bot asked what about


def _state(turn: Turn) -> HandoffState:
    return turn.state.slice(HandoffState)


def offer_person(turn: Turn) -> Outcome:
    """The honest "I don't know", with the offer of a person. The second miss in a row asks plainly, so a "yes"
    opens the ticket with this question."""
    if _state(turn).misses + 1 >= 2:
        return Outcome([Reply(t("handoff_accept_offer", turn.lang))], "fallback", unanswered=turn.text,
                       offers_person=True)
    buttons = (
        Button(t("btn_staff", turn.lang), "/human"),
        Button(t("btn_events", turn.lang), "/events"),
        Button(t("btn_help", turn.lang), "/help"),
    )
    return Outcome([Reply(t("dont_know", turn.lang), buttons)], "fallback", unanswered=turn.text, offers_person=True)


def open_ticket(turn: Turn, question: str, reason: str) -> tuple[bool, list[Reply]]:
    """Open a ticket for the member (or join the open one). Returns (a new ticket was opened, replies)."""
    existing = turn.store.open_ticket()
    if existing is not None:
        tickets.member_message(turn.store.session, existing, turn.text, turn.now)
        return False, [Reply(t("handoff_already", turn.lang))]
    store = turn.store
    store.remember_ticket(tickets.open_for(store.session, store.channel, store.user_id, store.chat_id, turn.lang,
                                           question, reason, turn.now))
    state = _state(turn)
    state.awaiting_question = state.offered = False
    return True, [Reply(t("handoff_opened", turn.lang) + " " + when_staff_answer(turn))]


def when_staff_answer(turn: Turn) -> str:
    hours = turn.office_hours
    if hours is None or hours.is_open(turn.now):
        return t("handoff_open_now", turn.lang)
    back = hours.next_opening(turn.now)
    days = WEEKDAYS[turn.lang]
    when = (f"{days[back.weekday()]} {back:%H:%M}" if turn.lang == "en"
            else f"{back.month}月{back.day}日{days[back.weekday()]} {back:%H:%M}")
    tz = str(hours.tz).split("/")[-1].replace("_", " ")
    return t("handoff_closed_now", turn.lang, when=when, tz=tz)


# The member's own people ("I'll check with my manager first", "我老板让我了解一下你们商会"), or a talk with ours
# that is over ("already spoke to your colleague, all sorted", "刚才已经和你们同事电话沟通好了"): people are named, but
# no one of ours is asked for. A request said outright still is one (ASK_HUMAN beside the member's own people,
# _PLAIN_REQUEST after a settled talk).
_OWN_PEOPLE = re.compile(
    # Jobs ("are you hiring", "你们招人吗") are people too, and no one is asked for.
    r"\b(hiring|job openings?|vacanc(y|ies))\b|招人|招聘|招员工|请不请人|招不招人|职位空缺|"
    r"\b(my|our) (boss|manager|supervisor|director|ceo|colleagues?|team|hr|partners?|lawyer|accountant)\b"
    r"|(我|我们)(公司)?(的)?(老板|领导|上司|经理|主管|总监|同事|团队|hr|财务|律师|合伙人)"
)
_SETTLED = re.compile(r"\b(already (spoke|talked|called|emailed|fixed|sorted|solved|resolved)|all sorted|sorted now|"
                      r"no need|sorted (it )?(all )?out|found it|got it sorted)\b|(弄|搞|办|处理)(好|定)了"
                      r"|已经.{0,10}(沟通|联系|谈|说)(好|过)|已经(联系|打电话给|回复)(过)?我|(沟通|谈|说)好了|不用了"
                      r"|已经.{0,12}通过电话|问题(已经)?解决了")
# A person declined in so many words, even in words that also ask for one ("I don't need a human, just tell me
# ...", "no need to connect me to anyone", "不用转人工", "不用打电话给我了"): never a request.
_DECLINED = re.compile(r"\bno need to (connect|transfer|put) (me|us)\b"
                       r"|\b(don'?t|do not) (want|need) (a |an |any )?(human|person|agent|staff|real person)\b"
                       r"|\bno (human|agent|person|staff) (needed|required|necessary)\b"
                       r"|\b(don'?t|do not|no) need (a |an |to )?(human|person|agent|call|anyone|anybody|someone)\b"
                       r"|\b(don'?t|do not) (want|need) to (talk|speak|chat) (to|with) "
                       r"(a (human|person|staff)|any ?one|anybody|someone|somebody|(a|any) (real )?(person|human|"
                       r"member of staff))"
                       r"|\b(nobody|no one|no-one) (needs to|has to|should) (call|contact|email|ring)\b"
                       r"|\bdon'?t (connect|transfer) me\b|不(需要|用|要)(再)?(转)?人工|不用找人|别转人工"
                       r"|不用(打电话|回电话?|联系)(给)?我|不需要(打电话|联系)|(无需|不必|不用)(来电|致电)")


# Whether the bot is a person ("is this a human typing or a bot?", "你是real person吗？还是AI在回"), or a talk with
# ours told as past and done ("上周你们有个同事打电话给我说证书的事已经弄好了"): request words in them ask for no one.
_NO_ONE_WANTED = re.compile(
    # ("can talk to real person or not, the bot 不明白" asks for one: "or not" is Singlish for a yes-no question)
    r"\b(human|person|real person)\b.{0,30}\bor\b(?! not\b).{0,20}\b(bot|machine|ai|robot|computer|app)\b"
    r"|\b(bot|machine|ai|robot|computer)\b.{0,30}\bor\b.{0,20}\b(human|person|real person)\b"
    r"|(真人|人工|real person).{0,12}还是.{0,10}(机器|电脑|ai|自动)|(机器|电脑|ai).{0,10}还是.{0,6}(真人|人)"
    r"|(上周|昨天|前天|刚才|之前|上次|上个月).{0,20}(打电话|打了电话|联系|来电).{0,30}(弄|搞|办|处理)(好|定)了"
    r"|\b(yesterday|earlier|last week|this morning)\b.{0,40}\b(sorted|resolved|fixed|found it)\b"
    # Praise for one of ours, or thanks to pass on: "你们那个工作人员好巴适哦", "替我谢谢他哈"
    r"|(工作人员|同事|老师|客服).{0,6}(好|很|真|挺|太|特别|足)(巴适|好|棒|热情|耐心|专业|靠谱|给力|nice)"
    r"|(替|帮)我(谢谢|感谢)(他|她|他们|你们)"
)


def _not_asking_for_us(norm: str) -> bool:
    if _DECLINED.search(norm) or _NO_ONE_WANTED.search(norm):
        return True
    settled = _SETTLED.search(norm) and not _PLAIN_REQUEST.search(norm)  # "不用了，转人工" still asks
    return bool(settled or (_OWN_PEOPLE.search(norm) and not ASK_HUMAN.search(norm)))


def _about_staff(turn: Turn) -> bool:
    """A message with a word about people ("工作人员", "real person") that the classifier reads as a question, not
    a request ("你们的工作人员会说粤语吗", "is the webinar presented by a real person"). Commands-like requests
    ("转人工", "talk to a human") are not asked: the patterns alone are sure of them."""
    if _PLAIN_REQUEST.search(turn.norm) or turn.reading.reader.intent_model is None:
        return False
    chances = turn.reading.intent_chances()
    if not chances:
        return False
    return turn.reading.intent_chance("person") < PERSON_ASK and max(chances, key=chances.__getitem__) != "handoff"


# Requests the patterns are sure of whatever follows: no need to embed them to rule out a question about staff.
_PLAIN_REQUEST = re.compile(
    r"^(/human|/agent)\b|转人工|人工客服|找人工|我要人工|接人工|人工服务|"
    r"\b(talk|speak|chat) (to|with) (a |an )?(human|person|agent|representative)\b|\bconnect me\b|"
    r"^(agent|human|operator|representative)( please| pls)?$|" + _BARE_PERSON + "|" + _SURE_ASK + "|" + _CONTACT_ME_ZH
)
# Words of a bare request for a person: what is left once they are gone is the question staff get. A fixed list,
# not the example phrases' words: some of those carry a question ("... about my visa letter").
_REQUEST_WORDS = (
    "want need like would could can please pls talk speak chat call ring contact get put through connect transfer "
    "someone somebody anyone anybody person people human humans real live agent agents staff team colleague "
    "colleagues representative manager operator service customer support help desk bot robot chatbot directly "
    "personally back member members me us one your hello hi hey there take over handle deal look sort answer "
    "reply respond ask question instead rather discuss escalate let prefer able possible right now already "
    "message email phone reach via thing stuff matter issue problem this that something anything "
    "帮 帮我 麻烦 请 让 找 找个 给 我 你们 人 回个 电话 安排 跟 对接 转 转接 人工 处理 "
    "联系 真人 客服 工作人员 同事 机器人 负责人 经理 一下 直接 聊 说话 沟通 想 要 需要 能 能不能 可以 吗 "
    "有没有 有人 问题 事情 服务 帮助 回复 打电话 不想 活人 懂 来 回答 员工 专人"
)


@functools.cache
def _request_words() -> frozenset[str]:
    return frozenset(textmod.content_tokens(_REQUEST_WORDS))


def _says_more(turn: Turn) -> bool:
    """Whether a request for a person carries a question ("would somebody ring me about the booth invoice"). With
    a pattern's words ("talk to a human about ..."): what is left of the message besides them; read by meaning: a
    content word beyond the words of asking for a person."""
    known = _request_words()
    if ASK_HUMAN.search(turn.norm):
        left = ASK_HUMAN.sub("", turn.norm).strip(" ,.!?，。！？")
        if not textmod.has_cjk(left):
            return len(left) > 12
        # Chinese says much in few characters: "换人工吧，展位发票的事说不清" carries its question.
        return len("".join(w for w in textmod.content_tokens(left) if w not in known)) >= 3
    words = [w for w in textmod.content_tokens(turn.text) if w not in known and not w.isdigit()]
    if textmod.has_cjk(turn.text):
        return len("".join(words)) >= 3
    return bool(words)


class HandoffHandler(BaseHandler):
    name = "handoff"

    def ceiling(self, turn: Turn) -> float:
        if BACK_TO_BOT.search(turn.norm) or turn.store.has_open_ticket():
            return Priority.COMMAND
        return Priority.ASK_PERSON

    def check(self, turn: Turn) -> Claim | None:
        state = _state(turn)
        if BACK_TO_BOT.search(turn.norm):
            return Claim(Priority.COMMAND, "back")
        if turn.store.has_open_ticket():
            found = turn.reading.intent()  # by meaning too: with staff, every message is read anyway
            if back_with_staff(turn.norm) or (found is not None and found.name == "back_to_bot"):
                # Leaving staff is cheap to undo (asking for a person again opens a new ticket), so a message that
                # means "back to the bot" closes the ticket; staff still see the message in the thread.
                return Claim(Priority.COMMAND, "back")
            # While staff have the conversation the bot does not answer over them: not a form, not an old button.
            return Claim(Priority.COMMAND, "to_staff")
        if COMMAND.match(turn.norm):
            return Claim(Priority.ASK_PERSON, "asked")
        if ASK_HUMAN.search(turn.norm) and not _not_asking_for_us(turn.norm) and not _about_staff(turn):
            # A request the patterns are sure of is as plain as the command, and wins over the event it names ("能加一下
            # 你们工作人员的微信吗？想详细聊聊胡志明市代表团的事").
            sure = _PLAIN_REQUEST.search(turn.norm)
            return Claim(Priority.COMMAND if sure else Priority.ASK_PERSON, "asked")
        if state.awaiting_question:
            return Claim(Priority.OFFER_ANSWERED, "question")
        if state.offered and YES.match(turn.norm):
            return Claim(Priority.OFFER_ANSWERED, "accepted")
        if state.offered and NO.match(turn.norm):
            return Claim(Priority.OFFER_ANSWERED, "declined")
        if turn.intent("handoff") is not None:  # one of the example phrases: as sure as the patterns
            return Claim(Priority.ASK_PERSON, "asked")
        if turn.intent("frustrated") is not None:
            return Claim(Priority.ASK_PERSON, "maybe")
        return None

    def claim_intent(self, turn: Turn, found: IntentVerdict) -> Claim | None:
        # The classifier is sure: as good as the patterns. In the middle band, or when the member is only fed up
        # with the bot, it asks first, so a misreading costs one turn, not a ticket.
        if found.name == "handoff" and _not_asking_for_us(turn.norm):
            return None
        # "哈哈你挺聪明的嘛", "你是真人还是AI啊": whole small talk that the classifier half-reads; and a question about
        # the bot itself ("do you ever get tired of answering the same questions?") is no anger, however sure.
        unsure = found.score < PERSON_SURE or found.name == "frustrated"
        if unsure and (small_talk(turn.norm) is not None or words_kind(turn.norm) == "help"):
            return None
        if found.name == "handoff" and found.score >= PERSON_SURE:
            return Claim(Priority.INTENT, "asked")
        return Claim(Priority.INTENT, "maybe") if found.name in ("handoff", "frustrated") else None

    def handle(self, turn: Turn, claim: Claim) -> Outcome:
        state = _state(turn)
        if claim.parsed == "back":
            ticket = turn.store.open_ticket()
            if ticket is not None:
                if not BACK_TO_BOT.search(turn.norm):
                    tickets.member_message(turn.store.session, ticket, turn.text, turn.now)
                # The member closes it: the Slack post shows who; this turn's reply tells the member.
                tickets.close(turn.store.session, ticket, "member", turn.now, notice=None)
            state.awaiting_question = False
            return Outcome([Reply(t("handoff_back", turn.lang))], "handoff")
        if claim.parsed == "to_staff":
            ticket = turn.store.open_ticket()
            assert ticket is not None
            # Staff have the conversation: the message goes to them, the bot stays quiet otherwise.
            tickets.member_message(turn.store.session, ticket, turn.text, turn.now)
            return Outcome([Reply(t("handoff_already", turn.lang))], "handoff")
        if claim.parsed == "maybe":
            buttons = (Button(t("btn_yes_staff", turn.lang), "yes"), Button(t("btn_no_thanks", turn.lang), "no"))
            return Outcome([Reply(t("handoff_offer_intent", turn.lang), buttons)], "handoff", offers_person=True,
                           unanswered=None if state.unanswered else turn.text)
        if claim.parsed == "declined":
            state.offered, state.unanswered = False, None
            return Outcome([Reply(t("handoff_declined", turn.lang))], "smalltalk")
        if claim.parsed == "accepted":
            after_miss = state.unanswered is not None
            question, state.unanswered = state.unanswered or turn.text, None
            opened, replies = open_ticket(turn, question, reason="fallback")
            return Outcome(replies, "handoff", handoff=opened, after_miss=opened and after_miss)
        if claim.parsed == "question":
            opened, replies = open_ticket(turn, turn.text, reason="asked")
            return Outcome(replies, "handoff", handoff=opened)
        # Asked for a person: take the question the bot could not answer, or the request itself if it says more.
        command = COMMAND.match(turn.text.strip().lower())
        # "/human my invoice is wrong": the words after the command are the question.
        said = turn.text.strip()[command.end():].strip() if command else turn.text if _says_more(turn) else ""
        after_miss = state.unanswered is not None and state.misses > 0
        # Words after the command beat an earlier unanswered question: the member said what this ticket is about.
        asked = said if command and said else state.unanswered or said or None
        state.unanswered = None
        if asked is None:
            state.awaiting_question = True
            return Outcome([Reply(t("handoff_ask_question", turn.lang))], "handoff")
        opened, replies = open_ticket(turn, asked, reason="asked")
        return Outcome(replies, "handoff", handoff=opened, after_miss=opened and after_miss)

    def after(self, turn: Turn, outcome: Outcome) -> None:
        state = _state(turn)
        if outcome.intent == "fallback" and outcome.offers_person:
            state.misses += 1
        elif outcome.intent != "fallback":
            state.misses = 0  # "failed twice in a row" counts consecutive misses only
            if outcome.intent != "handoff":
                state.offered = False  # answered since: a later "yes" is about something else
        if outcome.offers_person:
            state.offered = True
        if outcome.unanswered is not None:
            state.unanswered = outcome.unanswered
