"""Staff self-service through real HTTP: FAQ entries and events written in the browser and answered to members
after the reload, registrations with CSV, tickets answered from the page; refusals (invalid forms, no CSRF token,
an agent editing knowledge)."""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, func, select

from bot.app import cli
from bot.app.reloader import Reloader
from bot.app.server import create_app
from bot.app.settings import Settings
from bot.desk import knowledge_edits as edits
from bot.desk import staff_accounts
from bot.storage.models import KnowledgeEdit, Outbox, StaffLog
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW, TestBot
from tests.fakes import ServerThread
from tests.test_dashboard import PASSWORD, Staffed, _csrf, _login

PARKING_EN, PARKING_ZH = "Is there parking at the expo venue?", "世博会场馆有停车场吗？"
EVENT = {"id": "hanoi-forum-2027", "title_en": "Hanoi SME Forum 2027", "title_zh": "2027河内中小企业论坛",
         "starts": "2027-03-10T09:00", "ends": "2027-03-10T17:00", "timezone": "Asia/Ho_Chi_Minh",
         "city_en": "Hanoi", "city_zh": "河内", "country": "vn", "venue": "Hanoi Trade Center", "capacity": "2",
         "registration_closes": "", "description_en": "A day of talks.", "description_zh": "一天的讲座。",
         "registration_open": "on"}


@pytest.fixture
def staffed(library: Library, db: Engine) -> Iterator[tuple[Staffed, Reloader]]:
    bot = TestBot(library, db, channel="web")
    staff_accounts.add_user(db, "amy", PASSWORD, NOW)
    staff_accounts.add_user(db, "bob", PASSWORD, NOW, role="agent")
    reloader = Reloader(bot.engine)
    app = create_app(Settings(worker_in_process=False, staff_session_hours=12), bot.engine, staff_login_pause=0,
                     reloader=reloader)
    with ServerThread(app) as server:
        yield Staffed(f"http://127.0.0.1:{server.port}", bot, db), reloader


def _post(client: httpx.Client, path: str, data: dict[str, str]) -> httpx.Response:
    """A form posted as a browser does: the CSRF token taken from the page the form is on."""
    page = client.get(path if not path.endswith(("/cancel", "/archive")) else "/staff/faq")
    return client.post(path, data={**data, "csrf": _csrf(page.text)})


def _edits(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(KnowledgeEdit)).scalar() or 0)


def test_faq_entries_created_and_edited_are_answered_in_both_languages(staffed: tuple[Staffed, Reloader]) -> None:
    site, reloader = staffed
    bot = site.bot
    assert bot.say(PARKING_EN, user="m0").answer_id is None
    with httpx.Client(base_url=site.url) as client:
        _login(client)
        r = _post(client, "/staff/faq/new", {
            "id": "expo-parking", "questions_en": PARKING_EN, "questions_zh": PARKING_ZH,
            "answer_en": "Yes: free parking at the north gate.", "answer_zh": "有，北门有免费停车场。",
            "tags": "venue, expo"})
        assert r.status_code == 303, r.text
        form = client.get("/staff/faq/founding/edit")
        assert form.status_code == 200 and "When and where was GASME founded?" in form.text
        r = client.post("/staff/faq/founding/edit", data={
            "questions_en": "When was GASME founded?", "questions_zh": "GASME是什么时候成立的？",
            "answer_en": "GASME was founded in 2009, in the United States (edited).",
            "answer_zh": "GASME于2009年在美国成立（已更新）。", "csrf": _csrf(form.text)})
        assert r.status_code == 303
        assert client.get("/staff/faq/nope/edit").status_code == 404
    assert reloader.check()  # what every process's reloader does within GASME_RELOAD_SECONDS
    en = bot.say(PARKING_EN, user="m1")
    assert en.answer_id == "expo-parking" and "north gate" in en.text
    zh = bot.say(PARKING_ZH, user="m2")
    assert zh.answer_id == "expo-parking" and "北门" in zh.text
    assert "(edited)" in bot.say("When was GASME founded?", user="m3").text
    assert "已更新" in bot.say("GASME是什么时候成立的？", user="m4").text
    with site.db.connect() as conn:
        assert conn.execute(select(StaffLog.staff, StaffLog.action).order_by(StaffLog.id)).all() == [
            ("amy", "faq_create"), ("amy", "faq_edit")]


