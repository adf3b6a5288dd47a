"""Answer quality, measured through the whole bot: each question goes through the engine as a new member's first
message, exactly as a member's message would.

Data (written by people who never saw the matcher or its output):
- tests/data/paraphrases.yaml: members' questions about the bundled GASME knowledge;
- tests/data/second_base/: another association's FAQ (one staff phrasing per entry, some answers in English only)
  with its own paraphrases and out-of-scope questions, near misses marked;
- tests/data/third_base/: a third association's FAQ and events (one phrasing per entry, sibling entries,
  English-only entries) with its cases: paraphrases, near misses, requests for a person, messages that only mention
  staff, small talk and registration wishes that describe an event loosely (`register_event`: the form started for
  the one event that fits, a choice among exactly those that fit, or no form when none is open);
- tests/data/fourth_base/: a fourth association's FAQ and events (food and drink exporters in the Asia-Pacific),
  written the same way as the third and with the same kinds of cases, after every rule of the readers so far;
- tests/data/intents_eval.yaml: requests for a person, messages that only mention people, small talk,
  registration wishes, language switches and "back to the bot", asked against the second base;
- tests/data/faq_rounds.yaml (dev only, reported as `<base>_rounds`): FAQ questions that also carry words other
  parts of the bot react to (dates, events, booking words, staff, language names, greetings, complaints), plain
  questions, and (round 29) near misses and unrelated questions;
- tests/data/{second,third,fourth}_base/intent_rounds.yaml and tests/data/intent_rounds.yaml (the bundled base's)
  (dev only, reported as `<base>_intent_rounds`): later rounds of each base's intent cases.
Each has a `dev` split (thresholds were tuned on it) and a `heldout` split (never tuned on; the figures to quote).

Prints, per base, split and language:
- answered: in-scope questions answered with the right entry; wrong: answered with another entry;
- offered: the right entry answered or offered as a "Did you mean" button;
- rejected: out-of-scope questions not answered from the FAQ (near misses counted separately too);
and for the intents: requests for a person recognised (a ticket, or the bot asking whether to pass it on or what
the question is), messages that merely mention people left alone, small talk, registration, language, back to bot.
Each figure is printed for the calibrated decision and for today's thresholds side by side (`calibrated / today`);
--show-errors lists the calibrated decision's misses.
Run: python bench/faq_quality.py [--split dev|heldout|both] [--show-errors] [--embedder e5|use|none]
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.engine import BotEngine
from bot.messages import Incoming, TurnResult
from bot.storage.database import make_engine, upgrade
from bot.understanding.knowledge_base import Library

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
BASES = {"gasme": (ROOT / "knowledge", DATA / "paraphrases.yaml"),
         "second": (DATA / "second_base", DATA / "second_base" / "paraphrases.yaml"),
         "third": (DATA / "third_base", DATA / "third_base" / "cases.yaml"),
         "fourth": (DATA / "fourth_base", DATA / "fourth_base" / "cases.yaml")}
ROUNDS = DATA / "faq_rounds.yaml"
# The third and fourth bases' cases files also hold intent cases (requests for a person, small talk, loose
# registration).
INTENT_KINDS = ("handoff", "not_handoff", "smalltalk", "register")
_IDS = itertools.count()


@dataclass
class Rate:
    hits: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, hit: bool, note: str, hit_is_error: bool = False) -> None:
        """`hit_is_error`: the rate counts errors (wrong answers), so the notes worth showing are the hits."""
        self.total += 1
        self.hits += hit
        if hit == hit_is_error:
            self.misses.append(note)

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.rate:.2f} ({self.hits}/{self.total})"


Scores = dict[str, Rate]


class Bot:
    """One knowledge base behind a real engine on a throw-away SQLite database."""

    def __init__(self, library: Library):
        db = make_engine(f"sqlite:///{tempfile.mkdtemp()}/quality.db")
        upgrade(db)
        self.engine = BotEngine(library, db, clock=lambda: NOW)

    def ask(self, text: str, user: str | None = None) -> TurnResult:
        return self.engine.handle(Incoming("bench", user or f"m{next(_IDS)}", text))


def _buttons(result: TurnResult) -> list[str]:
    return [b.payload for r in result.replies for b in r.buttons]


def evaluate_faq(bot: Bot, items: dict[str, Any]) -> Scores:
    s: Scores = defaultdict(Rate)
    for item in items["in_scope"]:
        r = bot.ask(item["q"])
        lang, want = item["lang"], item["id"]
        note = f"{item['q']!r}: want {want}, got {r.answer_id or r.intent} {_buttons(r)}"
        s[f"answered_{lang}"].add(r.answer_id == want, note)
        s[f"wrong_{lang}"].add(r.answer_id is not None and r.answer_id != want, note, hit_is_error=True)
        s[f"offered_{lang}"].add(r.answer_id == want or f"/faq {want}" in _buttons(r), note)
    for item in items["out_of_scope"]:
        r = bot.ask(item["q"])
        note = f"{item['q']!r}: answered with {r.answer_id}"
        s[f"rejected_{item['lang']}"].add(r.answer_id is None, note)
        if item.get("kind") == "near_miss":
            s[f"near_miss_rejected_{item['lang']}"].add(r.answer_id is None, note)
    return s


_LANG_WORDS = (("zh", ("chinese", "mandarin", "中文", "汉语", "普通话", "華語", "中國話")),
               ("en", ("english", "英文", "英语")))
_NEGATION = re.compile(r"\b(don't|dont|do not|can't|cant|cannot|not|no)\b|不懂|看不懂|不会|不太|不要")


def _target_lang(text: str, written: str) -> str:
    """The language a switch asks for: one it names in a clause that does not deny it ("i don't read chinese,
    english pls": English; "看不懂英文" asks for Chinese); when it names none ("switch language", "换个语言"), the
    other one than the member writes in."""
    wanted: list[str] = []
    denied: list[str] = []
    for clause in re.split(r"[,，.。;；!！?？]| but ", text.lower()):
        named = [lang for lang, words in _LANG_WORDS if any(w in clause for w in words)]
        (denied if _NEGATION.search(clause) else wanted).extend(named)
    if wanted:
        return wanted[-1]
    if denied:
        return "en" if denied[-1] == "zh" else "zh"
    return "zh" if written == "en" else "en"


def evaluate_intents(bot: Bot, items: dict[str, Any]) -> Scores:
    s: Scores = defaultdict(Rate)
    for intent, questions in items.items():
        for item in questions:
            text, lang = item["q"], item["lang"]
            if intent == "back_to_bot":
                user = f"m{next(_IDS)}"
                bot.ask("/human", user)
                bot.ask("We need help with an invoice for our booth.", user)
                r = bot.ask(text, user)
                rows = [t for t in bot.engine.staff.listing(include_resolved=True) if t["user_id"] == user]
                s[f"back_to_bot_{lang}"].add(bool(rows) and rows[0]["status"] == "resolved", f"{text!r}: {r.intent}")
                continue
            r = bot.ask(text)
            note = f"{text!r}: {r.intent} {r.answer_id or ''} {_buttons(r)}"
            if intent == "handoff":
                s[f"handoff_{lang}"].add(r.intent == "handoff", note)
            elif intent == "not_handoff":
                s[f"not_handoff_{lang}"].add(r.intent != "handoff" and not r.handoff, note)
            elif intent == "smalltalk":
                s[f"smalltalk_{lang}"].add(r.intent == "smalltalk", note)
            elif intent == "language":
                s[f"language_{lang}"].add(r.lang == _target_lang(text, lang), note)
            elif intent == "register" and "event" in item:
                s[f"register_event_{lang}"].add(_right_registration(r, item["event"]), note + f" {r.events}")
            else:  # register, my_registrations, cancel_registration
                s[f"{intent}_{lang}"].add(r.intent == "registration", note)
    return s


def _right_registration(r: TurnResult, want: str | list[str] | None) -> bool:
    """The form started for the one event that fits; a choice among exactly the events that fit; or, when no open
    event fits, no form at all (the member is told why and shown what is open)."""
    if r.intent != "registration":
        return False
    started = len(r.events) == 1 and not r.listed  # a form for one event (a choice is a list of the events offered)
    if isinstance(want, str):
        return started and r.events == (want,)
    offered = {p.split()[1] for p in _buttons(r) if p.startswith("/register ")}
    if want is None:
        return not started
    return not started and offered == set(want)


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def run(split: str, embedder: str | None = None, decision: str | None = None) -> dict[str, Scores]:
    """Scores by base ("gasme", "second", "third", "intents") for one split; `decision`: the FAQ decision
    ("calibrated" or "thresholds"; GASME_DECISION by default)."""
    out: dict[str, Scores] = {}
    bots = {name: Bot(Library.load(kdir, embedder, decision)) for name, (kdir, _) in BASES.items()}
    for name, (_, questions) in BASES.items():
        cases = load(questions)[split]
        out[name] = evaluate_faq(bots[name], cases)
        if name in ("third", "fourth"):
            out[f"{name}_intents"] = evaluate_intents(bots[name], {k: cases[k] for k in INTENT_KINDS})
        rounds = questions.with_name("intent_rounds.yaml")  # later development rounds of intent cases
        if rounds.exists() and split in load(rounds):
            out[f"{name}_intent_rounds"] = evaluate_intents(bots[name], load(rounds)[split])
    out["intents"] = evaluate_intents(bots["second"], load(DATA / "intents_eval.yaml")[split])
    if split == "dev":
        for name, items in load(ROUNDS).items():
            out[f"{name}_rounds"] = evaluate_faq(bots[name], {"in_scope": items["in_scope"],
                                                              "out_of_scope": items.get("out_of_scope", [])})
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["dev", "heldout", "both"], default="both")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--embedder", choices=["e5", "use", "none"])
    args = ap.parse_args()
    print("each figure: calibrated decision / today's thresholds (GASME_DECISION=calibrated / thresholds)")
    for split in ("dev", "heldout") if args.split == "both" else (args.split,):
        today = run(split, args.embedder, "thresholds")
        for base, scores in run(split, args.embedder, "calibrated").items():
            print(f"{split:8s} {base:8s} " + "  ".join(f"{k} {v} / {today[base][k]}"
                                                      for k, v in sorted(scores.items())))
            if args.show_errors:
                for k, v in sorted(scores.items()):
                    for miss in v.misses:
                        print(f"      {k}: {miss}")
    sys.path.insert(0, str(ROOT))  # run as a script, `bench` is not yet importable as a package
    from bench.learning_quality import learning_section

    print("\n".join(learning_section("dev", args.embedder)))


if __name__ == "__main__":
    main()
