"""The Chinese word segmenter: jieba, with its dictionary in a memory-mapped trie instead of a Python dict.

jieba keeps its 350,000 words and their 150,000 prefixes in a dict (`Tokenizer.FREQ`): about 60 MB of every
process's memory, a quarter of a running bot's. The same words and frequencies in a marisa trie are a 2 MB file,
mapped, so worker processes share it. Words come out the same: segmentations are identical on every Chinese run of
the knowledge and the test data (tests/test_segmenter.py). A lookup in the trie is slower than in the dict, so a
message takes about 54 µs to segment instead of 25 (segmentations are memoised: text.py).

The trie is built once from jieba's own dictionary file into the cache directory (about a second); a process that
cannot write there keeps the trie it built in memory, still a few MB.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import logging
from pathlib import Path
from typing import Any

import marisa_trie

from bot.understanding import caches

log = logging.getLogger(__name__)

_TOTAL = ""  # the trie's key for jieba's total of frequencies: no word is empty, so no lookup meets it
_RECORD = "<Q"


class Frequencies:
    """jieba's word -> frequency table over the trie. Words the knowledge teaches (`Tokenizer.add_word`) go into a
    dict above it; jieba reads and writes this through `in`, `get`, `[]` and `[] =` only."""

    __slots__ = ("_added", "_trie")

    def __init__(self, trie: marisa_trie.RecordTrie):
        self._trie = trie
        self._added: dict[str, int] = {}

    def total(self) -> int:
        return int(self._trie[_TOTAL][0][0])

    def __contains__(self, word: object) -> bool:
        return word in self._added or (word != _TOTAL and word in self._trie)

    def get(self, word: str, default: int | None = None) -> int | None:
        found = self._added.get(word)
        if found is not None:
            return found
        if word == _TOTAL:
            return default
        records = self._trie.get(word)
        return int(records[0][0]) if records else default

    def __getitem__(self, word: str) -> int:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found

    def __setitem__(self, word: str, freq: int) -> None:
        self._added[word] = freq


def tokenizer(cache: Path) -> Any:
    """A jieba Tokenizer whose dictionary is the trie (built into `cache` if it is not there yet)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    freq = Frequencies(_trie(tok, cache))
    # What Tokenizer.initialize would set from its own dict; with `initialized` set it never loads that dict.
    tok.FREQ, tok.total, tok.initialized = freq, freq.total(), True
    return tok


def _trie(tok: Any, cache: Path) -> marisa_trie.RecordTrie:
    with tok.get_dict_file() as f:
        raw = f.read()
    path = cache / f"jieba-{hashlib.sha256(raw).hexdigest()[:16]}.marisa"
    with contextlib.suppress(OSError, RuntimeError, ValueError):  # absent or unreadable: built below
        return marisa_trie.RecordTrie(_RECORD).mmap(str(path))
    trie = _built(raw)
    try:
        caches.store(path, trie.save)
        return marisa_trie.RecordTrie(_RECORD).mmap(str(path))
    except (OSError, RuntimeError) as exc:
        log.info("segmenter dictionary not cached (%s): kept in memory", exc)
        return trie


def _built(raw: bytes) -> marisa_trie.RecordTrie:
    """jieba's prefix dictionary (Tokenizer.gen_pfdict: every word with its frequency, every prefix of a word that is
    not itself a word with 0) and the total, as a trie."""
    import io

    import jieba

    freq, total = jieba.Tokenizer.gen_pfdict(io.BytesIO(raw))
    trie = marisa_trie.RecordTrie(_RECORD, [(_TOTAL, (total,)), *((w, (n,)) for w, n in freq.items())])
    del freq
    with contextlib.suppress(OSError, AttributeError):  # the dict's half a million strings, handed back
        ctypes.CDLL(None).malloc_trim(0)
    return trie
