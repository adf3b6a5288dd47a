"""Slack: where staff receive tickets and answer them. Two halves, both translation only:

- inbound (`build_app`): slack-bolt verifies the signing secret and parses Events API and interactivity payloads;
  our listeners turn them into calls on bot.desk.tickets, inside one database transaction, and return. Nothing slow
  happens while Slack waits for the acknowledgement: every outbound call goes through the outbox.
- outbound (`SlackSender`): the worker's delivery of outbox rows with kind slack_*: the ticket post with its
  buttons, relays into the ticket's thread, and updates of the post when the ticket changes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk import WebClient
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine

from bot.desk import tickets
from bot.storage import conversations
from bot.storage.database import sessions
from bot.storage.models import Ticket
from bot.storage.outbox import Item

log = logging.getLogger(__name__)

STATUS_LABEL = {"open": "🟡 open", "claimed": "🔵 claimed", "resolved": "✅ resolved"}
NOTE_PREFIX = "note:"


def escape(text: str) -> str:
    """Slack mrkdwn control characters, so a member's "<!channel>" stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- inbound --------------------------------------------------------------------------------------------------------


def build_app(token: str, signing_secret: str, staff_channel: str, api_url: str, db: Engine,
              clock: Callable[[], datetime]) -> AsyncApp:
    app = AsyncApp(token=token, signing_secret=signing_secret, process_before_response=True,
                   client=AsyncWebClient(token=token, base_url=api_url))
    make = sessions(db)

    def first_delivery(session: Any, event_id: str | None) -> bool:
        """Slack retries (X-Slack-Retry-Num) carry the same event_id: only the first is acted on."""
        if not event_id:
            return True
        return conversations.first_delivery(session.connection(), "slack", event_id, clock())

    def on_thread_message(event: dict[str, Any], event_id: str | None) -> None:
        thread_ts, text = event.get("thread_ts"), (event.get("text") or "").strip()
        if not thread_ts or event.get("subtype") or event.get("bot_id") or not text:
            return
        if event.get("channel") != staff_channel:
            return
        with make.begin() as s:
            if not first_delivery(s, event_id):
                log.info("slack: retried event %s ignored", event_id)
                return
            ticket = tickets.by_slack_thread(s, thread_ts)
            if ticket is None:
                return
            if text.lower().startswith(NOTE_PREFIX):
                return  # an internal note stays in Slack
            result = tickets.staff_reply(s, ticket.id, text, f"slack:{event.get('user', '?')}", clock(),
                                         echo_to_slack=False)
            if result != "ok":
                log.info("slack: reply to ticket %s not relayed (%s)", ticket.id, result)

    @app.event("message")
    async def message(event: dict[str, Any], body: dict[str, Any]) -> None:
        await asyncio.to_thread(on_thread_message, event, body.get("event_id"))

    def on_button(action_id: str, ticket_id: int, user: str) -> str | None:
        """Returns a note for the clicking staff member only, or None."""
        with make.begin() as s:
            if action_id == "ticket_claim":
                c = tickets.claim(s, ticket_id, user, clock())
                return None if c.won else f"Ticket #{ticket_id} is already claimed by <@{c.owner}>."
            result = tickets.resolve(s, ticket_id, user, clock(), hand_back=action_id == "ticket_handback")
            return None if result == "ok" else f"Ticket #{ticket_id} is already closed."

    async def button(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        try:
            ticket_id = int(action.get("value") or 0)
        except ValueError:
            return
        user = body.get("user", {}).get("id", "?")
        note = await asyncio.to_thread(on_button, action["action_id"], ticket_id, user)
        if note:
            channel = body.get("channel", {}).get("id") or staff_channel
            # Only the clicker sees this; it answers their click, so it is sent at once rather than queued.
            await app.client.chat_postEphemeral(channel=channel, user=user, text=note)

    for action_id in ("ticket_claim", "ticket_resolve", "ticket_handback"):
        app.action(action_id)(button)
    return app


# --- outbound -------------------------------------------------------------------------------------------------------


def ticket_blocks(ticket: Ticket, profile: dict[str, Any], lines: list[dict[str, str]]) -> list[dict[str, Any]]:
    who = " · ".join(escape(str(x)) for x in (profile.get("name"), profile.get("company"), profile.get("email")) if x)
    regs = ", ".join(f"{r['event_id']} ({r['status']})" for r in profile.get("registrations", []))
    head = (f"*Ticket #{ticket.id}* · {STATUS_LABEL.get(ticket.status, ticket.status)}"
            + (f" by <@{ticket.claimed_by}>" if ticket.claimed_by and ticket.status == "claimed" else "")
            + f"\nMember: `{ticket.channel}:{escape(ticket.user_id)}` · language: {ticket.lang}"
            + (f"\n{who}" if who else "") + (f"\nRegistrations: {escape(regs)}" if regs else ""))
    convo = "\n".join(f"*{'member' if m['who'] == 'in' else 'bot' if m['who'] == 'out' else 'staff'}:* "
                      f"{escape(m['text'][:300])}" for m in lines)
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": head}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*Question:* {escape(ticket.question[:1500])}"}},
    ]
    if convo:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": convo[:2900]}]})
    if ticket.status != "resolved":
        buttons: list[tuple[str, str, str | None]] = []
        if ticket.status == "open":
            buttons.append(("ticket_claim", "Claim", "primary"))
        buttons += [("ticket_resolve", "Resolve", None), ("ticket_handback", "Hand back to bot", None)]
        elements = []
        for action_id, label, style in buttons:
            b: dict[str, Any] = {"type": "button", "action_id": action_id, "value": str(ticket.id),
                                 "text": {"type": "plain_text", "text": label}}
            if style:
                b["style"] = style
            elements.append(b)
        blocks.append({"type": "actions", "elements": elements})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text":
                  "Reply in this thread to answer the member; start with `note:` to keep a note internal."}]})
    return blocks


