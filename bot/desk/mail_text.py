"""The words of the emails to members, in English and Chinese (full-width punctuation in Chinese)."""

from __future__ import annotations

from bot.messages import Lang

TEXTS: dict[str, dict[Lang, str]] = {
    "subject_confirmed": {"en": "Registration confirmed: {title}", "zh": "报名成功：{title}"},
    "subject_waitlisted": {"en": "You're on the waitlist: {title}", "zh": "已进入候补名单：{title}"},
    "subject_hold": {"en": "Please confirm your registration: {title}", "zh": "请确认您的报名：{title}"},
    "subject_promoted": {"en": "A seat is yours: {title}", "zh": "候补成功，名额已确认：{title}"},
    "subject_cancelled": {"en": "Registration cancelled: {title}", "zh": "报名已取消：{title}"},
    "subject_lapsed": {"en": "Your held seat was released: {title}", "zh": "您保留的名额已释放：{title}"},
    "subject_duplicate": {"en": "About your registration: {title}", "zh": "关于您的报名：{title}"},
    "greeting": {"en": "Dear {name},", "zh": "{name}，您好："},
    "lead_confirmed": {"en": "You are registered for {title}. We look forward to seeing you.",
                       "zh": "您已成功报名{title}，期待您的光临。"},
    "lead_waitlisted": {"en": "{title} is fully booked, so you are on the waitlist at position {position}. "
                              "If a seat frees up, it is yours and we will write to you.",
                        "zh": "{title}名额已满，您已进入候补名单第{position}位。如有空位，名额将自动分配给您，"
                              "我们会另行通知。"},
    "lead_hold": {"en": "We are holding {what} for you at {title} until {until}. Please confirm your registration "
                        "by following this link before then; otherwise it is released for someone else:",
                  "zh": "我们为您保留了{title}的{what}，保留至{until}。请在此之前点击以下链接确认报名，"
                        "逾期名额将让给他人："},
    "what_seat": {"en": "a seat", "zh": "名额"},
    "what_place": {"en": "your place on the waitlist (position {position})", "zh": "候补名单第{position}位"},
    "lead_promoted": {"en": "Good news: a seat has opened up at {title}, and your registration is now confirmed.",
                      "zh": "好消息：{title}有了空位，您的报名现已确认。"},
    "lead_cancelled": {"en": "Your registration for {title} is cancelled. The attached file removes the event from "
                             "your calendar.",
                       "zh": "您的{title}报名已取消。附件中的日历文件可将该活动从您的日历中移除。"},
    "lead_lapsed": {"en": "Your registration for {title} was not confirmed in time, so the seat held for you has "
                          "been released. You are welcome to register again.",
                    "zh": "您的{title}报名未在规定时间内确认，为您保留的名额已释放。欢迎重新报名。"},
    "lead_duplicate": {"en": "Someone asked to register this email address for {title} in another chat. Nothing "
                             "has changed: your registration below stands. If that was you, there is nothing to do.",
                       "zh": "有人在另一个对话中用此邮箱报名{title}。您的报名没有任何变化，仍然有效。"
                             "如果是您本人操作，无需处理。"},
    "label_number": {"en": "Registration", "zh": "报名编号"},
    "label_status": {"en": "Status", "zh": "状态"},
    "label_name": {"en": "Name", "zh": "姓名"},
    "label_company": {"en": "Company", "zh": "公司"},
    "label_email": {"en": "Email", "zh": "邮箱"},
    "label_when": {"en": "When", "zh": "时间"},
    "label_where": {"en": "Where", "zh": "地点"},
    "status_confirmed": {"en": "confirmed", "zh": "已确认"},
    "status_waitlisted": {"en": "waitlisted", "zh": "候补中"},
    "status_held": {"en": "held until confirmed by email", "zh": "名额保留中，待邮件确认"},
    "status_cancelled": {"en": "cancelled", "zh": "已取消"},
    "confirm_link": {"en": "Confirm my registration: {url}", "zh": "确认报名：{url}"},
    "cancel_link": {"en": "Not you? Cancel this registration: {url}", "zh": "不是您本人？取消此报名：{url}"},
    "calendar_note": {"en": "The event is attached as a calendar file (.ics).",
                      "zh": "活动已作为日历文件（.ics）附上。"},
    "footer": {"en": "GASME, the Global Alliance of SMEs. This email was sent because this address was given in a "
                     "registration with our assistant.",
               "zh": "GASME全球中小企业联盟。您收到此邮件，是因为有人在我们的助手中用此邮箱报名。"},
}


def mt(key: str, lang: Lang, **values: object) -> str:
    return TEXTS[key][lang].format(**values)
