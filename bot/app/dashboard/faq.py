"""/staff/faq: each FAQ entry with how often it was given and what members said of it, a search, links to edit
each entry (faq_edit.py), the archived ones, a "try it" box (what the bot would do with a question), and the
phrasings staff taught and those learned from members' choices, each with "Undo"."""

from __future__ import annotations

from html import escape

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.dashboard.layout import UI, Texts, text
from bot.app.dashboard.site import Site, Visit
from bot.desk import knowledge_edits, learning
from bot.messages import Lang
from bot.understanding.text import normalize

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
    "search": {"en": "Search", "zh": "搜索"},
    "new": {"en": "New entry", "zh": "新建条目"},
    "edit": {"en": "Edit", "zh": "编辑"},
    "archived": {"en": "Archived", "zh": "已归档"},
    "try": {"en": "Try it: what would the bot do with this question?", "zh": "试一试：机器人会如何处理这个问题？"},
    "ask": {"en": "Ask", "zh": "提问"},
    "answer": {"en": "Answers with", "zh": "直接回答"},
    "suggest": {"en": "Offers a choice of", "zh": "给出选项"},
    "none": {"en": "Doesn't know (offers a person)", "zh": "不知道（转人工）"},
    "confidence": {"en": "confidence", "zh": "置信度"},
    "saved": {"en": "Saved: members get it within seconds.", "zh": "已保存：几秒内会员即可看到。"},
}


def routes(site: Site) -> list[Route]:
    return [site.page("/staff/faq", faq), site.page("/staff/faq/untaught", untaught, ["POST"])]


def _try(visit: Visit, question: str) -> str:
    lang = visit.lang
    verdict = visit.engine.library.reader.read(question).faq_verdict()
    band = verdict.band if verdict.band in ("answer", "suggest") else "none"
    options = ", ".join(verdict.options) if band != "none" else ""
    return (f'<p class="try" id="try-result"><strong>{text(TEXT, band, lang)}</strong> '
            f'<code>{escape(options)}</code> ({text(TEXT, "confidence", lang)} {verdict.strength:.2f})</p>')


async def faq(visit: Visit) -> Response:
    engine, lang, params = visit.engine, visit.lang, visit.request.query_params
    hits = await engine.run_async(learning.hit_counts, engine.db, None)
    votes = await engine.run_async(learning.feedback_counts, engine.db, None)
    edited = await engine.run_async(knowledge_edits.edited_ids, engine.db, "faq")
    query = params.get("q", "").strip()
    wanted = normalize(query)
    rows = []
    saved = await engine.run_async(knowledge_edits.with_edits, engine.db, engine.library.knowledge)
    entries = [(e.id, e.questions[0], " ".join((e.id, *e.questions, *e.answer.all()))) for e in saved.faq]
    entries += [(i, TEXT["archived"][lang], i) for i, gone in edited.items() if gone]
    for entry_id, first, words in entries:
        if wanted and wanted not in normalize(words):
            continue
        v = votes.get(entry_id)
        rows.append(f'<tr><td><code>{escape(entry_id)}</code><br>{escape(first)}</td><td>{hits[entry_id]}</td>'
                    f"<td>{v['up'] if v else 0}</td><td>{v['down'] if v else 0}</td>"
                    f'<td><a href="/staff/faq/{escape(entry_id)}/edit">{text(TEXT, "edit", lang)}</a></td></tr>')
    head = "".join(f"<th>{text(TEXT, k, lang)}</th>" for k in ("entry", "hits", "helpful", "not_helpful"))
    tried = params.get("try", "").strip()[:500]
    result = await engine.run_async(_try, visit, tried) if tried else ""
    learned = _learned(await engine.run_async(learning.taught_list, engine.db, None), visit.csrf, lang)
    note = (f'<p class="ok">{text(TEXT, "saved", lang)}</p>' if params.get("saved") else
            f'<p class="ok">{text(TEXT, "undone", lang)}</p>' if params.get("undone") else "")
    tools = (f'<p><a class="btn" href="/staff/faq/new">{text(TEXT, "new", lang)}</a></p>'
             f'<form method="get" action="/staff/faq" class="row"><input name="q" value="{escape(query)}" '
             f'aria-label="{text(TEXT, "search", lang)}"><button>{text(TEXT, "search", lang)}</button></form>'
             f'<form method="get" action="/staff/faq" class="row"><label>{text(TEXT, "try", lang)}'
             f'<input name="try" value="{escape(tried)}"></label><button>{text(TEXT, "ask", lang)}</button></form>')
    body = (f"<h2>{text(UI, 'faq', lang)}</h2>{note}{tools}{result}"
            f'<div class="scroll"><table><tr>{head}<th></th></tr>{"".join(rows)}</table></div>{learned}')
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
