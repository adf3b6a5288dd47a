"""Members' own words from the development rounds (members_words.yaml), which teach the person classifier what a
request for a person looks like, with their vectors for the default model shipped beside them (members_words.npz).

Written by bench/gather_members_words.py from the development data only. The knowledge's few example phrases of
"handoff" missed a quarter of each new round of requests; these thousands of real wordings (requests, messages that
only mention people, FAQ questions) give the classifier the shape of a request in both languages. The vectors are
shipped because embedding them costs about two minutes of one core: a first start with the default model reads
them from the file; another model embeds them once into the vector cache.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot.understanding.embedding import Embedder
from bot.understanding.vectors import embed_cached

F32 = np.ndarray[Any, np.dtype[np.float32]]
PHRASES = Path(__file__).with_name("members_words.yaml")
VECTORS = Path(__file__).with_name("members_words.npz")
REQUESTS, NOT_REQUESTS = "requests", "not_requests"  # the file's two lists


@functools.cache
def load() -> tuple[tuple[str, str], ...]:
    """(list name, phrase) pairs, in the file's order. A broken file is a bug of the release: it raises."""
    data = yaml.safe_load(PHRASES.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) != {REQUESTS, NOT_REQUESTS}:
        raise ValueError(f"{PHRASES}: want the lists {REQUESTS} and {NOT_REQUESTS}")
    pairs = tuple((name, phrase) for name in (REQUESTS, NOT_REQUESTS) for phrase in data[name])
    if not all(isinstance(phrase, str) and phrase for _, phrase in pairs):
        raise ValueError(f"{PHRASES}: every phrase is a non-empty string")
    return pairs


def digest(embedder: Embedder, texts: Sequence[str]) -> str:
    h = hashlib.sha256(f"{embedder.name}\0{embedder.version}\0{embedder.dim}\0query".encode())
    for text in texts:
        h.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def vectors(embedder: Embedder, texts: Sequence[str]) -> F32:
    """Query vectors of `texts`: the shipped ones when they were made by this model from these very texts, else
    embedded (and kept in the vector cache)."""
    try:
        with np.load(VECTORS) as f:
            if str(f["digest"]) == digest(embedder, texts):
                shipped: F32 = f["vectors"].astype(np.float32)
                return shipped
    except (OSError, ValueError, KeyError):
        pass  # not shipped for this model: embed below
    return embed_cached(embedder, texts, query=True)


def save_vectors(embedder: Embedder, texts: Sequence[str], halved: np.ndarray[Any, Any]) -> None:
    """Ship float16 vectors (as the vector cache keeps them, so a first start reads as a restart does)."""
    with open(VECTORS, "wb") as f:  # a file, not a name: numpy would add ".npz" to the name
        np.savez_compressed(f, digest=np.array(digest(embedder, texts)), vectors=halved.astype(np.float16))
