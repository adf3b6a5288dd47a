"""Every phrase the bot says in its own words, in every language, in one place.

Answers and event texts come from the knowledge files; what is here is the bot's own voice. `t(key, lang, **kw)`
formats a phrase; a missing language falls back to English, a missing key is a programming error (KeyError), and
a test checks that every phrase has every language.
"""

from __future__ import annotations

from bot.i18n.registration import REGISTRATION
from bot.messages import Lang

PHRASES: dict[str, dict[Lang, str]] = REGISTRATION | {
    # small talk and help
    "help": {
        "en": "I'm the GASME member assistant. I can:\n"
        "• answer questions about GASME (try \"What is GASME?\")\n"
        "• show upcoming events (\"what's coming up?\", \"events in Germany\", \"next month\")\n"
        "• give event details and a calendar file (\"when is the Global SME Expo?\")\n"
        "• pass your question to our staff (\"talk to a person\")\n"
        "我也能说中文：输入“中文”。",
        "zh": "我是GASME会员助手，可以：\n"
        "• 回答关于GASME的问题（例如“GASME是什么？”）\n"
        "• 查看即将举行的活动（“近期有什么活动？”、“德国的活动”、“下个月”）\n"
        "• 提供活动详情和日历文件（“全球中小企业博览会什么时候举行？”）\n"
        "• 把您的问题转给工作人员（“转人工”）\n"
        "For English, type \"English\".",
    },
    "greeting": {
        "en": "Hello! How can I help you today? Ask me about GASME or its events, or type help.",
        "zh": "您好！有什么可以帮您？可以问我关于GASME或活动的问题，或输入“帮助”。",
    },
    "thanks": {
        "en": "You're welcome! Anything else I can help with?",
        "zh": "不客气！还有什么可以帮您的吗？",
    },
    "sorry": {
        "en": "No problem at all! Anything else I can help with?",
        "zh": "没关系！还有什么可以帮您的吗？",
    },
    "bye": {
        "en": "Goodbye, and thank you for being part of GASME!",
        "zh": "再见，感谢您对GASME的支持！",
    },
    "empty": {
        "en": "Your message arrived empty. Ask me about GASME or its events, or type help.",
        "zh": "您的消息是空的。可以问我关于GASME或活动的问题，或输入“帮助”。",
    },
    "no_words": {
        "en": "🙂 I read text best. Ask me about GASME or its events, or type help.",
        "zh": "🙂 我更擅长读文字。可以问我关于GASME或活动的问题，或输入“帮助”。",
    },
    "long_message": {
        "en": "That is a long message, so I read its beginning.",
        "zh": "您的消息很长，我阅读了开头部分。",
    },
    # language
    "lang_set": {"en": "OK, I'll answer in English from now on.", "zh": "好的，之后我会用中文回答。"},
    "lang_usage": {
        "en": "To change language, type /lang en (English) or /lang zh (中文).",
        "zh": "切换语言：输入 /lang zh（中文）或 /lang en（English）。",
    },
    # FAQ
    "did_you_mean": {
        "en": "I'm not sure I understood. Did you mean one of these?",
        "zh": "我不太确定您的意思。您是想问以下哪个问题？",
    },
    "did_you_mean_this": {
        "en": "I'm not sure I understood. Did you mean this?",
        "zh": "我不太确定您的意思。您是想问这个问题吗？",
    },
    "also_asked": {
        "en": "If you were asking about something else, is it one of these?",
        "zh": "如果您问的是别的问题，是以下哪一个吗？",
    },
    "dont_know": {
        "en": "Sorry, I don't know the answer to that, and I'd rather not guess. "
        "Would you like me to pass your question to our staff?",
        "zh": "抱歉，这个问题我不知道答案，也不想乱猜。需要我把您的问题转给工作人员吗？",
    },
    "btn_staff": {"en": "Ask our staff", "zh": "转人工"},
    "btn_helpful": {"en": "Helpful", "zh": "有帮助"},
    "btn_not_helpful": {"en": "Not helpful", "zh": "没帮助"},
    "feedback_thanks": {"en": "Thank you for telling us!", "zh": "谢谢您的反馈！"},
    "feedback_sorry": {
        "en": "Sorry that did not help. Would you like me to pass your question to our staff?",
        "zh": "抱歉没能帮到您。需要我把您的问题转给工作人员吗？",
    },
    "btn_events": {"en": "Upcoming events", "zh": "近期活动"},
    "btn_help": {"en": "Help", "zh": "帮助"},
    # events
    "events_upcoming": {"en": "Upcoming events:", "zh": "即将举行的活动："},
    "answer_other_language": {"en": "(This answer is only available in Chinese.)",
                              "zh": "（此答案暂时只有英文版本。）"},
    "handoff_offer_intent": {"en": "Shall I pass this to our staff? A colleague will reply here.",
                             "zh": "需要我把这个转给我们的工作人员吗？同事会在这里回复您。"},
    "btn_yes_staff": {"en": "Yes, please", "zh": "好的，转人工"},
    "btn_no_thanks": {"en": "No, thanks", "zh": "不用了"},
    "events_more": {"en": "…and {count} more.", "zh": "……还有{count}场活动。"},
    "btn_events_all": {"en": "Show all {count}", "zh": "显示全部{count}场"},
    "events_filtered": {"en": "Upcoming events {filters}:", "zh": "{filters}即将举行的活动："},
    "events_none": {
        "en": "There are no upcoming events {filters} in our calendar.",
        "zh": "日历中没有{filters}即将举行的活动。",
    },
    "events_online": {"en": "Upcoming online events:", "zh": "即将举行的线上活动："},
    # a type of event asked for ("有啥展会", "any trade fairs in Japan?"); {kind} as event_resolver.kind_label says it;
    # {filters} the place and time, with its leading space in English
    "events_of_kind": {"en": "Upcoming {kind}s{filters}:", "zh": "{filters}即将举行的{kind}："},
    "events_none_of_kind": {"en": "There are no upcoming {kind}s{filters} in our calendar.",
                            "zh": "日历中没有{filters}即将举行的{kind}。"},
    "events_none_online": {
        "en": "There are no online events in our calendar: our events are held in person.",
        "zh": "日历中没有线上活动，我们的活动都在线下举行。",
    },
    "events_none_at_all": {
        "en": "There are no upcoming events in our calendar right now.",
        "zh": "日历中暂时没有即将举行的活动。",
    },
    "events_none_hint": {
        "en": "Ask \"what's coming up?\" to see the whole calendar.",
        "zh": "输入“近期活动”查看完整日历。",
    },
    "events_matching": {"en": "These events match:", "zh": "以下活动符合您的问题："},
    "event_over": {
        "en": "{title} has already taken place ({date}).",
        "zh": "{title}已于{date}举行，活动已结束。",
    },
    "event_more_upcoming": {
        "en": "Type \"what's coming up?\" to see upcoming events.",
        "zh": "输入“近期活动”查看即将举行的活动。",
    },
    "filter_in_place": {"en": "in {place}", "zh": "{place}"},
    "filter_outside_place": {"en": "outside {place}", "zh": "{place}以外"},
    "filter_in_period": {"en": "in {period}", "zh": "{period}"},
    "label_when": {"en": "When", "zh": "时间"},
    "label_where": {"en": "Where", "zh": "地点"},
    "label_seats": {"en": "Seats", "zh": "名额"},
    "label_reg_closes": {"en": "Registration closes", "zh": "报名截止"},
    "label_local_time": {"en": "local time", "zh": "当地时间"},
    # follow-ups about the event in view (handlers/followup.py)
    "fu_place": {"en": "{title} takes place at {where}.", "zh": "{title}的举办地点：{where}。"},
    "fu_taken_as": {"en": "Taking your question to be about \u201c{question}\u201d:",
                    "zh": "我理解您问的是\u201c{question}\u201d："},
    "fu_place_online": {"en": "{title} is held online.", "zh": "{title}在线上举行。"},
    "fu_place_unknown": {"en": "Our calendar does not give a venue for {title} yet; our staff can tell you more.",
                         "zh": "日历中暂未公布{title}的举办地点，工作人员可以为您进一步说明。"},
    "fu_time": {"en": "{title}: {when}.", "zh": "{title}的时间：{when}。"},
    "fu_access": {
        "en": "{title} is at {where}. I don't have details on parking, transport or hotels for it; "
        "our staff can help with those.",
        "zh": "{title}在{where}举行。关于停车、交通或住宿，我这里没有具体信息，工作人员可以为您解答。",
    },
    "fu_deadline": {
        "en": "Registration for {title} closes on {date}.",
        "zh": "{title}的报名截止时间：{date}。",
    },
    "fu_deadline_start": {
        "en": "You can register for {title} until it starts ({date}).",
        "zh": "{title}在活动开始前（{date}）都可以报名。",
    },
    "fu_no_price": {
        "en": "The price for {title} isn't in my information; our staff can tell you.",
        "zh": "我这里没有{title}的费用信息，工作人员可以告诉您。",
    },
    "btn_details": {"en": "Details: {title}", "zh": "详情：{title}"},
    "btn_ics": {"en": "Add to calendar", "zh": "加入日历"},
    "ics_here": {
        "en": "Here is the calendar file for {title}. Open it to add the event to your calendar.",
        "zh": "这是{title}的日历文件，打开即可加入您的日历。",
    },
    "ics_which": {
        "en": "Which event would you like a calendar file for?",
        "zh": "您需要哪个活动的日历文件？",
    },
    # periods
    "period_month": {"en": "{month} {year}", "zh": "{year}年{month_num}月"},
    "period_next_month": {"en": "next month", "zh": "下个月"},
    "period_this_month": {"en": "this month", "zh": "本月"},
    "period_this_year": {"en": "{year}", "zh": "{year}年"},
    "period_next_week": {"en": "next week", "zh": "下周"},
    "period_weeks_on": {"en": "in {n} weeks", "zh": "{n}周后"},
    "period_year_end": {"en": "before the end of the year", "zh": "年底前"},
    "period_this_week": {"en": "this week", "zh": "本周"},
    # Spans of months; the English ones follow "in" ("Upcoming events in the months before May 2027").
    "period_before": {"en": "the months before {month} {year}", "zh": "{year}年{month_num}月之前"},
    "period_until": {"en": "the months up to and including {month} {year}", "zh": "{year}年{month_num}月底之前"},
    "period_after": {"en": "the months after {month} {year}", "zh": "{year}年{month_num}月之后"},
    "period_from": {"en": "{month} {year} and after", "zh": "{year}年{month_num}月起"},
    "period_months": {"en": "{month} {year} to {month2} {year2}",
                      "zh": "{year}年{month_num}月至{year2}年{month2_num}月"},
    "period_half1": {"en": "the first half of {year}", "zh": "{year}年上半年"},
    "period_half2": {"en": "the second half of {year}", "zh": "{year}年下半年"},
    "period_quarter": {"en": "Q{quarter} {year}", "zh": "{year}年第{quarter}季度"},
    "period_season": {"en": "{season} {year}", "zh": "{year}年{season_zh}"},
    # hand-off
    "handoff_opened": {
        "en": "I've passed this to our staff. A person will reply to you here in this chat.",
        "zh": "我已将您的问题转给工作人员，他们会在这里回复您。",
    },
    "handoff_open_now": {
        "en": "Our staff are in the office now, so expect an answer soon.",
        "zh": "工作人员目前在办公时间内，很快会回复您。",
    },
    "handoff_closed_now": {
        "en": "Our office is closed right now; staff are back {when} ({tz} time) and will answer you then.",
        "zh": "现在是非办公时间，工作人员将于{when}（{tz}时间）上班后回复您。",
    },
    "handoff_accept_offer": {
        "en": "I still can't answer that. Shall I pass your question to a person? (yes/no)",
        "zh": "这个问题我还是无法回答。需要我转给工作人员吗？（是/否）",
    },
    "handoff_declined": {
        "en": "OK. Ask me something else, or type /human at any time to reach a person.",
        "zh": "好的。您可以继续提问，或随时输入“转人工”联系工作人员。",
    },
    "handoff_already": {
        "en": "Your question is with our staff; I've added this message to it. A person will reply here.",
        "zh": "您的问题已在工作人员处理中，我已把这条消息补充进去。工作人员会在这里回复您。",
    },
    "handoff_ask_question": {
        "en": "Of course. What would you like to ask our staff? Type your question and I'll pass it on.",
        "zh": "好的。您想问工作人员什么问题？请输入您的问题，我会转给他们。",
    },
    "handoff_back": {
        "en": "You're back with the bot. Ask me anything about GASME or its events.",
        "zh": "已回到机器人服务。可以继续问我关于GASME或活动的问题。",
    },
    "handoff_resolved": {
        "en": "Our staff have closed your question. I'm here again if you need anything.",
        "zh": "工作人员已处理完您的问题。如有需要，我随时为您服务。",
    },
    "staff_reply": {"en": "Staff: {text}", "zh": "工作人员：{text}"},
    # reminders (queued by the worker, delivered through the outbox)
    "reminder": {
        "en": "Reminder: {title} starts {in_time}.\nWhen: {when}\nWhere: {where}",
        "zh": "提醒：{title}将于{in_time}开始。\n时间：{when}\n地点：{where}",
    },
    "reminder_in_days": {"en": "in {n} days", "zh": "{n}天后"},
    "reminder_tomorrow": {"en": "tomorrow", "zh": "明天"},
    "reminder_in_hours": {"en": "in {n} hours", "zh": "{n}小时后"},
    "reminder_calendar_link": {"en": "Add to your calendar: {url}", "zh": "加入日历：{url}"},
    "reminder_cancel_hint": {
        "en": "Can't come? Send /cancelreg {id} to cancel and free your seat.",
        "zh": "无法参加？发送 /cancelreg {id} 取消报名，把名额让给他人。",
    },
    "btn_cant_come": {"en": "Can't come? Cancel", "zh": "无法参加？取消报名"},
    "reminder_waitlist": {
        "en": "{title} starts tomorrow. You are still on the waitlist (position {position}); we will tell you at "
        "once if a seat frees up.",
        "zh": "{title}明天开始。您仍在候补名单上（第{position}位）；一有空位我们会立即通知您。",
    },
    # preferences and opt-out
    "prefs_settings": {
        "en": "Your settings:\n• Announcements: {announcements}\n• Event reminders: {reminders}\n"
        "• Language: English",
        "zh": "您的设置：\n• 通知公告：{announcements}\n• 活动提醒：{reminders}\n• 语言：中文",
    },
    "prefs_on": {"en": "on", "zh": "开启"},
    "prefs_off": {"en": "off", "zh": "关闭"},
    "prefs_stop_confirm": {
        "en": "Stop announcements from GASME? Reminders for events you registered for will still come.",
        "zh": "要停止接收GASME的通知公告吗？您已报名活动的提醒仍会照常发送。",
    },
    "prefs_stopped": {
        "en": "Done: no more announcements. Type \"subscribe\" any time to get them again.",
        "zh": "好的，已停止发送通知公告。随时输入“订阅”即可重新接收。",
    },
    "prefs_reminders_stopped": {
        "en": "Done: no more event reminders either. Type \"subscribe\" to turn everything back on.",
        "zh": "好的，活动提醒也已停止。输入“订阅”即可全部恢复。",
    },
    "prefs_kept": {"en": "OK, nothing changed.", "zh": "好的，设置未更改。"},
    "prefs_subscribed": {
        "en": "You will get announcements and event reminders again.",
        "zh": "您将重新接收通知公告和活动提醒。",
    },
    "btn_stop_announcements": {"en": "Yes, stop announcements", "zh": "是，停止通知公告"},
    "btn_stop_reminders": {"en": "Stop reminders too", "zh": "活动提醒也停止"},
    "btn_keep_settings": {"en": "No, keep them", "zh": "不，保持不变"},
    "btn_subscribe": {"en": "Turn announcements on", "zh": "开启通知公告"},
    "btn_unsubscribe": {"en": "Turn announcements off", "zh": "关闭通知公告"},
    # a member's own data
    "data_summary": {
        "en": "What we keep about you: {registrations} registration(s), {tickets} conversation(s) with staff, "
        "{messages} message(s) in the transcript. The full record is in the attached file.",
        "zh": "我们保存的您的信息：{registrations}条报名记录，{tickets}次人工客服对话，{messages}条聊天记录。"
        "完整内容见附件。",
    },
    "data_link": {"en": "Download it here: {url}", "zh": "下载链接：{url}"},
    "data_forget_confirm": {
        "en": "Delete your data? This erases your name, company, email, our conversation and your settings. "
        "Your seats at upcoming events will be released. This cannot be undone.",
        "zh": "确定删除您的数据吗？这将清除您的姓名、公司、邮箱、聊天记录和设置，并释放您在即将举行活动中的名额。"
        "此操作无法撤销。",
    },
    "btn_forget_yes": {"en": "Yes, delete my data", "zh": "确定删除"},
    "btn_forget_no": {"en": "No, keep it", "zh": "不删除"},
    "data_forgotten": {
        "en": "Your data has been deleted. If you write again, we start from scratch.",
        "zh": "您的数据已删除。如果您再次发消息，我们会重新开始。",
    },
    "forgotten_note": {
        "en": "The member asked us to delete their data. Their details, transcript and settings are erased "
        "and this ticket is closed; they can no longer be reached here.",
        "zh": "该会员要求删除其数据。其个人信息、聊天记录和设置已清除，此工单已关闭，无法再通过此处联系该会员。",
    },
    "data_forget_kept": {"en": "OK, nothing was deleted.", "zh": "好的，没有删除任何内容。"},
    "error": {
        "en": "Sorry, something went wrong on my side. Please try again in a moment.",
        "zh": "抱歉，系统出了点问题，请稍后再试。",
    },
    "text_only": {
        "en": "🙂 I read text best. Please type your question about GASME or its events, or type help.",
        "zh": "🙂 我更擅长读文字。请用文字输入您关于GASME或活动的问题，或输入“帮助”。",
    },
    "ticket_cap": {
        "en": "Our staff already have several questions from you (or from your network) this hour. Your message is "
              "saved; they can take a new question in about {minutes} minutes.",
        "zh": "这一小时内工作人员已收到您（或您所在网络）的多个问题。您的消息已保存；"
              "大约{minutes}分钟后可以再提交新问题。",
    },
}

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
WEEKDAYS: dict[Lang, tuple[str, ...]] = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def t(key: str, lang: Lang, **kwargs: object) -> str:
    """The phrase `key` in `lang` (English where a translation is missing), formatted with `kwargs`."""
    forms = PHRASES[key]
    return (forms.get(lang) or forms["en"]).format(**kwargs)
