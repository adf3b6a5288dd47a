"""How members ask for a person, decline one, or go back to the bot (patterns only)."""

from __future__ import annotations

import re

# "/human", or "/human my invoice is wrong": the question comes along with the command.
COMMAND = re.compile(r"^/(human|agent)\b\s*|^/(人工|客服|真人)\s*")
# Asking for one of ours in so many words, whatever follows: "I want a human", "could one of your colleagues email me
# about ...", "could someone from the Suzhou office contact me".
_REACH_ME = (r"(contact|email|e-mail|call|ring|phone|reach|reach out to|get back to|get in touch with|message|msg|text|"
             r"whatsapp|wechat) (me|us|him|her|our (managing director|md|ceo|boss|director|manager|gm|owner|chairman|"
             r"founder))\b")
_SURE_ASK = (r"(^|\bi )(want|need) (a |an )?(human|real person|person)\b"
             r"|\b(someone|somebody|anyone|a colleague|one of your (colleagues|staff|team)|"
             r"a member of (your )?(staff|team)|a (team|staff) member|a staff)"
             rf"( (from|at|in|of) [\w ]{{1,30}}?)?( just| please| is)? {_REACH_ME}"
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
             rf"|\bget whoever( is)? (in charge of|handles|runs|organi[sz]es) [\w ]{{1,40}}? to {_REACH_ME}"
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
             r"|\b(pass|put|transfer) me (on |over |through )?to\b"
             r"|\b(get|have|request|arrange|want|need) a call ?back\b"
             r"|\b(anyone|someone|somebody)( (from|at|in) [\w ]{1,30}?)? (free|available) to (speak|talk|chat) "
             r"(with|to) (me|us)\b"
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
             r"|\b(staff member|colleague|someone|somebody|one of your \w+|member of staff)\b[\w ]{0,20}? add (me|us) "
             r"(on|via) (wechat|whatsapp|line|telegram|linkedin)\b"
             # "Could a member of staff pick this up please?"
             r"|\b(can|could|would|will) (a member of (your )?staff|someone|somebody|one of your (staff|colleagues|"
             r"team)|a colleague|a (real )?(person|human)) (please )?(pick (this|it) up|look (at|into) (this|it)|"
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
             r"|\b(video|zoom|teams|skype) call with (someone|somebody|one of|your|a (person|colleague|human))\b"
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
             r"(someone|somebody|one of your \w+|a member of)\b"
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
             r"one of your (staff|colleagues|team))\b")
