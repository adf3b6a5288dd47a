"""Where derived files live between starts: the knowledge's vectors, the vector index, the trained intent model and
the segmenter's dictionary. Each is keyed by what it was made from, so the folder is safe to delete."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """GASME_CACHE_DIR, else the user's cache directory (XDG)."""
    explicit = os.environ.get("GASME_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "gasme-bot"
