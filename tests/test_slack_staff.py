"""What staff send from Slack: their replies reach members as plain text, buttons count only in the staff channel,
ids that name no ticket are ignored, and people show as mentions Slack renders. Signed requests to the real
slack-bolt app; the Slack Web API is the local fake."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import Engine

from bot.channels.slack_text import mention, to_plain
from bot.desk import learning
from bot.understanding.knowledge_base import Library
from tests.fakes import FakeSlack, ServerThread
from tests.test_handoff import STAFF, Desk, open_ticket


@pytest.fixture
def desk(library: Library, db: Engine) -> Iterator[Desk]:
    fake = FakeSlack()
    with ServerThread(fake.app()) as server:
        yield Desk(library, db, fake, f"http://127.0.0.1:{server.port}/api/")


@pytest.mark.parametrize(("slack", "plain"), [
    ("a &lt; b &amp;&amp; c &gt; d", "a < b && c > d"),
    ("&amp;lt;b&amp;gt; is how you write it", "&lt;b&gt; is how you write it"),
    ("see <https://gasme.org/visa|the visa page>", "see the visa page (https://gasme.org/visa)"),
    ("see <https://gasme.org/a_b_c>", "see https://gasme.org/a_b_c"),
    ("<https://x.example/?a=1&amp;b=2|x.example>", "x.example (https://x.example/?a=1&b=2)"),
    ("write to <mailto:info@gasme.org|info@gasme.org>", "write to info@gasme.org"),
    ("ask <@U123> or <@U456|li.wei> in <#C1|general> or <#C2>", "ask @U123 or @li.wei in #general or #C2"),
    ("<!here> <!subteam^S1|@events> on <!date^1392734382^{date}|Feb 18, 2014>", "@here @events on Feb 18, 2014"),
    ("*Yes*, it's _free_ and ~not~ `required`", "Yes, it's free and not required"),
    ("```\nline one\nline two\n```", "line one\nline two"),
    ("2*3*4 and snake_case_name stay", "2*3*4 and snake_case_name stay"),
    ("请在活动前*一个月*提交申请。", "请在活动前一个月提交申请。"),
])
def test_slack_text_made_plain(slack: str, plain: str) -> None:
    assert to_plain(slack) == plain


def test_mentions() -> None:
    assert mention("slack:U0123ABC") == "<@U0123ABC>" and mention("U0123ABC") == "<@U0123ABC>"
    assert mention("cli:amy") == "cli:amy" and mention("dashboard:<b>") == "dashboard:&lt;b&gt;"
    assert mention(None) == "someone"


def _click(desk: Desk, action_id: str, value: str, channel: str = STAFF, user: str = "UAMY") -> Any:
    payload = {
        "type": "block_actions", "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
        "api_app_id": "A0001", "token": "legacy", "trigger_id": "1.2.3",
        "container": {"type": "message", "message_ts": "1700000000.000001", "channel_id": channel},
        "team": {"id": "T0001", "domain": "gasme"}, "channel": {"id": channel, "name": "somewhere"},
        "response_url": "https://hooks.slack.com/actions/T0001/1/abc",
        "actions": [{"action_id": action_id, "block_id": "b1", "value": value, "type": "button",
                     "text": {"type": "plain_text", "text": action_id}, "action_ts": "1700000002.1"}],
    }
    return desk.signed(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")


def test_a_staff_reply_reaches_the_member_as_plain_text(desk: Desk) -> None:
    ts = open_ticket(desk)
    said = ("*Yes* &amp; lunch is included: see <https://gasme.org/expo|the expo page>; "
            "&lt;bring your badge&gt;, or ask <@U0OTHER> in <#C01|front-desk>.")
    assert desk.thread_reply(said, ts).status_code == 200
    desk.deliver()
    assert desk.notices() == ["Staff: Yes & lunch is included: see the expo page (https://gasme.org/expo); "
                              "<bring your badge>, or ask @U0OTHER in #front-desk."]


def test_buttons_count_only_in_the_staff_channel(desk: Desk, caplog: pytest.LogCaptureFixture) -> None:
    open_ticket(desk)
    ticket_id = str(desk.ticket().id)
    with caplog.at_level(logging.WARNING, logger="bot.channels.slack"):
        for action in ("ticket_claim", "ticket_resolve", "ticket_handback"):
            assert _click(desk, action, ticket_id, channel="CRANDOM", user="UOUT").status_code == 200
        teach = json.dumps({"entry": "founding", "ids": [1]})
        assert _click(desk, "digest_teach", teach, channel="DIRECT", user="UOUT").status_code == 200
    assert desk.ticket().status == "open" and desk.ticket().claimed_by is None
    assert learning.taught(desk.db) == [] and desk.fake.called("chat.postEphemeral") == []
    assert caplog.text.count("not the staff channel") == 4
    assert _click(desk, "ticket_claim", ticket_id).status_code == 200  # from the staff channel it works
    assert desk.ticket().status == "claimed" and desk.ticket().claimed_by == "slack:UAMY"


@pytest.mark.parametrize("value", [str(10**23), "-1", "0", "x", "", "1e3"])
def test_a_ticket_id_that_names_no_ticket_is_ignored(desk: Desk, value: str,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    open_ticket(desk)
    with caplog.at_level(logging.WARNING, logger="bot.channels.slack"):
        for action in ("ticket_claim", "ticket_resolve"):
            assert _click(desk, action, value).status_code == 200
        teach = json.dumps({"entry": "founding", "ids": [10**23]})
        assert _click(desk, "digest_teach", teach).status_code == 200
    assert caplog.text.count("malformed") == 3
    assert desk.ticket().status == "open"


def test_people_show_as_slack_mentions(desk: Desk) -> None:
    ts = open_ticket(desk)
    assert desk.thread_reply("Yes, you can.", ts, user="UAMY").status_code == 200  # answering claims the ticket
    desk.deliver()
    update = json.dumps(desk.fake.called("chat.update")[-1]["blocks"])
    assert "by <@UAMY>" in update and "slack:" not in update
    _click(desk, "ticket_claim", str(desk.ticket().id), user="UBEN")
    assert desk.fake.called("chat.postEphemeral")[-1]["text"].endswith("already claimed by <@UAMY>.")
    _click(desk, "ticket_claim", "2000000000", user="UBEN")  # in range, but no such ticket
    assert desk.fake.called("chat.postEphemeral")[-1]["text"] == "There is no ticket #2000000000."
    assert "<@None>" not in json.dumps(desk.fake.calls, default=str)
