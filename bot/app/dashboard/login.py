"""/staff/login and /staff/logout. Accounts come from `gasme-bot staff add-user`."""

from __future__ import annotations

import asyncio
import secrets

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.app.dashboard.auth import COOKIE, LOGIN_CSRF, csrf_ok, csrf_refused
from bot.app.dashboard.layout import UI, Texts, lang_of, render, text
from bot.app.dashboard.site import Site, Visit
from bot.desk import staff_accounts
from bot.messages import Lang

TEXT: Texts = {
    "login": {"en": "Sign in", "zh": "登录"},
    "name": {"en": "Name", "zh": "用户名"},
    "password": {"en": "Password", "zh": "密码"},
    "bad_login": {"en": "Wrong name or password.", "zh": "用户名或密码错误。"},
    "locked": {"en": "Too many failed sign-ins. Try again in 15 minutes.", "zh": "登录失败次数过多，请15分钟后再试。"},
}


def routes(site: Site) -> list[Route]:
    async def login(request: Request) -> Response:
        lang = lang_of(request)
        error, status = "", 200
        if request.method == "POST":
            form = await request.form()
            if not csrf_ok(form, request.cookies.get(LOGIN_CSRF, "")):
                return csrf_refused()
            name, password = str(form.get("name", ""))[:64], str(form.get("password", ""))[:1024]
            who = f"{name.strip().lower()}\n{request.client.host if request.client else '?'}"
            if site.auth.locked(who):
                error, status = "locked", 429
            elif await asyncio.to_thread(staff_accounts.check_password, site.engine.db, name, password):
                site.auth.failures.pop(who, None)
                return _signed_in(site, name.strip())
            else:
                await site.auth.failed(who)
                error, status = "bad_login", 401
        return _form(site, request, lang, error, status)

    async def logout(visit: Visit) -> Response:
        response = RedirectResponse("/staff/login", status_code=303)
        response.delete_cookie(COOKIE, path="/staff")
        return response

    return [Route("/staff/login", login, methods=["GET", "POST"]), site.page("/staff/logout", logout, ["POST"])]


def _signed_in(site: Site, name: str) -> Response:
    done = RedirectResponse("/staff", status_code=303)
    done.set_cookie(COOKIE, site.auth.issue(name), max_age=int(site.auth.lifetime.total_seconds()),
                    httponly=True, samesite="strict", secure=site.secure, path="/staff")
    done.delete_cookie(LOGIN_CSRF, path="/staff")
    return done


def _form(site: Site, request: Request, lang: Lang, error: str, status: int) -> Response:
    """The login form (`error`: the key of a text in TEXT, or ""), with a fresh double-submit token: the cookie
    and the hidden field must match."""
    token = secrets.token_urlsafe(24)
    body = (f'<form class="login" method="post" action="/staff/login"><h2>{text(UI, "title", lang)}</h2>'
            + (f'<p class="err">{text(TEXT, error, lang)}</p>' if error else "")
            + f'<label>{text(TEXT, "name", lang)}<input name="name" autocomplete="username" required></label>'
            f'<label>{text(TEXT, "password", lang)}<input name="password" type="password" '
            f'autocomplete="current-password" required></label><input type="hidden" name="csrf" value="{token}">'
            f'<button>{text(TEXT, "login", lang)}</button></form>')
    response = render(request, lang, TEXT["login"][lang], body, status=status)
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", secure=site.secure, path="/staff")
    return response
