"""Intents read by a small classifier over the message's sentence embedding, trained at start-up.

The nearest example phrase alone missed many wordings: a request for a person with a complaint or a question
attached sits as close to an FAQ question as to any one example, and a question about staff sits close to a
request for one. A multinomial logistic regression over the same e5 vector the turn already computes weighs every
example at once (Rasa's intent classifiers over sentence features work the same way):

- one class per intent in intents.yaml (`EXACT_ONLY` intents excepted), and
- a "none" class: the FAQ's questions (and phrasings staff taught), the `mentions_staff` and `other_questions`
  counter-examples, and the phrases of the intents recognised word for word only (so "stop the newsletter" is
  not read as "cancel my registration").

Training phrases are embedded as queries, as a member's message is (e5 tells queries from passages). The trained
weights are kept in the vector cache under a hash of the model, the training phrases and this module's settings:
a restart with the same knowledge loads them in milliseconds.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.understanding import caches, members_words
from bot.understanding.embedding import Embedder
from bot.understanding.vectors import embed_cached

log = logging.getLogger(__name__)
F32 = np.ndarray[Any, np.dtype[np.float32]]

NONE = "none"
# The classifiers' bands (read in bot/understanding/meaning.py), tuned on the development sets only: an intent is
# read when its probability reaches INTENT_CHANCE, or INTENT_OVER_ANSWER where the FAQ would answer (lower, and
# intents took FAQ questions); a person is offered (asked first) when the person classifier's chance reaches
# PERSON_ASK, and a ticket opens without asking from PERSON_SURE (0.8 until the person classifier: on development
# rounds 47 to 49 held out of its training, 0.85 opened a third fewer tickets for messages that only mention people).
INTENT_CHANCE, INTENT_OVER_ANSWER = 0.5, 0.8
PERSON_ASK, PERSON_SURE = 0.3, 0.85
# The person classifier is surer of more messages than the intents' classifier: its chance counts from 0.4 (at 0.3,
# on development rounds 47 to 49 held out of its training, it asked about a quarter more non-requests).
REQUEST_ASK = 0.4
PERSON = "person"  # the person classifier's class: a request for a person, or a member the bot is failing
PERSON_INTENTS = ("handoff", "frustrated")
# At most this many FAQ questions join the "none" class (spread evenly over the entries): a base of 100,000
# entries would otherwise cost minutes of embedding at the first start for no better boundary.
MAX_FAQ_EXAMPLES = 1500
# Training settings (tuned on the development sets only). Strong L2 keeps the probabilities soft, so a message
# unlike every example lands between classes rather than confidently in one.
EPOCHS = 300
LEARNING_RATE = 0.05
L2 = 3e-2
# "h": trained on the phrases' vectors as the cache keeps them (float16), on a first start as on a restart
# (vectors.embed_cached); weights trained before on fresh float32 vectors are trained again once.
FORMAT = f"lr1h-e{EPOCHS}-l{LEARNING_RATE}"
# The person classifier learns from thousands of members' words: a weaker penalty fits them closer (chosen on
# development rounds 47 to 49 held out of its training: at 3e-2 it asked about a third more non-requests).
PERSON_L2 = 3e-3


@dataclass(frozen=True)
class IntentModel:
    classes: tuple[str, ...]
    mean: F32  # features are centred and scaled: the model's vectors lie in a narrow cone
    scale: F32
    weights: F32  # (dim, classes)
    bias: F32

    def chances(self, vector: F32) -> dict[str, float]:
        """Each class's probability for one message vector."""
        logits: F32 = (((vector - self.mean) * self.scale) @ self.weights + self.bias).astype(np.float32)
        p = _softmax(logits[None, :])[0]
        return {c: float(x) for c, x in zip(self.classes, p, strict=True)}


def person_chance(chances: dict[str, float], request: float | None) -> float:
    """How likely a message asks for a person or is fed up with the bot, from the intents' classifier's `chances`
    and the person classifier's `request` (None without one).

    The intents' classifier still counts: it holds the phrases staff add when the bot missed a request, and anger
    at the bot ("frustrated"), which members' words do not teach. The person classifier counts from its own band.
    It is a classifier of its own because, added to the intents' classifier, thousands of requests crowded out the
    thirty phrases of each small-talk kind."""
    own = sum(chances.get(n, 0.0) for n in PERSON_INTENTS)
    return own if request is None else max(request if request >= REQUEST_ASK else 0.0, own)


def person_verdict(chances: dict[str, float], request: float | None, answers: bool) -> tuple[str, float] | None:
    """Whether a message asks for a person ("handoff") or is fed up with the bot ("frustrated"), and how likely;
    None if neither. `answers`: the FAQ would answer the message. Over an answer the intents' classifier counts
    alone: the person classifier read "unrelated - where can i download an invoice ...?" as a request (0.93), and
    letting it ask over answers from 0.9 or 0.95 (the answer offered beside) won as many requests as it lost
    answers on development data left out of its training."""
    chance = person_chance(chances, None if answers else request)
    if chance < (INTENT_OVER_ANSWER if answers else PERSON_ASK):
        return None
    asks = max(request or 0.0, chances.get("handoff", 0.0))
    return "handoff" if asks >= chances.get("frustrated", 0.0) else "frustrated", chance