def test_revisions_revert_and_archive(staffed: tuple[Staffed, Reloader]) -> None:
    site, reloader = staffed
    with httpx.Client(base_url=site.url) as client:
        _login(client)
        form = client.get("/staff/faq/founding/edit")
        r = client.post("/staff/faq/founding/edit", data={
            "questions_en": "When was GASME founded?", "answer_en": "Founded in 1999 (a mistake).",
            "csrf": _csrf(form.text)})
        assert r.status_code == 303
        reloader.check()
        assert "1999" in site.bot.say("When was GASME founded?", user="m1").text
        revisions = client.get("/staff/faq/founding/revisions")
        assert "amy" in revisions.text and "1999" in revisions.text
        revision = re.search(r'name="revision" value="(\d+)"', revisions.text)
        assert revision
        r = client.post("/staff/faq/revert", data={"revision": revision.group(1), "csrf": _csrf(revisions.text)})
        assert r.status_code == 303
        reloader.check()
        assert "2009" in site.bot.say("When was GASME founded?", user="m2").text
        r = client.post("/staff/faq/founding/archive", data={"csrf": _csrf(revisions.text)})
        assert r.status_code == 303
        reloader.check()
        assert site.bot.say("When was GASME founded?", user="m3").answer_id != "founding"
        listing = client.get("/staff/faq?q=founding")
        assert "Archived" in listing.text  # archived, never deleted: still listed, still editable
        assert client.get("/staff/faq/founding/edit").status_code == 200


def test_invalid_entries_no_csrf_and_agents_are_refused(staffed: tuple[Staffed, Reloader]) -> None:
    site, _ = staffed
    with httpx.Client(base_url=site.url) as client:
        _login(client)
        r = _post(client, "/staff/faq/new", {"id": "Bad Id!", "questions_en": "", "answer_en": ""})
        assert r.status_code == 400
        assert 'id="err-id"' in r.text and 'id="err-questions_en"' in r.text and 'id="err-answer_en"' in r.text
        assert "Bad Id!" in r.text  # the form shows what was typed
        r = _post(client, "/staff/faq/new", {"id": "founding", "questions_en": "x?", "answer_en": "y"})
        assert r.status_code == 400 and "already used" in r.text
        assert client.post("/staff/faq/new", data={"id": "x", "questions_en": "q", "answer_en": "a"}).status_code \
            == 403
        assert client.post("/staff/events/new", data=EVENT).status_code == 403
        assert client.post("/staff/tickets/1/reply", data={"text": "hi"}).status_code == 403
    assert _edits(site.db) == 0
    with httpx.Client(base_url=site.url) as agent:
        assert _login(agent, "bob").status_code == 303
        assert agent.get("/staff/faq").status_code == 200  # agents may look
        assert agent.get("/staff/faq/new").status_code == 403
        overview = agent.get("/staff")
        r = agent.post("/staff/faq/founding/edit", data={"questions_en": "q", "answer_en": "a",
                                                         "csrf": _csrf(overview.text)})
        assert r.status_code == 403
        assert agent.get("/staff/events/new").status_code == 403
    assert _edits(site.db) == 0


def test_invalid_events_are_refused_with_their_errors(staffed: tuple[Staffed, Reloader]) -> None:
    site, _ = staffed
    with httpx.Client(base_url=site.url) as client:
        _login(client)
        bad = {**EVENT, "timezone": "Mars/Olympus", "country": "XX", "capacity": "-3",
               "ends": "2027-03-09T10:00", "title_en": "", "title_zh": ""}
        r = _post(client, "/staff/events/new", bad)
        assert r.status_code == 400
        for field in ("timezone", "country", "capacity", "title_en"):
            assert f'id="err-{field}"' in r.text, field
        r = _post(client, "/staff/events/new", {**EVENT, "ends": "2027-03-09T10:00"})
        assert r.status_code == 400 and 'id="err-ends"' in r.text and "before the event starts" in r.text
    assert _edits(site.db) == 0


def _register(bot: TestBot, user: str, event_id: str, name: str, company: str, email: str,
              lang: str = "en") -> str:
    for said in (f"/register {event_id}", name, company, email):
        bot.say(said, user=user, lang=lang)
    return bot.say("确认" if lang == "zh" else "yes", user=user, lang=lang).text


def _notices(db: Engine, user: str) -> list[str]:
    with db.connect() as conn:
        return [str(p["text"]) for p in conn.execute(select(Outbox.payload).where(
            Outbox.user_id == user, Outbox.kind == "notice").order_by(Outbox.id)).scalars()]


