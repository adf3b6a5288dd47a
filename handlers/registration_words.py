"""How members ask to register, answer the form's steps, and ask about their registrations (patterns only)."""

from __future__ import annotations

import re

# "Put me down", "帮我报上": asking to be booked, said the same way in a request (REGISTER) and as a wish.
# Booking for someone else is asking too: "please sign her up", "could you put his name down", "book it for him".
_WHOM = (r"(me|us|him|her|them|my name|our names|my (boss|director|colleague|manager)|(our|my) (team|company|staff)|"
         r"our (director|ceo|boss|md|managing director))")
_BOOK_ME = (rf"sign(ing)? {_WHOM}( and [\w ]{{1,25}}?)? up|"
            r"reg(ister)? (\d+|two|three|four|five) (people|persons?|pax|delegates|of us)|"
            r"lock (me|us|it) in|"
            r"get (me|us|our team|our company|my team) (onboarded|signed up|registered|booked) (to|for|on|onto)|"
            rf"register {_WHOM}|reg (me|us)|(^|(?<=pls )|(?<=please ))reg for|"
            rf"book {_WHOM}(?! (a|an) (call|meeting|appointment))|"
            r"book (it|that) for (me|us|him|her|them|my client)|wants? in on|"
            rf"reserve {_WHOM}|"
            rf"count (me|us|(both|all|two|three|four|five|\d+) of us) in|send (two|three|four|five|\d+) "
            r"(people|staff|delegates|colleagues|of us|of our team) (to|on|for)|"
            r"enter (me|us|my company|our company|our firm) for|"
            r"put [\w ]{1,20}? down for|put (me|us|my names?|our names?|his name|her name|their names) down|"
            r"add (me|us|our company|our team|my name|our names?) to|"
            r"(put|chuck|stick|pop|throw|get|add) (me|us|our company|my name|our names?) on the (list|attendee list)|"
            # "can a place be reserved for our company at the summit", "book 2 for the sumit"
            r"(can|could) (a |one |two |three |\d+ )?(place|seat|spot|ticket)s? be (reserved|booked|held|saved) for|"
            r"book (two|three|four|five|\d+) (people |seats |places )?for|"
            r"enrol(l)? (me|us)")
# "怎么报？", "如何报名" (never 报关, 报价, 报销: customs, quotes, expenses)
_HOW_ZH = r"(怎么|如何|怎样|咋)报(名|这个|那个|活动|团|啊|呀|呢|$|[？?])"
# 报 that is not signing up: 报价, 报销, 报关, 报税 (a quote, expenses, customs, tax)
_NOT_SIGNING_UP = r"(?!(个|一个|一下)?(价|销|关|税|案|警|表))"
# "替我们总经理报个名", "帮我book一下": booking for one's boss, or in English words, is asking too.
_BOOK_ME_ZH = (rf"(帮|给)(我|我们|他|她|他们|她们|伊)报{_NOT_SIGNING_UP}|帮忙报{_NOT_SIGNING_UP}"
               r"|把(我|我们|他|她)(也)?报|帮我 ?(book|register|sign ?up)"
               rf"|(替|帮|给)(我们)?(公司)?.{{0,4}}(老板|总经理|董事长|领导|经理|总|同事)报{_NOT_SIGNING_UP}"
               r"|(代|替|帮)(客户|朋友|同事|老板).{0,4}报名|(代(?!表)|替)(我的|我们的|我们)?.{1,6}报名"
               r"|算我一个|算上我|(给|帮)我(留|占|整|弄|搞)(个|一个)?.{0,12}(位置|位子|位|名额|座位)")
