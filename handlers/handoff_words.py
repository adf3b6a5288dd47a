"""How members ask for a person, decline one, or go back to the bot (patterns only)."""

from __future__ import annotations

import re

from bot.understanding.alternatives import AnyOf
from handlers.handoff_words_zh import CONTACT_ME_ZH

# "/human", or "/human my invoice is wrong": the question comes along with the command.
COMMAND = re.compile(r"^/(human|agent)\b\s*|^/(人工|客服|真人)\s*")
# Asking for one of ours in so many words, whatever follows: "I want a human", "could one of your colleagues email me
# about ...", "could someone from the Suzhou office contact me".
_REACH_ME = (r"(contact|email|e-mail|call|ring|phone|reach|reach out to|get back to|get in touch with|message|msg|text|"
             r"whatsapp|wechat) (me|us|him|her|our (managing director|md|ceo|boss|director|manager|gm|owner|chairman|"
             r"founder))\b")
_SURE_ASK = (r"(^|\bi )(want|need) (a |an )?((real|actual|live) )?(human|person)\b"
             r"|\b(someone|somebody|anyone|a colleague|one of your (colleagues|staff|team)|"
             r"a member of (your )?(staff|team)|a (team|staff) member|a staff)"
             rf"( (from|at|in|of) [\w ]{{1,30}}?)?( just| please| is| could| can| would| will)? {_REACH_ME}"
             r"|\b(someone|somebody) (from|of|at) [\w ]{1,30}? (is )?(calling|contacting|emailing) (me|us)\b"
             # "Is anyone real there?", "book me a call with a real adviser", "I need to speak to them"
             r"|\bis (there )?anyone (real|human)( there| here)?\b|\ba call with (a |an )?(real )?(adviser|advisor|"
             r"person|human|consultant|expert)\b|\bi need to (speak|talk) (to|with) (them|him|her)\b"
             # "please have your membership officer reach out to me", "get someone to call me asap"
             r"|\bhave (your|a|an|the) [\w ]{0,30}?(officer|team|staff|colleague|manager|person|desk|department|"
             rf"office) {_REACH_ME}|\bget (someone|somebody|sb|smb|a person|a human|one of your \w+)"
             rf"( (from|at|in) [\w ]{{1,30}}?)? to {_REACH_ME}"
             # "I want a staff member to look into this", "I want your data protection officer to contact me",
             # "get whoever is in charge of the Tokyo meetup to call me", "or just let me talk to someone"
             r"|\b(i|we) (want|need|would like|'?d like) (a |an |one of your )?(staff member|member of (your )?staff|"
             r"colleague|person|human|real human|someone|somebody)( from [\w ]{1,30}?)? to (look (at|into)|sort|"
             rf"handle|check|deal with|fix|review) |\b(i|we) (want|need|would like|'?d like) (your|the) [\w ]{{1,30}}?"
             rf"(officer|team|staff|manager|desk|department|secretariat|person|colleague) to {_REACH_ME}"
             # "Could you ask whoever handles the member directory to get in touch?"
             rf"|\b(get|ask|have) whoever( is)? (in charge of|handles|runs|organi[sz]es|looks after|deals with) "
             rf"[\w ]{{1,40}}? to ({_REACH_ME}|get in touch|reach out)"
             r"|\b(just )?let me (talk|speak|chat) (to|with) (someone|somebody|a (real )?(person|human)|your staff|"
             r"one of your \w+)\b"
             r"|\b(human|real person|person|agent) (please|pls|plz|now)[.!]*$"
             # "Could a person from the secretariat sort this out with me?"
             r"|\b(can|could|would|will) (a (real )?(person|human)|someone|somebody|a colleague|a member of staff) "
             r"(from|at|in) [\w ]{1,30}? (sort (this|it) out|look (at|into) (this|it)|handle (this|it)|"
             r"pick (this|it) up)"
             # "Pls whatsapp me at +60 ..., need someone to explain the booth sharing", "add me on wechat pls", "want to
             # chat w your staff"
             r"|^(pls |please |kindly |can you |could you )?(whatsapp|wechat|call|ring|phone|text|message|add) me "
             r"(at|on|via)\b"
             r"|\bneed (someone|somebody|a person|a human|one of your \w+) to (explain|walk me through|go through)\b"
             r"|\b(chat|talk|speak) (w|w/) (your |one of your )?(staff|team|colleagues?|people)\b"
             # "need a staff member to call us asap", "get someone on the phone", "customer service NOW"
             r"|\b(need|want|like|get) (a |an )?(staff member|member of (your )?staff|team member|colleague of yours|"
             rf"real person|human)( from [\w ]{{1,30}}?)? to {_REACH_ME}"
             r"|\bget (someone|somebody|a person|a human|one of your \w+) on the (phone|line)\b"
             r"|\bcustomer (service|support)[.! ]*(now|please|pls|asap)\b|\b(want|need|get me|give me) (a |your )?"
             r"(customer service|customer support|support team)\b(?! (hours|email|number|phone|address))"
             # "Anyone from GASME there? A real human I mean"
             r"|\b(anyone|anybody|someone|somebody)( from [\w ]{1,30}?)? (there|here|around|online)\?"
             r"|\ba (real|actual|live) (human|person)( i mean| please| pls| now)\b"
             # "pass me on to whoever handles ...", "can I get a callback from the events team"
             r"|\b(pass|put|transfer|forward|refer|hand) me (on |over |off |through )?to\b"
             # "Can I speak to someone at the Guangzhou office about ...", "Pls transfer to staff", "Please ask Mei
             # Ling from membership to email me", "Can someone who does buyer introductions get in touch?"
             r"|\b(can|could|may) i (please )?(speak|talk|chat) (to|with) (someone|somebody|a person|a human|"
             r"one of your \w+)\b"
             r"|\btransfer (me )?to (a |an |your )?(staff|human|person|agent|someone|somebody|colleague|team)\b"
             rf"|\b(please |pls |kindly )?ask [\w ]{{1,40}}? to {_REACH_ME}"
             r"|\b(can|could|would|will) (someone|somebody) who [\w ]{1,40}? (please )?(get in touch|reach out|"
             r"contact (me|us)|call (me|us))\b"
             # "Can I add one of your staff on WhatsApp?", "can I speak to her again?", "Is there an actual person
             # anywhere ...?", "could I drop by and meet whoever handles sponsorship?", "arrange for a representative
             # to visit our plant"
             r"|\b(can|could|may) i add (one of your \w+|someone|somebody|a colleague|your \w+) (on|via) (wechat|"
             r"whatsapp|line|telegram|linkedin)\b|\b(speak|talk|chat) (to|with) (her|him) again\b"
             r"|\bis there (an? )?(actual|real|live) (person|human)\b|\bmeet (with )?whoever\b"
             r"|\barrange for (a|an|one of your|someone|somebody) [\w ]{0,25}?to (visit|come|meet|call)\b"
             r"|\b(get|have|request|arrange|want|need) a call ?back\b"
             # "can I speak with one of your trade-support people?", "Kindly escalate this to a supervisor"
             r"|\b(talk|speak|chat) (to|with) one of your [\w -]{0,30}?(people|staff|team|colleagues|experts|"
             r"advis[eo]rs|officers)\b|\bescalate (this|it|my [\w ]{1,20}?|the matter)? ?to (a |an |your |the )?"
             r"(supervisor|manager|human|person|staff|team|someone|somebody)\b"
             r"|\b(anyone|someone|somebody)( (from|at|in) [\w ]{1,30}?)? (free|available) to (speak|talk|chat)"
             r"( (with|to) (me|us))?\b"
             # "Can someone from your events team get in touch to see if ...": being contacted, said without "me"
             r"|\b(can|could|would|will) (someone|somebody|a colleague|one of your \w+|a member of (your )?"
             r"(staff|team))( (from|at|in|of) [\w ]{1,30}?)?( please)? (get in touch|reach out)\b"
             # "is anyone from your staff online? I have a question about my booth"
             r"|\bis (there )?(anyone|anybody|someone|somebody)( (from|at|on) (your|the) [\w ]{1,20}?)? "
             r"(online|available|around)( now| right now| today)?\b"
             # "pls escalate to staff", "need human review", "could this be passed on to one of your colleagues"
             r"|\bescalate (this |it |my [\w ]{1,20})?to (a |your |one of (your )?)?(staff|human|person|manager|"
             r"someone|team|colleague)"
             r"|\b(need|want|request|requesting|for) (a )?human review\b"
             r"|\b(passed|handed|forwarded) (on )?to (one of )?(your|a) (colleagues?|staff|team)\b"
             # "get me someone who actually works there", "can a colleague of yours in Suzhou take over this chat"
             r"|\bget me (someone|somebody|a person|a human|an? (actual|real) (person|human))\b"
             r"|\bget (a |an )?(human|person|real person|someone|somebody) to help\b"
             # "can someone from your logistics side look into it and get back to me", "can a staff member add me on
             # wechat?"
             r"|\b(can|could|would|will) (someone|somebody|one of your \w+|a colleague|a member of [\w ]{0,20}?staff)"
             rf"\b[\w ,]{{0,60}}? and {_REACH_ME}"
             r"|\b(staff member|colleague|someone|somebody|one of your \w+|member of staff)\b[\w ]{0,30}? add (me|us) "
             r"(on|via) (wechat|whatsapp|line|telegram|linkedin)\b"
             # "Could a member of staff pick this up please?"
             r"|\b(can|could|would|will) (a member of (your )?staff|someone|somebody|one of your (staff|colleagues|"
             r"team)|one of (them|you)|a colleague|a (real )?(person|human)) (please )?(pick (this|it) up|"
             r"look (at|into) (this|it)|"
             r"take (this|it) (on|over)|handle (this|it))\b"
             r"|\b(colleague|someone|somebody|person|staff member)( of yours)?( in [\w ]{1,20}?)? take over "
             r"(this|the) (chat|conversation)\b"
             # "Put me in touch with whoever is in charge of ...", "let me speak with whoever handles sponsorship"
             r"|\bput (me|us) in touch with\b|\b(speak|talk|chat) (to|with) whoever\b"
             # "could someone on the membership side give me a ring", "could the events team get in touch with me"
             r"|\b(someone|somebody|anyone|a colleague|one of your \w+|(the|your) [\w ]{1,25}?(team|desk|office|"
             r"department|side|officer|committee|secretariat|people))\b[\w ]{0,30}? give (me|us) a "
             r"(ring|call|bell|buzz)\b"
             rf"|\b(could|can|would|will) (the|your) [\w ]{{1,25}}?(team|desk|office|department|committee|secretariat|"
             rf"officer|coordinator|manager|organi[sz]er|adviser|advisor|secretary|staff) (please )?(directly )?"
             rf"{_REACH_ME}"
             r"|\ba member of (the |your )?[\w ]{0,25}?(staff|team|committee|secretariat|office|desk)\b[\w ]{0,10}? "
             rf"{_REACH_ME}"
             # "I'd like the Trade Desk to look at this personally rather than an automated reply"
             r"|\brather than (an? |the )?(automated|automatic|bot|machine|canned)( \w+)?\b"
             r"|\blook at (this|it) personally\b"
             # a colleague asked after to go on with: "Is the lady who helped me last month around? ... carry on with
             # her", "Is Giulia from the Milan desk available?"
             r"|\bis the (lady|gentleman|man|woman|person|guy|girl|colleague) (who|that)\b.{0,80}\b(around|available|"
             r"in today|there today|in the office)\b|\b(carry on|continue|follow up|keep going) with (her|him)\b"
             r"|\bis \w+ (from|at|on) (the|your) [\w ]{1,20}?(desk|office|team|department) "
             r"(around|available|in|there)\b"
             r"|\b(video|zoom|teams|skype) call with (someone|somebody|one of|your|a (person|colleague|human)|"
             r"the (manager|director|head|secretary|coordinator|officer)\b)"
             # "Is there anybody there who isn't automated?", "have someone call +49 170 ... asap"
             r"|\b(anyone|anybody|someone|somebody)( there| here)? (who|that) (isn'?t|is not|'?s not) (automated|"
             r"a (bot|robot|machine))\b"
             r"|\bhave (someone|somebody|a person|a human|one of your \w+) (call|ring|phone|email|e-mail|contact|"
             r"text)\b"
             # "What's the WeChat of your membership manager? I'd rather message her directly."
             r"|\b(i'?d|i would) rather (message|text|call|ring|email|e-mail|talk to|speak to|speak with|talk with|"
             r"chat with|contact|deal with) (her|him|them|someone|somebody|a person|a human)( directly)?\b"
             # "I would rather discuss that with one of your people directly", "Is there anybody at the Singapore
             # office I could speak with today", "book a short call with someone from your training department",
             # "I'd appreciate being put in touch with one of your advisers"
             r"|\b(i'?d|i would) rather (discuss|talk about|go through) (this|that|it|these) (with|to) (one of your "
             r"(people|staff|team|colleagues)|someone|somebody|a person|a human)\b"
             r"|\bis there (anybody|anyone|someone|somebody|a (real )?(person|human)|a member of staff|a staff member)"
             r"( (at|in|from|on) [\w ]{1,30}?)? (i|we) (could|can) "
             r"(speak|talk|chat|sit down|meet)( (with|to))?\b"
             # "I would prefer that somebody from your Milan desk phones me first"
             r"|\b(prefer|rather|like|want|wish) (that )?(somebody|someone|a colleague|one of your \w+|a member of "
             r"[\w ]{0,20}?staff)\b[\w ]{0,40}? (phones|calls|rings|emails|e-mails|contacts|messages|texts|reaches) "
             r"(me|us)\b"
             r"|\b(book|schedule|arrange|set up|have) (a |an )?(short |quick |brief )?(call|meeting|video call) with "
             r"(someone|somebody|one of your \w+|a member of|(your|the) [\w ]{0,25}?(team|office|staff|people|"
             r"colleagues?|manager|director|secretary|expert|advis[eo]r|officer))\b"
             r"|\b(be|being|get|getting) put in touch with\b"
             # "Please let a staff member reply to me here"
             r"|\blet (a |an |one of your )?(staff member|member of (your )?staff|colleague|colleagues|real person|"
             r"person|human|someone|somebody) (reply|respond|answer|get back|call|contact|email|write)\b"
             # "kindly arrange for one of your officers to telephone me"
             r"|\barrange for (one of your \w+|someone|somebody|a [\w ]{1,20}?) to (call|telephone|phone|ring|"
             r"contact|email|e-mail) (me|us)\b"
             # "Is there a way to speak with somebody in the Suzhou office directly?"
             r"|\b(is there (a|any) way|any way|is it possible|how (can|could|do) i) (to |i can |for me to )?"
             r"(speak|talk|chat) (with|to) (someone|somebody|anyone|anybody|a person|a human|a real person|"
             r"one of your (staff|colleagues|team))\b"
             # "Kindly ask a colleague to email me", "I'd just like someone on your team to pick this up", "I want a
             # manager to respond to my complaint", "can a human jump in here?"
             r"|\bask (a |an |one of your |your |the )?[\w ]{0,30}?(colleague|staff|staff member|member of staff|"
             rf"someone|somebody|person|officer|manager) to {_REACH_ME}"
             r"|\b(i|we)('?d| would)?( just| really)? (want|need|like) (a |an |one of your |your |the )?"
             r"(staff member|member of (your )?staff|colleague|person|human|real person|someone|somebody|manager|"
             r"supervisor|team member)( (from|on|in|at) [\w ]{1,30}?)? to (pick (this|it) up|take (this|it) (on|over)|"
             r"follow up|get back to (me|us)|respond|reply|look (at|into)|sort|handle|check|deal with)\b"
             r"|\b(a (real |live |actual )?(human|person)|someone|somebody|a colleague|a staff member|"
             r"a member of staff) (jump|step|come|chime) in\b")
