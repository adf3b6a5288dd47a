"""/staff/faq: each FAQ entry with how often it was given and what members said of it; the phrasings staff taught
and those learned from members' choices, each with "Undo"."""

from __future__ import annotations

from html import escape

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.dashboard.layout import UI, Texts, text
from bot.app.dashboard.site import Site, Visit
from bot.desk import learning
from bot.messages import Lang

TEXT: Texts = {
    "entry": {"en": "Entry", "zh": "条目"},
    "hits": {"en": "Answers given", "zh": "回答次数"},
    "helpful": {"en": "Helpful", "zh": "有帮助"},
    "not_helpful": {"en": "Not helpful", "zh": "没帮助"},
    "learned": {"en": "Phrasings taught and learned from members' choices",
                "zh": "已教给机器人及从会员选择中学到的问法"},
    "phrasing": {"en": "Phrasing", "zh": "问法"},
    "source": {"en": "Source", "zh": "来源"},
    "added": {"en": "Added", "zh": "添加时间"},
    "undo": {"en": "Undo", "zh": "撤销"},
    "undone": {"en": "Removed: the bot stops answering it within seconds.", "zh": "已撤销：几秒内生效。"},
    "members": {"en": "members", "zh": "会员"},
    "staff": {"en": "staff", "zh": "工作人员"},
}


def routes(site: Site) -> list[Route]:
    return [site.page("/staff/faq", faq), site.page("/staff/faq/untaught", untaught, ["POST"])]


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
    learned = _learned(await engine.run_async(learning.taught_list, engine.db, None), visit.csrf, lang)
    note = f'<p class="ok">{text(TEXT, "undone", lang)}</p>' if visit.request.query_params.get("undone") else ""
    body = f"<h2>{text(UI, 'faq', lang)}</h2>{note}<table><tr>{head}</tr>{''.join(rows)}</table>{learned}"
    return visit.page(UI["faq"][lang], body, "faq")


async def untaught(visit: Visit) -> Response:
    """Undo a taught or learned phrasing (fields `entry`, `phrasing`); 404 when there is no such one."""
    form = await visit.form()
    engine = visit.engine
    done = await engine.run_async(learning.untaught, engine.db, str(form.get("entry", ""))[:100],
                                  str(form.get("phrasing", ""))[:500])
    if not done:
        return Response("no such taught phrasing", status_code=404)
    return RedirectResponse("/staff/faq?undone=1", status_code=303)


def _learned(rows: list[learning.Taught], csrf: str, lang: Lang) -> str:
    """Every taught phrasing with where it came from (staff, or members' choices), newest first: what members just
    taught is what staff want to check."""
    if not rows:
        return ""
    cells = []
    for r in reversed(rows):
        source = text(TEXT, r.source, lang) if r.source in TEXT else escape(r.source)
        cells.append(
            f'<tr class="learned {escape(r.source)}"><td><code>{escape(r.entry)}</code></td><td>{escape(r.phrasing)}'
            f'</td><td>{source}</td><td>{r.created_at:%Y-%m-%d %H:%M}</td>'
            f'<td><form method="post" action="/staff/faq/untaught"><input type="hidden" name="csrf" value="{csrf}">'
            f'<input type="hidden" name="entry" value="{escape(r.entry)}"><input type="hidden" name="phrasing" '
            f'value="{escape(r.phrasing)}"><button>{text(TEXT, "undo", lang)}</button></form></td></tr>')
    head = "".join(f"<th>{text(TEXT, k, lang)}</th>" for k in ("entry", "phrasing", "source", "added"))
    return f"<h3>{text(TEXT, 'learned', lang)}</h3><table><tr>{head}<th></th></tr>{''.join(cells)}</table>"
