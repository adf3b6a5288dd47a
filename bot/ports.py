"""What the staff channel may ask of the desk, as small protocols: Slack (bot/channels/slack.py) works tickets
through them without knowing the desk, and the desk (bot/desk/tickets.py) implements them without knowing Slack.
The app hands the one to the other (bot/app/wiring.py).

Every call is one short transaction and does no network I/O, so a channel may make it while a platform waits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class TicketView:
    """A ticket as staff tools show it, read in one short transaction (no database object leaves the desk)."""

    id: int
    status: str
    claimed_by: str | None
    channel: str
    user_id: str
    lang: str
    question: str
    slack_channel: str | None
    slack_ts: str | None
    profile: dict[str, Any] = field(default_factory=dict)
    transcript: list[dict[str, str]] = field(default_factory=list)


class Claimed(Protocol):
    """The outcome of a claim: of two staff clicking at once, one wins and both learn who owns the ticket."""

    @property
    def won(self) -> bool: ...

    @property
    def owner(self) -> str | None: ...


class TicketPosts(Protocol):
    """What posting tickets to the staff channel needs: the ticket to show, and where its post went."""

    def view(self, ticket_id: int, with_context: bool = True) -> TicketView | None: ...

    def record_post(self, ticket_id: int, slack_channel: str, slack_ts: str) -> None: ...


class StaffPort(TicketPosts, Protocol):
    """Everything staff do from the staff channel. Results are the desk's words: "ok", "note" (kept among staff),
    "closed", "not_found"."""

    def claim(self, ticket_id: int, staff: str) -> Claimed: ...

    def reply_in_thread(self, thread_ts: str, text: str, staff: str, delivery_id: str | None) -> str: ...

    def resolve(self, ticket_id: int, staff: str, hand_back: bool = False) -> str: ...

    def teach_group(self, entry_id: str, unanswered_ids: list[int], by: str) -> int:
        """Teach an FAQ entry every phrasing of a group of unanswered questions; how many were new. ValueError
        when the entry no longer exists."""
        ...