# "整一个名额呗", "来两个名额": taking places is asking for them, with or without "I want".
_TAKE_PLACES_ZH = r"(整|来|要|留|占|弄|搞|抢|订)(个|一个|两个|[0-9一二两三四五]个)名额"
# "我们公司想派两个同事去新西兰那个工作坊": sending people to an event is signing them up.
_SEND_PEOPLE_ZH = r"派(两|三|四|五|几|\d+)(个|名|位)?(人|同事|员工|代表).{0,4}(去|参加)"
REGISTER = re.compile(
    r"\b(register|registr\w*|regsiter|regist[ae]r|regster|sign[- ]?up|enrol|enroll|enrol(l)?ment|rsvp|"
    rf"book (me |us )?(a |an |my |our |\d+ |one |two |three )?(company |extra |more )?(seat|place|ticket|spot|slot)s?|"
    rf"{_BOOK_ME}|i'?ll take (one|a|two|three|\d+) (place|seat|ticket|spot)s?|(we'?re|i'?m) in for|"
    r"lock in (our|my) (company'?s )?(place|seat|spot)|"
    r"(like|want|need) (a |one |two |three |four |five |\d+ )?(more )?(seat|spot|place|ticket|pass)(es|s)?|"
    r"(reserve|save|hold|grab|get|secure) (me |us )?(a |my |our |\d+ |one |two |three |four )?"
    r"(seat|place|ticket|spot)s?"
    r"|how to sign)\b"
    rf"|报名|登记|预约|我要参加|我想参加|报一下|(报|抱)个名|报上|{_BOOK_ME_ZH}|我想去|我要去"
    r"|(怎么|如何|咋|想|要)买(门)?票|订.{0,8}(通行证|门票|位子|座位|名额)"
    # "怎么报活动", "峰会还能报吗": 报 alone, beside an event word or asking whether one still can (never 报销 or 报价)
    rf"|报(两|三|四|五|几|\d+)(个)?人|报(这个|那个|个)?(活动|团|代表团)|(能|可以)报(了)?吗|{_HOW_ZH}|(想|要)报(一个|个){_NOT_SIGNING_UP}"
    # "报波兰那一站", "这次来报了": 报 with the event pointed at, or come to sign up
    r"|报.{1,8}那(一站|一场|一期|个活动)|来报(了|名)|报(一个|1个)(?!价|销)|补报|还能报(不|吗|么|没)|(可以|能)报的"
    # "Is there still room for two of us on the Vietnam trip?", "还有名额吗": asking whether one can still come
    r"|\bis there (still )?(room|space) for (me|us|one|two|three|\d+|another|my|our)\b"
    # "Is there still a spot on the Saigon mission?", "How do I get myself onto the list for the workshop?"
    r"|\bis there (still )?(a |any )?(spot|place|seat)s?( left)? (on|at|for|in)\b"
    r"|\bget (myself|me|us|ourselves) (on|onto) the (list|attendee list|guest list)\b"
    r"|\bany (seats|places|spots) left\b|还有名额|还有位置"
    # "整一个名额", "要两个名额": taking places; "我要报中国这边的活动": 报 with an event word a few characters on
    rf"|{_TAKE_PLACES_ZH}|{_SEND_PEOPLE_ZH}"
    # "就报那个越南的", "报我一个"
    r"|(就|我)报(那个|这个)|报(我|我们)(一个|1个|两个|一下)?"
    # "我还想报", French English: "inscribe myself to the summit", "make the inscription for me"
    r"|(我|我们)(还|也)?(想|要)报(?!销|价|关|税|表|案|警)|\binscri(be|ption)\b"
    rf"|(想|要)报{_NOT_SIGNING_UP}.{{0,12}}(活动|展|会|团|周|论坛|培训|峰会|工作坊|之旅|站|场)"
)
# A person asked for in so many words ("我想找个人工帮我改报名信息"): the request for staff wins over the
# registration words in it, and staff get the question.
WANTS_PERSON = re.compile(r"找(个|一个)?(活人|真人|人工)|转人工|人工客服"
                          r"|\b(talk|speak) (to|with) (a )?(human|person|real person)"
                          r"|\b(a )?call with (a |an )?(real )?(adviser|advisor|person|human|consultant|expert)")
# "I want to attend the summit in September": attending is a registration only with a wish and an event described.
ATTEND = re.compile(r"\b(attend(ing)?|join(ing)?|come (along )?to|go to|take part in|participate (in|to)|get into|"
                    r"get (in )?on)\b|参加|出席")
# ... and not attending is no wish to: "不参加展会的话 你们能直接帮我们介绍韩国的进口商吗", "if we can't attend any
# fair, can you find us distributors?"
NOT_ATTENDING = re.compile(r"\b(can'?t|cannot|can not|won'?t|not|never|without|unable to) (be )?(attend(ing)?|"
                           r"go(ing)? to|come (along )?to|take part in|participate in|travel to)\b"
                           r"|(不|没法|没办法|不能|无法|不方便|没空|没时间)(去)?(参加|出席)|去不了")
# "How do I sign up for the Singapore summit?" asks to be signed up for it too.
_HOW_TO = (r"how (do|can|should) (i|we) (register|sign up|book|enrol) (for|to|at|on|in)\b|"
           r"how (does one|do i|can i|do we) (get|buy|book) (a |one )?(ticket|place|seat|spot)|"
           r"what do (i|we) need to do to (get on|join|register|sign up|attend)|"
           r"how (do|can) (i|we) (grab|get|book|reserve|secure) (a |one |two )?(spot|seat|place)|"
           r"how to (register|sign up|book) (for|to|at|on)\b|"
           r"how (do|can|could) (i|we) (attend|join|take part in|participate in)\b|"
           r"is it (still )?possible to|is there (still )?(room|space) for")
