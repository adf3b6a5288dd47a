"""Load and validate the knowledge directory (faq.yaml, events.yaml, optional synonyms.yaml).

The format is a contract with staff (see knowledge/README.md). Every mistake is reported with the file, the line
and the field, and a directory with any mistake is refused whole: the bot never runs on half a knowledge base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry
import yaml

from bot.messages import LANGS, Lang

ID_RE = re.compile(r"^[a-z0-9-]+$")


def default_dir() -> Path:
    import knowledge

    return Path(knowledge.__file__).resolve().parent


@dataclass(frozen=True)
class Text:
    """A text in several languages; `en` is always present."""

    en: str
    zh: str | None = None

    def get(self, lang: Lang) -> str:
        return (self.zh if lang == "zh" else None) or self.en

    def all(self) -> list[str]:
        return [t for t in (self.en, self.zh) if t]


@dataclass(frozen=True)
class FaqEntry:
    id: str
    questions: tuple[str, ...]
    answer: Text
    handoff: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    id: str
    title: Text
    starts: datetime  # aware, in the venue's time zone
    timezone: str
    ends: datetime | None = None
    city: Text | None = None
    country: str | None = None
    venue: str | None = None
    capacity: int | None = None
    registration_closes: datetime | None = None
    description: Text | None = None
    tags: tuple[str, ...] = ()

    @property
    def finishes(self) -> datetime:
        return self.ends or self.starts


@dataclass(frozen=True)
class Knowledge:
    directory: Path
    faq: tuple[FaqEntry, ...]
    events: tuple[Event, ...]
    synonyms: tuple[tuple[str, ...], ...] = ()
    # Example phrases by intent ("handoff", "smalltalk.thanks", "language.zh", ...): intents.yaml
    intents: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def faq_by_id(self, entry_id: str) -> FaqEntry | None:
        return next((e for e in self.faq if e.id == entry_id), None)

    def event_by_id(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class KnowledgeError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --- YAML with line numbers -------------------------------------------------------------------------------------


class _Map(dict[str, Any]):
    line: int
    key_lines: dict[str, int]


class _Seq(list[Any]):
    line: int
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers on which line each mapping, key and list item starts (1-based)."""


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    m = _Map()
    m.line = node.start_mark.line + 1
    m.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        m[str(key)] = loader.construct_object(value_node, deep=True)
        m.key_lines[str(key)] = key_node.start_mark.line + 1
    return m


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> _Seq:
    s = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    s.line = node.start_mark.line + 1
    s.item_lines = [child.start_mark.line + 1 for child in node.value]
    return s


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)


