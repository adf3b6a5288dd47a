"""FAQ answer quality on the paraphrase set in tests/data/paraphrases.yaml.

Prints, per split (dev: tuned on; heldout: never tuned on) and language:
- top-1: share of in-scope questions answered with the right entry (a suggestion list does not count);
- rejection: share of out-of-scope questions not answered from the FAQ.
Run: python bench/faq_quality.py [--knowledge DIR] [--show-errors]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.understanding.knowledge_base import Library
from handlers.faq import ANSWER_AT

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "tests" / "data" / "paraphrases.yaml"


@dataclass
class Score:
    right: int = 0
    total: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.right / self.total if self.total else 0.0


def answered(library: Library, question: str) -> str | None:
    """The FAQ id the bot would answer with, or None if it would not answer from the FAQ."""
    best = library.faq.search(question, limit=1)
    return best[0].id if best and best[0].score >= ANSWER_AT else None


def evaluate(library: Library, data: dict[str, Any], split: str) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for item in data[split]["in_scope"]:
        s = scores.setdefault(f"top1_{item['lang']}", Score())
        got = answered(library, item["q"])
        s.total += 1
        if got == item["id"]:
            s.right += 1
        else:
            s.errors.append(f"{item['q']!r}: want {item['id']}, got {got}")
    for item in data[split]["out_of_scope"]:
        s = scores.setdefault(f"reject_{item['lang']}", Score())
        got = answered(library, item["q"])
        s.total += 1
        if got is None:
            s.right += 1
        else:
            s.errors.append(f"{item['q']!r}: answered with {got}")
    return scores


def load_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return data


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--knowledge")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--split", choices=["dev", "heldout", "both"], default="both")
    args = ap.parse_args()
    library = Library.load(args.knowledge)
    data = load_data()
    for split in ("dev", "heldout") if args.split == "both" else (args.split,):
        scores = evaluate(library, data, split)
        figures = "  ".join(f"{k} {v.rate:.1%} ({v.right}/{v.total})" for k, v in sorted(scores.items()))
        print(f"{split:8s} {figures}")
        if args.show_errors:
            for k, v in sorted(scores.items()):
                for e in v.errors:
                    print(f"   {k}: {e}")


if __name__ == "__main__":
    main()