def test_event_created_then_members_register_until_the_waitlist(staffed: tuple[Staffed, Reloader]) -> None:
    site, reloader = staffed
    bot = site.bot
    with httpx.Client(base_url=site.url) as client:
        _login(client)
        r = _post(client, "/staff/events/new", EVENT)
        assert r.status_code == 303, r.text
        reloader.check()
        assert "Hanoi SME Forum 2027" in client.get("/staff/events").text
        assert "Hanoi Trade Center" in bot.say("When is the Hanoi SME Forum?", user="q1").text
        done = _register(bot, "r1", EVENT["id"], "王芳", "=HYPERLINK(\"http://x\")", "wang@example.com", "zh")
        assert "河内" in done
        _register(bot, "r2", EVENT["id"], "Ana Silva", "ACME", "ana@example.com")
        waitlisted = _register(bot, "r3", EVENT["id"], "Tom Lee", "@Corp", "tom@example.com")
        assert "waitlist" in waitlisted.lower()
        page = client.get(f"/staff/events/{EVENT['id']}/registrations?q=tom")
        assert page.status_code == 200 and page.text.count('class="reg"') == 1 and "Tom Lee" in page.text
        download = client.get(f"/staff/events/{EVENT['id']}/registrations.csv")
        assert download.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        assert rows[0][:8] == ["number", "status", "position", "name", "company", "email", "channel",
                               "registered_at"]
        assert [r[1] for r in rows[1:]] == ["confirmed", "confirmed", "waitlisted"] and rows[3][2] == "1"
        assert rows[1][3] == "王芳" and rows[1][4] == "'=HYPERLINK(\"http://x\")" and rows[3][4] == "'@Corp"
        # Raising the capacity seats the waitlist at once, and tells the member.
        form = client.get(f"/staff/events/{EVENT['id']}/edit")
        r = client.post(f"/staff/events/{EVENT['id']}/edit", data={**EVENT, "capacity": "3", "csrf": _csrf(form.text)})
        assert r.status_code == 303
        assert any("now confirmed" in n for n in _notices(site.db, "r3"))
        # A registration cancelled by staff: the member is told; check-in marks attendance.
        page = client.get(f"/staff/events/{EVENT['id']}/registrations")
        first = re.search(r'action="(/staff/events/[^"]+/registrations/(\d+)/cancel)"', page.text)
        assert first
        assert client.post(first.group(1), data={"csrf": _csrf(page.text)}).status_code == 303
        assert any("取消" in n for n in _notices(site.db, "r1"))  # in the member's language
        check = re.search(r'action="(/staff/events/[^"]+/check-in)"', client.get(
            f"/staff/events/{EVENT['id']}/registrations").text)
        assert check and client.post(check.group(1), data={"csrf": _csrf(page.text)}).status_code == 303
        assert "checked in" in client.get(f"/staff/events/{EVENT['id']}/registrations").text
        # Cancelling the event tells everyone still registered; the event is hidden, never deleted.
        r = client.post(f"/staff/events/{EVENT['id']}/cancel", data={"csrf": _csrf(page.text)})
        assert r.status_code == 303
        reloader.check()
        assert any("has been cancelled" in n for n in _notices(site.db, "r2"))
        assert any("has been cancelled" in n for n in _notices(site.db, "r3"))
        assert "Hanoi Trade Center" not in bot.say("When is the Hanoi SME Forum?", user="q2").text
        assert client.get(f"/staff/events/{EVENT['id']}/registrations.csv").text.count("cancelled") == 3


def test_event_tags_revisions_and_revert(staffed: tuple[Staffed, Reloader]) -> None:
    site, reloader = staffed
    with httpx.Client(base_url=site.url) as client:
        _login(client)
        assert _post(client, "/staff/events/new", {**EVENT, "tags": "matchmaking，对接会"}).status_code == 303
        assert edits.stored(site.db, "event", EVENT["id"])["tags"] == ["matchmaking", "对接会"]  # type: ignore[index]
        form = client.get(f"/staff/events/{EVENT['id']}/edit")
        assert 'value="matchmaking, 对接会"' in form.text
        r = client.post(f"/staff/events/{EVENT['id']}/edit",
                        data={**EVENT, "tags": "matchmaking, 对接会", "capacity": "5", "csrf": _csrf(form.text)})
        assert r.status_code == 303
        reloader.check()
        assert site.bot.engine.library.knowledge.event_by_id(EVENT["id"]).capacity == 5  # type: ignore[union-attr]
        page = client.get(f"/staff/events/{EVENT['id']}/revisions")
        assert page.status_code == 200 and "amy" in page.text and "5 seats" in page.text
        newest = max(int(i) for i in re.findall(r'name="revision" value="(\d+)"', page.text))
        # A revision is reverted only from its own kind's page.
        assert client.post("/staff/faq/revert", data={"revision": str(newest), "csrf": _csrf(page.text)}
                           ).status_code == 404
        r = client.post("/staff/events/revert", data={"revision": str(newest), "csrf": _csrf(page.text)})
        assert r.status_code == 303 and r.headers["location"] == f"/staff/events/{EVENT['id']}/revisions"
        reloader.check()
        back = site.bot.engine.library.knowledge.event_by_id(EVENT["id"])
        assert back is not None and back.capacity == 2 and back.tags == ("matchmaking", "对接会")
        assert "revert" in client.get(f"/staff/events/{EVENT['id']}/revisions").text


