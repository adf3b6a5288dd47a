"""Speed and memory of understanding with embeddings, against lexical-only matching in the same run.

1. Reading one message against FAQs of the bundled size, 1,000 and 100,000 entries: lexical search alone (the
   baseline) and the whole hybrid reading (lexical, one embedding of the message, the vector search, the FAQ
   verdict and the intent). Synthetic FAQs get synthetic vector rows shaped like the model's (synthetic_rows);
   the message is embedded by the real model every time. Each synthetic size runs in a process of its own and
   prints its memory (RSS) and the recall@3 of the vector search against the exact one (the approximate index
   takes over from GASME_ANN_FROM rows: bot/understanding/nearest.py).
2. Whole engine turns (SQLite, the bundled knowledge and 1,000 synthetic entries): hybrid against lexical-only.
3. `gasme-bot serve`: start-up time to a healthy /healthz with a cold and a warm vector cache, and its memory
   (RSS) once up, with the model loaded, against GASME_EMBEDDER=none.
Prints p50 and p99 in milliseconds. Run: python -m bench.understanding [--queries 300] [--skip-serve]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from bench.faq import perturb, synthetic_docs
from bot.engine import BotEngine
from bot.messages import Incoming
from bot.storage.database import make_engine, upgrade
from bot.understanding import embedding, hubness, text
from bot.understanding.caches import cache_dir
from bot.understanding.faq_index import FaqIndex
from bot.understanding.knowledge_base import Library, intent_rows
from bot.understanding.knowledge_files import FaqEntry, Knowledge, Text
from bot.understanding.meaning import Reader
from bot.understanding.vectors import VectorIndex

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["When was GASME founded?", "how much is the membership fee", "我司想入会，流程是怎样的",
             "你们跟联合国有关系吗", "events in Germany", "can a real human look at this", "thanks!",
             "what year was your organisation created", "有没有帮中国企业找海外合作伙伴的活动", "What's the weather?"]


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


# The lowest cosine at which an entry could be offered (below every language's suggestion threshold in
# bot/understanding/meaning.py).
SHOWN = 0.80


def synthetic_rows(size: int, base: Library, path: Path) -> np.ndarray[Any, Any]:
    """The bundled knowledge's rows, then 3 rows for each of `size` synthetic entries, written as float16 to `path`
    (the vector cache's format) and read back as a memory map, as a running bot reads its cache.

    Synthetic rows are shaped like the model's: each entry's topic mixes three real vectors of the bundled
    knowledge plus noise, and its three rows are the topic plus a little more noise, so entries crowd together as
    real questions do (a search costs the same whatever the rows hold; recall does not)."""
    reader = base.reader
    assert reader.faq_vectors is not None and reader.intent_vectors is not None
    if path.exists():  # kept from an earlier run: the index built over it is kept too (keyed by the file)
        kept: np.ndarray[Any, Any] = np.load(path, mmap_mode="r")
        if kept.shape == (len(reader.faq_vectors) + 3 * size, reader.faq_vectors.matrix.shape[1]):
            return kept
    pool = np.concatenate([np.asarray(reader.faq_vectors.matrix, dtype=np.float32),
                           np.asarray(reader.intent_vectors.matrix, dtype=np.float32)])
    first = np.asarray(reader.faq_vectors.matrix, dtype=np.float16)
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float16, shape=(len(first) + 3 * size, pool.shape[1]))
    out[: len(first)] = first
    rng = np.random.default_rng(5)
    for start in range(0, size, 10_000):
        n = min(10_000, size - start)
        picks, weights = rng.integers(0, len(pool), (n, 3)), rng.dirichlet([1, 1, 1], n).astype(np.float32)
        topics = (pool[picks] * weights[:, :, None]).sum(1) + rng.standard_normal((n, pool.shape[1])) * 0.03
        rows = np.repeat(topics, 3, axis=0) + rng.standard_normal((3 * n, pool.shape[1])) * 0.015
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        out[len(first) + 3 * start: len(first) + 3 * (start + n)] = rows.astype(np.float16)
    out.flush()
    del out
    mapped: np.ndarray[Any, Any] = np.load(path, mmap_mode="r")
    return mapped


def synthetic_library(size: int, base: Library, memory: list[float] | None = None) -> Library:
    """The bundled knowledge plus `size` synthetic entries (their vector rows: synthetic_rows)."""
    docs = synthetic_docs(size)
    extra = tuple(FaqEntry(d.id, tuple(d.questions), Text(d.answer[0])) for d in docs)
    kb = base.knowledge
    knowledge = Knowledge(kb.directory, kb.faq + extra, kb.events, kb.synonyms, kb.intents)
    from bot.understanding.faq_index import Doc

    index = FaqIndex([Doc(e.id, e.questions, e.answer.all(), e.tags) for e in knowledge.faq], kb.synonyms)
    reader = base.reader
    assert reader.faq_vectors is not None and reader.embedder is not None
    if memory is not None:
        memory.append(rss_mb())  # the model and the lexical index, before any vector of the synthetic entries
    rows = synthetic_rows(size, base, cache_dir() / f"bench-synthetic-{size}.npy")
    owners = reader.faq_vectors.owners + [d.id for d in docs for _ in range(3)]
    vectors = VectorIndex(rows, owners)
    assert reader.intent_vectors is not None
    t0 = time.perf_counter()
    phrases, phrase_vectors = intent_rows(kb)[1], reader.intent_vectors.matrix
    hubness.computed(vectors, phrases, phrase_vectors)
    t1 = time.perf_counter()
    hubness.by_language(vectors, phrases, phrase_vectors)  # as a bot does: stored if large (or read, if stored)
    t2 = time.perf_counter()
    offsets = hubness.by_language(vectors, phrases, phrase_vectors)  # as a restart does
    if memory is not None:  # the hub offsets' share of start-up: computed, and read back by a restart
        memory.extend([t1 - t0, time.perf_counter() - t2])
    hybrid = Reader(knowledge, index, reader.embedder, vectors, reader.intent_vectors, faq_offsets=offsets)
    return Library(knowledge, index, base.events, hybrid)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def search_figures(lib: Library, queries: list[np.ndarray[Any, Any]]) -> str:
    """How much of the exact search's best three entries the index in use finds too, and both searches' speed,
    same run. Three figures: recall@3 (every one of the best three); the best entry alone; and the best three
    that a reading could show (cosine from SHOWN up: a suggestion needs more than that). On synthetic rows the
    second and third entries often sit at a cosine of 0.70 with dozens of others within 0.003 of them; which of
    those the index names changes nothing a member sees."""
    vectors = lib.reader.faq_vectors
    assert vectors is not None
    os.environ["GASME_ANN_FROM"] = "0"  # the exact search over the same rows, for comparison
    exact = VectorIndex(vectors.matrix, vectors.owners)
    del os.environ["GASME_ANN_FROM"]
    every, first, shown = [], [], []
    for q in queries:
        got, want = vectors.best_by_owner(q, 3), exact.best_by_owner(q, 3)
        found = {o for o, _ in got}
        every.append(len(found & {o for o, _ in want}) / 3)
        first.append(float(got[0][0] == want[0][0]))
        showable = {o for o, score in want if score >= SHOWN}
        if showable:
            shown.append(len(found & showable) / len(showable))
    mine, theirs = iter(queries), iter(queries)
    fast = timed(lambda: vectors.best_by_owner(next(mine), 3), len(queries))
    slow = timed(lambda: exact.best_by_owner(next(theirs), 3), len(queries))
    return (f"recall@3 {statistics.mean(every):.3f}, best entry {statistics.mean(first):.3f}, showable "
            f"{statistics.mean(shown) if shown else float('nan'):.3f}; search p50/p99 {pct(fast, 50):.2f}/"
            f"{pct(fast, 99):.2f} ms against the exact product's {pct(slow, 50):.2f}/{pct(slow, 99):.2f} ms")


def near_queries(lib: Library, n: int) -> list[np.ndarray[Any, Any]]:
    """Vectors like a member's paraphrase of an entry: one of its rows, moved a little."""
    vectors = lib.reader.faq_vectors
    assert vectors is not None
    rng = np.random.default_rng(11)
    out = []
    for i in rng.integers(0, len(vectors), n):
        q = np.asarray(vectors.matrix[i], dtype=np.float32) + rng.standard_normal(vectors.matrix.shape[1]) * 0.02
        out.append((q / np.linalg.norm(q)).astype(np.float32))
    return out


def reading_at(size: int, n: int) -> None:
    """Part 1 for one synthetic size, in a process of its own, so its memory is its own."""
    base = Library.load(ROOT / "knowledge")
    rng = random.Random(3)
    memory: list[float] = []
    lib = synthetic_library(size, base, memory)
    # Entries from all over the base, not its first ones: a lookup that scans the entries costs more the further
    # down an entry is (before 2026-12-07 the bench asked about the first n entries only).
    synthetic = lib.knowledge.faq[len(base.knowledge.faq):]
    questions = [e.questions[0] for e in synthetic[:: max(1, len(synthetic) // n)][:n]]
    messages = [perturb(rng, q) for q in questions]
    reading(f"{size:,}", lib, messages)
    rss = rss_mb()
    assert base.reader.embedder is not None
    real = [base.reader.embedder.encode([m], query=True)[0] for m in messages[:50]]
    print(f"  {'':>9}          RSS {rss:6.0f} MB ({memory[0]:.0f} MB before the vectors); hub offsets (both "
          f"languages, at start-up) computed {memory[1]:.2f} s, at a restart {memory[2]:.3f} s")
    print(f"  {'':>9}          vectors like members' paraphrases: {search_figures(lib, near_queries(lib, 200))}")
    print(f"  {'':>9}          the embedded messages: {search_figures(lib, real)}")
    if size >= 10_000:  # the bundled entries sit among the synthetic ones: members' real wordings of them
        import yaml

        dev = yaml.safe_load((ROOT / "tests" / "data" / "paraphrases.yaml").read_text(encoding="utf-8"))["dev"]
        asked = base.reader.embedder.encode([item["q"] for item in dev["in_scope"]], query=True)
        print(f"  {'':>9}          members' paraphrases of the bundled entries: "
              f"{search_figures(lib, list(asked))}")


def reading(label: str, lib: Library, queries: list[str]) -> None:
    def lexical() -> None:
        text.forget()
        lib.faq.search(next(it_l), limit=3)

    def hybrid() -> None:
        text.forget()
        r = lib.reader.read(next(it_h))
        r.faq_verdict()
        r.intent()

    it_l, it_h = iter(queries * 2), iter(queries * 2)
    lex = timed(lexical, len(queries))
    hyb = timed(hybrid, len(queries))
    print(f"  {label:>9} entries: lexical p50 {pct(lex, 50):6.2f}  p99 {pct(lex, 99):6.2f} | hybrid p50 "
          f"{pct(hyb, 50):6.2f}  p99 {pct(hyb, 99):6.2f} | hybrid/lexical p99 x{pct(hyb, 99) / pct(lex, 99):.1f}")


def turns(label: str, lib: Library, n: int) -> list[float]:
    db = make_engine(f"sqlite:///{tempfile.mkdtemp()}/turns.db")
    upgrade(db)
    engine = BotEngine(lib, db, clock=lambda: datetime(2026, 11, 26, 10, tzinfo=UTC))
    msgs = iter([(f"m{i}", QUESTIONS[i % len(QUESTIONS)]) for i in range(n)])

    def one() -> None:
        user, q = next(msgs)
        text.forget()
        engine.handle(Incoming("bench", user, q))

    one()
    out = timed(one, n - 1)
    print(f"  {label:<34} turn p50 {pct(out, 50):6.2f}  p99 {pct(out, 99):6.2f} ms")
    return out


def serve_figures(embedder: str, cache: str) -> tuple[float, float]:
    """Seconds from process start to a healthy /healthz, and RSS (MB) once up."""
    port = 18000 + random.randrange(1000)
    env = {**os.environ, "GASME_EMBEDDER": embedder, "GASME_CACHE_DIR": cache, "PORT": str(port),
           "HOST": "127.0.0.1", "DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/serve.db"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot.app.cli", "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t0 < 120:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        up = time.perf_counter() - t0
        httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        rss = 0.0
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
        return up, rss
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--skip-serve", action="store_true")
    ap.add_argument("--reading-at", type=int, help=argparse.SUPPRESS)  # part 1 for one size (a child process)
    args = ap.parse_args()
    if args.reading_at:
        reading_at(args.reading_at, args.queries)
        return
    base = Library.load(ROOT / "knowledge")
    print(f"model: {embedding.configured()}; times per message in ms")
    rng = random.Random(3)
    print("1. reading one message (lexical search alone vs the whole hybrid reading)")
    reading(f"{len(base.knowledge.faq)}", base, [rng.choice(QUESTIONS) + f" {i % 7}" for i in range(args.queries)])
    sys.stdout.flush()
    for size in (1000, 100_000):
        subprocess.run([sys.executable, __file__, "--reading-at", str(size), "--queries", str(args.queries)],
                       check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    print("2. whole engine turns, SQLite")
    lexical_only = Library.load(ROOT / "knowledge", embedder_name="none")
    a = turns("bundled knowledge, lexical only", lexical_only, args.queries)
    b = turns("bundled knowledge, hybrid", base, args.queries)
    c = turns("1,000 entries, hybrid", synthetic_library(1000, base), args.queries)
    print(f"  hybrid/lexical p99 x{pct(b, 99) / pct(a, 99):.1f}; at 1,000 entries x{pct(c, 99) / pct(a, 99):.1f}")
    if args.skip_serve:
        return
    print("3. gasme-bot serve: start-up to a healthy /healthz, and memory once up")
    cache = tempfile.mkdtemp()
    for label, name, where in (("e5, cold vector cache", "e5", cache), ("e5, warm vector cache", "e5", cache),
                                   ("lexical only (none)", "none", cache)):
        up, rss = serve_figures(name, where)
        print(f"  {label:<24} start-up {up:5.2f} s   RSS {rss:6.0f} MB")


if __name__ == "__main__":
    main()
