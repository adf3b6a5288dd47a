"""Telegram's outbox delivery (staff replies, notices, reminders, announcements): plain Bot API calls over one
HTTP client, paced by a limiter every worker process shares."""

from __future__ import annotations

import base64
import json
import weakref
from collections.abc import Callable
from typing import Any

from bot.messages import Outgoing, Unreachable

MAX_TEXT = 4096  # Telegram's limit per message (Bot API, sendMessage: 1-4096 characters after entities parsing)
MAX_CALLBACK_DATA = 64  # bytes (Bot API, InlineKeyboardButton.callback_data)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible (then at spaces, then anywhere)."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest or not pieces:
        pieces.append(rest)
    return pieces


class TelegramSender:
    """Outbox delivery (staff replies, notices, reminders, announcements) with plain Bot API calls; raises so the
    worker retries. `pace(chat_id)` is called before every API call and blocks until Telegram's limits allow it
    (the worker passes a limiter shared by all worker processes)."""

    def __init__(self, token: str, api_base: str, pace: Callable[[str], None] | None = None):
        self.url = f"{api_base.rstrip('/')}/bot{token}"
        self.pace = pace
        import httpx

        # One client for the worker's life: a new connection per message would cost more than the message.
        self.http = httpx.Client(timeout=10)
        # Closed with the sender, so a worker that is dropped leaves no open socket behind.
        weakref.finalize(self, self.http.close)

    def deliver(self, item: Outgoing) -> None:
        chat = item.chat_id or item.user_id
        pieces = split_text(str(item.payload.get("text", "")))
        buttons = [b for b in item.payload.get("buttons") or []
                   if len(str(b.get("payload", "")).encode()) <= MAX_CALLBACK_DATA]
        markup = json.dumps({"inline_keyboard": [[{"text": str(b["label"])[:64], "callback_data": b["payload"]}]
                                                 for b in buttons]}) if buttons else None
        for n, piece in enumerate(pieces):
            data = {"chat_id": chat, "text": piece}
            if markup and n == len(pieces) - 1:
                data["reply_markup"] = markup
            self._call("sendMessage", chat, data)
        for att in item.payload.get("attachments") or []:
            self._call("sendDocument", chat, {"chat_id": chat},
                       files={"document": (att["filename"], base64.b64decode(att["data_base64"]), att["mime_type"])})

    def _call(self, method: str, chat: str, data: dict[str, str], files: dict[str, Any] | None = None) -> None:
        if self.pace is not None:
            self.pace(chat)
        r = self.http.post(f"{self.url}/{method}", data=data, files=files)
        body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
        if r.status_code == 403:  # the member blocked the bot or deleted their account
            raise Unreachable(f"telegram {method}: {body.get('description', 'forbidden')}")
        if r.status_code != 200 or not body.get("ok"):
            raise RuntimeError(f"telegram {method}: HTTP {r.status_code} {body.get('description', '')}")
