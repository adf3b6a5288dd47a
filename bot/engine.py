"""One turn per inbound message: dedupe, load the conversation, route, save, all in one transaction."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot import text as textmod
from bot.db import sessions
from bot.i18n import t
from bot.library import Library
from bot.messages import Incoming, Lang, Reply, TurnResult
from bot.models import Base, Conversation, Inbound, Message
from bot.office_hours import OfficeHours
from bot.router import default_handlers, route
from bot.store import Store
from bot.turn import Handler, Outcome, Turn

log = logging.getLogger(__name__)
CONV = Base.metadata.tables[Conversation.__tablename__]
INBOUND = Base.metadata.tables[Inbound.__tablename__]
MESSAGES = Base.metadata.tables[Message.__tablename__]

Clock = Callable[[], datetime]
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)、]?\s*$")


def utc_now() -> datetime:
    return datetime.now(UTC)


class BotEngine:
    def __init__(self, library: Library, db: Engine, clock: Clock = utc_now,
                 handlers: list[Handler] | None = None, office_hours: OfficeHours | None = None):
        self.library = library
        self.office_hours = office_hours
        self.db = db
        self.clock = clock
        self.handlers = handlers or default_handlers()
        self._sessions = sessions(db)
        # SQLite has one writer at a time. Threads of this process queue on a lock instead of on SQLite's busy
        # handler, which sleeps in growing steps (up to 100 ms) and wastes the wait; other processes still
        # wait on busy_timeout. PostgreSQL needs no such lock: row locks order the turns.
        self._local_writer = threading.Lock() if db.dialect.name == "sqlite" else contextlib.nullcontext()
        # For async callers (the web channels): a small pool for turns. One thread on SQLite, where turns run one
        # at a time anyway, so waiting turns queue here instead of as threads fighting over the lock and the GIL.
        self.executor = ThreadPoolExecutor(max_workers=1 if db.dialect.name == "sqlite" else 4,
                                           thread_name_prefix="turn")

    async def handle_async(self, inc: Incoming) -> TurnResult:
        """`handle` for asyncio code: the turn runs on the engine's thread pool, never on the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, self.handle, inc)

    def handle(self, inc: Incoming) -> TurnResult:
        """Process one message. A redelivered message (same channel and message_id) gets an empty result."""
        with self._local_writer:
            return self._handle(inc)

    def _handle(self, inc: Incoming) -> TurnResult:
        now = self.clock()
        with self._sessions.begin() as session:
            if inc.message_id is not None and not self._first_delivery(session, inc, now):
                log.info("duplicate delivery %s/%s ignored", inc.channel, inc.message_id)
                return TurnResult((), "duplicate", "en", duplicate=True)
            stored_lang, saved_state = self._conversation(session, inc, now)
            store = Store(session, inc.channel, inc.user_id, inc.chat_id, now)
            # A deep copy: handlers change nested dicts (the registration form) and the saved row must see it.
            state: dict[str, Any] = copy.deepcopy(saved_state or {})
            lang = self._language(inc, stored_lang, state)
            cleaned = textmod.clean(inc.text[: textmod.MAX_ANALYSED_CHARS * 4])
            pre: list[Reply] = []
            if len(cleaned) > textmod.MAX_ANALYSED_CHARS:
                pre.append(Reply(t("long_message", lang)))
                cleaned = cleaned[: textmod.MAX_ANALYSED_CHARS]
            cleaned = self._pressed_button(cleaned, state)
            turn = Turn(inc, cleaned, textmod.normalize(cleaned), lang, state, now, self.library, store,
                        self.office_hours)
            outcome = self._run(session, turn)
            if outcome.intent != "fallback":
                state["misses"] = 0  # "failed twice in a row" counts consecutive misses only
            replies = pre + outcome.replies
            state["last_buttons"] = [b.payload for r in replies for b in r.buttons]
            # The hot path in plain SQL statements (no ORM objects): the conversation row and the transcript.
            conn = session.connection()
            me = (CONV.c.channel == inc.channel) & (CONV.c.user_id == inc.user_id)
            values: dict[str, Any] = {"lang": turn.lang, "state": state, "updated_at": now}
            if inc.chat_id:
                values["chat_id"] = inc.chat_id
            conn.execute(update(CONV).where(me).values(**values))
            lines = [("in", cleaned[:4000], None)] + [("out", r.text, outcome.intent) for r in replies]
            conn.execute(insert(MESSAGES), [
                {"channel": inc.channel, "user_id": inc.user_id, "direction": d, "text": text, "intent": intent,
                 "created_at": now} for d, text, intent in lines])
        return TurnResult(tuple(replies), outcome.intent, turn.lang, outcome.answer_id, outcome.handoff)

    def _run(self, session: Session, turn: Turn) -> Outcome:
        if not turn.text:
            return Outcome([Reply(t("empty", turn.lang))], "smalltalk")
        if not re.search(r"\w", turn.norm):
            return Outcome([Reply(t("no_words", turn.lang))], "smalltalk")
        handler = route(self.handlers, turn)
        savepoint = session.begin_nested()
        before = copy.deepcopy(turn.state)
        try:
            outcome = handler.handle(turn)
            # A form in progress (a registration) picks up again after another handler answered a question.
            for other in self.handlers:
                resume = getattr(other, "resume", None)
                if other is not handler and resume is not None:
                    outcome.replies.extend(resume(turn))
            savepoint.commit()
            return outcome
        except Exception:
            # A bug in one handler must not lose the message or kill the channel: answer, log, keep going.
            log.exception("handler %s failed on %r", handler.name, turn.text[:200])
            savepoint.rollback()
            turn.state.clear()  # the conversation state goes back with the database changes
            turn.state.update(before)
            return Outcome([Reply(t("error", turn.lang))], "fallback")

    @staticmethod
    def _first_delivery(session: Session, inc: Incoming, now: datetime) -> bool:
        stmt = _insert(session)(INBOUND).values(channel=inc.channel, dedupe_key=str(inc.message_id)[:200],
                                                created_at=now)
        # RETURNING tells reliably whether the row went in (rowcount is -1 on some drivers).
        stmt = stmt.on_conflict_do_nothing(index_elements=["channel", "dedupe_key"]).returning(INBOUND.c.id)
        return session.connection().execute(stmt).first() is not None

    @staticmethod
    def _conversation(session: Session, inc: Incoming, now: datetime) -> tuple[str, dict[str, Any]]:
        """The member's language and state, with their row locked until the turn commits. A new member's row is
        inserted if absent first, so two workers taking a member's first two messages both end up here safely."""
        conn = session.connection()
        locked = (select(CONV.c.lang, CONV.c.state)
                  .where(CONV.c.channel == inc.channel, CONV.c.user_id == inc.user_id).with_for_update())
        row = conn.execute(locked).first()
        if row is None:
            lang = inc.lang or textmod.detect_lang(re.sub(r"^/\S+", "", inc.text.strip())) or "en"
            stmt = _insert(session)(CONV).values(channel=inc.channel, user_id=inc.user_id, chat_id=inc.chat_id,
                                                 lang=lang, state={}, created_at=now, updated_at=now)
            conn.execute(stmt.on_conflict_do_nothing(index_elements=["channel", "user_id"]))
            row = conn.execute(locked).one()
        return str(row.lang), dict(row.state or {})

    @staticmethod
    def _language(inc: Incoming, conv_lang: str, state: dict[str, Any]) -> Lang:
        """The member's chosen language wins; otherwise the language of this message; otherwise the last one."""
        stored: Lang = "zh" if conv_lang == "zh" else "en"
        if state.get("lang_explicit") or state.get("reg"):
            # Mid-form, a company name in Chinese is an answer, not a wish to change language.
            return stored
        # A command ("/start", "/faq founding") says nothing about the member's language.
        words = re.sub(r"^/\S+", "", inc.text.strip())
        return textmod.detect_lang(words) or stored

    @staticmethod
    def _pressed_button(text: str, state: dict[str, Any]) -> str:
        """A number typed back after numbered options selects that option (channels without buttons)."""
        m = _NUMBER.match(text)
        options = state.get("last_buttons") or []
        if m and 1 <= int(m.group(1)) <= len(options):
            return str(options[int(m.group(1)) - 1])
        return text


def _insert(session: Session) -> Any:
    name = session.get_bind().dialect.name
    return postgresql.insert if name == "postgresql" else sqlite.insert
