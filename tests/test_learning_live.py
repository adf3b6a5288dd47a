"""The learning loop in running processes: taught phrasings and edited knowledge picked up without a restart, a
broken knowledge base refused (staff told in Slack), and the weekly digest with its teach button."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import Engine, select

from bot.app import cli
from bot.app.reloader import Reloader
from bot.app.server import create_app
from bot.app.settings import Settings
from bot.app.wiring import senders_for, timers_for
from bot.app.worker import Worker
from bot.channels.slack import SlackSettings
from bot.desk import learning
from bot.desk.registrations import Details, register
from bot.storage.database import sessions
from bot.storage.models import Outbox
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW, ROOT, TestBot
from tests.fakes import FakeSlack, ServerThread, visitor
from tests.test_handoff import STAFF, Desk

NEW_QUESTION = "Is there parking at the expo venue?"


def _answered_with(client: Any, text: str) -> str | None:
    """The FAQ entry the web chat answered with (its answer carries that entry's feedback buttons), or None."""
    r = client.post("/api/chat", json={"text": text})
    assert r.status_code == 200
    payloads = [b["payload"] for reply in r.json()["replies"] for b in reply["buttons"]]
    return next((p.split()[1] for p in payloads if p.startswith("/feedback ")), None)


def test_taught_phrasing_is_answered_at_once_by_a_running_server(library: Library, db: Engine, db_url: str) -> None:
    bot = TestBot(library, db, channel="web")
    reloader = Reloader(bot.engine)
    app = create_app(Settings(worker_in_process=False), bot.engine, reloader=reloader)
    with ServerThread(app) as server, visitor(f"http://127.0.0.1:{server.port}") as member:
        assert _answered_with(member, NEW_QUESTION) is None
        assert not reloader.check()  # nothing changed yet
        assert cli.main(["knowledge", "teach", "venue-parking-free", NEW_QUESTION, "--db", db_url]) == 1
        entry = "global-sme-expo" if library.knowledge.faq_by_id("global-sme-expo") else library.knowledge.faq[0].id
        assert cli.main(["knowledge", "teach", entry, NEW_QUESTION, "--db", db_url]) == 0
        assert reloader.check()  # what the reloader's thread does every few seconds
        assert _answered_with(member, NEW_QUESTION) == entry


def test_edited_files_are_picked_up_and_a_broken_base_is_refused(tmp_path: Path, db: Engine) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", kb)
    bot = TestBot(Library.load(kb), db, channel="web")
    reloader = Reloader(bot.engine)
    faq = kb / "faq.yaml"
    good = faq.read_text(encoding="utf-8")
    faq.write_text(good + "\n- id: parking\n  questions:\n    - Is there parking at the expo venue?\n"
                   "  answer: {en: Yes there is free parking., zh: 有免费停车场。}\n", encoding="utf-8")
    assert reloader.check()
    assert bot.say(NEW_QUESTION).answer_id == "parking"
    working = bot.engine.library
    faq.write_text(good + "\n- id: Bad Id!\n  answer: oops\n", encoding="utf-8")
    assert not reloader.check()
    assert bot.engine.library is working  # the old knowledge stays in use
    assert reloader.refused is not None and "faq.yaml" in str(reloader.refused.problems[0])
    assert bot.say(NEW_QUESTION).answer_id == "parking"
    assert not reloader.check()  # the same broken files: staff are not told twice
    with db.connect() as conn:
        notices = conn.execute(select(Outbox.payload).where(Outbox.kind == "slack_notice")).scalars().all()
    assert len(notices) == 1 and "faq.yaml" in notices[0]["text"] and "refused" in notices[0]["text"]
    fake = FakeSlack()
    with ServerThread(fake.app()) as server:
        settings = Settings(channels=(SlackSettings("xoxb-test", "s" * 32, STAFF, f"http://127.0.0.1:{server.port}/api/"),),
                            worker_in_process=False)
        assert Worker(db, senders_for(settings, db), clock=lambda: NOW).drain() == 1
        posted = fake.called("chat.postMessage")
    assert posted[0]["channel"] == STAFF and "faq.yaml" in posted[0]["text"]


@pytest.fixture
def desk(library: Library, db: Engine) -> Iterator[Desk]:
    fake = FakeSlack()
    with ServerThread(fake.app()) as server:
        yield Desk(library, db, fake, f"http://127.0.0.1:{server.port}/api/")


def _click_teach(desk: Desk, value: str) -> Any:
    payload = {
        "type": "block_actions", "user": {"id": "UAMY", "username": "amy", "team_id": "T0001"},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": "1.2.3",
        "container": {"type": "message", "message_ts": "1700000000.000001", "channel_id": STAFF},
        "team": {"id": "T0001", "domain": "gasme"}, "channel": {"id": STAFF, "name": "member-desk"},
        "response_url": "https://hooks.slack.com/actions/T0001/1/abc",
        "actions": [{"action_id": "digest_teach", "block_id": "b1", "value": value, "type": "button",
                     "text": {"type": "plain_text", "text": "Add to"}, "action_ts": "1700000002.1"}],
    }
    return desk.signed(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


def test_weekly_digest_in_slack_teaches_with_its_button(desk: Desk, library: Library, db: Engine) -> None:
    parking = [NEW_QUESTION, "Where can I park my car at the expo?",
               "Can I leave my car in a car park near the expo hall?"]
    for i, question in enumerate(parking):
        desk.say(question, user=f"p{i}")
    desk.say("Can I bring my dog to the gala dinner?", user="dog")
    web = TestBot(library, db, channel="web")
    web.now = desk.member.now
    web.say("When was GASME founded?", user="w1")
    web.say("/feedback founding down", user="w1")
    web.say("no", user="w1")
    desk.say("talk to a human", user="h1")
    desk.say("I need an invitation letter for my visa, can someone help?", user="h1")
    ev = next(e for e in library.knowledge.events if e.starts > NOW and e.capacity)
    with sessions(db).begin() as s:
        register(s, ev, "web", "r1", Details("Wang Fang", "ACME", "wang@example.com"), "zh", NOW)
    timers = timers_for(desk.settings, desk.member.engine)
    worker = Worker(db, senders_for(desk.settings, db), clock=lambda: NOW, timers=timers)
    worker.run_timers(NOW - timedelta(days=7))  # the deployment's first week: no digest of a week it did not see
    worker.drain(NOW)
    assert not [c for c in desk.fake.called("chat.postMessage") if "Weekly digest" in c.get("text", "")]
    worker.run_timers(NOW)
    worker.run_timers(NOW + timedelta(hours=1))  # the same week: one digest only
    worker.drain(NOW)
    digests = [c for c in desk.fake.called("chat.postMessage") if "Weekly digest" in c.get("text", "")]
    assert len(digests) == 1
    blocks = digests[0]["blocks"]
    flat = json.dumps(blocks, ensure_ascii=False)
    assert "Hand-offs:* 1" in flat and "Registrations:* 1" in flat
    assert "`founding`: 1 not helpful" in flat
    buttons = [b["accessory"] for b in blocks if "accessory" in b]
    assert buttons and buttons[0]["text"]["text"].startswith("Add to ")
    group = next(b for b in blocks if "3×" in b.get("text", {}).get("text", ""))
    assert group["accessory"] is buttons[0]
    value = json.loads(buttons[0]["value"])
    assert _click_teach(desk, buttons[0]["value"]).status_code == 200
    assert sorted(t for _, t in learning.taught(db)) == sorted(parking)
    assert {e for e, _ in learning.taught(db)} == {value["entry"]}
    note = desk.fake.called("chat.postEphemeral")[-1]
    assert "3 new phrasing" in note["text"]
    # The next week brings the next digest.
    worker.run_timers(NOW + timedelta(days=7))
    worker.drain(NOW + timedelta(days=7))
    assert len([c for c in desk.fake.called("chat.postMessage") if "Weekly digest" in c.get("text", "")]) == 2
