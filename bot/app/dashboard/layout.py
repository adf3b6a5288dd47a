"""The HTML shell every dashboard page shares: header with the page links, the language switch (English/中文,
`?lang=zh`, remembered in a cookie), the style sheet (phone-friendly, no script), and the security headers."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.messages import Lang

LANG_COOKIE = "gasme_staff_lang"
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")

Texts = dict[str, dict[str, str]]

UI: Texts = {
    "title": {"en": "GASME staff", "zh": "GASME 工作台"},
    "overview": {"en": "Overview", "zh": "概览"},
    "unanswered": {"en": "Unanswered", "zh": "未回答"},
    "faq": {"en": "FAQ entries", "zh": "常见问题"},
    "tickets": {"en": "Tickets", "zh": "工单"},
    "events": {"en": "Events", "zh": "活动"},
    "logout": {"en": "Sign out", "zh": "退出"},
}
# The header's page links, in order: the key of their name in UI, and their path under /staff.
NAV = (("overview", ""), ("unanswered", "/unanswered"), ("faq", "/faq"), ("events", "/events"),
       ("tickets", "/tickets"))

STYLE = """
body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1f3b70;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header a.on{border-bottom:2px solid #fff}
header form{margin-left:auto}main{padding:16px 20px;max-width:1400px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(420px,100%),1fr));gap:14px}
.card{background:#fff;border-radius:8px;padding:12px;box-shadow:0 1px 2px #0002}
.stat{font-size:28px;font-weight:600}table{border-collapse:collapse;width:100%;background:#fff}
td,th{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top}
.chart{width:100%;height:auto}button{background:#2f6fde;color:#fff;border:0;border-radius:4px;padding:5px 10px}
.login{max-width:320px;margin:80px auto;background:#fff;padding:24px;border-radius:8px}
.login input{width:100%;margin:4px 0 12px;padding:6px;box-sizing:border-box}.err{color:#c94a4a}
pre{background:#fff;padding:12px;border-radius:6px;overflow:auto}.ok{color:#3aa55d}
.scroll{overflow-x:auto}form.edit{max-width:720px;background:#fff;padding:12px;border-radius:8px}
label.f{display:block;margin:10px 0 2px;font-weight:600}label.f small{font-weight:400;color:#6b7785}
label.f input,label.f textarea,.row input{display:block;width:100%;box-sizing:border-box;padding:6px;
font:inherit;font-weight:400;margin-top:3px}label.c{display:block;margin:10px 0}
form.edit button,.row button{margin-top:10px}.row{display:flex;gap:8px;flex-wrap:wrap;align-items:flex-end;
max-width:720px;margin:8px 0}.row label,.row input{flex:1 1 200px}form.inline{display:inline}
a.btn{display:inline-block;background:#2f6fde;color:#fff;padding:6px 12px;border-radius:4px;text-decoration:none}
button.warn{background:#c94a4a;margin-top:8px}.msg{background:#fff;border-radius:6px;padding:6px 10px;
margin:4px 0;max-width:720px}.msg.in{border-left:3px solid #2f6fde}.msg.staff{border-left:3px solid #3aa55d}
.msg.note{border-left:3px solid #d4b02a}.try{background:#fff;padding:8px;border-radius:6px;max-width:720px}
table.nowrap td,table.nowrap th{white-space:nowrap}
@media (max-width:600px){main{padding:10px}header{padding:8px 10px;gap:10px}td,th{padding:4px}}
"""


def text(table: Texts, key: str, lang: Lang) -> str:
    """One text of a page's table in the staff member's language, escaped for HTML."""
    return escape(table[key][lang])


def colon(lang: Lang) -> str:
    """A title's colon: full-width in Chinese text."""
    return "：" if lang == "zh" else ": "


def lang_of(request: Request) -> Lang:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "en"
    return "zh" if chosen == "zh" else "en"


def header(lang: Lang, active: str, user: str, csrf: str) -> str:
    links = "".join(f'<a href="/staff{path}" class="{"on" if key == active else ""}">{text(UI, key, lang)}</a>'
                    for key, path in NAV)
    other = "zh" if lang == "en" else "en"
    return (f'<header><strong>{text(UI, "title", lang)}</strong>{links}'
            f'<a href="?lang={other}">{"中文" if other == "zh" else "English"}</a>'
            f'<form method="post" action="/staff/logout"><input type="hidden" name="csrf" value="{csrf}">'
            f'<button>{text(UI, "logout", lang)} ({escape(user)})</button></form></header>')


def render(request: Request, lang: Lang, title: str, body: str, active: str = "", user: str | None = None,
           csrf: str = "", status: int = 200) -> HTMLResponse:
    """A whole page: the header (for a signed-in user), then `body`, which the caller has escaped."""
    nav = header(lang, active, user, csrf) if user else ""
    html = (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>{nav}<main>{body}</main></body></html>")
    response = HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP,
                                                               "Cache-Control": "no-store"})
    if request.query_params.get("lang") in ("en", "zh"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="strict", path="/staff")
    return response
