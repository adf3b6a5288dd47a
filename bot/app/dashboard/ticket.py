"""/staff/tickets/{id}: one ticket, the member's details and conversation, and what staff do with it: reply (the
member gets it on their channel, as from a Slack thread: the desk's reply path), an internal note (staff only),
claim, resolve, and hand the member back to the bot. Every action is logged with the staff member's name."""

from __future__ import annotations

from html import escape

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.dashboard import forms
from bot.app.dashboard.layout import Texts, text
from bot.app.dashboard.site import Site, Visit
from bot.desk import staff_log

TEXT: Texts = {
    "ticket": {"en": "Ticket", "zh": "工单"}, "member": {"en": "Member", "zh": "会员"},
    "name": {"en": "Name", "zh": "姓名"}, "company": {"en": "Company", "zh": "公司"},
    "email": {"en": "Email", "zh": "邮箱"}, "language": {"en": "Language", "zh": "语言"},
    "status": {"en": "Status", "zh": "状态"}, "conversation": {"en": "Conversation", "zh": "对话"},
    "reply": {"en": "Reply to the member", "zh": "回复会员"}, "send": {"en": "Send", "zh": "发送"},
    "note": {"en": "Internal note (staff only)", "zh": "内部备注（仅工作人员可见）"},
    "add_note": {"en": "Add note", "zh": "添加备注"}, "notes": {"en": "Notes", "zh": "备注"},
    "claim": {"en": "Claim", "zh": "认领"}, "resolve": {"en": "Resolve", "zh": "标记解决"},
    "hand_back": {"en": "Hand back to the bot", "zh": "交还给机器人"},
    "in": {"en": "member", "zh": "会员"}, "out": {"en": "bot", "zh": "机器人"},
    "staff": {"en": "staff", "zh": "工作人员"},
    "empty": {"en": "Write something first.", "zh": "请先填写内容。"},
    "closed": {"en": "This ticket is resolved.", "zh": "此工单已解决。"},
}


def routes(site: Site) -> list[Route]:
    return [site.page("/staff/tickets/{id:int}", ticket),
            site.page("/staff/tickets/{id:int}/reply", reply, ["POST"]),
            site.page("/staff/tickets/{id:int}/note", note, ["POST"]),
            site.page("/staff/tickets/{id:int}/claim", claim, ["POST"]),
            site.page("/staff/tickets/{id:int}/resolve", resolve, ["POST"]),
            site.page("/staff/tickets/{id:int}/hand-back", hand_back, ["POST"])]


def _button(visit: Visit, ticket_id: int, action: str, label: str) -> str:
    return (f'<form method="post" action="/staff/tickets/{ticket_id}/{action}" class="inline">'
            f'{forms.csrf_field(visit.csrf)}<button>{escape(label)}</button></form>')


def _write(visit: Visit, ticket_id: int, action: str, label: str, button: str, error: str = "") -> str:
    err = f'<p class="err">{escape(error)}</p>' if error else ""
    return (f'<form method="post" action="/staff/tickets/{ticket_id}/{action}" class="edit">'
            f'{forms.csrf_field(visit.csrf)}<label class="f">{escape(label)}<textarea name="text" rows="3">'
            f"</textarea></label>{err}<button>{escape(button)}</button></form>")


