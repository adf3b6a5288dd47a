"""Conversation quality: short dialogues through the whole bot, each turn scored, and whole conversations.

Data: tests/data/conversations.yaml (written by someone who never saw the bot or its output), against the bundled
knowledge, and tests/data/{third,fourth,second}_base/conversations.yaml (dev only,
written the same way from those associations' files; their second rounds, conversation_rounds.yaml, as bases
"third-round2", "fourth-round2" and "second-round2") against their bases, "today" 2026-11-26. Each split (`dev`:
tuned on; `heldout`: the figures to quote) has conversations of a kind (variant, event_pronoun, narrow_list,
act_on_shown, correction, language_switch, standalone, ticket_open, first_turn) and a control set: the follow-ups
asked as first messages, where no answer may be invented from a context that is not there.

Prints, per split, kind and language: turns right and whole conversations right; then per language overall, and
the control set. Run: python bench/conversation_quality.py [--split dev|heldout|both]
[--base gasme|second|third|fourth|third-round2|fourth-round2|second-round2] [--show-errors]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

# Run as a script (python bench/conversation_quality.py), the project's root is not on the path: put it there.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.faq_quality import Rate
from bot.engine import BotEngine
from bot.messages import Incoming, TurnResult
from bot.storage.database import make_engine, upgrade
from bot.understanding.knowledge_base import Library
from bot.understanding.knowledge_files import Knowledge

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "conversations.yaml"
# Knowledge and conversations by base: the bundled knowledge, and a fresh base the follow-up reader was not built on.
THIRD = ROOT / "tests" / "data" / "third_base"
FOURTH = ROOT / "tests" / "data" / "fourth_base"
SECOND = ROOT / "tests" / "data" / "second_base"
BASES = {"gasme": (ROOT / "knowledge", DATA), "third": (THIRD, THIRD / "conversations.yaml"),
         "fourth": (FOURTH, FOURTH / "conversations.yaml"), "second": (SECOND, SECOND / "conversations.yaml"),
         # second development rounds, written after the first rounds' fixes
         "third-round2": (THIRD, THIRD / "conversation_rounds.yaml"),
         "fourth-round2": (FOURTH, FOURTH / "conversation_rounds.yaml"),
         "second-round2": (SECOND, SECOND / "conversation_rounds.yaml")}
NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
_IDS = itertools.count()
# The data's kinds, as the figures are quoted.
KIND_LABELS = {"variant": "variant", "event_pronoun": "event in view", "narrow_list": "narrowing",
               "act_on_shown": "booking", "correction": "correction", "language_switch": "language switch",
               "standalone": "standalone", "ticket_open": "ticket open", "first_turn": "first turn"}
Scores = dict[str, Rate]


class Bot:
    """The bundled knowledge behind a real engine on a throw-away SQLite database."""

    def __init__(self, library: Library):
        db = make_engine(f"sqlite:///{tempfile.mkdtemp()}/conversations.db")
        upgrade(db)
        self.library = library
        self.engine = BotEngine(library, db, clock=lambda: NOW)

    def ask(self, text: str, user: str) -> TurnResult:
        return self.engine.handle(Incoming("bench", user, text))


def _text(r: TurnResult) -> str:
    return "\n".join(x.text for x in r.replies)


def failures(bot: Bot, r: TurnResult, expect: dict[str, Any]) -> list[str]:
    """What of `expect` the result misses (empty: the turn is right). The keys: see the data file's header."""
    kb = bot.library.knowledge
    text = _text(r)
    single = r.events[0] if len(r.events) == 1 and not r.listed else None  # one event's details
    checks: dict[str, Callable[[Any], bool]] = {
        "faq": lambda v: r.answer_id == v,
        "event": lambda v: list(r.events) == [v],  # its details, an answer about it, or a list of it alone
        "events": lambda v: r.listed and set(r.events) == set(v),
        "register": lambda v: r.intent == "registration" and (v in r.events or _titled(kb, v, text)),
        "lang": lambda v: r.lang == v,
        "contains": lambda v: str(v) in text,
        "unknown": lambda v: (r.intent in ("fallback", "handoff") and r.answer_id is None
                              and not r.events) == bool(v),
        "no_specific": lambda v: (r.answer_id is None and single is None) == bool(v),
    }
    return [f"{key}={value!r}" for key, value in expect.items() if not checks[key](value)]


def _titled(kb: Knowledge, event_id: str, text: str) -> bool:
    ev = kb.event_by_id(event_id)
    return ev is not None and any(title in text for title in ev.title.all())


def _got(r: TurnResult) -> str:
    shown = f" events={list(r.events)}{' (list)' if r.listed else ''}" if r.events or r.listed else ""
    return f"{r.intent} {r.answer_id or ''} {r.lang}{shown}: {_text(r)[:90]!r}"


def evaluate(bot: Bot, split: dict[str, Any]) -> Scores:
    s: Scores = defaultdict(Rate)
    for convo in split["conversations"]:
        user = f"c{next(_IDS)}"
        lang, kind = convo["lang"], convo["kind"]
        whole = True
        log: list[str] = []
        for turn in convo["turns"]:
            r = bot.ask(turn["q"], user)
            missed = failures(bot, r, turn["expect"])
            log.append(f"{turn['q']!r} -> {_got(r)}" + (f"  MISSED {missed}" if missed else ""))
            for key in (f"turns_{kind}_{lang}", f"turns_{lang}"):
                s[key].add(not missed, f"{convo['id']}: {log[-1]}")
            whole = whole and not missed
        for key in (f"convos_{kind}_{lang}", f"convos_{lang}"):
            s[key].add(whole, f"{convo['id']}:\n        " + "\n        ".join(log))
    for item in split["control"]:
        r = bot.ask(item["q"], f"k{next(_IDS)}")
        missed = failures(bot, r, item["expect"])
        s[f"control_{item['lang']}"].add(not missed, f"{item['q']!r} -> {_got(r)}  MISSED {missed}")
    return s


def run(split: str, embedder: str | None = None, base: str = "gasme") -> Scores:
    knowledge, path = BASES[base]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return evaluate(Bot(Library.load(knowledge, embedder)), data[split])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["dev", "heldout", "both"], default="both")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--embedder", choices=["e5", "use", "none"])
    ap.add_argument("--base", choices=sorted(BASES), default="gasme")
    args = ap.parse_args()
    splits = ("dev", "heldout") if args.split == "both" else (args.split,)
    for split in [s for s in splits if s == "dev" or args.base == "gasme"]:  # the third base has dev data only
        scores = run(split, args.embedder, args.base)
        kinds = sorted({k.split("_", 1)[1].rsplit("_", 1)[0] for k in scores if k.startswith("convos_")} - {""})
        print(f"{split}: turns right / whole conversations right")
        for kind in [k for k in kinds if k not in ("en", "zh")]:
            cells = [f"{lang} turns {scores[f'turns_{kind}_{lang}']} convos {scores[f'convos_{kind}_{lang}']}"
                     for lang in ("en", "zh") if f"turns_{kind}_{lang}" in scores]
            print(f"  {KIND_LABELS.get(kind, kind):16s} " + "   ".join(cells))
        for lang in ("en", "zh"):
            print(f"  {'all ' + lang:16s} turns {scores[f'turns_{lang}']}  convos {scores[f'convos_{lang}']}  "
                  f"control {scores[f'control_{lang}']}")
        if args.show_errors:
            for key in ("convos_en", "convos_zh", "control_en", "control_zh"):
                for miss in scores[key].misses:
                    print(f"    {key}: {miss}")


if __name__ == "__main__":
    main()
