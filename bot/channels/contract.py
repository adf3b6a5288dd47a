"""The one shape of a channel, and what the app hands it.

A channel module (webchat, telegram, wechat, slack) ends with `ADAPTER = Adapter(...)`, naming:
- its settings section: a frozen dataclass (a `Section`) whose fields say, with `env(...)`, which environment
  variable sets them; bot/app/settings.py reads every section the same way and refuses what `problem()` names;
- `mount(section, serving)`: its routes in `gasme-bot serve`, with what must run beside them (a start-up that may
  need the network, a shutdown);
- `sender(section, delivery)`: how the worker delivers an outbox row on this channel (absent where members pull
  their messages, as the web chat does);
- whether staff work there (Slack): its rows are dropped while it is off, and the worker's weekly digest goes there.
The app (bot/app/wiring.py) iterates over the registered adapters whose section is configured. The terminal
channel (console.py) is run by the command line itself and has none of this.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from bot.messages import Outgoing
from bot.ports import StaffPort, TicketPosts

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bot.engine import BotEngine

Deliver = Callable[[Outgoing], None]
Pace = Callable[[str], None]  # blocks until a message to this chat may go


def env(name: str, default: Any = None) -> Any:
    """A section field set by the environment variable `name` (empty or unset: `default`). The field's type says
    how it is read: str, int or float (above zero), bool (1/0, true/false, yes/no, on/off)."""
    return field(default=default, metadata={"env": name})


class Section:
    """The base of a channel's settings section."""

    @property
    def configured(self) -> bool:
        """Whether the channel is on (its required settings are there)."""
        return True

    def problem(self) -> str | None:
        """What is wrong with these settings, naming the variable, or None. Checked when settings are read."""
        return None

    def refusal(self) -> str | None:
        """Why `gasme-bot serve` must not take this channel's calls (other commands may still run), or None."""
        return None


class Verdict(Protocol):
    @property
    def allowed(self) -> bool: ...

    @property
    def retry_after(self) -> int: ...


class Limiter(Protocol):
    """Counts one hit of `key` against the rates of `kind` ("session", "address"); bot.app.ratelimit has one."""

    async def check(self, kind: str, key: str) -> Verdict: ...


@dataclass(frozen=True)
class Serving:
    """What `gasme-bot serve` hands a channel's mount."""

    engine: BotEngine
    staff: StaffPort
    secret_key: str  # signs session cookies, keys the hash of client addresses
    limiter: Callable[[dict[str, str]], Limiter]  # rates per kind -> a limiter shared by every process
    first_nonce: Callable[[str, str, timedelta], bool]  # (channel, key, keep for): False when seen before
    public_url: str | None = None
    secure_cookies: bool = False  # always Secure (a deployment that is HTTPS-only behind a proxy)


@dataclass(frozen=True)
class Delivery:
    """What the worker hands a channel's sender."""

    tickets: TicketPosts
    # (name, messages per second overall, per chat) -> a pace shared by every worker process; None: unpaced
    pace: Callable[[str, float, float], Pace] | None = None


@dataclass(frozen=True)
class Mounted:
    """A channel's part of the web server."""

    routes: Sequence[BaseRoute]
    label: str  # for the start-up line "channels on: ..."
    start: Callable[[], Coroutine[Any, Any, None]] | None = None  # run beside the server; may wait for the platform
    stop: Callable[[], Coroutine[Any, Any, None]] | None = None


S = TypeVar("S", bound=Section)


@dataclass(frozen=True)
class Adapter(Generic[S]):
    """What a channel module exposes; registered in bot/app/registry.py."""

    name: str  # the channel's name in conversations and the outbox
    section: type[S]
    mount: Callable[[S, Serving], Mounted]
    sender: Callable[[S, Delivery], Deliver | None] | None = None
    staff: bool = False
    off_hint: str | None = None  # logged at start-up while the channel is off
