"""The one internal message vocabulary. Platform objects never get past a channel adapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


@dataclass(frozen=True)
class Button:
    """A quick reply. `payload` is what the engine receives back when it is chosen."""

    label: str
    payload: str


@dataclass(frozen=True)
class Attachment:
    """A file sent with a reply, e.g. an .ics calendar entry."""

    filename: str
    mime_type: str
    data: bytes


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Incoming:
    """One inbound message, whatever channel it came from.

    `message_id` is the channel's dedupe key (Telegram update_id, WeChat MsgId, ...); None where the channel has
    none (the console), in which case no redelivery check is made. `lang` is a hint from the platform (e.g.
    Telegram's language_code), not a decision.
    """

    channel: str
    user_id: str
    text: str
    chat_id: str | None = None
    message_id: str | None = None
    lang: Lang | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Outgoing:
    """One queued delivery (an outbox row) as a channel's sender sees it: to whom, what kind, what to say.

    `attempts` counts this one; `kind` is e.g. notice, staff_reply, reply, slack_post, slack_relay, slack_update.
    """

    id: int
    channel: str
    user_id: str
    chat_id: str | None
    kind: str
    payload: dict[str, Any]
    attempts: int


class Unreachable(Exception):
    """Raised by a sender when the platform will not take a message for this member now (e.g. outside WeChat's
    48-hour window): the delivery is recorded as unreachable, not retried."""


Intent = Literal["faq", "events", "registration", "handoff", "smalltalk", "fallback", "language", "preferences",
                 "duplicate"]


@dataclass(frozen=True)
class TurnResult:
    """What one engine turn produced: the replies and what the bot understood."""

    replies: tuple[Reply, ...]
    intent: Intent
    lang: Lang
    answer_id: str | None = None
    handoff: bool = False
    duplicate: bool = False
    failed: bool = False  # the turn could not be processed (the replies are an apology); nothing was stored
    events: tuple[str, ...] = ()  # the events the replies showed: one event (its details), or a list ...
    listed: bool = False  # ... `listed` when it was a list (of any length, none included)


@dataclass(frozen=True)
class Stored:
    """A platform update kept in the inbox that no process has finished with: its payload as the platform sent it,
    and, when its turn has committed, the replies still to be sent (`replies` is None while the turn is to run)."""

    channel: str
    key: str
    payload: dict[str, Any]
    replies: tuple[Reply, ...] | None


@dataclass(frozen=True)
class KeepUpdate:
    """Set as `Incoming.raw["inbox"]` by a channel that acknowledges an update only once its turn committed
    (Telegram's webhook): the turn stores the update with its replies in its own transaction, leased to this
    process for `lease` to send them; after that any process's sweep does."""

    payload: dict[str, Any]
    lease: timedelta


def reply_to_json(reply: Reply) -> dict[str, Any]:
    """A reply as JSON (the inbox keeps replies until they are sent); files in base64."""
    import base64

    return {"text": reply.text, "buttons": [{"label": b.label, "payload": b.payload} for b in reply.buttons],
            "attachments": [{"filename": a.filename, "mime_type": a.mime_type,
                             "data_base64": base64.b64encode(a.data).decode()} for a in reply.attachments]}


def reply_from_json(data: dict[str, Any]) -> Reply:
    import base64

    return Reply(str(data.get("text", "")),
                 tuple(Button(str(b["label"]), str(b["payload"])) for b in data.get("buttons") or ()),
                 tuple(Attachment(str(a["filename"]), str(a["mime_type"]), base64.b64decode(a["data_base64"]))
                       for a in data.get("attachments") or ()))


def one_line(exc: BaseException) -> str:
    """An exception as one short log line: its type and the first line of its text (a driver's error runs on for
    lines, with the SQL)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200] if text else ''}"