WANTS = re.compile(r"^(/register|register|sign me up|报名)$|\b(i want|i'd like|i would like|i wish|i desire|please|"
                   r"pls|kindly|"
                   r"can help (me|us)|help (me|us) (sign up|register|book)|how (i|we) (register|sign up|book)|"
                   r"^can (sign up|register|book|join)|request(ing)? (you to|registration)|may i|"
                   r"(can|could) (he|she|they|we|my \w+)|is there a way to (register|sign up|book|join|attend)|"
                   # a request put as a question: "Could you reserve a seat for me at ...", "can you sign us up"
                   r"(can|could|would|will) you (please |kindly )?(reserve|book|register|sign|hold|save|put|get|secure|"
                   r"enrol|enroll|add)|"
                   r"(what'?s|what is) the next step to|what do (i|we) need to do to|"
                   rf"{_BOOK_ME}|{_HOW_TO}|can i|could i|let me|want to|"
                   r"wants to|needs to)\b|我想|我要|帮我|给我|我们想|我们要|请"
                   rf"|(能|可以|能不能)(补)?报|{_HOW_ZH}|(怎么|如何|咋|在哪)买(门)?票|还有名额|还有位置|(在哪|哪儿|哪里)(儿)?(弄|报名?|办)")
# A wish that is not a question ("can I attend ...?" asks about the rules). A request said as a bare imperative
# ("报名五月在德国的活动", "register us for ...") is a wish too.
STRONG_WISH = re.compile(r"\b(i want|i'd like|i would like|i wish|i desire|please|pls|kindly|let me|wanna|we want|"
                         r"(he|she|they)'?d like to (register|sign up|attend|join)|"
                         r"(he|she) would like to (register|sign up)|want to (参加|attend|join|take part in)|"
                         # "we like to make registration", "want register the matchmaking", "we wish to register"
                         r"(we|i) like to (make (a )?registration|register|sign up|join)|"
                         r"(want|wants|wanna) (register|sign up|join|attend|book)|we wish to|can help (me|us)|"
                         # "our CEO wants to join", "we'd love to attend", "I'm interested in joining", "keen to come"
                         r"(wants|would love|'d love|hoping|keen|planning|intends?) to (join|attend|come|take part|"
                         r"participate|register|sign up|enrol|book|go)|"
                         r"(i'?m|we'?re|i am|we are) (keen|interested|eager) (on|in) (joining|attending|coming)|"
                         r"(should|would) (very much )?like to (enrol|enroll|register|sign up|attend|join)|"
                         r"request(ing)? (you to|registration)|"
                         r"i like to (join|attend|register|sign up)|"
                         rf"we'd like|{_BOOK_ME})\b|(^|[.!。] ?)(register|sign up|book|reserve|enrol) "
                         # telegram style: "would like to book places ...", "need seat export controls training"
                         r"|^(would|'d) like to|就报|报(我|我们)(一个|1个|两个)"
                         r"|^need (a |one |\d+ )?(seat|place|spot|ticket)s?\b"
                         rf"|^报名|^想|我想|我要|帮我|给我|我们想|我们要|想参加|想报|^求|求报|(拟|欲)(报名|参加)|{_TAKE_PLACES_ZH}"
                         # "申请报名…奥克兰工作坊", "墨西哥那个论坛！报名！快点！"
                         r"|申请(报名|参加)|(^|[，,。!！ ])报名([!！。]|$)"
                         # "能否为本公司登记三名人员", "是否可为本公司登记", "想让我和采购经理报名"
                         r"|(能否|可否|是否可以?|能不能|可不可以)(为|帮|给|替)(本公司|我司|我们|我)|想让.{0,12}报名"
                         rf"|{_SEND_PEOPLE_ZH}"
                         # a clause that starts with 报 is an imperative: "这次定下来了，报波兰那一站"
                         rf"|(^|[,，。 ] ?)报{_NOT_SIGNING_UP}(?!名费)|报名[,，。 ]*\d+ ?(人|位)"
                         rf"|(想|要).{{0,4}}报个?名|{_BOOK_ME_ZH}"
                         r"|(我|我们)(公司|这边|团队)(想|要)")