class _Checker:
    """Collects problems for one file; each `want_*` returns a value or None after recording a problem."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int, fld: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, fld, message))

    def load_list(self, path: Path) -> _Seq | None:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
        except UnicodeDecodeError as exc:
            self.add(1, "(file)", f"not UTF-8 text ({exc.reason})")
            return None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            self.add(mark.line + 1 if mark else 1, "(syntax)", f"YAML syntax error: {exc.problem or exc}")
            return None
        if data is None:
            empty = _Seq()
            empty.line, empty.item_lines = 1, []
            return empty
        if not isinstance(data, _Seq):
            self.add(getattr(data, "line", 1), "(file)", "must be a list of entries (lines starting with '- ')")
            return None
        return data

    def check_keys(self, item: _Map, where: str, allowed: set[str], required: set[str]) -> None:
        for key in item:
            if key not in allowed:
                allowed_list = ", ".join(sorted(allowed))
                self.add(item.key_lines[key], f"{where}.{key}", f"unknown field (allowed: {allowed_list})")
        for key in sorted(required - item.keys()):
            self.add(item.line, f"{where}.{key}", "required field is missing")

    def line_of(self, item: _Map, key: str) -> int:
        return item.key_lines.get(key, item.line)

    def want_id(self, item: _Map, where: str, seen: dict[str, int]) -> str | None:
        value = item.get("id")
        if value is None:
            return None
        line = self.line_of(item, "id")
        if not isinstance(value, str) or not ID_RE.match(value):
            self.add(line, f"{where}.id", f"{value!r} is not a valid id: use lower-case letters, digits and '-'")
            return None
        if value in seen:
            self.add(line, f"{where}.id", f"duplicate id {value!r} (first used on line {seen[value]})")
            return None
        seen[value] = line
        return value

    def want_text(self, item: _Map, key: str, where: str) -> Text | None:
        if key not in item:
            return None
        value, line = item[key], self.line_of(item, key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            text = str(value).strip()
            if not text:
                self.add(line, f"{where}.{key}", "must not be empty")
                return None
            return Text(en=text)
        if isinstance(value, _Map):
            for lang in value:
                if lang not in LANGS:
                    self.add(value.key_lines[lang], f"{where}.{key}.{lang}",
                             f"unknown language {lang!r} (use {', '.join(LANGS)})")
            texts: dict[str, str] = {}
            for lang in LANGS:
                if lang not in value:
                    continue
                t = value[lang]
                if not isinstance(t, str) or not t.strip():
                    self.add(value.key_lines[lang], f"{where}.{key}.{lang}", "must be non-empty text")
                else:
                    texts[lang] = t.strip()
            if "en" not in value:
                self.add(line, f"{where}.{key}.en", "an English text is required in every language map")
                return None
            if "en" not in texts:
                return None
            return Text(en=texts["en"], zh=texts.get("zh"))
        self.add(line, f"{where}.{key}", "must be text or a map of languages like {en: ..., zh: ...}")
        return None

    def want_str_list(self, item: _Map, key: str, where: str, *, required: bool) -> tuple[str, ...] | None:
        if key not in item:
            return None if required else ()
        value, line = item[key], self.line_of(item, key)
        if isinstance(value, str) and not required:
            value = [value]
        if not isinstance(value, list) or (required and not value):
            self.add(line, f"{where}.{key}", "must be a list" + (" with at least one item" if required else ""))
            return None
        out: list[str] = []
        lines = getattr(value, "item_lines", [line] * len(value))
        for i, (v, vline) in enumerate(zip(value, lines, strict=True)):
            if not isinstance(v, str | int | float) or isinstance(v, bool) or not str(v).strip():
                self.add(vline, f"{where}.{key}[{i}]", "must be non-empty text")
            else:
                out.append(str(v).strip())
        return tuple(out) if len(out) == len(value) else None

    def want_bool(self, item: _Map, key: str, where: str) -> bool:
        value = item.get(key, False)
        if not isinstance(value, bool):
            self.add(self.line_of(item, key), f"{where}.{key}", "must be true or false")
            return False
        return value

    def want_time(self, item: _Map, key: str, where: str, tz: ZoneInfo | None) -> datetime | None:
        if key not in item:
            return None
        value, line = item[key], self.line_of(item, key)
        parsed: datetime | None = None
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, date):
            parsed = datetime.combine(value, time(0, 0))
        elif isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                parsed = None
        if parsed is None:
            self.add(line, f"{where}.{key}", f"{value!r} is not a date-time like 2027-05-10T09:00:00")
            return None
        if parsed.tzinfo is not None:
            self.add(line, f"{where}.{key}", "write the venue's local time without an offset; set 'timezone' instead")
            return None
        return parsed.replace(tzinfo=tz) if tz else None


# --- the two files --------------------------------------------------------------------------------------------------

FAQ_FIELDS = {"id", "questions", "answer", "handoff", "tags"}
EVENT_FIELDS = {"id", "title", "starts", "ends", "timezone", "city", "country", "venue", "capacity",
                "registration_closes", "description", "tags"}


def _load_faq(path: Path) -> tuple[list[FaqEntry], list[Problem]]:
    c = _Checker(path.name)
    data = c.load_list(path)
    entries: list[FaqEntry] = []
    if data is None:
        return entries, c.problems
    seen: dict[str, int] = {}
    for n, (item, line) in enumerate(zip(data, data.item_lines, strict=True)):
        where = f"entry {n + 1}"
        if not isinstance(item, _Map):
            c.add(line, where, "each entry must be a map with id, questions and answer")
            continue
        entry_id = c.want_id(item, where, seen)
        if entry_id:
            where = f"entry {entry_id!r}"
        c.check_keys(item, where, FAQ_FIELDS, {"id", "questions", "answer"})
        questions = c.want_str_list(item, "questions", where, required=True)
        answer = c.want_text(item, "answer", where)
        handoff = c.want_bool(item, "handoff", where)
        tags = c.want_str_list(item, "tags", where, required=False)
        if entry_id and questions and answer and tags is not None:
            entries.append(FaqEntry(entry_id, questions, answer, handoff, tags))
    return entries, c.problems


def _load_events(path: Path) -> tuple[list[Event], list[Problem]]:
    c = _Checker(path.name)
    data = c.load_list(path)
    events: list[Event] = []
    if data is None:
        return events, c.problems
    seen: dict[str, int] = {}
    for n, (item, line) in enumerate(zip(data, data.item_lines, strict=True)):
        where = f"event {n + 1}"
        if not isinstance(item, _Map):
            c.add(line, where, "each event must be a map with id, title, starts and timezone")
            continue
        problems_before = len(c.problems)
        event_id = c.want_id(item, where, seen)
        if event_id:
            where = f"event {event_id!r}"
        c.check_keys(item, where, EVENT_FIELDS, {"id", "title", "starts", "timezone"})
        tz: ZoneInfo | None = None
        tz_name = item.get("timezone")
        if "timezone" in item:
            try:
                tz = ZoneInfo(str(tz_name))
            except (ZoneInfoNotFoundError, ValueError):
                c.add(c.line_of(item, "timezone"), f"{where}.timezone",
                      f"{tz_name!r} is not an IANA time zone name like Europe/London")
        title = c.want_text(item, "title", where)
        starts = c.want_time(item, "starts", where, tz)
        ends = c.want_time(item, "ends", where, tz)
        closes = c.want_time(item, "registration_closes", where, tz)
        city = c.want_text(item, "city", where)
        description = c.want_text(item, "description", where)
        tags = c.want_str_list(item, "tags", where, required=False)
        country = item.get("country")
        if country is not None:
            if not isinstance(country, str) or pycountry.countries.get(alpha_2=country.upper()) is None:
                c.add(c.line_of(item, "country"), f"{where}.country",
                      f"{country!r} is not an ISO 3166-1 alpha-2 country code like DE")
                country = None
            else:
                country = country.upper()
        venue = item.get("venue")
        if venue is not None and (not isinstance(venue, str) or not venue.strip()):
            c.add(c.line_of(item, "venue"), f"{where}.venue", "must be non-empty text")
            venue = None
        capacity = item.get("capacity")
        if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1):
            c.add(c.line_of(item, "capacity"), f"{where}.capacity",
                  f"{capacity!r} is not a whole number of seats (1 or more)")
            capacity = None
        if starts and ends and ends < starts:
            c.add(c.line_of(item, "ends"), f"{where}.ends", "ends before the event starts")
        if starts and closes and closes > (ends or starts):
            c.add(c.line_of(item, "registration_closes"), f"{where}.registration_closes",
                  "registration closes after the event is over")
        if event_id and title and starts and tags is not None and len(c.problems) == problems_before:
            events.append(Event(event_id, title, starts, str(tz_name), ends, city, country,
                                venue.strip() if isinstance(venue, str) else None, capacity, closes, description, tags))
    return events, c.problems


def _load_synonyms(path: Path) -> tuple[list[tuple[str, ...]], list[Problem]]:
    c = _Checker(path.name)
    data = c.load_list(path)
    groups: list[tuple[str, ...]] = []
    if data is None:
        return groups, c.problems
    from bot.understanding.text import content_tokens

    seen: dict[tuple[str, ...], tuple[int, int, str]] = {}  # matcher form -> (group, line, as written)
    for n, (item, line) in enumerate(zip(data, data.item_lines, strict=True)):
        if not isinstance(item, list) or len(item) < 2 or not all(isinstance(w, str) and w.strip() for w in item):
            c.add(line, f"group {n + 1}", "each group must be a list of two or more words or phrases")
            continue
        groups.append(tuple(w.strip() for w in item))
        # The matcher compares word stems ("exhibition" and "exhibit" are one word to it): a word may stand in
        # one group only, or the groups would silently merge.
        for word in item:
            form = tuple(content_tokens(word))
            if not form:
                c.add(line, f"group {n + 1}", f"{word!r} is only filler words (like 'how many'); leave it out")
            elif form in seen and seen[form][0] != n:
                other_group, other_line, other_word = seen[form]
                c.add(line, f"group {n + 1}", f"{word!r} is the same word to the matcher as {other_word!r} in group "
                      f"{other_group + 1} (line {other_line}); keep it in one group")
            else:
                seen.setdefault(form, (n, line, word))
    return groups, c.problems


# The intents a knowledge directory may give phrases for; a name with kinds takes a map of kind -> list.
INTENTS: dict[str, tuple[str, ...]] = {
    "handoff": (), "register": (), "my_registrations": (), "cancel_registration": (), "back_to_bot": (),
    "unsubscribe": (), "subscribe": (), "my_data": (), "delete_my_data": (),
    "mentions_staff": (),  # counter-examples: a message nearest to these expresses no intent
    "smalltalk": ("greeting", "thanks", "bye", "help"), "language": ("en", "zh"),
}


def _load_intents(path: Path) -> tuple[list[tuple[str, tuple[str, ...]]], list[Problem]]:
    c = _Checker(path.name)
    found: list[tuple[str, tuple[str, ...]]] = []
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except UnicodeDecodeError as exc:
        return found, [Problem(path.name, 1, "(file)", f"not UTF-8 text ({exc.reason})")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return found, [Problem(path.name, line, "(syntax)", f"YAML syntax error: {exc.problem}")]
    if data is None:
        return found, []
    if not isinstance(data, _Map):
        return found, [Problem(path.name, getattr(data, "line", 1), "(file)",
                               "must map intent names to lists of phrases (e.g. 'handoff:')")]

    def phrases(value: Any, line: int, where: str) -> tuple[str, ...] | None:
        if not isinstance(value, _Seq) or not value:
            c.add(line, where, "must be a list of example phrases (lines starting with '- ')")
            return None
        good = []
        for item, item_line in zip(value, value.item_lines, strict=True):
            if not isinstance(item, str) or not item.strip():
                c.add(item_line, where, f"{item!r} is not a phrase: write the words a member would type")
            elif len(item) > 300:
                c.add(item_line, where, "a phrase longer than 300 characters: shorten it")
            else:
                good.append(item.strip())
        return tuple(good)

    for name, value in data.items():
        line = data.key_lines[name]
        if name not in INTENTS:
            c.add(line, str(name), f"unknown intent (known: {', '.join(INTENTS)})")
            continue
        kinds = INTENTS[name]
        if not kinds:
            got = phrases(value, line, name)
            if got:
                found.append((name, got))
            continue
        if isinstance(value, _Seq):  # a plain list: the first kind ("greeting", "en")
            value = {kinds[0]: value}
            value_lines = {kinds[0]: line}
        elif isinstance(value, _Map):
            value_lines = value.key_lines
        else:
            c.add(line, name, f"must map {', '.join(kinds)} to lists of phrases")
            continue
        for kind, sub in value.items():
            if kind not in kinds:
                c.add(value_lines[kind], f"{name}.{kind}", f"unknown kind (allowed: {', '.join(kinds)})")
                continue
            got = phrases(sub, value_lines[kind], f"{name}.{kind}")
            if got:
                found.append((f"{name}.{kind}", got))
    return found, c.problems


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
        faq, p = _load_faq(d / "faq.yaml")
        problems += p
    if (d / "events.yaml").is_file():
        events, p = _load_events(d / "events.yaml")
        problems += p
    if (d / "synonyms.yaml").is_file():
        synonyms, p = _load_synonyms(d / "synonyms.yaml")
        problems += p
    # A directory without intents.yaml uses the bundled one: staff of another association write FAQ and events,
    # the ways of asking for a person are the same everywhere.
    intents_file = d / "intents.yaml" if (d / "intents.yaml").is_file() else default_dir() / "intents.yaml"
    intents, p = _load_intents(intents_file)
    problems += p
    if problems:
        raise KnowledgeError(problems)
    return Knowledge(d, tuple(faq), tuple(sorted(events, key=lambda e: e.starts)), tuple(synonyms), tuple(intents))
