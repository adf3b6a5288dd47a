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
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from usearch.index import Index

log = logging.getLogger(__name__)
F32 = np.ndarray[Any, np.dtype[np.float32]]

CANDIDATES = 64
# The graph's shape: 16 links per node, 64 candidates kept while inserting, 160 while searching. These gave
# recall@3 of the best entries >= 0.99 at 300,000 rows on bench/understanding.py's data.
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 160
FORMAT = f"i8-c{CONNECTIVITY}-a{EXPANSION_ADD}"


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


class NearestRows:
    """Approximate nearest rows by cosine, over rows that stay where they are (a memory map or an array)."""

    def __init__(self, rows: np.ndarray[Any, Any], cache: Path):
        self.rows = rows
        path = cache / f"ann-{rows_key(rows)}-{FORMAT}.usearch"
        self.index = _opened(path, len(rows)) or _built(rows, path)

    def __len__(self) -> int:
        return len(self.rows)

    def nearest(self, query: F32, count: int = CANDIDATES) -> tuple[np.ndarray[Any, Any], F32]:
        """Row numbers of the best candidates and their exact cosines with `query`, best first."""
        found = self.index.search(query.astype(np.float32), count=min(count, len(self.rows)), threads=1)
        keys = np.sort(np.asarray(found.keys, dtype=np.int64))  # in order: reads the memory map forwards
        scores: F32 = np.asarray(self.rows[keys], dtype=np.float32) @ query
        order = np.argsort(-scores)
        return keys[order], scores[order]


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


def _built(rows: np.ndarray[Any, Any], path: Path) -> Index:
    """Build the graph (minutes at 300,000 rows; once), save it, and open the saved copy as a memory map."""
    log.info("building the vector index over %d rows (once; cached as %s)", len(rows), path.name)
    index = Index(ndim=rows.shape[1], metric="cos", dtype="i8", connectivity=CONNECTIVITY,
                  expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
    for start in range(0, len(rows), 20_000):  # in slices: float32 copies of a slice at a time only
        part = np.asarray(rows[start:start + 20_000], dtype=np.float32)
        index.add(np.arange(start, start + len(part), dtype=np.int64), part, threads=os.cpu_count() or 1)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
            pass
        index.save(tmp.name)
        os.replace(tmp.name, path)
    except (OSError, RuntimeError) as exc:
        log.info("vector index not saved (%s): the next start builds it again", exc)
        return index
    return _opened(path, len(rows)) or index