MY_REGS = re.compile(
    # "我在不在峰会名单上", "名单上有没有我"
    r"(我|我们|我司)(还)?在不在.{0,10}名单|名单(上|里)(有没有|有无)(我|我们)|"
    r"^/my$|\bmy (current |upcoming |existing )?(event )?(registrations?|regs|regos|bookings?|events|seats?|"
    r"sign[- ]?ups|upcoming events)\b|\bis my name on\b"
    r"|\bdid (my|our)( [\w-]+)? (sign[- ]?up|registration|regn|rego|booking) go (thru|through)\b"
    r"|\b(is|was) my (sign[- ]?up|registration|booking) (a )?(success|successful|ok|done|confirmed)"
    r"|\bmy (sign[- ]?up|registration|booking) (is|was) (a )?(success|successful|ok|done|confirmed)"
    r"|what (am i|have i) (registered|signed up)|\b(what|which)( events?)? did (i|we) (sign up|register|book|enrol)"
    r"|\b(am i|are we) (actually |really |already |still )?(registered|signed up|enrolled|booked|on the list|down for|"
    r"locked in)\b"
    r"|\bwhat (have i|have we|do i have|do we have) got booked\b"
    r"|\b(is (he|she)|are they|(he|she)'?s|they'?re) (actually |really )?(registered|signed up|enrolled|booked) "
    r"(for|on)\b"
    r"|\b(what|which) events? (am i|are we|is our company|is my company) (attending|going to|booked|registered|"
    r"signed up)|\b(we'?re|we are|i'?m|i am) on the (list|attendee list)\b"
    # "whether my name is existing on the list of participants", "did my signup for the vietnam trip go thru"
    r"|\b(my|our) (company'?s? )?names? (is |are )?(existing |present |included |listed )?(on|in) the (list|register|"
    r"roster)\b|\bdid (my|our) (sign[- ]?up|registration|regn|rego|booking)\b.{0,40}\bgo (thru|through)\b"
    r"|\bis (my|our) (place|seat|spot|regist\w*|booking|sign[- ]?up)\b.{0,40}\bconfirmed\b"
    r"|\bdid (you|u) (get|receive) (my|our) (sign[- ]?up|registration|booking)"
    r"|\bdid (my|our|the) (booking|registration|sign[- ]?up)\b.{0,40}\b(work|go through)\b"
    r"|\b(never got|didn'?t get|haven'?t (got|received)) (a |any |my |the )?confirmation\b"
    # "remind me what I've booked", "which PREC events have I enrolled in", "the event I signed up for", "do you have
    # me down for the HCMC trip?", "what's under my name", "my colleague registered me for something"
    r"|\b(what|which)( [\w-]+)?( events?)? (i'?ve|i have|have i|we'?ve|we have|have we|i'?m|i am|we'?re|we are|did i|"
    r"did we) (currently |already )?(booked|registered|enrolled|signed up|attending|going to|joined)"
    r"|\b(the|my) (event|one)s? (i'?m|i am|we'?re) attending|\b(the|my) (event|one)s? (i|we) (signed up for|booked|"
    r"registered for)|\bhave (me|us) down for\b|\bregistered (me|us) for\b"
    r"|\bdo (i|we) (still )?have (a |my |our )?(seat|place|spot|ticket|booking)s?\b"
    r"|\bis (my|our) (company'?s? )?name (already )?(in|on|down)\b|我(之前|以前|是不是)?有报名.{0,12}(吗|么|没)"
    # tickets, badges, passes and references: "is my ticket ok for the summit", "am I in for the HCMC trip",
    # "how many tickets do we hold", "where do I find my confirmation number", "any record of me"
    r"|\b(is|are) (my|our) (ticket|pass|badge|seat|place|booking|registration)s? (ok|okay|valid|still valid|fine|"
    r"confirmed|there)\b|\bam i in (for|on)\b|\b(do|does) (i|we|he|she) have (a |my |our )?(pass|ticket|badge)"
    r"|\bhow many (tickets|places|seats|badges|passes) do (we|i) (hold|have)\b"
    r"|\b(confirmation|booking) (number|reference|ref|code)\b|\b(any|a) record of (me|us|my|our)\b"
    r"|\bregistrations? (held )?under\b|\b(which|whose) (of our )?[\w ]{0,12}(have|hold) (badges|tickets|places|"
    r"passes)\b|(\b(is|are)|'s) on the (attendee )?list for\b|\bi'?ve got a (seat|place|ticket|spot) (at|for|on)\b"
    r"|\bwhat have (we|i) (actually )?(paid|been invoiced|"
    r"been charged) [\w ]{0,10}for\b|\bfees we'?ve committed\b"
    r"|门票还有效|(报名)?确认号|(付|交)(过)?(款|钱)的活动"
    r"|\b(confirm|check|make sure) (that )?(i'?m|i am|we'?re|we are) (actually )?(registered|booked|signed up)"
    r"|\bhave (i|we) (already )?(registered|signed up|booked)\b"
    # "do I have any upcoming registrations", "what events do I have coming up", "has a place been reserved under our
    # company name", "is our company registered for the summit", "am I attending anything", "which events did my
    # assistant register me for", "what's on my schedule with PREC"
    r"|\b(do|have) (i|we) (got |have )?(any )?(upcoming |current |future )?(registrations?|bookings?|reservations?|"
    r"sign[- ]?ups)\b|\b(what|which|any) events? (do|have) (i|we) (got|have)\b"
    r"|\b(has|have|was|were) (a |any |my |our )?(places?|seats?|spots?|tickets?|bookings?|registrations?) (been )?"
    r"(reserved|booked|made|held|secured)\b|\bunder (my|his|her|our|the) (company'?s? |firm'?s? )?name\b"
    r"|\bis (our|my) (company|firm|team|organi[sz]ation|business) (already )?(registered|signed up|booked|enrolled) "
    r"(for|on)\b|\b(am i|are we) (attending|booked (in|into|on))\b"
    r"|\bdid [\w ]{1,30}? (register|book|sign) (me|us)\b|\bon (my|our) (schedule|agenda)\b"
    # "reg status summit Sept?", "my reg for the Auckland workshop", "did I register for anything yet", "need booking
    # details HCMC mission", "我们报名额信息你查得到吗"
    r"|\breg(istration)? status\b|\bmy (reg|rego)\b|\b(i|we) have any (active |upcoming |current )?"
    r"(registrations?|bookings?)\b|已报名(的)?(活动|项目)"
    r"|\bdid (i|we) (register|sign up|book) for (anything|something)\b"
    r"|\b(booking|registration|reservation) details\b|(我|我们)(的)?报名(额|的)?(信息|资料|记录)"
    # "seats held under our acct", "held in the name of Lim Trading", "has any registration been recorded for our
    # firm", "how many spots do we currently have on the Vietnam trip", "anything on file for me", "did the auckland
    # thing go thru", "check I'm actually on it", "my name is really on the summit list", "my reservation"
    r"|\b(held|reserved|booked|registered) (under|in the name of) (our|my|the) (acct|account|company|firm|name)\b"
    r"|\bin the name of\b.{0,40}\b(held|reserved|booked|registered)\b|\b(held|reserved|booked) in the name of\b"
    r"|\b(registrations?|bookings?|reservations?) (been |was |were )?(recorded|made|logged|held|on file) (for|under)\b"
    r"|\bhow many (spots|seats|places|tickets|passes|badges) (do|did|have) (we|i) (got |currently |still |now )?"
    r"(have|hold|book|reserve|reserved|booked)\b|\b(do|have) (i|we) (have|got) (anything|something|any events?) "
    r"(booked|registered|reserved)\b|\b(anything|something) on file for (me|us)\b"
    r"|\bdid the [\w ]{1,30}? go (thru|through)\b"
    r"|\b(i'?m|i am|we'?re|we are) (actually |really )?on (it|the list)\b"
    r"|\b(my|our) (company'?s? )?names? (is|are) (really |actually |definitely )?on the [\w ]{0,20}?list\b"
    r"|\b(my|our) (current |upcoming |existing )?reservations?\b|\breg(istration)?,? confirmed( y/n)?\b"
    r"|我的报名|我报名了|我的活动|有没有报上|是不是报了|报名成功了吗|报上了吗|我的预约|我预约的|报名.{0,3}成功(没|了没|了吗|没有)"
    r"|我(之前|上次|刚才)?报(的|了)|报没报|我(的)?报名的?(详细)?(信息|详情|资料)|报上了没|报上没|报了没有|报名了没有|报过名|报名(情况|记录|纪录|状态)|参会情况"
    r"|我(今年|这次|接下来)?要参加(哪些|什么)活动|名单上有没有我|是不是已经在.{0,12}名单上"
    # "我司名下是否已有…登记记录", "以本公司名义预留的…席位共有几个", "咱占了几个位子"
    r"|名下.{0,12}(登记|报名|预约|预留|席位|名额)|(登记|预约|预留)记录|名义(预留|预订|登记|报名)的"
    r"|(占|订|报|留|预留)了几个(位子|名额|座位|席位|位置)|(席位|名额|位子)(共有|一共有|有)几个"
    r"|(我|我们)(这边|这里)?有几个(位|位子|名额|座位)"
    r"|有没有在.{0,10}名单(里|上)|提交的报名|报过的(活动)?|是不是(已经)?报过|报了名.{0,10}(核对|确认|查)"
)
# A booking already made, asked after: "did the Auckland workshop booking I made ever get confirmed", "which events
# is he booked on", "上次报的奥克兰工作坊现在是什么情况", "他的名额确认了没有". Said in so many ways that the two
# halves are read apart: something booked (by me or for someone) and a question about its state or a list.
_BOOKED = re.compile(
    r"\b(booked|reserved|regi?stere?d|signed up|enrolled|"
    r"remember (registering|signing up|booking)|entered for|down for|filled (in|out) the (form|registration)|"
    r"already register|submit(ted)? (the |a )?form|badges? (were )?issued|"
    r"(my|our|his|her|their) ([\w-]+ ){0,5}(bookings?|registrations?|enrol(l)?ments?|applications?|sign[- ]?ups?|"
    r"places?|seats?|spots?|tickets?|报名)|the ([\w-]+ ){0,3}booking|(that|this) booking"
    # "ok so about the registration... is it confirmed": never "confirm the registration procedure"
    r"|(about|regarding|re:?) the ([\w-]+ ){0,3}(registration|reservation))\b"
    r"|\b(my|our) (inscriptions?|inscri[cç][aã]o|inscripci[oó]n)\b"
    r"|\b(made|did|completed|submitted) (the|a|my|our) (reservation|booking|registration|inscription)\b"
    r"|我的 ?(registration|booking|reservation)|订的|订过|填(完|了)(表|报名表)|(此前|之前|先前|早前|已经)报名"
    r"|报了|报过|(?<![能以])报的|报着|已经报|有报(?!销|价|关|税)|已登记|报上|(我|我们)(那个|这个|们的)报名|(整|弄|搞|填)了(个|一个)?报名|(?<![能以])报名(了|之后|后|过|的)|提交了|登记了|预约了|(我|他|她|我们)(公司)?.{0,12}的(报名|名额|预约|门票|位子)|订了"
    r"|(register|registration|booking|sign ?up) ?(成功|确认)"
    # ("还能报名的活动有哪些" asks what is open: 报名的 after 能 or 可以 is no booking told)
    # "booked places for us", "报名编号PREC-27-1193", "这个报名还有效吗"
    r"|\bbooked (places|seats|spots|tickets)\b|报名编号|(这个|那个)报名"
)
_HOW_IT_STANDS = re.compile(
    r"\b(confirm(ed)?|went through|go through|gone through|(been )?received|status|standing|on the list|"
    r"do (we|i) still have|still (stands?|good)|"
    r"still (showing|valid|there|on)|pending|which|what events|what (i|we|he|she) (booked|registered|signed up)|"
    r"remind me|pull up|look up|check|double check|any record|(see|view|list|show) (all )?(the )?(events|ones|of them)|"
    r"go through|issued|it go through)\b"
    r"|确认|成功|搞定|状态|情况|哪些|哪几|哪两|还在不在|还在吗|记录|纪录|是不是|有没有|了没|没有收到|列出|所有|(还)?有效(吗|么|不)"
    r"|(弄|搞|办)好了?没|瞅(一眼|瞅|一下)|算数|作数|没下文|\bdetails\b|\by/n\b|\byes or no\b"
    r"|(什么|啥|嘛|哪些)活动|几个|看下|看一下|查一下|查下|报上.{0,20}了(吗|没|么)|\blist\b"
    r"|confirm|check|status|record"
)
# ... never the membership or a certificate: "the status of my membership application" is for the FAQ.
_NOT_BOOKINGS = re.compile(r"\b(membership|member|certificate|newsletter|password)\b|会员|会籍|证书|订阅|密码")


