"""Revisions of FAQ entries and events: who changed what and when, each with a button that puts the item back as it
was before that change. A revert is one more revision, so nothing is ever lost. The FAQ and event pages each
declare their two routes here with what differs between them (`Item`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.dashboard import forms
from bot.app.dashboard.layout import Texts, colon, text
from bot.app.dashboard.site import Site, Visit
from bot.desk import knowledge_edits as edits
from bot.messages import Lang

TEXT: Texts = {
    "revisions": {"en": "Revisions", "zh": "修改记录"},
    "revert": {"en": "Revert this change", "zh": "撤销此修改"},
    "who": {"en": "Who", "zh": "修改人"},
    "when": {"en": "When", "zh": "时间"},
    "what": {"en": "Change", "zh": "修改"},
}


@dataclass(frozen=True)
class Item:
    kind: edits.Kind
    path: str  # "/staff/faq": the pages are {path}/{id}/revisions and {path}/revert
    nav: str  # the header link shown as active
    current: Callable[[Visit, str], dict[str, Any] | None]  # the item as members get it now
    summary: Callable[[dict[str, Any]], str]  # one line of a shown item's data
    hidden_as: str  # what a hidden item (archived, cancelled) is called in the list
    reverted: Callable[[Visit, str], None] = lambda visit, item_id: None  # after a revert (a raised capacity ...)


def routes(site: Site, item: Item) -> list[Route]:
    async def history(visit: Visit) -> Response:
        return await _history(visit, item)

    async def revert(visit: Visit) -> Response:
        return await _revert(visit, item)

    return [site.page(f"{item.path}/{{id}}/revisions", history),
            site.page(f"{item.path}/revert", revert, ["POST"], editor=True)]


def link(item: Item, item_id: str, lang: Lang) -> str:
    return f'<p><a href="{item.path}/{escape(item_id)}/revisions">{text(TEXT, "revisions", lang)}</a></p>'


def _summary(item: Item, data: dict[str, Any] | None) -> str:
    if data is None:
        return "-"
    return item.hidden_as if edits.hidden(data) else item.summary(data)


async def _history(visit: Visit, item: Item) -> Response:
    item_id, lang = str(visit.request.path_params["id"]), visit.lang
    revs = await visit.engine.run_async(edits.revisions, visit.engine.db, item.kind, item_id)
    rows = "".join(
        f'<tr><td>{escape(r.staff)}</td><td>{escape(str(r.created_at)[:16])}</td><td>{escape(r.action)}<br>'
        f'<small>{escape(_summary(item, r.before))} → {escape(_summary(item, r.after))}</small></td><td>'
        f'<form method="post" action="{item.path}/revert">{forms.csrf_field(visit.csrf)}'
        f'<input type="hidden" name="revision" value="{r.id}"><button>{text(TEXT, "revert", lang)}</button>'
        f"</form></td></tr>" for r in revs)
    head = "".join(f"<th>{text(TEXT, k, lang)}</th>" for k in ("who", "when", "what"))
    title = f"{TEXT['revisions'][lang]}{colon(lang)}{item_id}"
    return visit.page(title, f'<h2>{escape(title)}</h2><div class="scroll"><table><tr>{head}<th></th></tr>{rows}'
                             f"</table></div>", item.nav)


async def _revert(visit: Visit, item: Item) -> Response:
    form = await visit.form()
    raw = forms.get(form, "revision")
    if not raw.isdigit():
        return Response("which revision?", status_code=400)
    item_id = await visit.engine.run_async(edits.revert, visit.engine.db, int(raw), item.kind,
                                           lambda i: item.current(visit, i), visit.user, visit.engine.clock())
    if item_id is None:
        return Response("no such revision", status_code=404)
    await visit.engine.run_async(item.reverted, visit, item_id)
    return RedirectResponse(f"{item.path}/{item_id}/revisions", status_code=303)
