"""/staff/unanswered: what members asked that the bot could not answer, grouped by meaning; each group can be
taught to an entry (POST /staff/teach) or drafted as a new one (/staff/draft)."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.dashboard.layout import UI, Texts, text
from bot.app.dashboard.site import Site, Visit
from bot.desk import learning

TEXT: Texts = {
    "count": {"en": "Count", "zh": "次数"},
    "examples": {"en": "Examples", "zh": "示例"},
    "languages": {"en": "Languages", "zh": "语言"},
    "closest": {"en": "Closest entry", "zh": "最接近的条目"},
    "teach": {"en": "Teach", "zh": "教给机器人"},
    "draft": {"en": "New entry draft", "zh": "新条目草稿"},
    "nothing": {"en": "Nothing unanswered in this period.", "zh": "这段时间没有未回答的问题。"},
    "taught": {"en": "Taught: the bot answers these within seconds.", "zh": "已学会：几秒内机器人即可回答。"},
    "draft_help": {"en": "Paste this into faq.yaml, write the answer, then run gasme-bot knowledge check.",
                   "zh": "将以下内容粘贴到 faq.yaml，填写答案，然后运行 gasme-bot knowledge check。"},
    "days": {"en": "days", "zh": "天"},
}
MAX_IDS = 50  # transcript lines one form may name


def routes(site: Site) -> list[Route]:
    return [site.page("/staff/unanswered", unanswered), site.page("/staff/teach", teach, ["POST"]),
            site.page("/staff/draft", draft)]


def _days(raw: str) -> int:
    try:
        return max(1, min(int(raw), 365))
    except ValueError:
        return 7


def _ids(raw: str) -> list[int]:
    return [int(x) for x in raw.split(",") if x.strip().isdigit()][:MAX_IDS]


async def unanswered(visit: Visit) -> Response:
    engine, lang, csrf = visit.engine, visit.lang, visit.csrf
    days = _days(visit.request.query_params.get("days", "7"))
    library = engine.library
    groups = await engine.run_async(learning.unanswered_groups, engine.db, library,
                                    engine.clock() - timedelta(days=days))
    options = "".join(f'<option value="{escape(e.id)}">{escape(e.id)}</option>' for e in library.knowledge.faq)
    rows = []
    for g in groups:
        ids = ",".join(str(i) for i in g.ids[:MAX_IDS])
        select_html = options.replace(f'value="{escape(g.closest or "")}"',
                                      f'value="{escape(g.closest or "")}" selected', 1)
        rows.append(
            f'<tr class="group"><td>{g.count}</td><td>{"<br>".join(escape(e) for e in g.examples)}</td>'
            f'<td>{escape(", ".join(g.languages))}</td><td>{escape(g.closest or "-")} ({g.score:.2f})</td><td>'
            f'<form method="post" action="/staff/teach"><input type="hidden" name="csrf" value="{csrf}">'
            f'<input type="hidden" name="ids" value="{ids}"><select name="entry">{select_html}</select> '
            f'<button>{text(TEXT, "teach", lang)}</button></form>'
            f'<a href="/staff/draft?ids={ids}">{text(TEXT, "draft", lang)}</a></td></tr>')
    note = f'<p class="ok">{text(TEXT, "taught", lang)}</p>' if visit.request.query_params.get("taught") else ""
    head = "".join(f"<th>{text(TEXT, k, lang)}</th>" for k in ("count", "examples", "languages", "closest"))
    table = (f"<table><tr>{head}<th></th></tr>{''.join(rows)}</table>" if rows
             else f"<p>{text(TEXT, 'nothing', lang)}</p>")
    body = f"<h2>{text(UI, 'unanswered', lang)} ({days} {text(TEXT, 'days', lang)})</h2>{note}{table}"
    return visit.page(UI["unanswered"][lang], body, "unanswered")


async def teach(visit: Visit) -> Response:
    form = await visit.form()
    engine = visit.engine
    try:
        await engine.run_async(learning.teach_group, engine.db, engine.library, str(form.get("entry", "")),
                               _ids(str(form.get("ids", ""))), f"dashboard:{visit.user}", engine.clock())
    except ValueError:
        return Response("no such FAQ entry", status_code=400)
    return RedirectResponse("/staff/unanswered?taught=1", status_code=303)


async def draft(visit: Visit) -> Response:
    lang = visit.lang
    said = await visit.engine.run_async(learning.phrasings_of, visit.engine.db,
                                         _ids(visit.request.query_params.get("ids", "")))
    questions = "".join(f"\n    - {_yaml_string(t)}" for t in said[:5]) or "\n    - ..."
    snippet = (f"- id: new-entry\n  questions:{questions}\n  answer:\n    en: >-\n      ...\n"
               f"    zh: >-\n      ...\n")
    body = (f"<h2>{text(TEXT, 'draft', lang)}</h2><p>{text(TEXT, 'draft_help', lang)}</p>"
            f"<pre>{escape(snippet)}</pre>")
    return visit.page(TEXT["draft"][lang], body, "unanswered")


def _yaml_string(words: str) -> str:
    """A member's words as one safe YAML scalar (double-quoted, escaped)."""
    return '"' + words.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
