"""/staff/events: the calendar, with "New" and "Edit" pages for every field of events.yaml, checked as
`gasme-bot knowledge check` checks the file; closing registration; cancelling an event (every registrant is told).
An event is never deleted. Raising the capacity confirms waitlisted members at once, and tells them. Every change
is a revision, listed with who made it and undone from its page (revisions.py)."""

from __future__ import annotations

from html import escape
from typing import Any

from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.dashboard import forms, revisions
from bot.app.dashboard.forms import Errors
from bot.app.dashboard.layout import UI, Texts, colon, text
from bot.app.dashboard.site import Site, Visit
from bot.desk import event_admin
from bot.desk import knowledge_edits as edits
from bot.desk.registrations import apply_capacities
from bot.understanding.knowledge_events import check_event
from bot.understanding.knowledge_model import Event

TEXT: Texts = {
    "new": {"en": "New event", "zh": "新建活动"}, "edit": {"en": "Edit event", "zh": "编辑活动"},
    "id": {"en": "Id", "zh": "编号"}, "title_en": {"en": "Title in English", "zh": "英文名称"},
    "title_zh": {"en": "Title in Chinese", "zh": "中文名称"},
    "starts": {"en": "Starts (venue local time)", "zh": "开始（当地时间）"},
    "ends": {"en": "Ends (venue local time)", "zh": "结束（当地时间）"},
    "timezone": {"en": "Time zone (IANA, e.g. Europe/Berlin)", "zh": "时区（IANA，如 Asia/Shanghai）"},
    "city_en": {"en": "City in English", "zh": "英文城市"}, "city_zh": {"en": "City in Chinese", "zh": "中文城市"},
    "country": {"en": "Country (ISO code, e.g. DE)", "zh": "国家（ISO 代码，如 CN）"},
    "venue": {"en": "Venue", "zh": "场地"},
    "capacity": {"en": "Capacity (empty = unlimited)", "zh": "名额（留空 = 不限）"},
    "registration_closes": {"en": "Registration closes (venue local time)", "zh": "报名截止（当地时间）"},
    "description_en": {"en": "Description in English", "zh": "英文介绍"},
    "description_zh": {"en": "Description in Chinese", "zh": "中文介绍"},
    "tags": {"en": "Tags (comma-separated)", "zh": "标签（用逗号分隔）"},
    "registration_open": {"en": "Registration open", "zh": "开放报名"},
    "save": {"en": "Save", "zh": "保存"}, "cancel": {"en": "Cancel this event and tell every registrant",
                                                  "zh": "取消此活动并通知所有报名者"},
    "registrations": {"en": "Registrations", "zh": "报名"}, "event": {"en": "Event", "zh": "活动"},
    "when": {"en": "Starts", "zh": "开始"}, "seats": {"en": "Seats", "zh": "名额"},
    "cancelled": {"en": "cancelled", "zh": "已取消"}, "closed": {"en": "registration closed", "zh": "报名已关闭"},
    "taken": {"en": "this id is already used", "zh": "该编号已被使用"},
    "bad_capacity": {"en": "a whole number 0 or more, or empty for unlimited",
                     "zh": "请填写不小于 0 的整数，或留空表示不限"},
    "fix": {"en": "Nothing was saved: please fix the fields marked below.", "zh": "未保存：请修改下面标出的字段。"},
    "saved": {"en": "Saved: members see it within seconds.", "zh": "已保存：几秒内会员即可看到。"},
}
FIELDS = ("id", "title_en", "title_zh", "starts", "ends", "timezone", "city_en", "city_zh", "country", "venue",
          "capacity", "registration_closes", "description_en", "description_zh", "tags")
FIRST = {"title": "title_en", "city": "city_en", "description": "description_en"}
MULTI = ("title", "city", "description")
SINGLE = ("starts", "ends", "timezone", "country", "venue", "registration_closes")


def routes(site: Site) -> list[Route]:
    return [site.page("/staff/events", listing),
            site.page("/staff/events/new", new, ["GET", "POST"], editor=True),
            site.page("/staff/events/{id}/edit", edit, ["GET", "POST"], editor=True),
            site.page("/staff/events/{id}/cancel", cancel, ["POST"], editor=True),
            *revisions.routes(site, REVISIONS)]


