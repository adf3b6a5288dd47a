"""/staff: the bot's work over the last two weeks, as SVG charts drawn on the server."""

from __future__ import annotations

from html import escape

from starlette.responses import Response
from starlette.routing import Route

from bot.app.dashboard import charts
from bot.app.dashboard.layout import UI, Texts, text
from bot.app.dashboard.site import Site, Visit
from bot.desk import insights

DAYS = 14
TEXT: Texts = {
    "by_channel": {"en": "Messages per day by channel", "zh": "每日消息（按渠道）"},
    "by_language": {"en": "Messages per day by language", "zh": "每日消息（按语言）"},
    "outcomes": {"en": "What became of questions (share per day)", "zh": "问题处理情况（每日占比）"},
    "tickets_opened": {"en": "Tickets opened per day", "zh": "每日新工单"},
    "open_now": {"en": "Open tickets now", "zh": "当前未结工单"},
    "first_reply": {"en": "Median time to first staff reply", "zh": "首次人工回复中位时间"},
    "seats": {"en": "Registrations per event against capacity", "zh": "各活动报名与名额"},
    "minutes": {"en": "min", "zh": "分钟"},
    "none_yet": {"en": "none yet", "zh": "暂无"},
}
OUTCOME_NAMES = {"en": {}, "zh": {"answered": "已回答", "suggested": "给出建议", "unknown": "不知道",
                                  "handed off": "转人工"}}


def routes(site: Site) -> list[Route]:
    return [site.page("/staff", overview), site.page("/staff/", overview)]


async def overview(visit: Visit) -> Response:
    engine, lang = visit.engine, visit.lang
    now = engine.clock()
    data = await engine.run_async(insights.overview, engine.db, now, DAYS)
    seats = await engine.run_async(insights.seats, engine.db, engine.library.knowledge.events, now)
    names = OUTCOME_NAMES[lang]
    outcomes = {names.get(k, k): v for k, v in data.outcomes.items()}
    first = (f"{data.first_reply_minutes:.0f} {TEXT['minutes'][lang]}" if data.first_reply_minutes is not None
             else TEXT["none_yet"][lang])
    empty = {"-": [0] * len(data.days)}
    cards = [
        charts.stacked_bars(TEXT["by_channel"][lang], data.days, data.by_channel or empty),
        charts.stacked_bars(TEXT["by_language"][lang], data.days, data.by_language or empty),
        charts.stacked_bars(TEXT["outcomes"][lang], data.days, outcomes, percent=True),
        f'<div><span>{text(TEXT, "open_now", lang)}</span><div class="stat" id="open-tickets">'
        f'{data.open_tickets}</div><span>{text(TEXT, "first_reply", lang)}</span><div class="stat">'
        f'{escape(first)}</div>'
        + charts.stacked_bars(TEXT["tickets_opened"][lang], data.days, {UI["tickets"][lang]: data.tickets_opened},
                              height=180) + "</div>",
        charts.capacity_bars(TEXT["seats"][lang], [(ev.title.get(lang), c, w, ev.capacity) for ev, c, w in seats]),
    ]
    body = '<div class="cards">' + "".join(f'<div class="card">{c}</div>' for c in cards) + "</div>"
    return visit.page(UI["overview"][lang], body, "overview")
