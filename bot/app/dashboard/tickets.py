"""/staff/tickets: the hand-off tickets still open, newest last."""

from __future__ import annotations

from html import escape

from starlette.responses import Response
from starlette.routing import Route

from bot.app.dashboard.layout import UI, Texts, text
from bot.app.dashboard.site import Site, Visit

TEXT: Texts = {
    "status": {"en": "Status", "zh": "状态"},
    "member": {"en": "Member", "zh": "会员"},
    "question": {"en": "Question", "zh": "问题"},
    "opened": {"en": "Opened", "zh": "创建时间"},
}


def routes(site: Site) -> list[Route]:
    return [site.page("/staff/tickets", tickets)]


async def tickets(visit: Visit) -> Response:
    engine, lang = visit.engine, visit.lang
    listing = await engine.run_async(engine.staff.listing, False)
    rows = "".join(f'<tr><td>#{t["id"]}</td><td>{escape(t["status"])}</td><td>{escape(t["channel"])}'
                   f'</td><td>{escape(t["question"][:300])}</td><td>{escape(str(t["created_at"])[:16])}</td></tr>'
                   for t in listing)
    head = f"<th>{text(UI, 'tickets', lang)}</th>" + "".join(f"<th>{text(TEXT, k, lang)}</th>"
                                                             for k in ("status", "member", "question", "opened"))
    body = f"<h2>{text(UI, 'tickets', lang)}</h2><table><tr>{head}</tr>{rows}</table>"
    return visit.page(UI["tickets"][lang], body, "tickets")
