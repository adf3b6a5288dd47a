"""The bot's own phrases about registering for events: the form, seats and the waitlist, the member's list and
cancelling. Part of bot.i18n's PHRASES, kept apart for their number."""

from __future__ import annotations

from bot.messages import Lang

REGISTRATION: dict[str, dict[Lang, str]] = {
    # registration
    "reg_which_event": {"en": "Which event would you like to register for?", "zh": "您想报名参加哪个活动？"},
    "reg_no_match": {
        "en": "I couldn't find an event by that name that is open for registration. These are open:",
        "zh": "没有找到可以报名的同名活动。目前开放报名的活动有：",
    },
    "reg_none_open": {"en": "No events are open for registration right now.", "zh": "目前没有开放报名的活动。"},
    "reg_open_instead": {"en": "These are open for registration:", "zh": "目前开放报名的活动有："},
    "reg_none_described": {
        "en": "There is no {what} {filters} in our calendar.",
        "zh": "日历中没有{filters}的{what}。",
    },
    "reg_none_of_kind": {"en": "There is no {what} in our calendar.", "zh": "日历中没有{what}。"},
    "reg_past": {
        "en": "{title} has already started or taken place, so registration is closed.",
        "zh": "{title}已经开始或结束，无法报名。",
    },
    "reg_closed": {"en": "Registration for {title} closed on {date}.", "zh": "{title}的报名已于{date}截止。"},
    "reg_already": {
        "en": "You are already registered for {title} (registration #{id}, {status}).",
        "zh": "您已经报名了{title}（报名编号#{id}，{status}）。",
    },
    "reg_start": {"en": "Let's register you for {title} ({dates}).", "zh": "现在为您报名{title}（{dates}）。"},
    "reg_ask_name": {"en": "What is your full name?", "zh": "请输入您的姓名。"},
    "reg_ask_company": {"en": "Which company or organisation do you represent?", "zh": "请问您代表哪家公司或机构？"},
    "reg_ask_email": {
        "en": "What email address should we use for your registration?",
        "zh": "请输入用于报名的电子邮箱。",
    },
    "reg_reuse": {
        "en": "Shall I use the details from your last registration?\nName: {name}\nCompany: {company}\nEmail: {email}",
        "zh": "是否使用您上次报名的信息？\n姓名：{name}\n公司：{company}\n邮箱：{email}",
    },
    "btn_reuse_yes": {"en": "Yes, use these", "zh": "是，使用这些信息"},
    "btn_reuse_no": {"en": "Enter new details", "zh": "填写新信息"},
    "reg_summary": {
        "en": "Please check your registration for {title}:\nName: {name}\nCompany: {company}\nEmail: {email}\n"
        "Is this correct?",
        "zh": "请核对您的{title}报名信息：\n姓名：{name}\n公司：{company}\n邮箱：{email}\n信息是否正确？",
    },
    "btn_confirm": {"en": "Confirm", "zh": "确认"},
    "btn_change": {"en": "Change something", "zh": "修改信息"},
    "btn_cancel_form": {"en": "Cancel", "zh": "取消"},
    "btn_field_name": {"en": "Name", "zh": "姓名"},
    "btn_field_company": {"en": "Company", "zh": "公司"},
    "btn_field_email": {"en": "Email", "zh": "邮箱"},
    "reg_bad_name": {
        "en": "That doesn't look like a name. Please type your full name (up to 100 characters).",
        "zh": "这看起来不像姓名。请输入您的姓名（不超过100个字符）。",
    },
    "reg_bad_company": {
        "en": "Please type the name of your company or organisation (up to 200 characters).",
        "zh": "请输入公司或机构名称（不超过200个字符）。",
    },
    "reg_bad_email": {
        "en": "That email address doesn't look right: {reason} Please type it again, e.g. name@company.com.",
        "zh": "邮箱地址格式不正确：{reason} 请重新输入，例如 name@company.com。",
    },
    "reg_which_field": {"en": "What would you like to change?", "zh": "您想修改哪一项？"},
    "reg_form_cancelled": {
        "en": "OK, I've cancelled the registration form. Nothing was registered.",
        "zh": "好的，已取消本次报名，没有提交任何信息。",
    },
    "reg_confirmed": {
        "en": "You're registered for {title}!\n"
        "What happens next: our staff will write to {email} with the practical details before the event. "
        "Add it to your calendar below; say \"my registrations\" to see or cancel it.",
        "zh": "报名成功！您已报名{title}。\n"
        "接下来：工作人员会在活动前发邮件到{email}告知具体安排。可点击下方加入日历；输入“我的报名”可查看或取消。",
    },
    "reg_waitlisted": {
        "en": "{title} is fully booked, so you're on the waitlist at position {position}. "
        "If a seat frees up you'll be told here straight away.",
        "zh": "{title}名额已满，您已进入候补名单第{position}位。如有空位，我们会第一时间在这里通知您。",
    },
    "reg_held": {
        "en": "We're holding {what} for you at {title} until {until}. To keep it, follow the link in the email we've "
        "sent to {email}.",
        "zh": "我们已为您保留{title}的{what}，保留至{until}。请点击我们发到{email}的邮件中的链接确认，逾期将自动释放。",
    },
    "reg_held_seat": {"en": "a seat", "zh": "名额"},
    "reg_held_place": {"en": "a place on the waitlist (position {position})", "zh": "候补名单第{position}位"},
    "reg_capped": {
        "en": "Several registrations were made from here recently. Please try again in about {minutes} minutes, "
        "or ask for a person.",
        "zh": "此处近期已提交多个报名。请大约{minutes}分钟后再试，或联系工作人员。",
    },
    "reg_capped_event": {
        "en": "No more registrations for {title} can be made from here. To register more people, please ask a person.",
        "zh": "此处不能再为{title}提交更多报名。如需为更多人报名，请联系工作人员。",
    },
    "reg_link_cancelled": {"en": "Your registration for {title} was cancelled through the link in your email.",
                           "zh": "您的{title}报名已通过邮件中的链接取消。"},
    "reg_link_confirmed": {"en": "Your registration for {title} is confirmed. Thank you!",
                           "zh": "您的{title}报名已确认，谢谢！"},
    "reg_hold_lapsed": {
        "en": "Your registration for {title} wasn't confirmed by email in time, so the seat was released. You're "
        "welcome to register again.",
        "zh": "您的{title}报名未在规定时间内通过邮件确认，名额已释放。欢迎重新报名。",
    },
    "reg_resume": {"en": "Now, back to your registration for {title}:", "zh": "继续您的{title}报名："},
    "my_regs_none": {
        "en": "You have no registrations. Say \"register\" to sign up for an event.",
        "zh": "您还没有报名任何活动。输入“报名”即可报名。",
    },
    "my_regs_header": {"en": "Your registrations:", "zh": "您的报名："},
    "status_confirmed": {"en": "confirmed", "zh": "已确认"},
    "status_waitlisted": {"en": "waitlisted, position {position}", "zh": "候补第{position}位"},
    "status_cancelled": {"en": "cancelled", "zh": "已取消"},
    "btn_cancel_reg": {"en": "Cancel: {title}", "zh": "取消：{title}"},
    "btn_register": {"en": "Register", "zh": "报名"},
    "reg_cancel_confirm": {
        "en": "Cancel your registration for {title}? Your seat will go to the next person on the waitlist.",
        "zh": "确定取消{title}的报名吗？您的名额将让给候补名单上的下一位。",
    },
    "btn_yes_cancel": {"en": "Yes, cancel it", "zh": "确定取消"},
    "btn_keep": {"en": "Keep it", "zh": "保留报名"},
    "reg_cancel_done": {"en": "Your registration for {title} is cancelled.", "zh": "您的{title}报名已取消。"},
    "reg_cancel_kept": {
        "en": "OK, your registration for {title} stays as it is.",
        "zh": "好的，您的{title}报名保持不变。",
    },
    "reg_cancel_which": {"en": "Which registration would you like to cancel?", "zh": "您想取消哪一个报名？"},
    "event_cancelled": {
        "en": "We are sorry: {title} has been cancelled, and your registration #{id} with it.",
        "zh": "很抱歉：{title}已取消，您的报名#{id}也随之取消。",
    },
    "reg_cancelled_by_staff": {
        "en": "Your registration #{id} for {title} has been cancelled by our staff. Write to us if this is a mistake.",
        "zh": "您的{title}报名#{id}已由工作人员取消。如有误，请联系我们。",
    },
    "reg_promoted": {
        "en": "Good news: a seat has opened up at {title}, and your registration #{id} is now confirmed!",
        "zh": "好消息：{title}有了空位，您的报名#{id}现已确认！",
    },
}