def _softmax(z: F32) -> F32:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    out: F32 = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return out


def train(vectors: F32, labels: Sequence[str], l2: float = L2) -> IntentModel:
    """Multinomial logistic regression by full-batch Adam. About a second for 1,000 phrases on one core."""
    classes = (*sorted(set(labels) - {NONE}), NONE)
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[label] for label in labels], dtype=np.int64)
    x = np.asarray(vectors, dtype=np.float32)
    mean = x.mean(axis=0)
    scale = (1.0 / np.maximum(x.std(axis=0), 1e-3)).astype(np.float32)
    x = (x - mean) * scale
    n, dim = x.shape
    k = len(classes)
    # Every example counts alike, so the "none" class keeps the weight of its many examples: with the classes
    # weighted to count alike, intents took a tenth of the development FAQ questions from the FAQ.
    sample_w = np.full(n, 1.0 / n, dtype=np.float32)
    onehot = np.zeros((n, k), dtype=np.float32)
    onehot[np.arange(n), y] = 1.0
    w = np.zeros((dim, k), dtype=np.float32)
    b = np.zeros(k, dtype=np.float32)
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    for step in range(1, EPOCHS + 1):
        err = (_softmax(x @ w + b) - onehot) * sample_w[:, None]
        g_w = x.T @ err + l2 * w
        g_b = err.sum(axis=0)
        for p, g, m, v in ((w, g_w, m_w, v_w), (b, g_b, m_b, v_b)):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= LEARNING_RATE * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return IntentModel(classes, mean.astype(np.float32), scale, w, b)


def examples(intents: Sequence[tuple[str, Sequence[str]]], faq_questions: Sequence[str],
             counter: frozenset[str], exact_only: frozenset[str]) -> list[tuple[str, str]]:
    """(label, phrase) pairs: the intents' phrases under their names, everything else under "none"."""
    out: list[tuple[str, str]] = []
    for name, phrases in intents:
        label = NONE if name in counter or name in exact_only else name
        out += [(label, p) for p in phrases]
    out += _faq_sample(faq_questions)
    return list(dict.fromkeys(out))


def _faq_sample(faq_questions: Sequence[str]) -> list[tuple[str, str]]:
    """At most `MAX_FAQ_EXAMPLES` FAQ questions, spread evenly over the entries, as "none" examples."""
    step = max(1, -(-len(faq_questions) // MAX_FAQ_EXAMPLES))
    return [(NONE, q) for q in faq_questions[::step]]


def person_examples(intents: Sequence[tuple[str, Sequence[str]]], faq_questions: Sequence[str],
                    words: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, phrase) pairs of the person classifier: "person" for the phrases of `PERSON_INTENTS` and the requests
    among members' words, "none" for everything else the knowledge and members' words hold."""
    out = [(PERSON if name in PERSON_INTENTS else NONE, p) for name, phrases in intents for p in phrases]
    out += _faq_sample(faq_questions)
    # Members' words last and as they are: their vectors ship in this order (trained(..., shipped=len(words))).
    return [*dict.fromkeys(out), *((PERSON if name == members_words.REQUESTS else NONE, p) for name, p in words)]


def trained(embedder: Embedder, pairs: Sequence[tuple[str, str]], shipped: int = 0, l2: float = L2) -> IntentModel:
    """The model for these (label, phrase) pairs: from the cache when the same pairs were trained on before.
    `shipped`: the last `shipped` pairs are members' words, whose vectors ship with the code (members_words.py)."""
    digest = hashlib.sha256(f"{embedder.name}\0{embedder.version}\0{FORMAT}\0{l2}".encode())
    for label, text in pairs:
        digest.update(f"{label}\0{text}\0".encode("utf-8", "surrogatepass"))
    path = caches.cache_dir() / f"intents-{digest.hexdigest()[:32]}.npz"
    try:
        with np.load(path) as f:
            return IntentModel(tuple(str(c) for c in f["classes"]), f["mean"], f["scale"], f["weights"], f["bias"])
    except (OSError, ValueError, KeyError):
        pass  # not trained yet, or unreadable: train below
    texts = [text for _, text in pairs]
    own = len(texts) - shipped
    vectors = embed_cached(embedder, texts[:own], query=True)
    if shipped:
        vectors = np.concatenate([vectors, members_words.vectors(embedder, texts[own:])])
    model = train(np.asarray(vectors, dtype=np.float32), [label for label, _ in pairs], l2)
    try:
        caches.store(path, lambda name: _save_npz(name, model))
    except OSError as exc:
        log.info("intent model not cached (%s): the next start trains it again", exc)
    return model


def _save_npz(name: str, model: IntentModel) -> None:
    with open(name, "wb") as f:  # a file, not a name: numpy would add ".npz" to the name
        np.savez(f, classes=np.array(model.classes), mean=model.mean, scale=model.scale, weights=model.weights,
                 bias=model.bias)
