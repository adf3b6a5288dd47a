"""Staff sign-in through real HTTP: a sign-in followed at once holds, guesses sent at once are capped (whatever the
number of processes), signing out and a new password end sessions, and over HTTPS the cookie is Secure with HSTS."""

from __future__ import annotations

import io
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine, func, select

from bot.app import cli
from bot.app.server import create_app
from bot.app.settings import Settings
from bot.desk import staff_accounts
from bot.desk.staff_sessions import PER_ADDRESS
from bot.storage.models import StaffLoginAttempt
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW, TestBot
from tests.fakes import ServerThread

PASSWORD = "correct horse battery"
WRONG = "guess guess guess"


class Staff:
    """The bot behind one or more `serve`-like servers on one database (several processes of a deployment)."""

    def __init__(self, library: Library, db: Engine, stack: ExitStack):
        self.bot = TestBot(library, db, channel="web")
        self.db, self.stack = db, stack
        staff_accounts.add_user(db, "amy", PASSWORD, NOW)

    def server(self, settings: Settings | None = None) -> str:
        app = create_app(settings or Settings(worker_in_process=False), self.bot.engine, staff_login_pause=0)
        return f"http://127.0.0.1:{self.stack.enter_context(ServerThread(app)).port}"


@pytest.fixture
def staff(library: Library, db: Engine) -> Iterator[Staff]:
    with ExitStack() as stack:
        yield Staff(library, db, stack)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def _login(client: httpx.Client, password: str = PASSWORD, **headers: str) -> httpx.Response:
    page = client.get("/staff/login", headers=headers)
    return client.post("/staff/login", data={"name": "amy", "password": password, "csrf": _csrf(page.text)},
                       headers=headers)


def test_a_sign_in_followed_at_once_holds(staff: Staff) -> None:
    # The clock 0.6 s past a whole second: a session time rounded to the second would lie in the future.
    staff.bot.now = NOW + timedelta(milliseconds=600)
    url = staff.server()
    for _ in range(5):
        with httpx.Client(base_url=url, follow_redirects=True) as browser:
            page = _login(browser)
            assert page.status_code == 200 and str(page.url).endswith("/staff") and "<svg" in page.text


def test_guesses_sent_at_once_are_capped(staff: Staff) -> None:
    url = staff.server()
    gate = threading.Barrier(41)
    codes: list[int] = []
    right: list[int] = []

    def guess(password: str) -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            page = client.get("/staff/login")
            gate.wait()
            if password == PASSWORD:  # sent while the burst is in flight, once the cap's worth is recorded
                deadline = time.monotonic() + 30
                while _attempts(staff.db) < PER_ADDRESS and time.monotonic() < deadline:
                    time.sleep(0.005)
            r = client.post("/staff/login", data={"name": "amy", "password": password, "csrf": _csrf(page.text)})
            (right if password == PASSWORD else codes).append(r.status_code)

    threads = [threading.Thread(target=guess, args=(WRONG,)) for _ in range(40)]
    threads.append(threading.Thread(target=guess, args=(PASSWORD,)))
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    checked = codes.count(401)
    assert 1 <= checked <= PER_ADDRESS and codes.count(429) == 40 - checked, codes
    # The name is locked once the cap's worth of guesses were checked; refused guesses are not kept, so when the
    # burst was refused while fewer were still being checked, the cap was never reached and a right password
    # (at most PER_ADDRESS checks later) may sign in.
    if checked == PER_ADDRESS:
        assert right == [429], "the right password is refused while the name is locked"
    else:
        assert right in ([429], [303]), right
    staff.bot.now = NOW + timedelta(minutes=16)
    with httpx.Client(base_url=url) as client:
        assert _login(client).status_code == 303


def _attempts(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(StaffLoginAttempt)).scalar_one())


def test_the_cap_is_shared_by_processes_and_survives_a_restart(staff: Staff) -> None:
    first, second = staff.server(), staff.server()
    for i in range(PER_ADDRESS):
        with httpx.Client(base_url=(first, second)[i % 2]) as client:
            assert _login(client, WRONG).status_code == 401
    restarted = staff.server()
    with httpx.Client(base_url=restarted) as client:
        assert _login(client).status_code == 429
    # From another address (a trusted proxy says so) the name is not locked: the cap is per name and address.
    with httpx.Client(base_url=restarted) as client:
        assert _login(client, **{"X-Forwarded-For": "203.0.113.9"}).status_code == 303