def test_closing_registration(staffed: tuple[Staffed, Reloader]) -> None:
    site, reloader = staffed
    with httpx.Client(base_url=site.url) as client:
        _login(client)
        assert _post(client, "/staff/events/new", {**EVENT, "registration_open": ""}).status_code == 303
    reloader.check()
    said = _register(site.bot, "r1", EVENT["id"], "Ana Silva", "ACME", "ana@example.com")
    assert "Ana Silva" not in said and "confirmed" not in said.lower()


def test_a_ticket_answered_on_the_page_reaches_the_member(staffed: tuple[Staffed, Reloader]) -> None:
    site, _ = staffed
    bot = site.bot
    bot.say("talk to a human", user="h1")
    bot.say("I need an invitation letter for my visa, can someone help?", user="h1")
    bot.engine.pending_for("web", "h1")  # what the member's page already showed
    with httpx.Client(base_url=site.url) as client:
        _login(client)
        listing = client.get("/staff/tickets")
        link = re.search(r'href="/staff/tickets/(\d+)"', listing.text)
        assert link
        ticket = client.get(f"/staff/tickets/{link.group(1)}")
        assert ticket.status_code == 200 and "invitation letter" in ticket.text and "web:h1" in ticket.text
        base = f"/staff/tickets/{link.group(1)}"
        assert client.post(base + "/reply", data={"text": "", "csrf": _csrf(ticket.text)}).status_code == 400
        r = client.post(base + "/note", data={"text": "checked with the visa office", "csrf": _csrf(ticket.text)})
        assert r.status_code == 303
        r = client.post(base + "/reply", data={"text": "We will send the letter today.", "csrf": _csrf(ticket.text)})
        assert r.status_code == 303
        got = [str(o.payload.get("text")) for o in bot.engine.pending_for("web", "h1")]
        assert any("We will send the letter today." in t for t in got) and not any("visa office" in t for t in got)
        page = client.get(base)
        assert "checked with the visa office" in page.text and "We will send the letter today." in page.text
        assert client.post(base + "/hand-back", data={"csrf": _csrf(page.text)}).status_code == 303
        assert "resolved" in client.get(base).text
    with site.db.connect() as conn:
        actions = conn.execute(select(StaffLog.action).where(StaffLog.staff == "amy")).scalars().all()
    assert actions == ["ticket_note", "ticket_reply", "ticket_hand_back"]


def test_a_ticket_claimed_then_resolved_on_the_page(staffed: tuple[Staffed, Reloader]) -> None:
    site, _ = staffed
    site.bot.say("talk to a human", user="h2")
    site.bot.say("Our booth invoice shows the wrong company name.", user="h2")
    with httpx.Client(base_url=site.url) as client:
        _login(client)
        link = re.search(r'href="/staff/tickets/(\d+)"', client.get("/staff/tickets").text)
        assert link
        base = f"/staff/tickets/{link.group(1)}"
        page = client.get(base)
        assert 'action="' + base + '/claim"' in page.text and "open" in page.text
        assert client.post(base + "/claim", data={"csrf": _csrf(page.text)}).status_code == 303
        page = client.get(base)
        assert "claimed (dashboard:amy)" in page.text and 'action="' + base + '/claim"' not in page.text
        assert client.post(base + "/resolve", data={"csrf": _csrf(page.text)}).status_code == 303
        page = client.get(base)
        assert "This ticket is resolved." in page.text and 'action="' + base + '/resolve"' not in page.text
    assert site.bot.engine.staff.view(int(link.group(1))).status == "resolved"  # type: ignore[union-attr]
    with site.db.connect() as conn:
        actions = conn.execute(select(StaffLog.action).where(StaffLog.staff == "amy")).scalars().all()
    assert actions == ["ticket_claim", "ticket_resolve"]


def test_staff_roles_from_the_command_line(db: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    assert cli.main(["staff", "add-user", "cleo", "--role", "agent", "--db", db_url]) == 0
    assert staff_accounts.role_of(db, "cleo") == "agent"
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    assert cli.main(["staff", "add-user", "dan", "--db", db_url]) == 0
    assert staff_accounts.role_of(db, "dan") == "editor"  # the default
    with pytest.raises(SystemExit):
        cli.main(["staff", "add-user", "eve", "--role", "owner", "--db", db_url])
