"""The seams between layers: ticket transitions own their side effects whoever triggers them, no network call
happens inside a transaction, and an outbox claim lapses when its worker dies."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.app.cli import main
from bot.app.worker import Worker
from bot.channels.console import take_notices
from bot.messages import Incoming, Outgoing
from bot.storage import outbox
from bot.storage.models import Outbox, Ticket
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW, TestBot
from tests.fakes import FakeSlack, ServerThread
from tests.test_handoff import Desk, open_ticket

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def rig(library: Library, db: Engine) -> Iterator[Desk]:
    """A member on the console, Slack behind serve (a local fake of its Web API), and the worker."""
    fake = FakeSlack()
    with ServerThread(fake.app()) as server:
        yield Desk(library, db, fake, f"http://127.0.0.1:{server.port}/api/")


def test_back_to_bot_updates_the_slack_post_and_records_who_closed(rig: Desk) -> None:
    open_ticket(rig)
    assert "back with the bot" in rig.say("back to bot")
    rig.deliver()
    [update] = rig.fake.called("chat.update")
    blocks = json.dumps(update["blocks"])
    assert "resolved" in blocks and "ticket_claim" not in blocks and "ticket_resolve" not in blocks
    ticket = rig.ticket()
    assert (ticket.status, ticket.resolved_by) == ("resolved", "member")
    assert rig.notices() == []  # the member was told in the turn itself, not a second time


def test_a_note_from_the_command_line_stays_among_staff(bot: TestBot, db_url: str, db: Engine,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    bot.channel = "console"
    bot.say("/human", user="m7")
    bot.say("Can we get a booth at the expo?", user="m7")
    with db.connect() as conn:
        ticket_id = conn.scalar(select(Ticket.id))
    assert main(["tickets", "reply", str(ticket_id), "note: ask Li about booth prices", "--db", db_url]) == 0
    assert "note kept among staff" in capsys.readouterr().out
    assert take_notices(bot.engine, "m7") == []
    with db.connect() as conn:
        assert conn.scalar(select(Ticket.status)) == "open"  # a note does not take the ticket either
        kinds = conn.execute(select(Outbox.kind).where(Outbox.channel == "console")).scalars().all()
    assert "staff_reply" not in kinds


def test_a_note_echoed_to_slack_shows_as_a_note_in_the_thread(rig: Desk) -> None:
    ts = open_ticket(rig)
    assert rig.member.engine.staff.reply(rig.ticket().id, "note: VIP member", "cli:li", echo_to_slack=True) == "note"
    rig.deliver()
    relay = rig.fake.called("chat.postMessage")[-1]
    assert relay["thread_ts"] == ts and relay["text"].startswith("*Note (cli:li):*")
    assert rig.notices() == []


def test_a_member_turn_finishes_while_slack_hangs(rig: Desk) -> None:
    """The worker waits on Slack with no transaction open, so another member's turn is not held up."""
    rig.say("talk to a human")
    rig.say("Can we sponsor the matchmaking forum?")
    rig.fake.hold = threading.Event()
    with ThreadPoolExecutor(2) as pool:
        delivering = pool.submit(rig.deliver)
        while not any(c.method == "held:chat.postMessage" for c in rig.fake.calls):
            assert not delivering.done(), "the worker finished without calling Slack"
            threading.Event().wait(0.01)
        other = pool.submit(rig.member.engine.handle, Incoming("console", "m2", "When was GASME founded?"))
        try:
            result = other.result(timeout=20)  # a generous bound: the turn must not wait for Slack at all
            assert result.answer_id == "founding"
            assert not delivering.done(), "Slack was still hanging while the member was answered"
        finally:
            rig.fake.hold.set()
        delivering.result(timeout=30)
    assert rig.ticket().slack_ts  # the post went through once Slack answered


_CLAIM_AND_DIE = textwrap.dedent("""
    import os, signal, sys
    from datetime import datetime
    from bot.storage.database import make_engine
    from bot.storage import outbox
    db = make_engine(sys.argv[1])
    claimed = outbox.claim(db, datetime.fromisoformat(sys.argv[2]), channels=("console",))
    print(len(claimed), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # dies between claim and delivery
""")


def test_rows_of_a_killed_worker_are_delivered_once_in_order_after_the_lease(db_url: str, db: Engine) -> None:
    with db.begin() as conn:
        for n in (1, 2, 3):
            outbox.enqueue(conn, NOW, "console", "m1", "m1", "notice", {"text": f"notice {n}"})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", _CLAIM_AND_DIE, db_url, NOW.isoformat()], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL and proc.stdout.strip() == "1", proc.stderr

    delivered: list[str] = []

    def deliver(item: Outgoing) -> None:
        delivered.append(str(item.payload["text"]))

    worker = Worker(db, {"console": deliver})
    assert worker.drain(NOW + timedelta(seconds=30)) == 0  # the claim still holds: nobody else delivers it
    assert delivered == []
    worker.drain(NOW + outbox.LEASE + timedelta(seconds=1))
    assert delivered == ["notice 1", "notice 2", "notice 3"]
    with db.connect() as conn:
        rows = conn.execute(select(Outbox.status, Outbox.attempts).order_by(Outbox.id)).all()
    assert [r.status for r in rows] == ["sent"] * 3
    assert rows[0].attempts == 2  # the dead worker's try, then ours
    assert worker.drain(NOW + outbox.LEASE * 3) == 0 and len(delivered) == 3


def test_a_button_press_keeps_the_members_language(library: Library, db: Engine) -> None:
    bot = TestBot(library, db)
    listing = bot.say("近期有什么活动？")
    assert listing.result.lang == "zh"
    payload = listing.result.replies[0].buttons[0].payload
    assert payload.startswith("/event ")
    pressed = bot.say(payload)
    assert pressed.result.lang == "zh"
    assert any("\u4e00" <= c <= "\u9fff" for c in pressed.text), pressed.text