def form_data(form: FormData, event_id: str) -> tuple[dict[str, Any], Errors]:
    """The posted form as an event in the file's format; an empty field is left out."""
    data: dict[str, Any] = {}
    if event_id:
        data["id"] = event_id
    errors: Errors = {}
    for key in MULTI:
        en, zh = forms.get(form, f"{key}_en"), forms.get(form, f"{key}_zh")
        if en:
            data[key] = {"en": en, "zh": zh} if zh else {"en": en}
        elif zh:
            data[key] = zh
    for key in SINGLE:
        if forms.get(form, key):
            data[key] = forms.get(form, key).upper() if key == "country" else forms.get(form, key)
    capacity = forms.get(form, "capacity")
    if capacity:
        if capacity.isdigit():
            data["capacity"] = int(capacity)
        else:
            errors["capacity"] = ["capacity"]
    tags = forms.items(forms.get(form, "tags"))
    if tags:
        data["tags"] = tags
    if form.get("registration_open") != "on":
        data["registration_open"] = False
    return data, errors


def values_of(data: dict[str, Any]) -> dict[str, str]:
    values = {k: str(data.get(k, "") or "") for k in ("id", *SINGLE)}
    for key in MULTI:
        v = data.get(key)
        v = v if isinstance(v, dict) else {"en": v or ""}
        values[f"{key}_en"], values[f"{key}_zh"] = v.get("en", ""), v.get("zh", "") or ""
    values["capacity"] = "" if data.get("capacity") is None else str(data["capacity"])
    values["tags"] = ", ".join(data.get("tags", []))
    values["registration_open"] = "on" if data.get("registration_open", True) else ""
    return values


def _form(visit: Visit, action: str, values: dict[str, str], errors: Errors, new: bool) -> str:
    lang = visit.lang
    errors = {k: [TEXT["bad_capacity"][lang] if e == "capacity" else e for e in v] for k, v in errors.items()}
    parts = []
    for name in FIELDS:
        if name == "id" and not new:
            continue
        label = TEXT[name][lang]
        if name.startswith("description"):
            parts.append(forms.area(name, label, values.get(name, ""), errors, rows=4))
        else:
            kind = "datetime-local" if name in ("starts", "ends", "registration_closes") else "text"
            parts.append(forms.text_field(name, label, values.get(name, ""), errors, kind=kind))
    parts.append(forms.checkbox("registration_open", TEXT["registration_open"][lang],
                                values.get("registration_open") == "on", errors))
    fix = f'<p class="err">{text(TEXT, "fix", lang)}</p>' if errors else ""
    return (f'{fix}<form method="post" action="{escape(action)}" class="edit">{forms.csrf_field(visit.csrf)}'
            f'{forms.general(errors)}{"".join(parts)}<button>{text(TEXT, "save", lang)}</button></form>')


def _check(data: dict[str, Any], errors: Errors) -> tuple[Event | None, Errors]:
    event, problems = check_event(data)
    errors = {**forms.problems_to_errors(problems, FIRST), **errors}
    return (event if not errors else None), errors


def _save(visit: Visit, event: Event, before: dict[str, Any] | None, after: dict[str, Any], action: str) -> None:
    now = visit.engine.clock()
    with visit.engine.db.begin() as conn:
        edits.save(conn, "event", event.id, before, after, action, visit.user, now)
    apply_capacities(visit.engine.db, [event], now)  # a raised capacity seats the waitlist now, and tells them


async def new(visit: Visit) -> Response:
    title = TEXT["new"][visit.lang]
    if visit.request.method == "GET":
        values = {"registration_open": "on"}
        return visit.page(title, f"<h2>{escape(title)}</h2>" + _form(visit, "/staff/events/new", values, {}, True),
                          "events")
    form = await visit.form()
    event_id = forms.get(form, "id")
    data, errors = form_data(form, event_id)
    event, errors = _check(data, errors)
    if event_id and "id" not in errors and await visit.engine.run_async(current, visit, event_id) is not None:
        errors["id"], event = [TEXT["taken"][visit.lang]], None
    if event is None:
        values = {k: forms.get(form, k) for k in (*FIELDS, "registration_open")}
        body = f"<h2>{escape(title)}</h2>" + _form(visit, "/staff/events/new", values, errors, True)
        return visit.page(title, body, "events", status=400)
    await visit.engine.run_async(_save, visit, event, None, data, "create")
    return RedirectResponse(f"/staff/events?saved={event_id}", status_code=303)


def current(visit: Visit, event_id: str) -> dict[str, Any] | None:
    stored = edits.stored(visit.engine.db, "event", event_id)
    if stored is not None:
        return stored
    event = visit.engine.library.knowledge.event_by_id(event_id)
    return None if event is None else edits.event_data(event)


