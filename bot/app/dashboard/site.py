"""What a dashboard page is given: the `Site` (the bot, the staff access, cookie settings) when it declares its
routes, and a `Visit` (who, in which language, with which CSRF token) each time it is asked for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.app.dashboard.auth import COOKIE, Auth, csrf_ok, csrf_refused
from bot.app.dashboard.layout import lang_of, render
from bot.engine import BotEngine
from bot.messages import Lang


@dataclass(frozen=True)
class Visit:
    """One request from a signed-in staff member; POSTs have passed the CSRF check already."""

    request: Request
    user: str
    csrf: str
    lang: Lang
    engine: BotEngine

    async def form(self) -> FormData:
        return await self.request.form()  # parsed once: Starlette keeps it for the CSRF check and the page

    def page(self, title: str, body: str, active: str = "", status: int = 200) -> HTMLResponse:
        return render(self.request, self.lang, title, body, active, self.user, self.csrf, status)


View = Callable[[Visit], Awaitable[Response]]


@dataclass(frozen=True)
class Site:
    engine: BotEngine
    auth: Auth
    secure: bool  # cookies only over HTTPS

    def page(self, path: str, view: View, methods: Sequence[str] = ("GET",)) -> Route:
        """A route that needs a staff session: without one it goes to the login; a POST needs the CSRF token."""
        async def endpoint(request: Request) -> Response:
            cookie = request.cookies.get(COOKIE)
            user = self.auth.user(cookie)
            if user is None or cookie is None:
                return RedirectResponse("/staff/login", status_code=303)
            csrf = self.auth.csrf(cookie)
            if request.method == "POST" and not csrf_ok(await request.form(), csrf):
                return csrf_refused()
            return await view(Visit(request, user, csrf, lang_of(request), self.engine))

        return Route(path, endpoint, methods=list(methods))
