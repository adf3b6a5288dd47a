"""Text clean-up, language detection and tokenisation shared by the matchers.

Members type full-width forms, traditional characters, typos and mixed English/Chinese; everything that compares
text goes through `normalize` and `tokenize` here so that all matchers agree on what a word is.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from bot.messages import Lang
from bot.understanding import cantonese, chat_words, segmenter, slips
from bot.understanding.caches import cache_dir

log = logging.getLogger(__name__)

# Longest text we analyse. A 20,000-character paste is answered, but matching on its first few thousand
# characters is as good as on all of it and keeps a turn fast.
MAX_ANALYSED_CHARS = 2000

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{_CJK}]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_SCRIPT_EDGE_RE = re.compile(f"(?<=[{_CJK}])(?=[a-z])|(?<=[a-z])(?=[{_CJK}])")
_SEGMENT_RE = re.compile(f"([{_CJK}]+)|([a-z0-9]+(?:['’][a-z]+)?)")

# Words that carry no topic. Kept short on purpose: question words such as "when"/"where"/"什么时候" are
# removed because FAQ questions differ by topic, not by question form.
EN_STOPWORDS = frozenset(
    """a an the of to in on at for from by with about into and or but if is are was were be been being am do does
    did done have has had having i me my we our us you your he she it its they them their this that these those
    there here what which who whom whose when where why how can could would should will shall may might must
    please tell know want wanted like let get got any some more much many also just so very really s t d ll ve re
    m not no yes hi hello hey thanks thank pls plz kindly anyone something anything whats hows wheres whos im
    ok okay dear sir madam u ur give gives giving get gets getting go goes going come comes make makes take takes
    one ones thing things stuff lot lots way ways kind sort bit quick quickly briefly brief short far exactly
    actually currently basically generally usually normally maybe perhaps possible possibly able need needs
    find out explain describe say said mean means guys someone somebody anybody everything nutshell overall
    would could does tell again already still ever else other others own same such via per as heard hear
    near run runs running long together hold holds""".split()
)
ZH_STOPWORDS = frozenset(
    """的 了 吗 呢 吧 啊 呀 么 嘛 是 在 有 和 与 及 或 也 都 就 还 又 我 我们 你 你们 您 他 她 它 他们 这 那 这个 那个
    这些 那些 什么 怎么 怎么样 怎样 如何 哪 哪里 哪儿 哪些 哪个 谁 为什么 为何 多少 几 请问 请 一下 可以 能 能否 能不能
    可不可以 会 要 想 想要 知道 告诉 问 问下 问一下 下 个 一个 些 一些 吗？ 呢？ 贵 贵方 贵会 你们的 麻烦 谢谢 好 嗯
    有没有 是不是 一共 总共 过 做 事情 事 需要 东西 具体
    大概 一般 主要 到底 究竟 都 哪家 啥 咋 咋样 么样 了解 介绍 说说 讲讲 看看 简单 简要 吧 呗 哦 噢 哈 嘛 或者 不能 听说
    真的 用 出 一份 场 说 怎么回事 怎么样 运作 形式 性质 目前为止 到目前为止 办过 那个 这种 那种 哪一年 哪年
    关于 对于 给 让 被 把 从 到 对 中 上 里 等 之 其 所 以 而 即 如果 因为 所以 但是 然后
    现在 目前 时候 多 很 这儿 这里 这边 那边 那儿 那里 该 跟 一起 搞 起来 办 弄 当时 那时 那时候 当年""".split()
)


def clean(text: str) -> str:
    """Remove control characters and fold Unicode compatibility forms (full-width letters, ideographic space)."""
    text = unicodedata.normalize("NFKC", text)
    # isprintable() is False for every control, format, private-use and unassigned character (category C), so
    # the character-by-character pass is only needed when it says so: rarely, and not for plain text.
    if not text.isprintable():
        text = "".join(
            ch if unicodedata.category(ch)[0] != "C" else (" " if ch in "\t\n\r" else "") for ch in text
        )
    return _SPACES_RE.sub(" ", text).strip()


_SPACES_RE = re.compile(r"\s+")


def detect_lang(text: str) -> Lang | None:
    """The language a message is written in, or None when it has no letters to tell (emoji, digits).

    Any Chinese character makes it Chinese: a member who writes "GASME的partners有哪些" reads Chinese.
    """
    if _CJK_RE.search(text):
        return "zh"
    if _LATIN_RE.search(text):
        return "en"
    return None


class _Converter:
    """Traditional to simplified Chinese, loaded once per process on first use."""

    _lock = threading.Lock()
    _impl: Any = None

    @classmethod
    def convert(cls, text: str) -> str:
        if not _CJK_RE.search(text):
            return text
        if cls._impl is None:
            with cls._lock:
                if cls._impl is None:
                    import opencc

                    cls._impl = opencc.OpenCC("t2s")
        return str(cls._impl.convert(text))


_MARKUP_RE = re.compile(r"<[^<>]{1,200}>|&[a-z]{2,8};|[*_`~]{1,3}")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Clean, lower-case, simplified-Chinese form of `text` without markup, cut to the analysed length, with chat
    shorthand written out (bot/understanding/chat_words.py), written Cantonese read as Mandarin
    (bot/understanding/cantonese.py), pinyin-input slips on the words that carry intents mended
    (bot/understanding/slips.py), and a space wherever Chinese characters meet Latin letters.

    Memoised: the handlers of one turn each start from the same text, and members ask the same things."""
    cleaned = clean(_MARKUP_RE.sub(" ", text[: MAX_ANALYSED_CHARS * 2]))[:MAX_ANALYSED_CHARS]
    simplified = chat_words.plain(_Converter.convert(cleaned.lower()))
    if not _CJK_RE.search(simplified):
        return simplified
    mandarin = slips.mend(cantonese.to_mandarin(simplified), _frequency)
    # "帮我register一下" must read "register" as a word: patterns' \b sees no edge between a Chinese character and
    # a letter (both are word characters), so the two scripts are set apart by a space.
    return _SCRIPT_EDGE_RE.sub(" ", mandarin)


