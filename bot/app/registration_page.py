"""The page behind the links in registration emails: GET /registration/{token} shows the registration and one
button; POST (the button) cancels it or confirms a held seat. No script is needed, and no CSRF field: the signed,
single-use token in the address is what authorises the form. GET changes nothing, so a mail scanner that follows
links cannot cancel anyone. English or Chinese as the member registered, `?lang=en|zh` to switch.
"""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.desk import calendar_text
from bot.desk.holds import LinkDesk, LinkPage
from bot.desk.mail_text import mt
from bot.engine import BotEngine
from bot.messages import Lang

WORDS: dict[str, dict[Lang, str]] = {
    "title": {"en": "Your registration", "zh": "您的报名"},
    "ask_cancel": {"en": "Not you, or can't come? Cancel this registration:",
                   "zh": "不是您本人，或无法出席？可取消此报名："},
    "ask_confirm": {"en": "Please confirm this registration to keep your place:", "zh": "请确认此报名以保留名额："},
    "btn_cancel": {"en": "Cancel this registration", "zh": "取消此报名"},
    "btn_confirm": {"en": "Confirm my registration", "zh": "确认报名"},
    "done_cancel": {"en": "This registration is cancelled. A confirmation is on its way by email.",
                    "zh": "此报名已取消，确认邮件随后发出。"},
    "done_confirm": {"en": "Thank you: your registration is confirmed.", "zh": "谢谢，您的报名已确认。"},
    "used": {"en": "This link has already been used.", "zh": "此链接已使用过。"},
    "expired": {"en": "This link has expired.", "zh": "此链接已过期。"},
    "invalid": {"en": "This link is not valid. Please check that it was copied whole.",
                "zh": "此链接无效，请确认链接已完整复制。"},
    "gone": {"en": "This registration has already been cancelled.", "zh": "此报名已取消。"},
}
STATUS = {"ok": 200, "done": 200, "used": 410, "expired": 410, "gone": 410, "invalid": 404}
CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"


def _w(key: str, lang: Lang) -> str:
    return html.escape(WORDS[key][lang])


def _facts(page: LinkPage, lang: Lang) -> str:
    colon = "：" if lang == "zh" else ": "
    rows = [(mt("label_number", lang), f"#{page.number}"), (mt("label_name", lang), page.name),
            (mt("label_company", lang), page.company), (mt("label_email", lang), page.email)]
    if page.event is not None:
        rows[:0] = [(mt("label_when", lang), calendar_text.when(page.event, lang))]
        title = f"<h2>{html.escape(page.event.title.get(lang))}</h2>"
    else:
        title = ""
    items = "".join(f"<li>{html.escape(k)}{colon}{html.escape(v)}</li>" for k, v in rows)
    return f"{title}<ul>{items}</ul>"


def render(page: LinkPage, lang: Lang, path: str) -> str:
    other: Lang = "en" if lang == "zh" else "zh"
    switch = f'<p><a href="{html.escape(path)}?lang={other}">{"English" if other == "en" else "中文"}</a></p>'
    if page.state in ("ok", "done"):
        body = _facts(page, lang)
        if page.state == "done":
            body += f"<p><strong>{_w('done_' + page.purpose, lang)}</strong></p>"
        else:
            verb = "confirm" if page.purpose == "confirm" else "cancel"
            body += (f"<p>{_w('ask_' + verb, lang)}</p><form method=\"post\" action=\"{html.escape(path)}\">"
                     f"<input type=\"hidden\" name=\"lang\" value=\"{lang}\">"
                     f"<button type=\"submit\">{_w('btn_' + verb, lang)}</button></form>")
    else:
        body = f"<p>{_w(page.state, lang)}</p>"
    return (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_w("title", lang)}</title>'
            f"</head><body><h1>{_w('title', lang)}</h1>{body}{switch}</body></html>")


def routes(engine: BotEngine, desk: LinkDesk) -> list[Route]:
    async def page(request: Request) -> Response:
        token = request.path_params["token"]
        if request.method == "POST":
            form = await request.form()
            asked = form.get("lang")
            found = await engine.run_async(desk.use, token)
        else:
            asked = request.query_params.get("lang")
            found = await engine.run_async(desk.look, token)
        lang: Lang = asked if asked in ("en", "zh") else found.lang  # type: ignore[assignment]
        return HTMLResponse(render(found, lang, request.url.path), status_code=STATUS[found.state],
                            headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store",
                                     "X-Robots-Tag": "noindex"})

    return [Route("/registration/{token:str}", page, methods=["GET", "POST"])]