# "Real person. Now.", "a human please": a person and nothing else.
_BARE_PERSON = r"^(a |an )?(real |live )?(person|human|agent)[.! ]*(now|please|pls|asap)?[.!]*$"
# Searched one alternative at a time (bot/understanding/alternatives.py): whole, these took milliseconds a turn.
ASK_HUMAN = AnyOf(
    r"^/human\b|^/agent\b|^/(人工|客服|真人)"
    r"|\b(talk|speak|chat) (to|with) (a |an |some )?(actual |real )?(human|humna|huamn|hooman|person|people|agent|"
    r"staff|someone|somebody|anybody|anyone|real person|representative|member of staff|staff member|manager|"
    r"supervisor|advis[eo]r|consultant)\b"
    r"|\b(human|live|real) (agent|person|support)\b|"
    r"^(agent|human|operator|representative|staff)( please| pls)?$|\bagent please\b|\bconnect me\b|"
    rf"{_BARE_PERSON}|"
    rf"{_SURE_ASK}|"
    # "真人" unless the member asks whether the bot is one ("你是真人吗", "跟我聊天的是真人还是机器人")
    r"转(一下|下)?人工|人工客服|人工服务|找人工|(?<!是)(?<!比)真人(?!还是|吗)|工作人员|客服人员|联系客服|我要人工|接人工|"
    + CONTACT_ME_ZH
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
    r"|自己问(智能助手|机器人)|(关闭|结束)(与|和|跟)?(工作人员|人工|客服)的?(会话|对话|聊天|服务)"
)

