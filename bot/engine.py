"""One turn per inbound message: dedupe, load the conversation, route, save, all in one transaction."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.desk.office_hours import OfficeHours
from bot.desk.registration_rules import DEFAULT_RULES, RULES_KEY, Rules
from bot.desk.tickets import StaffDesk, TicketCap, TicketCapReached
from bot.i18n import t
from bot.messages import Incoming, Lang, Outgoing, Reply, Stored, TurnResult, one_line
from bot.router import Handler, route
from bot.state import ConversationState, EngineState
from bot.storage import conversations, inbox, outbox
from bot.storage.turn_store import Store
from bot.turn import Outcome, Turn, TurnObserver
from bot.understanding import read_ahead
from bot.understanding import text as textmod
from bot.understanding.knowledge_base import Library
from handlers import default_handlers
from handlers.observers import default_observers

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
T = TypeVar("T")
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)、]?\s*$")
DEFAULT_TICKET_CAP = TicketCap()
# What the database columns hold (bot/storage/models): a longer id, or one with NUL (which PostgreSQL text cannot
# store), is refused before the turn rather than failing inside it.
MAX_ID = {"user_id": 128, "chat_id": 128, "message_id": 180}


class InvalidId(ValueError):
    """An id the database cannot store; the message says which and why."""


def check_ids(inc: Incoming) -> None:
    for name, limit in MAX_ID.items():
        value = getattr(inc, name)
        if value is None:
            continue
        value = str(value)
        if name == "user_id" and not value:
            raise InvalidId("user id must not be empty")
        if len(value) > limit:
            raise InvalidId(f"{name.replace('_', ' ')} must be at most {limit} characters, not {len(value)}")
        if "\x00" in value:
            raise InvalidId(f"{name.replace('_', ' ')} must not contain NUL characters")


def utc_now() -> datetime:
    return datetime.now(UTC)


class BotEngine:
    def __init__(self, library: Library, db: Engine, clock: Clock = utc_now,
                 handlers: list[Handler] | None = None, office_hours: OfficeHours | None = None,
                 turn_threads: int = 1, ticket_cap: TicketCap | None = DEFAULT_TICKET_CAP,
                 observers: list[TurnObserver] | None = None, learn_from_choices: int = 2,
                 registration_rules: Rules = DEFAULT_RULES):
        self.library = library
        self.ticket_cap = ticket_cap
        self.learn_from_choices = learn_from_choices  # members who must choose alike before a phrasing is taught
        self.registration_rules = registration_rules  # caps, email confirmation, emails (bot/desk)
        self.office_hours = office_hours
        self.db = db
        self.clock = clock
        self.handlers = handlers or default_handlers()
        # Told of every answered turn inside its transaction (the learning desk's records; analytics).
        self.observers = default_observers() if observers is None else observers
        # SQLite has one writer at a time. Threads of this process queue on a lock instead of on SQLite's busy
        # handler, which sleeps in growing steps (up to 100 ms) and wastes the wait; other processes still
        # wait on busy_timeout. PostgreSQL needs no such lock: row locks order the turns.
        self._sqlite = db.dialect.name == "sqlite"
        self._local_writer = threading.Lock() if self._sqlite else contextlib.nullcontext()
        # On SQLite, where turns run one at a time under that lock, they share one connection kept open: taking a
        # connection from the pool and giving it back costs more than a turn's statements.
        self._kept: Connection | None = None
        # The one pool of the process for turns and other database work asked for by async code (the web
        # channels): the event loop never waits on the database, so web chat, webhooks and /healthz stay
        # responsive while a turn waits for a lock another process holds. One thread by default: every further
        # thread costs CPU in contention for the GIL (bench/webhook.py), worth it only when a distant database
        # makes each turn wait long. On SQLite more threads would only queue on the writer lock.
        self.executor = ThreadPoolExecutor(max_workers=1 if self._sqlite else max(1, turn_threads),
                                           thread_name_prefix="turn")
        self.staff = StaffDesk(db, clock)
        # Stored updates whose replies went out, recorded with the next write (see `sent`).
        self._sent: list[tuple[str, str]] = []
        self._sent_lock = threading.Lock()
        # Told of every turn's result and latency after it committed (the metrics).
        self.listeners: list[Callable[[TurnResult, float], None]] = []
        # Members whose last turn here asked for a value typed freely (a name in a form): their next message is
        # not embedded ahead of its turn (bench/webhook.py: a tenth of the scripted mix's CPU went on such
        # messages). Only a hint for this process: if it is wrong, the turn embeds what it needs, or the message
        # was embedded for nothing, as without it.
        self._awaiting_value: set[tuple[str, str]] = set()

    async def handle_async(self, inc: Incoming) -> TurnResult:
        """`handle` for asyncio code (the web channels), run on the engine's pool, off the event loop. The message
        is embedded first, beside the turn thread, where concurrent messages share one batch (read_ahead.py)."""
        since = time.perf_counter()
        if (inc.channel, inc.user_id) not in self._awaiting_value:
            await read_ahead.prepare(self.library, inc.text, self.clock())
        return await self.run_async(self.handle_since, inc, since)

    async def run_async(self, fn: Callable[..., T], *args: Any) -> T:
        """Run blocking work (database) on the engine's pool from async code."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    def submit(self, inc: Incoming) -> Future[TurnResult]:
        """Start a turn on the engine's pool; it finishes even if the caller stops waiting (WeChat's 5 s window)."""
        return self.executor.submit(self.handle, inc)

    # --- what channels ask besides a turn --------------------------------------------------------------------

    def pending_for(self, channel: str, user_id: str) -> list[Outgoing]:
        """Messages queued for a member of a channel that pulls them (console, web chat), each handed over once."""
        return outbox.take(self.db, self.clock(), channel, user_id)

    def history(self, channel: str, user_id: str, limit: int = 60) -> list[dict[str, str]]:
        """The member's conversation so far, oldest first: `who` is in, out or staff."""
        with self.db.connect() as conn:
            return conversations.history(conn, channel, user_id, limit)

    def send_later(self, channel: str, user_id: str, chat_id: str | None, texts: list[str]) -> None:
        """Queue texts for a member through the outbox (a push channel's answer that missed its window)."""
        with self.db.begin() as conn:
            for text in texts:
                outbox.enqueue(conn, self.clock(), channel, user_id, chat_id, "reply", {"text": text})

    # --- the inbox: updates stored before they are acknowledged (bot/storage/inbox.py) ------------------------
    # Leases run on the wall clock, whatever the engine's clock says (a preview's fixed --now).

    def receive(self, channel: str, key: str, payload: dict[str, Any], lease: timedelta) -> bool:
        """Store an update before acknowledging it; False when it was stored before. A turn of an Incoming with
        `raw["inbox"]` set moves its row on in the turn's own transaction, keeping the replies to send."""
        with self._local_writer, self._transaction() as conn:
            self._mark_sent(conn)
            return inbox.receive(conn, channel, key, payload, utc_now(), lease)

    def sent(self, channel: str, key: str) -> None:
        """The replies of a stored update went out. Recorded with the next write of this process (an update
        stored, a turn, a sweep), not in a transaction of its own: if the process dies first, the replies may go
        out once more, which is what a crash between sending and recording would do anyway. It only takes a note,
        so async code calls it directly, not through the turn thread."""
        with self._sent_lock:
            self._sent.append((channel, key))

    def _mark_sent(self, conn: Connection) -> None:
        with self._sent_lock:
            keys, self._sent = self._sent, []
        if keys:
            inbox.done(conn, keys)

    def kept_replies(self, channel: str, key: str) -> tuple[Reply, ...] | None:
        """The replies of a stored update whose turn committed, or None."""
        return inbox.stored_replies(self.db, channel, key)

    def unfinished(self, channel: str, lease: timedelta, turns_only: bool = False) -> list[Stored]:
        """Stored updates whose process stopped (or stalled) before finishing them, now leased to the caller;
        `turns_only`: only those whose turn never committed."""
        with self._local_writer, self._transaction() as conn:
            self._mark_sent(conn)
        return inbox.take_unfinished(self.db, channel, utc_now(), lease,
                                     statuses=("received",) if turns_only else ("received", "answered"))

    def handle(self, inc: Incoming) -> TurnResult:
        """Process one message. A redelivered message (same channel and message_id) gets an empty result.
        Raises InvalidId for ids the database cannot store; any other failure (the database refusing a write, a
        lost connection) is logged and answered with an apology in the member's language, never an exception."""
        return self.handle_since(inc, time.perf_counter())

    def handle_since(self, inc: Incoming, since: float) -> TurnResult:
        """`handle` for a message that arrived at `since` (time.perf_counter()): the listeners are told the result
        and the seconds since then."""
        check_ids(inc)
        result = self._answer(inc)
        for listen in self.listeners:
            try:
                listen(result, time.perf_counter() - since)
            except Exception:  # a listener (metrics) must never cost a member their answer
                log.exception("turn listener failed")
        return result

    def _answer(self, inc: Incoming) -> TurnResult:
        try:
            with self._local_writer:
                return self._handle(inc)
        except (OperationalError, InterfaceError) as exc:  # the database is away: a state, not a bug to trace
            log.error("turn failed for %s/%s, the database is unavailable: %s", inc.channel, inc.user_id[:64],
                      one_line(exc))
        except Exception:
            log.exception("turn failed for %s/%s", inc.channel, inc.user_id[:64])
        lang: Lang = inc.lang or textmod.detect_lang(inc.text[:500]) or "en"
        return TurnResult((Reply(t("error", lang)),), "fallback", lang, failed=True)

    def _handle(self, inc: Incoming) -> TurnResult:
        now = self.clock()
        try:
            return self._turn(inc, now, run_handlers=True)
        except _HandlerFailed as failed:
            # The failed turn's transaction is rolled back whole (its database changes and the state it changed);
            # the message is recorded again and answered with an apology (or, past the ticket cap, with when staff
            # can take a new question), so nothing is lost and the member knows.
            return self._turn(inc, now, run_handlers=False, cap_retry=failed.cap_retry)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Connection]:
        if not self._sqlite:
            with self.db.begin() as conn:
                yield conn
            return
        if self._kept is None or self._kept.closed or self._kept.invalidated:
            self._kept = self.db.connect()
        with self._kept.begin():
            yield self._kept

    def _turn(self, inc: Incoming, now: datetime, run_handlers: bool,
              cap_retry: datetime | None = None) -> TurnResult:
        with self._transaction() as conn:
            if inc.message_id is not None and not conversations.first_delivery(conn, inc.channel,
                                                                                str(inc.message_id), now):
                log.info("duplicate delivery %s/%s ignored", inc.channel, inc.message_id)
                return TurnResult((), "duplicate", "en", duplicate=True)
            stored_lang, raw_state, ticket_id = self._conversation(conn, inc, now)
            state = ConversationState(raw_state)
            mine = state.slice(EngineState)
            store = Store(conn, inc.channel, inc.user_id, inc.chat_id, now, open_ticket_id=ticket_id,
                          info={"origin": inc.raw.get("origin"), "ticket_cap": self.ticket_cap,
                                "learn_from_choices": self.learn_from_choices, RULES_KEY: self.registration_rules})
            cleaned = textmod.clean(inc.text[: textmod.MAX_ANALYSED_CHARS * 4])
            pre: list[str] = []
            if len(cleaned) > textmod.MAX_ANALYSED_CHARS:
                pre.append("long_message")
                cleaned = cleaned[: textmod.MAX_ANALYSED_CHARS]
            pressed = self._pressed_button(cleaned, mine)
            turn = Turn(inc, pressed, textmod.normalize(pressed), _as_lang(stored_lang), state, now, self.library,
                        store, self.library.reader.read(pressed), self.office_hours)
            turn.lang = self._language(turn, mine, typed=cleaned)
            if run_handlers:
                outcome = self._run(turn)
            elif cap_retry is not None:
                minutes = max(1, -(-int((cap_retry - now).total_seconds()) // 60))
                outcome = Outcome([Reply(t("ticket_cap", turn.lang, minutes=minutes))], "handoff")
            else:
                outcome = Outcome([Reply(t("error", turn.lang))], "fallback")
            if outcome.switch_language is not None:
                turn.lang, mine.lang_explicit = outcome.switch_language, True
            replies = [Reply(t(key, turn.lang)) for key in pre] + outcome.replies
            mine.last_buttons = [b.payload for r in replies for b in r.buttons]
            store.finish()
            if not outcome.erased:  # after "delete my data" nothing of the member may be written again
                transcript = _Transcript(conn, inc, pressed[:4000], now, turn.lang)
                for observer in self.observers if run_handlers else ():
                    observer.observe(conn, turn, outcome, transcript)
                # Saved after the observers: the conversational context (handlers/context.py) is one of them.
                conversations.save(conn, inc.channel, inc.user_id, inc.chat_id, turn.lang, state.dump(), now)
                transcript.finish([("out", r.text, outcome.intent) for r in replies])
            inbox.record_turn(conn, inc, tuple(replies), utc_now())  # leases run on the wall clock
            self._mark_sent(conn)
        self._note_awaiting((inc.channel, inc.user_id), outcome.awaits_value)
        return TurnResult(tuple(replies), outcome.intent, turn.lang, outcome.answer_id, outcome.handoff,
                          events=outcome.events, listed=outcome.listing is not None)

    def _note_awaiting(self, member: tuple[str, str], awaits: bool) -> None:
        if not awaits:
            self._awaiting_value.discard(member)
            return
        if len(self._awaiting_value) >= 10_000:  # members who left a form half-filled: forget them all at once
            self._awaiting_value.clear()
        self._awaiting_value.add(member)

    def _run(self, turn: Turn) -> Outcome:
        if not turn.text:
            # A photo, a voice message or a sticker arrives as a message without text (`raw["media"]`).
            media = turn.incoming.raw.get("media")
            return Outcome([Reply(t("text_only" if media else "empty", turn.lang))], "smalltalk")
        if not re.search(r"\w", turn.norm):
            return Outcome([Reply(t("no_words", turn.lang))], "smalltalk")
        handler, claim = route(self.handlers, turn)
        try:
            outcome = handler.handle(turn, claim)
            # A form in progress (a registration) picks up again after another handler answered a question.
            for other in self.handlers:
                if other is not handler:
                    outcome.replies.extend(other.resume(turn, outcome))
            for each in self.handlers:
                each.after(turn, outcome)
            return outcome
        except TicketCapReached as exc:
            log.warning("ticket cap reached for %s/%s until %s", turn.incoming.channel, turn.incoming.user_id,
                        exc.retry_at.isoformat())
            raise _HandlerFailed(handler.name, exc.retry_at) from exc
        except Exception as exc:
            # A bug in one handler must not lose the message or kill the channel: log it, answer, keep going.
            log.exception("handler %s failed on %r", handler.name, turn.text[:200])
            raise _HandlerFailed(handler.name) from exc

    @staticmethod
    def _conversation(conn: Connection, inc: Incoming, now: datetime) -> tuple[str, dict[str, Any], int | None]:
        """The member's language, state and open ticket, with their row locked until the turn commits."""
        found = conversations.load(conn, inc.channel, inc.user_id)
        if found is None:
            lang = inc.lang or (None if inc.text.lstrip().startswith("/") else textmod.detect_lang(inc.text)) or "en"
            conversations.create(conn, inc.channel, inc.user_id, inc.chat_id, lang, now)
            found = conversations.load(conn, inc.channel, inc.user_id)
            assert found is not None  # inserted just now, or by a concurrent first turn of the same member
        return found

    def _language(self, turn: Turn, mine: EngineState, typed: str) -> Lang:
        """The member's chosen language wins; otherwise the language of what they wrote; otherwise the last one.

        Only words the member typed count: a command, a button payload ("/event some-id") or a number choosing an
        option says nothing about their language. Mid-form the language stays (a Chinese company name is an
        answer, not a wish to switch)."""
        if mine.lang_explicit or any(h.keeps_language(turn) for h in self.handlers):
            return turn.lang
        if typed.lstrip().startswith("/") or typed != turn.text:
            return turn.lang
        return textmod.detect_lang(typed) or turn.lang

    @staticmethod
    def _pressed_button(text: str, mine: EngineState) -> str:
        """A number typed back after numbered options selects that option (channels without buttons)."""
        m = _NUMBER.match(text)
        if m and 1 <= int(m.group(1)) <= len(mine.last_buttons):
            return str(mine.last_buttons[int(m.group(1)) - 1])
        return text


class _Transcript:
    """The turn's transcript lines: the member's line alone first when an observer points at it (its words are
    kept once, and erased with it), otherwise all lines in one insert."""

    def __init__(self, conn: Connection, inc: Incoming, said: str, now: datetime, lang: str):
        self.conn, self.inc, self.said, self.now, self.lang = conn, inc, said, now, lang
        self._line: int | None = None

    def member_line(self) -> int:
        if self._line is None:
            self._line = conversations.log_line(self.conn, self.inc.channel, self.inc.user_id, "in", self.said, None,
                                                self.now, self.lang)
        return self._line

    def finish(self, outs: list[tuple[str, str, str | None]]) -> None:
        lines = outs if self._line is not None else [("in", self.said, None), *outs]
        if lines:
            conversations.log(self.conn, self.inc.channel, self.inc.user_id, lines, self.now, self.lang)


def _as_lang(value: str) -> Lang:
    return "zh" if value == "zh" else "en"


class _HandlerFailed(Exception):
    """A handler raised; the turn is rolled back and answered again without handlers."""

    def __init__(self, handler: str, cap_retry: datetime | None = None):
        super().__init__(handler)
        self.cap_retry = cap_retry