# "给我打个电话", "让苏州办公室的人加我微信": asking to be called, or added on WeChat, is asking for a person,
# whatever topic comes with it. (English wordings are left to the classifier: "please call me back", typed after
# /human, is the question for staff.)
_CONTACT_ME_ZH = (r"(?<!不用)(?<!不要)(?<!不必)(?<!别)(给我(打|回)(个|一个)?电话|(打|回)(个|一个)?电话给我|"
                  r"加(一下)?我(的)? ?(微信|wechat|vx|v ?信|line|whatsapp|telegram|teams|qq|钉钉))"
                  # "能加一下你们工作人员的微信吗", "找个人帮我看看"
                  r"|加(一下)?(你们)?.{0,8}(工作人员|同事|客服|老师|负责人)的? ?(微信|wechat|vx)|找个人(帮|来|给)我"
                  r"|找(个|一个|一位|位)?.{0,6}(工作人员|同事|老师|负责人|专员)(帮忙|帮我|帮我们|来处理|处理一下|看看)"
                  # "找个活人", "请让工作人员发邮件给我", "帮我接通鹿特丹总部", "找个懂行的同事跟我聊聊"
                  r"|(找|叫|来|换)(个|一个)?(活人|真人|人工)|(让|请|叫)(你们的?)?(工作人员|同事|客服|老师)(给我)?"
                  r"(发(个)?邮件|打(个)?电话|联系|回复)|帮我(接通|转接)|找(个|一个)?.{0,6}(工作人员|同事|老师)(跟|和|同)我(聊|谈|说)"
                  # "有人工没", "换人工吧", "转给ESMC的工作人员", "能找秘书处的人吗", "叫个懂CE认证的同事来回答"
                  r"|有人工(吗|没|么)|有没有人工|有没有(真人|活人)(嘛|吗|啊|呀|在|$|[?？,，])|换(个)?人工"
                  r"|转给.{0,10}(工作人员|同事|客服|人工|team|团队|部门|desk|秘书处|办公室)"
                  r"|找.{0,6}(秘书处|办公室|总部|会员部|部门)的(人|同事|老师)|叫(个|一个)?.{0,8}(同事|工作人员|老师)来"
                  r"|不要机器人"
                  # "替我们老板约一下负责会员的同事…回个电话", "让苏州办公室的人回个电话给他", "搵个负责人覆我",
                  # "这次麻烦直接安排一个人联系我", "给我个人工", "请让当时那位同事再打给我"
                  # "麻烦贵会秘书处的老师回个电话", "麻烦找个财务跟我对接一下", "能不能让他们直接联系我们",
                  # "Trade Desk能不能直接打我电话", "需要人工处理", "请帮我转你们的经理"
                  r"|麻烦.{0,14}(人|同事|负责人|工作人员|经理|老师|专员|客服|财务|秘书处).{0,6}(回(个|一个)?电话|打(个|一个)?电话"
                  r"|联系(一下)?我|给我(打|回))"
                  r"|找(个|一个|一位|位)?.{0,6}(工作人员|同事|老师|负责人|专员|财务|客服)(跟|和|与)(我|我们)(对接|联系|沟通|聊|谈|确认|核对)"
                  r"|(让|请|叫)(他们|她们|他|她)(直接)?(联系|联络|打电话给|回电话给)(我|我们)"
                  r"|(能不能|可以|能否|可否)(直接)?(打我(的)?(电话|手机)|给我打(个)?电话|回(个)?电话给我)"
                  r"|需要人工|人工处理|帮我转(你们的?)?(经理|主管|领导|负责人)"
                  # "想约你们办公室的人当面聊一下", "帮我约个时间去新加坡总部见一下负责会员的同事"
                  r"|(约|安排).{0,16}(的人|工作人员|同事|负责人|老师|经理|顾问).{0,4}(当面|见面)(聊|谈|沟通)?"
                  r"|(约|安排).{0,16}见(一下|个面|面)?.{0,10}(同事|工作人员|负责人|老师|经理)"
                  r"|(请|让|麻烦).{0,12}(同仁|同事|工作人员|负责人).{0,16}(联络|联系)(本公司|敝司|我司|我们公司)"
                  # "还是找个人跟我详细说一下吧", "能不能安排个人跟我视频一下", "叫个同事帮我看看",
                  # "请胡志明市联络处的同事约个时间见面"
                  r"|找(个|一个)人(跟|和|同|给)我.{0,4}(聊|谈|说|讲|解释)"
                  r"|安排(个|一个)人(跟|和|与)(我|我们).{0,4}(视频|电话|聊|谈|沟通|见面|开会)"
                  r"|(叫|让|找)(个|一个)(同事|工作人员|老师|人)帮(我|我们)"
                  r"|(同事|工作人员|负责人|老师).{0,6}(约|安排)(个|一个)?时间(见面|见个面|碰面|聊|谈)"
                  # "让客服打我电话吧", "请让财务部给我发个邮件"
                  r"|(让|请(?!问)|叫|安排|约).{0,14}(人|同事|负责人|工作人员|经理|主管|领导|窗口|老师|专员|manager|客服|"
                  r"财务|部门|[\u4e00-\u9fff]{1,3}部|团队|秘书处|办公室).{0,10}"
                  r"(回(个|一个)?电(话)?|打(个|一个)?电话|打我(的)?(电话|手机)|打给|发(个|封)?邮件|联系|联络|沟通|回复|答复|"
                  r"对接|跟进|"
                  r"call ?back|"
                  r"(跟|和|与)我(?!们)(对|核|聊|谈|说|沟通|确认))"
                  r"(给)?(我|他|她|我们)?"
                  # "我想找你们负责贸易代表团的老师聊聊"
                  r"|(想|要)找.{0,14}(工作人员|同事|老师|负责人)(聊聊|聊一下|谈谈|谈一下|沟通一下|问问|问一下|咨询)"
                  # "希望由贵会具体负责的工作人员…予以答复", "请你们苏州办公室的窗口跟我联络一下"
                  r"|由.{0,10}(工作人员|负责人|同事|人员).{0,30}(答复|回复|联系)|(请|让).{0,12}窗口.{0,6}(联络|联系)"
                  # a call wished for, not one told ("上个月跟你们工作人员通电话，态度很差")
                  r"|(想|要|能|可以|希望|请|麻烦)[^，。,]{0,4}(跟|和|与)(你们)?.{0,12}(同事|工作人员|负责人|经理|秘书长|会长)(直接)?通(个|一下)?电话"
                  r"|(跟|和|与)(你们)?.{0,12}(同事|工作人员|负责人|经理)通(个|一下)电话"
                  r"|找(个|一个|一位|位)?.{0,10}(负责人|人|同事|工作人员|老师).{0,4}(回复|联系|回电话|打给|发(个|封)?邮件给)我"
                  r"|给我(个|一个)人工"
                  # "恳请贵会派专人与我方联系", "苏州办公室能派个人来我们厂里看一下吗"
                  r"|(贵会|你们|商会|协会|秘书处|办公室|团队).{0,8}派(个|一个|一位)?(专人|人员|员|人|同事|工作人员)"
                  r".{0,10}(联系|洽谈|来|对接|沟通|跟进|上门|过来|聊|谈)"
                  # "那位姓陈的小姐今天在吗？想让她继续跟进", "能视频通话吗？想跟你们培训部的人当面确认"
                  r"|(那位|那个|上次|之前).{0,20}(小姐|先生|女士|同事|老师|姑娘|经理)(今天|现在)?在(吗|不|么)"
                  r"|(让|请)(她|他)继续(跟进|处理|帮我)"
                  r"|(想|要|希望)(跟|和|与)你们.{0,12}(人|同事|负责人|老师|工作人员|经理).{0,4}(当面|直接)?(确认|沟通|聊|谈|说)"
                  r"|(能|可以)(开个|开一个|约个|约一个)?(视频通话|视频会议|腾讯会议|语音通话|zoom)"
                  r"|(帮我|给我)联系(一下)?(一位|一个|个)?.{0,10}(工作人员|同事|负责人)"
                  r"|(帮我|能)转给(她|他)(吗|吧)?$|给我 ?call ?back|(麻烦|请|能|可以)(你们)?.{0,4}call ?(我|我们)"
                  # "能不能让工作人员帮我看一下材料"
                  r"|(让|请|叫)(你们的?)?(工作人员|同事|客服|老师|负责人)帮(我|我们)"
                  # "在开会不方便打字，让人打我手机", "可以請你們的同仁用 LINE 或電話跟我聯絡嗎"
                  r"|(让|请|叫|安排)(个|一个)?人打我的?(手机|电话)"
                  r"|(请|让|麻烦).{0,12}(同仁|同事|工作人员|负责人).{0,16}(跟|和|与)我(联络|联系)"
                  # "帮我 arrange 一个 consultant 跟我 call 一下", "有没有懂出口管制的顾问？我想跟他电话聊聊"
                  r"|(顾问|专家|consultant|advisor|adviser|经理|同事|工作人员|老师|负责人).{0,6}(跟|和|与|给)我 ?"
                  r"(call|打(个|一个)?电话|通(个|一个)?电话|电话(聊|沟通|谈))"
                  r"|(顾问|专家|老师|同事|负责人|工作人员|经理).{0,20}(想|要|希望)(跟|和|与)(他|她)(打个?|通个?)?电话(聊|谈|沟通)"
                  # "可以约一下你们鹿特丹总部的工作人员下周见个面吗"
                  r"|(约|安排).{0,16}(工作人员|同事|负责人|老师|经理|顾问).{0,8}见(个|一)?面"
                  # "别让机器人回了，叫你们的人来处理！"
                  r"|别(再)?让机器人|(叫|让|找)你们的?人(来|过来)"
                  # "拟就参展事宜与贵会展会部门负责人面谈", "麻烦转给会员部的老师"
                  r"|(与|和|跟).{0,14}(负责人|工作人员|同事|经理|老师).{0,2}(面谈|见面|当面)"
                  r"|转给.{0,10}(老师|负责人)"
                  # "能不能安排一位负责贸易支持的老师跟我们详细聊聊", "想约个时间跟广州办公室的同事电话聊聊",
                  # "派个工作人员来处理一下吧"
                  r"|(安排|约|派).{0,14}(老师|同事|负责人|工作人员|经理|顾问|专员|的人).{0,6}(跟|和|与)(我|我们).{0,4}"
                  r"(聊|谈|沟通|开(个|一个)?(视频|电话)?会|视频|通(个|一下)?电话|见(个)?面)"
                  # "有没有会说中文的工作人员能跟我在Teams上聊一下", "能否请贵会中国区的负责人跟他通个电话"
                  r"|有没有.{0,10}(工作人员|同事|老师|顾问|专员)(能|可以)(跟|和|与)我.{0,10}(聊|谈|沟通|说)"
                  r"|(请|让|安排|麻烦).{0,14}(负责人|同事|工作人员|经理|老师|专员|顾问).{0,4}(跟|和|与|给)"
                  r"(我|我们|他|她).{0,2}(通|打)(个|一下|一个)?电话"
                  # "帮我转给法务那边的人看看吧", "能不能请财务的同事核对下我们上个月那笔付款"
                  r"|转给.{0,10}(那边|部门|团队)的(人|同事|老师)"
                  r"|请(你们|贵会)?[^，。,我]{0,6}的?(同事|工作人员|老师|负责人|专员)(帮(我|我们)?)?(核对|核实|查|看看|处理|跟进)"
                  r"|(想|要|希望|能|可以).{0,8}(跟|和|与).{0,10}(你们|贵会|协会|办公室|部门|部|处|团队)的?"
                  r"(同事|工作人员|负责人|老师|经理)(电话|当面|直接)?(聊|谈|沟通|通(个|一下)?电话)"
                  r"|派(个|一个|一位)(专人|人|同事|工作人员|老师)(来|过来)?(处理|跟进|联系|对接|看看)"
                  # "机器人就别回了，换人来", "直接帮我转财务吧"
                  r"|换(个|一个)?(真)?人来|机器人.{0,3}别(再)?回"
                  r"|帮我转(给|到|接)?(一下)?.{0,6}(财务|部门|会员部|展会部|市场部|秘书处|办公室|团队|同事|老师|负责人)"
                  r"(吧|吗|$|[，。,!！])"
                  # "对，就是要人工，别再给我发链接了", "叫个人出来" ("个人" alone is also "individual": 个人会员)
                  r"|(就是|就|只|我)要人工|叫(个|一个)人(出来|过来|来)")
