"""FAQ matching speed: our index against a plain rapidfuzz full scan, on the same questions, in the same run.

Sizes: the bundled FAQ, then synthetic FAQs of 1,000, 10,000 and 100,000 entries (two questions and a short
answer each, words drawn from a Zipf-like vocabulary, so that common words have long posting lists as in real
text). Queries are entry questions with a word dropped, the order shuffled and a typo added.
Prints per-query p50 and p99 in milliseconds for both, and the ratio full-scan / index.
Run: python bench/faq.py [--sizes 1000,10000,100000] [--queries 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from rapidfuzz import fuzz, process, utils

from bot.understanding import text
from bot.understanding.faq_index import Doc, FaqIndex
from bot.understanding.knowledge_files import load

SYLLABLES = "ba be bi bo bu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so " \
            "su ta te ti to tu va ve vi vo vu za ze zi zo zu".split()


def make_vocabulary(rng: random.Random, n: int) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def synthetic_docs(n: int, seed: int = 7) -> list[Doc]:
    rng = random.Random(seed)
    vocab = make_vocabulary(rng, 20_000)
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(vocab))]

    def sentence(k: int) -> str:
        return " ".join(rng.choices(vocab, weights=weights, k=k))

    return [Doc(f"e{i}", (sentence(rng.randint(5, 9)) + "?", sentence(rng.randint(5, 9)) + "?"),
                (sentence(12),), ()) for i in range(n)]


def perturb(rng: random.Random, question: str) -> str:
    words = question.rstrip("?").split()
    if len(words) > 3:
        words.pop(rng.randrange(len(words)))
    rng.shuffle(words)
    i = rng.randrange(len(words))
    w = words[i]
    if len(w) > 4:
        j = rng.randrange(1, len(w) - 1)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # swap two letters
    return " ".join(words)


def timed(fn: Callable[[str], object], queries: list[str]) -> list[float]:
    out = []
    for q in queries:
        text.forget()  # every query measured as if new: no memoised analysis from an earlier, equal one
        t0 = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def run(label: str, docs: list[Doc], synonyms: tuple[tuple[str, ...], ...], n_queries: int, n_scan: int) -> None:
    rng = random.Random(11)
    t0 = time.perf_counter()
    index = FaqIndex(docs, synonyms)
    build = time.perf_counter() - t0
    questions = [q for d in docs for q in d.questions]
    owners = [d.id for d in docs for _ in d.questions]
    picks = [rng.randrange(len(questions)) for _ in range(n_queries)]
    queries = [perturb(rng, questions[i]) for i in picks]
    index.search(queries[0])  # warm caches (stemmer, segmenter)
    ours = timed(lambda q: index.search(q, limit=3), queries)
    scan_queries = queries[:n_scan]
    theirs = timed(lambda q: process.extractOne(q, questions, scorer=fuzz.WRatio, processor=utils.default_process),
                   scan_queries)
    hits = sum(1 for q, i in zip(queries, picks, strict=True) if (r := index.search(q, 1)) and r[0].id == owners[i])
    scan_hits = 0
    for q, i in zip(scan_queries, picks[:n_scan], strict=True):
        found = process.extractOne(q, questions, scorer=fuzz.WRatio, processor=utils.default_process)
        scan_hits += found is not None and owners[found[2]] == owners[i]
    p50, p99 = pct(ours, 50), pct(ours, 99)
    s50, s99 = pct(theirs, 50), pct(theirs, 99)
    print(f"{label:>8} entries  build {build:6.2f} s | index p50 {p50:7.3f} ms  p99 {p99:7.3f} ms  top-1 "
          f"{hits / len(queries):5.1%} | full scan p50 {s50:8.3f} ms  p99 {s99:8.3f} ms  top-1 "
          f"{scan_hits / len(scan_queries):5.1%} | scan/index p50 x{s50 / p50:6.1f}  p99 x{s99 / p99:6.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--scan-queries", type=int, default=100, help="queries for the (slow) full-scan baseline")
    args = ap.parse_args()
    kb = load()
    bundled = [Doc(e.id, e.questions, e.answer.all(), e.tags) for e in kb.faq]
    print(f"FAQ matching, {args.queries} queries per size (full scan: {args.scan_queries}); times per query")
    run(f"{len(bundled)}", bundled, kb.synonyms, args.queries, args.scan_queries)
    for size in (int(s) for s in args.sizes.split(",") if s):
        run(f"{size:,}", synthetic_docs(size), (), args.queries, args.scan_queries)


if __name__ == "__main__":
    main()
