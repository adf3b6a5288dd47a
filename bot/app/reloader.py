"""Picking up edited knowledge files, staff edits made in the dashboard and taught phrasings in a running process,
without a restart.

Every few seconds a fingerprint of the knowledge directory (each file's name and bytes) and of the taught and edits
tables is compared with the last one. When it changed, a new Library is built off to the side and swapped into the
engine in one assignment: a turn in progress keeps the Library it started with (it holds its own reference), the
next turn gets the new one. A knowledge base with mistakes is refused: the old one stays, the problems go to the log,
and staff are told once in Slack (through the outbox, so every process agrees on one notice).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from bot.app import warm_up
from bot.desk import knowledge_edits, learning
from bot.desk.registrations import apply_capacities
from bot.storage import outbox
from bot.understanding.knowledge_files import KnowledgeError, load

if TYPE_CHECKING:
    from bot.engine import BotEngine

log = logging.getLogger(__name__)
MAX_FILE = 20 * 1024 * 1024  # hashing a stray huge file every few seconds would cost more than it tells


class Reloader:
    def __init__(self, engine: BotEngine, every: float = 3.0):
        self.engine = engine
        self.directory: Path = engine.library.knowledge.directory
        self.every = every
        self._seen = self.fingerprint()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.refused: KnowledgeError | None = None  # the last refusal, until a good knowledge base replaces it

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(p for p in self.directory.rglob("*") if p.is_file()):
            try:
                size = path.stat().st_size
                digest.update(f"{path.relative_to(self.directory)}\0{size}\0".encode())
                if size <= MAX_FILE:
                    digest.update(path.read_bytes())
            except OSError:
                continue  # removed while we looked: the next round sees the directory as it is then
        with self.engine.db.connect() as conn:
            digest.update(repr(learning.taught_fingerprint(conn)).encode())
            digest.update(repr(knowledge_edits.fingerprint(conn)).encode())
        return digest.hexdigest()

    def check(self) -> bool:
        """Reload if anything changed; True when a new Library was swapped in."""
        fingerprint = self.fingerprint()
        if fingerprint == self._seen:
            return False
        self._seen = fingerprint
        try:
            knowledge = load(self.directory)
        except KnowledgeError as exc:
            self.refused = exc
            self._tell_staff(exc, fingerprint)
            return False
        old = self.engine.library
        library = knowledge_edits.library(self.engine.db, knowledge,
                                          old.reader.embedder.name if old.reader.embedder else "none")
        warm_up.reader(library)  # its first-use costs paid here, off the turns
        self.engine.library = library  # one reference assignment: atomic for the turns that follow
        self.refused = None
        log.info("knowledge reloaded: %d FAQ entries, %d events", len(library.knowledge.faq),
                 len(library.knowledge.events))
        promoted = apply_capacities(self.engine.db, library.knowledge.events, self.engine.clock(),
                                     self.engine.registration_rules)
        if promoted:
            log.info("capacity raised: %d waitlisted registration(s) confirmed and told", promoted)
        return True

    def _tell_staff(self, exc: KnowledgeError, fingerprint: str) -> None:
        problems = [str(p) for p in exc.problems]
        log.error("knowledge NOT reloaded (the previous one stays in use): %s", "; ".join(problems[:20]))
        text = ("The edited knowledge base was refused; the bot keeps answering from the previous one. Fix:\n"
                + "\n".join(f"• {p}" for p in problems[:20]))
        now = self.engine.clock()
        with self.engine.db.begin() as conn:
            if learning.first_time(conn, f"knowledge-refused:{fingerprint}", now):
                outbox.enqueue(conn, now, "slack", "staff", None, "slack_notice", {"text": text},
                               stream="staff-notices")

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.check()
            except Exception:  # the database away for a moment, a file half-written: try again next round
                log.exception("knowledge reload check failed")

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="knowledge-reloader", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
