"""Slack: where staff receive tickets and answer them. Two halves, both translation only:

- inbound (`build_app`): slack-bolt verifies the signing secret and parses Events API and interactivity payloads;
  each thread reply or button click becomes one call on the staff port (bot.ports.StaffPort, which the app fills
  with the desk), which runs its own short transaction. Nothing slow happens while Slack waits for the
  acknowledgement.
- outbound (`SlackSender`): the worker's delivery of outbox rows with kind slack_*: the ticket post with its
  buttons, relays into the ticket's thread, and updates of the post when the ticket changes. The ticket is read
  in one transaction, Slack is called with none open, and the post's address is written in another.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.contract import Adapter, Deliver, Delivery, Mounted, Section, Serving, env
from bot.messages import Outgoing
from bot.ports import StaffPort, TicketPosts, TicketView

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncAck, AsyncApp

# slack-bolt is imported where it is used (it takes a second to load): the command line reads every channel's
# settings section, and most of its commands never talk to Slack.

CHANNEL = "slack"
log = logging.getLogger(__name__)

STATUS_LABEL = {"open": "🟡 open", "claimed": "🔵 claimed", "resolved": "✅ resolved"}


def escape(text: str) -> str:
    """Slack mrkdwn control characters, so a member's "<!channel>" stays text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- inbound --------------------------------------------------------------------------------------------------------


class StaffEvents:
    """What staff do in Slack, each turned into one call on the staff port (bot.ports.StaffPort)."""

    def __init__(self, app: AsyncApp, staff_channel: str, desk: StaffPort):
        self.app, self.staff_channel, self.desk = app, staff_channel, desk

    async def message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """A reply in a ticket's thread goes to the member (a `note:` stays among staff)."""
        thread_ts, text = event.get("thread_ts"), (event.get("text") or "").strip()
        if not thread_ts or event.get("subtype") or event.get("bot_id") or not text:
            return
        if event.get("channel") != self.staff_channel:
            return
        # Slack retries (X-Slack-Retry-Num) carry the same event_id: the desk acts on the first only.
        result = await asyncio.to_thread(self.desk.reply_in_thread, str(thread_ts), text,
                                         f"slack:{event.get('user', '?')}", body.get("event_id"))
        if result not in ("ok", "note"):
            log.info("slack: thread reply not relayed (%s)", result)

    def on_button(self, action_id: str, ticket_id: int, user: str) -> str | None:
        """Returns a note for the clicking staff member only, or None."""
        if action_id == "ticket_claim":
            c = self.desk.claim(ticket_id, user)
            return None if c.won else f"Ticket #{ticket_id} is already claimed by <@{c.owner}>."
        result = self.desk.resolve(ticket_id, user, hand_back=action_id == "ticket_handback")
        return None if result == "ok" else f"Ticket #{ticket_id} is already closed."

    async def button(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        try:
            ticket_id = int(action.get("value") or 0)
        except ValueError:
            return
        user = body.get("user", {}).get("id", "?")
        note = await asyncio.to_thread(self.on_button, action["action_id"], ticket_id, user)
        if note:
            # Only the clicker sees this; it answers their click, so it is sent at once rather than queued.
            await self.tell(body, user, note)

    async def teach(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        """The digest's "Add to <entry>" button."""
        await ack()
        try:
            value = json.loads(action.get("value") or "{}")
            entry_id, ids = str(value["entry"]), [int(i) for i in value["ids"]]
        except (ValueError, KeyError, TypeError):
            return
        user = body.get("user", {}).get("id", "?")
        try:
            added = await asyncio.to_thread(self.desk.teach_group, entry_id, ids, f"slack:{user}")
            note = f"Taught `{entry_id}` {added} new phrasing(s); the bot answers them within seconds."
        except ValueError:  # the entry is gone from the knowledge files since the digest was posted
            note = f"There is no FAQ entry `{entry_id}` any more; nothing was taught."
        await self.tell(body, user, note)

    async def tell(self, body: dict[str, Any], user: str, note: str) -> None:
        channel = body.get("channel", {}).get("id") or self.staff_channel
        await self.app.client.chat_postEphemeral(channel=channel, user=user, text=note)


def build_app(section: SlackSettings, desk: StaffPort) -> AsyncApp:
    """slack-bolt's app: it verifies the signing secret and parses Events API and interactivity payloads."""
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    assert section.bot_token and section.signing_secret and section.staff_channel
    app = AsyncApp(token=section.bot_token, signing_secret=section.signing_secret, process_before_response=True,
                   client=AsyncWebClient(token=section.bot_token, base_url=section.api_url))
    events = StaffEvents(app, section.staff_channel, desk)
    app.event("message")(events.message)
    for action_id in ("ticket_claim", "ticket_resolve", "ticket_handback"):
        app.action(action_id)(events.button)
    app.action("digest_teach")(events.teach)
    return app


def mount(section: SlackSettings, serving: Serving) -> Mounted:
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

    handler = AsyncSlackRequestHandler(build_app(section, serving.staff))

    async def slack_events(request: Request) -> Response:
        body = await request.body()  # bounded by the guard; bolt reads the same cached bytes
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return JSONResponse({"error": "body must be UTF-8"}, status_code=400)
        try:
            response: Response = await handler.handle(request)
        except Exception as exc:
            # Junk that got past bolt's own checks is the sender's fault, not a server error.
            log.warning("slack: refused a malformed request: %s: %s", type(exc).__name__, exc)
            return JSONResponse({"error": "malformed request"}, status_code=400)
        return response

    return Mounted([Route("/slack/events", slack_events, methods=["POST"])], "slack")


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

    def __init__(self, token: str, staff_channel: str, api_url: str, desk: TicketPosts):
        from slack_sdk import WebClient

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


@dataclass(frozen=True)
class SlackSettings(Section):
    bot_token: str | None = env("SLACK_BOT_TOKEN")
    signing_secret: str | None = env("SLACK_SIGNING_SECRET")
    staff_channel: str | None = env("SLACK_STAFF_CHANNEL")
    api_url: str = env("SLACK_API_URL", "https://slack.com/api/")

    @property
    def configured(self) -> bool:
        return bool(self.bot_token and self.signing_secret and self.staff_channel)


def sender(section: SlackSettings, delivery: Delivery) -> Deliver:
    assert section.bot_token and section.staff_channel
    return SlackSender(section.bot_token, section.staff_channel, section.api_url, delivery.tickets).deliver


ADAPTER = Adapter(CHANNEL, SlackSettings, mount, sender, staff=True, off_hint=(
    "slack: off (set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_STAFF_CHANNEL to turn it on)"))
