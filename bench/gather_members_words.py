"""Gather members' own words from the development data into bot/understanding/members_words.yaml, and embed them
into bot/understanding/members_words.npz for the default model (so a first start need not embed them).

The person classifier (bot/understanding/intent_model.py, `person_examples`) learns from these what a request for a
person looks like beyond the knowledge's few example phrases:
- `requests`: every development request for a person (tests/data/*intent_rounds.yaml, intents_eval.yaml and the
  third and fourth bases' cases.yaml, `dev` splits);
- `not_requests`: every development message that mentions people without asking for one and every small-talk
  message (the same files), and every development FAQ question, in scope or not (paraphrases.yaml, the bases'
  cases.yaml, faq_rounds.yaml): questions and friendly words, however they name staff, are not requests.
Held-out splits are read only to leave out a development message that is also held out (the same short message
sometimes stands in both); tests/test_person_classifier.py checks that none of their messages is here.

Rerunnable (deterministic): python bench/gather_members_words.py [--no-vectors]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.understanding import embedding, members_words  # noqa: E402

DATA = ROOT / "tests" / "data"
INTENT_FILES = ("second_base/intent_rounds.yaml", "third_base/intent_rounds.yaml", "fourth_base/intent_rounds.yaml",
                "intent_rounds.yaml", "intents_eval.yaml", "third_base/cases.yaml", "fourth_base/cases.yaml")
FAQ_FILES = ("paraphrases.yaml", "second_base/paraphrases.yaml", "third_base/cases.yaml", "fourth_base/cases.yaml")
HEADER = """\
# Members' own words from the development rounds, gathered by bench/gather_members_words.py: do not edit by hand.
# The person classifier learns from them what a request for a person looks like (requests), and what only mentions
# people, chats or asks a question (not_requests). Staff teach their own phrasings in knowledge/intents.yaml.
"""


def _dev(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data.get("dev") or {}


def messages(node: Any) -> list[str]:
    """Every "q" under a node of a test data file."""
    if isinstance(node, dict):
        return ([node["q"]] if isinstance(node.get("q"), str) else []) + [
            m for value in node.values() for m in messages(value)]
    if isinstance(node, list):
        return [m for value in node for m in messages(value)]
    return []


def held_out() -> set[str]:
    """Every message of every held-out split under tests/data."""
    found: set[str] = set()
    for path in sorted(DATA.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "heldout" in data:
            found.update(m.strip() for m in messages(data["heldout"]))
    return found


def gather() -> dict[str, list[str]]:
    words: dict[str, list[str]] = {members_words.REQUESTS: [], members_words.NOT_REQUESTS: []}
    for name in INTENT_FILES:
        dev = _dev(DATA / name)
        words[members_words.REQUESTS] += [item["q"] for item in dev.get("handoff", [])]
        words[members_words.NOT_REQUESTS] += [item["q"] for kind in ("not_handoff", "smalltalk")
                                              for item in dev.get(kind, [])]
    for name in FAQ_FILES:
        dev = _dev(DATA / name)
        words[members_words.NOT_REQUESTS] += [item["q"] for kind in ("in_scope", "out_of_scope") for item in dev[kind]]
    rounds: dict[str, Any] = yaml.safe_load((DATA / "faq_rounds.yaml").read_text(encoding="utf-8"))
    for items in rounds.values():
        words[members_words.NOT_REQUESTS] += [item["q"] for kind in ("in_scope", "out_of_scope")
                                              for item in items.get(kind, [])]
    # A phrase once, under its first list (a request that also stands as an FAQ question stays a request). A message
    # that a held-out split also holds (short ones recur: "/human", "在哪里报名") is left out.
    seen = held_out()
    for name, phrases in words.items():
        kept = [p for p in dict.fromkeys(p.strip() for p in phrases) if p and p not in seen]
        seen.update(kept)
        words[name] = kept
    return words


def _quoted(text: str) -> str:
    """A double-quoted YAML scalar that reads back exactly (JSON's escapes are YAML's: line breaks stay \\n)."""
    return json.dumps(text, ensure_ascii=False)


def write(words: dict[str, list[str]], path: Path) -> None:
    lines = [HEADER.rstrip("\n")]
    for name, phrases in words.items():
        lines.append(f"{name}:")
        lines += [f"  - {_quoted(p)}" for p in phrases]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-vectors", action="store_true", help="write the phrases only")
    args = ap.parse_args()
    words = gather()
    write(words, members_words.PHRASES)
    print(", ".join(f"{name}: {len(p)}" for name, p in words.items()), "->", members_words.PHRASES)
    if args.no_vectors:
        return
    embedder = embedding.load("e5")
    assert embedder is not None
    pairs = members_words.load()
    texts = [text for _, text in pairs]
    vectors = np.concatenate([embedder.encode(texts[i:i + 64], query=True) for i in range(0, len(texts), 64)])
    members_words.save_vectors(embedder, texts, vectors.astype(np.float16))
    print(f"{len(texts)} vectors ({embedder.name} {embedder.version}) -> {members_words.VECTORS}")


if __name__ == "__main__":
    main()
