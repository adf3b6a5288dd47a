"""/staff/faq: each FAQ entry with how often it was given and what members said of it."""

from __future__ import annotations

from html import escape

from starlette.responses import Response
from starlette.routing import Route

from bot.app.dashboard.layout import UI, Texts, text
from bot.app.dashboard.site import Site, Visit
from bot.desk import learning

TEXT: Texts = {
    "entry": {"en": "Entry", "zh": "条目"},
    "hits": {"en": "Answers given", "zh": "回答次数"},
    "helpful": {"en": "Helpful", "zh": "有帮助"},
    "not_helpful": {"en": "Not helpful", "zh": "没帮助"},
}


def routes(site: Site) -> list[Route]:
    return [site.page("/staff/faq", faq)]


async def faq(visit: Visit) -> Response:
    engine, lang = visit.engine, visit.lang
    hits = await engine.run_async(learning.hit_counts, engine.db, None)
    votes = await engine.run_async(learning.feedback_counts, engine.db, None)
    rows = []
    for e in engine.library.knowledge.faq:
        v = votes.get(e.id)
        rows.append(f'<tr><td><code>{escape(e.id)}</code><br>{escape(e.questions[0])}</td><td>{hits[e.id]}</td>'
                    f"<td>{v['up'] if v else 0}</td><td>{v['down'] if v else 0}</td></tr>")
    head = "".join(f"<th>{text(TEXT, k, lang)}</th>" for k in ("entry", "hits", "helpful", "not_helpful"))
    body = f"<h2>{text(UI, 'faq', lang)}</h2><table><tr>{head}</tr>{''.join(rows)}</table>"
    return visit.page(UI["faq"][lang], body, "faq")
