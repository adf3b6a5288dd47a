"""The staff dashboard at /staff: overview charts, unanswered questions (teach, new entry draft), FAQ entries with
hits and feedback, tickets. Server-rendered HTML with inline SVG charts (charts.py): no script at all, no build
step. English and Chinese (`?lang=zh`, remembered in a cookie).

One module per page; each declares its routes with `site.page(path, view)`, which requires a staff session and
checks the CSRF token of every POST (auth.py); layout.py is the shared HTML shell. A new page is a module here and
one entry in PAGES (and in layout.NAV if the header links to it)."""

from __future__ import annotations

from starlette.routing import Route

from bot.app.dashboard import faq, login, overview, tickets, unanswered
from bot.app.dashboard.auth import Auth
from bot.app.dashboard.site import Site
from bot.engine import BotEngine

PAGES = (login, overview, unanswered, faq, tickets)


def routes(engine: BotEngine, key: str, session_hours: float = 12.0, secure: bool = False,
           pause: float = 0.5) -> list[Route]:
    """Every dashboard route; `key` signs the session cookies, `pause` is the first failed login's delay."""
    site = Site(engine, Auth(key, session_hours, engine.clock, pause), secure)
    return [route for page in PAGES for route in page.routes(site)]