def asks_after_booking(norm: str) -> bool:
    return bool(_BOOKED.search(norm) and _HOW_IT_STANDS.search(norm) and not _NOT_BOOKINGS.search(norm))


# "Last month I booked the Auckland workshop, but ... so I need to cancel": a booking told first, then leaving it.
_MUST_LEAVE = re.compile(r"\b(need|have|want|would like|'d like|got) to (cancel|drop out|withdraw|pull out|back out)\b"
                         r"|\bhow (do|can) (i|we) cancel\b"
                         r"|(要|想|得|只能|必须)(取消|退出|撤)")


def leaves_booking(norm: str) -> bool:
    return bool(_BOOKED.search(norm) and _MUST_LEAVE.search(norm) and not _NOT_BOOKINGS.search(norm))


# "取消" alone is also cancelling a membership or the newsletter: only beside a request, and never before those.
_NOT_AN_EVENT = r"(?!.{0,4}(会员|会籍|订阅|月刊|邮件|newsletter))"
# Leaving something said in general words ("take us off", "pull out of") is leaving an event only when an event is
# named: the same words also leave the mailing list or the membership.
_EVENT_NOUN = (r"(event|mis?si?on|summ?it|workshop|trip|conference|expo|forum|week|delegation|webinar|seminar|fair|"
               r"matchmaking|training|course|(attendee|guest|participant) list)")