async def ticket(visit: Visit, error: str = "", status: int = 200) -> Response:
    ticket_id, lang = int(visit.request.path_params["id"]), visit.lang
    view = await visit.engine.run_async(visit.engine.staff.view, ticket_id)
    if view is None:
        return Response("no such ticket", status_code=404)
    notes = await visit.engine.run_async(staff_log.of, visit.engine.db, f"ticket:{ticket_id}")
    p = view.profile
    details = "".join(f"<tr><th>{text(TEXT, k, lang)}</th><td>{escape(str(v or '-'))}</td></tr>" for k, v in (
        ("member", f"{view.channel}:{view.user_id}"), ("name", p.get("name")), ("company", p.get("company")),
        ("email", p.get("email")), ("language", view.lang),
        ("status", view.status + (f" ({view.claimed_by})" if view.claimed_by else ""))))
    lines = "".join(f'<p class="msg {escape(m["who"])}"><small>{text(TEXT, m["who"], lang) if m["who"] in TEXT else ""}'
                    f'</small> {escape(m["text"])}</p>' for m in view.transcript)
    kept = "".join(f'<p class="msg note"><small>{escape(n.staff)} · {escape(str(n.created_at)[:16])}</small> '
                   f'{escape(str(n.detail.get("text", "")))}</p>' for n in notes if n.action == "ticket_note")
    title = f"{TEXT['ticket'][lang]} #{ticket_id}"
    actions = f'<p class="ok">{text(TEXT, "closed", lang)}</p>' if view.status == "resolved" else (
        _write(visit, ticket_id, "reply", TEXT["reply"][lang], TEXT["send"][lang], error)
        + _write(visit, ticket_id, "note", TEXT["note"][lang], TEXT["add_note"][lang])
        + '<p class="row">' + (_button(visit, ticket_id, "claim", TEXT["claim"][lang]) if view.status == "open"
                               else "")
        + _button(visit, ticket_id, "resolve", TEXT["resolve"][lang])
        + _button(visit, ticket_id, "hand-back", TEXT["hand_back"][lang]) + "</p>")
    body = (f"<h2>{escape(title)}</h2><table class=\"details\">{details}</table>"
            f"<h3>{text(TEXT, 'conversation', lang)}</h3><div class=\"chat\">{lines}</div>"
            + (f"<h3>{text(TEXT, 'notes', lang)}</h3>{kept}" if kept else "") + actions)
    return visit.page(title, body, "tickets", status)


def _said(form_text: object) -> str:
    return form_text.strip()[:4000] if isinstance(form_text, str) else ""


async def reply(visit: Visit) -> Response:
    ticket_id = int(visit.request.path_params["id"])
    said = _said((await visit.form()).get("text"))
    if not said:
        return await ticket(visit, TEXT["empty"][visit.lang], 400)
    engine = visit.engine
    # The desk's own reply path, as a Slack thread reply: the member gets it on their channel through the outbox.
    result = await engine.run_async(engine.staff.reply, ticket_id, said, f"dashboard:{visit.user}", True)
    if result == "not_found":
        return Response("no such ticket", status_code=404)
    if result == "closed":
        return await ticket(visit, TEXT["closed"][visit.lang], 409)
    await engine.run_async(staff_log.record_now, engine.db, visit.user, "ticket_reply", f"ticket:{ticket_id}",
                           {"chars": len(said)}, engine.clock())
    return RedirectResponse(f"/staff/tickets/{ticket_id}", status_code=303)


async def note(visit: Visit) -> Response:
    ticket_id = int(visit.request.path_params["id"])
    said = _said((await visit.form()).get("text"))
    if not said:
        return await ticket(visit, TEXT["empty"][visit.lang], 400)
    engine = visit.engine
    result = await engine.run_async(engine.staff.reply, ticket_id, f"note: {said}", f"dashboard:{visit.user}", True)
    if result == "not_found":
        return Response("no such ticket", status_code=404)
    await engine.run_async(staff_log.record_now, engine.db, visit.user, "ticket_note", f"ticket:{ticket_id}",
                           {"text": said}, engine.clock())
    return RedirectResponse(f"/staff/tickets/{ticket_id}", status_code=303)


async def claim(visit: Visit) -> Response:
    ticket_id, engine = int(visit.request.path_params["id"]), visit.engine
    await engine.run_async(engine.staff.claim, ticket_id, f"dashboard:{visit.user}")
    await engine.run_async(staff_log.record_now, engine.db, visit.user, "ticket_claim", f"ticket:{ticket_id}", {},
                           engine.clock())
    return RedirectResponse(f"/staff/tickets/{ticket_id}", status_code=303)


async def _close(visit: Visit, hand_back: bool) -> Response:
    ticket_id, engine = int(visit.request.path_params["id"]), visit.engine
    result = await engine.run_async(engine.staff.resolve, ticket_id, f"dashboard:{visit.user}", hand_back)
    if result == "not_found":
        return Response("no such ticket", status_code=404)
    await engine.run_async(staff_log.record_now, engine.db, visit.user,
                           "ticket_hand_back" if hand_back else "ticket_resolve", f"ticket:{ticket_id}", {},
                           engine.clock())
    return RedirectResponse(f"/staff/tickets/{ticket_id}", status_code=303)


async def resolve(visit: Visit) -> Response:
    return await _close(visit, False)


async def hand_back(visit: Visit) -> Response:
    return await _close(visit, True)


