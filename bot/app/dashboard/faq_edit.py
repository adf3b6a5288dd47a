"""/staff/faq/new and /staff/faq/{id}/edit: FAQ entries written in the browser, checked as `gasme-bot knowledge
check` checks faq.yaml, saved as revisions (bot/desk/knowledge_edits.py); archive (never delete), revisions and
revert (revisions.py). Members get the change within GASME_RELOAD_SECONDS in every process (bot/app/reloader.py)."""

from __future__ import annotations

from html import escape
from typing import Any

from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.dashboard import forms, revisions
from bot.app.dashboard.forms import Errors
from bot.app.dashboard.layout import Texts, colon, text
from bot.app.dashboard.site import Site, Visit
from bot.desk import knowledge_edits as edits
from bot.understanding.knowledge_faq import check_faq_entry

TEXT: Texts = {
    "new": {"en": "New FAQ entry", "zh": "新建问答条目"},
    "edit": {"en": "Edit FAQ entry", "zh": "编辑问答条目"},
    "id": {"en": "Id", "zh": "编号"},
    "id_hint": {"en": "lower-case letters, digits and -", "zh": "小写字母、数字和 -"},
    "questions_en": {"en": "Questions in English", "zh": "英文问法"},
    "questions_zh": {"en": "Questions in Chinese", "zh": "中文问法"},
    "one_per_line": {"en": "one per line", "zh": "每行一个"},
    "answer_en": {"en": "Answer in English", "zh": "英文回答"},
    "answer_zh": {"en": "Answer in Chinese", "zh": "中文回答"},
    "handoff": {"en": "Also hand the question to staff", "zh": "同时转交工作人员"},
    "tags": {"en": "Tags", "zh": "标签"},
    "tags_hint": {"en": "comma-separated", "zh": "用逗号分隔"},
    "save": {"en": "Save", "zh": "保存"},
    "archive": {"en": "Archive (hide from members)", "zh": "归档（对会员隐藏）"},
    "taken": {"en": "this id is already used; edit that entry instead", "zh": "该编号已被使用，请编辑那个条目"},
    "fix": {"en": "Nothing was saved: please fix the fields marked below.", "zh": "未保存：请修改下面标出的字段。"},
    "archived": {"en": "This entry is archived: saving it makes it live again.",
                 "zh": "该条目已归档：保存后将重新启用。"},
}
FIRST = {"questions": "questions_en", "answer": "answer_en", "id": "id", "handoff": "handoff", "tags": "tags"}


def routes(site: Site) -> list[Route]:
    return [site.page("/staff/faq/new", new, ["GET", "POST"], editor=True),
            site.page("/staff/faq/{id}/edit", edit, ["GET", "POST"], editor=True),
            site.page("/staff/faq/{id}/archive", archive, ["POST"], editor=True),
            *revisions.routes(site, REVISIONS)]


def form_data(form: FormData, entry_id: str) -> dict[str, Any]:
    """The posted form as an entry in the file's format; an empty field is left out, so the checks say it is
    missing."""
    data: dict[str, Any] = {"id": entry_id} if entry_id else {}
    questions = forms.lines(forms.get(form, "questions_en")) + forms.lines(forms.get(form, "questions_zh"))
    if questions:
        data["questions"] = questions
    en, zh = forms.get(form, "answer_en"), forms.get(form, "answer_zh")
    if en:
        data["answer"] = {"en": en, "zh": zh} if zh else {"en": en}
    elif zh:
        data["answer"] = zh  # one text for every language until someone writes the English
    if form.get("handoff") == "on":
        data["handoff"] = True
    tags = forms.items(forms.get(form, "tags"))
    if tags:
        data["tags"] = tags
    return data


def values_of(data: dict[str, Any]) -> dict[str, str]:
    """An entry's data as the form's field values."""
    en, zh = forms.by_language(data.get("questions", []))
    answer = data.get("answer")
    answer = answer if isinstance(answer, dict) else {"en": answer or ""}
    return {"id": str(data.get("id", "")), "questions_en": "\n".join(en), "questions_zh": "\n".join(zh),
            "answer_en": answer.get("en", ""), "answer_zh": answer.get("zh", "") or "",
            "handoff": "on" if data.get("handoff") else "", "tags": ", ".join(data.get("tags", []))}


def _form(visit: Visit, action: str, values: dict[str, str], errors: Errors, new: bool, note: str = "") -> str:
    lang = visit.lang
    lab = {k: v[lang] for k, v in TEXT.items()}
    fields = [forms.text_field("id", lab["id"], values.get("id", ""), errors, lab["id_hint"])] if new else []
    fields += [forms.area("questions_en", lab["questions_en"], values.get("questions_en", ""), errors,
                          lab["one_per_line"]),
               forms.area("questions_zh", lab["questions_zh"], values.get("questions_zh", ""), errors,
                          lab["one_per_line"]),
               forms.area("answer_en", lab["answer_en"], values.get("answer_en", ""), errors, rows=5),
               forms.area("answer_zh", lab["answer_zh"], values.get("answer_zh", ""), errors, rows=5),
               forms.checkbox("handoff", lab["handoff"], values.get("handoff") == "on", errors),
               forms.text_field("tags", lab["tags"], values.get("tags", ""), errors, lab["tags_hint"])]
    fix = f'<p class="err">{text(TEXT, "fix", lang)}</p>' if errors else ""
    return (f'{fix}{note}<form method="post" action="{escape(action)}" class="edit">{forms.csrf_field(visit.csrf)}'
            f'{forms.general(errors)}{"".join(fields)}<button>{text(TEXT, "save", lang)}</button></form>')