_EVENT_WORD = rf"[\w\- ]{{0,40}}?{_EVENT_NOUN}"
# Words of a booking itself, as the calendar's reading leaves them (stems, after synonyms): what else a booking
# request says is what it is about.
BOOKING_STEM = re.compile(r"^(regist|sign|signup|book|enrol|join|attend|particip|reserv|place|seat|spot|want|like|"
                          r"pleas|pls|kindli|put|add|报名|报|参加|参与|登记|预约|名额|想|帮|帮忙|一下)")
# Joining the association itself, in booking words ("sign my company up as a member", "register as a new member",
# "报名入会", "申请成为会员"): membership, not an event.
JOINING_US = re.compile(r"\b(sign(ing)?|regist\w*|enrol+\w*|apply(ing)?)\b.{0,30}\bas (an? )?(new |full |associate )?"
                        r"members?\b|\b(sign(ing)?|regist\w*|apply(ing)?) (up )?for (a )?membership\b|"
                        r"入会|成为(你们的)?会员|加入(你们|贵会|商会|协会|理事会|联盟)")
# Leaving the association ("不想续了，咋退会", "we want to cancel our membership", "不续会了"): membership, not a
# booking to cancel.
LEAVING_US = re.compile(r"\b(cancel\w*|end|terminate|quit|leave|leaving|not renew\w*|stop)\b.{0,20}\bmembership\b"
                        r"|\bmembership\b.{0,20}\b(cancel\w*|terminat\w*)\b|退会|退出(你们|贵会|商会|协会|理事会|联盟|会员)"
                        r"|不(想|打算|准备)?续(会|费|约|了)|(取消|终止|停止)(我们的|我的)?会(员|籍)")