def _session(url: str) -> tuple[str, str]:
    """Sign in; the session cookie and a CSRF token of the signed-in pages."""
    with httpx.Client(base_url=url) as client:
        assert _login(client).status_code == 303
        page = client.get("/staff")
        assert page.status_code == 200
        return client.cookies["gasme_staff"], _csrf(page.text)


def test_signing_out_ends_the_session_in_every_process(staff: Staff) -> None:
    first, second = staff.server(), staff.server()
    cookie, csrf = _session(first)
    other_cookie, _ = _session(first)
    with httpx.Client(base_url=second, cookies={"gasme_staff": cookie}) as copy:
        assert copy.get("/staff").status_code == 200
        with httpx.Client(base_url=first, cookies={"gasme_staff": cookie}) as browser:
            assert browser.post("/staff/logout", data={"csrf": csrf}).status_code == 303
        # The same cookie, kept by someone else, no longer opens anything, on any process.
        assert copy.get("/staff").headers.get("location") == "/staff/login"
    with httpx.Client(base_url=second, cookies={"gasme_staff": other_cookie}) as other:
        assert other.get("/staff").status_code == 200, "signing out ends that session only"


def test_a_new_password_ends_every_session(staff: Staff, db_url: str, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    url = staff.server()
    cookie, _ = _session(url)
    monkeypatch.setattr(sys, "stdin", io.StringIO("a brand new password\n"))
    assert cli.main(["staff", "set-password", "amy", "--db", db_url]) == 0
    assert "sessions have ended" in capsys.readouterr().out
    with httpx.Client(base_url=url, cookies={"gasme_staff": cookie}) as old:
        assert old.get("/staff").headers.get("location") == "/staff/login"
    with httpx.Client(base_url=url) as client:
        assert _login(client).status_code == 401
        assert _login(client, "a brand new password").status_code == 303
    monkeypatch.setattr(sys, "stdin", io.StringIO("a brand new password\n"))
    assert cli.main(["staff", "set-password", "nobody", "--db", db_url]) == 1
    assert "no staff account 'nobody'" in capsys.readouterr().err


def _set_cookies(r: httpx.Response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in r.headers.get_list("set-cookie")}


def test_secure_cookie_and_hsts_behind_https(staff: Staff) -> None:
    url = staff.server()
    https = {"X-Forwarded-Proto": "https"}  # from loopback, a proxy uvicorn trusts by default
    with httpx.Client(base_url=url) as client:
        plain = client.get("/staff/login")
        assert "strict-transport-security" not in plain.headers
        assert "secure" not in _set_cookies(plain)["gasme_staff_login"].lower()
    with httpx.Client(base_url=url) as client:  # the client keeps Secure cookies off http: handed over by hand
        page = client.get("/staff/login", headers=https)
        assert page.headers["strict-transport-security"] == "max-age=31536000"
        assert "; secure" in _set_cookies(page)["gasme_staff_login"].lower()
        token = page.cookies["gasme_staff_login"]
        r = client.post("/staff/login", data={"name": "amy", "password": PASSWORD, "csrf": _csrf(page.text)},
                        headers={**https, "Cookie": f"gasme_staff_login={token}"})
        assert r.status_code == 303 and r.headers["strict-transport-security"] == "max-age=31536000"
        session = _set_cookies(r)["gasme_staff"].lower()
        assert "; secure" in session and "httponly" in session and "samesite=strict" in session
    # Behind an https public address: always, whatever the request says.
    always = staff.server(Settings(worker_in_process=False, public_url="https://bot.example.org"))
    with httpx.Client(base_url=always) as client:
        page = client.get("/staff/login")
        assert page.headers["strict-transport-security"] == "max-age=31536000"
        assert "; secure" in _set_cookies(page)["gasme_staff_login"].lower()
        assert client.get("/healthz").headers["strict-transport-security"] == "max-age=31536000"
