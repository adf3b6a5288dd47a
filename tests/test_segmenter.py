"""jieba over the mapped trie (bot/understanding/segmenter.py) cuts Chinese exactly as jieba over its own dict."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import jieba
import pytest

from bot.understanding import segmenter
from tests.conftest import ROOT

HAN = re.compile(r"[\u4e00-\u9fff]+")
# Words the knowledge teaches the segmenter (text.add_words), some new to jieba, one a prefix of another.
TAUGHT = ["胡志明市", "全球中小企业联盟", "美中交流协会", "中小企业博览会", "博览"]


def _runs() -> list[str]:
    """Every run of Chinese characters in the knowledge files and the test data."""
    files = sorted((ROOT / "knowledge").glob("*.yaml")) + sorted((ROOT / "tests" / "data").rglob("*.yaml"))
    runs = (run for f in files for run in HAN.findall(f.read_text(encoding="utf-8")))
    return list(dict.fromkeys(runs))


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    jieba.setLogLevel(logging.WARNING)
    own = jieba.Tokenizer()
    own.initialize()
    ours = segmenter.tokenizer(tmp_path_factory.mktemp("cache"))
    for word in TAUGHT:
        own.add_word(word, freq=2000)
        ours.add_word(word, freq=2000)
    return own, ours


@pytest.mark.parametrize("mode", [{}, {"HMM": False}, {"cut_all": True, "HMM": False}])
def test_the_same_words_as_jiebas_own_dictionary(both: tuple[Any, Any], mode: dict[str, bool]) -> None:
    own, ours = both
    runs = _runs()
    assert len(runs) > 3000
    differ = [run for run in runs if ours.lcut(run, **mode) != own.lcut(run, **mode)]
    assert differ == []
    assert ours.total == own.total


def test_frequencies_are_jiebas(both: tuple[Any, Any]) -> None:
    own, ours = both
    for word in ["中小企业", "报名", "胡志明市", "博览", "中", "中小", "龘龘"]:
        assert ours.FREQ.get(word) == own.FREQ.get(word)
        assert (word in ours.FREQ) == (word in own.FREQ)
    assert "" not in ours.FREQ and ours.FREQ.get("") is None  # where the trie keeps the total


def test_built_once_then_mapped(tmp_path: Path) -> None:
    segmenter.tokenizer(tmp_path)
    [saved] = tmp_path.glob("jieba-*.marisa")
    stamp = saved.stat().st_mtime_ns
    again = segmenter.tokenizer(tmp_path)
    assert saved.stat().st_mtime_ns == stamp
    assert again.lcut("我想报名参加博览会") == ["我", "想", "报名", "参加", "博览会"]


def test_a_cache_that_cannot_be_written_still_segments(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    tok = segmenter.tokenizer(blocked / "cache")
    assert tok.lcut("我想报名参加博览会") == ["我", "想", "报名", "参加", "博览会"]