class _Segmenter:
    _lock = threading.Lock()
    _impl: Any = None

    @classmethod
    def get(cls) -> Any:
        if cls._impl is None:
            with cls._lock:
                if cls._impl is None:
                    cls._impl = segmenter.tokenizer(cache_dir())
        return cls._impl


def _frequency(word: str) -> int:
    return int(_Segmenter.get().FREQ.get(word) or 0)


def forget() -> None:
    """Drop the memoised analyses (for benchmarks that must measure every text as new)."""
    normalize.cache_clear()
    _words.cache_clear()


def add_words(words: Iterable[str]) -> None:
    """Teach the Chinese segmenter words from the knowledge base (synonyms, names) so they stay whole."""
    seg = _Segmenter.get()
    for word in words:
        w = normalize(word)
        if _CJK_RE.search(w) and " " not in w:
            seg.add_word(w, freq=2000)
    _words.cache_clear()  # segmentations made before are out of date
    subwords.cache_clear()


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def words(text: str) -> list[str]:
    """All word tokens of already-normalised text, stop words included: English stems and Chinese words."""
    return list(_words(text))


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for cjk, latin in _SEGMENT_RE.findall(text):
        if cjk:
            out.extend(w for w in _Segmenter.get().lcut(cjk) if w.strip())
        else:
            out.append(_stem(latin.replace("’", "'").split("'")[0]))
    return tuple(out)


def is_stopword(token: str) -> bool:
    return token in EN_STOPWORDS or token in ZH_STOPWORDS or _stem_stop(token)


@lru_cache(maxsize=1)
def _stemmed_stopwords() -> frozenset[str]:
    return frozenset(_stem(w) for w in EN_STOPWORDS)


def _stem_stop(token: str) -> bool:
    return token in _stemmed_stopwords()


def content_tokens(text: str) -> list[str]:
    """Normalise and tokenise `text`, dropping stop words. Order kept, duplicates kept."""
    return [t for t in words(normalize(text)) if not is_stopword(t)]


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def written_in_chinese(text: str) -> bool:
    """Whether a text is Chinese prose, not English that names something in Chinese ("... on our WeChat official
    account AFBEA亚太食饮"): at least one Chinese character for every two Latin letters (a character carries about
    a word, an English word some five letters), links and e-mail addresses left aside."""
    cjk = len(_CJK_RE.findall(text))
    latin = sum(c.isascii() and c.isalpha() for c in _ADDRESSES.sub(" ", text))
    return cjk > 0 and cjk * 2 >= latin


_ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")  # links and e-mail addresses are in no language


@lru_cache(maxsize=50_000)
def subwords(token: str) -> tuple[str, ...]:
    """Dictionary words inside a long Chinese word ("联系电话" -> 联系, 电话); empty for anything else.

    jieba keeps many compounds whole, and a member's compound rarely equals the one staff wrote, so matching
    also looks at the parts.
    """
    if len(token) < 3 or not _CJK_RE.match(token):
        return ()
    parts = _Segmenter.get().lcut(token, cut_all=True, HMM=False)
    return tuple(dict.fromkeys(p for p in parts if len(p) >= 2 and p != token and not is_stopword(p)))


# An address or a link is ASCII: "\S+@\S+" took a whole Chinese message that holds an address ("我已经给info@x.eu发了
# 三次邮件都没人回，拜托派个人直接联系我好吗"), which has no space to end it.
_NOT_WORDS = re.compile(r"^\s*([!-~]+@[!-~]+|https?://[!-~]+|[\d\s.,:+()/-]+)\s*$")


def too_thin(text: str) -> bool:
    """Nothing to embed (15 ms saved): an e-mail address, a link, a number, or no content word at all ("yes",
    "ok?"). A single word is kept: "human?" and "签证" are whole requests (measured on the development sets: dropping
    one-word English messages lost a sixth of the requests for a person)."""
    if not text.strip() or _NOT_WORDS.match(text):
        return True
    return not [w for w in content_tokens(text) if not w.isdigit()]
