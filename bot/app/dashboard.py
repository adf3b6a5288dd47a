"""The staff dashboard at /staff: overview charts, unanswered questions (teach, new entry draft), FAQ entries with
hits and feedback, tickets. Server-rendered HTML with inline SVG charts (bot/app/charts.py): no script at all, no
build step. English and Chinese (`?lang=zh`, remembered in a cookie).

Access: accounts from `gasme-bot staff add-user`; a login sets a signed, HttpOnly, SameSite=Strict session cookie
that carries the name and the login time and lapses after GASME_STAFF_SESSION_HOURS. Every form carries a CSRF
token derived from the session (the login form: a double-submit cookie). Failed logins are slowed (a growing pause
per name and address) and, past five in fifteen minutes, refused until the window passes.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.app import charts
from bot.desk import insights, learning, staff_accounts
from bot.engine import BotEngine
from bot.messages import Lang

COOKIE = "gasme_staff"
LOGIN_CSRF = "gasme_staff_login"
LANG_COOKIE = "gasme_staff_lang"
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")

UI: dict[str, dict[str, str]] = {
    "title": {"en": "GASME staff", "zh": "GASME 工作台"},
    "overview": {"en": "Overview", "zh": "概览"},
    "unanswered": {"en": "Unanswered", "zh": "未回答"},
    "faq": {"en": "FAQ entries", "zh": "常见问题"},
    "tickets": {"en": "Tickets", "zh": "工单"},
    "logout": {"en": "Sign out", "zh": "退出"},
    "login": {"en": "Sign in", "zh": "登录"},
    "name": {"en": "Name", "zh": "用户名"},
    "password": {"en": "Password", "zh": "密码"},
    "bad_login": {"en": "Wrong name or password.", "zh": "用户名或密码错误。"},
    "locked": {"en": "Too many failed sign-ins. Try again in 15 minutes.", "zh": "登录失败次数过多，请15分钟后再试。"},
    "by_channel": {"en": "Messages per day by channel", "zh": "每日消息（按渠道）"},
    "by_language": {"en": "Messages per day by language", "zh": "每日消息（按语言）"},
    "outcomes": {"en": "What became of questions (share per day)", "zh": "问题处理情况（每日占比）"},
    "tickets_opened": {"en": "Tickets opened per day", "zh": "每日新工单"},
    "open_now": {"en": "Open tickets now", "zh": "当前未结工单"},
    "first_reply": {"en": "Median time to first staff reply", "zh": "首次人工回复中位时间"},
    "seats": {"en": "Registrations per event against capacity", "zh": "各活动报名与名额"},
    "minutes": {"en": "min", "zh": "分钟"},
    "none_yet": {"en": "none yet", "zh": "暂无"},
    "count": {"en": "Count", "zh": "次数"},
    "examples": {"en": "Examples", "zh": "示例"},
    "languages": {"en": "Languages", "zh": "语言"},
    "closest": {"en": "Closest entry", "zh": "最接近的条目"},
    "teach": {"en": "Teach", "zh": "教给机器人"},
    "draft": {"en": "New entry draft", "zh": "新条目草稿"},
    "nothing": {"en": "Nothing unanswered in this period.", "zh": "这段时间没有未回答的问题。"},
    "taught": {"en": "Taught: the bot answers these within seconds.", "zh": "已学会：几秒内机器人即可回答。"},
    "entry": {"en": "Entry", "zh": "条目"},
    "hits": {"en": "Answers given", "zh": "回答次数"},
    "helpful": {"en": "Helpful", "zh": "有帮助"},
    "not_helpful": {"en": "Not helpful", "zh": "没帮助"},
    "question": {"en": "Question", "zh": "问题"},
    "status": {"en": "Status", "zh": "状态"},
    "member": {"en": "Member", "zh": "会员"},
    "opened": {"en": "Opened", "zh": "创建时间"},
    "draft_help": {"en": "Paste this into faq.yaml, write the answer, then run gasme-bot knowledge check.",
                   "zh": "将以下内容粘贴到 faq.yaml，填写答案，然后运行 gasme-bot knowledge check。"},
    "days": {"en": "days", "zh": "天"},
    "learned": {"en": "Phrasings taught and learned from members' choices",
                "zh": "已教给机器人及从会员选择中学到的问法"},
    "phrasing": {"en": "Phrasing", "zh": "问法"},
    "source": {"en": "Source", "zh": "来源"},
    "undo": {"en": "Undo", "zh": "撤销"},
    "added": {"en": "Added", "zh": "添加时间"},
    "undone": {"en": "Removed: the bot stops answering it within seconds.", "zh": "已撤销：几秒内生效。"},
    "members": {"en": "members", "zh": "会员"},
    "staff": {"en": "staff", "zh": "工作人员"},
}
OUTCOME_NAMES = {"en": {}, "zh": {"answered": "已回答", "suggested": "给出建议", "unknown": "不知道",
                                  "handed off": "转人工"}}

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


class Auth:
    """Signed session cookies and CSRF tokens, and the failed-login counters."""

    def __init__(self, key: str, hours: float, clock: Callable[[], datetime], pause: float = 0.5):
        self.key = hashlib.sha256(b"staff-dashboard:" + key.encode()).digest()
        self.lifetime = timedelta(hours=hours)
        self.clock = clock
        self.pause = pause  # seconds after the first failure; doubles with each further one
        self.failures: dict[str, list[datetime]] = {}

    def _mac(self, value: str) -> str:
        return base64.urlsafe_b64encode(hmac.new(self.key, value.encode(), hashlib.sha256).digest()).decode()[:43]

    def issue(self, name: str) -> str:
        body = base64.urlsafe_b64encode(f"{name}\n{self.clock().timestamp():.0f}".encode()).decode()
        return f"{body}.{self._mac(body)}"

    def user(self, cookie: str | None) -> str | None:
        """The signed-in name, or None for a missing, forged or expired cookie."""
        if not cookie or "." not in cookie:
            return None
        body, mac = cookie.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            name, issued = base64.urlsafe_b64decode(body.encode()).decode().split("\n")
            age = self.clock().timestamp() - float(issued)
        except ValueError:
            return None
        return name if 0 <= age <= self.lifetime.total_seconds() else None

    def csrf(self, cookie: str) -> str:
        return self._mac("csrf\n" + cookie)

    def locked(self, who: str) -> bool:
        now = self.clock()
        recent = [t for t in self.failures.get(who, []) if now - t < FAILURE_WINDOW]
        self.failures[who] = recent
        return len(recent) >= MAX_FAILURES

    async def failed(self, who: str) -> None:
        self.failures.setdefault(who, []).append(self.clock())
        # A growing pause makes guessing slow for one name from one address, without locking staff out for long.
        await asyncio.sleep(min(self.pause * 2 ** (len(self.failures[who]) - 1), 8.0))


def _lang(request: Request) -> Lang:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "en"
    return "zh" if chosen == "zh" else "en"


def _page(request: Request, lang: Lang, title: str, body: str, active: str = "", user: str | None = None,
          csrf: str = "", status: int = 200) -> HTMLResponse:
    nav = ""
    if user:
        links = "".join(f'<a href="/staff{path}" class="{"on" if key == active else ""}">{escape(UI[key][lang])}</a>'
                        for key, path in (("overview", ""), ("unanswered", "/unanswered"), ("faq", "/faq"),
                                          ("tickets", "/tickets")))
        other = "zh" if lang == "en" else "en"
        nav = (f'<header><strong>{escape(UI["title"][lang])}</strong>{links}'
               f'<a href="?lang={other}">{"中文" if other == "zh" else "English"}</a>'
               f'<form method="post" action="/staff/logout"><input type="hidden" name="csrf" value="{csrf}">'
               f'<button>{escape(UI["logout"][lang])} ({escape(user)})</button></form></header>')
    html = (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>{nav}<main>{body}</main></body></html>")
    response = HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP,
                                                               "Cache-Control": "no-store"})
    if request.query_params.get("lang") in ("en", "zh"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="strict", path="/staff")
    return response


Handler = Callable[[Request, str, str, Lang], Awaitable[Response]]


def routes(engine: BotEngine, key: str, session_hours: float = 12.0, secure: bool = False,
           pause: float = 0.5) -> list[Route]:
    auth = Auth(key, session_hours, engine.clock, pause)
    db = engine.db

    def signed_in(view: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def wrapped(request: Request) -> Response:
            cookie = request.cookies.get(COOKIE)
            user = auth.user(cookie)
            if user is None or cookie is None:
                return RedirectResponse("/staff/login", status_code=303)
            csrf = auth.csrf(cookie)
            if request.method == "POST":
                form = await request.form()
                if not hmac.compare_digest(str(form.get("csrf", "")), csrf):
                    return Response("CSRF token missing or wrong", status_code=403)
            return await view(request, user, csrf, _lang(request))
        return wrapped

    async def login(request: Request) -> Response:
        lang = _lang(request)
        error = ""
        if request.method == "POST":
            form = await request.form()
            token = request.cookies.get(LOGIN_CSRF, "")
            if not token or not hmac.compare_digest(str(form.get("csrf", "")), token):
                return Response("CSRF token missing or wrong", status_code=403)
            name, password = str(form.get("name", ""))[:64], str(form.get("password", ""))[:1024]
            who = f"{name.strip().lower()}\n{request.client.host if request.client else '?'}"
            if auth.locked(who):
                error, status = UI["locked"][lang], 429
            elif await asyncio.to_thread(staff_accounts.check_password, db, name, password):
                auth.failures.pop(who, None)
                done = RedirectResponse("/staff", status_code=303)
                done.set_cookie(COOKIE, auth.issue(name.strip()), max_age=int(auth.lifetime.total_seconds()),
                                httponly=True, samesite="strict", secure=secure, path="/staff")
                done.delete_cookie(LOGIN_CSRF, path="/staff")
                return done
            else:
                await auth.failed(who)
                error, status = UI["bad_login"][lang], 401
        token = secrets.token_urlsafe(24)
        body = (f'<form class="login" method="post" action="/staff/login"><h2>{escape(UI["title"][lang])}</h2>'
                + (f'<p class="err">{escape(error)}</p>' if error else "")
                + f'<label>{escape(UI["name"][lang])}<input name="name" autocomplete="username" required></label>'
                f'<label>{escape(UI["password"][lang])}<input name="password" type="password" '
                f'autocomplete="current-password" required></label><input type="hidden" name="csrf" value="{token}">'
                f'<button>{escape(UI["login"][lang])}</button></form>')
        response = _page(request, lang, UI["login"][lang], body, status=status if error else 200)
        response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", secure=secure, path="/staff")
        return response

    @signed_in
    async def logout(request: Request, user: str, csrf: str, lang: Lang) -> Response:
        response = RedirectResponse("/staff/login", status_code=303)
        response.delete_cookie(COOKIE, path="/staff")
        return response

    @signed_in
    async def overview(request: Request, user: str, csrf: str, lang: Lang) -> Response:
        now = engine.clock()
        data = await engine.run_async(insights.overview, db, now, 14)
        library = engine.library
        seats = await engine.run_async(insights.seats, db, library.knowledge.events, now)
        names = OUTCOME_NAMES[lang]
        outcomes = {names.get(k, k): v for k, v in data.outcomes.items()}
        first = (f"{data.first_reply_minutes:.0f} {UI['minutes'][lang]}" if data.first_reply_minutes is not None
                 else UI["none_yet"][lang])
        cards = [
            charts.stacked_bars(UI["by_channel"][lang], data.days, data.by_channel or {"-": [0] * len(data.days)}),
            charts.stacked_bars(UI["by_language"][lang], data.days,
                                data.by_language or {"-": [0] * len(data.days)}),
            charts.stacked_bars(UI["outcomes"][lang], data.days, outcomes, percent=True),
            f'<div><span>{escape(UI["open_now"][lang])}</span><div class="stat" id="open-tickets">'
            f'{data.open_tickets}</div><span>{escape(UI["first_reply"][lang])}</span><div class="stat">'
            f'{escape(first)}</div>'
            + charts.stacked_bars(UI["tickets_opened"][lang], data.days, {UI["tickets"][lang]: data.tickets_opened},
                                  height=180) + "</div>",
            charts.capacity_bars(UI["seats"][lang], [(ev.title.get(lang), c, w, ev.capacity) for ev, c, w in seats]),
        ]
        body = '<div class="cards">' + "".join(f'<div class="card">{c}</div>' for c in cards) + "</div>"
        return _page(request, lang, UI["overview"][lang], body, "overview", user, csrf)

    @signed_in
    async def unanswered(request: Request, user: str, csrf: str, lang: Lang) -> Response:
        try:
            days = max(1, min(int(request.query_params.get("days", "7")), 365))
        except ValueError:
            days = 7
        library = engine.library
        groups = await engine.run_async(learning.unanswered_groups, db, library,
                                        engine.clock() - timedelta(days=days))
        options = "".join(f'<option value="{escape(e.id)}">{escape(e.id)}</option>' for e in library.knowledge.faq)
        rows = []
        for g in groups:
            ids = ",".join(str(i) for i in g.ids[:50])
            select_html = options.replace(f'value="{escape(g.closest or "")}"',
                                          f'value="{escape(g.closest or "")}" selected', 1)
            rows.append(
                f'<tr class="group"><td>{g.count}</td><td>{"<br>".join(escape(e) for e in g.examples)}</td>'
                f'<td>{escape(", ".join(g.languages))}</td><td>{escape(g.closest or "-")} ({g.score:.2f})</td><td>'
                f'<form method="post" action="/staff/teach"><input type="hidden" name="csrf" value="{csrf}">'
                f'<input type="hidden" name="ids" value="{ids}"><select name="entry">{select_html}</select> '
                f'<button>{escape(UI["teach"][lang])}</button></form>'
                f'<a href="/staff/draft?ids={ids}">{escape(UI["draft"][lang])}</a></td></tr>')
        note = f'<p class="ok">{escape(UI["taught"][lang])}</p>' if request.query_params.get("taught") else ""
        head = "".join(f"<th>{escape(UI[k][lang])}</th>" for k in ("count", "examples", "languages", "closest"))
        table = (f"<table><tr>{head}<th></th></tr>{''.join(rows)}</table>" if rows
                 else f"<p>{escape(UI['nothing'][lang])}</p>")
        body = f"<h2>{escape(UI['unanswered'][lang])} ({days} {escape(UI['days'][lang])})</h2>{note}{table}"
        return _page(request, lang, UI["unanswered"][lang], body, "unanswered", user, csrf)

    def _ids(raw: str) -> list[int]:
        return [int(x) for x in raw.split(",") if x.strip().isdigit()][:50]

    @signed_in
    async def teach(request: Request, user: str, csrf: str, lang: Lang) -> Response:
        form = await request.form()
        try:
            await engine.run_async(learning.teach_group, db, engine.library, str(form.get("entry", "")),
                                   _ids(str(form.get("ids", ""))), f"dashboard:{user}", engine.clock())
        except ValueError:
            return Response("no such FAQ entry", status_code=400)
        return RedirectResponse("/staff/unanswered?taught=1", status_code=303)

    @signed_in
    async def draft(request: Request, user: str, csrf: str, lang: Lang) -> Response:
        texts = await engine.run_async(learning.phrasings_of, db, _ids(request.query_params.get("ids", "")))
        questions = "".join(f"\n    - {_yaml_string(t)}" for t in texts[:5]) or "\n    - ..."
        snippet = (f"- id: new-entry\n  questions:{questions}\n  answer:\n    en: >-\n      ...\n"
                   f"    zh: >-\n      ...\n")
        body = (f"<h2>{escape(UI['draft'][lang])}</h2><p>{escape(UI['draft_help'][lang])}</p>"
                f"<pre>{escape(snippet)}</pre>")
        return _page(request, lang, UI["draft"][lang], body, "unanswered", user, csrf)

    @signed_in
    async def faq(request: Request, user: str, csrf: str, lang: Lang) -> Response:
        hits = await engine.run_async(learning.hit_counts, db, None)
        votes = await engine.run_async(learning.feedback_counts, db, None)
        rows = []
        for e in engine.library.knowledge.faq:
            v = votes.get(e.id)
            rows.append(f'<tr><td><code>{escape(e.id)}</code><br>{escape(e.questions[0])}</td><td>{hits[e.id]}</td>'
                        f"<td>{v['up'] if v else 0}</td><td>{v['down'] if v else 0}</td></tr>")
        head = "".join(f"<th>{escape(UI[k][lang])}</th>" for k in ("entry", "hits", "helpful", "not_helpful"))
        learned = _learned_table(await engine.run_async(learning.taught_list, db, None), csrf, lang)
        note = f'<p class="ok">{escape(UI["undone"][lang])}</p>' if request.query_params.get("undone") else ""
        body = f"<h2>{escape(UI['faq'][lang])}</h2>{note}<table><tr>{head}</tr>{''.join(rows)}</table>{learned}"
        return _page(request, lang, UI["faq"][lang], body, "faq", user, csrf)

    @signed_in
    async def untaught(request: Request, user: str, csrf: str, lang: Lang) -> Response:
        form = await request.form()
        done = await engine.run_async(learning.untaught, db, str(form.get("entry", ""))[:100],
                                      str(form.get("phrasing", ""))[:500])
        if not done:
            return Response("no such taught phrasing", status_code=404)
        return RedirectResponse("/staff/faq?undone=1", status_code=303)

    @signed_in
    async def tickets(request: Request, user: str, csrf: str, lang: Lang) -> Response:
        listing = await engine.run_async(engine.staff.listing, False)
        rows = "".join(f'<tr><td>#{t["id"]}</td><td>{escape(t["status"])}</td><td>{escape(t["channel"])}'
                       f'</td><td>{escape(t["question"][:300])}</td><td>{escape(str(t["created_at"])[:16])}</td></tr>'
                       for t in listing)
        head = "".join(f"<th>{escape(UI[k][lang])}</th>" for k in ("tickets", "status", "member", "question", "opened"))
        body = f"<h2>{escape(UI['tickets'][lang])}</h2><table><tr>{head}</tr>{rows}</table>"
        return _page(request, lang, UI["tickets"][lang], body, "tickets", user, csrf)

    return [Route("/staff/login", login, methods=["GET", "POST"]),
            Route("/staff/logout", logout, methods=["POST"]),
            Route("/staff", overview), Route("/staff/", overview),
            Route("/staff/unanswered", unanswered), Route("/staff/teach", teach, methods=["POST"]),
            Route("/staff/draft", draft), Route("/staff/faq", faq),
            Route("/staff/faq/untaught", untaught, methods=["POST"]), Route("/staff/tickets", tickets)]


def _learned_table(rows: list[learning.Taught], csrf: str, lang: Lang) -> str:
    """Every taught phrasing with where it came from (staff, or members' choices) and an "Undo" button."""
    if not rows:
        return ""
    cells = []
    for r in reversed(rows):  # newest first: what members just taught is what staff want to check
        cells.append(
            f'<tr class="learned {escape(r.source)}"><td><code>{escape(r.entry)}</code></td><td>{escape(r.phrasing)}'
            f'</td><td>{escape(UI.get(r.source, {}).get(lang, r.source))}</td><td>{r.created_at:%Y-%m-%d %H:%M}</td>'
            f'<td><form method="post" action="/staff/faq/untaught"><input type="hidden" name="csrf" value="{csrf}">'
            f'<input type="hidden" name="entry" value="{escape(r.entry)}"><input type="hidden" name="phrasing" '
            f'value="{escape(r.phrasing)}"><button>{escape(UI["undo"][lang])}</button></form></td></tr>')
    head = "".join(f"<th>{escape(UI[k][lang])}</th>" for k in ("entry", "phrasing", "source", "added"))
    return f"<h3>{escape(UI['learned'][lang])}</h3><table><tr>{head}<th></th></tr>{''.join(cells)}</table>"


def _yaml_string(text: str) -> str:
    """A member's words as one safe YAML scalar (double-quoted, escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'
