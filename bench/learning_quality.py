"""Learning from members' choices, measured through the whole bot: for each question that got "did you mean"
buttons with the right entry among them, two new members ask it and pick that entry; once every process has
reloaded (as the reloader does every GASME_RELOAD_SECONDS), a third member asks. Figures per base and language:

- learned: share of those questions answered directly, with the right entry, for the third member (target 0.95);
- retyped: the same, with the third member typing the words otherwise (case, punctuation);
- wrong: share answered with another entry after the learning;
- suggested: how many questions got the right entry among the buttons (not answered) in the first place.

All questions of a base are learned in one database, as a deployment would learn them over weeks, so phrasings
taught for one entry can get in the way of another's.
Run: python bench/learning_quality.py [--split dev|heldout] [--embedder e5|use|none]
"""

from __future__ import annotations

import argparse
import itertools
import logging
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.app.reloader import Reloader
from bot.engine import BotEngine
from bot.messages import Incoming, TurnResult
from bot.storage.database import make_engine, upgrade
from bot.understanding.knowledge_base import Library

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
BASES = {"gasme": (ROOT / "knowledge", DATA / "paraphrases.yaml"),
         "second": (DATA / "second_base", DATA / "second_base" / "paraphrases.yaml"),
         "third": (DATA / "third_base", DATA / "third_base" / "cases.yaml")}


@dataclass
class Figures:
    asked: int = 0
    offered: int = 0  # got "did you mean" buttons with the right entry among them
    learned: int = 0
    retyped: int = 0
    wrong: int = 0

    def line(self) -> str:
        n = max(self.offered, 1)
        return (f"learned {self.learned / n:.2f} ({self.learned}/{self.offered})  "
                f"retyped {self.retyped / n:.2f} ({self.retyped}/{self.offered})  "
                f"wrong {self.wrong / n:.2f} ({self.wrong}/{self.offered})  "
                f"suggested {self.offered}/{self.asked}")


def _offers(result: TurnResult) -> list[str]:
    return [b.payload.split()[1] for r in result.replies for b in r.buttons if b.payload.startswith("/faq ")]


def _retyped(text: str) -> str:
    return re.sub(r"[?？!！.。,，]+", " ", text).strip().lower()


def measure(knowledge_dir: Path, items: list[dict[str, Any]], embedder: str | None = None) -> dict[str, Figures]:
    """The figures per language for one base's in-scope questions, learned together in one database."""
    db = make_engine(f"sqlite:///{tempfile.mkdtemp()}/learning.db")
    upgrade(db)
    engine = BotEngine(Library.load(knowledge_dir, embedder), db, clock=lambda: NOW)
    reloader = Reloader(engine)
    ids = itertools.count()

    def ask(text: str, user: str | None = None) -> TurnResult:
        return engine.handle(Incoming("bench", user or f"m{next(ids)}", text))

    out: dict[str, Figures] = defaultdict(Figures)
    chosen: list[dict[str, Any]] = []
    for item in items:
        out[item["lang"]].asked += 1
        first, second = f"m{next(ids)}", f"m{next(ids)}"
        if item["id"] not in _offers(ask(item["q"], first)):
            continue
        out[item["lang"]].offered += 1
        chosen.append(item)
        for member in (first, second):  # each picks the right entry among the buttons they got
            if member == first or item["id"] in _offers(ask(item["q"], member)):
                ask(f"/faq {item['id']}", member)
    reloader.check()
    for item in chosen:
        third, fourth = ask(item["q"]), ask(_retyped(item["q"]))
        out[item["lang"]].learned += third.answer_id == item["id"]
        out[item["lang"]].retyped += fourth.answer_id == item["id"]
        out[item["lang"]].wrong += third.answer_id not in (None, item["id"])
    engine.executor.shutdown()
    db.dispose()
    return out


def learning_section(split: str = "dev", embedder: str | None = None) -> list[str]:
    """The section's lines: per base and language, a third member answered directly after two members chose."""
    lines = [f"learning from choices ({split}): two members pick the right \"did you mean\" entry, a third asks"]
    for name, (kdir, questions) in BASES.items():
        items = yaml.safe_load(questions.read_text(encoding="utf-8"))[split]["in_scope"]
        for lang, figures in sorted(measure(kdir, items, embedder).items()):
            lines.append(f"  {name:8s} {lang}  {figures.line()}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["dev", "heldout"], default="dev")
    ap.add_argument("--embedder", choices=["e5", "use", "none"])
    args = ap.parse_args()
    logging.getLogger("bot").setLevel(logging.ERROR)  # not a line per reload
    print("\n".join(learning_section(args.split, args.embedder)))


if __name__ == "__main__":
    main()
