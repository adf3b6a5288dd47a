"""Messages embedded together and remembered (bot/understanding/batcher.py), and read ahead of their turn
(bot/understanding/read_ahead.py), with the answers unchanged."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine

from bot.engine import BotEngine
from bot.messages import Incoming
from bot.understanding import batcher, read_ahead
from bot.understanding.batcher import QueryEncoder
from bot.understanding.knowledge_base import Library
from tests.conftest import NOW


class SlowModel:
    """A stand-in model that takes its time per call (as a real one does) and records each batch."""

    name, version, dim = "slow", "1", 4

    def __init__(self, fail_on: str | None = None):
        self.batches: list[list[str]] = []
        self.fail_on = fail_on

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray[Any, np.dtype[np.float32]]:
        self.batches.append(list(texts))
        if self.fail_on in texts:
            raise RuntimeError("model broke")
        time.sleep(0.03)
        return np.array([[len(t), t.count("a") + 1, 1.0, 2.0] for t in texts], dtype=np.float32)


def test_concurrent_messages_share_one_encode_call_and_get_their_own_rows() -> None:
    model = SlowModel()
    enc = QueryEncoder(model, max_batch=8, max_wait=0.01)
    texts = [f"question {'a' * i}" for i in range(8)]
    results: dict[str, np.ndarray[Any, Any]] = {}
    go = threading.Barrier(len(texts))

    def ask(t: str) -> None:
        go.wait()
        results[t] = enc.vector(t)

    threads = [threading.Thread(target=ask, args=(t,)) for t in texts]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(model.batches) < len(texts)  # batched: fewer calls than messages
    assert max(len(b) for b in model.batches) > 1
    for t in texts:
        assert np.array_equal(results[t], [len(t), t.count("a") + 1, 1.0, 2.0])


def test_a_batch_never_exceeds_its_size() -> None:
    model = SlowModel()
    enc = QueryEncoder(model, max_batch=3, max_wait=0.05)
    futures = [enc.submit(f"text {i}") for i in range(10)]
    for f in futures:
        f.result(timeout=5)
    assert max(len(b) for b in model.batches) <= 3
    assert sorted(t for b in model.batches for t in b) == sorted(f"text {i}" for i in range(10))


def test_a_repeated_message_is_remembered_and_the_oldest_forgotten() -> None:
    model = SlowModel()
    enc = QueryEncoder(model, max_batch=4, max_wait=0, cache_size=2)
    enc.vector("hi")
    enc.vector("hi")
    assert len(model.batches) == 1  # the second "hi" came from memory
    enc.vector("thanks")
    enc.vector("hi")  # used again: now the most recent
    enc.vector("bye")  # "thanks" is the oldest: forgotten
    assert enc.cached("hi") is not None and enc.cached("thanks") is None
    assert len(model.batches) == 3


def test_a_message_read_ahead_reaches_its_turn_even_without_memory() -> None:
    model = SlowModel()
    enc = QueryEncoder(model, max_batch=4, max_wait=0, cache_size=0)
    ahead = enc.submit("how old is the alliance", ahead=True).result(timeout=5)
    assert np.array_equal(enc.vector("how old is the alliance"), ahead)  # the turn takes the vector read ahead
    assert len(model.batches) == 1
    enc.vector("how old is the alliance")  # taken once; with no memory a later message is embedded again
    assert len(model.batches) == 2


def test_a_failing_batch_reaches_its_callers_and_the_next_one_works() -> None:
    model = SlowModel(fail_on="boom")
    enc = QueryEncoder(model, max_batch=4, max_wait=0)
    with pytest.raises(RuntimeError, match="model broke"):
        enc.vector("boom")
    assert enc.vector("fine")[0] == 4.0


@pytest.fixture
def counted() -> Iterator[list[int]]:
    """Sizes of the batches the process's encoders embed while the test runs."""
    sizes: list[int] = []

    def observe(size: int, seconds: float) -> None:
        sizes.append(size)

    batcher.observers.append(observe)
    yield sizes
    batcher.observers.remove(observe)


def test_a_message_read_ahead_is_embedded_once_and_answered_the_same(library: Library, db: Engine,
                                                                     counted: list[int]) -> None:
    engine = BotEngine(library, db, clock=lambda: NOW)
    question = "how much does it cost to join as a member company?"
    expected = library.reader.read(question).faq_verdict()
    embedded = sum(counted)
    other = "what year did the alliance get started and who set it up, thanks"
    result = asyncio.run(engine.handle_async(Incoming("test", "u-ahead", other, chat_id="u-ahead")))
    assert sum(counted) == embedded + 1  # read ahead; the turn itself embedded nothing more
    again = asyncio.run(engine.handle_async(Incoming("test", "u-ahead2", question, chat_id="u-ahead2")))
    assert sum(counted) == embedded + 1  # remembered
    assert expected.band == "answer" and again.answer_id == expected.options[0] == "membership-fees"
    assert result.intent == "fallback" and result.replies[0].buttons[0].payload == "/faq founding"


