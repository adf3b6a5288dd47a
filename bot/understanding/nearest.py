"""Nearest rows of a large vector set without reading every row: an HNSW graph over product-quantised codes from
faiss (IndexHNSWPQ), built once and kept on disk beside the vector cache.

Below `GASME_ANN_FROM` rows (default 30,000, about 10,000 FAQ entries) the exact matrix product is cheap and
stays. Above it, each row is kept in the graph as a code of a byte per 4 dimensions (96 bytes for the model's 384:
a 16th of float32) with `LINKS` links, and a search walks the graph to name the best `CANDIDATES` rows. Those rows
are then scored exactly against the float16 rows of the disk cache, and the entries best among them by all their
rows (vectors.py), so the scores and their order among the candidates are the exact ones. bench/understanding.py
prints the recall of the best entries against the exact search next to the speed.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import weakref
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from bot.understanding import caches

log = logging.getLogger(__name__)
F32 = np.ndarray[Any, np.dtype[np.float32]]

# The graph's shape, chosen by measurement at 300,000 rows of bench/understanding.py's data
# (docs/quality-and-speed.md, "Large knowledge bases"): the codes name the best CANDIDATES rows with a search
# breadth of BREADTH, and the RESCORED_OWNERS best entries among them are scored by all their rows
# (vectors.py). 128 candidates and a breadth of 512 found all of the exact search's best three entries for 0.965
# of members' paraphrases of the bundled entries among 100,000 synthetic ones; 512 and 768, 0.991.
CANDIDATES = 512
RESCORED_OWNERS = 32
LINKS = 16
BUILD_BREADTH = 200
BREADTH = 768
CODE_BITS = 8  # a byte per sub-vector
TRAINING_PER_CODE = 39  # faiss asks for at least 39 training rows per code value
FORMAT = f"hnswpq-l{LINKS}-b{BUILD_BREADTH}-centred"


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
        path = cache / f"ann-{rows_key(rows.array)}-{FORMAT}.faiss"
        self.index = _opened(path, len(rows)) or _built(rows, self.mean, path)
        self.index.hnsw.efSearch = BREADTH

    def __len__(self) -> int:
        return len(self.rows)

    def nearest(self, query: F32, count: int = CANDIDATES) -> tuple[np.ndarray[Any, Any], F32]:
        """Row numbers of the best candidates and their exact cosines with `query`, best first."""
        _, found = self.index.search(_centred(query, self.mean)[None, :], min(count, len(self.rows)))
        keys = np.sort(found[0][found[0] >= 0].astype(np.int64))  # in order: neighbouring rows are read at once
        scores: F32 = self.rows.take(keys) @ query
        order = np.argsort(-scores)
        return keys[order], scores[order]


def code_shape(size: int, dim: int) -> tuple[int, int]:
    """Sub-vectors per code (a byte per 4 dimensions: the largest divisor of `dim` at or below dim / 4) and bits per
    sub-vector (8, fewer only for sets too small to train 256 values)."""
    m = next(k for k in range(max(dim // 4, 1), 0, -1) if dim % k == 0)
    bits = max(1, min(CODE_BITS, int(math.log2(max(size // TRAINING_PER_CODE, 2)))))
    return m, bits


def _mean(rows: Rows) -> F32:
    """The rows' mean vector, read in slices (a file stays on disk)."""
    total = np.zeros(rows.array.shape[1], dtype=np.float64)
    for start in range(0, len(rows), 50_000):
        total += rows.span(start, start + 50_000).astype(np.float64).sum(axis=0)
    mean: F32 = (total / max(len(rows), 1)).astype(np.float32)
    return mean


def _centred(vectors: np.ndarray[Any, Any], mean: F32) -> F32:
    """Vectors less the rows' mean, made unit length again. The model's vectors all lie in a narrow cone (any two
    questions have a cosine of 0.6 or more): an index built over them as they are spends its clusters and codes on
    what every row shares, and missed the query's own entry three times in four on bench/understanding.py's rows;
    over the centred vectors it finds it. The candidates are scored on the vectors as they are, so the scores are
    the model's own."""
    out = np.asarray(vectors, dtype=np.float32) - mean
    norms = np.linalg.norm(out, axis=-1, keepdims=True)
    centred: F32 = np.ascontiguousarray(out / np.maximum(norms, 1e-12), dtype=np.float32)
    return centred


def _opened(path: Path, size: int) -> Any:
    """The saved index, or None."""
    if not path.exists():
        return None
    try:
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
    except RuntimeError as exc:
        log.info("vector index %s unreadable (%s): building it again", path.name, exc)
        return None
    return index if index.ntotal == size else None


def _built(rows: Rows, mean: F32, path: Path) -> Any:
    """Train the codes on a sample of the rows (the same sample every time: a fixed seed), add every row in slices
    (float32 copies of a slice at a time only), save, and open the saved copy. The build alone uses every core: the
    bot otherwise keeps faiss on one thread (bot/__init__.py)."""
    dim = rows.array.shape[1]
    m, bits = code_shape(len(rows), dim)
    log.info("building the vector index over %d rows (once; cached as %s)", len(rows), path.name)
    # Unit vectors: the nearest by distance are the nearest by cosine. (faiss's stubs list only one constructor.)
    index = faiss.IndexHNSWPQ(dim, m, LINKS, bits)  # type: ignore[arg-type]
    index.hnsw.efConstruction = BUILD_BREADTH
    sample = np.sort(np.random.default_rng(0).choice(len(rows), min(len(rows), 100_000), replace=False))
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    try:
        index.train(_centred(rows.take(sample), mean))
        for start in range(0, len(rows), 20_000):
            index.add(_centred(rows.span(start, start + 20_000), mean))
    finally:
        faiss.omp_set_num_threads(1)
    try:
        caches.store(path, lambda name: faiss.write_index(index, name))
    except (OSError, RuntimeError) as exc:
        log.info("vector index not saved (%s): the next start builds it again", exc)
        return index
    return _opened(path, len(rows)) or index
