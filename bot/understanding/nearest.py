"""Nearest rows of a large vector set without reading every row: an HNSW graph from usearch, built once and kept
on disk beside the vector cache, opened as a memory map.

Below `GASME_ANN_FROM` rows (default 30,000, about 10,000 FAQ entries) the exact matrix product is cheap and
stays. Above it, the graph holds int8 copies of the vectors (a quarter of float32) and names the best
`CANDIDATES` rows; those rows are then scored exactly against the float16 rows of the disk cache, so the scores
and their order among the candidates are the exact ones. bench/understanding.py prints the recall of the best
three entries against the exact search next to the speed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import weakref
from pathlib import Path
from typing import Any

import numpy as np
from usearch.index import Index

from bot.understanding import caches

log = logging.getLogger(__name__)
F32 = np.ndarray[Any, np.dtype[np.float32]]

CANDIDATES = 64
# The graph's shape: 32 links per node, 128 candidates kept while inserting, 400 while searching. Over centred
# vectors at 300,000 rows of bench/understanding.py's data these found the exact search's best entry for 0.995 of
# the queries in about 6 ms (16/64/160: 0.955 in 1 ms; a search of 1,000: 1.000 in 15 ms), and took about 7 minutes
# to build on two loaded cores, once.
CONNECTIVITY = 32
EXPANSION_ADD = 128
EXPANSION_SEARCH = 400
FORMAT = f"i8-c{CONNECTIVITY}-a{EXPANSION_ADD}-centred"


def threshold() -> int:
    """Rows from which the approximate index is used (GASME_ANN_FROM; 0 never)."""
    try:
        value = int(os.environ.get("GASME_ANN_FROM", "") or 30_000)
    except ValueError:
        value = 30_000
    return value if value > 0 else 1 << 62


def rows_key(rows: np.ndarray[Any, Any]) -> str:
    """What identifies a vector set: its cache file when it is one (read nothing more), else its bytes."""
    if isinstance(rows, np.memmap) and rows.filename:
        st = os.stat(rows.filename)
        ident = f"{rows.filename}\0{st.st_size}\0{st.st_mtime_ns}\0{rows.shape}".encode()
        return hashlib.sha256(ident).hexdigest()[:32]
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((rows.shape, str(rows.dtype))).encode())
    for start in range(0, len(rows), 65536):
        digest.update(np.ascontiguousarray(rows[start:start + 65536]).tobytes())
    return digest.hexdigest()


class Rows:
    """A large vector set's rows, read on demand as float32.

    A memory map's file is read with os.pread rather than through the map: every page of a map the process has
    touched counts as its own memory (RSS) from then on, and reading the mean and building the graph touch them
    all (230 MB of float16 rows at 100,000 entries). Read pages stay in the kernel's file cache instead, shared
    and given back when memory is short. The values are the same bytes either way."""

    def __init__(self, array: np.ndarray[Any, Any]):
        self.array = array
        self._fd: int | None = None
        if isinstance(array, np.memmap) and array.filename and array.flags.c_contiguous:
            self._fd = os.open(array.filename, os.O_RDONLY)
            weakref.finalize(self, os.close, self._fd)  # open as long as the rows are
            self._offset = int(array.offset)
            self._row_bytes = array.shape[1] * array.dtype.itemsize

    def __len__(self) -> int:
        return len(self.array)

    def take(self, index: np.ndarray[Any, Any]) -> F32:
        """Rows `index`, in that order, as float32. Consecutive rows (an entry's, a slice) are read at once."""
        if self._fd is None:
            return np.asarray(self.array[index], dtype=np.float32)
        index = np.asarray(index, dtype=np.int64)
        first = np.flatnonzero(np.diff(index, prepend=-2) != 1)  # where each run of consecutive rows starts
        counts = np.diff(first, append=len(index))
        fd, size = self._fd, self._row_bytes
        data = b"".join(os.pread(fd, n * size, self._offset + row * size)
                        for row, n in zip(index[first].tolist(), counts.tolist(), strict=True))
        rows = np.frombuffer(data, dtype=self.array.dtype).reshape(len(index), self.array.shape[1])
        return rows.astype(np.float32)

    def span(self, start: int, stop: int) -> F32:
        return self.take(np.arange(start, min(stop, len(self.array))))


class NearestRows:
    """Approximate nearest rows by cosine, over rows that stay where they are (a file or an array)."""

    def __init__(self, rows: Rows, cache: Path):
        self.rows = rows
        self.mean = _mean(rows)
        path = cache / f"ann-{rows_key(rows.array)}-{FORMAT}.usearch"
        self.index = _opened(path, len(rows)) or _built(rows, self.mean, path)

    def __len__(self) -> int:
        return len(self.rows)

    def nearest(self, query: F32, count: int = CANDIDATES) -> tuple[np.ndarray[Any, Any], F32]:
        """Row numbers of the best candidates and their exact cosines with `query`, best first."""
        found = self.index.search(_centred(query, self.mean), count=min(count, len(self.rows)), threads=1)
        keys = np.sort(np.asarray(found.keys, dtype=np.int64))  # in order: neighbouring rows are read at once
        scores: F32 = self.rows.take(keys) @ query
        order = np.argsort(-scores)
        return keys[order], scores[order]


def _mean(rows: Rows) -> F32:
    """The rows' mean vector, read in slices (a file stays on disk)."""
    total = np.zeros(rows.array.shape[1], dtype=np.float64)
    for start in range(0, len(rows), 50_000):
        total += rows.span(start, start + 50_000).astype(np.float64).sum(axis=0)
    mean: F32 = (total / max(len(rows), 1)).astype(np.float32)
    return mean


def _centred(vectors: np.ndarray[Any, Any], mean: F32) -> F32:
    """Vectors less the rows' mean, made unit length again. The model's vectors all lie in a narrow cone (any two
    questions have a cosine of 0.6 or more): a graph built over them as they are missed the query's own entry three
    times in four on bench/understanding.py's rows; over the centred vectors it finds it. The candidates are scored
    on the vectors as they are, so the scores are the model's own."""
    out = np.asarray(vectors, dtype=np.float32) - mean
    norms = np.linalg.norm(out, axis=-1, keepdims=True)
    centred: F32 = (out / np.maximum(norms, 1e-12)).astype(np.float32)
    return centred


def _opened(path: Path, size: int) -> Index | None:
    if not path.exists():
        return None
    try:
        index = Index.restore(str(path), view=True, connectivity=CONNECTIVITY, expansion_add=EXPANSION_ADD,
                              expansion_search=EXPANSION_SEARCH)
    except (OSError, RuntimeError, ValueError) as exc:
        log.info("vector index %s unreadable (%s): building it again", path.name, exc)
        return None
    return index if index is not None and len(index) == size else None


def _built(rows: Rows, mean: F32, path: Path) -> Index:
    """Build the graph (minutes at 300,000 rows; once), save it, and open the saved copy as a memory map."""
    log.info("building the vector index over %d rows (once; cached as %s)", len(rows), path.name)
    index = Index(ndim=rows.array.shape[1], metric="cos", dtype="i8", connectivity=CONNECTIVITY,
                  expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
    for start in range(0, len(rows), 20_000):  # in slices: float32 copies of a slice at a time only
        part = _centred(rows.span(start, start + 20_000), mean)
        index.add(np.arange(start, start + len(part), dtype=np.int64), part, threads=os.cpu_count() or 1)
    try:
        caches.store(path, index.save)
    except (OSError, RuntimeError) as exc:
        log.info("vector index not saved (%s): the next start builds it again", exc)
        return index
    return _opened(path, len(rows)) or index
