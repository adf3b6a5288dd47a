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
    "logout": {"en": "Sign out", "zh": "退出"},
}
# The header's page links, in order: the key of their name in UI, and their path under /staff.
NAV = (("overview", ""), ("unanswered", "/unanswered"), ("faq", "/faq"), ("tickets", "/tickets"))

STYLE = """
body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
header{background:#1f3b70;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header a.on{border-bottom:2px solid #fff}
header form{margin-left:auto}main{padding:16px 20px;max-width:1400px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:14px}
.card{background:#fff;border-radius:8px;padding:12px;box-shadow:0 1px 2px #0002}
.stat{font-size:28px;font-weight:600}table{border-collapse:collapse;width:100%;background:#fff}
td,th{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left;vertical-align:top}
.chart{width:100%;height:auto}button{background:#2f6fde;color:#fff;border:0;border-radius:4px;padding:5px 10px}
.login{max-width:320px;margin:80px auto;background:#fff;padding:24px;border-radius:8px}
.login input{width:100%;margin:4px 0 12px;padding:6px;box-sizing:border-box}.err{color:#c94a4a}
pre{background:#fff;padding:12px;border-radius:6px;overflow:auto}.ok{color:#3aa55d}
"""


def text(table: Texts, key: str, lang: Lang) -> str:
    """One text of a page's table in the staff member's language, escaped for HTML."""
    return escape(table[key][lang])


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