# Someone else going on a booking ("can I go in his place on his registration?", "报名了去不了，能换同事去不"): a
# question about the rules for that, which the FAQ answers, not a booking or a look at one's own.
SOMEONE_ELSE_GOES = re.compile(
    r"\binstead of (me|him|her|us)\b|\bin (my|his|her|our) place\b|\btake (over )?(my|his|her) (place|spot|seat)\b"
    r"|\b(go|attend|come|take part|join)( \w+){0,3} instead\b"
    r"|\b(transfer|hand over|pass on) (my|his|her|our|the) (registration|ticket|place|seat|spot|booking)\b|\bsubstitut"
    r"|(代替|顶替)(我|他|她)(?!们)|替(我|他|她)(?!们)(去|参加)|换(个|成)?(同事|别人|其他人)(去|参加)?"
    r"|(名额|报名|参会人).{0,6}(换成|转给|让给)")
# The association's own registration as a legal body ("under which law is ESMC registered, and what's its registration
# number?", "你们的工商注册号"): not the member's bookings.
LEGAL_REGISTRATION = re.compile(
    r"\b(its|your|the (chamber|association|council|alliance|organi[sz]ation)'?s?|company|legal) registration "
    r"(number|no\b)|\bregistered (under|according to) (\w+ ){0,2}law\b"
    r"|\bregistered as an? (association|company|foundation|charity|non-?profit|ngo)\b"
    r"|(你们|贵会|商会|协会|联盟|理事会)(的)?(工商)?注册(号|地|信息)|(依|按|根据).{0,6}法.{0,4}注册")
# A word for an event of any kind, in either language ("the summit", "那个峰会", "这次活动").
EVENT_THING = re.compile(rf"\b{_EVENT_NOUN}s?\b|活动|峰会|展会|博览会|展览|会议|论坛|对接会|洽谈会|培训|课程|"
                         r"代表团|考察团|研讨会|工作坊|讲座|年会|沙龙|合作周|交流会")
CANCEL_REG = re.compile(
    r"\b(cancel|cancle|withdraw|drop out|unregister|deregister|取消)\b.*\b(registration|registr\w*|enrol(l)?ment|"
    r"booking|seat|place|"
    r"spot|attendance|it|reg|rego|regn)\b"
    r"|\b(can'?t|cannot|won'?t|shan'?t) make (it|[\w ]{1,30}?) (after all|any ?more)\b"
    r"|\bwithdraw(ing)? (my|our) (place|seat|spot|registration|booking)\b"
    r"|\bdrop (my|our|the) [\w ]{0,30}?(booking|registration|reg|place|seat)\b"
    r"|\btake (my|our) names? off\b|\b(unregister|deregister) (me|us)\b"
    rf"|\b(withdraw(ing)? ((me|us|him|her|them) )?from|take {_WHOM} off|pull(ing)? ((me|us) )?out of|back(ing)? out of|"
    r"drop(ping)? out of|"
    rf"drop (me|us) from|(remove|delete) (me|us|him|her|our company|my name|our names?) from)\b{_EVENT_WORD}"
    # "my boss say dont go Auckland workshop, can help me cancel or not"
    rf"|\b(help (me|us)|can you|can u|pls|please) cancel\b(?=.*\b{_EVENT_NOUN})"
    rf"|\b{_EVENT_NOUN}\b.*\b(help (me|us)|can you|can u|pls|please) cancel\b"
    r"|\b(registration|booking) ?(要|想|得)?取消"
    r"|取消报名|取消我的报名|退出活动|不去了|去不成|报名退(了|掉)|(把|将)(我的?)?名字(划掉|删掉|去掉|撤掉)|撤销报名|撤回报名|退掉.{0,10}(报名|名额)|报名取消|撤销.{0,12}报名"
    r"|退出.{0,8}(代表团|活动|峰会|论坛|对接会|展会|博览会|培训|研讨会|合作周)"
    r"|取消.{0,10}(代表团|活动|峰会|论坛|对接会|展会|博览会|培训|研讨会|合作周|工作坊)的?(报名|名额)"
    rf"|(帮我|帮忙|麻烦|请)取消{_NOT_AN_EVENT}|取消(一下|吧){_NOT_AN_EVENT}|取消参加|取消.{{0,3}}名额"
    r"|(报名|名额|预约|位子|门票)(要|想|得|给我|帮我)?(取消|退掉|退了)|(去|参加|来)不了"
    r"|(决定|打算)?不参加.{0,15}了|(想|要)撤(了|掉)|(报名|名额|位子|预约).{0,3}撤(了|掉|销|回)|参会名单.{0,3}(删|去掉|划掉)"
    r"|把我从.{0,10}(名单|活动|代表团|峰会|培训|工作坊|论坛)(里|中)?(删|去掉|划掉)"
    # the event first, the leaving after: "the same week as the Vietnam trip, so sadly I have to pull out",
    # "胡志明市代表团我们只能退出了", "9月新加坡那个会我退出"; "cannot go liao, help me cancel can?"
    rf"|\b{_EVENT_NOUN}s?\b.{{0,60}}\b(have|need|got|must) to (pull out|drop out|withdraw|back out|cancel)\b"
    r"|\b(can'?t|cannot|can not|unable to) go\b.{0,30}\bcancel\b"
    r"|\b(drop|remove|take|strike|cross) (my|our) names? (off|from|out of)\b"
    r"(?!.{0,30}(newsletter|mailing|members|directory|membership))"
    r"|(代表团|活动|峰会|论坛|对接会|展会|博览会|培训|研讨会|合作周|工作坊|那个会|这个会).{0,8}退出"
)
# A question about what cancelling means (money back, fees, what happens if) is for the FAQ: the registration
# intents claim only what they can act on.
_MONEY = (r"\b(refund|refunds|refunded|money back|reimburs\w*|fee|fees|charge|charged|penalty|policy)\b|退款|退钱|退费|"
          # "能退" asks for money back, "只能退出" leaves ("退出" is leaving, never money)
          r"退票|退还|退回|返还|能退(?!出)|可以退(?!出)|可退(?!出)|怎么退(?!出)|退吗|退不退|拿回|要回|报名费|参会费|费用|扣费|政策")