# "Real person. Now.", "a human please": a person and nothing else.
_BARE_PERSON = r"^(a |an )?(real |live )?(person|human|agent)[.! ]*(now|please|pls|asap)?[.!]*$"
ASK_HUMAN = re.compile(
    r"^/human\b|^/agent\b|^/(人工|客服|真人)"
    r"|\b(talk|speak|chat) (to|with) (a |an |some )?(actual |real )?(human|humna|huamn|hooman|person|people|agent|"
    r"staff|someone|somebody|anybody|anyone|real person|representative|member of staff|staff member|manager|"
    r"supervisor|advis[eo]r|consultant)\b"
    r"|\b(human|live|real) (agent|person|support)\b|"
    r"^(agent|human|operator|representative|staff)( please| pls)?$|\bagent please\b|\bconnect me\b|"
    rf"{_BARE_PERSON}|"
    rf"{_SURE_ASK}|"
    # "真人" unless the member asks whether the bot is one ("你是真人吗", "跟我聊天的是真人还是机器人")
    r"转人工|人工客服|人工服务|找人工|(?<!是)(?<!比)真人(?!还是|吗)|工作人员|客服人员|联系客服|我要人工|接人工|"
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
PLAIN_REQUEST = re.compile(
    r"^(/human|/agent)\b|转(一下|个|接|给)?人工|人工客服|找人工|我要人工|接人工|人工服务|"
    r"\b(talk|speak|chat) (to|with) (a |an )?(human|humna|huamn|hooman|person|agent|representative)\b|\bconnect me\b|"
    r"^(agent|human|operator|representative)( please| pls)?$|" + _BARE_PERSON + "|" + _SURE_ASK + "|" + _CONTACT_ME_ZH
)


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
    # a colleague going to an event instead of the member ("可以换个同事去参加活动吗")
    r"|换(个|成|一个)?(同事|别人|其他人)"
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
                      r"|已经.{0,12}通过电话|问题(都|已经|已)?解决了|已经帮(我|我们)(解决|处理|弄好|搞定)")
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
                       r"|不用(打电话|回电话?|联系)(给)?我|不需要(打电话|联系)|(无需|不必|不用)(来电|致电)"
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
    return bool(_SETTLED.search(norm) or _PAST_CALL.search(norm)) and not PLAIN_REQUEST.search(norm)


def not_asking_for_us(norm: str) -> bool:
    """People are named, or a person is declined, but no one of ours is asked for."""
    if _DECLINED.search(norm) or _NO_ONE_WANTED.search(norm):
        return True
    # "不用了，转人工" still asks
    settled = (_SETTLED.search(norm) or _PAST_CALL.search(norm)) and not PLAIN_REQUEST.search(norm)
    return bool(settled or (_OWN_PEOPLE.search(norm) and not ASK_HUMAN.search(norm)))
