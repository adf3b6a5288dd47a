"""Where derived files live between starts: the knowledge's vectors, the vector index, the trained intent model and
the segmenter's dictionary. Each is keyed by what it was made from, so the folder is safe to delete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path:
    """GASME_CACHE_DIR, else the user's cache directory (XDG)."""
    explicit = os.environ.get("GASME_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "gasme-bot"


def store(path: Path, write: Callable[[str], object]) -> None:
    """`write(name)` writes the file under a temporary name beside `path`, which is then renamed into place: a process
    reading at the same moment sees all of it or nothing. Raises OSError (or the writer's error) when it cannot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)  # only its name: the writers (numpy, usearch, marisa) open the file themselves
    try:
        write(name)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