class SlackSender:
    """Delivers slack_* outbox rows. Raises on any failure so the worker retries the row later."""

    def __init__(self, token: str, staff_channel: str, api_url: str, db: Engine):
        self.client = WebClient(token=token, base_url=api_url, timeout=10)
        self.channel = staff_channel
        self.db = db

    def deliver(self, item: Item) -> None:
        ticket_id = int(item.payload["ticket_id"])
        with sessions(self.db).begin() as s:
            ticket = tickets.get(s, ticket_id)
            if ticket is None:
                return
            if item.kind in ("slack_post", "slack_update"):
                profile = tickets.member_profile(s, ticket.channel, ticket.user_id)
                lines = tickets.transcript(s, ticket.channel, ticket.user_id)
                blocks = ticket_blocks(ticket, profile, lines)
                summary = f"Ticket #{ticket.id} ({ticket.status}): {ticket.question[:150]}"
                if item.kind == "slack_post" or not ticket.slack_ts:
                    if ticket.slack_ts and item.kind == "slack_post":
                        return  # already posted (a retry after the post went through)
                    resp = self.client.chat_postMessage(channel=self.channel, text=summary, blocks=blocks)
                    ticket.slack_ts, ticket.slack_channel = str(resp["ts"]), str(resp["channel"])
                else:
                    self.client.chat_update(channel=ticket.slack_channel or self.channel, ts=ticket.slack_ts,
                                            text=summary, blocks=blocks)
                return
            if item.kind == "slack_relay":
                if not ticket.slack_ts:
                    raise RuntimeError(f"ticket {ticket_id} is not posted yet")
                who = item.payload.get("who")
                prefix = "*Member:* " if who == "member" else f"*Staff ({escape(str(item.payload.get('staff')))}):* "
                self.client.chat_postMessage(channel=ticket.slack_channel or self.channel, thread_ts=ticket.slack_ts,
                                             text=prefix + escape(str(item.payload.get("text", ""))))
                return
        raise ValueError(f"unknown slack outbox kind {item.kind}")