POLICY = re.compile(rf"{_MONEY}|\b(if i|if we|what happens)\b|如果|的话")
# Asking after one's bookings is held back by money words only: "can't remember if I signed up" asks for the list.
MONEY = re.compile(_MONEY)
ABANDON = re.compile(r"^(/cancel|cancel|stop|quit|abort|exit|never ?mind|forget it|取消|算了|不报了|退出|停止)$")
YES = re.compile(r"^(/yes|yes|y|yep|yeah|ok|okay|sure|correct|right|confirm|confirmed|that's right|looks good|"
                 r"是|是的|对|对的|好|好的|确认|没错|正确|可以|行)$")
NO = re.compile(r"^(/no|no|n|nope|not quite|wrong|change|否|不|不是|不对|错了|修改)$")
FIELD_WORDS = {
    "name": r"name|full name|姓名|名字",
    "company": r"company|organi[sz]ation|employer|firm|公司|单位|机构",
    "email": r"e-?mail|email address|mail|邮箱|电子邮件|邮件",
}
_FIELD_ALT = "|".join(f"(?P<{k}>{v})" for k, v in FIELD_WORDS.items())
# "my email is actually x@y.com", "不对，我的邮箱是 x@y.com", "no, change the company to Lee Trading": the value kept
# as typed, whatever the member said first.
_LEAD = r"(?:(?:no|nope|wrong|sorry|actually|oops|不对|不是|错了|不)[\s,，.。!！]*)*"
CORRECTION = re.compile(
    rf"^{_LEAD}(?:(?:please\s+)?(?:change|update|correct|set|修改|更改|改)\s*(?:the\s+|my\s+)?)?(?:my\s+|我的)?"
    rf"(?:{_FIELD_ALT})\s*(?:is actually|should be|is|to|into|:|：|应该是|改为|改成|为|成|是)\s*(?P<value>.+)$",
    re.IGNORECASE,
)
CHANGE = re.compile(rf"(?:change|edit|fix|update|correct|修改|更改|改一下|改)\s*(?:the\s+|my\s+)?(?:{_FIELD_ALT})")
QUESTION = re.compile(r"[?？]|^(what|when|where|who|why|how|is|are|do|does|can|could|will|which|should)\b"
                      r"|吗$|什么|怎么|哪|多少|为什么|几点"
                      # "你们能开邀请函不": a modal verb's yes-or-no question closed by 不 or 没
                      r"|(能|可以|会|有|要)[^，。,!！]{1,12}(不|没|么)$")
# The buttons registration offers: "/register ID", "/cancelreg N", "/change name", "/yes" ...
PAYLOAD = re.compile(r"^/(register|cancelreg|reuse|newdetails|change|yes|no)(?: ([a-z0-9-]+))?$")

STEPS = ("name", "company", "email")


def field_named(norm: str) -> str | None:
    """The form field a message names ("change my email" -> "email")."""
    for fld, words in FIELD_WORDS.items():
        if re.search(words, norm):
            return fld
    return None

# A question about one of several things shown ("那新加坡的呢", "what about the Singapore one?"), not a choice of one.
ASKS_ABOUT = re.compile(r"呢[?？]*$|^(what|how) about\b")
