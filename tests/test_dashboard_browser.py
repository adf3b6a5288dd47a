"""The staff self-service pages in a real headless Chromium (Debian's), in English and Chinese, at desktop and
phone width (390 px: nothing wider than the screen), with screenshots in test-artifacts/. No script on the pages:
plain forms."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright
from sqlalchemy import func, select

from bot.app.reloader import Reloader
from bot.storage.models import Ticket
from tests.conftest import ROOT, TestBot
from tests.test_dashboard import PASSWORD, Staffed
from tests.test_dashboard_staff import EVENT, PARKING_EN, staffed
from tests.test_webchat import ARTIFACTS, CHROMIUM, _chromium_or_fail

__all__ = ["staffed"]  # the fixture, shared with the HTTP tests
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def _fits(page: Page) -> None:
    """Nothing wider than the screen: wide tables scroll inside their box, the page itself does not."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] if page.viewport_size else True, (page.url, width)


def _shoot(page: Page, name: str) -> None:
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _tour(page: Page, url: str, lang: str, size: str, ticket_id: int) -> None:
    page.goto(f"{url}/staff/faq?lang={lang}&try={PARKING_EN}")
    expect(page.locator("#try-result")).to_contain_text("expo-parking")
    _shoot(page, f"staff-faq-{lang}-{size}")
    page.goto(f"{url}/staff/faq/expo-parking/edit")
    _shoot(page, f"staff-faq-edit-{lang}-{size}")
    page.goto(f"{url}/staff/events")
    _shoot(page, f"staff-events-{lang}-{size}")
    page.goto(f"{url}/staff/events/{EVENT['id']}/edit")
    _shoot(page, f"staff-event-edit-{lang}-{size}")
    page.goto(f"{url}/staff/events/{EVENT['id']}/registrations")
    expect(page.locator("tr.reg")).to_have_count(1)
    _shoot(page, f"staff-registrations-{lang}-{size}")
    page.goto(f"{url}/staff/tickets/{ticket_id}")  # the id the database gave (PostgreSQL's sequences run on)
    _shoot(page, f"staff-ticket-{lang}-{size}")


def test_staff_pages_in_chromium(staffed: tuple[Staffed, Reloader]) -> None:
    _chromium_or_fail()
    site, reloader = staffed
    bot: TestBot = site.bot
    bot.say("talk to a human", user="h1")
    bot.say("I need an invitation letter for my visa, can someone help?", user="h1")
    with site.db.connect() as conn:
        ticket_id = int(conn.execute(select(func.max(Ticket.id))).scalar_one())
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-US")
        page.goto(site.url + "/staff/login")
        page.fill("input[name=name]", "amy")
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        # A new entry typed into the form at phone width: a mistake first, then put right.
        page.goto(site.url + "/staff/faq/new")
        page.fill("textarea[name=questions_en]", PARKING_EN)
        page.fill("textarea[name=answer_en]", "Yes: free parking at the north gate.")
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#err-id")).to_be_visible()
        _shoot(page, "staff-faq-error-en-phone")
        page.fill("input[name=id]", "expo-parking")
        page.fill("textarea[name=answer_zh]", "有，北门有免费停车场。")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".ok")).to_be_visible()
        page.goto(site.url + "/staff/events/new")
        for name, value in EVENT.items():
            if name != "registration_open":
                page.fill(f"[name={name}]", value)
        page.get_by_role("button", name="Save").click()
        expect(page.locator("table")).to_contain_text("Hanoi SME Forum 2027")
        reloader.check()
        bot.say(f"/register {EVENT['id']}", user="r1")
        for said in ("王芳", "杭州某某科技有限公司", "wang@example.com", "yes"):
            bot.say(said, user="r1")
        for lang in ("en", "zh"):
            for size, (width, height) in SIZES.items():
                page.set_viewport_size({"width": width, "height": height})
                _tour(page, site.url, lang, size, ticket_id)
        expect(page.get_by_role("link", name="活动")).to_be_visible()
        browser.close()
    docs = ROOT / "docs"
    for name in ("staff-faq-edit-en-desktop", "staff-registrations-zh-phone"):
        path: Path = ARTIFACTS / f"{name}.png"
        assert path.stat().st_size > 10_000
        docs.mkdir(exist_ok=True)
        (docs / f"{name}.png").write_bytes(path.read_bytes())
