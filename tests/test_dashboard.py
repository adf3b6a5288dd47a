"""The staff dashboard: access (login, CSRF, session expiry, slowed failures) over HTTP, and its pages in a real
headless Chromium with screenshots in test-artifacts/."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine

from bot.app.server import create_app
from bot.app.settings import Settings
from bot.desk import learning, staff_accounts
from bot.desk.registrations import Details, register
from bot.storage.database import sessions
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW, ROOT, TestBot
from tests.fakes import ServerThread
from tests.test_webchat import ARTIFACTS, CHROMIUM, _chromium_or_fail

PASSWORD = "correct horse battery"
PARKING = ["Is there parking at the expo venue?", "Where can I park my car at the expo?",
           "Can I leave my car in a car park near the expo hall?"]


@dataclass
class Staffed:
    url: str
    bot: TestBot
    db: Engine


@pytest.fixture
def site(library: Library, db: Engine) -> Iterator[Staffed]:
    bot = TestBot(library, db, channel="web")
    staff_accounts.add_user(db, "amy", PASSWORD, NOW)
    app = create_app(Settings(worker_in_process=False, staff_session_hours=12), bot.engine, staff_login_pause=0)
    with ServerThread(app) as server:
        yield Staffed(f"http://127.0.0.1:{server.port}", bot, db)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "every form carries a CSRF token"
    return found.group(1)


def _login(client: httpx.Client, name: str = "amy", password: str = PASSWORD) -> httpx.Response:
    page = client.get("/staff/login")
    return client.post("/staff/login", data={"name": name, "password": password, "csrf": _csrf(page.text)})


def test_every_page_without_a_session_goes_to_the_login(site: Staffed) -> None:
    with httpx.Client(base_url=site.url) as client:
        for path in ("/staff", "/staff/unanswered", "/staff/faq", "/staff/tickets", "/staff/draft?ids=1"):
            r = client.get(path)
            assert r.status_code == 303 and r.headers["location"] == "/staff/login", path
        assert client.post("/staff/teach", data={"entry": "founding", "ids": "1"}).status_code == 303
    with httpx.Client(base_url=site.url, cookies={"gasme_staff": "YW15CjE3OTk5OTk5OTk.forged"}) as forger:
        assert forger.get("/staff").status_code == 303


def test_login_csrf_and_session_expiry(site: Staffed) -> None:
    with httpx.Client(base_url=site.url) as client:
        page = client.get("/staff/login")
        assert page.status_code == 200 and "HttpOnly" in page.headers["set-cookie"]
        # A login form posted from elsewhere (no token cookie of ours) is refused.
        with httpx.Client(base_url=site.url) as stranger:
            assert stranger.post("/staff/login", data={"name": "amy", "password": PASSWORD,
                                                       "csrf": "x"}).status_code == 403
        assert _login(client, password="wrong password").status_code == 401
        r = _login(client)
        assert r.status_code == 303 and r.headers["location"] == "/staff"
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
        overview = client.get("/staff")
        assert overview.status_code == 200 and "<svg" in overview.text
        assert "script" not in overview.headers["content-security-policy"]
        # A form without the session's token is refused; with it, it works.
        assert client.post("/staff/teach", data={"entry": "founding", "ids": ""}).status_code == 403
        assert client.post("/staff/teach", data={"entry": "founding", "ids": "", "csrf": "nope"}).status_code == 403
        ok = client.post("/staff/teach", data={"entry": "founding", "ids": "", "csrf": _csrf(overview.text)})
        assert ok.status_code == 303
        # Twelve hours later the session has lapsed.
        site.bot.now = NOW + timedelta(hours=12, minutes=1)
        assert client.get("/staff").status_code == 303
        assert client.post("/staff/logout", data={"csrf": _csrf(overview.text)}).status_code == 303


def test_failed_logins_are_capped(site: Staffed) -> None:
    with httpx.Client(base_url=site.url) as client:
        for _ in range(5):
            assert _login(client, password="guess guess guess").status_code == 401
        # Past five failures even the right password waits out the window.
        assert _login(client).status_code == 429
        site.bot.now = NOW + timedelta(minutes=16)
        assert _login(client).status_code == 303


def test_teach_from_the_dashboard(site: Staffed) -> None:
    for i, question in enumerate(PARKING):
        site.bot.say(question, user=f"p{i}")
    with httpx.Client(base_url=site.url) as client:
        _login(client)
        page = client.get("/staff/unanswered")
        assert page.status_code == 200 and all(q in page.text for q in PARKING)
        ids = re.search(r'name="ids" value="([0-9,]+)"', page.text)
        assert ids
        draft = client.get(f"/staff/draft?ids={ids.group(1)}")
        assert "- id: new-entry" in draft.text and "Where can I park my car at the expo?" in draft.text
        r = client.post("/staff/teach", data={"entry": "founding", "ids": ids.group(1), "csrf": _csrf(page.text)})
        assert r.status_code == 303 and "taught=1" in r.headers["location"]
    assert sorted(t for _, t in learning.taught(site.db)) == sorted(PARKING)


def test_dashboard_pages_in_chromium(site: Staffed, library: Library) -> None:
    _chromium_or_fail()
    from playwright.sync_api import expect, sync_playwright

    bot = site.bot
    for day in range(6):  # a week of traffic
        bot.now = NOW - timedelta(days=5 - day)
        bot.say("When was GASME founded?", user=f"a{day}")
        bot.say("GASME是什么时候成立的？", user=f"z{day}")
        bot.say(PARKING[day % 3], user=f"p{day}")
        if day % 2:
            bot.say("/feedback founding down", user=f"a{day}")
    bot.now = NOW
    bot.say("talk to a human", user="h1")
    bot.say("I need an invitation letter for my visa, can someone help?", user="h1")
    ev = next(e for e in library.knowledge.events if e.starts > NOW and e.capacity)
    with sessions(site.db).begin() as s:
        register(s, ev, "web", "r1", Details("Wang Fang", "ACME", "wang@example.com"), "zh", NOW)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
        page.goto(site.url + "/staff/unanswered")
        expect(page).to_have_url(re.compile(r"/staff/login$"))
        page.fill("input[name=name]", "amy")
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("svg.chart")).to_have_count(5)
        expect(page.locator("#open-tickets")).to_have_text("1")
        expect(page.locator("svg.chart").first).to_contain_text("Messages per day by channel")
        page.screenshot(path=str(ARTIFACTS / "dashboard-overview-en.png"), full_page=True)

        page.get_by_role("link", name="Unanswered").click()
        expect(page.locator("tr.group")).to_have_count(1)
        expect(page.locator("tr.group")).to_contain_text("Where can I park my car at the expo?")
        page.screenshot(path=str(ARTIFACTS / "dashboard-unanswered-en.png"), full_page=True)
        page.locator("tr.group select").select_option("founding")
        page.get_by_role("button", name="Teach").click()
        expect(page.locator(".ok")).to_contain_text("Taught")

        page.get_by_role("link", name="FAQ entries").click()
        founding = page.locator("tr", has=page.locator("code", has_text=re.compile("^founding$")))
        expect(founding.locator("td").nth(1)).to_have_text("12")
        expect(founding.locator("td").nth(3)).to_have_text("3")
        page.get_by_role("link", name="Tickets").click()
        expect(page.locator("table")).to_contain_text("invitation letter")

        page.get_by_role("link", name="中文").click()
        expect(page.get_by_role("link", name="工单")).to_be_visible()
        page.get_by_role("link", name="概览").click()
        expect(page.locator("svg.chart").first).to_contain_text("每日消息")
        page.screenshot(path=str(ARTIFACTS / "dashboard-overview-zh.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})  # a phone: the cards fit the screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "dashboard-overview-zh-phone.png"), full_page=True)
        browser.close()
    assert sorted(t for _, t in learning.taught(site.db)) == sorted(PARKING)
    shutil.copyfile(ARTIFACTS / "dashboard-overview-en.png", ARTIFACTS / "dashboard.png")
    assert (ROOT / "test-artifacts" / "dashboard.png").stat().st_size > 10_000
