"""Staff hand-off end to end: the member's channel, the engine, the real slack-bolt app behind `gasme-bot serve`'s
ASGI app (signed requests as Slack sends them), the outbox worker, and a local fake of the Slack Web API that the
real slack_sdk client talks to."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from bot.app.cli import main
from bot.app.server import create_app
from bot.app.settings import Settings
from bot.app.wiring import senders_for
from bot.app.worker import Worker
from bot.channels.console import take_notices
from bot.channels.slack import SlackSettings
from bot.desk.office_hours import OfficeHours
from bot.storage.models import Outbox, Ticket
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW, TestBot
from tests.fakes import FakeSlack, ServerThread

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
STAFF = "CSTAFF"


class Desk:
    """The whole hand-off rig: a member on the console channel, Slack behind serve, and the worker."""

    def __init__(self, library: Library, db: Engine, fake: FakeSlack, api_url: str):
        self.fake = fake
        self.member = TestBot(library, db, channel="console")
        self.db = db
        self.settings = Settings(channels=(SlackSettings("xoxb-test", SECRET, STAFF, api_url),),
                                 worker_in_process=False)
        self.client = TestClient(create_app(self.settings, self.member.engine))
        self.worker = Worker(db, senders_for(self.settings, db), clock=lambda: self.member.now)
        self._event = 0

    def say(self, text: str, user: str = "m1") -> str:
        return self.member.say(text, user=user).text

    def deliver(self, later: timedelta = timedelta(0)) -> int:
        return self.worker.drain(self.member.now + later)

    def notices(self, user: str = "m1") -> list[str]:
        return take_notices(self.member.engine, user)

    def ticket(self) -> Ticket:
        """The latest ticket (ids differ between databases: PostgreSQL sequences are not reset between tests)."""
        with self.db.connect() as conn:
            return conn.execute(select(Ticket).order_by(Ticket.id.desc()).limit(1)).one()  # type: ignore[return-value]

    # Slack side: signed requests, as Slack sends them

    def signed(self, body: str, content_type: str, timestamp: int | None = None, secret: str = SECRET,
               extra: dict[str, str] | None = None) -> Any:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        sig = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig, "Content-Type": content_type,
                   **(extra or {})}
        return self.client.post("/slack/events", content=body.encode(), headers=headers)

    def thread_reply(self, text: str, thread_ts: str, user: str = "UAMY", event_id: str | None = None,
                     retry: int | None = None) -> Any:
        self._event += 1
        payload = {
            "token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
            "event_id": event_id or f"Ev{self._event:08d}", "event_time": int(time.time()),
            "event": {"type": "message", "channel": STAFF, "channel_type": "channel", "user": user, "text": text,
                      "ts": f"1700001000.{self._event:06d}", "thread_ts": thread_ts, "event_ts": "1700001000.1"},
            "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}],
        }
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return self.signed(json.dumps(payload), "application/json", extra=extra)

    def click(self, action_id: str, ticket_id: int, user: str = "UAMY") -> Any:
        payload = {
            "type": "block_actions", "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
            "api_app_id": "A0001", "token": "legacy", "trigger_id": "1.2.3",
            "container": {"type": "message", "message_ts": "1700000000.000001", "channel_id": STAFF},
            "team": {"id": "T0001", "domain": "gasme"}, "channel": {"id": STAFF, "name": "member-desk"},
            "response_url": "https://hooks.slack.com/actions/T0001/1/abc",
            "actions": [{"action_id": action_id, "block_id": "b1", "value": str(ticket_id), "type": "button",
                         "text": {"type": "plain_text", "text": action_id}, "action_ts": "1700000002.1"}],
        }
        return self.signed(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


@pytest.fixture
def desk(library: Library, db: Engine) -> Iterator[Desk]:
    fake = FakeSlack()
    with ServerThread(fake.app()) as server:
        yield Desk(library, db, fake, f"http://127.0.0.1:{server.port}/api/")


def open_ticket(desk: Desk, question: str = "Can I bring two colleagues to the matchmaking sessions?") -> str:
    desk.say("talk to a human")
    desk.say(question)
    desk.deliver()
    assert len(desk.fake.called("chat.postMessage")) == 1
    ts = desk.ticket().slack_ts
    assert ts, "the ticket remembers its Slack post, whose thread carries the conversation"
    return str(ts)


# --- triggers ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ask", ["talk to a human", "agent please", "/human", "转人工", "我要人工客服"])
def test_asking_for_a_person_asks_for_the_question_then_opens(bot: TestBot, ask: str) -> None:
    first = bot.say(ask)
    assert first.intent == "handoff" and first.result.handoff is False
    second = bot.say("Can my company exhibit at the Global SME Expo?")
    assert second.result.handoff is True


def test_asking_with_the_question_opens_at_once(bot: TestBot) -> None:
    said = bot.say("I want to talk to a human about a sponsorship contract for our firm")
    assert said.result.handoff is True


def test_two_misses_then_yes_opens_with_the_question(bot: TestBot, db: Engine) -> None:
    assert bot.say("Can you get me a discount on my hotel in Frankfurt?").intent == "fallback"
    offer = bot.say("What is the corporate tax rate in Germany?")
    assert "pass your question to a person" in offer.text
    said = bot.say("yes")
    assert said.result.handoff is True
    with db.connect() as conn:
        [ticket] = conn.execute(select(Ticket.question, Ticket.reason)).all()
    assert ticket == ("What is the corporate tax rate in Germany?", "fallback")


def test_yes_to_the_first_offer_opens_with_the_question(bot: TestBot, db: Engine) -> None:
    miss = bot.say("Can you get me a discount on my hotel in Frankfurt?")
    assert "pass your question to our staff?" in miss.text
    said = bot.say("yes")
    assert said.result.handoff is True
    with db.connect() as conn:
        [question] = conn.execute(select(Ticket.question)).scalars().all()
    assert question == "Can you get me a discount on my hotel in Frankfurt?"


def test_yes_after_an_answered_question_is_not_taken_as_accepting_an_old_offer(bot: TestBot) -> None:
    bot.say("Can you get me a discount on my hotel in Frankfurt?")
    assert "2009" in bot.say("When was GASME founded?").text
    assert bot.say("yes").result.handoff is False


def test_declining_the_offer(bot: TestBot) -> None:
    bot.say("Can you get me a discount on my hotel in Frankfurt?")
    bot.say("What is the corporate tax rate in Germany?")
    said = bot.say("no")
    assert said.result.handoff is False and "/human" in said.text


def test_handoff_faq_entry_opens_a_ticket(bot: TestBot) -> None:
    said = bot.say("Can GASME issue an invitation letter for my visa?")
    assert said.answer_id == "visa-letter" and said.result.handoff is True


def test_office_hours_in_the_reply(library: Library, db: Engine) -> None:
    hours = OfficeHours.parse("Mon-Fri 09:00-18:00", "America/New_York")
    bot = TestBot(library, db)
    bot.engine.office_hours = hours
    bot.now = NOW.replace(hour=3)  # Thursday 26 Nov 2026, 22:00 the day before in New York
    said = bot.say("/human")
    said = bot.say("Please call me back about sponsorship")
    assert "closed right now" in said.text and "Thu 09:00" in said.text and "New York" in said.text
    bot.now = NOW.replace(hour=15)  # 10:00 in New York
    bot.say("/human", user="u2")
    assert "in the office now" in bot.say("Please call me back", user="u2").text


def test_small_talk_never_opens_a_ticket(bot: TestBot, db: Engine) -> None:
    for text in ("hi", "thanks", "help", "你好", "谢谢"):
        bot.say(text)
    with db.connect() as conn:
        assert conn.execute(select(Ticket)).all() == []


# --- while a ticket is open --------------------------------------------------------------------------------------


def test_bot_stays_quiet_while_staff_have_it_and_back_to_bot_closes(bot: TestBot, db: Engine) -> None:
    bot.say("/human")
    bot.say("Who can sign our partnership agreement?")
    said = bot.say("When was GASME founded?")
    assert said.intent == "handoff" and "2009" not in said.text
    back = bot.say("back to bot")
    assert "back with the bot" in back.text
    assert bot.say("When was GASME founded?").answer_id == "founding"
    with db.connect() as conn:
        assert conn.execute(select(Ticket.status)).scalars().all() == ["resolved"]


@pytest.mark.parametrize("wording", ["end agent session", "release the agent", "不找人了", "转回智能客服",
                                     "all clear now, I'll continue with the bot", "ok, back to the virtual assistant",
                                     "谢谢，麻烦帮我切回机器人", "剩下的我问机器人就行",
                                     "my question is settled, please close the chat with your colleague",
                                     "I'd like to return to the virtual assistant now",
                                     "问题解决了，请结束与工作人员的对话"])
def test_leaving_staff_in_other_words_closes_the_ticket(bot: TestBot, db: Engine, wording: str) -> None:
    bot.say("/human")
    bot.say("Who can sign our partnership agreement?")
    bot.say(wording)
    with db.connect() as conn:
        assert conn.execute(select(Ticket.status)).scalars().all() == ["resolved"]


# --- Slack -----------------------------------------------------------------------------------------------------


def test_ticket_posted_to_slack_with_summary_transcript_and_buttons(desk: Desk) -> None:
    register_first = desk.say("register for the Global SME Expo")
    assert "full name" in register_first
    for answer in ("Ann Lee", "Lee Trading", "ann@lee.example", "yes"):
        desk.say(answer)
    open_ticket(desk)
    [post] = desk.fake.called("chat.postMessage")
    assert post["channel"] == STAFF
    text = json.dumps(post["blocks"], ensure_ascii=False)
    assert f"Ticket #{desk.ticket().id}" in text
    assert "Ann Lee" in text and "Lee Trading" in text and "ann@lee.example" in text
    assert "global-sme-expo-2027 (confirmed)" in text
    assert "Can I bring two colleagues" in text  # the question and the transcript
    actions = next(b for b in post["blocks"] if b["type"] == "actions")["elements"]
    assert [a["action_id"] for a in actions] == ["ticket_claim", "ticket_resolve", "ticket_handback"]


def test_relay_both_ways_and_internal_notes(desk: Desk) -> None:
    ts = open_ticket(desk)
    desk.say("Also, is lunch included?")
    desk.deliver()
    relay = desk.fake.called("chat.postMessage")[-1]
    assert relay["thread_ts"] == ts and "is lunch included?" in relay["text"]

    assert desk.thread_reply("Yes, two colleagues are welcome, and lunch is included.", ts).status_code == 200
    assert desk.thread_reply("note: check the venue capacity with Li", ts).status_code == 200
    desk.deliver()
    notices = desk.notices()
    assert notices == ["Staff: Yes, two colleagues are welcome, and lunch is included."]
    assert desk.ticket().status == "claimed" and desk.ticket().claimed_by == "slack:UAMY"


def test_member_markup_is_escaped_in_slack(desk: Desk) -> None:
    ts = open_ticket(desk, "<!channel> *urgent* <http://evil.example|click>")
    text = json.dumps(desk.fake.called("chat.postMessage")[0]["blocks"])
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert ts


def test_claim_race_has_one_winner(desk: Desk) -> None:
    open_ticket(desk)
    results: list[int] = []

    def click(user: str) -> None:
        results.append(desk.click("ticket_claim", desk.ticket().id, user=user).status_code)

    threads = [threading.Thread(target=click, args=(u,)) for u in ("UAMY", "UBEN", "UCHO")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == [200, 200, 200]
    ticket = desk.ticket()
    assert ticket.status == "claimed" and ticket.claimed_by in ("slack:UAMY", "slack:UBEN", "slack:UCHO")
    owner = ticket.claimed_by.removeprefix("slack:")
    ephemeral = desk.fake.called("chat.postEphemeral")
    assert len(ephemeral) == 2
    assert all(f"already claimed by <@{owner}>." in e["text"] for e in ephemeral)
    assert {e["user"] for e in ephemeral} == {"UAMY", "UBEN", "UCHO"} - {owner}
    desk.deliver()
    [update] = desk.fake.called("chat.update")
    assert "claimed" in json.dumps(update["blocks"])


def test_resolve_tells_the_member_and_the_bot_answers_again(desk: Desk) -> None:
    open_ticket(desk)
    assert desk.click("ticket_resolve", desk.ticket().id).status_code == 200
    desk.deliver()
    assert desk.notices() == ["Our staff have closed your question. I'm here again if you need anything."]
    assert "2009" in desk.say("When was GASME founded?")
    update = desk.fake.called("chat.update")[-1]
    assert "resolved" in json.dumps(update["blocks"]) and "ticket_claim" not in json.dumps(update["blocks"])
    again = desk.click("ticket_resolve", desk.ticket().id, user="UBEN")
    assert again.status_code == 200
    assert "already closed" in desk.fake.called("chat.postEphemeral")[-1]["text"]


def test_hand_back_to_bot(desk: Desk) -> None:
    open_ticket(desk)
    desk.click("ticket_handback", desk.ticket().id)
    desk.deliver()
    assert desk.notices() == ["You're back with the bot. Ask me anything about GASME or its events."]
    assert desk.ticket().status == "resolved"


def test_bad_signature_and_stale_timestamp_are_refused(desk: Desk) -> None:
    ts = open_ticket(desk)
    body = json.dumps({"type": "event_callback", "event_id": "EvX", "event": {
        "type": "message", "channel": STAFF, "user": "UAMY", "text": "forged", "thread_ts": ts, "ts": "1.1"}})
    assert desk.signed(body, "application/json", secret="wrong-secret").status_code == 401
    stale = int(time.time()) - 6 * 60
    assert desk.signed(body, "application/json", timestamp=stale).status_code == 401
    assert desk.client.post("/slack/events", content=body, headers={"Content-Type": "application/json"}
                            ).status_code == 401
    desk.deliver()
    assert desk.notices() == []


def test_retried_event_relays_once(desk: Desk) -> None:
    ts = open_ticket(desk)
    assert desk.thread_reply("We will call you tomorrow.", ts, event_id="Ev0042").status_code == 200
    assert desk.thread_reply("We will call you tomorrow.", ts, event_id="Ev0042", retry=1).status_code == 200
    assert desk.thread_reply("We will call you tomorrow.", ts, event_id="Ev0042", retry=2).status_code == 200
    desk.deliver()
    assert desk.notices() == ["Staff: We will call you tomorrow."]


def test_slack_down_then_back_nothing_lost_order_kept(desk: Desk, db: Engine) -> None:
    desk.fake.down = True
    desk.say("talk to a human")
    desk.say("First: can we sponsor the forum?")
    desk.say("Second: we would also like a booth.")
    desk.say("Third: and a speaking slot.")
    desk.deliver()
    assert desk.fake.called("chat.postMessage") == []
    with db.connect() as conn:
        pending = conn.execute(select(Outbox.kind, Outbox.status, Outbox.attempts).where(Outbox.channel == "slack")
                               .order_by(Outbox.id)).all()
    assert [p.kind for p in pending] == ["slack_post", "slack_relay", "slack_relay"]
    assert all(p.status == "pending" for p in pending) and pending[0].attempts >= 1
    desk.fake.down = False
    desk.deliver(later=timedelta(hours=1))
    posts = desk.fake.called("chat.postMessage")
    assert "First: can we sponsor the forum?" in json.dumps(posts[0]["blocks"])
    assert [p.get("thread_ts") for p in posts[1:]] == [desk.ticket().slack_ts] * 2
    assert "Second" in posts[1]["text"] and "Third" in posts[2]["text"]


def test_chinese_member_transcript(desk: Desk) -> None:
    desk.say("我要人工客服")
    assert "问题" in desk.member.say("我们公司想在博览会上做路演，需要提前多久申请？", user="m1").text
    desk.deliver()
    post = desk.fake.called("chat.postMessage")[0]
    text = json.dumps(post["blocks"], ensure_ascii=False)
    assert "我们公司想在博览会上做路演" in text and "language: zh" in text
    desk.thread_reply("请在活动前一个月提交申请。", str(desk.ticket().slack_ts))
    desk.deliver()
    assert desk.notices() == ["工作人员：请在活动前一个月提交申请。"]


def test_staff_without_slack_use_the_command_line(bot: TestBot, db_url: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    bot.channel = "console"
    bot.say("/human", user="m9")
    bot.say("我们想赞助全球中小企业博览会", user="m9")
    assert main(["tickets", "--json", "--db", db_url]) == 0
    [ticket] = json.loads(capsys.readouterr().out)
    assert {"id", "status", "channel", "user_id", "created_at"} <= set(ticket)
    assert (ticket["status"], ticket["channel"], ticket["user_id"], ticket["lang"]) == ("open", "console", "m9", "zh")
    assert any("赞助" in line["text"] for line in ticket["transcript"])
    now = ["--now", "2026-11-26T10:00:00"]
    assert main(["tickets", "reply", str(ticket["id"]), "欢迎赞助，我们会发送方案。", "--db", db_url, *now]) == 0
    assert take_notices(bot.engine, "m9") == ["工作人员：欢迎赞助，我们会发送方案。"]
    assert main(["tickets", "resolve", str(ticket["id"]), "--db", db_url, *now]) == 0
    assert take_notices(bot.engine, "m9") == ["工作人员已处理完您的问题。如有需要，我随时为您服务。"]
    assert main(["tickets", "resolve", str(ticket["id"]), "--db", db_url]) == 1
    assert main(["tickets", "reply", "999", "hello", "--db", db_url]) == 1
    capsys.readouterr()
    assert main(["tickets", "--db", db_url]) == 0
    assert "No open tickets" in capsys.readouterr().out
    assert bot.say("GASME是什么时候成立的", user="m9").answer_id == "founding"


def test_healthz(desk: Desk) -> None:
    assert desk.client.get("/healthz").json() == {"ok": True}


@pytest.mark.parametrize(("question", "lang"), [("How much does membership cost?", "en"), ("会员费是多少？", "zh")])
def test_a_handoff_answer_says_it_once(bot: TestBot, question: str, lang: str) -> None:
    said = bot.say(question)
    assert said.result.handoff is True and len(said.replies) == 1
    passed = "passing your question" if lang == "en" else "转给工作人员"
    assert said.text.count(passed) == 1 and "I've passed this" not in said.text
    assert ("office" in said.text) if lang == "en" else ("办公" in said.text)  # when staff will answer


def test_ticket_listing_in_text_shows_the_member(bot: TestBot, db_url: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    bot.channel = "console"
    for text in ("/register global-sme-expo-2027", "Li Wei", "Acme Ltd", "li@acme.example", "yes"):
        bot.say(text, user="m4")
    bot.say("/human", user="m4")
    bot.say("Can we move our booth?", user="m4")
    capsys.readouterr()
    assert main(["tickets", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "member: Li Wei, Acme Ltd, li@acme.example" in out
    assert "registered: global-sme-expo-2027 (confirmed)" in out