def _taken(visit: Visit, entry_id: str) -> bool:
    return (visit.engine.library.knowledge.faq_by_id(entry_id) is not None
            or entry_id in edits.edited_ids(visit.engine.db, "faq"))


async def new(visit: Visit) -> Response:
    title = TEXT["new"][visit.lang]
    if visit.request.method == "GET":
        return visit.page(title, f"<h2>{escape(title)}</h2>" + _form(visit, "/staff/faq/new", {}, {}, True), "faq")
    form = await visit.form()
    entry_id = forms.get(form, "id")
    data = form_data(form, entry_id)
    _, problems = check_faq_entry(data)
    errors = forms.problems_to_errors(problems, FIRST)
    if entry_id and "id" not in errors and await visit.engine.run_async(_taken, visit, entry_id):
        errors["id"] = [TEXT["taken"][visit.lang]]
    if errors:
        values = {k: forms.get(form, k) for k in ("id", "questions_en", "questions_zh", "answer_en", "answer_zh",
                                                    "tags")} | {"handoff": forms.get(form, "handoff")}
        body = f"<h2>{escape(title)}</h2>" + _form(visit, "/staff/faq/new", values, errors, True)
        return visit.page(title, body, "faq", status=400)
    await visit.engine.run_async(_save, visit, entry_id, None, data, "create")
    return RedirectResponse(f"/staff/faq?saved={entry_id}", status_code=303)


def _save(visit: Visit, entry_id: str, before: dict[str, Any] | None, after: dict[str, Any], action: str) -> None:
    with visit.engine.db.begin() as conn:
        edits.save(conn, "faq", entry_id, before, after, action, visit.user, visit.engine.clock())


def current(visit: Visit, entry_id: str) -> dict[str, Any] | None:
    """The entry as members get it now (or, archived, as it was), or None when there is no such entry."""
    stored = edits.stored(visit.engine.db, "faq", entry_id)
    if stored is not None:
        return stored
    entry = visit.engine.library.knowledge.faq_by_id(entry_id)
    return None if entry is None else edits.faq_data(entry)


async def edit(visit: Visit) -> Response:
    entry_id = str(visit.request.path_params["id"])
    before = await visit.engine.run_async(current, visit, entry_id)
    if before is None:
        return Response("no such FAQ entry", status_code=404)
    title = f"{TEXT['edit'][visit.lang]}{colon(visit.lang)}{entry_id}"
    action = f"/staff/faq/{entry_id}/edit"
    note = f'<p class="err">{text(TEXT, "archived", visit.lang)}</p>' if edits.hidden(before) else ""
    if visit.request.method == "GET":
        body = f"<h2>{escape(title)}</h2>" + _form(visit, action, values_of(before), {}, False, note) + _extras(
            visit, entry_id, hidden=edits.hidden(before))
        return visit.page(title, body, "faq")
    form = await visit.form()
    data = form_data(form, entry_id)
    _, problems = check_faq_entry(data)
    if problems:
        errors = forms.problems_to_errors(problems, FIRST)
        values = {k: forms.get(form, k) for k in ("questions_en", "questions_zh", "answer_en", "answer_zh", "tags",
                                                    "handoff")}
        return visit.page(title, f"<h2>{escape(title)}</h2>" + _form(visit, action, values, errors, False), "faq",
                          status=400)
    await visit.engine.run_async(_save, visit, entry_id, before, data, "edit")
    return RedirectResponse(f"/staff/faq?saved={entry_id}", status_code=303)


def _extras(visit: Visit, entry_id: str, hidden: bool) -> str:
    lang = visit.lang
    archive_form = "" if hidden else (
        f'<form method="post" action="/staff/faq/{escape(entry_id)}/archive">{forms.csrf_field(visit.csrf)}'
        f'<button class="warn">{text(TEXT, "archive", lang)}</button></form>')
    return archive_form + revisions.link(REVISIONS, entry_id, lang)


async def archive(visit: Visit) -> Response:
    entry_id = str(visit.request.path_params["id"])
    before = await visit.engine.run_async(current, visit, entry_id)
    if before is None:
        return Response("no such FAQ entry", status_code=404)
    await visit.engine.run_async(_save, visit, entry_id, before, {**before, "archived": True}, "archive")
    return RedirectResponse(f"/staff/faq?archived={entry_id}", status_code=303)


def _summary(data: dict[str, Any]) -> str:
    answer = data.get("answer")
    en = answer.get("en", "") if isinstance(answer, dict) else str(answer or "")
    return f"{len(data.get('questions', []))} q · {en[:80]}"


REVISIONS = revisions.Item("faq", "/staff/faq", "faq", current, _summary, "(archived)")