# While staff have the conversation, "back to the bot" is also said in the member's own words, with any name for the
# bot and any verb of going on: "please return me to the computer", "let the program answer me henceforth", "其他的我
# 自己问个机器人就得", "余下事项改由自动助理处理". Only then: outside a hand-off "talk to the bot" is no command.
_BOT_WORD = (r"(\b(bot|robot|chatbot|computer|program(me)?|machine|automat(ed|ic) (assistant|system|answers?|replies)|"
             r"virtual assistant|auto[- ]?repl(y|ies)|ai|(the )?menu|computer helper|digital assistant)\b"
             r"|机器人|机械人|机器仁|电脑|自动回复|自动助理|自动客服|智能助手|智能助理|智能客服|自助|自动应答|自动回答|小助手|自动的)")
_BACK_WITH_STAFF = re.compile(
    rf"\b(back|return|switch|go|talk|chat|speak|carry on|continue|ask|give|bring|resume|reconnect|manage|rely)\b"
    rf".{{0,50}}{_BOT_WORD}"
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


# Requests the patterns are sure of whatever follows: no need to embed them to rule out a question about staff.
PLAIN_REQUEST = AnyOf(
    r"^(/human|/agent)\b|转(一下|个|接|给)?人工|人工客服|找人工|我要人工|接人工|人工服务|"
    r"\b(talk|speak|chat) (to|with) (a |an )?(human|humna|huamn|hooman|person|agent|representative)\b|\bconnect me\b|"
    r"^(agent|human|operator|representative)( please| pls)?$|"
    r"\b(get|give) me (a |an )?(live|real|human) (agent|person)\b|"
    + _BARE_PERSON + "|" + _SURE_ASK + "|" + CONTACT_ME_ZH
)
