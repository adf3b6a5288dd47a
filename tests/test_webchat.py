"""The web chat: its JSON API, and the page in a real headless Chromium (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from bot.app.server import create_app
from bot.app.settings import Settings
from bot.desk import tickets
from bot.storage.database import sessions
from bot.storage.models import Ticket
from bot.understanding.knowledge_base import Library
from tests.conftest import ROOT, TestBot
from tests.fakes import ServerThread, visitor

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def web(library: Library, db: Engine) -> Iterator[tuple[str, TestBot]]:
    bot = TestBot(library, db, channel="web")
    app = create_app(Settings(worker_in_process=False), bot.engine)
    with ServerThread(app) as server:
        yield f"http://127.0.0.1:{server.port}", bot


def test_chat_api(web: tuple[str, TestBot]) -> None:
    url, _ = web
    with visitor(url) as member:
        r = member.post("/api/chat", json={"text": "When was GASME founded?", "id": "m1"})
        assert r.status_code == 200
        assert "2009" in r.json()["replies"][0]["text"]
        again = member.post("/api/chat", json={"text": "When was GASME founded?", "id": "m1"})
        assert again.json()["replies"] == []  # a double submit of the same message is answered once
        ics = member.post("/api/chat", json={"text": "/ics global-sme-expo-2027"}).json()
        assert ics["replies"][0]["attachments"][0]["mime_type"] == "text/calendar"
        history = member.get("/api/history").json()["messages"]
        assert history[0] == {"who": "in", "text": "When was GASME founded?"}


@pytest.mark.parametrize(
    ("body", "status", "why"),
    [(b"not json", 400, "JSON"), (b"[1]", 400, "object"), (b'{"text": 5}', 400, "text"),
     (b"{" + b" " * 70000 + b"}", 413, "over")],
)
def test_chat_api_refuses_bad_requests(web: tuple[str, TestBot], body: bytes, status: int, why: str) -> None:
    url, _ = web
    with visitor(url) as member:
        r = member.post("/api/chat", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status and why in r.text


def test_page_is_served_with_a_strict_policy(web: tuple[str, TestBot]) -> None:
    url, _ = web
    r = httpx.get(url)
    assert r.status_code == 200 and "GASME" in r.text
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def _chromium_or_fail() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("Debian's chromium is not installed here (apt-get install chromium); CI installs it")
    if os.environ.get("CI"):
        # Without a CJK font the Chinese screenshot shows empty boxes.
        fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
        assert fonts.stdout.strip(), "CI must install a CJK font (fonts-noto-cjk, see .ci/run)"


def test_browser_conversation(web: tuple[str, TestBot], db: Engine) -> None:
    _chromium_or_fail()
    from playwright.sync_api import expect, sync_playwright

    url, bot = web
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-US")  # a phone screen
        page.goto(url)
        expect(page.locator(".row.bot .bubble").first).to_contain_text("GASME member assistant")
        assert page.locator(".row.me").count() == 0  # the welcome is asked for, not sent as if typed
        box = page.evaluate("(() => { const i = document.getElementById('input');"
                            " return [i.scrollHeight, i.clientHeight, getComputedStyle(i).overflowY]; })()")
        assert box[0] <= box[1] and box[2] == "hidden", box  # no scroll arrows in an empty box on a phone

        page.fill("#input", "When was GASME founded?")
        page.press("#input", "Enter")
        expect(page.locator(".row.bot .bubble").last).to_contain_text("2009")

        page.fill("#input", "GASME和联合国工业发展组织是什么关系？")
        page.click("#send")
        expect(page.locator(".row.bot .bubble").last).to_contain_text("2012")

        page.click("#lang-en")  # already English: nothing happens
        page.fill("#input", "When is the Global SME Expo?")
        page.press("#input", "Enter")
        page.get_by_role("button", name="Register").last.click()
        expect(page.locator(".row.bot .bubble").last).to_contain_text("full name")
        for answer in ("Wang Fang", "<b>ACME</b> & Co", "wang.fang@example.com"):
            page.fill("#input", answer)
            page.press("#input", "Enter")
            page.wait_for_timeout(150)
        expect(page.locator(".row.me .bubble").nth(-2)).to_have_text("<b>ACME</b> & Co")  # shown as text
        page.get_by_role("button", name="Confirm").last.click()
        expect(page.locator(".row.bot .bubble").last).to_contain_text("You're registered")

        page.fill("#input", "I want to talk to a human about sponsoring")
        page.press("#input", "Enter")
        expect(page.locator(".row.bot .bubble").last).to_contain_text("passed this to our staff")
        assert page.evaluate("document.cookie") == ""  # the session cookie is HttpOnly: no script can read it
        with sessions(db).begin() as s:
            ticket = s.scalars(select(Ticket)).one()
            assert ticket.channel == "web"
            tickets.staff_reply(s, ticket.id, "Happy to help with sponsorship!", "amy", bot.now, echo_to_slack=False)
        expect(page.locator(".row.staff .bubble").last).to_contain_text("Happy to help with sponsorship!",
                                                                       timeout=10_000)
        page.screenshot(path=str(ARTIFACTS / "webchat-en.png"), full_page=True)

        page.reload()  # the conversation is still there
        expect(page.locator(".row.staff .bubble").last).to_contain_text("Happy to help with sponsorship!")
        assert page.locator(".row.me .bubble", has_text="/start").count() == 0

        page.click("#lang-zh")
        expect(page.locator("#send")).to_have_text("发送")
        page.screenshot(path=str(ARTIFACTS / "webchat-zh.png"), full_page=True)
        browser.close()
