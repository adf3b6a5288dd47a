"""Load and validate the knowledge directory (faq.yaml, events.yaml, optional synonyms.yaml and intents.yaml).

The format is a contract with staff (see knowledge/README.md). Every mistake is reported with the file, the line
and the field, and a directory with any mistake is refused whole: the bot never runs on half a knowledge base.
Each file kind has its own module (knowledge_faq, knowledge_events, knowledge_synonyms, knowledge_intents); the
shared YAML reading and checks are in knowledge_yaml, the loaded types in knowledge_model.
"""

from __future__ import annotations

from pathlib import Path

from bot.understanding.knowledge_events import load_events
from bot.understanding.knowledge_faq import load_faq
from bot.understanding.knowledge_intents import load_intents
from bot.understanding.knowledge_model import Event, FaqEntry, Knowledge, Text
from bot.understanding.knowledge_synonyms import load_synonyms
from bot.understanding.knowledge_yaml import KnowledgeError, Problem

__all__ = ["Event", "FaqEntry", "Knowledge", "KnowledgeError", "Problem", "Text", "default_dir", "load"]


def default_dir() -> Path:
    import knowledge

    return Path(knowledge.__file__).resolve().parent


def load(directory: Path | str | None = None) -> Knowledge:
    """Load and validate a knowledge directory; raise KnowledgeError listing every problem found."""
    d = Path(directory) if directory is not None else default_dir()
    problems: list[Problem] = []
    if not d.is_dir():
        raise KnowledgeError([Problem(str(d), 0, "(directory)", "no such knowledge directory")])
    faq: list[FaqEntry] = []
    events: list[Event] = []
    synonyms: list[tuple[str, ...]] = []
    for name in ("faq.yaml", "events.yaml"):
        if not (d / name).is_file():
            problems.append(Problem(name, 0, "(file)", f"missing: a knowledge directory needs {name}"))
    if (d / "faq.yaml").is_file():
        faq, p = load_faq(d / "faq.yaml")
        problems += p
    if (d / "events.yaml").is_file():
        events, p = load_events(d / "events.yaml")
        problems += p
    if (d / "synonyms.yaml").is_file():
        synonyms, p = load_synonyms(d / "synonyms.yaml")
        problems += p
    # A directory without intents.yaml uses the bundled one: staff of another association write FAQ and events,
    # the ways of asking for a person are the same everywhere.
    intents_file = d / "intents.yaml" if (d / "intents.yaml").is_file() else default_dir() / "intents.yaml"
    intents, p = load_intents(intents_file)
    problems += p
    if problems:
        raise KnowledgeError(problems)
    return Knowledge(d, tuple(faq), tuple(sorted(events, key=lambda e: e.starts)), tuple(synonyms), tuple(intents))
