"""/staff/events/{id}/registrations: who registered for an event (number, status, waitlist position, name,
company, email, channel, registered at), with a search, a CSV download for spreadsheets, cancelling a
registration (the member is told, the waitlist moves up) and check-in at the door."""

from __future__ import annotations

import csv
import io
from html import escape

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.dashboard import forms
from bot.app.dashboard.layout import Texts, colon, text
from bot.app.dashboard.site import Site, Visit
from bot.desk import event_admin, knowledge_edits
from bot.desk.event_admin import Row
from bot.storage.database import utc_iso
from bot.understanding.knowledge_model import Event

TEXT: Texts = {
    "title": {"en": "Registrations", "zh": "报名名单"},
    "number": {"en": "No.", "zh": "编号"}, "status": {"en": "Status", "zh": "状态"},
    "position": {"en": "Waitlist", "zh": "候补位次"}, "name": {"en": "Name", "zh": "姓名"},
    "company": {"en": "Company", "zh": "公司"}, "email": {"en": "Email", "zh": "邮箱"},
    "channel": {"en": "Channel", "zh": "渠道"}, "registered_at": {"en": "Registered", "zh": "报名时间"},
    "search": {"en": "Search", "zh": "搜索"}, "csv": {"en": "Download CSV", "zh": "下载 CSV"},
    "cancel": {"en": "Cancel", "zh": "取消报名"}, "check_in": {"en": "Check in", "zh": "签到"},
    "checked_in": {"en": "checked in", "zh": "已签到"},
    "confirmed": {"en": "confirmed", "zh": "已确认"}, "waitlisted": {"en": "waitlisted", "zh": "候补"},
    "cancelled": {"en": "cancelled", "zh": "已取消"},
}
HEADER = ["number", "status", "position", "name", "company", "email", "channel", "registered_at", "checked_in"]
COLUMNS = ("number", "status", "position", "name", "company", "email", "channel", "registered_at")


def routes(site: Site) -> list[Route]:
    return [site.page("/staff/events/{id}/registrations", page),
            site.page("/staff/events/{id}/registrations.csv", download),
            site.page("/staff/events/{id}/registrations/{reg:int}/cancel", cancel, ["POST"]),
            site.page("/staff/events/{id}/registrations/{reg:int}/check-in", check_in, ["POST"])]


def _cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ (or tab, carriage return) would run as a formula."""
    out = "" if value is None else str(value)
    return "'" + out if out[:1] in ("=", "+", "-", "@", "\t", "\r") else out


def to_csv(rows: list[Row]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([_cell(v) for v in (r.number, r.status, r.position, r.name, r.company, r.email, r.channel,
                                            utc_iso(r.registered_at), "yes" if r.checked_in else "")])
    return "\ufeff" + buf.getvalue()  # the byte-order mark: Excel then reads UTF-8, and 王芳 stays 王芳


async def download(visit: Visit) -> Response:
    event_id = str(visit.request.path_params["id"])
    rows = await visit.engine.run_async(event_admin.rows, visit.engine.db, event_id)
    return Response(to_csv(rows).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{event_id}-registrations.csv"'})


def _event(visit: Visit, event_id: str) -> Event | None:
    """The event as saved (edits included before this process reloads them)."""
    return knowledge_edits.with_edits(visit.engine.db, visit.engine.library.knowledge).event_by_id(event_id)


def _actions(visit: Visit, event_id: str, r: Row) -> str:
    if r.status == "cancelled":
        return ""
    base = f"/staff/events/{escape(event_id)}/registrations/{r.number}"
    out = (f'<form method="post" action="{base}/cancel">{forms.csrf_field(visit.csrf)}'
           f'<button class="warn">{text(TEXT, "cancel", visit.lang)}</button></form>')
    if r.status == "confirmed":
        out += (f" {text(TEXT, 'checked_in', visit.lang)}" if r.checked_in else
                f'<form method="post" action="{base}/check-in">{forms.csrf_field(visit.csrf)}'
                f'<button>{text(TEXT, "check_in", visit.lang)}</button></form>')
    return out


async def page(visit: Visit) -> Response:
    event_id, lang = str(visit.request.path_params["id"]), visit.lang
    rows = await visit.engine.run_async(event_admin.rows, visit.engine.db, event_id)
    event = await visit.engine.run_async(_event, visit, event_id)
    query = visit.request.query_params.get("q", "").strip()
    wanted = query.casefold()
    shown = [r for r in rows if not wanted or wanted in f"{r.name} {r.company} {r.email} {r.number}".casefold()]
    cells = []
    for r in shown:
        status = TEXT[r.status][lang] if r.status in TEXT else r.status
        cells.append(f'<tr class="reg"><td>#{r.number}</td><td>{escape(status)}</td><td>{r.position or ""}</td>'
                     f"<td>{escape(r.name)}</td><td>{escape(r.company)}</td><td>{escape(r.email)}</td>"
                     f"<td>{escape(r.channel)}</td><td>{escape(str(r.registered_at)[:16])}</td>"
                     f"<td>{_actions(visit, event_id, r)}</td></tr>")
    head = "".join(f"<th>{text(TEXT, k, lang)}</th>" for k in COLUMNS)
    title = f"{TEXT['title'][lang]}{colon(lang)}{event.title.get(lang) if event else event_id}"
    body = (f"<h2>{escape(title)}</h2>"
            f'<form method="get" class="row"><input name="q" value="{escape(query)}" '
            f'aria-label="{text(TEXT, "search", lang)}"><button>{text(TEXT, "search", lang)}</button></form>'
            f'<p><a class="btn" href="/staff/events/{escape(event_id)}/registrations.csv">{text(TEXT, "csv", lang)}'
            f'</a></p><div class="scroll"><table class="nowrap"><tr>{head}<th></th></tr>{"".join(cells)}</table></div>')
    return visit.page(title, body, "events")


async def cancel(visit: Visit) -> Response:
    event_id, reg_id = str(visit.request.path_params["id"]), int(visit.request.path_params["reg"])
    event = await visit.engine.run_async(_event, visit, event_id)
    if event is None:
        return Response("no such event", status_code=404)
    done = await visit.engine.run_async(event_admin.cancel_registration, visit.engine.db, event, reg_id, visit.user,
                                        visit.engine.clock())
    if not done:
        return Response("no such active registration", status_code=404)
    return RedirectResponse(f"/staff/events/{event_id}/registrations", status_code=303)


async def check_in(visit: Visit) -> Response:
    event_id, reg_id = str(visit.request.path_params["id"]), int(visit.request.path_params["reg"])
    done = await visit.engine.run_async(event_admin.check_in, visit.engine.db, event_id, reg_id, visit.user,
                                        visit.engine.clock())
    if not done:
        return Response("no such confirmed registration", status_code=404)
    return RedirectResponse(f"/staff/events/{event_id}/registrations", status_code=303)