async def edit(visit: Visit) -> Response:
    event_id = str(visit.request.path_params["id"])
    before = await visit.engine.run_async(current, visit, event_id)
    if before is None:
        return Response("no such event", status_code=404)
    title, action = f"{TEXT['edit'][visit.lang]}{colon(visit.lang)}{event_id}", f"/staff/events/{event_id}/edit"
    if visit.request.method == "GET":
        cancel_form = "" if before.get("cancelled") else (
            f'<form method="post" action="/staff/events/{escape(event_id)}/cancel">{forms.csrf_field(visit.csrf)}'
            f'<button class="warn">{text(TEXT, "cancel", visit.lang)}</button></form>')
        body = (f"<h2>{escape(title)}</h2>" + _form(visit, action, values_of(before), {}, False) + cancel_form
                + revisions.link(REVISIONS, event_id, visit.lang))
        return visit.page(title, body, "events")
    form = await visit.form()
    data, errors = form_data(form, event_id)
    event, errors = _check(data, errors)
    if event is None:
        values = {k: forms.get(form, k) for k in (*FIELDS, "registration_open")}
        return visit.page(title, f"<h2>{escape(title)}</h2>" + _form(visit, action, values, errors, False),
                          "events", status=400)
    await visit.engine.run_async(_save, visit, event, before, data, "edit")
    return RedirectResponse(f"/staff/events?saved={event_id}", status_code=303)


async def cancel(visit: Visit) -> Response:
    event_id = str(visit.request.path_params["id"])
    event = next((e for e in await visit.engine.run_async(calendar, visit) if e.id == event_id), None)
    if event is None:
        return Response("no such event (or already cancelled)", status_code=404)
    await visit.engine.run_async(event_admin.cancel_event, visit.engine.db, event, visit.user, visit.engine.clock())
    return RedirectResponse(f"/staff/events?cancelled={event_id}", status_code=303)


def calendar(visit: Visit) -> tuple[Event, ...]:
    """The events as saved, including edits this process has not reloaded yet."""
    return edits.with_edits(visit.engine.db, visit.engine.library.knowledge).events


async def listing(visit: Visit) -> Response:
    engine, lang = visit.engine, visit.lang
    counts = await engine.run_async(event_admin.counts, engine.db)
    gone = await engine.run_async(edits.edited_ids, engine.db, "event")
    rows = []
    for ev in await engine.run_async(calendar, visit):
        state = "" if ev.registration_open else f' <small class="err">{text(TEXT, "closed", lang)}</small>'
        rows.append(f'<tr><td><code>{escape(ev.id)}</code><br>{escape(ev.title.get(lang))}{state}</td>'
                    f'<td>{escape(ev.starts.strftime("%Y-%m-%d %H:%M"))} {escape(ev.timezone)}</td>'
                    f'<td>{ev.capacity if ev.capacity is not None else "∞"}</td>'
                    f'<td><a href="/staff/events/{escape(ev.id)}/registrations">{text(TEXT, "registrations", lang)}'
                    f' ({counts.get(ev.id, 0)})</a> · <a href="/staff/events/{escape(ev.id)}/edit">'
                    f'{text(TEXT, "edit", lang)}</a></td></tr>')
    rows += [f'<tr><td><code>{escape(i)}</code> <small>{text(TEXT, "cancelled", lang)}</small></td><td></td><td>'
             f'</td><td><a href="/staff/events/{escape(i)}/registrations">{text(TEXT, "registrations", lang)}</a>'
             f"</td></tr>" for i, hidden in gone.items() if hidden]
    head = "".join(f"<th>{text(TEXT, k, lang)}</th>" for k in ("event", "when", "seats"))
    saved = f'<p class="ok">{text(TEXT, "saved", lang)}</p>' if visit.request.query_params.get("saved") else ""
    body = (f"<h2>{text(UI, 'events', lang)}</h2>{saved}"
            f'<p><a class="btn" href="/staff/events/new">{text(TEXT, "new", lang)}</a></p>'
            f'<div class="scroll"><table><tr>{head}<th></th></tr>{"".join(rows)}</table></div>')
    return visit.page(UI["events"][lang], body, "events")


def _summary(data: dict[str, Any]) -> str:
    title = data.get("title")
    title = title.get("en", "") if isinstance(title, dict) else str(title or "")
    seats = data.get("capacity")
    return (f"{title[:60]} · {data.get('starts', '')} · {'∞' if seats is None else seats} seats"
            f"{'' if data.get('registration_open', True) else ' · closed'}")


def _reverted(visit: Visit, event_id: str) -> None:
    """A revert that raised the capacity again seats the waitlist, as an edit does."""
    event = next((e for e in calendar(visit) if e.id == event_id), None)
    if event is not None:
        apply_capacities(visit.engine.db, [event], visit.engine.clock())


REVISIONS = revisions.Item("event", "/staff/events", "events", current, _summary, "(cancelled)", _reverted)