def test_no_read_ahead_where_the_turn_needs_no_model(library: Library) -> None:
    def worth_embedding(text: str) -> str | None:
        return read_ahead.worth_embedding(library, text, NOW)

    assert worth_embedding("/faq founding") is None  # a button payload
    assert worth_embedding("When was GASME founded?") is None  # a staff question word for word
    assert worth_embedding("member7@example.com") is None  # nothing to embed
    assert worth_embedding("thanks") is None  # an example phrase of an intent
    assert worth_embedding("events in Germany") is None  # only the calendar answers it
    assert worth_embedding("下个月有什么活动") is None
    assert worth_embedding("how old is this alliance") == "how old is this alliance"


def test_a_value_asked_for_by_the_form_is_not_embedded_ahead(library: Library, db: Engine,
                                                             counted: list[int]) -> None:
    engine = BotEngine(library, db, clock=lambda: NOW)

    def say(text: str) -> str:
        result = asyncio.run(engine.handle_async(Incoming("test", "u-form", text, chat_id="u-form")))
        return "\n".join(r.text for r in result.replies)

    assert "name" in say("/register global-sme-expo-2027").lower()
    before = sum(counted)
    assert "company" in say("Mei-Ling Vandersloot Okonkwo").lower()
    assert "email" in say("Shenzhen Brightwave Photonics Trading").lower()
    assert sum(counted) == before  # the name and the company were never embedded
    # A question in the middle of the form is still read by meaning (the turn embeds it), and the form goes on.
    said = say("is there a fee for non-member companies to come to your events")
    assert sum(counted) == before + 1 and "email" in said.lower()


def test_a_calendar_question_costs_no_embedding(library: Library, db: Engine, counted: list[int]) -> None:
    engine = BotEngine(library, db, clock=lambda: NOW)
    before = sum(counted)
    for n, text in enumerate(("events in Germany", "下个月有什么活动", "what's coming up")):
        result = asyncio.run(engine.handle_async(Incoming("test", f"u-cal{n}", text, chat_id=f"u-cal{n}")))
        assert result.intent == "events", text
    assert sum(counted) == before  # neither read ahead nor embedded by the turn


class OverlapModel(SlowModel):
    """Records how many calls were inside the model at once."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = self.most = 0
        self._count = threading.Lock()

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray[Any, np.dtype[np.float32]]:
        with self._count:
            self.inside += 1
            self.most = max(self.most, self.inside)
        try:
            return super().encode(texts, query=query)
        finally:
            with self._count:
                self.inside -= 1


@pytest.mark.parametrize("threads", [1, 2])
def test_the_encoding_threads_work_side_by_side(threads: int) -> None:
    """Each encoding thread takes its own batches: with two, two batches are in the model at once (each thread has
    an engine of its own in the e5 model), and every caller still gets its own row."""
    model = OverlapModel()
    enc = QueryEncoder(model, max_batch=1, max_wait=0, threads=threads)
    futures = {f"text {'a' * i}": enc.submit(f"text {'a' * i}") for i in range(8)}
    for text, fut in futures.items():
        assert np.array_equal(fut.result(timeout=5), [len(text), text.count("a") + 1, 1.0, 2.0])
    assert model.most == threads
    assert len(model.batches) == 8


def test_two_e5_engines_give_the_vectors_one_gives() -> None:
    """The e5 model with two engines, called from two threads at once: the same vector, bit for bit, as one
    engine alone gives for each text."""
    from bot.understanding.embedding import E5Embedder

    one, two = E5Embedder(engines=1), E5Embedder(engines=2)
    texts = ["How much does membership cost?", "下个月在深圳有活动吗", "can I bring a colleague", "签证邀请函怎么办"]
    expected = {t: one.encode([t], query=True)[0] for t in texts}
    got: dict[str, list[np.ndarray[Any, Any]]] = {t: [] for t in texts}
    go = threading.Barrier(4)

    def ask(offset: int) -> None:
        go.wait()
        for i in range(8):
            t = texts[(i + offset) % len(texts)]
            got[t].append(two.encode([t], query=True)[0])

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert two._made == 2  # the second engine was made when two calls met, and no more
    for t in texts:
        assert len(got[t]) == 8 and all(np.array_equal(v, expected[t]) for v in got[t])
