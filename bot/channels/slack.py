"""Slack: where staff receive tickets and answer them. Two halves, both translation only:

- inbound (`build_app`): slack-bolt verifies the signing secret and parses Events API and interactivity payloads;
  each thread reply or button click becomes one call on the staff desk (bot.desk.tickets.StaffDesk), which runs
  its own short transaction. Nothing slow happens while Slack waits for the acknowledgement.
- outbound (`SlackSender`): the worker's delivery of outbox rows with kind slack_*: the ticket post with its
  buttons, relays into the ticket's thread, and updates of the post when the ticket changes. The ticket is read
  in one transaction, Slack is called with none open, and the post's address is written in another.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk import WebClient
from slack_sdk.web.async_client import AsyncWebClient

from bot.desk.tickets import StaffDesk, TicketView
from bot.messages import Outgoing

log = logging.getLogger(__name__)

STATUS_LABEL = {"open": "🟡 open", "claimed": "🔵 claimed", "resolved": "✅ resolved"}


def escape(text: str) -> str:
    """Slack mrkdwn control characters, so a member's "<!channel>" stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- inbound --------------------------------------------------------------------------------------------------------


def build_app(token: str, signing_secret: str, staff_channel: str, api_url: str, desk: StaffDesk,
              teach_group: Callable[[str, list[int], str], int] | None = None) -> AsyncApp:
    """`teach_group(entry id, unanswered ids, staff)`: the digest's "Add to <entry>" button."""
    app = AsyncApp(token=token, signing_secret=signing_secret, process_before_response=True,
                   client=AsyncWebClient(token=token, base_url=api_url))

    @app.event("message")
    async def message(event: dict[str, Any], body: dict[str, Any]) -> None:
        thread_ts, text = event.get("thread_ts"), (event.get("text") or "").strip()
        if not thread_ts or event.get("subtype") or event.get("bot_id") or not text:
            return
        if event.get("channel") != staff_channel:
            return
        # Slack retries (X-Slack-Retry-Num) carry the same event_id: the desk acts on the first only.
        result = await asyncio.to_thread(desk.reply_in_thread, str(thread_ts), text,
                                         f"slack:{event.get('user', '?')}", body.get("event_id"))
        if result not in ("ok", "note"):
            log.info("slack: thread reply not relayed (%s)", result)

    def on_button(action_id: str, ticket_id: int, user: str) -> str | None:
        """Returns a note for the clicking staff member only, or None."""
        if action_id == "ticket_claim":
            c = desk.claim(ticket_id, user)
            return None if c.won else f"Ticket #{ticket_id} is already claimed by <@{c.owner}>."
        result = desk.resolve(ticket_id, user, hand_back=action_id == "ticket_handback")
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

    async def teach(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        try:
            value = json.loads(action.get("value") or "{}")
            entry_id, ids = str(value["entry"]), [int(i) for i in value["ids"]]
        except (ValueError, KeyError, TypeError):
            return
        user = body.get("user", {}).get("id", "?")
        if teach_group is None:
            return
        try:
            added = await asyncio.to_thread(teach_group, entry_id, ids, f"slack:{user}")
            note = f"Taught `{entry_id}` {added} new phrasing(s); the bot answers them within seconds."
        except ValueError:  # the entry is gone from the knowledge files since the digest was posted
            note = f"There is no FAQ entry `{entry_id}` any more; nothing was taught."
        channel = body.get("channel", {}).get("id") or staff_channel
        await app.client.chat_postEphemeral(channel=channel, user=user, text=note)

    app.action("digest_teach")(teach)
    return app


# --- outbound -------------------------------------------------------------------------------------------------------


def ticket_blocks(ticket: TicketView) -> list[dict[str, Any]]:
    profile, lines = ticket.profile, ticket.transcript
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

    def __init__(self, token: str, staff_channel: str, api_url: str, desk: StaffDesk):
        self.client = WebClient(token=token, base_url=api_url, timeout=10)
        self.channel = staff_channel
        self.desk = desk

    def deliver(self, item: Outgoing) -> None:
        if item.kind in ("slack_notice", "slack_digest"):
            # For the staff channel as a whole, not about one ticket: a refused knowledge base, the weekly digest.
            self.client.chat_postMessage(channel=self.channel, text=str(item.payload.get("text", "")),
                                         blocks=item.payload.get("blocks"))
            return
        ticket = self.desk.view(int(item.payload["ticket_id"]), with_context=item.kind != "slack_relay")
        if ticket is None:
            return
        if item.kind in ("slack_post", "slack_update"):
            summary = escape(f"Ticket #{ticket.id} ({ticket.status}): {ticket.question[:150]}")
            if ticket.slack_ts is None:
                resp = self.client.chat_postMessage(channel=self.channel, text=summary, blocks=ticket_blocks(ticket))
                self.desk.record_post(ticket.id, str(resp["channel"]), str(resp["ts"]))
            elif item.kind == "slack_update":
                self.client.chat_update(channel=ticket.slack_channel or self.channel, ts=ticket.slack_ts,
                                        text=summary, blocks=ticket_blocks(ticket))
            # A slack_post whose post exists already: a retry after the post went through; nothing to do.
            return
        if item.kind == "slack_relay":
            if not ticket.slack_ts:
                raise RuntimeError(f"ticket {ticket.id} is not posted yet")
            who = item.payload.get("who")
            staff = escape(str(item.payload.get("staff")))
            prefix = {"member": "*Member:* ", "note": f"*Note ({staff}):* "}.get(who or "", f"*Staff ({staff}):* ")
            self.client.chat_postMessage(channel=ticket.slack_channel or self.channel, thread_ts=ticket.slack_ts,
                                         text=prefix + escape(str(item.payload.get("text", ""))))
            return
        raise ValueError(f"unknown slack outbox kind {item.kind}")
